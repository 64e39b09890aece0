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
	"io/fs"
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
	// Key, for a query whose result is a changelog (a GROUP BY without a window), are
	// the columns of the group key: the job's +I/-U/+U/-D rows are applied to a table
	// by that key (an upsert), and the final table is compared with SQLite's result.
	// Nil for an append-only result, compared as a multiset of +I rows.
	Key []int
	// Partitions, for a query into a partitioned filesystem sink (CheckFiles), is the
	// number of partition columns: the last ones, one directory level each.
	Partitions int
}

// millis is the SQLite expression of a timestamp column of the dump as epoch ms.
func millis(col string) string {
	return "CAST(ROUND((julianday(" + col + ") - 2440587.5) * 86400000) AS INTEGER)"
}

// day and minute are DATE_FORMAT(dateTime, 'yyyy-MM-dd') and DATE_FORMAT(dateTime,
// 'HH:mm') over the dump's text (yyyy-MM-dd HH:mm:ss[.SSS], UTC).
const (
	day    = "substr(dateTime, 1, 10)"
	minute = "substr(dateTime, 12, 5)"
)

// rankAggs are q15's and q16's counts: all bids, then the three price ranks, of bids,
// distinct bidders and distinct auctions. A filtered distinct count is COUNT(DISTINCT
// CASE WHEN rank THEN x END): CASE gives NULL outside the rank, which COUNT skips.
var rankAggs = func() string {
	ranks := []string{"price < 10000", "price >= 10000 AND price < 1000000", "price >= 1000000"}
	aggs := []string{"count(*)"}
	for _, r := range ranks {
		aggs = append(aggs, "sum(CASE WHEN "+r+" THEN 1 ELSE 0 END)")
	}
	for _, col := range []string{"bidder", "auction"} {
		aggs = append(aggs, "count(DISTINCT "+col+")")
		for _, r := range ranks {
			aggs = append(aggs, "count(DISTINCT CASE WHEN "+r+" THEN "+col+" END)")
		}
	}
	return strings.Join(aggs, ", ")
}()

// channelID is q21's REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2) without a
// regular expression: rest is what follows the first "channel_id=" at the start of url
// or after a '&' (NULL when there is none), and the value runs to the next '&'.
const channelID = `CASE WHEN rest IS NULL THEN NULL WHEN instr(rest, '&') > 0 THEN substr(rest, 1, instr(rest, '&') - 1) ELSE rest END`

const channelRest = `CASE WHEN substr(url, 1, 11) = 'channel_id=' THEN substr(url, 12)
		WHEN instr(url, '&channel_id=') > 0 THEN substr(url, instr(url, '&channel_id=') + 12) END AS rest`

