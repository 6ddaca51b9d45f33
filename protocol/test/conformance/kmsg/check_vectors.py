#!/usr/bin/env python3
"""Checks a kmsg vector file against the official Kafka message JSON.

Each body is decoded with a small schema-driven decoder written from the
official JSON only (no kmsg). A vector passes when it decodes completely:
every length is in range, null (-1) appears only where nullableVersions allow
it, tagged fields are in ascending order and known tags consume exactly their
size. Frames are checked for a well-formed request header followed by a body
that is identical to one of the body vectors of the same key and version.

Usage: check_vectors.py <vectors-file> [spec-dir] [--known schema_diff.txt]
Prints one line per failing vector and a summary 'N passed, N failed'. With
--known, failures at a key/direction/version listed under "Wire differences"
in schema_diff.txt are counted as known, not failed. Exit code 1 on any
unknown failure.
"""
import json
import os
import re
import struct
import sys


def strip_comments(text):
    out = []
    for line in text.split("\n"):
        if line.strip().startswith("//"):
            continue
        in_str = False
        for i in range(len(line) - 1):
            if line[i] == '"' and (i == 0 or line[i - 1] != "\\"):
                in_str = not in_str
            if not in_str and line[i:i + 2] == "//":
                line = line[:i]
                break
        out.append(line)
    return "\n".join(out)


def parse_range(s):
    s = (s or "").strip()
    if s in ("", "none"):
        return None
    if s.endswith("+"):
        return (int(s[:-1]), None)
    if "-" in s:
        a, b = s.split("-")
        return (int(a), int(b))
    return (int(s), int(s))


def has(r, v):
    return r is not None and v >= r[0] and (r[1] is None or v <= r[1])


class Bad(Exception):
    pass


STATS = {"null string": 0, "null bytes": 0, "null array": 0, "null struct": 0,
         "known tag": 0, "unknown tag": 0}


class Reader:
    def __init__(self, b):
        self.b = b
        self.p = 0

    def take(self, n):
        if n < 0 or self.p + n > len(self.b):
            raise Bad("short read of %d at %d/%d" % (n, self.p, len(self.b)))
        s = self.b[self.p:self.p + n]
        self.p += n
        return s

    def uvarint(self):
        x = 0
        shift = 0
        for _ in range(5):
            c = self.take(1)[0]
            x |= (c & 0x7F) << shift
            if not c & 0x80:
                return x
            shift += 7
        raise Bad("uvarint too long")

    def i8(self):
        return struct.unpack(">b", self.take(1))[0]

    def i16(self):
        return struct.unpack(">h", self.take(2))[0]

    def i32(self):
        return struct.unpack(">i", self.take(4))[0]


FIXED = {"bool": 1, "int8": 1, "int16": 2, "uint16": 2, "int32": 4, "uint32": 4,
         "int64": 8, "float64": 8, "uuid": 16}


class Msg:
    def __init__(self, j):
        self.j = j
        self.commons = {c["name"]: c for c in j.get("commonStructs", [])}
        self.flex = parse_range(j.get("flexibleVersions"))

    def sub(self, f):
        if f.get("fields"):
            return f["fields"]
        t = f["type"][2:] if f["type"].startswith("[]") else f["type"]
        if t in self.commons:
            return self.commons[t]["fields"]
        raise Bad("no struct %s" % t)

    def length(self, r, flex, wide):
        if flex:
            return r.uvarint() - 1
        return r.i32() if wide else r.i16()

    def value(self, r, f, typ, v, flex, path, nullable):
        if typ in FIXED:
            r.take(FIXED[typ])
            return
        if typ == "string":
            n = self.length(r, flex, False)
            if n < 0:
                if not nullable:
                    raise Bad("%s: null string in non-nullable version" % path)
                STATS["null string"] += 1
                return
            r.take(n)
            return
        if typ in ("bytes", "records"):
            n = self.length(r, flex, True)
            if n < 0:
                if not nullable:
                    raise Bad("%s: null bytes in non-nullable version" % path)
                STATS["null bytes"] += 1
                return
            r.take(n)
            return
        if typ.startswith("[]"):
            n = self.length(r, flex, True)
            if n < 0:
                if not nullable:
                    raise Bad("%s: null array in non-nullable version" % path)
                STATS["null array"] += 1
                return
            inner = typ[2:]
            for _ in range(n):
                if inner in FIXED or inner in ("string", "bytes"):
                    self.value(r, f, inner, v, flex, path + "[]", False)
                else:
                    self.struct(r, self.sub(f), v, flex, path + "[]")
            return
        # struct
        if nullable:
            marker = r.i8()
            if marker < 0:
                STATS["null struct"] += 1
                return
        self.struct(r, self.sub(f), v, flex, path)

    def struct(self, r, fields, v, flex, path):
        tagged = {}
        for f in fields:
            if not has(parse_range(f.get("versions")), v):
                continue
            if flex and "tag" in f and has(parse_range(f.get("taggedVersions")), v):
                tagged[int(f["tag"])] = f
                continue
            nullable = has(parse_range(f.get("nullableVersions")), v)
            self.value(r, f, f["type"], v, flex, path + "." + f["name"], nullable)
        if flex:
            n = r.uvarint()
            last = -1
            for _ in range(n):
                tag = r.uvarint()
                size = r.uvarint()
                if tag <= last:
                    raise Bad("%s: tags out of order (%d after %d)" % (path, tag, last))
                last = tag
                data = r.take(size)
                STATS["known tag" if tag in tagged else "unknown tag"] += 1
                if tag in tagged:
                    f = tagged[tag]
                    sr = Reader(data)
                    nullable = has(parse_range(f.get("nullableVersions")), v)
                    self.value(sr, f, f["type"], v, True, path + "." + f["name"], nullable)
                    if sr.p != len(data):
                        raise Bad("%s: tag %d has %d trailing bytes" % (path, tag, len(data) - sr.p))

    def decode(self, body, v):
        r = Reader(body)
        flex = has(self.flex, v)
        self.struct(r, self.j["fields"], v, flex, self.j["name"])
        if r.p != len(body):
            raise Bad("%d trailing bytes" % (len(body) - r.p))


