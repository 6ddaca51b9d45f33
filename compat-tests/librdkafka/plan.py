#!/usr/bin/env python3
"""Lists librdkafka's broker tests (from tests/test.c) joined with tests.tsv.

    plan.py <tests/test.c> <tests.tsv>

Prints: name TAB id TAB scenarios TAB action TAB waits_for TAB ci TAB note.
Broker tests are the entries of tests[] without TEST_F_LOCAL or TEST_F_MANUAL.
An entry missing from tests.tsv is run and marked "unclassified".
"""
import re
import sys


def broker_tests(test_c):
    src = open(test_c).read()
    blk = src[src.index("struct test tests[] = {"):]
    blk = blk[: blk.index("{NULL}};")]
    out = []
    for m in re.finditer(r"_TEST\((\w+),\s*([^,)]+)(.*?)\)\s*,\s*(?=(?:#|_TEST|/\*|$))", blk, re.S):
        name, flags, rest = m.group(1), m.group(2), m.group(3)
        if "TEST_F_LOCAL" in flags or "TEST_F_MANUAL" in flags:
            continue
        sc = re.search(r'\.scenario\s*=\s*"([^"]+)"', rest)
        out.append((name, sc.group(1) if sc else "default"))
    return out


def main():
    cls = {}
    for line in open(sys.argv[2]):
        if not line.strip() or line.startswith("#"):
            continue
        f = line.rstrip("\n").split("\t")
        f += [""] * (5 - len(f))
        cls[f[0]] = f[1:5]
    for name, scen in broker_tests(sys.argv[1]):
        action, waits, ci, note = cls.get(name, ["run", "?", "-", "unclassified: add it to tests.tsv"])
        print("\t".join([name, name[:4], scen, action, waits, ci, note]))


if __name__ == "__main__":
    main()
