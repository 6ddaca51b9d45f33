#!/usr/bin/env python3
"""Writes the fuzzers' seed corpora from a kmsg vector file
(protocol/test/conformance/kmsg): one frame per API for the frame and header
fuzzers, one body per API x kind for the body fuzzer (prefixed with the two
selector bytes message_body_fuzz expects, given the codec order in
registry.cc, i.e. sorted schema stems).

    make_seed_corpus.py <vectors.txt> <registry.cc> <out-dir>
"""
import os
import re
import struct
import sys


def main():
    vectors, registry, out = sys.argv[1:4]
    names = re.findall(r'\{"(\w+)", (-?\d+), message_kind::(\w+), (\d+), (\d+),', open(registry).read())
    index = {}
    for i, (name, key, kind, lo, hi) in enumerate(names):
        index[(int(key), kind)] = (i, int(lo), int(hi))
    os.makedirs(os.path.join(out, "request_frame"), exist_ok=True)
    os.makedirs(os.path.join(out, "request_header"), exist_ok=True)
    os.makedirs(os.path.join(out, "message_body"), exist_ok=True)
    seen_frames, seen_bodies = set(), set()
    for line in open(vectors):
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        if parts[0] == "frame":
            key, version, hexs = int(parts[1]), int(parts[2]), parts[3]
            if key in seen_frames or (key, "request") not in index or version > index[(key, "request")][2]:
                continue
            seen_frames.add(key)
            frame = bytes.fromhex(hexs)
            open(os.path.join(out, "request_frame", "api%d" % key), "wb").write(struct.pack(">i", len(frame)) + frame)
            open(os.path.join(out, "request_header", "api%d" % key), "wb").write(frame)
        else:
            key, version, kind, hexs = int(parts[0]), int(parts[1]), parts[2], parts[3]
            kind = "request" if kind == "req" else "response"
            if (key, kind) in seen_bodies or (key, kind) not in index:
                continue
            i, lo, hi = index[(key, kind)]
            if version > hi:
                continue
            seen_bodies.add((key, kind))
            body = b"" if hexs == "-" else bytes.fromhex(hexs)
            open(os.path.join(out, "message_body", "%s%d" % (kind[:3], key)), "wb").write(
                bytes([i % 256, version - lo]) + body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
