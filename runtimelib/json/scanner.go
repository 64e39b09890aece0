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
//	    case "id":   id, ok = json.Int64(sc.Value())
//	    case "name": ...
//	    }
//	}
//	if err := sc.Err(); err != nil { ... }
//
// A repeated key is reported each time; the last one wins when code assigns in the
// loop, as with Jackson's tree model that Flink uses.
type Scanner struct {
	rec    []byte
	pos    int
	key    []byte
	val    []byte
	keyBuf []byte
	err    error
	state  uint8 // 0 before the first member, 1 after a member, 2 done
	valStr bool  // val is a string without escapes
	stack  [maxDepth / 64]uint64
}

// NewScanner returns an empty scanner; call Reset with a record.
func NewScanner() *Scanner { return &Scanner{} }

// Reset starts scanning rec, which must hold one JSON object (surrounding whitespace
// allowed). It returns an error if rec does not start with '{'.
func (s *Scanner) Reset(rec []byte) error {
	s.rec, s.pos, s.key, s.val, s.err, s.state, s.valStr = rec, 0, nil, nil, nil, 0, false
	s.skipWS()
	if s.pos >= len(s.rec) || s.rec[s.pos] != '{' {
		return s.fail("expected '{' at the start of a record")
	}
	s.pos++
	return nil
}

// Err returns the first syntax error, or nil. After Next returns false with Err nil,
// the whole record was one well-formed object.
func (s *Scanner) Err() error { return s.err }

// Key returns the current member's name, unescaped (valid until the next call to Next).
func (s *Scanner) Key() []byte { return s.key }

// Value returns the current member's raw value: a string with its quotes, a number,
// true, false, null, or a whole nested object or array.
func (s *Scanner) Value() []byte { return s.val }

// Text is Text(s.Value(), scratch) without looking at the value again when it is a
// string without escapes (the scanner already knows): its content is returned as a view.
func (s *Scanner) Text(scratch []byte) ([]byte, bool) {
	if s.valStr {
		return s.val[1 : len(s.val)-1], true
	}
	return Text(s.val, scratch)
}

func (s *Scanner) fail(msg string) error {
	if s.err == nil {
		s.err = &SyntaxError{Offset: s.pos, Msg: msg}
	}
	s.state = 2
	return s.err
}

func (s *Scanner) skipWS() {
	for s.pos < len(s.rec) {
		switch s.rec[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// Next advances to the next top-level member and reports whether there is one.
func (s *Scanner) Next() bool {
	if s.state == 2 || s.err != nil {
		return false
	}
	s.skipWS()
	if s.pos >= len(s.rec) {
		s.fail("unexpected end of record in object")
		return false
	}
	c := s.rec[s.pos]
	if c == '}' {
		s.pos++
		s.state = 2
		s.skipWS()
		if s.pos != len(s.rec) {
			s.fail("unexpected data after the top-level object")
		}
		return false
	}
	if s.state == 1 {
		if c != ',' {
			s.fail("expected ',' or '}' after object member")
			return false
		}
		s.pos++
		s.skipWS()
	}
	if s.pos >= len(s.rec) || s.rec[s.pos] != '"' {
		s.fail("expected string key")
		return false
	}
	start := s.pos
	end, escaped, ok := s.scanString()
	if !ok {
		return false
	}
	if escaped {
		s.keyBuf = unescape(s.keyBuf[:0], s.rec[start+1:end-1])
		s.key = s.keyBuf
	} else {
		s.key = s.rec[start+1 : end-1]
	}
	s.skipWS()
	if s.pos >= len(s.rec) || s.rec[s.pos] != ':' {
		s.fail("expected ':' after object key")
		return false
	}
	s.pos++
	s.skipWS()
	vstart := s.pos
	s.valStr = false
	// Strings and numbers directly, containers and literals through skipValue.
	var v byte
	if s.pos < len(s.rec) {
		v = s.rec[s.pos]
	}
	switch {
	case v == '"':
		_, escaped, ok := s.scanString()
		if !ok {
			return false
		}
		s.valStr = !escaped
	case v-'0' <= 9 || v == '-':
		if !s.scanNumber() {
			return false
		}
	default: // containers, literals, and the errors (0 at the end of the record)
		if !s.skipValue() {
			return false
		}
	}
	s.val = s.rec[vstart:s.pos]
	s.state = 1
	return true
}

// scanString scans the string starting at s.pos (a '"'), validating escapes and
// rejecting raw control characters. It leaves s.pos after the closing quote.
func (s *Scanner) scanString() (end int, escaped bool, ok bool) {
	i := s.pos + 1
	rec := s.rec
	for i < len(rec) {
		// Eight bytes at a time while none of them is '"', '\\' or a control character:
		// the "has a zero byte" test on x^'"', x^'\\' and x-0x20. The lowest flagged byte
		// is always a real match (a borrow only flags bytes above one).
		for i+8 <= len(rec) {
			x := binary.LittleEndian.Uint64(rec[i:])
			q, b := x^(lsb*'"'), x^(lsb*'\\')
			if t := ((q-lsb)&^q | (b-lsb)&^b | (x-lsb*0x20)&^x) & msb; t != 0 {
				i += bits.TrailingZeros64(t) >> 3
				break
			}
			i += 8
		}
		for i < len(rec) && plainStringByte[rec[i]] {
			i++
		}
		if i == len(rec) {
			break
		}
		c := rec[i]
		switch {
		case c == '"':
			s.pos = i + 1
			return i + 1, escaped, true
		case c == '\\':
			escaped = true
			if i+1 >= len(rec) {
				s.pos = i
				s.fail("unterminated string")
				return 0, false, false
			}
			switch rec[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(rec) || !isHex4(rec[i+2:i+6]) {
					s.pos = i
					s.fail("invalid \\u escape")
					return 0, false, false
				}
				i += 6
			default:
				s.pos = i
				s.fail("invalid escape in string")
				return 0, false, false
			}
		case c < 0x20:
			s.pos = i
			s.fail("control character in string")
			return 0, false, false
		default:
			i++
		}
	}
	s.pos = i
	s.fail("unterminated string")
	return 0, false, false
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

// scanNumber validates -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? at s.pos.
func (s *Scanner) scanNumber() bool {
	rec, i := s.rec, s.pos
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
		s.pos = i
		s.fail("invalid number")
		return false
	}
	if i < len(rec) && rec[i] == '.' {
		i++
		d := i
		for i < len(rec) && rec[i]-'0' <= 9 {
			i++
		}
		if i == d {
			s.pos = i
			s.fail("invalid number: no digits after '.'")
			return false
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
			s.pos = i
			s.fail("invalid number: no digits in exponent")
			return false
		}
	}
	s.pos = i
	return true
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
			if _, _, ok := s.scanString(); !ok {
				return false
			}
		case c == '-' || c-'0' <= 9:
			if !s.scanNumber() {
				return false
			}
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
	if _, _, ok := s.scanString(); !ok {
		return false
	}
	s.skipWS()
	if s.pos >= len(s.rec) || s.rec[s.pos] != ':' {
		s.fail("expected ':' after object key")
		return false
	}
	s.pos++
	return true
}
