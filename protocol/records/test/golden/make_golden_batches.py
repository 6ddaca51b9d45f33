#!/usr/bin/python3
"""Writes golden RecordBatch v2 bytes made by an independent implementation.

Run once with Debian's kafka-python (python3-kafka 2.0.2) and its codec modules
(python3-snappy, python3-lz4, python3-zstandard):

    /usr/bin/python3 protocol/records/test/golden/make_golden_batches.py

It prints one hex string per codec; golden_batch_test.cc holds the output. The
tests never run this script: the bytes are fixed so a change on either side shows.
"""
from kafka.record.default_records import DefaultRecordBatchBuilder

CODECS = [("none", 0), ("gzip", 1), ("snappy", 2), ("lz4", 3), ("zstd", 4)]
BASE_TS = 1700000000000

RECORDS = [
    # (offset delta, timestamp, key, value, headers)
    (0, BASE_TS, b"key-0", b"value-0 " * 8, [("h1", b"v1")]),
    (1, BASE_TS + 5, None, b"hello hello hello hello hello", []),
    (2, BASE_TS + 1, b"k2", None, [("trace", None), ("empty", b"")]),
]

for name, codec in CODECS:
    b = DefaultRecordBatchBuilder(magic=2, compression_type=codec, is_transactional=False,
                                  producer_id=1234, producer_epoch=5, base_sequence=42,
                                  batch_size=1 << 20)
    for delta, ts, key, value, headers in RECORDS:
        b.append(delta, timestamp=ts, key=key, value=value, headers=headers)
    print(name, bytes(b.build()).hex())
