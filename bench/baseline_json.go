package main

import (
	"path/filepath"

	"github.com/sqlc-stream/sqlc-stream/internal/cdnref"
)

// runJSONBaseline runs the hand-written program reading the same JSON lines
// (bench/baseline -format json: a purpose-built scanner, no encoding/json) with
// GOMAXPROCS=1, checks its table, and returns its run and its name in the table.
func (b *bench) runJSONBaseline(jsonInput string, want []cdnref.Row) (run, string, error) {
	bin, err := b.baseline()
	if err != nil {
		return run{}, "", err
	}
	db := filepath.Join(b.tmp, "baseline-json.db")
	const name = "hand-written JSON"
	removeSQLite(db)
	r, err := b.measure(name, []string{bin, "-format", "json", jsonInput, db}, 1, nil, false)
	if err != nil {
		return run{}, "", err
	}
	return r, "hand-written", checkSQLite(name, db, want)
}