// splitDirs is q22's SPLIT_INDEX(url, '/', 3), (url, '/', 4) and (url, '/', 5) without a
// split function: r1 … r5 are url after its first … fifth '/' (NULL when it has fewer),
// and the part k is r_k up to its next '/'; a missing part is NULL, as in Flink. Each
// level is a subquery with LIMIT -1, which SQLite does not flatten: flattened, every
// level would repeat the text of the one below three times (3^5 evaluations a row).
var splitDirs = func() string {
	q := "SELECT *, url AS r0 FROM bid"
	for k := 1; k <= 5; k++ {
		prev := fmt.Sprintf("r%d", k-1)
		q = fmt.Sprintf("SELECT *, CASE WHEN instr(%[1]s, '/') > 0 THEN substr(%[1]s, instr(%[1]s, '/') + 1) END AS r%[2]d FROM (%[3]s LIMIT -1)", prev, k, q)
	}
	part := func(k int) string {
		r := fmt.Sprintf("r%d", k)
		return fmt.Sprintf("CASE WHEN instr(%[1]s, '/') > 0 THEN substr(%[1]s, 1, instr(%[1]s, '/') - 1) ELSE %[1]s END", r)
	}
	return "SELECT auction, bidder, price, channel, " + part(3) + ", " + part(4) + ", " + part(5) + " FROM (" + q + ")"
}()

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
	// q15: per day, the counts of rankAggs.
	"q15": {SQL: "SELECT " + day + ", " + rankAggs + " FROM bid GROUP BY 1",
		Columns: append([]Kind{Text}, repeat(Int, 12)...), Key: []int{0}},
	// q16: per channel and day, MAX(DATE_FORMAT(dateTime, 'HH:mm')) and rankAggs.
	"q16": {SQL: "SELECT channel, " + day + ", max(" + minute + "), " + rankAggs + " FROM bid GROUP BY 1, 2",
		Columns: append([]Kind{Text, Text, Text}, repeat(Int, 12)...), Key: []int{0, 1}},
	// q17: per auction and day, the counts of the price ranks, MIN, MAX, AVG (a BIGINT:
	// the sum divided by the count, truncated, as Flink's AVG of a BIGINT) and SUM.
	"q17": {SQL: `SELECT auction, ` + day + `, count(*),
		sum(CASE WHEN price < 10000 THEN 1 ELSE 0 END),
		sum(CASE WHEN price >= 10000 AND price < 1000000 THEN 1 ELSE 0 END),
		sum(CASE WHEN price >= 1000000 THEN 1 ELSE 0 END),
		min(price), max(price), sum(price) / count(*), sum(price)
		FROM bid GROUP BY 1, 2`,
		Columns: append([]Kind{Int, Text}, repeat(Int, 8)...), Key: []int{0, 1}},
	// q21: the channel's number for the four named channels, else the url's channel_id.
	"q21": {SQL: `SELECT auction, bidder, price, channel,
		CASE lower(channel) WHEN 'apple' THEN '0' WHEN 'google' THEN '1' WHEN 'facebook' THEN '2' WHEN 'baidu' THEN '3' ELSE ` + channelID + ` END
		FROM (SELECT *, ` + channelRest + ` FROM bid)
		WHERE rest IS NOT NULL OR lower(channel) IN ('apple', 'google', 'facebook', 'baidu')`,
		Columns: []Kind{Int, Int, Int, Text, Text}},
	// q10: every bid, with DATE_FORMAT(dateTime, 'yyyy-MM-dd') and (dateTime, 'HH:mm')
	// as its partition (dt, hm).
	"q10": {SQL: "SELECT auction, bidder, price, " + millis("dateTime") + ", extra, " + day + ", " + minute + " FROM bid",
		Columns: []Kind{Int, Int, Int, Millis, Text, Text, Text}, Partitions: 2},
	// q22: the url's third, fourth and fifth '/'-separated parts.
	"q22": {SQL: splitDirs, Columns: []Kind{Int, Int, Int, Text, Text, Text, Text}},
}

func repeat(k Kind, n int) []Kind {
	ks := make([]Kind, n)
	for i := range ks {
		ks[i] = k
	}
	return ks
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
// query's sink) with the reference evaluation of query name over db. For a query with
// a Key the printed lines are a changelog (+I, -U, +U, -D), applied to a table by key;
// the final table is compared.
func Check(db *sql.DB, name string, printed io.Reader) (Result, error) {
	q, ok := Queries[name]
	if !ok {
		return Result{}, fmt.Errorf("nexmarkref: no reference for query %s", name)
	}
	sc := bufio.NewScanner(printed)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	line := 0
	return check(db, name, q, func() (string, []string, error) {
		if !sc.Scan() {
			return "", nil, sc.Err()
		}
		line++
		kind, row, err := parsePrinted(sc.Text(), q.Columns)
		if err != nil {
			return "", nil, fmt.Errorf("line %d of the job's output: %v", line, err)
		}
		return kind, row, nil
	})
}

// reference evaluates q over db into a multiset of canonical rows.
func reference(db *sql.DB, name string, q Query) (multiset, error) {
	var ref multiset
	rows, err := db.Query(q.SQL)
	if err != nil {
		return ref, fmt.Errorf("%s: %v", name, err)
	}
	defer rows.Close()
	vals := make([]any, len(q.Columns))
	ptrs := make([]any, len(q.Columns))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return ref, err
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			if v == nil {
				parts[i] = "null" // as printed
			} else {
				parts[i] = fmt.Sprint(v)
			}
		}
		ref.add(strings.Join(parts, "|"))
	}
	return ref, rows.Err()
}

