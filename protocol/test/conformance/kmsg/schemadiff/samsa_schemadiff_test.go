//go:build samsa_schemadiff

// This file is NOT part of the samsa/kmsgvectors module build (see the build
// tag). schema_diff.sh copies it next to franz-go's own DSL parser
// (generate/*.go from the github.com/twmb/franz-go module, the generator that
// produced kmsg's generated.go) and runs it as a test. It compares kmsg's
// schema DSL against the official Kafka message JSON, version by version and
// field by field, and prints every difference within the versions both know.
//
// Environment:
//
//	SAMSA_SPEC_DIR     directory with the official *Request.json / *Response.json
//	SAMSA_DIFF_OUT     file to write the difference report to
//	SAMSA_MAPPING_OUT  file to write the Go-field -> JSON-field mapping to
//	SAMSA_MAX_KEY      highest API key to compare (default 87)
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// ---------------------------------------------------------------------------
// Official JSON

type sdJSONMessage struct {
	APIKey                *int            `json:"apiKey"`
	Type                  string          `json:"type"`
	Name                  string          `json:"name"`
	ValidVersions         string          `json:"validVersions"`
	FlexibleVersions      string          `json:"flexibleVersions"`
	LatestVersionUnstable bool            `json:"latestVersionUnstable"`
	Fields                []sdJSONField   `json:"fields"`
	CommonStructs         []sdJSONCommon  `json:"commonStructs"`
	Raw                   json.RawMessage `json:"-"`
}

type sdJSONCommon struct {
	Name     string        `json:"name"`
	Versions string        `json:"versions"`
	Fields   []sdJSONField `json:"fields"`
}

type sdJSONField struct {
	Name             string          `json:"name"`
	Type             string          `json:"type"`
	Versions         string          `json:"versions"`
	NullableVersions string          `json:"nullableVersions"`
	TaggedVersions   string          `json:"taggedVersions"`
	Tag              json.RawMessage `json:"tag"`
	Default          json.RawMessage `json:"default"`
	Fields           []sdJSONField   `json:"fields"`
}

type sdRange struct {
	none     bool
	min, max int // max -1: open
}

func sdParseRange(s string) sdRange {
	s = strings.TrimSpace(s)
	if s == "" || s == "none" {
		return sdRange{none: true}
	}
	if strings.HasSuffix(s, "+") {
		n, _ := strconv.Atoi(strings.TrimSuffix(s, "+"))
		return sdRange{min: n, max: -1}
	}
	if i := strings.IndexByte(s, '-'); i >= 0 {
		a, _ := strconv.Atoi(s[:i])
		b, _ := strconv.Atoi(s[i+1:])
		return sdRange{min: a, max: b}
	}
	n, _ := strconv.Atoi(s)
	return sdRange{min: n, max: n}
}

func (r sdRange) has(v int) bool {
	return !r.none && v >= r.min && (r.max < 0 || v <= r.max)
}

func sdStripComments(b []byte) []byte {
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "//") {
			continue
		}
		// trailing comments outside strings
		in := false
		for i := 0; i+1 < len(line); i++ {
			if line[i] == '"' && (i == 0 || line[i-1] != '\\') {
				in = !in
			}
			if !in && line[i] == '/' && line[i+1] == '/' {
				line = line[:i]
				break
			}
		}
		out = append(out, line)
	}
	return []byte(strings.Join(out, "\n"))
}

func (f sdJSONField) tag() (int, bool) {
	if len(f.Tag) == 0 {
		return 0, false
	}
	var n int
	if err := json.Unmarshal(f.Tag, &n); err == nil {
		return n, true
	}
	var s string
	if err := json.Unmarshal(f.Tag, &s); err == nil {
		n, err := strconv.Atoi(s)
		if err == nil {
			return n, true
		}
	}
	return 0, false
}

func (f sdJSONField) defaultString() string {
	if len(f.Default) == 0 {
		return ""
	}
	var s string
	if err := json.Unmarshal(f.Default, &s); err == nil {
		return s
	}
	return string(f.Default) // bool / number literal
}

// ---------------------------------------------------------------------------
// Comparison helpers

