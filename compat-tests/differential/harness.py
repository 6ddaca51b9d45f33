"""Differential harness: talk to a broker over raw sockets and record what a client observes.

A scenario is a function decorated with @scenario that receives a Broker and returns a list of
Case(label, version, observation). It runs once against Kafka and once against Samsa; diff.py
normalises and compares the observations. A scenario must only use the Broker it is given and
must leave the broker as it found it unless it is marked mutates=True (those run last).

Observations are plain JSON-able dicts made by Broker.call / Broker.exchange:
  {"outcome": "response", "body": {...}}              decoded with Kafka's schema, mapKey arrays keyed
  {"outcome": "closed"}                                the broker closed the connection, no response
  {"outcome": "no response"}                           nothing within the wait, connection still open
  {"outcome": "undecodable", "error": ..., "raw": hex} bytes that Kafka's schema cannot decode
plus, where a scenario asks for it, "then": "open"|"closed" (is the connection still usable after).
"""
import socket
import struct
import time

import kwire
import normalise

REGISTRY = []
RESPONSE_WAIT_S = 5.0
SILENCE_WAIT_S = 1.5          # how long "no response" must last to be recorded as such
CLIENT_ID = "samsa-differential"


class Case:
    def __init__(self, label, version, observation):
        self.label, self.version, self.observation = label, version, observation


def scenario(name, mutates=False):
    """Registers a scenario. name is 'area.what', e.g. 'metadata.unknown_topic'."""
    def register(fn):
        REGISTRY.append({"name": name, "fn": fn, "mutates": mutates, "doc": (fn.__doc__ or "").strip()})
        return fn
    return register


class Connection:
    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port), timeout=RESPONSE_WAIT_S)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.closed = False

    def close(self):
        self.sock.close()

    def send(self, data, chunk=None):
        try:
            if chunk is None:
                self.sock.sendall(data)
            else:
                for i in range(0, len(data), chunk):
                    self.sock.sendall(data[i:i + chunk])
                    time.sleep(0.001)
            return True
        except OSError:
            self.closed = True
            return False

    def _fill(self, n, deadline):
        while len(self.buf) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                return "timeout"
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return "timeout"
            except OSError:
                self.closed = True
                return "closed"
            if not chunk:
                self.closed = True
                return "closed"
            self.buf += chunk
        return None

    def recv_frame(self, wait_s=RESPONSE_WAIT_S):
        """-> ("frame", payload) | ("closed", leftover bytes) | ("timeout", leftover bytes)."""
        deadline = time.monotonic() + wait_s
        err = self._fill(4, deadline)
        if err:
            return err, self.buf
        size = struct.unpack(">i", self.buf[:4])[0]
        if size < 0:
            return "undecodable-size", self.buf
        err = self._fill(4 + size, deadline)
        if err:
            return err, self.buf
        payload, self.buf = self.buf[4:4 + size], self.buf[4 + size:]
        return "frame", payload


class Broker:
    """One broker under test: 'kafka' or 'samsa', reachable at host:port, node id node_id."""

    def __init__(self, name, host, port, node_id, schemas):
        self.name, self.host, self.port, self.node_id = name, host, port, node_id
        self.schemas = schemas
        self._correlation = 0

    def connect(self):
        return Connection(self.host, self.port)

    def next_correlation(self):
        self._correlation += 1
        return self._correlation

    def versions(self, api_key, extra_above=1):
        """Every version in Kafka's schema for this API, plus `extra_above` versions past the top."""
        lo, hi = self.schemas.requests[api_key].valid
        return list(range(lo, hi + 1 + extra_above))

    def request_frame(self, api_key, version, body, correlation_id=None, client_id=CLIENT_ID, **kw):
        cid = self.next_correlation() if correlation_id is None else correlation_id
        schema_hi = self.schemas.requests[api_key].valid[1]
        if version > schema_hi and "body_version" not in kw:
            kw["body_version"] = schema_hi   # too new for the schema: send the newest body we know
        return cid, self.schemas.encode_request(api_key, version, cid, client_id, body, **kw)

    def call(self, api_key, version, body=None, check_after=False, response_version=None,
             response_header_version=None, conn=None, **kw):
        """Sends one request on a new connection (or `conn`) and observes the answer."""
        cid, frame = self.request_frame(api_key, version, body or {}, **kw)
        return self.exchange(frame, api_key, response_version if response_version is not None else version,
                             cid, check_after=check_after, conn=conn,
                             response_header_version=response_header_version)

    def exchange(self, frame, api_key, version, correlation_id, check_after=False, conn=None,
                 chunk=None, response_header_version=None):
        """Sends raw bytes and observes what comes back, decoding it as api_key/version."""
        own = conn is None
        conn = conn or self.connect()
        try:
            conn.send(frame, chunk=chunk)
            obs = self.observe(conn, api_key, version, correlation_id, response_header_version)
            if check_after and obs["outcome"] != "no response":   # a pending frame would swallow the probe
                obs["then"] = self.still_open(conn)
            return obs
        finally:
            if own:
                conn.close()

    def observe(self, conn, api_key, version, correlation_id, response_header_version=None):
        kind, payload = conn.recv_frame(RESPONSE_WAIT_S if api_key is not None else SILENCE_WAIT_S)
        if kind == "closed":
            return {"outcome": "closed"} if not payload else {"outcome": "closed", "partial": payload.hex()}
        if kind == "timeout":
            return {"outcome": "no response"}
        if kind != "frame":
            return {"outcome": "undecodable", "error": kind, "raw": payload.hex()[:400]}
        return self.decode(payload, api_key, version, correlation_id, response_header_version)

    def decode(self, payload, api_key, version, correlation_id, response_header_version=None):
        if api_key is None:
            return {"outcome": "response", "raw": payload.hex()[:400]}
        answered_as = None
        try:
            cid, body = self.schemas.decode_response(api_key, version, payload, response_header_version)
        except (kwire.DecodeError, KeyError, ValueError) as e:
            if api_key != 18 or version == 0:
                return {"outcome": "undecodable", "error": str(e), "raw": payload.hex()[:400]}
            try:   # KIP-511: a broker answers an ApiVersions version it lacks in v0 format
                cid, body = self.schemas.decode_response(api_key, 0, payload, 0)
                answered_as, version = "v0", 0
            except (kwire.DecodeError, KeyError, ValueError):
                return {"outcome": "undecodable", "error": str(e), "raw": payload.hex()[:400]}
        msg = self.schemas.responses[api_key]
        body = kwire.keyed(msg, msg.spec["fields"], normalise.normalise(body, self), version)
        obs = {"outcome": "response", "body": body}
        if answered_as:
            obs["answered as"] = answered_as
        if cid != correlation_id:
            obs["correlation_id"] = f"{cid} (sent {correlation_id})"
        return obs

    def still_open(self, conn):
        """Whether `conn` still answers an ApiVersions v0 request."""
        cid = self.next_correlation()
        frame = self.schemas.encode_request(18, 0, cid, CLIENT_ID, {})
        if not conn.send(frame):
            return "closed"
        kind, _ = conn.recv_frame(RESPONSE_WAIT_S)
        return "open" if kind == "frame" else ("closed" if kind == "closed" else "no response")
