// Package nexmarkref checks a Nexmark job's results against an independent evaluation of
// the same query: SQLite (modernc.org/sqlite) runs the query's batch SQL over the events
// `sqlc-stream nexmark dump -format csv` wrote, and Check compares the rows the job
// printed (its sink swapped to 'print' with -D) with SQLite's, as multisets.
//
// The reference SQL is written for SQLite from the Flink text of each query, by hand:
// DECIMAL results are compared as scaled integers computed exactly (0.908 * price is
// price * 908 at scale 3), timestamps as epoch milliseconds (julianday of the dump's
// UTC text), HOUR with strftime and count_char with replace. Rows are compared by their
// canonical text; a large result is compared through its count and an order-independent
// 128-bit hash (the sum of each row's SHA-256 prefix), a small one row by row, so that
// a difference can be shown.
package nexmarkref

import (
	"bufio"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // database/sql driver "sqlite"
)

// Kind is how a result column is compared.
type Kind int

const (
	Int    Kind = iota // BIGINT, INT: decimal digits
	Dec3               // DECIMAL(p, 3): a scaled integer (the value times 1000)
	Millis             // TIMESTAMP(3): epoch milliseconds
	Text               // STRING
)

// Query is a Nexmark query's reference: its SQL over the tables person, auction and bid
// (the dump's columns; dateTime and expires as the dump's text) and how each column of
// its result compares.
type Query struct {
	SQL     string
	Columns []Kind
}

// millis is the SQLite expression of a timestamp column of the dump as epoch ms.
func millis(col string) string {
	return "CAST(ROUND((julianday(" + col + ") - 2440587.5) * 86400000) AS INTEGER)"
}

// Queries are the queries this package knows, by file name.
var Queries = map[string]Query{
	// SELECT auction, bidder, price, dateTime, extra FROM bid
	"q0": {SQL: "SELECT auction, bidder, price, " + millis("dateTime") + ", extra FROM bid",
		Columns: []Kind{Int, Int, Int, Millis, Text}},
	// SELECT auction, bidder, 0.908 * price AS price, dateTime, extra FROM bid
	"q1": {SQL: "SELECT auction, bidder, price * 908, " + millis("dateTime") + ", extra FROM bid",
		Columns: []Kind{Int, Int, Dec3, Millis, Text}},
	// SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0
	"q2": {SQL: "SELECT auction, price FROM bid WHERE auction % 123 = 0",
		Columns: []Kind{Int, Int}},
	// q14: 0.908 * price, the hour's class, count_char(extra, 'c'), for
	// 1000000 < 0.908 * price < 50000000.
	"q14": {SQL: `SELECT auction, bidder, price * 908,
		CASE WHEN h >= 8 AND h <= 18 THEN 'dayTime' WHEN h <= 6 OR h >= 20 THEN 'nightTime' ELSE 'otherTime' END,
		` + millis("dateTime") + `, extra, length(extra) - length(replace(extra, 'c', ''))
		FROM (SELECT *, CAST(strftime('%H', dateTime) AS INTEGER) AS h FROM bid)
		WHERE price * 908 > 1000000000 AND price * 908 < 50000000000`,
		Columns: []Kind{Int, Int, Dec3, Text, Millis, Text, Int}},
	// q11: bids per bidder and session (SESSION(dateTime, INTERVAL '10' SECOND)), as
	// gaps and islands: a bid more than 10 s after the bidder's previous one starts a
	// session (Flink merges windows that touch: a gap of exactly 10 s is the same
	// session); a session ends 10 s after its last bid.
	"q11": {SQL: `WITH b AS (SELECT bidder, ` + millis("dateTime") + ` AS t FROM bid),
		o AS (SELECT bidder, t, CASE WHEN t - LAG(t) OVER (PARTITION BY bidder ORDER BY t) <= 10000 THEN 0 ELSE 1 END AS brk FROM b),
		g AS (SELECT bidder, t, SUM(brk) OVER (PARTITION BY bidder ORDER BY t ROWS UNBOUNDED PRECEDING) AS sid FROM o)
		SELECT bidder, COUNT(*), MIN(t), MAX(t) + 10000 FROM g GROUP BY bidder, sid`,
		Columns: []Kind{Int, Int, Millis, Millis}},
	// q12: bids per bidder in processing-time windows of 10 s; which window a bid falls
	// in depends on the clock, so the check is on the sums over all windows
	// (e2e's proctimeTotals): every bid counted once.
	"q12": {SQL: "SELECT bidder, COUNT(*) FROM bid GROUP BY bidder", Columns: []Kind{Int, Int}},
	// The window aggregates of bench/jobs (not Nexmark queries): per MOD(auction, 100)
	// and window, COUNT(*), SUM(price), MAX(price). A TUMBLE of 10 s is the GROUP BY of
	// floor(ms / 10000); a HOP of slide 1 s and size 10 s puts each bid in the ten
	// windows starting at its second and the nine before.
	"window_tumble": {SQL: `SELECT a, ws, ws + 10000, COUNT(*), SUM(price), MAX(price)
		FROM (SELECT auction % 100 AS a, price, (` + millis("dateTime") + ` / 10000) * 10000 AS ws FROM bid)
		GROUP BY a, ws`,
		Columns: []Kind{Int, Millis, Millis, Int, Int, Int}},
	"window_hop": {SQL: `WITH RECURSIVE k(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM k WHERE n < 9)
		SELECT a, ws, ws + 10000, COUNT(*), SUM(price), MAX(price)
		FROM (SELECT auction % 100 AS a, price, (` + millis("dateTime") + ` / 1000) * 1000 - n * 1000 AS ws FROM bid, k)
		GROUP BY a, ws`,
		Columns: []Kind{Int, Millis, Millis, Int, Int, Int}},
}

