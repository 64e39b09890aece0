package options

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Problem is one thing wrong with a table's options. Key is the key as written, so the
// compiler can point at it; it is "" for a required option that is missing (Msg names it).
type Problem struct {
	Key string
	Msg string
}

func (p Problem) Error() string { return p.Msg }

// legacyConnectorTypes maps the values of the 1.10 key connector.type.
var legacyConnectorTypes = map[string]string{
	"kafka":      "kafka",
	"jdbc":       "jdbc",
	"filesystem": "filesystem",
}

// resolver holds the state of one Resolve call.
type resolver struct {
	r     *Resolved
	cd    *connectorDesc
	probs []Problem
	// wrote is the set of modern format keys written ("format", "key.format"), valid or
	// not, so that a bad format is not also reported as missing.
	wrote map[string]bool
}

func (s *resolver) problem(key, format string, args ...any) {
	s.probs = append(s.probs, Problem{Key: key, Msg: fmt.Sprintf(format, args...)})
}

// Resolve maps legacy keys to modern ones and checks a table's options: the connector
// and format exist, every key is known to them, required options are present, values
// parse (durations, booleans, integers, enums), and no option is set twice (also not
// once as a legacy key and once as a modern one). Values containing ${NAME} are not
// type-checked: they are expanded and checked when the job starts.
//
// The returned Resolved is never nil; with problems it holds what could be resolved.
func Resolve(table string, written []KV) (*Resolved, []Problem) {
	s := &resolver{
		r:     &Resolved{Table: table, Values: map[string]string{}, written: map[string]string{}},
		wrote: map[string]bool{},
	}
	if !s.resolveConnector(written) {
		return s.r, s.probs
	}
	s.resolveFormats(written)
	for _, kv := range written {
		s.resolveOption(kv)
	}
	s.checkRequired()
	s.crossCheck()
	return s.r, s.probs
}

// resolveConnector finds 'connector' (or legacy 'connector.type') and reports whether
// the connector is known.
func (s *resolver) resolveConnector(written []KV) bool {
	var at *KV
	for i := range written {
		kv := &written[i]
		if kv.Key != "connector" && kv.Key != "connector.type" {
			continue
		}
		if at != nil {
			s.problem(kv.Key, "%s", conflictMsg(at.Key, kv.Key, "connector"))
			continue
		}
		at = kv
	}
	if at == nil {
		s.problem("", "missing required option 'connector' for table '%s'; supported connectors: %s", s.r.Table, strings.Join(Connectors(), ", "))
		return false
	}
	name := at.Value
	if HasVars(name) {
		s.problem(at.Key, "option '%s' cannot use ${...}: the connector is fixed when the job is compiled", at.Key)
		return false
	}
	if at.Key == "connector.type" {
		if m, ok := legacyConnectorTypes[name]; ok {
			name = m
		} else {
			s.problem(at.Key, "unsupported legacy connector.type '%s'; supported: %s (or use 'connector' = one of %s)",
				name, strings.Join(sortedKeys(legacyConnectorTypes), ", "), strings.Join(Connectors(), ", "))
			return false
		}
	}
	cd := connectors[name]
	if cd == nil {
		msg := fmt.Sprintf("unsupported connector '%s'", name)
		if sug := suggest(name, Connectors()); sug != "" {
			msg += fmt.Sprintf("; did you mean '%s'?", sug)
		}
		s.problem(at.Key, "%s supported connectors: %s", msg+sep(msg), strings.Join(Connectors(), ", "))
		return false
	}
	s.cd = cd
	s.r.Connector = name
	return true
}

// canonical maps a written key to its modern key, before format-dependent mapping.
func (s *resolver) canonical(key string) string {
	if m, ok := legacyKeys[key]; ok {
		return m
	}
	if key == "connector.properties.zookeeper.connect" {
		return key
	}
	if rest, ok := strings.CutPrefix(key, "connector.properties."); ok {
		return "properties." + rest
	}
	if key == "value.format" && strings.Contains(s.cd.formatKey, "value.format") {
		return "format"
	}
	return key
}

