// Command mocklogs writes generated CDN access-log records, the "mock data" of the seed
// scenario (uuid, client_ip, request_time, response_size[, uri]), to a file as CSV lines
// or to a Kafka topic as CSV or JSON messages.
//
//	go run ./examples/cdn/mocklogs -n 1000 -seed 1 -o access_log.csv
//	go run ./examples/cdn/mocklogs -n 100000 -malformed 0.01 > logs.csv
//	go run ./examples/cdn/mocklogs -brokers 127.0.0.1:9092 -topic access_log -partitions 4 -n 1000000
//	go run ./examples/cdn/mocklogs -brokers 127.0.0.1:9092 -topic access_log -rate 500 -n 0 -format json
//
// The same seed always gives the same records; see package mock for what they hold.
// With -topic, the topic is created with -partitions partitions when it is missing,
// record i goes to partition i mod the partition count, and every write waits for
// acks=all; -n 0 produces until interrupted. JSON messages are objects with the seed's
// field names ({"uuid":"…","client_ip":"…","request_time":12,"response_size":34}).
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/sqlc-stream/sqlc-stream/examples/cdn/mock"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the command with its arguments; it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mocklogs", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int64("n", 1000, "number of records (with -topic, 0 = until interrupted)")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same records")
	malformed := fs.Float64("malformed", 0, "fraction of malformed records, 0..1")
	withURI := fs.Bool("with-uri", false, "add the seed's fifth column, uri")
	out := fs.String("o", "-", "output file, - for standard output (without -topic)")
	topic := fs.String("topic", "", "write to this Kafka topic instead of -o")
	brokers := fs.String("brokers", "127.0.0.1:9092", "Kafka bootstrap servers, comma-separated (with -topic)")
	partitions := fs.Int("partitions", 1, "partitions of the topic when it has to be created (with -topic)")
	rate := fs.Float64("rate", 0, "records per second, 0 = as fast as possible (with -topic)")
	format := fs.String("format", "csv", "csv or json (json only with -topic)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	fail := func(err error) int {
		fmt.Fprintln(stderr, "mocklogs:", err)
		return 1
	}
	switch {
	case fs.NArg() > 0:
		return fail(fmt.Errorf("unexpected arguments %q", fs.Args()))
	case *malformed < 0 || *malformed > 1:
		return fail(errors.New("-malformed must be within 0..1"))
	case *format != "csv" && *format != "json":
		return fail(fmt.Errorf("-format %q: want csv or json", *format))
	case *n < 0:
		return fail(errors.New("-n must not be negative"))
	}
	g := mock.New(*seed, *malformed, *withURI)
	if *topic == "" {
		if *format != "csv" {
			return fail(errors.New("-format json needs -topic (files are CSV)"))
		}
		if err := writeFile(*out, stdout, g, *n); err != nil {
			return fail(err)
		}
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	sent, err := g.ProduceKafka(ctx, *n, mock.KafkaOptions{
		Brokers: strings.Split(*brokers, ","), Topic: *topic, Partitions: *partitions,
		Rate: *rate, Format: *format,
	})
	el := time.Since(start)
	fmt.Fprintf(stderr, "mocklogs: %d records to %s in %s (%.0f records/s)\n",
		sent, *topic, el.Round(time.Millisecond), float64(sent)/el.Seconds())
	if err != nil && !(errors.Is(err, context.Canceled) && *n == 0) {
		return fail(err)
	}
	return 0
}

func writeFile(path string, stdout io.Writer, g *mock.Generator, n int64) error {
	w := stdout
	if path != "-" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
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
