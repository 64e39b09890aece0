package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/sqlc-stream/sqlc-stream/bench/handwritten"
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
		var rec handwritten.Record
		if rec.Parse(line) && rec.HasIP {
			var province string
			if rec.IPEscaped {
				province = udf.IPToProvince(handwritten.Unquote(rec.IP))
			} else {
				province = udf.IPToProvince(string(rec.IP)) // a stack copy: no allocation
			}
			s := groups[province]
			if s == nil {
				s = &stats{}
				groups[province] = s
				order = append(order, province)
			}
			if rec.HasUUID {
				s.count++
			}
			if rec.HasTime {
				s.sumTime += rec.RequestTime
				s.timeOK = true
			}
			if rec.HasSize {
				s.sumSize += rec.ResponseSize
				s.sizeOK = true
			}
		}
		if err == io.EOF {
			break
		}
	}
	return groups, order, nil
}
