#!/usr/bin/env python3
"""First error line of a failed `go test -v` log, attributed to its (sub)test.

    first_error.py <log>

Go's -v output interleaves parallel subtests; each message line belongs to the
test named by the last "=== RUN/CONT/NAME" header. Prints the first message of
the deepest failing (sub)test, prefixed with its subtest path, or nothing.
"""
import re
import sys

lines = open(sys.argv[1], errors="replace").read().splitlines()
current = None
messages = {}
failed = []
for line in lines:
    m = re.match(r"^=== (?:RUN|CONT|NAME)\s+(\S+)", line)
    if m:
        current = m.group(1)
        continue
    m = re.match(r"^\s*--- FAIL: (\S+) ", line)
    if m:
        failed.append(m.group(1))
        continue
    m = re.match(r"^\s+(\S+\.go:\d+: .*)$", line)
    if m and current:
        messages.setdefault(current, []).append(m.group(1))
    elif line.startswith("panic: ") and current:
        messages.setdefault(current, []).insert(0, line)
for name in sorted(failed, key=lambda n: -n.count("/")):
    if messages.get(name):
        sub = name.split("/", 1)[1] + ": " if "/" in name else ""
        print(sub + messages[name][0])
        break
else:
    for line in lines:
        if line.startswith("panic: "):
            print(line)
            break
