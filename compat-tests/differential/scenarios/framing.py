"""Unsupported API keys and versions, malformed frames, and framing behaviour (pipelining, slow
writers, correlation ids). Does the broker answer, close the connection, or wait?"""
import struct

from harness import Case, scenario

API_VERSIONS, METADATA = 18, 3


def raw_header(api_key, version, correlation_id, client_id=b"samsa-differential"):
    return struct.pack(">hhih", api_key, version, correlation_id, len(client_id)) + client_id


def frame(payload):
    return struct.pack(">i", len(payload)) + payload


@scenario("protocol.unknown_api_key")
def unknown_api_key(b):
    """API keys no Kafka defines, with an empty body."""
    top = max(b.schemas.requests)
    return [Case(f"key {k}", None, b.exchange(frame(raw_header(k, 0, 1)), None, 0, 1))
            for k in (top + 1, 1000, 32767, -1)]


@scenario("protocol.unsupported_version")
def unsupported_version(b):
    """Known APIs at versions outside every broker's range: too new, negative, and the versions
    Kafka 4.0 removed (KIP-896), and controller-only APIs sent to the broker listener."""
    cases = []
    for v in (32767, -1):
        cid, f = b.request_frame(METADATA, v, {"Topics": []}, body_version=12 if v > 0 else 4)
        cases.append(Case(f"Metadata v{v}", None, b.exchange(f, METADATA, 12 if v > 0 else 4, cid)))
    # Produce, Fetch, ListOffsets, OffsetCommit, OffsetFetch at v0. Kafka 4.x still advertises
    # Produce v0-2 (for old librdkafka's version checks) but refuses them when sent.
    removed = {0: (0, {"Acks": -1, "TimeoutMs": 1000}), 1: (0, {}), 2: (0, {}), 8: (0, {}), 9: (0, {})}
    for key, (v, body) in removed.items():
        cid, f = b.request_frame(key, v, body)
        cases.append(Case(f"{b.schemas.api_name(key)} v{v}", None, b.exchange(f, key, v, cid)))
    for key in (52, 62, 63):   # Vote, BrokerRegistration, BrokerHeartbeat: controller listener only
        v = b.schemas.requests[key].valid[0]
        cid, f = b.request_frame(key, v, {})
        cases.append(Case(f"{b.schemas.api_name(key)} v{v} (controller API)", None, b.exchange(f, key, v, cid)))
    return cases


@scenario("protocol.malformed_frames")
def malformed_frames(b):
    """Bad size prefixes, truncated headers and bodies, trailing bytes, bad strings."""
    md12_cid, md12 = b.request_frame(METADATA, 12, {"Topics": None})
    av0 = raw_header(API_VERSIONS, 0, 41)
    md4 = raw_header(METADATA, 4, 41)
    av3 = raw_header(API_VERSIONS, 3, 41)
    cases = [  # (label, bytes, api key and version to decode an answer as, correlation id)
        ("size -1", struct.pack(">i", -1) + av0, API_VERSIONS, 0, 41),
        ("size 0", struct.pack(">i", 0), API_VERSIONS, 0, 41),
        ("size 3, 3 bytes", struct.pack(">i", 3) + av0[:3], API_VERSIONS, 0, 41),
        ("size 2^31-1, 8 bytes", struct.pack(">i", 0x7FFFFFFF) + av0[:8], API_VERSIONS, 0, 41),
        ("size 100 MiB + 1 (over socket.request.max.bytes), 8 bytes",
         struct.pack(">i", 104857601) + av0[:8], API_VERSIONS, 0, 41),
        ("size 100 MiB (at socket.request.max.bytes), 8 bytes",
         struct.pack(">i", 104857600) + av0[:8], API_VERSIONS, 0, 41),
        ("header cut inside correlation id", frame(av0[:6]), API_VERSIONS, 0, 41),
        ("client id longer than frame", frame(struct.pack(">hhih", 18, 0, 41, 500) + b"abc"), API_VERSIONS, 0, 41),
        ("client id not UTF-8", frame(struct.pack(">hhih", 18, 0, 41, 2) + b"\xff\xfe"), API_VERSIONS, 0, 41),
        ("Metadata v12 body cut by 3 bytes", frame(md12[4:-3]), METADATA, 12, md12_cid),
        ("Metadata v4 topic count 5, no topics", frame(md4 + struct.pack(">ib", 5, 0)), METADATA, 4, 41),
        ("Metadata v4 topic count -2", frame(md4 + struct.pack(">ib", -2, 0)), METADATA, 4, 41),
        ("Metadata v12 overlong varint", frame(raw_header(METADATA, 12, 41) + b"\x00" + b"\xff" * 6),
         METADATA, 12, 41),
        ("ApiVersions v0 trailing bytes", frame(av0 + b"\x00\x01\x02\x03"), API_VERSIONS, 0, 41),
        ("Metadata v4 trailing bytes", frame(md4 + struct.pack(">ib", 0, 0) + b"junk"), METADATA, 4, 41),
        ("ApiVersions v3 header without tagged fields", frame(av3), API_VERSIONS, 3, 41),
        ("ApiVersions v3 body garbage", frame(av3 + b"\x00\xff\xff\xff\xff\xff\xff"), API_VERSIONS, 3, 41),
    ]
    return [Case(label, None, b.exchange(data, api, v, cid, check_after=True))
            for label, data, api, v, cid in cases]


@scenario("protocol.framing")
def framing(b):
    """Pipelined requests answered in order; a request written one byte at a time; correlation ids
    echoed as sent (negative, reused)."""
    conn = b.connect()
    try:
        sent = []
        data = b""
        for api, v, body in ((API_VERSIONS, 0, {}), (METADATA, 12, {"Topics": []}),
                             (API_VERSIONS, 3, {"ClientSoftwareName": "x", "ClientSoftwareVersion": "1"}),
                             (METADATA, 1, {"Topics": []})):
            cid, f = b.request_frame(api, v, body)
            sent.append((api, v, cid))
            data += f
        conn.send(data)
        pipelined = [b.observe(conn, api, v, cid) for api, v, cid in sent]
    finally:
        conn.close()
    cid, f = b.request_frame(API_VERSIONS, 3, {"ClientSoftwareName": "x", "ClientSoftwareVersion": "1"})
    slow = b.exchange(f, API_VERSIONS, 3, cid, chunk=1, check_after=True)
    conn = b.connect()
    try:
        echoes = []
        for c in (-7, -7, 0, 2 ** 31 - 1):
            _, f = b.request_frame(API_VERSIONS, 0, {}, correlation_id=c)
            echoes.append(b.exchange(f, API_VERSIONS, 0, c, conn=conn))
    finally:
        conn.close()
    return [Case("4 pipelined in one write", None, {"responses": pipelined}),
            Case("ApiVersions v3 one byte per write", None, slow),
            Case("correlation ids -7, -7, 0, 2^31-1 on one connection", None, {"responses": echoes})]
