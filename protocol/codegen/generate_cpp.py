#!/usr/bin/env python3
"""Generates C++ encoders and decoders from protocol/schema/*.schema.

    generate_cpp.py --schema-dir protocol/schema --out-dir <build>/protocol/generated

For every schema file <stem>.schema it writes <stem>.h and <stem>.cc (the
message types with decode/encode/encoded_size) and testing/<stem>_random.cc
(random values for round-trip tests, linked only into tests). It also writes
api_registry.h/.cc (versions of every API) and testing/registry.h/.cc (a
type-erased table used by tests and fuzzers). Output is written only when it
changes, so an unchanged schema does not trigger recompilation.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from schema_format import FIXED_SIZE, MAX_VERSION, SchemaError, Versions, parse_schema, snake_case  # noqa: E402

CPP_KEYWORDS = {
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch",
    "char", "class", "compl", "concept", "const", "consteval", "constexpr", "const_cast", "continue", "co_await",
    "co_return", "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast", "else", "enum",
    "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if", "inline", "int", "long",
    "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "operator", "or", "or_eq", "private",
    "protected", "public", "register", "reinterpret_cast", "requires", "return", "short", "signed", "sizeof",
    "static", "static_assert", "static_cast", "struct", "switch", "template", "this", "thread_local", "throw",
    "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using", "virtual", "void", "volatile",
    "wchar_t", "while", "xor", "xor_eq", "decode", "encode", "encoded_size", "unknown_tagged_fields",
}

CPP_FIXED = {"bool": "bool", "int8": "int8_t", "int16": "int16_t", "uint16": "uint16_t", "int32": "int32_t",
             "uint32": "uint32_t", "int64": "int64_t", "float64": "double", "uuid": "::samsa::uuid"}
READ_FIXED = {"bool": "read_bool", "int8": "read_int8", "int16": "read_int16", "uint16": "read_uint16",
              "int32": "read_int32", "uint32": "read_uint32", "int64": "read_int64", "float64": "read_float64",
              "uuid": "read_uuid"}
WRITE_FIXED = {k: v.replace("read_", "write_") for k, v in READ_FIXED.items()}
NS = "::samsa::protocol"


def member_name(field_name):
    n = snake_case(field_name)
    return n + "_" if n in CPP_KEYWORDS else n


def type_name(message_name):
    return snake_case(message_name)


def file_stem_of(path):
    return os.path.splitext(os.path.basename(path))[0]


def cond(vs, within, var="_version"):
    """A C++ condition for `var in vs`, knowing var is in `within`; None means always."""
    eff = vs.intersect(within)
    if vs.empty() or eff.empty():
        return "false"
    parts = []
    if eff.lo > within.lo:
        parts.append("%s >= %d" % (var, eff.lo))
    if eff.high < within.high:
        parts.append("%s <= %d" % (var, eff.high))
    return " && ".join(parts) if parts else None


def cond_expr(vs, within):
    c = cond(vs, within)
    return "true" if c is None else c


def untagged_versions(f):
    if f.tagged.empty():
        return f.versions
    if f.tagged == f.versions:
        return Versions.parse("none")
    if f.tagged.high == f.versions.high and f.tagged.lo > f.versions.lo:
        return Versions(f.versions.lo, f.tagged.lo - 1, "%d-%d" % (f.versions.lo, f.tagged.lo - 1))
    raise SchemaError("%s: tagged versions %s of %s not a suffix of %s" % (f.line, f.tagged, f.name, f.versions))


def cpp_literal(f, ctype):
    kind, text = f.default
    if text == "null" and kind == "bare":
        return None
    if f.element_type == "string" and not f.is_array:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if ctype == "bool":
        if text.lower() not in ("true", "false"):
            raise SchemaError("%s: bad bool default %r" % (f.line, text))
        return text.lower()
    if ctype == "double":
        return text if "." in text else text + ".0"
    if ctype.endswith("int64_t") and text.lstrip("-").isdigit() and int(text) < -(2 ** 31):
        return "INT64_C(%s)" % text
    return "static_cast<%s>(%s)" % (ctype, text) if text.startswith("-") else text


class StructDef:
    def __init__(self, name, fields, versions, message):
        self.name = name
        self.fields = fields
        self.versions = versions
        self.message = message
        self.is_message = False

    @property
    def cpp(self):
        return self.name


class Generator:
    def __init__(self, message, stem):
        self.m = message
        self.stem = stem
        self.top = StructDef(type_name(message.name), message.fields, message.versions, message)
        self.top.is_message = True
        self.structs = {}
        self.order = []
        common = {s.name: s for s in message.common_structs}
        self.common = common
        for s in message.common_structs:
            self._register(StructDef(s.name, s.fields, message.versions.intersect(s.versions), message))
        self._collect(message.fields, message.versions)
        self._sort()
        # Structs held in std::optional need a constructor declared out of line:
        # clang cannot use a nested struct's default member initializers before
        # the enclosing class is complete (CWG 1397), so optional<T> would see
        # T as not default-constructible.
        self.optional_structs = set()

        def find_optional(fields):
            for f in fields:
                if f.is_struct and not f.is_array and not f.nullable.empty():
                    self.optional_structs.add(f.element_type)
                find_optional(f.fields)
        find_optional(message.fields)
        for st in message.common_structs:
            find_optional(st.fields)

    def _register(self, sd):
        if sd.name in self.structs:
            raise SchemaError("%s: struct %s defined twice" % (self.m.line, sd.name))
        self.structs[sd.name] = sd

    def _collect(self, fields, versions):
        names = set()
        for f in fields:
            mn = member_name(f.name)
            if mn in names:
                raise SchemaError("%s: duplicate member %s" % (f.line, mn))
            names.add(mn)
            if f.is_struct:
                if f.fields:
                    sd = StructDef(f.element_type, f.fields, versions.intersect(f.versions), self.m)
                    self._register(sd)
                    self._collect(f.fields, sd.versions)
                elif f.element_type not in self.common:
                    raise SchemaError("%s: unknown struct type %s" % (f.line, f.element_type))
        return names

    def _sort(self):
        done, order = set(), []

        def visit(name, stack):
            if name in done:
                return
            if name in stack:
                raise SchemaError("%s: recursive struct %s" % (self.m.line, name))
            for f in self.structs[name].fields:
                if f.is_struct:
                    visit(f.element_type, stack | {name})
            done.add(name)
            order.append(self.structs[name])

        for s in self.m.common_structs:
            visit(s.name, set())
        for name in list(self.structs):
            visit(name, set())
        self.order = order

    # ---- types -----------------------------------------------------------------------------
    def struct_cpp(self, name):
        return "%s::%s" % (self.top.cpp, name)

    def member_type(self, f):
        nullable = not f.nullable.empty()
        et = f.element_type
        if f.is_array:
            if et in CPP_FIXED:
                inner = CPP_FIXED[et]
            elif et == "string":
                inner = "std::string"
            elif et == "bytes":
                inner = "std::vector<uint8_t>"
            elif et == "records":
                raise SchemaError("%s: arrays of records are not supported" % f.line)
            else:
                inner = et
            t = "std::vector<%s>" % inner
            return "std::optional<%s>" % t if nullable else t
        if et in CPP_FIXED:
            return CPP_FIXED[et]
        if et == "string":
            return "std::optional<std::string>" if nullable else "std::string"
        if et == "bytes":
            return "std::optional<std::vector<uint8_t>>" if nullable else "std::vector<uint8_t>"
        if et == "records":
            return NS + "::records"
        return "std::optional<%s>" % et if nullable else et

    def member_init(self, f):
        t = self.member_type(f)
        if f.default is None:
            if f.element_type in CPP_FIXED and not f.is_array and f.element_type != "uuid":
                return " = false" if f.element_type == "bool" else " = 0"
            if t.startswith("std::optional<") and f.element_type != "records":
                # Kafka's default for a nullable string/bytes/array without a declared default is empty, not null.
                if f.is_array or f.element_type in ("string", "bytes"):
                    return " = %s{}" % t[len("std::optional<"):-1]
            return ""
        lit = cpp_literal(f, t)
        if lit is None:
            return ""
        if f.is_array or f.element_type in ("bytes",):
            if lit not in ('""',):
                raise SchemaError("%s: unsupported default for %s" % (f.line, f.type))
            return ""
        if t.startswith("std::optional<"):
            return " = std::string(%s)" % lit
        return " = %s" % lit

    # ---- helpers -----------------------------------------------------------------------------
    def compact(self, f, sd):
        if f.flexible is not None:
            return cond_expr(f.flexible, sd.versions)
        return "_flexible"

    def nullable(self, f, vs):
        return cond_expr(f.nullable, vs)

    def fixed_min(self, et, compact):
        if et in FIXED_SIZE:
            return str(FIXED_SIZE[et])
        if et == "string":
            return "(%s ? 1 : 2)" % compact
        if et == "bytes":
            return "(%s ? 1 : 4)" % compact
        return "1"

    # ---- decode ------------------------------------------------------------------------------
    def decode_value(self, f, target, r, compact, nullable, tagged):
        """Statements that read field f (in versions where present) into target."""
        et = f.element_type
        ever_nullable = not f.nullable.empty()
        if f.is_array:
            out = ["{",
                   "  const int32_t _n = %s.read_array_length(%s, %s, %s);" % (
                       r, compact, nullable, self.fixed_min(et, compact)),
                   "  if (_n >= 0) {",
                   "    auto& _a = %s;" % (target + ".emplace()" if ever_nullable else target),
                   "    _a.clear();",
                   "    _a.reserve(static_cast<size_t>(std::min<int32_t>(_n, 1024)));",
                   "    for (int32_t _i = 0; _i < _n && %s.ok(); ++_i) {" % r]
            if et in READ_FIXED:
                out.append("      _a.push_back(%s.%s());" % (r, READ_FIXED[et]))
            elif et == "string":
                out.append("      %s.read_string(_a.emplace_back(), %s);" % (r, compact))
            elif et == "bytes":
                out.append("      %s.read_bytes(_a.emplace_back(), %s);" % (r, compact))
            else:
                out.append("      _a.emplace_back().decode(%s, _version);" % r)
            out += ["    }", "  }"]
            if ever_nullable:
                out += ["  else if (%s.ok()) {" % r, "    %s.reset();" % target, "  }"]
            out.append("}")
            return out
        if et in READ_FIXED:
            return ["%s = %s.%s();" % (target, r, READ_FIXED[et])]
        if et == "string":
            if ever_nullable:
                return ["%s.read_string(%s, %s, %s);" % (r, target, compact, nullable)]
            return ["%s.read_string(%s, %s);" % (r, target, compact)]
        if et == "bytes":
            if ever_nullable:
                return ["%s.read_bytes(%s, %s, %s);" % (r, target, compact, nullable)]
            return ["%s.read_bytes(%s, %s);" % (r, target, compact)]
        if et == "records":
            return ["%s.read_records(%s, %s, %s);" % (r, target, compact, nullable)]
        # struct
        if not ever_nullable:
            return ["%s.decode(%s, _version);" % (target, r)]
        marker = ("%s.read_uvarint() == 0" % r) if tagged else ("%s.read_int8() < 0" % r)
        return ["if (%s) {" % nullable,
                "  if (%s) {" % marker,
                "    %s.reset();" % target,
                "  } else {",
                "    %s.emplace().decode(%s, _version);" % (target, r),
                "  }",
                "} else {",
                "  %s.emplace().decode(%s, _version);" % (target, r),
                "}"]

    def tagged_fields(self, sd):
        fs = [f for f in sd.fields if not f.tagged.empty() and not f.versions.intersect(sd.versions).empty()]
        fs = [f for f in fs if not f.tagged.intersect(f.versions).intersect(sd.versions).empty()]
        tags = [f.tag for f in fs]
        if len(set(tags)) != len(tags):
            raise SchemaError("%s: duplicate tags in %s" % (self.m.line, sd.name))
        return sorted(fs, key=lambda f: f.tag)

    def flexible_decl(self, sd):
        return "[[maybe_unused]] const bool _flexible = %s;" % cond_expr(self.m.flexible, sd.versions)

    def gen_decode(self, sd):
        lines = [self.flexible_decl(sd)]
        for f in sd.fields:
            uv = untagged_versions(f)
            c = cond(uv, sd.versions)
            if c == "false":
                continue
            stmts = self.decode_value(f, "this->" + member_name(f.name), "_r", self.compact(f, sd),
                                      self.nullable(f, uv.intersect(sd.versions)), False)
            lines += self._guard(c, stmts)
        tagged = self.tagged_fields(sd)
        if cond(self.m.flexible, sd.versions) != "false":
            body = ["const uint32_t _tags = _r.read_tag_count();",
                    "for (uint32_t _i = 0; _i < _tags && _r.ok(); ++_i) {",
                    "  const uint32_t _tag = _r.read_uvarint();",
                    "  const uint32_t _size = _r.read_uvarint();",
                    "  %s::reader _t = _r.sub_reader(_size);" % NS,
                    "  if (!_r.ok()) break;",
                    "  switch (_tag) {"]
            for f in tagged:
                tv = f.tagged.intersect(f.versions)
                c = cond(tv, sd.versions)
                stmts = self.decode_value(f, "this->" + member_name(f.name), "_t", "true",
                                          self.nullable(f, tv.intersect(sd.versions)), True)
                body.append("    case %d:" % f.tag)
                if c is None:
                    body += ["      " + s for s in stmts]
                else:
                    body += ["      if (%s) {" % c] + ["        " + s for s in stmts] + [
                        "      } else {", "        _r.fail(%s::decode_error::invalid_tag);" % NS, "      }"]
                body.append("      break;")
            body += ["    default: {",
                     "      auto _raw = _t.read_span(_t.remaining());",
                     "      this->unknown_tagged_fields.push_back("
                     "{_tag, std::vector<uint8_t>(_raw.begin(), _raw.end())});",
                     "      break;",
                     "    }",
                     "  }",
                     "  if (!_t.ok()) _r.fail(_t.error());",
                     "}"]
            lines += self._guard(None if cond(self.m.flexible, sd.versions) is None else "_flexible", body)
        return lines

    @staticmethod
    def _guard(c, stmts):
        if c is None:
            return stmts
        return ["if (%s) {" % c] + ["  " + s for s in stmts] + ["}"]

    # ---- encode and size --------------------------------------------------------------------
    def encode_value(self, f, src, compact, nullable, tagged):
        et = f.element_type
        ever_nullable = not f.nullable.empty()
        if f.is_array:
            def body(a):
                out = ["_w.write_length(%s.size(), %s, false);" % (a, compact)]
                if et in WRITE_FIXED:
                    out.append("for (const auto& _e : %s) _w.%s(_e);" % (a, WRITE_FIXED[et]))
                elif et == "string":
                    out.append("for (const auto& _e : %s) _w.write_string(_e, %s);" % (a, compact))
                elif et == "bytes":
                    out.append("for (const auto& _e : %s) _w.write_bytes(_e, %s);" % (a, compact))
                else:
                    out.append("for (const auto& _e : %s) _e.encode(_w, _version);" % a)
                return out
            if not ever_nullable:
                return body(src)
            return ["if (!%s) {" % src,
                    "  if (%s) _w.write_null_length(%s, false); else _w.write_length(0, %s, false);" % (
                        nullable, compact, compact),
                    "} else {"] + ["  " + s for s in body("(*%s)" % src)] + ["}"]
        if et in WRITE_FIXED:
            return ["_w.%s(%s);" % (WRITE_FIXED[et], src)]
        if et == "string":
            if ever_nullable:
                return ["_w.write_string(%s, %s, %s);" % (src, compact, nullable)]
            return ["_w.write_string(%s, %s);" % (src, compact)]
        if et == "bytes":
            if ever_nullable:
                return ["_w.write_bytes(%s, %s, %s);" % (src, compact, nullable)]
            return ["_w.write_bytes(%s, %s);" % (src, compact)]
        if et == "records":
            return ["_w.write_records(%s, %s, %s);" % (src, compact, nullable)]
        if not ever_nullable:
            return ["%s.encode(_w, _version);" % src]
        if tagged:
            return ["_w.write_uvarint(1);", "%s->encode(_w, _version);" % src]
        return ["if (%s) {" % nullable,
                "  if (!%s) {" % src,
                "    _w.write_int8(-1);",
                "  } else {",
                "    _w.write_int8(1);",
                "    %s->encode(_w, _version);" % src,
                "  }",
                "} else if (%s) {" % src,
                "  %s->encode(_w, _version);" % src,
                "} else {",
                "  %s{}.encode(_w, _version);" % f.element_type,
                "}"]

    def size_value(self, f, src, compact, nullable, tagged, acc):
        et = f.element_type
        ever_nullable = not f.nullable.empty()
        if f.is_array:
            def body(a):
                out = ["%s += %s::length_size(%s.size(), %s, false);" % (acc, NS, a, compact)]
                if et in FIXED_SIZE:
                    out.append("%s += %s.size() * %d;" % (acc, a, FIXED_SIZE[et]))
                elif et == "string":
                    out.append("for (const auto& _e : %s) %s += %s::string_size(_e, %s);" % (a, acc, NS, compact))
                elif et == "bytes":
                    out.append("for (const auto& _e : %s) %s += %s::bytes_size(_e, %s);" % (a, acc, NS, compact))
                else:
                    out.append("for (const auto& _e : %s) %s += _e.encoded_size(_version);" % (a, acc))
                return out
            if not ever_nullable:
                return body(src)
            return ["if (!%s) {" % src,
                    "  %s += %s::length_size(0, %s, false);" % (acc, NS, compact),
                    "} else {"] + ["  " + s for s in body("(*%s)" % src)] + ["}"]
        if et in FIXED_SIZE:
            return ["%s += %d;" % (acc, FIXED_SIZE[et])]
        if et == "string":
            if ever_nullable:
                return ["%s += %s::string_size(%s, %s, %s);" % (acc, NS, src, compact, nullable)]
            return ["%s += %s::string_size(%s, %s);" % (acc, NS, src, compact)]
        if et == "bytes":
            if ever_nullable:
                return ["%s += %s::bytes_size(%s, %s, %s);" % (acc, NS, src, compact, nullable)]
            return ["%s += %s::bytes_size(%s, %s);" % (acc, NS, src, compact)]
        if et == "records":
            return ["%s += %s::records_size(%s, %s, %s);" % (acc, NS, src, compact, nullable)]
        if not ever_nullable:
            return ["%s += %s.encoded_size(_version);" % (acc, src)]
        if tagged:
            return ["%s += 1 + %s->encoded_size(_version);" % (acc, src)]
        return ["if (%s) {" % nullable,
                "  %s += 1 + (%s ? %s->encoded_size(_version) : 0);" % (acc, src, src),
                "} else {",
                "  %s += %s ? %s->encoded_size(_version) : %s{}.encoded_size(_version);" % (
                    acc, src, src, f.element_type),
                "}"]

    def non_default(self, f, src):
        """Whether a tagged field differs from its default (and so is written)."""
        et = f.element_type
        t = self.member_type(f)
        ever_nullable = not f.nullable.empty()
        default_null = f.default is not None and f.default == ("bare", "null")
        if f.is_array or et == "bytes":
            if ever_nullable:
                return "%s.has_value()" % src if default_null else "(!%s || !%s->empty())" % (src, src)
            return "!%s.empty()" % src
        if et == "string":
            lit = '""' if f.default is None else cpp_literal(f, t)
            if ever_nullable:
                if default_null:
                    return "%s.has_value()" % src
                return "(!%s || *%s != %s)" % (src, src, lit)
            return "%s != %s" % (src, lit)
        if et == "uuid":
            return "!%s.is_zero()" % src
        if et in CPP_FIXED:
            if f.default is None:
                return "%s != %s" % (src, "false" if et == "bool" else "0")
            return "%s != %s" % (src, cpp_literal(f, CPP_FIXED[et]))
        if ever_nullable:
            return "%s.has_value()" % src
        return "%s != %s{}" % (src, et)

    def gen_encode_and_size(self, sd):
        enc = [self.flexible_decl(sd)]
        size = [self.flexible_decl(sd), "size_t _s = 0;"]
        for f in sd.fields:
            uv = untagged_versions(f)
            c = cond(uv, sd.versions)
            if c == "false":
                continue
            src = "this->" + member_name(f.name)
            nullable = self.nullable(f, uv.intersect(sd.versions))
            enc += self._guard(c, self.encode_value(f, src, self.compact(f, sd), nullable, False))
            size += self._guard(c, self.size_value(f, src, self.compact(f, sd), nullable, False, "_s"))
        if cond(self.m.flexible, sd.versions) != "false":
            tagged = self.tagged_fields(sd)
            eb = ["uint32_t _tags = static_cast<uint32_t>(this->unknown_tagged_fields.size());"]
            sb = ["uint32_t _tags = static_cast<uint32_t>(this->unknown_tagged_fields.size());",
                  "size_t _tag_bytes = %s::unknown_tags_size(this->unknown_tagged_fields);" % NS]
            for f in tagged:
                src = "this->" + member_name(f.name)
                tv = f.tagged.intersect(f.versions)
                c = cond(tv, sd.versions)
                has = self.non_default(f, src) if c is None else "(%s) && %s" % (c, self.non_default(f, src))
                decl = "const bool _has_%s = %s;" % (member_name(f.name), has)
                eb += [decl, "_tags += _has_%s;" % member_name(f.name)]
                sb += [decl]
            eb += ["_w.write_uvarint(_tags);", "size_t _u = 0;"]
            for f in tagged:
                mn = member_name(f.name)
                src = "this->" + mn
                nullable = self.nullable(f, f.tagged.intersect(f.versions).intersect(sd.versions))
                eb.append("_u = _w.write_unknown_tags_below(this->unknown_tagged_fields, _u, %d);" % f.tag)
                eb.append("if (_has_%s) {" % mn)
                eb.append("  size_t _p = 0;")
                eb += ["  " + s for s in self.size_value(f, src, "true", nullable, True, "_p")]
                eb.append("  _w.write_uvarint(%d);" % f.tag)
                eb.append("  _w.write_uvarint(static_cast<uint32_t>(_p));")
                eb += ["  " + s for s in self.encode_value(f, src, "true", nullable, True)]
                eb.append("}")
                sb.append("if (_has_%s) {" % mn)
                sb.append("  size_t _p = 0;")
                sb += ["  " + s for s in self.size_value(f, src, "true", nullable, True, "_p")]
                sb.append("  ++_tags;")
                sb.append("  _tag_bytes += %s::uvarint_size(%d) + %s::uvarint_size(static_cast<uint32_t>(_p)) + _p;"
                          % (NS, f.tag, NS))
                sb.append("}")
            eb.append("_w.write_unknown_tags_below(this->unknown_tagged_fields, _u, UINT64_MAX);")
            sb.append("_s += %s::uvarint_size(_tags) + _tag_bytes;" % NS)
            guard = None if cond(self.m.flexible, sd.versions) is None else "_flexible"
            enc += self._guard(guard, eb)
            size += self._guard(guard, sb)
        size.append("return _s;")
        return enc, size

    # ---- emission ------------------------------------------------------------------------------
    def struct_decl(self, sd, indent):
        p = " " * indent
        out = []
        if sd.is_message:
            m = self.m
            out.append("%sstruct %s {" % (p, sd.cpp))
            out.append("%s  static constexpr const char* message_name = \"%s\";" % (p, m.name))
            if m.api_key is not None:
                out.append("%s  static constexpr int16_t api_key = %d;" % (p, m.api_key))
            out.append("%s  static constexpr int16_t min_version = %d;" % (p, m.versions.lo))
            out.append("%s  static constexpr int16_t max_version = %d;" % (p, m.versions.high))
            out.append("%s  // -1: no flexible version." % p)
            out.append("%s  static constexpr int16_t first_flexible_version = %d;" % (
                p, -1 if m.flexible.empty() else m.flexible.lo))
            out.append("")
            for s in self.order:
                out += self.struct_decl(s, indent + 2)
                out.append("")
        else:
            out.append("%sstruct %s {" % (p, sd.cpp))
            if sd.name in self.optional_structs:
                out.append("%s  %s();  // defined out of line; see optional_structs" % (p, sd.cpp))
        for f in sd.fields:
            out.append("%s  %s %s%s;" % (p, self.member_type(f), member_name(f.name), self.member_init(f)))
        out.append("%s  std::vector<%s::raw_tagged_field> unknown_tagged_fields;" % (p, NS))
        out.append("")
        out.append("%s  // Precondition for decode: *this is default-constructed." % p)
        out.append("%s  void decode(%s::reader& _r, int16_t _version);" % (p, NS))
        out.append("%s  void encode(%s::writer& _w, int16_t _version) const;" % (p, NS))
        out.append("%s  size_t encoded_size(int16_t _version) const;" % p)
        out.append("%s  bool operator==(const %s&) const = default;" % (p, sd.cpp))
        out.append("%s};" % p)
        return out

    def struct_defs(self, sd):
        q = self.top.cpp if sd.is_message else self.struct_cpp(sd.cpp)
        dec = self.gen_decode(sd)
        enc, size = self.gen_encode_and_size(sd)
        out = []
        if not sd.is_message and sd.name in self.optional_structs:
            out += ["%s::%s() = default;" % (q, sd.cpp), ""]
        out += ["void %s::decode(%s::reader& _r, int16_t _version) {" % (q, NS)]
        out += ["  " + s for s in dec] + ["}", ""]
        out += ["void %s::encode(%s::writer& _w, int16_t _version) const {" % (q, NS)]
        out += ["  " + s for s in enc] + ["}", ""]
        out += ["size_t %s::encoded_size(int16_t _version) const {" % q]
        out += ["  " + s for s in size] + ["}", ""]
        return out

    def header(self):
        return self.struct_decl(self.top, 0)

    def source(self):
        out = []
        for s in self.order:
            out += self.struct_defs(s)
        out += self.struct_defs(self.top)
        return out

    # ---- random values for tests -------------------------------------------------------------
    def random_value(self, f, target, nullable_expr):
        et = f.element_type
        ever_nullable = not f.nullable.empty()
        null_ok = "(%s) && _g.chance(4)" % nullable_expr
        if f.is_array:
            if et in CPP_FIXED:
                elem = "_a.push_back(_g.value<%s>());" % CPP_FIXED[et] if et != "uuid" else "_a.push_back(_g.id());"
            elif et == "string":
                elem = "_a.push_back(_g.text());"
            elif et == "bytes":
                elem = "_a.push_back(_g.blob());"
            else:
                elem = "randomize(_a.emplace_back(), _g, _version);"
            body = ["auto& _a = %s;" % (target + ".emplace()" if ever_nullable else target),
                    "const size_t _n = _g.count();",
                    "for (size_t _i = 0; _i < _n; ++_i) {", "  " + elem, "}"]
            if ever_nullable:
                return ["if (%s) {" % null_ok, "  %s.reset();" % target, "} else {"] + [
                    "  " + s for s in body] + ["}"]
            return ["{"] + ["  " + s for s in body] + ["}"]
        if et == "uuid":
            return ["%s = _g.id();" % target]
        if et in CPP_FIXED:
            return ["%s = _g.value<%s>();" % (target, CPP_FIXED[et])]
        if et in ("string", "bytes", "records"):
            gen = {"string": "_g.text()", "bytes": "_g.blob()", "records": "_g.record_bytes()"}[et]
            if ever_nullable or et == "records":
                reset = "%s = %s::records();" % (target, NS) if et == "records" else "%s.reset();" % target
                return ["if (%s) {" % null_ok, "  " + reset, "} else {", "  %s = %s;" % (target, gen), "}"]
            return ["%s = %s;" % (target, gen)]
        if ever_nullable:
            return ["if (%s) {" % null_ok, "  %s.reset();" % target, "} else {",
                    "  randomize(%s.emplace(), _g, _version);" % target, "}"]
        return ["randomize(%s, _g, _version);" % target]

    def random_defs(self):
        out = []
        all_structs = self.order + [self.top]
        for s in all_structs:
            q = self.top.cpp if s.is_message else self.struct_cpp(s.cpp)
            out.append("void randomize(%s& _x, random_source& _g, int16_t _version);" % q)
        out.append("")
        for s in all_structs:
            q = self.top.cpp if s.is_message else self.struct_cpp(s.cpp)
            out.append("void randomize(%s& _x, random_source& _g, int16_t _version) {" % q)
            out.append("  " + self.flexible_decl(s))
            for f in s.fields:
                c = cond(f.versions, s.versions)
                if c == "false":
                    continue
                stmts = self.random_value(f, "_x." + member_name(f.name),
                                          self.nullable(f, f.versions.intersect(s.versions)))
                out += ["  " + x for x in self._guard(c, stmts)]
            if cond(self.m.flexible, s.versions) != "false":
                out.append("  if (_flexible) _g.unknown_tags(_x.unknown_tagged_fields);")
            out.append("}")
            out.append("")
        return out


PRELUDE_H = """// Generated by protocol/codegen/generate_cpp.py from protocol/schema/%s.schema. Do not edit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/uuid.h"
#include "protocol/wire/reader.h"
#include "protocol/wire/records.h"
#include "protocol/wire/tagged_field.h"
#include "protocol/wire/writer.h"

