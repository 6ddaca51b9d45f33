"""A tiny Kafka wire codec driven by Apache Kafka's own message schemas.

The schemas are the JSON files (common/message/*.json) inside the kafka-clients jar of the Kafka
version the harness runs against, so requests are encoded and responses decoded exactly as that
Kafka defines them, independently of Samsa's own schema files and code generator.

    schemas = Schemas.from_jar(".../kafka-clients-4.4.0.jar")
    frame = schemas.encode_request(api_key=3, version=12, correlation_id=7, client_id="x",
                                   body={"Topics": None, "AllowAutoTopicCreation": False})
    body = schemas.decode_response(3, 12, payload_after_size)   # -> (correlation_id, dict)

Values: ints, bools, floats as Python numbers; strings as str (None for null); bytes and records
as lowercase hex (None for null); uuids as Kafka's base64url text (22 chars); arrays as lists;
structs as dicts keyed by the schema's field names. Unknown tagged fields decode into
"_unknown_tags" ({tag: hex}). Absent fields are filled with the schema default when encoding.
"""
import base64
import json
import re
import struct
import zipfile


class DecodeError(Exception):
    pass


# ---------------------------------------------------------------- versions and schema loading

def parse_versions(text):
    """'0+' -> (0, 32767); '3-5' -> (3, 5); '7' -> (7, 7); 'none'/None -> None."""
    if text is None or text == "none":
        return None
    if text.endswith("+"):
        return (int(text[:-1]), 0x7FFF)
    if "-" in text:
        lo, hi = text.split("-")
        return (int(lo), int(hi))
    return (int(text), int(text))


def in_range(rng, v):
    return rng is not None and rng[0] <= v <= rng[1]


def strip_comments(text):
    # Kafka's schema files carry // comments, outside of strings only.
    out = []
    for line in text.splitlines():
        in_str = False
        for i, ch in enumerate(line):
            if ch == '"' and (i == 0 or line[i - 1] != "\\"):
                in_str = not in_str
            if not in_str and line.startswith("//", i):
                line = line[:i]
                break
        out.append(line)
    return "\n".join(out)


class Message:
    def __init__(self, spec):
        self.spec = spec
        self.name = spec["name"]
        self.api_key = spec.get("apiKey")
        self.type = spec["type"]
        self.valid = parse_versions(spec["validVersions"])
        self.flexible = parse_versions(spec.get("flexibleVersions", "none"))
        self.common = {s["name"]: s for s in spec.get("commonStructs", [])}

    def struct_fields(self, field):
        if "fields" in field:
            return field["fields"]
        name = field["type"][2:] if field["type"].startswith("[]") else field["type"]
        return self.common[name]["fields"]


