package json

import (
	"encoding/binary"
	"math/bits"
	"strconv"
)

// maxDepth bounds nesting inside a value; deeper input is an error, not a stack overflow.
const maxDepth = 1024

// SyntaxError is malformed JSON: the byte offset in the record and what was wrong.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return "json: " + e.Msg + " at byte " + strconv.Itoa(e.Offset)
}

// Scanner walks the top-level members of one JSON object without allocating. Values
// are returned raw (validated, not decoded); decode them with String, Int64, ... or,
// for a nested object (a ROW column), with a second Scanner over Value().
//
//	if err := sc.Reset(rec); err != nil { ... }
//	for sc.Next() {
//	    switch string(sc.Key()) {   // no allocation: the compiler compares in place
//	    case "id":   id, ok = sc.Int64()
//	    case "name": ...
//	    }
//	}
//	if err := sc.Err(); err != nil { ... }
//
// A scanner made with the keys the caller reads (NewScanner("id", "name")) also tells
// which of them the current member is (Field: its index, or -1), matching the key
// against the one that followed the last match before anything else: the records of
// one source mostly list their members in the same order, so a key is then compared in
// place, never scanned.
//
// A repeated key is reported each time; the last one wins when code assigns in the
// loop, as with Jackson's tree model that Flink uses.
//
// Next is the hot path of a JSON job: it expects compact JSON ("k":v,) and looks for
// whitespace only where the expected byte is not there, keeps the current key and
// value as offsets (no pointer stores), and notes the value's kind, so that Text,
// Int64 and IsNull answer without looking at the value again (an integer is parsed
// while it is validated).
type Scanner struct {
	rec      []byte
	pos      int // after the current value: where Next goes on
	keyStart int // the current key is rec[keyStart:keyEnd], or keyBuf when keyEsc
	keyEnd   int
	valStart int // the current value is rec[valStart:pos]
	num      int64
	kind     uint8 // the current value's kind (kindString, ...)
	keyEsc   bool  // the key had escapes: keyBuf holds it unescaped
	state    uint8 // stateFirst, stateMember, stateDone
	field    int   // the current key's index in keys, or -1
	expect   int   // the index in keys of the key expected next
	keys     []scanKey
	index    map[string]int // keys' indexes when there are many
	seen     uint64         // bit i: keys[i] was in the record (i < 64)
	seenMore []uint64       // the same for keys[64:]
	keyBuf   []byte
	err      error
	stack    [maxDepth / 64]uint64
}

// States of a Scanner.
const (
	stateFirst  = iota // after '{': a key or '}' expected
	stateMember        // after a member: ',' or '}' expected
	stateDone          // after the object, or after an error
)

// Kinds of the current value.
const (
	kindOther  = iota // object, array, true, false
	kindNull          // null
	kindString        // a string without escapes
	kindEscStr        // a string with escapes
	kindInt           // an integer of at most 18 digits, parsed into num
	kindNumber        // any other number
)

// scanKey is a key of NewScanner with what Next compares in place: the bytes of the
// key and its closing quote as two little-endian words and their masks, when they fit
// in 16 bytes and JSON needs no escape for them (raw bytes equal means equal keys),
// for the first 64 keys.
type scanKey struct {
	name   string
	w0, w1 uint64
	m0, m1 uint64
	fast   bool
}

// NewScanner returns an empty scanner; call Reset with a record. keys are the member
// names whose index Field reports.
func NewScanner(keys ...string) *Scanner {
	s := &Scanner{keys: make([]scanKey, len(keys))}
	for i, k := range keys {
		sk := scanKey{name: k}
		if pat := []byte(k + `"`); i < 64 && len(pat) <= 16 && plainEnd(pat, 0) == len(k) {
			var w, m [16]byte
			copy(w[:], pat)
			for j := range pat {
				m[j] = 0xff
			}
			sk.w0, sk.w1 = binary.LittleEndian.Uint64(w[:8]), binary.LittleEndian.Uint64(w[8:])
			sk.m0, sk.m1 = binary.LittleEndian.Uint64(m[:8]), binary.LittleEndian.Uint64(m[8:])
			sk.fast = true
		}
		s.keys[i] = sk
	}
	if len(keys) > 64 {
		s.seenMore = make([]uint64, (len(keys)-64+63)/64)
	}
	if len(keys) > 8 {
		s.index = make(map[string]int, len(keys))
		for i := len(keys) - 1; i >= 0; i-- {
			s.index[keys[i]] = i
		}
	}
	return s
}

