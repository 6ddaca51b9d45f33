// Command kmsgvectors writes Kafka protocol test vectors produced by franz-go's
// kmsg package, an implementation independent of Samsa's generated codec.
//
// For every API key 0..-max-key that kmsg knows, every version 0..MaxVersion,
// and both request and response, it builds -n messages with pseudo-random
// field values (seeded by -seed), encodes them with kmsg's AppendTo, checks
// that kmsg decodes and re-encodes them to the same bytes, and writes
//
//	<api_key> <version> <req|resp> <hex body>
//	frame <api_key> <version> <hex request header + body, no size prefix>
//
// A body that encodes to zero bytes is written as "-". Lines starting with
// '#' are comments. See README.md.
//
// Values follow the official message JSON (-spec): a field is only given a
// value in the versions where the official schema has it (kmsg writes tagged
// fields in every flexible version when they are not at their default, so a
// field outside its official versions stays at kmsg's default), and a field
// is only null in versions where the official schema says it is nullable.
// kmsg Go fields are matched to official JSON fields per version with
// fieldmap.txt, which schema_diff.sh derives from kmsg's own schema DSL.
package main

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"

	"github.com/twmb/franz-go/pkg/kmsg"
)

//go:embed fieldmap.txt
var fieldmapTxt string

var (
	flagN      = flag.Int("n", 3, "messages per API key, version and direction")
	flagSeed   = flag.Uint64("seed", 1, "random seed")
	flagOut    = flag.String("out", "-", "output file (- for stdout)")
	flagSpec   = flag.String("spec", "/work/shared/kafka-spec/message", "directory with the official Kafka message JSON")
	flagMaxKey = flag.Int("max-key", 87, "highest API key to generate")
	flagFrames = flag.Int("frames", 2, "request frames per API key and version (the 1st has a client id, the 2nd a null one, alternating)")
	flagQuiet  = flag.Bool("q", false, "only print errors")
)

// ---------------------------------------------------------------------------
// Official JSON

type jsonField struct {
	Name             string          `json:"name"`
	Type             string          `json:"type"`
	Versions         string          `json:"versions"`
	NullableVersions string          `json:"nullableVersions"`
	TaggedVersions   string          `json:"taggedVersions"`
	Tag              json.RawMessage `json:"tag"`
	Fields           []*jsonField    `json:"fields"`
}

type jsonStruct struct {
	Name   string       `json:"name"`
	Fields []*jsonField `json:"fields"`
}

type jsonMsg struct {
	APIKey           *int          `json:"apiKey"`
	Type             string        `json:"type"`
	Name             string        `json:"name"`
	ValidVersions    string        `json:"validVersions"`
	FlexibleVersions string        `json:"flexibleVersions"`
	Fields           []*jsonField  `json:"fields"`
	CommonStructs    []*jsonStruct `json:"commonStructs"`

	commons map[string]*jsonStruct
}

type vrange struct {
	none     bool
	min, max int // max < 0: open ended
}

func parseRange(s string) vrange {
	s = strings.TrimSpace(s)
	if s == "" || s == "none" {
		return vrange{none: true}
	}
	if strings.HasSuffix(s, "+") {
		n, _ := strconv.Atoi(strings.TrimSuffix(s, "+"))
		return vrange{min: n, max: -1}
	}
	if i := strings.IndexByte(s, '-'); i >= 0 {
		a, _ := strconv.Atoi(s[:i])
		b, _ := strconv.Atoi(s[i+1:])
		return vrange{min: a, max: b}
	}
	n, _ := strconv.Atoi(s)
	return vrange{min: n, max: n}
}

func (r vrange) has(v int) bool { return !r.none && v >= r.min && (r.max < 0 || v <= r.max) }

// stripComments drops // comment lines (and trailing // comments outside
// strings) so the official files parse as JSON.
func stripComments(b []byte) []byte {
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "//") {
			continue
		}
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

type specPair struct{ req, resp *jsonMsg }

func loadSpec(dir string) (map[int]*specPair, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := map[int]*specPair{}
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		m := new(jsonMsg)
		if err := json.Unmarshal(stripComments(b), m); err != nil {
			return nil, fmt.Errorf("%s: %v", e.Name(), err)
		}
		if m.APIKey == nil || (m.Type != "request" && m.Type != "response") {
			continue
		}
		m.commons = map[string]*jsonStruct{}
		for _, c := range m.CommonStructs {
			m.commons[c.Name] = c
		}
		p := out[*m.APIKey]
		if p == nil {
			p = &specPair{}
			out[*m.APIKey] = p
		}
		if m.Type == "request" {
			p.req = m
		} else {
			p.resp = m
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no request/response JSON in %s", dir)
	}
	return out, nil
}