// resolveFormats finds the value format and the key format.
func (s *resolver) resolveFormats(written []KV) {
	if s.cd.formatKey == "" {
		return
	}
	for _, kv := range written {
		c := s.canonical(kv.Key)
		var dst *string
		switch {
		case c == "format" && (kv.Key != "format" || s.cd.formatKey != "value.format"):
			dst = &s.r.Format
		case c == "key.format" && s.cd.keyFormat:
			dst = &s.r.KeyFormat
		default:
			continue
		}
		s.wrote[c] = true
		if *dst != "" || HasVars(kv.Value) {
			continue // conflicts are reported by resolveOption; ${...} is rejected there
		}
		if _, ok := formats[kv.Value]; ok {
			*dst = kv.Value
		}
	}
}

func (s *resolver) resolveOption(kv KV) {
	r := s.r
	c := s.canonical(kv.Key)
	switch {
	case c == "connector":
		s.record(kv.Key, c, r.Connector)
		return
	case c == "format" && (kv.Key != "format" || s.cd.formatKey != "value.format"),
		c == "key.format" && s.cd.keyFormat:
		s.resolveFormatKey(kv, c)
		return
	}
	// 1.10 format.* keys name an option of the value format.
	if rest, ok := strings.CutPrefix(c, "format."); ok && s.cd.formatKey != "" {
		if legacyFormatOnly[c] {
			s.record(kv.Key, c, "")
			return
		}
		if r.Format == "" {
			if !s.wrote["format"] {
				s.unknown(kv.Key)
			}
			return // the missing or bad format is reported already
		}
		if d := findIn(formats[r.Format], r.Format+"."+rest); d != nil {
			c = r.Format + "." + rest
		} else {
			s.problem(kv.Key, "unsupported legacy option '%s' for format '%s'; valid %s options: %s",
				kv.Key, r.Format, r.Format, strings.Join(formatKeys(r.Format, ""), ", "))
			return
		}
	}
	// value.<fmt>.* is the value format's option <fmt>.*.
	if strings.Contains(s.cd.formatKey, "value.format") && r.Format != "" {
		if rest, ok := strings.CutPrefix(c, "value."+r.Format+"."); ok {
			c = r.Format + "." + rest
		}
	}
	d := lookupDesc(r.Connector, r.Format, r.KeyFormat, c)
	if d == nil {
		if s.formatPending(c) {
			return // an option of a missing or unsupported format: that is reported once
		}
		s.unknown(kv.Key)
		return
	}
	if d.unsupported != "" {
		s.problem(kv.Key, "%s", d.unsupported)
		return
	}
	v, ok := s.checkValue(kv, d)
	if !ok {
		return
	}
	if s.record(kv.Key, c, v) && d.note != "" {
		r.Notes = append(r.Notes, d.note)
	}
}

// formatPending reports whether key belongs to a format that could not be resolved
// (missing or unsupported), whose problem is reported on its own.
func (s *resolver) formatPending(key string) bool {
	if s.cd.formatKey == "" {
		return false
	}
	head, _, _ := strings.Cut(key, ".")
	if head == "key" || head == "value" {
		return false
	}
	_, isFormat := formats[head]
	return s.r.Format == "" && isFormat
}

func (s *resolver) resolveFormatKey(kv KV, c string) {
	if HasVars(kv.Value) {
		s.problem(kv.Key, "option '%s' cannot use ${...}: the format is fixed when the job is compiled", kv.Key)
		return
	}
	if _, ok := formats[kv.Value]; !ok {
		msg := fmt.Sprintf("unsupported format '%s'", kv.Value)
		if sug := suggest(kv.Value, Formats()); sug != "" {
			msg += fmt.Sprintf("; did you mean '%s'?", sug)
		}
		s.problem(kv.Key, "%s supported formats: %s", msg+sep(msg), strings.Join(Formats(), ", "))
		return
	}
	s.record(kv.Key, c, kv.Value)
}

// record stores a value under its modern key; a second write of the same modern key is
// a problem. It reports whether the value was stored.
func (s *resolver) record(writtenKey, key, value string) bool {
	if prev, ok := s.r.written[key]; ok {
		s.problem(writtenKey, "%s", conflictMsg(prev, writtenKey, key))
		return false
	}
	s.r.written[key] = writtenKey
	if !legacyFormatOnly[key] { // accepted and unused: not an option of the runtime
		s.r.Values[key] = value
	}
	return true
}

