package json

import "bytes"

// This file is the record parser of bench/baseline/json.go (the hand-written program of
// row f of `go run ./bench`), copied so that BenchmarkCDNLinesBaselineHandWritten
// measures it in the same run as the scanner. Keep it in step with that file.

type hwRecord struct {
	ip                        []byte
	ipEscaped                 bool
	requestTime, responseSize int64
	hasUUID, hasIP            bool
	hasTime, hasSize          bool
}

func (r *hwRecord) parse(b []byte) bool {
	i := hwSkipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i = hwSkipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return hwSkipWS(b, i+1) == len(b)
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return false
		}
		kEnd, esc := hwScanString(b, i+1)
		if kEnd < 0 {
			return false
		}
		key := b[i+1 : kEnd]
		if esc {
			key = nil
		}
		i = hwSkipWS(b, kEnd+1)
		if i >= len(b) || b[i] != ':' {
			return false
		}
		i = hwSkipWS(b, i+1)
		if i >= len(b) {
			return false
		}
		switch string(key) {
		case "uuid":
			r.hasUUID = b[i] != 'n'
		case "client_ip":
			if b[i] == '"' {
				end, esc := hwScanString(b, i+1)
				if end < 0 {
					return false
				}
				r.ip, r.ipEscaped, r.hasIP = b[i+1:end], esc, true
			}
		case "request_time":
			r.requestTime, r.hasTime = hwNumber(b, i)
		case "response_size":
			r.responseSize, r.hasSize = hwNumber(b, i)
		}
		if i = hwSkipValue(b, i); i < 0 {
			return false
		}
		i = hwSkipWS(b, i)
		if i >= len(b) {
			return false
		}
		switch b[i] {
		case ',':
			i = hwSkipWS(b, i+1)
		case '}':
			return hwSkipWS(b, i+1) == len(b)
		default:
			return false
		}
	}
}

func hwSkipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

func hwScanString(b []byte, i int) (int, bool) {
	j := bytes.IndexByte(b[i:], '"')
	if j < 0 {
		return -1, false
	}
	if bytes.IndexByte(b[i:i+j], '\\') < 0 {
		return i + j, false
	}
	for i < len(b) {
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

func hwNumber(b []byte, i int) (int64, bool) {
	if b[i] == '"' {
		end, esc := hwScanString(b, i+1)
		if end < 0 || esc {
			return 0, false
		}
		return hwParseInt(bytes.TrimSpace(b[i+1 : end]))
	}
	j := i
	for j < len(b) && (b[j] >= '0' && b[j] <= '9' || b[j] == '-') {
		j++
	}
	if j < len(b) && (b[j] == '.' || b[j] == 'e' || b[j] == 'E') {
		return 0, false
	}
	return hwParseInt(b[i:j])
}

func hwParseInt(b []byte) (int64, bool) {
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

func hwSkipValue(b []byte, i int) int {
	switch c := b[i]; {
	case c == '"':
		end, _ := hwScanString(b, i+1)
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
				end, _ := hwScanString(b, i+1)
				if end < 0 {
					return -1
				}
				i = end
			}
			i++
		}
		return -1
	default:
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