func (m *jsonMsg) subFields(f *jsonField) []*jsonField {
	if len(f.Fields) > 0 {
		return f.Fields
	}
	if c, ok := m.commons[strings.TrimPrefix(f.Type, "[]")]; ok {
		return c.Fields
	}
	return nil
}

// resolve finds the field at a dotted JSON path, e.g. TopicData.PartitionData.Records.
func (m *jsonMsg) resolve(path string) *jsonField {
	fields := m.Fields
	var cur *jsonField
	for _, seg := range strings.Split(path, ".") {
		cur = nil
		for _, f := range fields {
			if f.Name == seg {
				cur = f
				break
			}
		}
		if cur == nil {
			return nil
		}
		fields = m.subFields(cur)
	}
	return cur
}

func (m *jsonMsg) maxVersion() int { return parseRange(m.ValidVersions).max }

// ---------------------------------------------------------------------------
// fieldmap.txt: <message> <go-path> <json-path> <versions>

type fmEntry struct {
	jsonPath string
	versions map[int]bool
	field    *jsonField
}

// fieldmap: message name -> go path -> entries
type fieldmap map[string]map[string][]*fmEntry

func parseVersionList(s string) (map[int]bool, error) {
	out := map[int]bool{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimPrefix(part, "v")
		a, b := part, part
		if i := strings.Index(part, "-v"); i >= 0 {
			a, b = part[:i], part[i+2:]
		}
		lo, err1 := strconv.Atoi(a)
		hi, err2 := strconv.Atoi(b)
		if err1 != nil || err2 != nil || lo > hi {
			return nil, fmt.Errorf("bad version list %q", s)
		}
		for v := lo; v <= hi; v++ {
			out[v] = true
		}
	}
	return out, nil
}

func loadFieldmap(txt string, spec map[int]*specPair) (fieldmap, error) {
	byName := map[string]*jsonMsg{}
	for _, p := range spec {
		for _, m := range []*jsonMsg{p.req, p.resp} {
			if m != nil {
				byName[m.Name] = m
			}
		}
	}
	fm := fieldmap{}
	sc := bufio.NewScanner(strings.NewReader(txt))
	for ln := 1; sc.Scan(); ln++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Fields(line)
		if len(parts) != 4 {
			return nil, fmt.Errorf("fieldmap.txt:%d: want 4 fields", ln)
		}
		vs, err := parseVersionList(parts[3])
		if err != nil {
			return nil, fmt.Errorf("fieldmap.txt:%d: %v", ln, err)
		}
		m := byName[parts[0]]
		if m == nil {
			return nil, fmt.Errorf("fieldmap.txt:%d: message %s not in the spec (stale fieldmap? rerun schema_diff.sh)", ln, parts[0])
		}
		f := m.resolve(parts[2])
		if f == nil {
			return nil, fmt.Errorf("fieldmap.txt:%d: %s.%s not in the spec (stale fieldmap? rerun schema_diff.sh)", ln, parts[0], parts[2])
		}
		if fm[parts[0]] == nil {
			fm[parts[0]] = map[string][]*fmEntry{}
		}
		fm[parts[0]][parts[1]] = append(fm[parts[0]][parts[1]], &fmEntry{jsonPath: parts[2], versions: vs, field: f})
	}
	return fm, sc.Err()
}

// checkGoPaths verifies every Go path of the map exists in kmsg's types.
func checkGoPaths(fm fieldmap, msgName string, t reflect.Type) error {
	for path := range fm[msgName] {
		cur := t
		for _, seg := range strings.Split(path, ".") {
			for cur.Kind() == reflect.Ptr || cur.Kind() == reflect.Slice {
				cur = cur.Elem()
			}
			if cur.Kind() != reflect.Struct {
				return fmt.Errorf("fieldmap: %s.%s: %s is not a struct (stale fieldmap? rerun schema_diff.sh)", msgName, path, cur)
			}
			f, ok := cur.FieldByName(seg)
			if !ok {
				return fmt.Errorf("fieldmap: %s.%s: no Go field %s in %s (stale fieldmap? rerun schema_diff.sh)", msgName, path, seg, cur)
			}
			cur = f.Type
		}
	}
	return nil
}