func conflictMsg(first, second, key string) string {
	if first == second {
		return fmt.Sprintf("option '%s' is set twice", second)
	}
	return fmt.Sprintf("options '%s' and '%s' both set '%s'; keep only one (prefer '%s')", first, second, key, key)
}

// unknown reports a key that neither the connector nor its formats know.
func (s *resolver) unknown(key string) {
	valid := validKeys(s.cd, s.r.Format, s.r.KeyFormat)
	what := fmt.Sprintf("connector '%s'", s.r.Connector)
	if s.r.Format != "" {
		what += fmt.Sprintf(" and format '%s'", s.r.Format)
	}
	msg := fmt.Sprintf("unsupported option '%s' for %s", key, what)
	candidates := append([]string(nil), valid...)
	for legacy, modern := range legacyKeys {
		if contains(valid, modern) {
			candidates = append(candidates, legacy)
		}
	}
	sort.Strings(candidates)
	if sug := suggest(key, candidates); sug != "" {
		s.problem(key, "%s; did you mean '%s'? valid options: %s", msg, sug, strings.Join(valid, ", "))
		return
	}
	s.problem(key, "%s; valid options: %s", msg, strings.Join(valid, ", "))
}

// checkValue validates and normalizes a value for its descriptor.
func (s *resolver) checkValue(kv KV, d *desc) (string, bool) {
	v := kv.Value
	if HasVars(v) {
		// Checked when the job starts; only the reference syntax can be checked now.
		if _, err := Expand(v, func(string) (string, bool) { return "x", true }); err != nil {
			s.problem(kv.Key, "invalid value '%s' for option '%s': %v", MaskValue(kv.Key, v), kv.Key, Redact(err.Error()))
			return "", false
		}
		return v, true
	}
	norm, err := checkKind(d, v)
	if err != "" {
		s.problem(kv.Key, "invalid value '%s' for option '%s': %s", MaskValue(kv.Key, v), kv.Key, err)
		return "", false
	}
	return norm, true
}

// checkKind returns the normalized value, or a message saying what is expected.
func checkKind(d *desc, v string) (string, string) {
	switch d.kind {
	case kBool:
		if _, err := ParseBool(v); err != nil {
			return "", "expected 'true' or 'false'"
		}
		return strings.ToLower(strings.TrimSpace(v)), ""
	case kInt:
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return "", "expected an integer"
		}
		if d.bounds != nil && (n < d.bounds[0] || n > d.bounds[1]) {
			return "", "expected an integer " + boundsText(d.bounds)
		}
		return strings.TrimSpace(v), ""
	case kMemory:
		n, err := ParseMemorySize(v)
		if err != nil {
			return "", "expected a memory size such as '100b', '1kb' or '64 mb'"
		}
		if d.bounds != nil && (n < d.bounds[0] || n > d.bounds[1]) {
			return "", "expected a memory size " + boundsText(d.bounds) + " bytes"
		}
		return v, ""
	case kFloat:
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return "", "expected a number"
		}
		if d.bounds != nil && (f < float64(d.bounds[0]) || f > float64(d.bounds[1])) {
			return "", "expected a number " + boundsText(d.bounds)
		}
		return strings.TrimSpace(v), ""
	case kDuration:
		dur, err := ParseDuration(v)
		if err != nil {
			return "", "expected a duration such as '500ms', '1s', '1 min' or '500' (milliseconds)"
		}
		if d.bounds != nil && (dur.Milliseconds() < d.bounds[0] || dur.Milliseconds() > d.bounds[1]) {
			return "", "expected a duration " + boundsText(d.bounds) + " milliseconds"
		}
		return v, ""
	case kEnum:
		for _, e := range d.enum {
			if strings.EqualFold(strings.TrimSpace(v), e) {
				return e, ""
			}
		}
		return "", "expected one of " + quoteList(d.enum)
	case kChar:
		// Stored as written: the format unescapes it (csv.ConfigFrom); unescaping
		// twice would turn '\\' into an invalid lone backslash.
		if len(unescapeChar(v)) != 1 {
			return "", "expected a single one-byte character (escapes such as '\\t' or '\\u0001' are allowed)"
		}
		return v, ""
	}
	return v, ""
}

