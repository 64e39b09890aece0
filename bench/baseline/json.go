package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/sqlc-stream/sqlc-stream/examples/cdn/udf"
)

// aggregateJSON is aggregate for one JSON object per line, {"uuid": ..., "client_ip":
// ..., "request_time": ..., "response_size": ...} in any order, with the semantics of
// cdn_json.sql under 'json.ignore-parse-errors' = 'true': a missing member or null is
// NULL, a number that does not parse is NULL (a string holding digits is a number, as
// Flink's converter parses a text node), a line that is not one JSON object is skipped.
//
// It is what a careful Go programmer would write for four fields: a purpose-built
// scanner over the line's bytes that reads the members it needs in place and skips the
// others, no encoding/json, no reflection, no allocation per record.
func aggregateJSON(path string) (map[string]*stats, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	groups := map[string]*stats{}
	var order []string
	for {
		line, err := r.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			return nil, nil, fmt.Errorf("line longer than 1 MiB")
		}
		if len(line) == 0 && err == io.EOF {
			break
		}
		if err != nil && err != io.EOF {
			return nil, nil, err
		}
		var rec record
		if rec.parse(line) && rec.hasIP {
			var province string
			if rec.ipEscaped {
				province = udf.IPToProvince(unquote(rec.ip))
			} else {
				province = udf.IPToProvince(string(rec.ip)) // a stack copy: no allocation
			}
			s := groups[province]
			if s == nil {
				s = &stats{}
				groups[province] = s
				order = append(order, province)
			}
			if rec.hasUUID {
				s.count++
			}
			if rec.hasTime {
				s.sumTime += rec.requestTime
				s.timeOK = true
			}
			if rec.hasSize {
				s.sumSize += rec.responseSize
				s.sizeOK = true
			}
		}
		if err == io.EOF {
			break
		}
	}
	return groups, order, nil
}

// record is the part of one line the query reads.
type record struct {
	ip                        []byte // client_ip's raw string content, escapes not undone
	ipEscaped                 bool
	requestTime, responseSize int64
	hasUUID, hasIP            bool
	hasTime, hasSize          bool
}

// unquote undoes the escapes of a JSON string's content.
func unquote(content []byte) string {
	s, err := strconv.Unquote(`"` + string(content) + `"`)
	if err != nil {
		return ""
	}
	return s
}

// parse reads one object; false when the line is not a well-formed object of simple
// members (the row is skipped).
func (r *record) parse(b []byte) bool {
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
			r.hasUUID = b[i] != 'n' // anything but null
		case "client_ip":
			if b[i] == '"' {
				end, esc := scanString(b, i+1)
				if end < 0 {
					return false
				}
				r.ip, r.ipEscaped, r.hasIP = b[i+1:end], esc, true
			}
		case "request_time":
			r.requestTime, r.hasTime = number(b, i)
		case "response_size":
			r.responseSize, r.hasSize = number(b, i)
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
		return parseInt(bytes.TrimSpace(b[i+1 : end]))
	}
	j := i
	for j < len(b) && (b[j] >= '0' && b[j] <= '9' || b[j] == '-') {
		j++
	}
	if j < len(b) && (b[j] == '.' || b[j] == 'e' || b[j] == 'E') {
		return 0, false // not an integer: NULL here (the mock data has none)
	}
	return parseInt(b[i:j])
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