// check compares the job's rows, from next (a row kind and canonical values; no kind
// at the end), with the reference.
func check(db *sql.DB, name string, q Query, next func() (string, []string, error)) (Result, error) {
	ref, err := reference(db, name, q)
	if err != nil {
		return Result{}, err
	}
	var job multiset
	var table map[string]string // the changelog's final rows by key, for a Key
	if q.Key != nil {
		table = map[string]string{}
	}
	for {
		kind, row, err := next()
		if err != nil {
			return Result{}, err
		}
		if kind == "" {
			break
		}
		if table == nil {
			if kind != "+I" {
				return Result{}, fmt.Errorf("a %s row from the append-only query %s", kind, name)
			}
			job.add(strings.Join(row, "|"))
			continue
		}
		key := make([]string, len(q.Key))
		for i, k := range q.Key {
			key[i] = row[k]
		}
		k, text := strings.Join(key, "|"), strings.Join(row, "|")
		old, had := table[k]
		switch kind {
		case "+I", "+U":
			table[k] = text
		case "-U", "-D":
			// A retraction takes back the row the key has now, exactly.
			if !had || old != text {
				return Result{}, fmt.Errorf("%s of a row the table does not hold (it holds %q): %q", kind, old, text)
			}
			delete(table, k)
		}
	}
	keys := make([]string, 0, len(table))
	for k := range table {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		job.add(table[k])
	}
	res := Result{Rows: ref.n, Job: job.n, OK: ref.n == job.n && ref.h1 == job.h1 && ref.h2 == job.h2}
	if !res.OK && ref.rows != nil && job.rows != nil {
		res.Diff = diff(ref.rows, job.rows)
	}
	return res, nil
}

// CheckFiles compares what a job wrote into a partitioned filesystem sink (format csv)
// under dir with the reference evaluation of query name over db. A row is a data
// file's line followed by the partition values of its directories (k=v, unescaped as
// Flink's PartitionPathUtils does). Hidden files ('.' or '_') are not data, as Flink's
// readers skip them. The run must have ended: a file still in progress, or a partition
// directory without its success file (successFile), is an error.
func CheckFiles(db *sql.DB, name, dir, successFile string) (Result, error) {
	q, ok := Queries[name]
	if !ok || q.Partitions == 0 {
		return Result{}, fmt.Errorf("nexmarkref: no partitioned reference for query %s", name)
	}
	var files []dataFile
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		if d.IsDir() {
			if len(parts) == q.Partitions {
				if _, err := os.Stat(filepath.Join(path, successFile)); err != nil {
					return fmt.Errorf("partition %s has no success file: %v", rel, err)
				}
			}
			return nil
		}
		base := d.Name()
		if strings.Contains(base, ".inprogress") {
			return fmt.Errorf("%s is still in progress", rel)
		}
		if strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_") {
			return nil
		}
		if len(parts) != q.Partitions+1 {
			return fmt.Errorf("%s: a data file outside the %d partition levels", rel, q.Partitions)
		}
		vals := make([]string, q.Partitions)
		for i, p := range parts[:q.Partitions] {
			_, v, ok := strings.Cut(p, "=")
			if !ok {
				return fmt.Errorf("%s: %q is not a partition directory (k=v)", rel, p)
			}
			vals[i] = unescapePathName(v)
		}
		files = append(files, dataFile{path, rel, vals})
		return nil
	})
	if err != nil {
		return Result{}, err
	}
	// The files are read one at a time, a row at a time.
	var f *os.File
	var r *csv.Reader
	var cur dataFile
	defer func() {
		if f != nil {
			f.Close()
		}
	}()
	return check(db, name, q, func() (string, []string, error) {
		for {
			if r == nil {
				if len(files) == 0 {
					return "", nil, nil
				}
				cur, files = files[0], files[1:]
				var err error
				if f, err = os.Open(cur.path); err != nil {
					return "", nil, err
				}
				r = csv.NewReader(bufio.NewReaderSize(f, 1<<20))
				r.FieldsPerRecord = len(q.Columns) - q.Partitions
			}
			rec, err := r.Read()
			if err == io.EOF {
				f.Close()
				f, r = nil, nil
				continue
			}
			if err != nil {
				return "", nil, fmt.Errorf("%s: %v", cur.rel, err)
			}
			row := append(append(make([]string, 0, len(q.Columns)), rec...), cur.vals...)
			if err := canonical(row, q.Columns); err != nil {
				return "", nil, fmt.Errorf("%s: %v", cur.rel, err)
			}
			return "+I", row, nil
		}
	})
}

