// Command check compares the rows a Nexmark job printed with an independent evaluation
// of the same query: SQLite runs the query's SQL over the events sqlc-stream nexmark dump
// wrote (internal/nexmarkref).
//
//	go run ./examples/nexmark/check -events events -query q1 q1.out
//
// -events is the dump's directory (person.csv, auction.csv, bid.csv); the job must have
// printed its rows (its sink swapped with -D nexmark_q1.connector=print) into the file
// given, or standard input. q10 writes a partitioned filesystem sink: give its
// directory with -files instead (the job's 'path', set with -D nexmark_q10.path=...).
// -db keeps the loaded events in a SQLite file, -reuse reads them from it again instead
// of the dump. It exits 1 when the rows differ.
package main

import (
	"database/sql"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/sqlc-stream/sqlc-stream/internal/nexmarkref"
)

func main() {
	events := flag.String("events", "events", "the directory of the CSV dump")
	query := flag.String("query", "", "the query: q0, q1, q2, q10, q14, q15, q16, q17, q21 or q22")
	dbPath := flag.String("db", "", "the SQLite file to load the events into (default: a temporary one)")
	reuse := flag.Bool("reuse", false, "read the events from -db as an earlier run loaded them")
	files := flag.String("files", "", "the directory of a partitioned filesystem sink's output (q10), instead of printed rows")
	flag.Parse()
	if *query == "" || flag.NArg() > 1 {
		fmt.Fprintln(os.Stderr, "usage: check -events dir -query qN [-db file [-reuse]] [printed.out]")
		os.Exit(2)
	}
	if err := run(*events, *query, *dbPath, *reuse, *files, flag.Arg(0)); err != nil {
		fmt.Fprintln(os.Stderr, "check:", err)
		os.Exit(1)
	}
}

func run(events, query, dbPath string, reuse bool, files, printedPath string) error {
	var in io.Reader = os.Stdin
	if printedPath != "" {
		f, err := os.Open(printedPath)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	if dbPath == "" {
		dir, err := os.MkdirTemp("", "nexmark-check-*")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dbPath = filepath.Join(dir, "ref.db")
	}
	start := time.Now()
	var db *sql.DB
	var err error
	if reuse {
		db, err = sql.Open("sqlite", dbPath)
	} else {
		db, err = nexmarkref.Open(dbPath, events)
		fmt.Fprintf(os.Stderr, "check: loaded %s into SQLite in %s\n", events, time.Since(start).Round(time.Second))
	}
	if err != nil {
		return err
	}
	defer db.Close()
	var res nexmarkref.Result
	if files != "" {
		res, err = nexmarkref.CheckFiles(db, query, files, "_SUCCESS")
	} else {
		res, err = nexmarkref.Check(db, query, in)
	}
	if err != nil {
		return err
	}
	if !res.OK {
		return fmt.Errorf("%s: the job printed %d rows, SQLite's evaluation has %d, and they differ\n%s", query, res.Job, res.Rows, res.Diff)
	}
	fmt.Printf("%s: the job's %d rows equal SQLite's evaluation (%s)\n", query, res.Rows, time.Since(start).Round(time.Second))
	return nil
}
