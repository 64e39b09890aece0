// Command baseline is the CDN job written by hand in Go, the bar the generated job is
// measured against: read the CSV log, call the same UDF, aggregate per province, and
// write the SQLite table access_statistic — the same work as bench/jobs/cdn.sql, with the
// same NULL handling as 'csv.ignore-parse-errors' = 'true'.
//
//	baseline access_log.csv stats.db
//	baseline access_log.json stats.db    (one JSON object per line; or -format json)
//
// It is written the way a careful Go programmer would: one pass with a large buffered
// reader, fields split by hand without allocating, integers parsed in place, one map
// lookup per record with a string key that is copied only for a new province.
package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite"

	"github.com/sqlc-stream/sqlc-stream/bench/handwritten"
	"github.com/sqlc-stream/sqlc-stream/examples/cdn/udf"
)

type stats struct {
	count            int64
	sumSize, sumTime int64
	sizeOK, timeOK   bool
}

func main() {
	format := flag.String("format", "", "input format, csv or json (default: json for a .json or .jsonl file, csv otherwise)")
	flag.Parse()
	if flag.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: baseline [-format csv|json] access_log.csv|access_log.json stats.db")
		os.Exit(2)
	}
	input := flag.Arg(0)
	if *format == "" {
		*format = "csv"
		if ext := filepath.Ext(input); ext == ".json" || ext == ".jsonl" {
			*format = "json"
		}
	}
	var groups map[string]*stats
	var order []string
	var err error
	switch *format {
	case "csv":
		groups, order, err = aggregate(input)
	case "json":
		groups, order, err = aggregateJSON(input)
	default:
		err = fmt.Errorf("-format %q: want csv or json", *format)
	}
	if err == nil {
		err = write(flag.Arg(1), groups, order)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "baseline:", err)
		os.Exit(1)
	}
}

func aggregate(path string) (map[string]*stats, []string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	groups := map[string]*stats{}
	var order []string
	var fields [4][]byte
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
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			continue
		}
		n := 0
		for n < 4 {
			i := bytes.IndexByte(line, ',')
			if i < 0 {
				fields[n] = line
				n++
				break
			}
			fields[n] = line[:i]
			line = line[i+1:]
			n++
		}
		if n < 2 {
			continue // no client_ip: a NULL province; the sample never has one
		}
		province := udf.IPToProvince(string(fields[1]))
		s := groups[province]
		if s == nil {
			s = &stats{}
			groups[province] = s
			order = append(order, province)
		}
		s.count++
		if n > 2 {
			if v, ok := handwritten.ParseInt(fields[2]); ok {
				s.sumTime += v
				s.timeOK = true
			}
		}
		if n > 3 {
			if v, ok := handwritten.ParseInt(fields[3]); ok {
				s.sumSize += v
				s.sizeOK = true
			}
		}
		if err == io.EOF {
			break
		}
	}
	return groups, order, nil
}

func write(path string, groups map[string]*stats, order []string) error {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS access_statistic (province TEXT PRIMARY KEY, access_count INTEGER, total_download INTEGER, download_speed REAL)`); err != nil {
		return err
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	for _, p := range order {
		s := groups[p]
		var total, speed any
		if s.sizeOK {
			total = s.sumSize
		}
		if s.sizeOK && s.timeOK && s.sumTime != 0 {
			speed = float64(s.sumSize) / float64(s.sumTime)
		}
		if _, err := tx.Exec(`INSERT INTO access_statistic VALUES (?, ?, ?, ?) ON CONFLICT(province) DO UPDATE SET access_count = excluded.access_count, total_download = excluded.total_download, download_speed = excluded.download_speed`, p, s.count, total, speed); err != nil {
			tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}