class Schemas:
    def __init__(self, specs):
        self.requests, self.responses, self.headers = {}, {}, {}
        for spec in specs:
            m = Message(spec)
            if m.type == "request" and m.api_key is not None:
                self.requests[m.api_key] = m
            elif m.type == "response" and m.api_key is not None:
                self.responses[m.api_key] = m
            elif m.type == "header":
                self.headers[m.name] = m

    @classmethod
    def from_jar(cls, jar_path):
        specs = []
        with zipfile.ZipFile(jar_path) as z:
            for name in z.namelist():
                if re.match(r"common/message/[A-Za-z]+\.json$", name):
                    specs.append(json.loads(strip_comments(z.read(name).decode())))
        return cls(specs)

    def api_name(self, api_key):
        m = self.requests.get(api_key)
        return m.name[: -len("Request")] if m else f"api{api_key}"

    # ------------------------------------------------------------ frames

    def request_header_version(self, api_key, version):
        m = self.requests.get(api_key)
        flexible = m is not None and in_range(m.flexible, version)
        return 2 if flexible else 1

    def response_header_version(self, api_key, version):
        if api_key == 18:  # ApiVersions responses always use header v0 (KIP-511)
            return 0
        m = self.responses[api_key]
        return 1 if in_range(m.flexible, version) else 0

    def encode_request(self, api_key, version, correlation_id, client_id, body, header_tags=None,
                       body_version=None):
        """The whole frame, size prefix included. body_version encodes the body at another version
        than the header announces (for deliberately mismatched requests)."""
        w = Writer()
        w.int16(api_key)
        w.int16(version)
        w.int32(correlation_id)
        w.nullable_string(client_id)   # never compact, even in header v2
        if self.request_header_version(api_key, version) >= 2:
            w.tagged_raw(header_tags or {})
        m = self.requests[api_key]
        bv = version if body_version is None else body_version
        encode_struct(w, m, m.spec["fields"], body, bv, in_range(m.flexible, bv))
        payload = w.getvalue()
        return struct.pack(">i", len(payload)) + payload

    def decode_response(self, api_key, version, payload, header_version=None):
        """payload: the bytes after the size prefix. Returns (correlation_id, body dict)."""
        r = Reader(payload)
        correlation_id = r.int32()
        hv = self.response_header_version(api_key, version) if header_version is None else header_version
        if hv >= 1:
            r.tagged_skip_all()
        m = self.responses[api_key]
        body = decode_struct(r, m, m.spec["fields"], version, in_range(m.flexible, version))
        if r.remaining():
            raise DecodeError(f"{r.remaining()} trailing bytes after {m.name} v{version}")
        return correlation_id, body


# ---------------------------------------------------------------- primitives

class Writer:
    def __init__(self):
        self.buf = bytearray()

    def getvalue(self):
        return bytes(self.buf)

    def int8(self, v): self.buf += struct.pack(">b", v)
    def int16(self, v): self.buf += struct.pack(">h", v)
    def uint16(self, v): self.buf += struct.pack(">H", v)
    def int32(self, v): self.buf += struct.pack(">i", v)
    def uint32(self, v): self.buf += struct.pack(">I", v)
    def int64(self, v): self.buf += struct.pack(">q", v)
    def float64(self, v): self.buf += struct.pack(">d", v)

    def uvarint(self, v):
        while v >= 0x80:
            self.buf.append((v & 0x7F) | 0x80)
            v >>= 7
        self.buf.append(v)

    def nullable_string(self, s):
        if s is None:
            self.int16(-1)
        else:
            b = s.encode()
            self.int16(len(b))
            self.buf += b

    def tagged_raw(self, tags):
        self.uvarint(len(tags))
        for tag in sorted(tags):
            self.uvarint(tag)
            self.uvarint(len(tags[tag]))
            self.buf += tags[tag]


class Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n):
        if n < 0 or self.pos + n > len(self.data):
            raise DecodeError(f"need {n} bytes at {self.pos}, have {len(self.data) - self.pos}")
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return b

    def remaining(self): return len(self.data) - self.pos
    def int8(self): return struct.unpack(">b", self.take(1))[0]
    def int16(self): return struct.unpack(">h", self.take(2))[0]
    def uint16(self): return struct.unpack(">H", self.take(2))[0]
    def int32(self): return struct.unpack(">i", self.take(4))[0]
    def uint32(self): return struct.unpack(">I", self.take(4))[0]
    def int64(self): return struct.unpack(">q", self.take(8))[0]
    def float64(self): return struct.unpack(">d", self.take(8))[0]

    def uvarint(self):
        shift, v = 0, 0
        while True:
            b = self.take(1)[0]
            v |= (b & 0x7F) << shift
            if not b & 0x80:
                return v
            shift += 7
            if shift > 28:
                raise DecodeError("varint too long")

    def tagged_skip_all(self):
        for _ in range(self.uvarint()):
            self.uvarint()
            self.take(self.uvarint())


# ---------------------------------------------------------------- schema-driven encode/decode

PRIMITIVES = {"bool", "int8", "int16", "uint16", "int32", "uint32", "int64", "float64", "string",
              "bytes", "records", "uuid"}


