#!/usr/bin/python3
"""Polls a Kafka-protocol broker until it serves, with a deadline; used for Kafka and Samsa alike.

    kafka_probe.py --bootstrap 127.0.0.1:9092 [--deadline-s 60] [--pid PID] [--t0 EPOCH_S]

Served means: an ApiVersions v0 request is answered with error 0 ("first response"), then a
Metadata v4 request for no topics names at least one broker ("ready": a KRaft broker answers
ApiVersions before it has registered and been unfenced). Prints one JSON line with both times in
seconds since --t0 (default: the probe's own start), and exits 0; exits 1 at the deadline or
when --pid has exited. Each attempt has a short socket timeout; between attempts it waits 20 ms.
"""
import argparse
import json
import os
import socket
import struct
import sys
import time

POLL_S = 0.02
SOCKET_TIMEOUT_S = 1.0


def request(sock, api_key, version, correlation_id, body):
    client_id = b"samsa-probe"
    header = struct.pack(">hhih", api_key, version, correlation_id, len(client_id)) + client_id
    frame = header + body
    sock.sendall(struct.pack(">i", len(frame)) + frame)
    size = struct.unpack(">i", recv_exact(sock, 4))[0]
    payload = recv_exact(sock, size)
    if struct.unpack(">i", payload[:4])[0] != correlation_id:
        raise ConnectionError("correlation id mismatch")
    return payload[4:]


def recv_exact(sock, n):
    out = bytearray()
    while len(out) < n:
        chunk = sock.recv(n - len(out))
        if not chunk:
            raise ConnectionError("connection closed")
        out += chunk
    return bytes(out)


def metadata_broker_count(body):
    # Metadata v4 response: throttle_time_ms, brokers[node_id, host, port, rack], ...
    return struct.unpack(">i", body[4:8])[0]


def alive(pid):
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) still answers kill 0.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1][0] != "Z"
    except OSError:
        return False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--deadline-s", type=float, default=60.0)
    ap.add_argument("--pid", type=int)
    ap.add_argument("--t0", type=float)
    args = ap.parse_args()
    t0 = args.t0 if args.t0 is not None else time.time()
    host, port = args.bootstrap.rsplit(":", 1)
    deadline = time.monotonic() + args.deadline_s
    first = None
    while time.monotonic() < deadline:
        if not alive(args.pid):
            print(f"probe: process {args.pid} exited before serving", file=sys.stderr)
            return 1
        try:
            with socket.create_connection((host, int(port)), timeout=SOCKET_TIMEOUT_S) as s:
                body = request(s, 18, 0, 1, b"")
                if struct.unpack(">h", body[:2])[0] == 0:
                    if first is None:
                        first = time.time() - t0
                    md = request(s, 3, 4, 2, struct.pack(">ib", 0, 0))
                    if metadata_broker_count(md) >= 1:
                        print(json.dumps({"first_response_s": round(first, 3),
                                          "ready_s": round(time.time() - t0, 3)}))
                        return 0
        except (OSError, ConnectionError, struct.error):
            pass
        time.sleep(POLL_S)
    print(f"probe: {args.bootstrap} did not serve within {args.deadline_s} s", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