// boundsText says what range an integer must lie in: "from 1 to 2147483647", "of at
// least 0".
func boundsText(b *[2]int64) string {
	if b[1] == math.MaxInt64 {
		return fmt.Sprintf("of at least %d", b[0])
	}
	return fmt.Sprintf("from %d to %d", b[0], b[1])
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = "'" + x + "'"
	}
	return strings.Join(q, ", ")
}

// checkRequired reports required options that are missing.
func (s *resolver) checkRequired() {
	r := s.r
	legacyName := func(modern string) string {
		for l, m := range legacyKeys {
			if m == modern {
				return l
			}
		}
		return ""
	}
	missing := func(key string) {
		msg := fmt.Sprintf("missing required option '%s' for connector '%s' (table '%s')", key, r.Connector, r.Table)
		if s.usedLegacy() {
			if l := legacyName(key); l != "" {
				msg += fmt.Sprintf(" (legacy key '%s')", l)
			}
		}
		s.problem("", "%s", msg)
	}
	for _, d := range s.cd.options {
		if d.required && !r.Has(d.key) {
			missing(d.key)
		}
	}
	switch s.cd.formatKey {
	case "format":
		if !s.wrote["format"] {
			missing("format")
		}
	case "format|value.format":
		if !s.wrote["format"] {
			s.problem("", "missing required option 'format' (or 'value.format') for connector '%s' (table '%s')", r.Connector, r.Table)
		}
	case "value.format":
		if !s.wrote["format"] {
			missing("value.format")
		}
	}
	if s.cd.name == "upsert-kafka" && !s.wrote["key.format"] {
		missing("key.format")
	}
}

func (s *resolver) usedLegacy() bool {
	for modern, w := range s.r.written {
		if modern != w && strings.HasPrefix(w, "connector.") {
			return true
		}
	}
	return false
}

// crossCheck reports combinations Flink rejects.
func (s *resolver) crossCheck() {
	r := s.r
	switch r.Connector {
	case "kafka":
		hasTopic, hasPattern := r.Has("topic"), r.Has("topic-pattern")
		switch {
		case hasTopic && hasPattern:
			s.problem(r.WrittenKey("topic-pattern"), "options 'topic' and 'topic-pattern' cannot both be set")
		case !hasTopic && !hasPattern:
			s.problem("", "missing required option 'topic' (or 'topic-pattern') for connector 'kafka' (table '%s')", r.Table)
		}
		switch r.Values["scan.startup.mode"] {
		case "timestamp":
			if !r.Has("scan.startup.timestamp-millis") {
				s.problem("", "missing option 'scan.startup.timestamp-millis', required when 'scan.startup.mode' is 'timestamp' (table '%s')", r.Table)
			}
		case "specific-offsets":
			if !r.Has("scan.startup.specific-offsets") {
				s.problem("", "missing option 'scan.startup.specific-offsets', required when 'scan.startup.mode' is 'specific-offsets' (table '%s')", r.Table)
			}
		}
		if r.Has("key.fields") && r.KeyFormat == "" && !r.Has("key.format") {
			s.problem(r.WrittenKey("key.fields"), "option 'key.fields' requires 'key.format'")
		}
		if r.Has("key.fields-prefix") && r.String("value.fields-include") != "EXCEPT_KEY" {
			s.problem(r.WrittenKey("key.fields-prefix"), "option 'key.fields-prefix' requires 'value.fields-include' = 'EXCEPT_KEY'")
		}
		if r.KeyFormat != "" && !r.Has("key.fields") {
			s.problem(r.WrittenKey("key.format"), "option 'key.format' requires 'key.fields' (the columns the key holds)")
		}
	}
	if r.Connector == "nexmark" {
		props := []string{"person.proportion", "auction.proportion", "bid.proportion"}
		sum, known := int64(0), true
		for _, k := range props {
			known = known && !HasVars(r.String(k)) // ${...} is checked when the job starts
			sum += r.Int(k)
		}
		if known && sum <= 0 {
			s.problem(r.WrittenKey("bid.proportion"), "options 'person.proportion', 'auction.proportion' and 'bid.proportion' cannot all be 0")
		}
	}
	if r.Format == "json" && r.Bool("json.fail-on-missing-field") && r.Bool("json.ignore-parse-errors") {
		s.problem(r.WrittenKey("json.ignore-parse-errors"), "'json.fail-on-missing-field' and 'json.ignore-parse-errors' cannot both be true")
	}
	s.checkDeadLetter()
	if r.Format == "csv" && r.Has("csv.quote-character") && r.Bool("csv.disable-quote-character") {
		s.problem(r.WrittenKey("csv.quote-character"), "'csv.quote-character' cannot be set when 'csv.disable-quote-character' is true")
	}
}