def load_spec(d):
    out = {}
    for name in os.listdir(d):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(d, name)) as fh:
            j = json.loads(strip_comments(fh.read()))
        if "apiKey" not in j or j.get("type") not in ("request", "response"):
            continue
        out[(j["apiKey"], "req" if j["type"] == "request" else "resp")] = Msg(j)
    return out


def load_known(path):
    known = set()
    section = None
    with open(path) as fh:
        for line in fh:
            if line.startswith("## "):
                section = line
                continue
            if not section or "Wire differences" not in section or line.startswith("#") or not line.strip():
                continue
            m = re.match(r"(\d+) (\w+) (\S+) ", line)
            if not m:
                continue
            side = "req" if m.group(2).endswith("Request") else "resp"
            for part in m.group(3).split(","):
                part = part.lstrip("v")
                a, _, b = part.partition("-v")
                for ver in range(int(a), int(b or a) + 1):
                    known.add((int(m.group(1)), side, ver))
    return known


def main():
    args = sys.argv[1:]
    known = set()
    if "--known" in args:
        i = args.index("--known")
        known = load_known(args[i + 1])
        del args[i:i + 2]
    if not args:
        print(__doc__)
        return 2
    here = os.path.dirname(os.path.abspath(__file__))
    spec_dir = args[1] if len(args) > 1 else os.path.join(here, "../../../../../shared/kafka-spec/message")
    spec = load_spec(spec_dir)
    passed = failed = known_failed = skipped = 0
    bodies = {}
    frames = []
    with open(args[0]) as fh:
        for ln, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split(" ")
            if parts[0] == "frame":
                frames.append((ln, int(parts[1]), int(parts[2]), parts[3]))
                continue
            key, ver, side, hx = int(parts[0]), int(parts[1]), parts[2], parts[3]
            body = b"" if hx == "-" else bytes.fromhex(hx)
            if side == "req":
                bodies.setdefault((key, ver), set()).add(body)
            m = spec.get((key, side))
            if m is None or not has(parse_range(m.j["validVersions"]), ver):
                skipped += 1
                continue
            try:
                m.decode(body, ver)
                passed += 1
            except Bad as e:
                if (key, side, ver) in known:
                    known_failed += 1
                else:
                    failed += 1
                    print("line %d: %d v%d %s: %s" % (ln, key, ver, side, e))
    for ln, key, ver, hx in frames:
        m = spec.get((key, "req"))
        if m is None or not has(parse_range(m.j["validVersions"]), ver):
            skipped += 1
            continue
        r = Reader(bytes.fromhex(hx))
        try:
            if r.i16() != key or r.i16() != ver:
                raise Bad("header api key/version mismatch")
            r.i32()
            if not (key == 7 and ver == 0):
                n = r.i16()
                if n >= 0:
                    r.take(n)
                if has(m.flex, ver):
                    for _ in range(r.uvarint()):
                        r.uvarint()
                        r.take(r.uvarint())
            if r.b[r.p:] not in bodies.get((key, ver), set()):
                raise Bad("frame body is not one of the body vectors")
            passed += 1
        except Bad as e:
            failed += 1
            print("line %d: frame %d v%d: %s" % (ln, key, ver, e))
    print("# seen: " + ", ".join("%s %d" % kv for kv in STATS.items()))
    print("# %d vectors at versions outside the official schema skipped, %d known differences" % (skipped, known_failed))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