// ---------------------------------------------------------------------------
// Random values

var tagsType = reflect.TypeOf(kmsg.Tags{})

const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

type gen struct {
	r        *rand.Rand
	msgName  string // official message name
	fm       map[string][]*fmEntry
	spec     *jsonMsg
	v        int
	flex     bool
	beyond   bool // v is above the official max version
	specMax  int
	maxDepth int

	// for the report
	unmappedSeen map[string]bool
}

func (g *gen) str() string {
	n := g.r.IntN(11)
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[g.r.IntN(len(alnum))]
	}
	return string(b)
}

func (g *gen) bytes(max int) []byte {
	b := make([]byte, g.r.IntN(max+1))
	for i := range b {
		b[i] = byte(g.r.Uint32())
	}
	return b
}

func (g *gen) float() float64 {
	for {
		f := math.Float64frombits(g.r.Uint64())
		if !math.IsNaN(f) && !math.IsInf(f, 0) {
			return f
		}
	}
}

func (g *gen) null(nullable bool) bool { return nullable && g.r.IntN(4) == 0 }

func callDefault(v reflect.Value) {
	if !v.CanAddr() {
		return
	}
	if m := v.Addr().MethodByName("Default"); m.IsValid() && m.Type().NumIn() == 0 {
		m.Call(nil)
	}
}

// lookup returns the official field for a Go path at the current version.
// ok is false if the field must be left at kmsg's default.
func (g *gen) lookup(path string) (f *jsonField, ok bool) {
	if !g.beyond {
		for _, e := range g.fm[path] {
			if e.versions[g.v] {
				return e.field, true
			}
		}
		return nil, false
	}
	// Versions only kmsg knows: carry the mapping of the official max
	// version forward; fields without one are new and get a value.
	for _, e := range g.fm[path] {
		if e.versions[g.specMax] {
			if parseRange(e.field.Versions).has(g.v) {
				return e.field, true
			}
			return nil, false
		}
	}
	return nil, true
}

func (g *gen) fillStruct(sv reflect.Value, path string, depth int, top bool) {
	st := sv.Type()
	for i := 0; i < st.NumField(); i++ {
		sf := st.Field(i)
		fv := sv.Field(i)
		if !fv.CanSet() {
			continue
		}
		if top && sf.Name == "Version" {
			continue
		}
		if sf.Type == tagsType {
			if g.flex && g.r.IntN(10) < 3 {
				tags := fv.Addr().Interface().(*kmsg.Tags)
				n := 1 + g.r.IntN(2)
				used := map[uint32]bool{}
				for len(used) < n {
					k := uint32(1000 + g.r.IntN(64))
					if used[k] {
						continue
					}
					used[k] = true
					tags.Set(k, g.bytes(5))
				}
			}
			continue
		}
		p := sf.Name
		if path != "" {
			p = path + "." + sf.Name
		}
		jf, ok := g.lookup(p)
		if !ok {
			if len(g.fm[p]) == 0 && !g.beyond {
				g.unmappedSeen[g.msgName+"."+p] = true
			}
			continue
		}
		nullable, records := false, false
		if jf != nil {
			nullable = parseRange(jf.NullableVersions).has(g.v)
			records = jf.Type == "records"
		}
		g.set(fv, p, nullable, records, depth)
	}
}

