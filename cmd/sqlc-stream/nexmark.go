package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/nexmark"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/rowenc"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// runNexmark runs `sqlc-stream nexmark <subcommand>`; dump is the only one.
func runNexmark(_ *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"expected a subcommand: dump"}
	}
	if args[0] != "dump" {
		return usageError{fmt.Sprintf("unknown subcommand %q (expected dump)", args[0])}
	}
	fs := flag.NewFlagSet("sqlc-stream nexmark dump", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors and help are printed below, once
	n := fs.Int64("n", 0, "number of events (default: the events.num option)")
	format := fs.String("format", "json", "json: one JSON object per event, as Flink's json format writes the nexmark table (ddl_kafka.sql); csv: person.csv, auction.csv and bid.csv")
	out := fs.String("o", "", "json: the output file (default: standard output); csv: the directory (default: the current one)")
	header := fs.Bool("header", false, "csv: start each file with a line of column names")
	var defs defines
	fs.Var(&defs, "D", "a nexmark connector option, key=value (first-event.rate, events.base-time, ...); repeatable")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: sqlc-stream nexmark dump [-n N] [-format json|csv] [-o file|dir] [-header] [-D key=value ...]\n\n"+
			"Write the events of the Nexmark generator ('connector' = 'nexmark') to files, so that other\n"+
			"tools can check a job's results. The options are the connector's, with its defaults; set\n"+
			"events.base-time to get the same events as a job run with the same value.\n\nflags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return nil
		}
		fmt.Fprintf(stderr, "sqlc-stream nexmark dump: %v\n", err)
		fs.SetOutput(stderr)
		fs.Usage()
		return exitError{2}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	cfg, err := dumpConfig(defs)
	if err != nil {
		return err
	}
	if *n > 0 {
		cfg.Events = *n
	}
	if cfg.Events <= 0 {
		return usageError{"give the number of events: -n N or -D events.num=N"}
	}
	if !defs.has("events.base-time") {
		fmt.Fprintf(stderr, "nexmark dump: events.base-time = %d (the current time; -D events.base-time=%d gives these events again)\n", cfg.BaseTime, cfg.BaseTime)
	}
	switch *format {
	case "json":
		return dumpJSON(cfg, *out, stdout)
	case "csv":
		return dumpCSV(cfg, *out, *header)
	}
	return usageError{fmt.Sprintf("unknown format %q (expected json or csv)", *format)}
}

// defines is the repeatable -D key=value flag.
type defines []options.KV

func (d *defines) String() string { return fmt.Sprint(*d) }
func (d *defines) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return fmt.Errorf("expected key=value, got %q", s)
	}
	*d = append(*d, options.KV{Key: strings.TrimSpace(k), Value: v})
	return nil
}

func (d defines) has(key string) bool {
	for _, kv := range d {
		if kv.Key == key {
			return true
		}
	}
	return false
}

// dumpConfig checks the options with the connector's own table, as the compiler does
// for a WITH clause, after expanding ${NAME} from the environment as a job does.
func dumpConfig(defs defines) (nexmark.Config, error) {
	kvs := []options.KV{{Key: "connector", Value: "nexmark"}}
	for _, kv := range defs {
		if kv.Key == "connector" {
			return nexmark.Config{}, usageError{"-D connector cannot be set: the dump is of the nexmark connector"}
		}
		v, err := options.Expand(kv.Value, os.LookupEnv)
		if err != nil {
			return nexmark.Config{}, usageError{fmt.Sprintf("-D %s: %v", kv.Key, err)}
		}
		kvs = append(kvs, options.KV{Key: kv.Key, Value: v})
	}
	r, probs := options.Resolve("nexmark", kvs)
	if len(probs) > 0 {
		msgs := make([]string, len(probs))
		for i, p := range probs {
			msgs[i] = p.Msg
		}
		return nexmark.Config{}, usageError{strings.Join(msgs, "\n")}
	}
	return nexmark.ConfigFrom(r, time.Now())
}

// dumpBatch is the number of events generated at a time.
const dumpBatch = 4096

// eventWriter encodes events with the row encoders of Flink's formats (runtimelib/rowenc),
// one per kind, so the dump is what a job's csv or json sink would write.
type eventWriter struct {
	enc  [3]*rowenc.Encoder
	cols [3][]stream.Column
	row  []rowenc.Value
}

func newEventWriter(format string) (*eventWriter, error) {
	w := &eventWriter{row: make([]rowenc.Value, 10)}
	for k := nexmark.KindPerson; k <= nexmark.KindBid; k++ {
		r, probs := options.Resolve(k.String(), []options.KV{{Key: "connector", Value: "filesystem"}, {Key: "path", Value: "-"}, {Key: "format", Value: format}})
		if len(probs) > 0 {
			return nil, probs[0]
		}
		w.cols[k] = nexmark.RowColumns(k)
		fields := make([]int, len(w.cols[k]))
		for i := range fields {
			fields[i] = i
		}
		enc, err := rowenc.NewEncoder(r, w.cols[k], fields)
		if err != nil {
			return nil, err
		}
		w.enc[k] = enc
	}
	return w, nil
}