namespace samsa::protocol {
"""


def write_if_changed(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def emit_file(stem, messages, out_dir):
    gens = [Generator(m, stem) for m in messages]
    h = [PRELUDE_H % stem]
    for g in gens:
        h += g.header() + [""]
    h.append("}  // namespace samsa::protocol")
    cc = ["// Generated from protocol/schema/%s.schema. Do not edit." % stem,
          '#include "protocol/generated/%s.h"' % stem, "", "#include <algorithm>", "",
          "namespace samsa::protocol {", ""]
    for g in gens:
        cc += g.source()
    cc.append("}  // namespace samsa::protocol")
    rnd = ["// Generated from protocol/schema/%s.schema. Do not edit." % stem,
           '#include "protocol/generated/%s.h"' % stem,
           '#include "protocol/testing/random_source.h"', "",
           "namespace samsa::protocol::testing {", ""]
    for g in gens:
        rnd += g.random_defs()
    rnd.append("}  // namespace samsa::protocol::testing")
    write_if_changed(os.path.join(out_dir, stem + ".h"), "\n".join(h) + "\n")
    write_if_changed(os.path.join(out_dir, stem + ".cc"), "\n".join(cc) + "\n")
    write_if_changed(os.path.join(out_dir, "testing", stem.replace("/", "_") + "_random.cc"), "\n".join(rnd) + "\n")
    return gens


def emit_registries(all_gens, out_dir):
    apis = {}
    for stem, gens in all_gens:
        for g in gens:
            m = g.m
            if m.kind == "request":
                apis[m.api_key] = (stem, g)
    h = ["// Generated by protocol/codegen/generate_cpp.py. Do not edit.",
         "#pragma once", "", "#include <cstdint>", "#include <span>", "#include <string_view>", "",
         "namespace samsa::protocol {", "",
         "// What the schema says about one API: its versions and where Kafka serves it.",
         "struct api_schema_info {",
         "  int16_t key;",
         "  std::string_view name;",
         "  int16_t min_version;",
         "  int16_t max_version;",
         "  int16_t first_flexible_version;  // -1: none",
         "  int16_t deprecated_max_version;  // -1: none deprecated",
         "  bool latest_version_unstable;",
         "  bool broker_listener;",
         "  bool controller_listener;",
         "  bool zk_broker_listener;",
         "};", "",
         "// Every API in the schema, ordered by key.",
         "std::span<const api_schema_info> all_api_schemas();",
         "// The API with this key, or nullptr.",
         "const api_schema_info* find_api_schema(int16_t key);", "",
         "namespace api_keys {"]
    for key in sorted(apis):
        h.append("inline constexpr int16_t %s = %d;" % (type_name(apis[key][1].m.name[:-len("Request")]), key))
    h += ["}  // namespace api_keys", "", "}  // namespace samsa::protocol", ""]
    cc = ["// Generated by protocol/codegen/generate_cpp.py. Do not edit.",
          '#include "protocol/generated/api_registry.h"', "", "#include <array>", "",
          "namespace samsa::protocol {", "namespace {",
          "constexpr std::array<api_schema_info, %d> apis{{" % len(apis)]
    for key in sorted(apis):
        m = apis[key][1].m
        dep = -1
        if m.deprecated:
            dep = Versions.parse(m.deprecated).high
        listeners = m.listeners or []
        cc.append('    {%d, "%s", %d, %d, %d, %d, %s, %s, %s, %s},' % (
            key, m.name[:-len("Request")], m.versions.lo, m.versions.high,
            -1 if m.flexible.empty() else m.flexible.lo, dep, "true" if m.unstable_latest else "false",
            "true" if "broker" in listeners else "false", "true" if "controller" in listeners else "false",
            "true" if "zkBroker" in listeners else "false"))
    cc += ["}};", "}  // namespace", "",
           "std::span<const api_schema_info> all_api_schemas() { return apis; }", "",
           "const api_schema_info* find_api_schema(int16_t key) {",
           "  for (const auto& a : apis)",
           "    if (a.key == key) return &a;",
           "  return nullptr;",
           "}", "", "}  // namespace samsa::protocol", ""]
    write_if_changed(os.path.join(out_dir, "api_registry.h"), "\n".join(h))
    write_if_changed(os.path.join(out_dir, "api_registry.cc"), "\n".join(cc))

    # Type-erased table for tests and fuzzers.
    th = ["// Generated by protocol/codegen/generate_cpp.py. Do not edit.",
          "#pragma once", "", "#include <cstdint>", "#include <span>", "#include <string>", "#include <vector>", "",
          "namespace samsa::protocol::testing {", "",
          "enum class message_kind { request, response, header, data, metadata };", "",
          "struct message_codec {",
          "  const char* name;",
          "  int16_t api_key;  // record type for metadata records; -1 for headers and data messages",
          "  message_kind kind;",
          "  int16_t min_version;",
          "  int16_t max_version;",
          "  // Decodes body at version, requires every byte consumed, encodes again into out.",
          "  // Returns an empty string on success, else what went wrong.",
          "  std::string (*decode_and_reencode)(std::span<const uint8_t> body, int16_t version,",
          "                                     std::vector<uint8_t>& out);",
          "  // Random value -> encode -> decode -> compare -> encode -> compare bytes.",
          "  std::string (*random_roundtrip)(int16_t version, uint64_t seed);",
          "  // The encoding of a random value.",
          "  std::vector<uint8_t> (*random_encoded)(int16_t version, uint64_t seed);",
          "};", "",
          "std::span<const message_codec> all_message_codecs();",
          "const message_codec* find_message_codec(int16_t api_key, message_kind kind);",
          "const message_codec* find_message_codec(std::string_view name);", "",
          "}  // namespace samsa::protocol::testing", ""]
    tc = ["// Generated by protocol/codegen/generate_cpp.py. Do not edit.",
          '#include "protocol/generated/testing/registry.h"', "", "#include <array>", "#include <string_view>", ""]
    for stem, _ in all_gens:
        tc.append('#include "protocol/generated/%s.h"' % stem)
    tc += ['#include "protocol/testing/roundtrip.h"', "", "namespace samsa::protocol::testing {", ""]
    entries = []
    for stem, gens in all_gens:
        for g in gens:
            m = g.m
            t = g.top.cpp
            tc.append("void randomize(%s& x, random_source& g, int16_t version);" % t)
            kind = m.kind
            entries.append('    {"%s", %d, message_kind::%s, %d, %d, &decode_and_reencode<%s>, &random_roundtrip<%s>, '
                           '&random_encoded<%s>},'
                           % (m.name, -1 if m.api_key is None else m.api_key, kind, m.versions.lo,
                              m.versions.high, t, t, t))
    tc += ["", "namespace {", "const std::array<message_codec, %d> codecs{{" % len(entries)] + entries + [
        "}};", "}  // namespace", "",
        "std::span<const message_codec> all_message_codecs() { return codecs; }", "",
        "const message_codec* find_message_codec(int16_t api_key, message_kind kind) {",
        "  for (const auto& c : codecs)",
        "    if (c.api_key == api_key && c.kind == kind) return &c;",
        "  return nullptr;",
        "}", "",
        "const message_codec* find_message_codec(std::string_view name) {",
        "  for (const auto& c : codecs)",
        "    if (name == c.name) return &c;",
        "  return nullptr;",
        "}", "", "}  // namespace samsa::protocol::testing", ""]
    write_if_changed(os.path.join(out_dir, "testing", "registry.h"), "\n".join(th))
    write_if_changed(os.path.join(out_dir, "testing", "registry.cc"), "\n".join(tc))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--schema-dir", required=True)
    ap.add_argument("--out-dir", required=True)
    args = ap.parse_args()
    # Top-level files, then one level of subfolders (metadata/: KRaft metadata records).
    files = []
    for entry in sorted(os.listdir(args.schema_dir)):
        path = os.path.join(args.schema_dir, entry)
        if entry.endswith(".schema"):
            files.append(entry)
        elif os.path.isdir(path):
            files += [entry + "/" + f for f in sorted(os.listdir(path)) if f.endswith(".schema")]
    all_gens = []
    try:
        for fn in files:
            with open(os.path.join(args.schema_dir, fn), encoding="utf-8") as f:
                messages = parse_schema(f.read(), fn)
            stem = fn[:-len(".schema")]
            all_gens.append((stem, emit_file(stem, messages, args.out_dir)))
        emit_registries(all_gens, args.out_dir)
    except SchemaError as e:
        print("schema error: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
