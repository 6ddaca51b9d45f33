#!/usr/bin/env python3
"""Which of pkg/kgo's top-level tests talk to a broker.

    classify.py <pkg/kgo dir> <tests.txt>

Prints `name TAB broker|client` for every Test* in tests.txt. A test needs the
broker when it reaches, directly or through other functions of the package's
_test.go files, one of the helpers that dial KGO_SEEDS (newTestClient,
testClientOpts, getSeedBrokers, adm, tmpTopic..., tmpGroup...). Static and
approximate; tests.tsv can override any row.
"""
import glob
import os
import re
import sys

SEEDS = {"newTestClient", "testClientOpts", "getSeedBrokers", "adm"}
FUNC = re.compile(r"^func (?:\([^)]*\) )?(\w+)\s*[\[(]", re.M)


def main():
    pkg, listing = sys.argv[1], sys.argv[2]
    bodies = {}
    for path in sorted(glob.glob(os.path.join(pkg, "*_test.go"))):
        src = open(path, errors="replace").read()
        starts = [(m.start(), m.group(1)) for m in FUNC.finditer(src)]
        for i, (pos, name) in enumerate(starts):
            end = starts[i + 1][0] if i + 1 < len(starts) else len(src)
            bodies[name] = bodies.get(name, "") + src[pos:end]
    ident = re.compile(r"\b([A-Za-z_]\w*)\b")
    calls = {n: set(ident.findall(b)) & set(bodies) for n, b in bodies.items()}
    needs = set(SEEDS) & set(bodies)
    changed = True
    while changed:
        changed = False
        for n, cs in calls.items():
            if n not in needs and cs & needs:
                needs.add(n)
                changed = True
    for line in open(listing):
        name = line.strip()
        if not name.startswith("Test"):
            continue
        print(f"{name}\t{'broker' if name in needs else 'client'}")


if __name__ == "__main__":
    main()