func (g *gen) set(fv reflect.Value, path string, nullable, records bool, depth int) {
	switch fv.Kind() {
	case reflect.Bool:
		fv.SetBool(g.r.IntN(2) == 1)
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int:
		fv.SetInt(int64(g.r.Uint64())) // truncated to the field's width
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uint:
		fv.SetUint(g.r.Uint64())
	case reflect.Float64, reflect.Float32:
		fv.SetFloat(g.float())
	case reflect.String:
		fv.SetString(g.str())
	case reflect.Array: // [16]byte uuid
		for i := 0; i < fv.Len(); i++ {
			fv.Index(i).SetUint(uint64(byte(g.r.Uint32())))
		}
	case reflect.Ptr:
		if g.null(nullable) {
			fv.Set(reflect.Zero(fv.Type()))
			return
		}
		nv := reflect.New(fv.Type().Elem())
		switch fv.Type().Elem().Kind() {
		case reflect.Struct:
			callDefault(nv.Elem())
			g.fillStruct(nv.Elem(), path, depth+1, false)
		default:
			g.set(nv.Elem(), path, false, false, depth)
		}
		fv.Set(nv)
	case reflect.Slice:
		if g.null(nullable) {
			fv.Set(reflect.Zero(fv.Type()))
			return
		}
		if fv.Type().Elem().Kind() == reflect.Uint8 {
			max := 10
			if records {
				max = 20
			}
			fv.SetBytes(g.bytes(max))
			return
		}
		n := g.r.IntN(4)
		if depth >= g.maxDepth {
			n = 0
		}
		s := reflect.MakeSlice(fv.Type(), n, n) // non-nil even when empty
		for i := 0; i < n; i++ {
			e := s.Index(i)
			if e.Kind() == reflect.Struct {
				callDefault(e)
				g.fillStruct(e, path, depth+1, false)
			} else {
				g.set(e, path, false, false, depth+1)
			}
		}
		fv.Set(s)
	case reflect.Struct:
		callDefault(fv)
		g.fillStruct(fv, path, depth+1, false)
	default:
		fail("%s: unsupported Go kind %s", path, fv.Kind())
	}
}

// ---------------------------------------------------------------------------
// Checking kmsg's "fields outside their versions are ignored" behaviour:
// give every Go field that has no official counterpart at this version a
// value, one at a time, and see whether the encoding changes.

type leak struct{ msg, path string }

func perturbCheck(msg kmsg.Request, resp kmsg.Response, fm map[string][]*fmEntry, v int, seed uint64, out map[leak][]int) {
	var m interface{ AppendTo([]byte) []byte }
	if msg != nil {
		m = msg
	} else {
		m = resp
	}
	name := reflect.TypeOf(m).Elem().Name()
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	mapped := func(p string) bool {
		for _, e := range fm[p] {
			if e.versions[v] {
				return true
			}
		}
		return false
	}
	var base []byte
	// grow: give every mapped array of structs one element and allocate
	// mapped nullable structs, so that nested fields are reached.
	// perturb: set unmapped fields one at a time and compare with base.
	var walk func(sv reflect.Value, path string, top, grow bool)
	walk = func(sv reflect.Value, path string, top, grow bool) {
		st := sv.Type()
		for i := 0; i < st.NumField(); i++ {
			sf := st.Field(i)
			fv := sv.Field(i)
			if !fv.CanSet() || sf.Type == tagsType || (top && sf.Name == "Version") {
				continue
			}
			p := sf.Name
			if path != "" {
				p = path + "." + sf.Name
			}
			if mapped(p) {
				switch fv.Kind() {
				case reflect.Struct:
					walk(fv, p, false, grow)
				case reflect.Ptr:
					if fv.Type().Elem().Kind() != reflect.Struct {
						continue
					}
					if fv.IsNil() && grow {
						nv := reflect.New(fv.Type().Elem())
						callDefault(nv.Elem())
						fv.Set(nv)
					}
					if !fv.IsNil() {
						walk(fv.Elem(), p, false, grow)
					}
				case reflect.Slice:
					if fv.Type().Elem().Kind() != reflect.Struct {
						continue
					}
					if fv.Len() == 0 && grow {
						s := reflect.MakeSlice(fv.Type(), 1, 1)
						callDefault(s.Index(0))
						fv.Set(s)
					}
					for j := 0; j < fv.Len(); j++ {
						walk(fv.Index(j), p, false, grow)
					}
				}
				continue
			}
			if grow {
				continue
			}
			old := reflect.New(fv.Type()).Elem()
			old.Set(fv)
			// Random values may equal the default (empty array, false),
			// so try a few.
			for try := 0; try < 16; try++ {
				g := &gen{r: r, beyond: true, maxDepth: 3, unmappedSeen: map[string]bool{}}
				g.set(fv, p, false, false, 0)
				changed := !bytes.Equal(m.AppendTo(nil), base)
				fv.Set(old)
				if changed {
					k := leak{name, p}
					if l := out[k]; len(l) == 0 || l[len(l)-1] != v {
						out[k] = append(out[k], v)
					}
					break
				}
			}
		}
	}
	walk(reflect.ValueOf(m).Elem(), "", true, true)
	base = m.AppendTo(nil)
	walk(reflect.ValueOf(m).Elem(), "", true, false)
}

