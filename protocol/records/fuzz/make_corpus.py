#!/usr/bin/python3
"""Writes the seed corpus for record_batch_fuzz into fuzz/corpus/.

Seeds: the kafka-python golden batches from ../test/golden_batch_test.cc (one per
codec), all five concatenated, an end-transaction marker (control) batch built
here by hand, and for each codec its codec byte followed by the compressed
records section (the fuzzer's direct-decompression input). Run once with
/usr/bin/python3 (needs python3-kafka for its CRC-32C); the output is committed.
"""
import os
import re
import struct

from kafka.record.util import calc_crc32c

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")
TEST = open(os.path.join(HERE, "..", "test", "golden_batch_test.cc")).read()

CODECS = ["none", "gzip", "snappy", "lz4", "zstd"]
golden = {}
for name in CODECS:
    m = re.search(r"kGolden_%s =\n((?:\s+\"[0-9a-f]+\"\n?)+);" % name, TEST)
    golden[name] = bytes.fromhex("".join(re.findall(r"\"([0-9a-f]+)\"", m.group(1))))


def varint(n):
    z = (n << 1) ^ (n >> 63)
    out = bytearray()
    while z >= 0x80:
        out.append((z & 0x7F) | 0x80)
        z >>= 7
    out.append(z)
    return bytes(out)


def marker_batch():
    key = struct.pack(">hh", 0, 1)       # version 0, COMMIT
    value = struct.pack(">hi", 0, 17)    # version 0, coordinatorEpoch 17
    body = b"\x00" + varint(0) + varint(0) + varint(len(key)) + key + varint(len(value)) + value + varint(0)
    records = varint(len(body)) + body
    after_crc = struct.pack(">hiqqqhii", 0x30, 0, 1700000000000, 1700000000000, 9000, 7, -1, 1) + records
    crc = calc_crc32c(after_crc)
    length = 4 + 1 + 4 + len(after_crc)
    return struct.pack(">qiibI", 42, length, 3, 2, crc) + after_crc


os.makedirs(OUT, exist_ok=True)
seeds = {"batch_%s" % n: golden[n] for n in CODECS}
seeds["batches_concatenated"] = b"".join(golden[n] for n in CODECS)
seeds["control_commit_marker"] = marker_batch()
for i, n in enumerate(CODECS):
    seeds["payload_%s" % n] = bytes([i]) + golden[n][61:]
for name, data in seeds.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
print("wrote", len(seeds), "seeds to", OUT)
