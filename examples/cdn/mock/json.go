package mock

import (
	"bytes"
	"strconv"
)

// Fields are the seed's column names, in CSV order.
var Fields = []string{"uuid", "client_ip", "request_time", "response_size", "uri"}

// numeric marks the BIGINT columns: written as JSON numbers when they parse.
var numeric = []bool{false, false, true, true, false}

// CSVToJSON appends to dst the JSON object for one CSV record made by Append, with the
// seed's field names. A numeric field that does not parse (a malformed record's "slow"
// or "12k") stays a string, so a JSON reader with json.ignore-parse-errors sees the same
// NULLs as a CSV reader with csv.ignore-parse-errors; a missing field is left out.
func CSVToJSON(dst, line []byte) []byte {
	dst = append(dst, '{')
	for i := 0; len(line) > 0 || i == 0; i++ {
		field := line
		if j := bytes.IndexByte(line, ','); j >= 0 {
			field, line = line[:j], line[j+1:]
		} else {
			line = nil
		}
		if i >= len(Fields) {
			break
		}
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = strconv.AppendQuote(dst, Fields[i])
		dst = append(dst, ':')
		if numeric[i] {
			if _, err := strconv.ParseInt(string(field), 10, 64); err == nil {
				dst = append(dst, field...)
				continue
			}
		}
		dst = strconv.AppendQuote(dst, string(field))
	}
	return append(dst, '}')
}