// CheckRole reports a connector used in a role it does not support in this runtime (a
// print table read from, a datagen table written to).
func CheckRole(r *Resolved, role Role) []Problem {
	var bad bool
	switch r.Connector {
	case "datagen", "nexmark", "filesystem":
		bad = role == Sink && r.Connector != "filesystem"
	case "print", "blackhole", "upsert-kafka":
		bad = role == Source && r.Connector != "upsert-kafka"
	}
	if !bad {
		return nil
	}
	return []Problem{{Key: r.WrittenKey("connector"), Msg: fmt.Sprintf("connector '%s' cannot be used as a %s (table '%s')", r.Connector, role, r.Table)}}
}

func formatKeys(format, prefix string) []string {
	var out []string
	for _, d := range formats[format] {
		out = append(out, prefix+d.key)
	}
	sort.Strings(out)
	return out
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// suggest returns the candidate closest to s by edit distance when it is close enough
// to be a likely typo, or "".
func suggest(s string, candidates []string) string {
	limit := 1
	switch {
	case len(s) > 10:
		limit = 3
	case len(s) > 4:
		limit = 2
	}
	best, bestD := "", limit+1
	for _, c := range candidates {
		if strings.ContainsAny(c, "#*") {
			continue
		}
		if d := editDistance(strings.ToLower(s), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance is the optimal-string-alignment distance: insertions, deletions,
// substitutions and transpositions of neighbours ("cvs" -> "csv") cost 1.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// sep ends a message part before a list: after a question nothing more is needed.
func sep(msg string) string {
	if strings.HasSuffix(msg, "?") {
		return ""
	}
	return ";"
}

// checkDeadLetter checks the dead-letter options of a source (table.go): one
// destination, a Kafka one with brokers, and only where ignore-parse-errors lets bad
// records through (without it the job stops at the first one).
func (s *resolver) checkDeadLetter() {
	r := s.r
	path, topic := r.Has("dead-letter.path"), r.Has("dead-letter.topic")
	switch {
	case path && topic:
		s.problem(r.WrittenKey("dead-letter.topic"), "options 'dead-letter.path' and 'dead-letter.topic' cannot both be set")
		return
	case !path && !topic:
		for _, k := range []string{"dead-letter.properties.bootstrap.servers", "dead-letter.include-nulled"} {
			if r.Has(k) {
				s.problem(r.WrittenKey(k), "option '%s' needs 'dead-letter.path' or 'dead-letter.topic'", k)
			}
		}
		return
	case topic && !r.Has("dead-letter.properties.bootstrap.servers") && !r.Has("properties.bootstrap.servers"):
		s.problem(r.WrittenKey("dead-letter.topic"), "option 'dead-letter.topic' needs 'dead-letter.properties.bootstrap.servers' (table '%s' has no brokers of its own)", r.Table)
	case path && !HasVars(r.String("dead-letter.path")) && r.String("dead-letter.path") == "":
		s.problem(r.WrittenKey("dead-letter.path"), "option 'dead-letter.path' is empty")
	}
	key := DeadLetterKey(r)
	if key != "" && !r.Bool(r.Format+".ignore-parse-errors") && !HasVars(r.String(r.Format+".ignore-parse-errors")) {
		s.problem(r.WrittenKey(key), "option '%s' needs '%s.ignore-parse-errors' = 'true': without it the job stops at the first bad record, which it names", key, r.Format)
	}
}

// DeadLetterKey returns the dead-letter option a table sets ("dead-letter.path" or
// "dead-letter.topic"), or "" for none.
func DeadLetterKey(r *Resolved) string {
	for _, k := range []string{"dead-letter.path", "dead-letter.topic"} {
		if r.Has(k) {
			return k
		}
	}
	return ""
}