const (
	catWire     = "wire"      // changes the bytes of a valid message
	catExtraTag = "extra-tag" // kmsg-only tagged field; harmless while left at its default
)

type sdDiff struct {
	cat      string
	key      int
	msg      string // e.g. ProduceRequest
	path     string // official JSON path, e.g. TopicData.PartitionData.Records
	goPath   string // kmsg Go path, e.g. Topics.Partitions.Records
	what     string
	versions []int
}

type sdCollector struct {
	byID  map[string]*sdDiff
	order []string
	// mapping: msg + " " + goPath + " " + JSON path -> versions
	mapping map[string][]int
}

func (c *sdCollector) addCat(cat string, key int, msg, path, goPath, what string, v int) {
	id := fmt.Sprintf("%s|%s|%s|%s|%s", cat, msg, path, goPath, what)
	d, ok := c.byID[id]
	if !ok {
		d = &sdDiff{cat: cat, key: key, msg: msg, path: path, goPath: goPath, what: what}
		c.byID[id] = d
		c.order = append(c.order, id)
	}
	d.versions = append(d.versions, v)
}

func (c *sdCollector) addMapping(msg, goPath, jsonPath string, v int) {
	k := msg + " " + goPath + " " + jsonPath
	c.mapping[k] = append(c.mapping[k], v)
}