// Field returns the index in the scanner's keys (NewScanner) of the current member's
// name, or -1 when it is none of them.
func (s *Scanner) Field() int { return s.field }

// Missing returns the first of the scanner's keys (NewScanner) that the record did not
// hold, after Next returned false: what json.fail-on-missing-field reports. A member
// whose value is null is not missing.
func (s *Scanner) Missing() (string, bool) {
	for i := range s.keys {
		var saw bool
		if i < 64 {
			saw = s.seen&(1<<i) != 0
		} else {
			saw = s.seenMore[(i-64)/64]&(1<<((i-64)%64)) != 0
		}
		if !saw {
			return s.keys[i].name, true
		}
	}
	return "", false
}

// see notes that keys[n] was in the record.
func (s *Scanner) see(n int) {
	if n < 64 {
		s.seen |= 1 << n
	} else {
		s.seenMore[(n-64)/64] |= 1 << ((n - 64) % 64)
	}
}

// lookup returns the index of key in s.keys, or -1.
func (s *Scanner) lookup(key []byte) int {
	if s.index != nil {
		if i, ok := s.index[string(key)]; ok {
			return i
		}
		return -1
	}
	for i := range s.keys {
		if string(key) == s.keys[i].name {
			return i
		}
	}
	return -1
}

// Reset starts scanning rec, which must hold one JSON object (surrounding whitespace
// allowed). It returns an error if rec does not start with '{'.
func (s *Scanner) Reset(rec []byte) error {
	s.rec, s.err, s.state, s.kind = rec, nil, stateFirst, kindOther
	s.keyStart, s.keyEnd, s.valStart, s.keyEsc, s.field, s.expect = 0, 0, 0, false, -1, 0
	s.seen = 0
	clear(s.seenMore)
	i := 0
	if len(rec) == 0 || rec[0] != '{' {
		i = skipWS(rec, 0)
		if i >= len(rec) || rec[i] != '{' {
			s.pos = i
			return s.fail("expected '{' at the start of a record")
		}
	}
	s.pos = i + 1
	return nil
}

// Err returns the first syntax error, or nil. After Next returns false with Err nil,
// the whole record was one well-formed object.
func (s *Scanner) Err() error { return s.err }

// Key returns the current member's name, unescaped (valid until the next call to Next).
func (s *Scanner) Key() []byte {
	if s.keyEsc {
		return s.keyBuf
	}
	return s.rec[s.keyStart:s.keyEnd]
}

// Value returns the current member's raw value: a string with its quotes, a number,
// true, false, null, or a whole nested object or array.
func (s *Scanner) Value() []byte { return s.rec[s.valStart:s.pos] }

// IsNull reports whether the current value is null.
func (s *Scanner) IsNull() bool { return s.kind == kindNull }

// IsString reports whether the current value is a string.
func (s *Scanner) IsString() bool { return s.kind == kindString || s.kind == kindEscStr }

// Text is Text(s.Value(), scratch) without looking at the value again when it is a
// string without escapes (the scanner already knows): its content is returned as a view.
func (s *Scanner) Text(scratch []byte) ([]byte, bool) {
	if s.kind == kindString {
		return s.rec[s.valStart+1 : s.pos-1], true
	}
	return Text(s.Value(), scratch)
}

// Int64 is Int64(s.Value()) without looking at the value again when it is an integer
// of at most 18 digits (the scanner parsed it). ok=false for null.
func (s *Scanner) Int64() (int64, bool) {
	if s.kind == kindInt {
		return s.num, true
	}
	return s.int64()
}

// int64 is Int64's slow path, out of line so that Int64 inlines.
//
//go:noinline
func (s *Scanner) int64() (int64, bool) { return Int64(s.Value()) }

func (s *Scanner) fail(msg string) error {
	if s.err == nil {
		s.err = &SyntaxError{Offset: s.pos, Msg: msg}
	}
	s.state = stateDone
	return s.err
}

