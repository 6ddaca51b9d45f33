#!/usr/bin/env python3
"""A TCP tap for the Kafka protocol: listens on loopback, forwards every
connection to the broker, and records every request frame a client sends and
every response frame the broker returns, one hex line each:

    <connection> req|resp <hex of the frame without its 4-byte size>

    kafka_tap.py --port-file tap.port --upstream-port-file broker.port --out frames.txt

The tap binds first (writing its port to --port-file) so that the broker can
advertise the tap's address; it connects upstream once --upstream-port-file
holds the broker's port. Stops on SIGTERM.
"""
import argparse
import asyncio
import os
import signal
import sys


async def pump(reader, writer, conn, kind, out):
    buf = b""
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
            buf += data
            while len(buf) >= 4:
                size = int.from_bytes(buf[:4], "big", signed=True)
                if size < 0 or len(buf) < 4 + size:
                    break
                out.write("%d %s %s\n" % (conn, kind, buf[4:4 + size].hex()))
                out.flush()
                buf = buf[4 + size:]
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def upstream_port(path):
    for _ in range(600):
        if os.path.exists(path):
            text = open(path).read().strip()
            if text:
                return int(text)
        await asyncio.sleep(0.05)
    raise SystemExit("kafka_tap: no upstream port in %s after 30 s" % path)


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--upstream-port-file", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    out = open(args.out, "a")
    counter = [0]

    async def handle(client_reader, client_writer):
        counter[0] += 1
        conn = counter[0]
        port = await upstream_port(args.upstream_port_file)
        broker_reader, broker_writer = await asyncio.open_connection("127.0.0.1", port)
        await asyncio.gather(pump(client_reader, broker_writer, conn, "req", out),
                             pump(broker_reader, client_writer, conn, "resp", out))

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(port))
    os.replace(args.port_file + ".tmp", args.port_file)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with server:
        await stop.wait()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