func sdVersionsString(vs []int) string {
	sort.Ints(vs)
	var parts []string
	for i := 0; i < len(vs); {
		j := i
		for j+1 < len(vs) && vs[j+1] == vs[j]+1 {
			j++
		}
		if i == j {
			parts = append(parts, fmt.Sprintf("v%d", vs[i]))
		} else {
			parts = append(parts, fmt.Sprintf("v%d-v%d", vs[i], vs[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ",")
}

func sdNorm(s string) string {
	s = strings.ToLower(strings.ReplaceAll(s, "_", ""))
	s = strings.ReplaceAll(s, "millis", "ms")
	return s
}

// wire kind of a DSL type, without nullability
func sdDSLKind(t Type) string {
	switch t := t.(type) {
	case Bool:
		return "bool"
	case Int8:
		return "int8"
	case Int16:
		return "int16"
	case Uint16:
		return "uint16"
	case Int32, Throttle, Timeout:
		return "int32"
	case Int64:
		return "int64"
	case Uint32:
		return "uint32"
	case Float64:
		return "float64"
	case Varint:
		return "varint"
	case Varlong:
		return "varlong"
	case Uuid:
		return "uuid"
	case String, NullableString:
		return "string"
	case VarintString:
		return "varint-string"
	case Bytes, NullableBytes:
		return "bytes"
	case VarintBytes, FieldLengthMinusBytes:
		return "varint-bytes"
	case Enum:
		return sdDSLKind(t.Type)
	case Array:
		if t.IsVarintArray {
			return "varint[]" + sdDSLKind(t.Inner)
		}
		return "[]" + sdDSLKind(t.Inner)
	case Struct:
		return "struct"
	}
	return fmt.Sprintf("%T", t)
}

func sdDSLNullable(t Type, v int) bool {
	switch t := t.(type) {
	case NullableString:
		return t.NullableVersion == 0 || v >= t.NullableVersion
	case NullableBytes:
		return true
	case Array:
		return t.IsNullableArray && (t.NullableVersion == 0 || v >= t.NullableVersion)
	case Struct:
		return t.Nullable
	}
	return false
}

// default of a DSL type as used for deciding whether to write a tagged field
func sdDSLTagDefault(t Type) string {
	switch t := t.(type) {
	case Enum:
		return sdDSLTagDefault(t.Type)
	case NullableString, NullableBytes:
		return "null"
	case Array:
		if t.IsNullableArray {
			return "null"
		}
		return "empty"
	case String:
		return `""`
	case Bytes:
		return "empty"
	case Uuid:
		return "zero"
	case Struct:
		if t.Nullable {
			return "null"
		}
		return "struct-defaults"
	case Defaulter:
		d, has := t.GetDefault()
		if !has {
			d = t.GetTypeDefault()
		}
		return sdCanonNumber(fmt.Sprint(d))
	}
	return "?"
}

func sdCanonNumber(s string) string {
	if s == "true" || s == "false" {
		return s
	}
	if n, err := strconv.ParseInt(s, 0, 64); err == nil {
		return strconv.FormatInt(n, 10)
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return s
}

// Java semantics of the JSON default for a field
func sdJSONTagDefault(f sdJSONField) string {
	d := f.defaultString()
	t := f.Type
	switch {
	case strings.HasPrefix(t, "[]"):
		if d == "null" {
			return "null"
		}
		return "empty"
	case t == "string":
		if d == "null" {
			return "null"
		}
		return strconv.Quote(d)
	case t == "bytes" || t == "records":
		if d == "null" {
			return "null"
		}
		return "empty"
	case t == "uuid":
		return "zero"
	case t == "bool":
		if d == "" {
			return "false"
		}
		return d
	case t == "int8" || t == "int16" || t == "uint16" || t == "int32" || t == "int64" || t == "uint32" || t == "float64":
		if d == "" {
			return "0"
		}
		return sdCanonNumber(d)
	default: // struct
		if d == "null" {
			return "null"
		}
		return "struct-defaults"
	}
}

type sdJSONCtx struct {
	commons map[string]sdJSONCommon
}

func (c sdJSONCtx) kind(f sdJSONField) string {
	t := f.Type
	if strings.HasPrefix(t, "[]") {
		inner := t[2:]
		switch inner {
		case "bool", "int8", "int16", "uint16", "int32", "int64", "uint32", "float64", "uuid", "string", "bytes":
			return "[]" + inner
		}
		return "[]struct"
	}
	switch t {
	case "bool", "int8", "int16", "uint16", "int32", "int64", "uint32", "float64", "uuid", "string", "bytes":
		return t
	case "records":
		return "bytes"
	}
	return "struct"
}

func (c sdJSONCtx) subFields(f sdJSONField) []sdJSONField {
	if len(f.Fields) > 0 {
		return f.Fields
	}
	if cs, ok := c.commons[strings.TrimPrefix(f.Type, "[]")]; ok {
		return cs.Fields
	}
	return nil
}

func sdDSLSub(t Type) []StructField {
	switch t := t.(type) {
	case Struct:
		return t.Fields
	case Array:
		return sdDSLSub(t.Inner)
	}
	return nil
}

type sdPair struct {
	j *sdJSONField
	d *StructField
}

// align aligns the JSON and DSL field lists (both in wire order) with a
// longest-common-subsequence that only pairs kind-compatible fields and
// prefers pairs whose normalized names agree.
func sdAlign(ctx sdJSONCtx, js []sdJSONField, ds []StructField) []sdPair {
	n, m := len(js), len(ds)
	score := func(i, j int) int {
		jk, dk := ctx.kind(js[i]), sdDSLKind(ds[j].Type)
		if jk != dk && !(jk == "[]struct" && dk == "[]struct") {
			// still allow pairing int32<->varint etc with a low score
			if !(jk == "int32" && dk == "varint") && !(jk == "int64" && dk == "varlong") {
				return 0
			}
		}
		if sdNorm(js[i].Name) == sdNorm(ds[j].FieldName) {
			return 3
		}
		return 2
	}
	dp := make([][]int, n+1)
	for i := range dp {
		dp[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			best := dp[i+1][j]
			if dp[i][j+1] > best {
				best = dp[i][j+1]
			}
			if s := score(i, j); s > 0 && dp[i+1][j+1]+s > best {
				best = dp[i+1][j+1] + s
			}
			dp[i][j] = best
		}
	}
	var out []sdPair
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && score(i, j) > 0 && dp[i][j] == dp[i+1][j+1]+score(i, j):
			out = append(out, sdPair{&js[i], &ds[j]})
			i++
			j++
		case i < n && (j == m || dp[i][j] == dp[i+1][j]):
			out = append(out, sdPair{j: &js[i]})
			i++
		default:
			out = append(out, sdPair{d: &ds[j]})
			j++
		}
	}
	return out
}

type sdCmp struct {
	c    *sdCollector
	ctx  sdJSONCtx
	key  int
	msg  string
	v    int
	flex bool
}

func joinPath(p, n string) string {
	if p == "" {
		return n
	}
	return p + "." + n
}

func (s *sdCmp) compareStruct(jpath, gpath string, js []sdJSONField, ds []StructField) {
	// Split by tagged / non-tagged at this version.
	var jn []sdJSONField
	jt := map[int]sdJSONField{}
	for _, f := range js {
		if !sdParseRange(f.Versions).has(s.v) {
			continue
		}
		if tag, ok := f.tag(); ok && s.flex && sdParseRange(f.TaggedVersions).has(s.v) {
			jt[tag] = f
			continue
		}
		jn = append(jn, f)
	}
	var dn []StructField
	dt := map[int]StructField{}
	for _, f := range ds {
		if f.Tag >= 0 && f.MinVersion == -1 {
			if s.flex {
				dt[f.Tag] = f
			}
			continue
		}
		if s.v < f.MinVersion || (f.MaxVersion >= 0 && s.v > f.MaxVersion) {
			continue
		}
		if f.Tag >= 0 { // versioned tag (not used by kmsg today)
			if s.flex {
				dt[f.Tag] = f
			}
			continue
		}
		dn = append(dn, f)
	}

	pairs := sdAlign(s.ctx, jn, dn)
	// A field that is unmatched on both sides under the same name and kind
	// sits at a different position: report it as an order difference.
	for a := range pairs {
		if pairs[a].d != nil || pairs[a].j == nil {
			continue
		}
		for b := range pairs {
			if pairs[b].j != nil || pairs[b].d == nil {
				continue
			}
			if sdNorm(pairs[a].j.Name) == sdNorm(pairs[b].d.FieldName) && s.ctx.kind(*pairs[a].j) == sdDSLKind(pairs[b].d.Type) {
				jpos, dpos := -1, -1
				for i := range jn {
					if jn[i].Name == pairs[a].j.Name {
						jpos = i
					}
				}
				for i := range dn {
					if dn[i].FieldName == pairs[b].d.FieldName {
						dpos = i
					}
				}
				s.c.addCat(catWire, s.key, s.msg, joinPath(jpath, pairs[a].j.Name), joinPath(gpath, pairs[b].d.FieldName),
					fmt.Sprintf("field order differs: non-tagged field #%d in official, #%d in kmsg (0-based)", jpos, dpos), s.v)
				s.compareField(jpath, gpath, *pairs[a].j, *pairs[b].d, false)
				pairs[a].j, pairs[b].d = nil, nil
				break
			}
		}
	}
	for _, p := range pairs {
		switch {
		case p.d == nil && p.j == nil:
		case p.d == nil:
			s.c.addCat(catWire, s.key, s.msg, joinPath(jpath, p.j.Name), gpath+".?",
				fmt.Sprintf("field missing in kmsg (official: %s, versions %s)", p.j.Type, p.j.Versions), s.v)
		case p.j == nil:
			s.c.addCat(catWire, s.key, s.msg, jpath+".?", joinPath(gpath, p.d.FieldName),
				fmt.Sprintf("extra field in kmsg (kmsg type %s), not in the official schema", sdDSLKind(p.d.Type)), s.v)
		default:
			s.compareField(jpath, gpath, *p.j, *p.d, false)
		}
	}

	// Tagged fields by tag number.
	var tags []int
	seen := map[int]bool{}
	for t := range jt {
		tags = append(tags, t)
		seen[t] = true
	}
	for t := range dt {
		if !seen[t] {
			tags = append(tags, t)
		}
	}
	sort.Ints(tags)
	for _, t := range tags {
		jf, jok := jt[t]
		df, dok := dt[t]
		switch {
		case jok && !dok:
			s.c.addCat(catWire, s.key, s.msg, joinPath(jpath, jf.Name), gpath+".?",
				fmt.Sprintf("tagged field (tag %d) missing in kmsg", t), s.v)
		case dok && !jok:
			s.c.addCat(catExtraTag, s.key, s.msg, jpath+".?", joinPath(gpath, df.FieldName),
				fmt.Sprintf("kmsg has tagged field tag %d (%s) that the official schema does not have in this version", t, sdDSLKind(df.Type)), s.v)
		default:
			s.compareField(jpath, gpath, jf, df, true)
		}
	}
}

func (s *sdCmp) compareField(jpath, gpath string, jf sdJSONField, df StructField, tagged bool) {
	jp := joinPath(jpath, jf.Name)
	gp := joinPath(gpath, df.FieldName)
	s.c.addMapping(s.msg, gp, jp, s.v)
	add := func(what string) { s.c.addCat(catWire, s.key, s.msg, jp, gp, what, s.v) }

	jk, dk := s.ctx.kind(jf), sdDSLKind(df.Type)
	if jk != dk && !(jk == "[]struct" && dk == "[]struct") {
		add(fmt.Sprintf("type differs: official %s, kmsg %s", jf.Type, dk))
		return
	}
	jnull := sdParseRange(jf.NullableVersions).has(s.v)
	dnull := sdDSLNullable(df.Type, s.v)
	if jnull != dnull {
		if jnull {
			add("nullability differs: official nullable, kmsg not nullable (kmsg cannot produce null; decodes null as empty)")
		} else {
			add("nullability differs: kmsg nullable, official not nullable")
		}
	}
	if tagged {
		jd, dd := sdJSONTagDefault(jf), sdDSLTagDefault(df.Type)
		if jd != dd {
			add(fmt.Sprintf("tagged-field default differs: official %s, kmsg %s (decides whether the tag is written)", jd, dd))
		}
	}
	// array of primitives: inner nullability is not expressible; recurse into structs
	if strings.HasSuffix(jk, "struct") {
		js := s.ctx.subFields(jf)
		ds := sdDSLSub(df.Type)
		s.compareStruct(jp, gp, js, ds)
	}
}

// ---------------------------------------------------------------------------

func TestSamsaSchemaDiff(t *testing.T) {
	specDir := os.Getenv("SAMSA_SPEC_DIR")
	if specDir == "" {
		t.Fatal("SAMSA_SPEC_DIR not set")
	}
	maxKey := 87
	if s := os.Getenv("SAMSA_MAX_KEY"); s != "" {
		maxKey, _ = strconv.Atoi(s)
	}

	// Parse the DSL exactly like the generator does.
	{
		const dir = "definitions"
		path := filepath.Join(dir, "enums")
		f, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		ParseEnums(path, f)
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if e.Name() == "enums" || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			p := filepath.Join(dir, e.Name())
			f, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			Parse(p, f)
		}
	}
	type pair struct{ req, resp *Struct }
	dsl := map[int]*pair{}
	for i := range newStructs {
		s := &newStructs[i]
		if !s.TopLevel || s.Key < 0 {
			continue
		}
		p := dsl[s.Key]
		if p == nil {
			p = &pair{}
			dsl[s.Key] = p
		}
		if s.ResponseKind != "" {
			p.req = s
		} else {
			p.resp = s
		}
	}

	// Parse the JSON.
	ents, err := os.ReadDir(specDir)
	if err != nil {
		t.Fatal(err)
	}
	type jpair struct{ req, resp *sdJSONMessage }
	js := map[int]*jpair{}
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(specDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		var m sdJSONMessage
		if err := json.Unmarshal(sdStripComments(b), &m); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		if m.APIKey == nil || (m.Type != "request" && m.Type != "response") {
			continue
		}
		p := js[*m.APIKey]
		if p == nil {
			p = &jpair{}
			js[*m.APIKey] = p
		}
		mm := m
		if m.Type == "request" {
			p.req = &mm
		} else {
			p.resp = &mm
		}
	}

	c := &sdCollector{byID: map[string]*sdDiff{}, mapping: map[string][]int{}}
	var header []string
	for key := 0; key <= maxKey; key++ {
		jp, dp := js[key], dsl[key]
		if jp == nil {
			header = append(header, fmt.Sprintf("key %d: not in the official JSON", key))
			continue
		}
		if dp == nil {
			header = append(header, fmt.Sprintf("key %d (%s): not in kmsg", key, jp.req.Name))
			continue
		}
		jr := sdParseRange(jp.req.ValidVersions)
		jmax := jr.max
		dmax := dp.req.MaxVersion
		common := jmax
		if dmax < common {
			common = dmax
		}
		note := ""
		if jp.req.LatestVersionUnstable {
			note = " (official latest version is marked unstable)"
		}
		switch {
		case dmax > jmax:
			header = append(header, fmt.Sprintf("key %d %s: kmsg max v%d > official max v%d%s; v%d-v%d exist only in kmsg",
				key, strings.TrimSuffix(jp.req.Name, "Request"), dmax, jmax, note, jmax+1, dmax))
		case dmax < jmax:
			header = append(header, fmt.Sprintf("key %d %s: kmsg max v%d < official max v%d%s; v%d-v%d have no kmsg vectors",
				key, strings.TrimSuffix(jp.req.Name, "Request"), dmax, jmax, note, dmax+1, jmax))
		}
		for _, side := range []struct {
			jm *sdJSONMessage
			ds *Struct
		}{{jp.req, dp.req}, {jp.resp, dp.resp}} {
			if side.jm == nil || side.ds == nil {
				continue
			}
			ctx := sdJSONCtx{commons: map[string]sdJSONCommon{}}
			for _, cs := range side.jm.CommonStructs {
				ctx.commons[cs.Name] = cs
			}
			fr := sdParseRange(side.jm.FlexibleVersions)
			jflex := -1
			if !fr.none {
				jflex = fr.min
			}
			if jflex != side.ds.FlexibleAt {
				header = append(header, fmt.Sprintf("key %d %s: flexible from v%d in official, v%d in kmsg", key, side.jm.Name, jflex, side.ds.FlexibleAt))
			}
			for v := 0; v <= common; v++ {
				flex := side.ds.FlexibleAt >= 0 && v >= side.ds.FlexibleAt
				cmp := &sdCmp{c: c, ctx: ctx, key: key, msg: side.jm.Name, v: v, flex: flex}
				cmp.compareStruct("", "", side.jm.Fields, side.ds.Fields)
			}
		}
	}

	sort.SliceStable(c.order, func(i, j int) bool {
		return c.byID[c.order[i]].key < c.byID[c.order[j]].key
	})
	var out strings.Builder
	out.WriteString("# kmsg (franz-go DSL) vs official Kafka message JSON. Generated by schema_diff.sh; do not edit.\n")
	out.WriteString("\n## Version ranges (API keys 0-" + strconv.Itoa(maxKey) + ")\n")
	for _, h := range header {
		out.WriteString(h + "\n")
	}
	section := func(cat, title string) {
		out.WriteString("\n## " + title + "\n")
		out.WriteString("# key message versions official-path | kmsg-path : difference\n")
		n := 0
		for _, id := range c.order {
			d := c.byID[id]
			if d.cat != cat {
				continue
			}
			n++
			fmt.Fprintf(&out, "%d %s %s %s | %s : %s\n", d.key, d.msg, sdVersionsString(d.versions), d.path, d.goPath, d.what)
		}
		if n == 0 {
			out.WriteString("(none)\n")
		}
	}
	section(catWire, "Wire differences within versions both know")
	section(catExtraTag, "kmsg-only tagged fields (kmsg writes them in every flexible version when non-default; vectors leave them at their default)")

	if p := os.Getenv("SAMSA_DIFF_OUT"); p != "" {
		if err := os.WriteFile(p, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	} else {
		fmt.Print(out.String())
	}

	if p := os.Getenv("SAMSA_MAPPING_OUT"); p != "" {
		var keys []string
		for k := range c.mapping {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var b strings.Builder
		b.WriteString("# kmsg Go field path -> official JSON field path, per version, derived from kmsg's DSL by schema_diff.sh; do not edit.\n")
		b.WriteString("# message go-path json-path versions\n")
		for _, k := range keys {
			fmt.Fprintf(&b, "%s %s\n", k, sdVersionsString(c.mapping[k]))
		}
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