// failAt records a syntax error at offset i and returns false.
func (s *Scanner) failAt(i int, msg string) bool {
	s.pos = i
	s.fail(msg)
	return false
}

// skipWS returns the offset of the first byte at or after i that is not JSON whitespace.
func skipWS(rec []byte, i int) int {
	for i < len(rec) {
		switch rec[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

func (s *Scanner) skipWS() { s.pos = skipWS(s.rec, s.pos) }

// Next advances to the next top-level member and reports whether there is one.
func (s *Scanner) Next() bool {
	rec, i := s.rec, s.pos
	// The separator: ',' after a member (or '}': the end), nothing before the first.
	if s.state == stateMember {
		if i < len(rec) && rec[i] == ',' {
			i++
		} else if i = s.afterMember(i); i < 0 {
			return false
		}
	} else if s.state != stateFirst {
		return false
	}
	// The key.
	if i >= len(rec) || rec[i] != '"' {
		if i = skipWS(rec, i); i >= len(rec) || rec[i] != '"' {
			if s.state == stateFirst && i < len(rec) && rec[i] == '}' {
				return s.end(i + 1) // {}
			}
			return s.failAt(i, "expected string key")
		}
	}
	if n := s.expect; n < len(s.keys) && i+17 <= len(rec) {
		// The key the caller reads after the last one found: compared in place.
		if k := &s.keys[n]; k.fast &&
			binary.LittleEndian.Uint64(rec[i+1:])&k.m0 == k.w0 && binary.LittleEndian.Uint64(rec[i+9:])&k.m1 == k.w1 {
			s.keyStart, s.keyEnd, s.keyEsc = i+1, i+1+len(k.name), false
			s.field, s.expect = n, n+1
			s.seen |= 1 << (n & 63) // a fast key is one of the first 64
			i += len(k.name) + 2
			goto colon
		}
	}
	if j := plainEnd(rec, i+1); j < len(rec) && rec[j] == '"' {
		s.keyStart, s.keyEnd, s.keyEsc = i+1, j, false
		i = j + 1
	} else { // escapes, or an error
		end, _, ok := s.scanString(i)
		if !ok {
			return false
		}
		s.keyBuf = unescape(s.keyBuf[:0], rec[i+1:end-1])
		s.keyEsc = true
		i = end
	}
	s.field = -1
	if len(s.keys) > 0 {
		if s.field = s.lookup(s.Key()); s.field >= 0 {
			s.expect = s.field + 1
			s.see(s.field)
		}
	}
colon:
	if i < len(rec) && rec[i] == ':' {
		i++
	} else if i = skipWS(rec, i); i < len(rec) && rec[i] == ':' {
		i++
	} else {
		return s.failAt(i, "expected ':' after object key")
	}
	// The value: strings and numbers here, the rest in value.
	var c byte
	if i < len(rec) {
		c = rec[i]
	}
	if c <= ' ' {
		if i = skipWS(rec, i); i < len(rec) {
			c = rec[i]
		}
	}
	s.valStart = i
	switch {
	case c == '"':
		j := plainEnd(rec, i+1)
		if j < len(rec) && rec[j] == '"' {
			s.kind, i = kindString, j+1
			break
		}
		end, escaped, ok := s.scanString(i)
		if !ok {
			return false
		}
		s.kind, i = kindString, end
		if escaped {
			s.kind = kindEscStr
		}
	case c-'0' <= 9 || c == '-':
		// An integer is parsed as it is validated; anything else goes to scanNumber.
		d := i
		if c == '-' {
			d++
		}
		j, u := d, uint64(0)
		for j < len(rec) && rec[j]-'0' <= 9 {
			u = u*10 + uint64(rec[j]-'0')
			j++
		}
		if n := j - d; uint(n-1) < 18 && (n == 1 || rec[d] != '0') &&
			(j == len(rec) || rec[j] != '.' && rec[j]|0x20 != 'e') {
			s.num, s.kind, i = int64(u), kindInt, j
			if c == '-' {
				s.num = -s.num
			}
			break
		}
		end, ok := s.scanNumber(i)
		if !ok {
			return false
		}
		s.kind, i = kindNumber, end
	default:
		end, kind, ok := s.value(i)
		if !ok {
			return false
		}
		s.kind, i = kind, end
	}
	s.pos = i
	s.state = stateMember
	return true
}

// afterMember is Next's slow path between members: whitespace, or the end of the
// object. It returns the offset after the ',', or -1 when there is no next member.
func (s *Scanner) afterMember(i int) int {
	rec := s.rec
	i = skipWS(rec, i)
	switch {
	case i < len(rec) && rec[i] == ',':
		return i + 1
	case i < len(rec) && rec[i] == '}':
		s.end(i + 1)
		return -1
	case i >= len(rec):
		s.failAt(i, "unexpected end of record in object")
	default:
		s.failAt(i, "expected ',' or '}' after object member")
	}
	return -1
}

// end finishes the object at i (after its '}'): only whitespace may follow.
func (s *Scanner) end(i int) bool {
	s.state = stateDone
	if i = skipWS(s.rec, i); i != len(s.rec) {
		s.failAt(i, "unexpected data after the top-level object")
	}
	s.pos = i
	return false
}

// value scans a value other than a string or a number at i: a literal, or a container
// through skipValue. It returns the offset after it and its kind.
func (s *Scanner) value(i int) (end int, kind uint8, ok bool) {
	rec := s.rec
	switch {
	case i >= len(rec):
		return 0, 0, s.failAt(i, "unexpected end of record: value expected")
	case string(rec[i:min(i+4, len(rec))]) == "null":
		return i + 4, kindNull, true
	case string(rec[i:min(i+4, len(rec))]) == "true":
		return i + 4, kindOther, true
	case string(rec[i:min(i+5, len(rec))]) == "false":
		return i + 5, kindOther, true
	}
	s.pos = i
	if !s.skipValue() {
		return 0, 0, false
	}
	return s.pos, kindOther, true
}

// plainEnd returns the offset of the first '"', '\\' or control character at or after i
// in rec, or len(rec): where a string's plain run ends.
func plainEnd(rec []byte, i int) int {
	// Eight bytes at a time while none of them is '"', '\\' or a control character: the
	// "has a zero byte" test on x^'"', x^'\\' and x-0x20. The lowest flagged byte is
	// always a real match (a borrow only flags bytes above one).
	for ; i+8 <= len(rec); i += 8 {
		x := binary.LittleEndian.Uint64(rec[i : i+8])
		q, b := x^(lsb*'"'), x^(lsb*'\\')
		if t := ((q-lsb)&^q | (b-lsb)&^b | (x-lsb*0x20)&^x) & msb; t != 0 {
			return i + bits.TrailingZeros64(t)>>3
		}
	}
	for i < len(rec) && plainStringByte[rec[i]] {
		i++
	}
	return i
}

// scanString scans the string whose opening quote is at i, validating escapes and
// rejecting raw control characters. It returns the offset after the closing quote.
func (s *Scanner) scanString(i int) (end int, escaped bool, ok bool) {
	rec := s.rec
	i++
	for {
		i = plainEnd(rec, i)
		if i == len(rec) {
			break
		}
		c := rec[i]
		switch {
		case c == '"':
			return i + 1, escaped, true
		case c == '\\':
			escaped = true
			if i+1 >= len(rec) {
				return 0, false, s.failAt(i, "unterminated string")
			}
			switch rec[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(rec) || !isHex4(rec[i+2:i+6]) {
					return 0, false, s.failAt(i, "invalid \\u escape")
				}
				i += 6
			default:
				return 0, false, s.failAt(i, "invalid escape in string")
			}
		default: // c < 0x20
			return 0, false, s.failAt(i, "control character in string")
		}
	}
	return 0, false, s.failAt(i, "unterminated string")
}

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// plainStringByte marks the bytes a string can hold as they are (not '"', '\\' or a
// control character), so scanString can skip them in a tight loop.
var plainStringByte = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func isHex4(b []byte) bool {
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'f') {
			return false
		}
	}
	return true
}

// scanNumber validates -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? at i and returns
// the offset after it.
func (s *Scanner) scanNumber(i int) (end int, ok bool) {
	rec := s.rec
	if i < len(rec) && rec[i] == '-' {
		i++
	}
	switch {
	case i < len(rec) && rec[i] == '0':
		i++
	case i < len(rec) && rec[i] >= '1' && rec[i] <= '9':
		for i < len(rec) && rec[i]-'0' <= 9 {
			i++
		}
	default:
		return 0, s.failAt(i, "invalid number")
	}
	if i < len(rec) && rec[i] == '.' {
		i++
		d := i
		for i < len(rec) && rec[i]-'0' <= 9 {
			i++
		}
		if i == d {
			return 0, s.failAt(i, "invalid number: no digits after '.'")
		}
	}
	if i < len(rec) && (rec[i] == 'e' || rec[i] == 'E') {
		i++
		if i < len(rec) && (rec[i] == '+' || rec[i] == '-') {
			i++
		}
		d := i
		for i < len(rec) && rec[i]-'0' <= 9 {
			i++
		}
		if i == d {
			return 0, s.failAt(i, "invalid number: no digits in exponent")
		}
	}
	return i, true
}

func (s *Scanner) literal(word string) bool {
	if len(s.rec)-s.pos >= len(word) && string(s.rec[s.pos:s.pos+len(word)]) == word {
		s.pos += len(word)
		return true
	}
	s.fail("invalid literal")
	return false
}

// skipValue scans one value at s.pos, including nested containers (iteratively, with
// the container kinds kept in a bit stack).
func (s *Scanner) skipValue() bool {
	depth := 0
	for {
		// A value is expected at s.pos.
		s.skipWS()
		if s.pos >= len(s.rec) {
			s.fail("unexpected end of record: value expected")
			return false
		}
		switch c := s.rec[s.pos]; {
		case c == '{' || c == '[':
			if depth == maxDepth {
				s.fail("nesting too deep")
				return false
			}
			isObj := c == '{'
			if isObj {
				s.stack[depth/64] |= 1 << (depth % 64)
			} else {
				s.stack[depth/64] &^= 1 << (depth % 64)
			}
			depth++
			s.pos++
			s.skipWS()
			if s.pos < len(s.rec) && (s.rec[s.pos] == '}' && isObj || s.rec[s.pos] == ']' && !isObj) {
				s.pos++
				depth--
				break // the empty container is a complete value
			}
			if isObj && !s.memberKey() {
				return false
			}
			continue // read the first element's value
		case c == '"':
			end, _, ok := s.scanString(s.pos)
			if !ok {
				return false
			}
			s.pos = end
		case c == '-' || c-'0' <= 9:
			end, ok := s.scanNumber(s.pos)
			if !ok {
				return false
			}
			s.pos = end
		case c == 't':
			if !s.literal("true") {
				return false
			}
		case c == 'f':
			if !s.literal("false") {
				return false
			}
		case c == 'n':
			if !s.literal("null") {
				return false
			}
		default:
			s.fail("unexpected character: value expected")
			return false
		}
		// A complete value ends here: close containers or move to the next element.
		for {
			if depth == 0 {
				return true
			}
			s.skipWS()
			if s.pos >= len(s.rec) {
				s.fail("unexpected end of record in container")
				return false
			}
			isObj := s.stack[(depth-1)/64]&(1<<((depth-1)%64)) != 0
			c := s.rec[s.pos]
			if c == ',' {
				s.pos++
				if isObj && !s.memberKey() {
					return false
				}
				break // next value
			}
			if c == '}' && isObj || c == ']' && !isObj {
				s.pos++
				depth--
				continue
			}
			s.fail("expected ',' or closing bracket")
			return false
		}
	}
}

// memberKey scans `"key" :` inside a nested object.
func (s *Scanner) memberKey() bool {
	s.skipWS()
	if s.pos >= len(s.rec) || s.rec[s.pos] != '"' {
		s.fail("expected string key")
		return false
	}
	end, _, ok := s.scanString(s.pos)
	if !ok {
		return false
	}
	s.pos = end
	s.skipWS()
	if s.pos >= len(s.rec) || s.rec[s.pos] != ':' {
		s.fail("expected ':' after object key")
		return false
	}
	s.pos++
	return true
}
