#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_abm_decode into corpus/abm/ (run once;
the seeds are committed as files). Each seed is a selector byte, the ASCII
digit of its kind (see fuzz_abm_decode.c), then the payload; '9' is kind 1
with bit 3 set: one account count list alone.

The flat account_set form is in host byte order: these are little-endian
seeds, as on the machines the extension is built for.
"""
import datetime
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "abm")


def write(name, selector, payload):
    if isinstance(payload, str):
        payload = payload.encode()
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(selector.encode() + payload)


# ---- account_set, flat ----

def pad8(b):
    return b + b"\0" * (-len(b) % 8)


def varlena(s):
    body = s.encode()
    # A plain 4-byte header, little-endian: the total size shifted left 2.
    return struct.pack("<I", (4 + len(body)) << 2) + body


def flat(kind, length, oid, counts, keys, hit_accounts=None, version=1, reserved=0):
    if hit_accounts is None:
        hit_accounts = sum(1 for _, h in counts if h > 0)
    body = struct.pack("<BBhIIQQ", version, kind, length, oid, reserved, len(counts), hit_accounts)
    for r, h in counts:
        body += struct.pack("<II", r, h)
    for k in keys:
        body += pad8(k) if kind != 0 else k
    # The varlena length word, which the core ignores.
    return struct.pack("<I", (4 + len(body)) << 2) + body


def by_value(n):
    return struct.pack("<q", n)


INT8, INT4, TEXT, UUID, CSTRING = 20, 23, 25, 2950, 2275

write("flat_int8_three", "0", flat(0, 8, INT8, [(1, 0), (3, 2), (1, 1)],
                                   [by_value(1), by_value(-2), by_value(1 << 40)]))
write("flat_int4_one", "0", flat(0, 4, INT4, [(7, 7)], [by_value(42)]))
write("flat_empty", "0", flat(0, 8, INT8, [], []))
write("flat_uuid_two", "0", flat(1, 16, UUID, [(2, 1), (4, 0)],
                                 [bytes(range(16)), bytes(range(16, 32))]))
write("flat_fixed_3_padded", "0", flat(1, 3, 16384, [(1, 1), (2, 0)], [b"abc", b"xyz"]))
write("flat_text_three", "0", flat(2, -1, TEXT, [(1, 1), (2, 2), (9, 0)],
                                   [varlena("acme"), varlena(""), varlena("globex corp")]))
write("flat_cstring_three", "0", flat(3, -2, CSTRING, [(1, 0), (1, 1), (2, 1)],
                                      [b"a\0", b"bcdefgh\0", b"\0"]))
write("flat_bad_hit_accounts", "0", flat(0, 8, INT8, [(1, 1), (1, 1)],
                                         [by_value(1), by_value(2)], hit_accounts=1))
write("flat_bad_rows_zero", "0", flat(0, 8, INT8, [(0, 0)], [by_value(1)]))
write("flat_bad_hits_above_rows", "0", flat(0, 8, INT8, [(2, 3)], [by_value(1)]))
write("flat_bad_version", "0", flat(0, 8, INT8, [(1, 0)], [by_value(1)], version=2))
write("flat_bad_truncated", "0", flat(2, -1, TEXT, [(1, 0), (1, 0)],
                                      [varlena("acme"), varlena("initech")])[:-5])
write("flat_bad_trailing", "0", flat(0, 8, INT8, [(1, 0)], [by_value(1)]) + b"\0" * 8)
write("flat_bad_short_varlena", "0", flat(2, -1, TEXT, [(1, 0)], [b"\x0bab"]))
write("flat_bad_cstring_no_nul", "0", flat(3, -2, CSTRING, [(1, 0)], [b"abcdefgh"]))
write("flat_bad_reserved", "0", flat(0, 8, INT8, [(1, 0)], [by_value(1)], reserved=1))
write("flat_bad_kind_length", "0", flat(0, 3, INT8, [(1, 0)], [by_value(1)]))
write("flat_bad_padding_fixed", "0",
      flat(1, 3, 16384, [(1, 1)], [b"abc"])[:-5] + b"\0\0X\0\0")
write("flat_bad_padding_cstring", "0", flat(3, -2, CSTRING, [(1, 0)], [b"ab\0c"]))
write("flat_bad_too_many_accounts", "0",
      flat(0, 8, INT8, [(1, 0)], [by_value(1)])[:16] + struct.pack("<QQ", 1 << 60, 0)
      + struct.pack("<II", 1, 0) + by_value(1))

# ---- account_set, text ----

write("text_bigint", "1", "v1 type=bigint accounts={1,2,3} rows={1,2,1} hits={0,1,1}")
write("text_quoted", "1",
      'v1 type=text accounts={"acme, inc","{x}","a\\"}"} rows={1,1,1} hits={1,0,0}')
write("text_type_with_space", "1",
      "v1 type=character varying accounts={a} rows={5} hits={5}")
write("text_empty", "1", "v1 type=uuid accounts={} rows={} hits={}")
write("text_blanks", "1",
      "  v1\ttype=int4  accounts={ 1 , 2 }\n rows={ 3 , 4 }\r hits={0,0}  ")
write("text_nested", "1", "v1 type=integer[] accounts={{1,2},{3,4}} rows={1,1} hits={0,0}")
write("text_bad_version", "1", "v2 type=bigint accounts={1} rows={1} hits={1}")
write("text_bad_unclosed", "1", "v1 type=bigint accounts={1 rows={1} hits={1}")
write("text_bad_out_of_range", "1",
      "v1 type=bigint accounts={1,2} rows={1,4294967296} hits={0,0}")
write("text_bad_trailing_comma", "1", "v1 type=bigint accounts={1} rows={1,} hits={0}")
write("text_bad_empty_type", "1", "v1 type= accounts={} rows={} hits={}")
write("text_bad_trailing", "1", "v1 type=bigint accounts={1} rows={1} hits={0} x")
write("counts_spaced", "9", "{1, 2 ,3}")
write("counts_empty", "9", "{}")
write("counts_blank", "9", "{ \t}")
write("counts_max", "9", "{4294967295,0}")
write("counts_bad_too_big", "9", "{4294967296}")
write("counts_bad_two_numbers", "9", "{1 2}")
write("counts_bad_lone_comma", "9", "{,}")
write("counts_leading_zeros", "9", "{007,0000000000004294967295}")

# ---- engagement_summary ----

def engagement(rows, minutes, error, as_of, half_life):
    return ("v1 rows=%s engagement_minutes=%s engagement_minutes_error=%s "
            "as_of=%s half_life_seconds=%s" % (rows, minutes, error, as_of, half_life))


JULY = "2024-07-01T00:00:00.000000Z"
write("engagement_text_valid", "2", engagement(2, "47.5", "0", JULY, "2592000.000000"))
write("engagement_text_none", "2", engagement(0, "0", "0", "none", "none"))
write("engagement_text_parameters_no_rows", "2",
      engagement(0, "0", "0", "2000-01-01T00:00:00.000000Z", "86400.000000"))
write("engagement_text_error_term", "2", engagement(3, "1", "1e-17", JULY, "3600.5"))
write("engagement_text_earliest", "2",
      engagement(1, "2.5", "0", "-4713-11-24T00:00:00.000000Z", "0.000001"))
write("engagement_text_latest", "2",
      engagement(1, "1.7976931348623157e308", "0", "294276-12-31T23:59:59.999999Z",
                 "9223372036854.775807"))
write("engagement_text_subnormal", "2",
      engagement(1, "4.9406564584124654e-324", "0", JULY, "1"))
write("engagement_text_bad_half_set", "2", engagement(0, "0", "0", JULY, "none"))
write("engagement_text_bad_negative", "2", engagement(1, "-1", "0", JULY, "60"))
write("engagement_text_bad_seven_places", "2", engagement(1, "1", "0", JULY, "0.0000001"))
write("engagement_text_bad_half_life_zero", "2", engagement(1, "1", "0", JULY, "0"))
write("engagement_text_bad_after_range", "2",
      engagement(1, "1", "0", "294277-01-01T00:00:00.000000Z", "60"))
write("engagement_text_bad_half_life_too_big", "2",
      engagement(1, "1", "0", JULY, "9223372036854.775808"))
write("engagement_text_bad_date_only", "2", engagement(1, "1", "0", "2024-07-01", "60"))
write("engagement_text_bad_version", "2",
      engagement(2, "47.5", "0", JULY, "2592000.000000").replace("v1", "v2", 1))
write("engagement_text_bad_unnormalized", "2", engagement(1, "1", "0.5", JULY, "60"))


def engagement_binary(rows, minutes, error, parameters_set, as_of, half_life, version=1):
    return (struct.pack(">Bqdd", version, rows, minutes, error) + bytes([parameters_set])
            + struct.pack(">qq", as_of, half_life))


JULY_US = int((datetime.datetime(2024, 7, 1) - datetime.datetime(2000, 1, 1)).total_seconds()) * 1000000
MONTH_US = 2592000 * 1000000
write("engagement_binary_valid", "3", engagement_binary(2, 47.5, 0.0, 1, JULY_US, MONTH_US))
write("engagement_binary_none", "3", engagement_binary(0, 0.0, 0.0, 0, 0, 0))
write("engagement_binary_error_term", "3",
      engagement_binary(5, 1.0, 1e-17, 1, -JULY_US, 1))
write("engagement_binary_max", "3",
      engagement_binary((1 << 63) - 1, 1.7976931348623157e308, 0.0, 1,
                        9223371331200000000 - 1, (1 << 63) - 1))
write("engagement_binary_subnormal", "3", engagement_binary(1, 5e-324, 0.0, 1, 0, 1))
write("engagement_binary_bad_flag", "3", engagement_binary(2, 47.5, 0.0, 2, JULY_US, MONTH_US))
write("engagement_binary_bad_short", "3",
      engagement_binary(2, 47.5, 0.0, 1, JULY_US, MONTH_US)[:-1])
write("engagement_binary_bad_version", "3",
      engagement_binary(2, 47.5, 0.0, 1, JULY_US, MONTH_US, version=2))
write("engagement_binary_bad_negative", "3",
      engagement_binary(2, -47.5, 0.0, 1, JULY_US, MONTH_US))
write("engagement_binary_bad_nan", "3",
      engagement_binary(2, float("nan"), 0.0, 1, JULY_US, MONTH_US))
write("engagement_binary_bad_sum_no_rows", "3",
      engagement_binary(0, 1.0, 0.0, 1, JULY_US, MONTH_US))
write("engagement_binary_bad_minus_zero", "3",
      engagement_binary(1, -0.0, 0.0, 1, JULY_US, MONTH_US))
write("engagement_binary_bad_before_range", "3",
      engagement_binary(1, 1.0, 0.0, 1, -211813488000000000 - 1, MONTH_US))
write("engagement_binary_bad_half_life_negative", "3",
      engagement_binary(1, 1.0, 0.0, 1, JULY_US, -1))
write("engagement_binary_bad_unset_with_as_of", "3",
      engagement_binary(0, 0.0, 0.0, 0, JULY_US, 0))
write("engagement_binary_bad_empty", "3", b"")

# ---- engagement_lift pairs ----

def lift_text(pairs, rows=None):
    if rows is None:
        rows = len(pairs)
    return "v1 rows=%d pairs=%s" % (rows, ",".join("%s:%s" % p for p in pairs) or "none")


write("lift_text_three", "4", "v1 rows=3 pairs=12.5:30,40:21,7:45")
write("lift_text_none", "4", "v1 rows=0 pairs=none")
write("lift_text_eight", "4", lift_text([(i, i) for i in range(1, 9)]))
write("lift_text_bottom_zero", "4", "v1 rows=4 pairs=1:0,2:0,3:5,4:9")
write("lift_text_ties", "4", "v1 rows=6 pairs=1:2,1:2,1:2,1:3,1:1,1:2")
write("lift_text_signs", "4",
      "v1 rows=5 pairs=-0:-0,0:0,-1.5:2e10,3e-310:-7,1e308:1.7976931348623157e308")
write("lift_text_overflow", "4", "v1 rows=4 pairs=0:1e-300,1:1,2:1,3:1e300")
write("lift_text_forty", "4", lift_text([((i * 37) % 40, 40 - i) for i in range(40)]))
write("lift_text_bad_fewer", "4", "v1 rows=4 pairs=1:1,2:2")
write("lift_text_bad_more", "4", "v1 rows=1 pairs=1:1,2:2")
write("lift_text_bad_out_of_range", "4", "v1 rows=1 pairs=1e309:1")
write("lift_text_bad_separator", "4", "v1 rows=2 pairs=1:1;2:2")
write("lift_text_bad_huge_rows", "4", "v1 rows=67108863 pairs=1:1")
write("lift_text_bad_none_with_rows", "4", "v1 rows=2 pairs=none")


def lift_binary(pairs, count=None, version=1):
    if count is None:
        count = len(pairs)
    return struct.pack(">Bq", version, count) + b"".join(struct.pack(">dd", *p) for p in pairs)


write("lift_binary_none", "5", lift_binary([]))
write("lift_binary_three", "5", lift_binary([(12.5, 30), (40, 21), (7, 45)]))
write("lift_binary_signs", "5",
      lift_binary([(-0.0, -0.0), (0.0, 0.0), (-1.5, 2e10), (5e-324, -7), (1e308, 1e308)]))
write("lift_binary_organ_pipe", "5",
      lift_binary([(min(i, 39 - i), i % 3) for i in range(40)]))
write("lift_binary_overflow", "5", lift_binary([(0, 1e-300), (1, 1), (2, 1), (3, 1e300)]))
write("lift_binary_ties", "5", lift_binary([(1, 2)] * 9))
write("lift_binary_bad_nan", "5", lift_binary([(1, 1), (float("nan"), 2)]))
write("lift_binary_bad_inf", "5", lift_binary([(1, float("inf"))]))
write("lift_binary_bad_count", "5", lift_binary([(1, 1), (2, 2)], count=3))
write("lift_binary_bad_count_huge", "5", lift_binary([(1, 1)], count=1 << 40))
write("lift_binary_bad_short_header", "5", lift_binary([])[:5])
write("lift_binary_bad_version", "5", lift_binary([(1, 1)], version=2))
write("lift_binary_bad_empty", "5", b"")
