# b2bkpi: PGXS build, plus the project's own targets (test, demo, bench).

EXTENSION = b2bkpi
EXTVERSION = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" $(EXTENSION).control)

MODULE_big = b2bkpi
# Every C file of the core and of the PostgreSQL layer (one per KPI family).
CORE_OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/core/*.c)))
OBJS = $(CORE_OBJS) $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))

DATA = sql/b2bkpi--$(EXTVERSION).sql

# pg_regress: one file per KPI family, after the catalogue-wide checks.
REGRESS = catalog summary_types funnel_rates money retention sales_cycle event_funnels abm confidence summaries

PG_CPPFLAGS = -I$(srcdir)/src
PG_CFLAGS = -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare \
	-Wno-missing-field-initializers -Werror

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS tracks no header dependencies; the core's hot paths are inline in headers.
$(OBJS): $(wildcard src/*.h src/core/*.h)

# The project's own targets: each installs what it needs and cleans up after itself.
.PHONY: test demo bench unit fuzz
test:
	bash scripts/test.sh
demo:
	bash scripts/demo.sh $(if $(SCALE),--scale $(SCALE))
bench:
	bash test/bench/run.sh
unit:
	$(MAKE) -C test/unit run
fuzz:
	$(MAKE) -C test/fuzz run