// appendEvent appends event i of b encoded as the fields of its kind's ROW.
func (w *eventWriter) appendEvent(dst []byte, b *nexmark.Batch, i int) []byte {
	v := w.row
	str := func(s string) rowenc.Value { return rowenc.Value{Kind: rowenc.String, S: s} }
	num := func(n int64) rowenc.Value { return rowenc.Value{Kind: rowenc.Int, I: n} }
	ts := func(ms int64) rowenc.Value {
		return rowenc.Value{Kind: rowenc.Timestamp, T: types.TimestampFromMillis(ms)}
	}
	k, x := b.Kinds[i], b.Index[i]
	switch k {
	case nexmark.KindPerson:
		p := &b.Persons[x]
		v = append(v[:0], num(p.ID), str(p.Name), str(p.EmailAddress), str(p.CreditCard), str(p.City), str(p.State), ts(p.DateTime), str(p.Extra))
	case nexmark.KindAuction:
		a := &b.Auctions[x]
		v = append(v[:0], num(a.ID), str(a.ItemName), str(a.Description), num(a.InitialBid), num(a.Reserve), ts(a.DateTime), ts(a.Expires), num(a.Seller), num(a.Category), str(a.Extra))
	default:
		d := &b.Bids[x]
		v = append(v[:0], num(d.Auction), num(d.Bidder), num(d.Price), str(d.Channel), str(d.URL), ts(d.DateTime), str(d.Extra))
	}
	w.row = v
	return w.enc[k].Append(dst, v)
}

// dumpJSON writes one line per event in the shape of Flink's json format for the nexmark
// table: {"event_type":2,"person":null,"auction":null,"bid":{...}}.
func dumpJSON(cfg nexmark.Config, out string, stdout io.Writer) (err error) {
	w, err := newEventWriter("json")
	if err != nil {
		return err
	}
	dst := stdout
	if out != "" && out != "-" {
		f, err := os.Create(out)
		if err != nil {
			return err
		}
		defer func() {
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}()
		dst = f
	}
	bw := bufio.NewWriterSize(dst, 1<<20)
	var line []byte
	err = eachEvent(cfg, func(b *nexmark.Batch, i int) error {
		k := b.Kinds[i]
		line = append(line[:0], `{"event_type":`...)
		line = append(line, byte('0'+k))
		for _, kind := range []nexmark.Kind{nexmark.KindPerson, nexmark.KindAuction, nexmark.KindBid} {
			line = append(line, `,"`...)
			line = append(line, kind.String()...)
			line = append(line, `":`...)
			if kind == k {
				line = w.appendEvent(line, b, i)
			} else {
				line = append(line, "null"...)
			}
		}
		line = append(line, "}\n"...)
		_, err := bw.Write(line)
		return err
	})
	if err != nil {
		return err
	}
	return bw.Flush()
}

// eachEvent calls f with every event of the stream, in order.
func eachEvent(cfg nexmark.Config, f func(b *nexmark.Batch, i int) error) error {
	g, err := nexmark.NewGenerator(cfg, 0, 1, nexmark.AllFields)
	if err != nil {
		return err
	}
	var b nexmark.Batch
	for g.Fill(&b, dumpBatch) > 0 {
		for i := 0; i < b.Len(); i++ {
			if err := f(&b, i); err != nil {
				return err
			}
		}
	}
	return nil
}

// dumpCSV writes person.csv, auction.csv and bid.csv into dir: each kind's ROW fields,
// in the csv format's encoding, in stream order.
func dumpCSV(cfg nexmark.Config, dir string, header bool) (err error) {
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	w, err := newEventWriter("csv")
	if err != nil {
		return err
	}
	var files [3]*os.File
	var bws [3]*bufio.Writer
	defer func() {
		for _, f := range files {
			if f != nil {
				if cerr := f.Close(); err == nil {
					err = cerr
				}
			}
		}
	}()
	for k := nexmark.KindPerson; k <= nexmark.KindBid; k++ {
		f, err := os.Create(filepath.Join(dir, k.String()+".csv"))
		if err != nil {
			return err
		}
		files[k], bws[k] = f, bufio.NewWriterSize(f, 1<<20)
		if header {
			names := make([]string, len(w.cols[k]))
			for i, c := range w.cols[k] {
				names[i] = c.Name
			}
			fmt.Fprintln(bws[k], strings.Join(names, ","))
		}
	}
	var line []byte
	err = eachEvent(cfg, func(b *nexmark.Batch, i int) error {
		line = append(w.appendEvent(line[:0], b, i), '\n')
		_, err := bws[b.Kinds[i]].Write(line)
		return err
	})
	if err != nil {
		return err
	}
	for _, bw := range bws {
		if err := bw.Flush(); err != nil {
			return err
		}
	}
	return nil
}
