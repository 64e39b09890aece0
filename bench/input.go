package main

import (
	"bufio"
	"database/sql"
	"fmt"
	"os"
	"strconv"

	_ "modernc.org/sqlite"

	"github.com/sqlc-stream/sqlc-stream/examples/cdn/mock"
	"github.com/sqlc-stream/sqlc-stream/examples/cdn/udf"
	"github.com/sqlc-stream/sqlc-stream/internal/cdnref"
)

// writeLines writes n lines made by next to path and returns the file's size.
func writeLines(path string, n int64, next func(dst []byte) []byte) (int64, error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	var line []byte
	for i := int64(0); i < n; i++ {
		line = append(next(line[:0]), '\n')
		w.Write(line)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return 0, err
	}
	return st.Size(), f.Close()
}

// writeCDN writes n mock CDN records (examples/cdn/mock: uuid,client_ip,request_time,
// response_size) as CSV lines, or as JSON objects with the seed's field names.
func writeCDN(path string, n int64, seed uint64, malformed float64, json bool) (int64, error) {
	g := mock.New(seed, malformed, false)
	if !json {
		return writeLines(path, n, g.Append)
	}
	var csvLine []byte
	return writeLines(path, n, func(dst []byte) []byte {
		csvLine = g.Append(csvLine[:0])
		return mock.CSVToJSON(dst, csvLine)
	})
}

// writeKeys writes keys*perKey CSV records of the CDN schema whose client_ip takes keys
// distinct values (10.a.b.c), every value perKey times, spread over the file: record i
// has key (i * 999983) mod keys, and 999983 is prime to any keys below it that is not
// its multiple. It returns the file's size.
func writeKeys(path string, keys, perKey int64) (int64, error) {
	const stride = 999_983
	if keys%stride == 0 {
		return 0, fmt.Errorf("-keys must not be a multiple of %d", stride)
	}
	if keys > 1<<24 {
		return 0, fmt.Errorf("-keys above %d do not fit in 10.a.b.c", 1<<24)
	}
	i := int64(0)
	return writeLines(path, keys*perKey, func(dst []byte) []byte {
		k := (i * stride) % keys
		i++
		dst = append(dst, "u,10."...)
		dst = strconv.AppendInt(dst, k>>16&255, 10)
		dst = append(dst, '.')
		dst = strconv.AppendInt(dst, k>>8&255, 10)
		dst = append(dst, '.')
		dst = strconv.AppendInt(dst, k&255, 10)
		dst = append(dst, ',')
		dst = strconv.AppendInt(dst, 1+i%5000, 10)
		dst = append(dst, ',')
		dst = strconv.AppendInt(dst, i%100000, 10)
		return dst
	})
}

// reference computes the CDN query over a CSV file independently of sqlc-stream
// (internal/cdnref: encoding/csv, strconv, math/big).
func reference(path string) ([]cdnref.Row, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return cdnref.Compute(bufio.NewReaderSize(f, 1<<20), udf.IPToProvince)
}

// removeSQLite deletes a SQLite database and its journals, so that the next run's
// table is that run's own.
func removeSQLite(path string) {
	for _, suffix := range []string{"", "-journal", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
}

// readSQLite reads the table access_statistic of a SQLite database.
func readSQLite(path string) ([]cdnref.Row, error) {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return cdnref.ReadTable(db)
}

// checkSQLite compares the table access_statistic of a SQLite database with want.
func checkSQLite(name, path string, want []cdnref.Row) error {
	got, err := readSQLite(path)
	if err != nil {
		return fmt.Errorf("%s: read %s: %v", name, path, err)
	}
	if err := cdnref.Equal(want, got); err != nil {
		return fmt.Errorf("%s: wrong result in %s: %v", name, path, err)
	}
	return nil
}
