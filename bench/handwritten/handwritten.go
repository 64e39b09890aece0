// Package handwritten holds the parsing of the hand-written CDN programs that the
// benchmarks measure generated jobs against (bench/baseline, row f's micro-benchmark in
// runtimelib/json): one copy, so both measure the same code.
package handwritten

import (
	"bytes"
	"strconv"
)

// Record is the part of one line the query reads.
type Record struct {
	IP                        []byte // client_ip's raw string content, escapes not undone
	IPEscaped                 bool
	RequestTime, ResponseSize int64
	HasUUID, HasIP            bool
	HasTime, HasSize          bool
}

// Unquote undoes the escapes of a JSON string's content.
func Unquote(content []byte) string {
	s, err := strconv.Unquote(`"` + string(content) + `"`)
	if err != nil {
		return ""
	}
	return s
}

// Parse reads one object; false when the line is not a well-formed object of simple
// members (the row is skipped).
func (r *Record) Parse(b []byte) bool {
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return skipWS(b, i+1) == len(b)
	}
	for {
		// "key"
		if i >= len(b) || b[i] != '"' {
			return false
		}
		kEnd, esc := scanString(b, i+1)
		if kEnd < 0 {
			return false
		}
		key := b[i+1 : kEnd]
		if esc {
			key = nil // no member we read has an escaped name
		}
		i = skipWS(b, kEnd+1)
		if i >= len(b) || b[i] != ':' {
			return false
		}
		i = skipWS(b, i+1)
		if i >= len(b) {
			return false
		}
		// value
		switch string(key) {
		case "uuid":
			r.HasUUID = b[i] != 'n' // anything but null
		case "client_ip":
			if b[i] == '"' {
				end, esc := scanString(b, i+1)
				if end < 0 {
					return false
				}
				r.IP, r.IPEscaped, r.HasIP = b[i+1:end], esc, true
			}
		case "request_time":
			r.RequestTime, r.HasTime = number(b, i)
		case "response_size":
			r.ResponseSize, r.HasSize = number(b, i)
		}
		if i = skipValue(b, i); i < 0 {
			return false
		}
		i = skipWS(b, i)
		if i >= len(b) {
			return false
		}
		switch b[i] {
		case ',':
			i = skipWS(b, i+1)
		case '}':
			return skipWS(b, i+1) == len(b)
		default:
			return false
		}
	}
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// scanString returns the index of the closing quote of the string whose content starts
// at i, and whether it has escapes; -1 if it does not end.
func scanString(b []byte, i int) (int, bool) {
	j := bytes.IndexByte(b[i:], '"')
	if j < 0 {
		return -1, false
	}
	if bytes.IndexByte(b[i:i+j], '\\') < 0 {
		return i + j, false
	}
	for i < len(b) { // an escaped quote may end the first look-up early
		switch b[i] {
		case '"':
			return i, true
		case '\\':
			i += 2
			continue
		}
		i++
	}
	return -1, true
}

// number reads a BIGINT at b[i:]: a JSON integer, or a string holding one.
func number(b []byte, i int) (int64, bool) {
	if b[i] == '"' {
		end, esc := scanString(b, i+1)
		if end < 0 || esc {
			return 0, false
		}
		return ParseInt(bytes.TrimSpace(b[i+1 : end]))
	}
	j := i
	for j < len(b) && (b[j] >= '0' && b[j] <= '9' || b[j] == '-') {
		j++
	}
	if j < len(b) && (b[j] == '.' || b[j] == 'e' || b[j] == 'E') {
		return 0, false // not an integer: NULL here (the mock data has none)
	}
	return ParseInt(b[i:j])
}

// skipValue returns the index after the value starting at b[i], or -1.
func skipValue(b []byte, i int) int {
	switch c := b[i]; {
	case c == '"':
		end, _ := scanString(b, i+1)
		if end < 0 {
			return -1
		}
		return end + 1
	case c == '{' || c == '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			case '"':
				end, _ := scanString(b, i+1)
				if end < 0 {
					return -1
				}
				i = end
			}
			i++
		}
		return -1
	default: // number, true, false, null
		j := i
		for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ' ' && b[j] != '\n' && b[j] != '\r' && b[j] != '\t' {
			j++
		}
		if j == i {
			return -1
		}
		return j
	}
}

// ParseInt parses a BIGINT of decimal digits with an optional '-'; false for anything
// else (NULL in the hand-written programs).
func ParseInt(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var v int64
	neg := b[0] == '-'
	if neg {
		b = b[1:]
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}