// tables are the dump's files and their columns, as sqlc-stream nexmark dump -format
// csv writes them (the fields of the ROW columns of Flink's nexmark table).
var tables = []struct {
	name string
	cols []string
}{
	{"person", []string{"id INTEGER", "name TEXT", "emailAddress TEXT", "creditCard TEXT", "city TEXT", "state TEXT", "dateTime TEXT", "extra TEXT"}},
	{"auction", []string{"id INTEGER", "itemName TEXT", "description TEXT", "initialBid INTEGER", "reserve INTEGER", "dateTime TEXT", "expires TEXT", "seller INTEGER", "category INTEGER", "extra TEXT"}},
	{"bid", []string{"auction INTEGER", "bidder INTEGER", "price INTEGER", "channel TEXT", "url TEXT", "dateTime TEXT", "extra TEXT"}},
}

// Open creates a SQLite database in file (removed first) and loads the dump of dir
// (person.csv, auction.csv, bid.csv, without header lines) into it.
func Open(file, dir string) (*sql.DB, error) {
	os.Remove(file)
	db, err := sql.Open("sqlite", file)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	for _, pragma := range []string{"PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF", "PRAGMA temp_store = MEMORY"} {
		if _, err := db.Exec(pragma); err != nil {
			db.Close()
			return nil, err
		}
	}
	for _, t := range tables {
		if err := load(db, filepath.Join(dir, t.name+".csv"), t.name, t.cols); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

// load reads a CSV file into a new table.
func load(db *sql.DB, path, table string, cols []string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := db.Exec(fmt.Sprintf("CREATE TABLE %s (%s)", table, strings.Join(cols, ", "))); err != nil {
		return err
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")
	ins, err := tx.Prepare(fmt.Sprintf("INSERT INTO %s VALUES (%s)", table, marks))
	if err != nil {
		return err
	}
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	r.FieldsPerRecord = len(cols)
	r.ReuseRecord = true
	args := make([]any, len(cols))
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %v", path, err)
		}
		for i, v := range rec {
			if strings.HasSuffix(cols[i], "INTEGER") {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					return fmt.Errorf("%s: column %s: %v", path, cols[i], err)
				}
				args[i] = n
			} else {
				args[i] = v
			}
		}
		if _, err := ins.Exec(args...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Result is the outcome of a comparison.
type Result struct {
	Rows int64 // rows of the reference (equal to the job's when OK)
	Job  int64 // rows the job printed
	OK   bool
	// Diff shows some differing rows (for results small enough to compare row by row).
	Diff string
}

// multiset is a count and an order-independent hash of rows.
type multiset struct {
	n      int64
	h1, h2 uint64
	rows   map[string]int // kept while small, for Diff
}

const keepRows = 500_000

func (m *multiset) add(row string) {
	m.n++
	s := sha256.Sum256([]byte(row))
	m.h1 += binary.LittleEndian.Uint64(s[:8])
	m.h2 += binary.LittleEndian.Uint64(s[8:16])
	if m.n <= keepRows {
		if m.rows == nil {
			m.rows = map[string]int{}
		}
		m.rows[row]++
	} else {
		m.rows = nil
	}
}

// Check compares the rows a job printed (Flink's print format, +I[...] lines, from the
// query's sink) with the reference evaluation of query name over db.
func Check(db *sql.DB, name string, printed io.Reader) (Result, error) {
	q, ok := Queries[name]
	if !ok {
		return Result{}, fmt.Errorf("nexmarkref: no reference for query %s", name)
	}
	var ref, job multiset
	rows, err := db.Query(q.SQL)
	if err != nil {
		return Result{}, fmt.Errorf("%s: %v", name, err)
	}
	vals := make([]any, len(q.Columns))
	ptrs := make([]any, len(q.Columns))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			rows.Close()
			return Result{}, err
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = fmt.Sprint(v)
		}
		ref.add(strings.Join(parts, "|"))
	}
	if err := rows.Close(); err != nil {
		return Result{}, err
	}
	sc := bufio.NewScanner(printed)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	line := 0
	for sc.Scan() {
		line++
		row, err := parsePrinted(sc.Text(), q.Columns)
		if err != nil {
			return Result{}, fmt.Errorf("line %d of the job's output: %v", line, err)
		}
		job.add(row)
	}
	if err := sc.Err(); err != nil {
		return Result{}, err
	}
	res := Result{Rows: ref.n, Job: job.n, OK: ref.n == job.n && ref.h1 == job.h1 && ref.h2 == job.h2}
	if !res.OK && ref.rows != nil && job.rows != nil {
		res.Diff = diff(ref.rows, job.rows)
	}
	return res, nil
}

// diff lists up to 10 rows whose counts differ.
func diff(ref, job map[string]int) string {
	var lines []string
	for r, n := range ref {
		if job[r] != n {
			lines = append(lines, fmt.Sprintf("reference %dx, job %dx: %s", n, job[r], r))
		}
	}
	for r, n := range job {
		if _, ok := ref[r]; !ok {
			lines = append(lines, fmt.Sprintf("reference 0x, job %dx: %s", n, r))
		}
	}
	sort.Strings(lines)
	if len(lines) > 10 {
		lines = append(lines[:10], fmt.Sprintf("... (%d rows differ)", len(lines)))
	}
	return strings.Join(lines, "\n")
}

// parsePrinted turns a print line "+I[1000, 2001, 29537240.908, 2024-01-01T00:00, x]"
// into the canonical text of its values. Values are split at ", ": the queries checked
// here print no string holding one.
func parsePrinted(line string, cols []Kind) (string, error) {
	body, ok := strings.CutPrefix(line, "+I[")
	if !ok || !strings.HasSuffix(body, "]") {
		return "", fmt.Errorf("not an insert row: %q", line)
	}
	vals := strings.Split(body[:len(body)-1], ", ")
	if len(vals) != len(cols) {
		return "", fmt.Errorf("%d values, want %d: %q", len(vals), len(cols), line)
	}
	for i, v := range vals {
		switch cols[i] {
		case Int:
			if _, err := strconv.ParseInt(v, 10, 64); err != nil {
				return "", fmt.Errorf("value %d: %v", i+1, err)
			}
		case Dec3:
			r, ok := new(big.Rat).SetString(v)
			if !ok {
				return "", fmt.Errorf("value %d: %q is not a decimal", i+1, v)
			}
			r.Mul(r, big.NewRat(1000, 1))
			if !r.IsInt() {
				return "", fmt.Errorf("value %d: %q has more than 3 decimals", i+1, v)
			}
			vals[i] = r.Num().String()
		case Millis:
			ms, err := parseJavaTimestamp(v)
			if err != nil {
				return "", fmt.Errorf("value %d: %v", i+1, err)
			}
			vals[i] = strconv.FormatInt(ms, 10)
		}
	}
	return strings.Join(vals, "|"), nil
}

// parseJavaTimestamp reads LocalDateTime.toString (what Flink's print sink writes):
// 2024-01-01T00:00, 2024-01-01T00:00:05, 2024-01-01T00:00:05.120.
func parseJavaTimestamp(s string) (int64, error) {
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UnixMilli(), nil
		}
	}
	return 0, errors.New("not a timestamp: " + strconv.Quote(s))
}
