// Command mocklogs writes generated CDN access-log records as CSV lines, the "mock data"
// of the seed scenario: uuid, client_ip, request_time, response_size[, uri].
//
//	go run ./examples/cdn/mocklogs -n 1000 -seed 1 -o access_log.csv
//	go run ./examples/cdn/mocklogs -n 100000 -malformed 0.01 > logs.csv
//
// The same seed always gives the same records; see package mock for what they hold.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/sqlc-stream/sqlc-stream/examples/cdn/mock"
)

func main() {
	n := flag.Int64("n", 1000, "number of records")
	seed := flag.Uint64("seed", 1, "random seed; the same seed gives the same records")
	malformed := flag.Float64("malformed", 0, "fraction of malformed lines, 0..1")
	withURI := flag.Bool("with-uri", false, "add the seed's fifth column, uri")
	out := flag.String("o", "-", "output file, - for standard output")
	flag.Parse()
	if err := run(*out, *n, *seed, *malformed, *withURI); err != nil {
		fmt.Fprintln(os.Stderr, "mocklogs:", err)
		os.Exit(1)
	}
}

func run(path string, n int64, seed uint64, malformed float64, withURI bool) error {
	var w io.Writer = os.Stdout
	if path != "-" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	g := mock.New(seed, malformed, withURI)
	var line []byte
	for i := int64(0); i < n; i++ {
		line = g.Append(line[:0])
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}