// dataFile is a data file of a partitioned sink and its partition values.
type dataFile struct {
	path, rel string
	vals      []string
}

// unescapePathName undoes Flink's escapePathName: %XX is the character XX.
func unescapePathName(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '%' && i+2 < len(p) {
			if n, err := strconv.ParseUint(p[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(n))
				i += 2
				continue
			}
		}
		b.WriteByte(p[i])
	}
	return b.String()
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
// into its row kind and the canonical text of its values. Values are split at ", ":
// the queries checked here print no string holding one. Flink's print format writes
// NULL as null, as it writes the string 'null' (q22's url has a part "null"), so both
// are compared as null.
func parsePrinted(line string, cols []Kind) (string, []string, error) {
	kind, body := line[:min(len(line), 3)], line[min(len(line), 3):]
	switch kind {
	case "+I[", "-U[", "+U[", "-D[":
	default:
		return "", nil, fmt.Errorf("not a changelog row: %q", line)
	}
	if !strings.HasSuffix(body, "]") {
		return "", nil, fmt.Errorf("not a changelog row: %q", line)
	}
	vals := strings.Split(body[:len(body)-1], ", ")
	if len(vals) != len(cols) {
		return "", nil, fmt.Errorf("%d values, want %d: %q", len(vals), len(cols), line)
	}
	if err := canonical(vals, cols); err != nil {
		return "", nil, err
	}
	return kind[:2], vals, nil
}

// canonical turns the text of a row's values into their canonical text in place:
// decimals scaled to integers, timestamps (Java's LocalDateTime text, or SQL's) to
// epoch milliseconds.
func canonical(vals []string, cols []Kind) error {
	for i, v := range vals {
		if v == "null" {
			continue
		}
		switch cols[i] {
		case Int:
			if _, err := strconv.ParseInt(v, 10, 64); err != nil {
				return fmt.Errorf("value %d: %v", i+1, err)
			}
		case Dec3:
			r, ok := new(big.Rat).SetString(v)
			if !ok {
				return fmt.Errorf("value %d: %q is not a decimal", i+1, v)
			}
			r.Mul(r, big.NewRat(1000, 1))
			if !r.IsInt() {
				return fmt.Errorf("value %d: %q has more than 3 decimals", i+1, v)
			}
			vals[i] = r.Num().String()
		case Millis:
			ms, err := parseJavaTimestamp(v)
			if err != nil {
				return fmt.Errorf("value %d: %v", i+1, err)
			}
			vals[i] = strconv.FormatInt(ms, 10)
		}
	}
	return nil
}

// parseJavaTimestamp reads LocalDateTime.toString (what Flink's print sink writes):
// 2024-01-01T00:00, 2024-01-01T00:00:05, 2024-01-01T00:00:05.120, and SQL's text (what
// the csv format writes): 2024-01-01 00:00:05[.12].
func parseJavaTimestamp(s string) (int64, error) {
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UnixMilli(), nil
		}
	}
	return 0, errors.New("not a timestamp: " + strconv.Quote(s))
}