def uuid_text(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def uuid_bytes(text):
    return base64.urlsafe_b64decode(text + "==")


ZERO_UUID = uuid_text(bytes(16))


def default_value(msg, field, version):
    t, d = field["type"], field.get("default")
    if d is not None and not isinstance(d, str):   # a few schemas write JSON numbers and booleans
        d = json.dumps(d)
    nullable = in_range(parse_versions(field.get("nullableVersions")), version)
    if d == "null":
        return None
    if t.startswith("[]"):
        return []
    if t in ("int8", "int16", "uint16", "int32", "uint32", "int64"):
        return int(d, 0) if d not in (None, "") else 0
    if t == "float64":
        return float(d) if d else 0.0
    if t == "bool":
        return d == "true"
    if t == "string":
        return d if d is not None else ""
    if t in ("bytes", "records"):
        return None if nullable else ""
    if t == "uuid":
        return ZERO_UUID
    return {f["name"]: default_value(msg, f, version) for f in msg.struct_fields(field)
            if in_range(parse_versions(f.get("versions")), version)}


def encode_value(w, msg, field, t, value, version, flexible, nullable):
    if t.startswith("[]"):
        if value is None:
            if not nullable:
                raise ValueError(f"{field['name']} is not nullable at v{version}")
            w.uvarint(0) if flexible else w.int32(-1)
            return
        w.uvarint(len(value) + 1) if flexible else w.int32(len(value))
        inner = t[2:]
        for item in value:
            if inner in PRIMITIVES:
                encode_value(w, msg, field, inner, item, version, flexible, False)
            else:
                encode_struct(w, msg, msg.struct_fields(field), item, version, flexible)
        return
    if t == "bool": w.int8(1 if value else 0)
    elif t == "int8": w.int8(value)
    elif t == "int16": w.int16(value)
    elif t == "uint16": w.uint16(value)
    elif t == "int32": w.int32(value)
    elif t == "uint32": w.uint32(value)
    elif t == "int64": w.int64(value)
    elif t == "float64": w.float64(value)
    elif t == "uuid": w.buf += uuid_bytes(value)
    elif t in ("string", "bytes", "records"):
        if value is None:
            if not nullable:
                raise ValueError(f"{field['name']} is not nullable at v{version}")
            w.uvarint(0) if flexible else (w.int16(-1) if t == "string" else w.int32(-1))
            return
        b = value.encode() if t == "string" else bytes.fromhex(value)
        if flexible:
            w.uvarint(len(b) + 1)
        else:
            w.int16(len(b)) if t == "string" else w.int32(len(b))
        w.buf += b
    else:  # a single struct
        if nullable:
            if value is None:
                w.int8(-1)
                return
            w.int8(1)
        encode_struct(w, msg, msg.struct_fields(field), value, version, flexible)


def encode_struct(w, msg, fields, values, version, flexible):
    values = values or {}
    tagged = {}
    for f in fields:
        if not in_range(parse_versions(f.get("versions")), version):
            continue
        value = values.get(f["name"], default_value(msg, f, version))
        nullable = in_range(parse_versions(f.get("nullableVersions")), version)
        if flexible and in_range(parse_versions(f.get("taggedVersions")), version):
            if value != default_value(msg, f, version):
                tw = Writer()
                encode_value(tw, msg, f, f["type"], value, version, True, nullable)
                tagged[f["tag"]] = tw.getvalue()
            continue
        encode_value(w, msg, f, f["type"], value, version, flexible, nullable)
    if flexible:
        for tag, raw in values.get("_unknown_tags", {}).items():
            tagged[int(tag)] = bytes.fromhex(raw)
        w.tagged_raw(tagged)


def decode_value(r, msg, field, t, version, flexible, nullable):
    if t.startswith("[]"):
        n = r.uvarint() - 1 if flexible else r.int32()
        if n < 0:
            if not nullable:
                raise DecodeError(f"null {field['name']} is not nullable at v{version}")
            return None
        if n > r.remaining():
            raise DecodeError(f"{field['name']}: {n} elements with {r.remaining()} bytes left")
        inner = t[2:]
        if inner in PRIMITIVES:
            return [decode_value(r, msg, field, inner, version, flexible, False) for _ in range(n)]
        return [decode_struct(r, msg, msg.struct_fields(field), version, flexible) for _ in range(n)]
    if t == "bool":
        b = r.int8()
        if b not in (0, 1):
            raise DecodeError(f"bool {field['name']} is {b}")
        return b == 1
    if t == "int8": return r.int8()
    if t == "int16": return r.int16()
    if t == "uint16": return r.uint16()
    if t == "int32": return r.int32()
    if t == "uint32": return r.uint32()
    if t == "int64": return r.int64()
    if t == "float64": return r.float64()
    if t == "uuid": return uuid_text(r.take(16))
    if t in ("string", "bytes", "records"):
        if flexible:
            n = r.uvarint() - 1
        else:
            n = r.int16() if t == "string" else r.int32()
        if n < 0:
            if not nullable:
                raise DecodeError(f"null {field['name']} is not nullable at v{version}")
            return None
        b = r.take(n)
        if t == "string":
            try:
                return b.decode()
            except UnicodeDecodeError:
                raise DecodeError(f"{field['name']} is not UTF-8: {b.hex()}")
        return b.hex()
    if nullable:
        marker = r.int8()
        if marker < 0:
            return None
    return decode_struct(r, msg, msg.struct_fields(field), version, flexible)


def decode_struct(r, msg, fields, version, flexible):
    out, by_tag = {}, {}
    for f in fields:
        if not in_range(parse_versions(f.get("versions")), version):
            continue
        nullable = in_range(parse_versions(f.get("nullableVersions")), version)
        if flexible and in_range(parse_versions(f.get("taggedVersions")), version):
            by_tag[f["tag"]] = (f, nullable)
            out[f["name"]] = default_value(msg, f, version)
            continue
        out[f["name"]] = decode_value(r, msg, f, f["type"], version, flexible, nullable)
    if flexible:
        unknown = {}
        for _ in range(r.uvarint()):
            tag, size = r.uvarint(), r.uvarint()
            raw = r.take(size)
            if tag in by_tag:
                f, nullable = by_tag[tag]
                sub = Reader(raw)
                out[f["name"]] = decode_value(sub, msg, f, f["type"], version, True, nullable)
                if sub.remaining():
                    raise DecodeError(f"tagged {f['name']}: {sub.remaining()} trailing bytes")
            else:
                unknown[tag] = raw.hex()
        if unknown:
            out["_unknown_tags"] = unknown
    return out


def keyed(msg, fields, value, version):
    """The decoded struct `value` with every array of structs that has a mapKey field (ApiKeys by
    ApiKey, Brokers by NodeId, Topics by Name, ...) turned into a dict {"ApiKey=18": struct}, in
    order, so that differences name the element instead of a list index. Duplicate keys keep
    their list index as a suffix."""
    if not isinstance(value, dict):
        return value
    out = dict(value)
    for f in fields:
        name = f["name"]
        if name not in value or not in_range(parse_versions(f.get("versions")), version):
            continue
        t = f["type"]
        inner = t[2:] if t.startswith("[]") else t
        if inner in PRIMITIVES:
            continue
        sub_fields = msg.struct_fields(f)
        v = value[name]
        if t.startswith("[]") and isinstance(v, list):
            items = [keyed(msg, sub_fields, x, version) for x in v]
            key_field = next((s["name"] for s in sub_fields if s.get("mapKey")), None)
            if key_field:
                d = {}
                for i, x in enumerate(items):
                    k = f"{key_field}={x.get(key_field)}"
                    d[k if k not in d else f"{k}#{i}"] = x
                out[name] = d
            else:
                out[name] = items
        elif isinstance(v, dict):
            out[name] = keyed(msg, sub_fields, v, version)
    return out
