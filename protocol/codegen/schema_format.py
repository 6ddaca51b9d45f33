"""Samsa's protocol schema format: parser and model.

A schema file holds one or more messages. Each message starts at column 0:

    request ProduceRequest key=0 versions=0-11 flexible=9+ deprecated=0-6 listeners=zkBroker,broker
      TransactionalId string 3+ nullable=3+ default=null entity=transactionalId
      TopicData []TopicProduceData 0+
        Name string 0+ entity=topicName mapkey
    struct SomeCommonStruct versions=0+
      Field int32 0+

Field lines are indented two spaces per level: `<Name> <type> <versions> [attributes]`.
Children of a field define its struct type inline. A column-0 `struct` line defines a
common struct of the message above it. See protocol/schema/README.md.
"""
import re

PRIMITIVES = {"bool", "int8", "int16", "uint16", "int32", "uint32", "int64", "float64",
              "uuid", "string", "bytes", "records"}
FIXED_SIZE = {"bool": 1, "int8": 1, "int16": 2, "uint16": 2, "int32": 4, "uint32": 4,
              "int64": 8, "float64": 8, "uuid": 16}
MESSAGE_KINDS = {"request", "response", "header", "data", "metadata"}
FLAGS = {"ignorable", "mapkey", "zerocopy"}
FIELD_ATTRS = {"nullable", "default", "entity", "tag", "tagged", "flexible"}
MAX_VERSION = 0x7FFF


class SchemaError(Exception):
    pass


class Versions:
    """A closed interval of versions; hi is None for an open range ("3+"); empty for "none"."""

    def __init__(self, lo, hi, text):
        self.lo, self.hi, self.text = lo, hi, text

    @staticmethod
    def parse(text):
        if text == "none":
            return Versions(1, 0, text)
        m = re.fullmatch(r"(\d+)(\+|-(\d+))?", text)
        if not m:
            raise SchemaError("bad version range %r" % text)
        lo = int(m.group(1))
        if m.group(2) == "+":
            return Versions(lo, None, text)
        if m.group(3) is not None:
            return Versions(lo, int(m.group(3)), text)
        return Versions(lo, lo, text)

    @property
    def high(self):
        return MAX_VERSION if self.hi is None else self.hi

    def empty(self):
        return self.lo > self.high

    def intersect(self, other):
        lo, hi = max(self.lo, other.lo), min(self.high, other.high)
        return Versions(lo, hi, "%d-%d" % (lo, hi))

    def contains(self, v):
        return self.lo <= v <= self.high

    def __eq__(self, other):
        return (self.empty() and other.empty()) or (self.lo, self.high) == (other.lo, other.high)

    def __repr__(self):
        return self.text


class Field:
    def __init__(self, name, type_, versions, attrs, flags, line):
        self.name = name
        self.type = type_
        self.versions = Versions.parse(versions)
        self.versions_text = versions
        self.attrs = attrs
        self.flags = flags
        self.line = line
        self.fields = []  # inline struct definition
        self.nullable = Versions.parse(attrs["nullable"]) if "nullable" in attrs else Versions.parse("none")
        self.tagged = Versions.parse(attrs["tagged"]) if "tagged" in attrs else Versions.parse("none")
        self.tag = int(attrs["tag"]) if "tag" in attrs else None
        self.flexible = Versions.parse(attrs["flexible"]) if "flexible" in attrs else None
        self.default = attrs.get("default")  # (kind, text) or None

    @property
    def is_array(self):
        return self.type.startswith("[]")

    @property
    def element_type(self):
        return self.type[2:] if self.is_array else self.type

    @property
    def is_struct(self):
        return self.element_type not in PRIMITIVES

    def __repr__(self):
        return "Field(%s %s)" % (self.name, self.type)


class Struct:
    def __init__(self, name, versions, fields):
        self.name = name
        self.versions = versions
        self.fields = fields


class Message:
    def __init__(self, kind, name, attrs, flags, line):
        self.kind = kind
        self.name = name
        self.line = line
        self.api_key = int(attrs["key"]) if "key" in attrs else None
        self.versions = Versions.parse(attrs["versions"])
        self.versions_text = attrs["versions"]
        self.flexible = Versions.parse(attrs["flexible"])
        self.flexible_text = attrs["flexible"]
        self.deprecated = attrs.get("deprecated")
        self.listeners = attrs["listeners"].split(",") if "listeners" in attrs else None
        self.unstable_latest = "unstable-latest" in flags
        self.fields = []
        self.common_structs = []


def _tokenize(text, where):
    tokens, i, n = [], 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        j = i
        while j < n and not text[j].isspace():
            if text[j] == '"':
                j += 1
                while j < n and text[j] != '"':
                    j += 2 if text[j] == "\\" else 1
                if j >= n:
                    raise SchemaError("%s: unterminated string" % where)
            j += 1
        tokens.append(text[i:j])
        i = j
    return tokens


def _parse_value(text):
    """Returns ("string", text) for a quoted literal, ("bare", text) otherwise."""
    if text.startswith('"'):
        body = text[1:-1]
        return ("string", re.sub(r"\\(.)", r"\1", body))
    return ("bare", text)


def _parse_attrs(tokens, where, allowed_attrs, allowed_flags):
    attrs, flags = {}, set()
    for tok in tokens:
        if "=" in tok:
            k, v = tok.split("=", 1)
            if k not in allowed_attrs:
                raise SchemaError("%s: unknown attribute %r" % (where, k))
            attrs[k] = _parse_value(v) if k == "default" else v
        else:
            if tok not in allowed_flags:
                raise SchemaError("%s: unknown flag %r" % (where, tok))
            flags.add(tok)
    return attrs, flags


def parse_schema(text, filename="<schema>"):
    messages = []
    stack = []  # (indent, list-to-append-to)
    current = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        where = "%s:%d" % (filename, lineno)
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        if indent % 2:
            raise SchemaError("%s: indentation must be a multiple of two spaces" % where)
        tokens = _tokenize(raw.strip(), where)
        if indent == 0:
            if tokens[0] in MESSAGE_KINDS:
                attrs, flags = _parse_attrs(tokens[2:], where,
                                            {"key", "versions", "flexible", "deprecated", "listeners"},
                                            {"unstable-latest"})
                current = Message(tokens[0], tokens[1], attrs, flags, where)
                messages.append(current)
                stack = [(0, current.fields)]
            elif tokens[0] == "struct":
                if current is None:
                    raise SchemaError("%s: struct before any message" % where)
                attrs, _ = _parse_attrs(tokens[2:], where, {"versions"}, set())
                struct = Struct(tokens[1], Versions.parse(attrs["versions"]), [])
                current.common_structs.append(struct)
                stack = [(0, struct.fields)]
            else:
                raise SchemaError("%s: expected request/response/header/data/struct" % where)
            continue
        depth = indent // 2
        if depth > len(stack):
            raise SchemaError("%s: indented too far" % where)
        stack = stack[:depth]
        if len(tokens) < 3:
            raise SchemaError("%s: a field needs a name, a type and versions" % where)
        attrs, flags = _parse_attrs(tokens[3:], where, FIELD_ATTRS, FLAGS)
        field = Field(tokens[0], tokens[1], tokens[2], attrs, flags, where)
        stack[-1][1].append(field)
        stack.append((depth, field.fields))
    return messages


def snake_case(name):
    name = name.replace("KRaft", "Kraft")
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", s)
    return s.lower()


def format_default(value, type_):
    """Formats a default from Kafka's JSON for a schema file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if type_ == "string" and text != "null":
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text