// ---------------------------------------------------------------------------

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "kmsgvectors: "+format+"\n", args...)
	os.Exit(1)
}

func versionsString(vs []int) string {
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

func readBuildInfo() (string, bool) {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "", false
	}
	for _, d := range bi.Deps {
		if d.Path == "github.com/twmb/franz-go/pkg/kmsg" {
			return d.Version, true
		}
	}
	return "", false
}

func hexOrDash(b []byte) string {
	if len(b) == 0 {
		return "-"
	}
	return hex.EncodeToString(b)
}

func main() {
	flag.Parse()
	if *flagN < 1 {
		fail("-n must be >= 1")
	}
	spec, err := loadSpec(*flagSpec)
	if err != nil {
		fail("loading spec: %v", err)
	}
	fm, err := loadFieldmap(fieldmapTxt, spec)
	if err != nil {
		fail("%v", err)
	}

	var w *bufio.Writer
	var outFile *os.File
	if *flagOut == "-" {
		w = bufio.NewWriter(os.Stdout)
	} else {
		outFile, err = os.Create(*flagOut + ".tmp")
		if err != nil {
			fail("%v", err)
		}
		w = bufio.NewWriterSize(outFile, 1<<20)
	}

	kmsgVersion := "unknown"
	if bi, ok := readBuildInfo(); ok {
		kmsgVersion = bi
	}
	fmt.Fprintf(w, "# kmsg test vectors: github.com/twmb/franz-go/pkg/kmsg %s, seed %d, n %d\n", kmsgVersion, *flagSeed, *flagN)
	fmt.Fprintf(w, "# <api_key> <version> <req|resp> <hex body>  |  frame <api_key> <version> <hex header+body, no size prefix>  ('-' = empty)\n")

	var (
		nVectors, nFrames int
		roundTripFail     []string
		beyondKeys        []string
		unmapped          = map[string]bool{}
		leaks             = map[leak][]int{}
	)

	for key := 0; key <= *flagMaxKey; key++ {
		proto := kmsg.RequestForKey(int16(key))
		if proto == nil {
			continue
		}
		sp := spec[key]
		kmax := int(proto.MaxVersion())
		specMax := -1
		if sp != nil && sp.req != nil {
			specMax = sp.req.maxVersion()
		}
		if kmax > specMax {
			beyondKeys = append(beyondKeys, fmt.Sprintf("%d:v%d-v%d", key, specMax+1, kmax))
		}
		for v := 0; v <= kmax; v++ {
			for side := 0; side < 2; side++ {
				var sm *jsonMsg
				if sp != nil {
					if side == 0 {
						sm = sp.req
					} else {
						sm = sp.resp
					}
				}
				var msgName string
				var msgFM map[string][]*fmEntry
				if sm != nil {
					msgName = sm.Name
					msgFM = fm[sm.Name]
				}
				for i := 0; i < *flagN; i++ {
					var req kmsg.Request
					var resp kmsg.Response
					var sv reflect.Value
					if side == 0 {
						req = kmsg.RequestForKey(int16(key))
						req.SetVersion(int16(v))
						sv = reflect.ValueOf(req).Elem()
					} else {
						resp = kmsg.ResponseForKey(int16(key))
						resp.SetVersion(int16(v))
						sv = reflect.ValueOf(resp).Elem()
					}
					if i == 0 && msgName != "" {
						if err := checkGoPaths(fm, msgName, sv.Type()); err != nil {
							fail("%v", err)
						}
					}
					flex := false
					if side == 0 {
						flex = req.IsFlexible()
					} else {
						flex = resp.IsFlexible()
					}
					g := &gen{
						r:            rand.New(rand.NewPCG(*flagSeed, uint64(key)<<32|uint64(v)<<16|uint64(side)<<8|uint64(i))),
						msgName:      msgName,
						fm:           msgFM,
						spec:         sm,
						v:            v,
						flex:         flex,
						beyond:       sm == nil || v > specMax,
						specMax:      specMax,
						maxDepth:     12,
						unmappedSeen: unmapped,
					}
					g.fillStruct(sv, "", 0, true)

					var body, again []byte
					var rerr error
					kind := "req"
					if side == 0 {
						body = req.AppendTo(nil)
						back := kmsg.RequestForKey(int16(key))
						back.SetVersion(int16(v))
						rerr = back.ReadFrom(body)
						again = back.AppendTo(nil)
						if i == 0 && !g.beyond {
							perturbCheck(back, nil, msgFM, v, *flagSeed, leaks)
						}
					} else {
						kind = "resp"
						body = resp.AppendTo(nil)
						back := kmsg.ResponseForKey(int16(key))
						back.SetVersion(int16(v))
						rerr = back.ReadFrom(body)
						again = back.AppendTo(nil)
						if i == 0 && !g.beyond {
							perturbCheck(nil, back, msgFM, v, *flagSeed, leaks)
						}
					}
					if rerr != nil || !bytes.Equal(body, again) {
						roundTripFail = append(roundTripFail, fmt.Sprintf("%d v%d %s #%d: err=%v equal=%v", key, v, kind, i, rerr, bytes.Equal(body, again)))
					}
					fmt.Fprintf(w, "%d %d %s %s\n", key, v, kind, hexOrDash(body))
					nVectors++

					if side == 0 && i < *flagFrames {
						var f *kmsg.RequestFormatter
						var clientID *string
						if i%2 == 0 {
							id := "samsa-" + g.str()
							clientID = &id
							f = kmsg.NewRequestFormatter(kmsg.FormatterClientID(id))
						} else {
							f = kmsg.NewRequestFormatter()
						}
						corr := int32(g.r.Uint32())
						frame := f.AppendRequest(nil, req, corr)
						if key == 7 && v == 0 {
							// kmsg's AppendRequest returns only the size
							// placeholder and the v0 header (api key, version,
							// correlation id) for ControlledShutdown v0; add
							// the body and the size ourselves.
							frame = req.AppendTo(frame)
							sz := len(frame) - 4
							frame[0], frame[1], frame[2], frame[3] = byte(sz>>24), byte(sz>>16), byte(sz>>8), byte(sz)
						}
						if n := int(uint32(frame[0])<<24 | uint32(frame[1])<<16 | uint32(frame[2])<<8 | uint32(frame[3])); n != len(frame)-4 {
							fail("%d v%d: frame size prefix %d != %d", key, v, n, len(frame)-4)
						}
						hdr := 8
						if !(key == 7 && v == 0) {
							hdr += 2
							if clientID != nil {
								hdr += len(*clientID)
							}
							if req.IsFlexible() {
								hdr++
							}
						}
						if !bytes.Equal(frame[4+hdr:], body) {
							fail("%d v%d: frame body differs from AppendTo", key, v)
						}
						fmt.Fprintf(w, "frame %d %d %s\n", key, v, hexOrDash(frame[4:]))
						nFrames++
					}
				}
			}
		}
	}
	if err := w.Flush(); err != nil {
		fail("%v", err)
	}
	if outFile != nil {
		if err := outFile.Close(); err != nil {
			fail("%v", err)
		}
	}

	if !*flagQuiet {
		fmt.Fprintf(os.Stderr, "kmsgvectors: kmsg %s: %d body vectors, %d frames\n", kmsgVersion, nVectors, nFrames)
		fmt.Fprintf(os.Stderr, "kmsgvectors: versions only kmsg knows (key:versions): %s\n", strings.Join(beyondKeys, " "))
		var um []string
		for k := range unmapped {
			um = append(um, k)
		}
		sort.Strings(um)
		fmt.Fprintf(os.Stderr, "kmsgvectors: %d kmsg fields with no official counterpart in any shared version (left at kmsg defaults):\n", len(um))
		for _, u := range um {
			fmt.Fprintf(os.Stderr, "  %s\n", u)
		}
		var lk []string
		for k, vs := range leaks {
			lk = append(lk, fmt.Sprintf("  %s.%s %s", k.msg, k.path, versionsString(vs)))
		}
		sort.Strings(lk)
		fmt.Fprintf(os.Stderr, "kmsgvectors: %d kmsg fields that kmsg encodes in versions where the official schema lacks them (when set):\n", len(lk))
		for _, l := range lk {
			fmt.Fprintln(os.Stderr, l)
		}
	}
	if len(roundTripFail) > 0 {
		for _, f := range roundTripFail {
			fmt.Fprintf(os.Stderr, "kmsgvectors: round trip failed: %s\n", f)
		}
		fail("%d round-trip failures", len(roundTripFail))
	}
	if outFile != nil {
		if err := os.Rename(*flagOut+".tmp", *flagOut); err != nil {
			fail("%v", err)
		}
	}
}
