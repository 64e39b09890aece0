package sqlite

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

var statSchema = stream.Schema{
	Columns: []stream.Column{
		{Name: "province", Type: "STRING NOT NULL", Kind: stream.Varchar},
		{Name: "access_count", Type: "BIGINT", Kind: stream.BigInt, Nullable: true},
		{Name: "total_download", Type: "BIGINT", Kind: stream.BigInt, Nullable: true},
		{Name: "download_speed", Type: "DOUBLE", Kind: stream.Double, Nullable: true},
	},
	Key: []int{0},
}

func opts(dbPath, table string, extra ...string) *options.Resolved {
	r := &options.Resolved{Table: "cdn_access_statistic", Connector: "jdbc", Values: map[string]string{
		"url":        "jdbc:sqlite:" + dbPath,
		"table-name": table,
	}}
	for i := 0; i+1 < len(extra); i += 2 {
		r.Values[extra[i]] = extra[i+1]
	}
	return r
}

func open(t *testing.T, r *options.Resolved, schema stream.Schema) *Sink {
	t.Helper()
	s, err := Open(r, schema)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func stat(t *testing.T, s *Sink, kind stream.RowKind, province string, n, d int64, speed float64) {
	t.Helper()
	s.Begin(kind)
	s.String(province)
	s.Int64(n)
	s.Int64(d)
	s.Float64(speed)
	if err := s.End(); err != nil {
		t.Fatal(err)
	}
}

// query returns the rows of q as strings, for comparison.
func query(t *testing.T, dbPath, q string) []string {
	t.Helper()
	db, err := sql.Open("sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var parts []string
		for _, v := range vals {
			switch v := v.(type) {
			case []byte:
				parts = append(parts, fmt.Sprintf("x'%x'", v))
			default:
				parts = append(parts, fmt.Sprintf("%v", v))
			}
		}
		out = append(out, strings.Join(parts, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCreateUpsertDelete(t *testing.T) {
	db := filepath.Join(t.TempDir(), "out", "cdn.db") // the directory is created
	s := open(t, opts(db, "cdn_access_statistic"), statSchema)

	stat(t, s, stream.Insert, "Beijing", 1, 100, 1.5)
	stat(t, s, stream.Insert, "Shanghai", 1, 50, 2)
	stat(t, s, stream.UpdateBefore, "Beijing", 1, 100, 1.5)
	stat(t, s, stream.UpdateAfter, "Beijing", 2, 300, 2.5)
	stat(t, s, stream.UpdateBefore, "Beijing", 2, 300, 2.5)
	stat(t, s, stream.UpdateAfter, "Beijing", 3, 600, 3.5)
	if len(s.pending) != 2 {
		t.Errorf("buffer holds %d rows, want 2 (collapsed per key)", len(s.pending))
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if s.Written() != 2 {
		t.Errorf("Written = %d, want 2", s.Written())
	}
	q := `SELECT province, access_count, total_download, download_speed FROM cdn_access_statistic ORDER BY province`
	want := []string{"Beijing|3|600|3.5", "Shanghai|1|50|2"}
	if got := query(t, db, q); !reflect.DeepEqual(got, want) {
		t.Errorf("after first flush: %q, want %q", got, want)
	}

	// An update of an existing key, a delete, and a key inserted then deleted in one buffer.
	stat(t, s, stream.UpdateAfter, "Shanghai", 2, 150, 4)
	stat(t, s, stream.Delete, "Beijing", 3, 600, 3.5)
	stat(t, s, stream.Insert, "Hubei", 1, 1, 1)
	stat(t, s, stream.Delete, "Hubei", 1, 1, 1)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	want = []string{"Shanghai|2|150|4"}
	if got := query(t, db, q); !reflect.DeepEqual(got, want) {
		t.Errorf("after second flush: %q, want %q", got, want)
	}

	schemaSQL := query(t, db, `SELECT sql FROM sqlite_master WHERE name = 'cdn_access_statistic'`)
	wantSQL := `CREATE TABLE "cdn_access_statistic" (
  "province" TEXT NOT NULL,
  "access_count" INTEGER,
  "total_download" INTEGER,
  "download_speed" REAL,
  PRIMARY KEY ("province")
)`
	if len(schemaSQL) != 1 || schemaSQL[0] != wantSQL {
		t.Errorf("created table:\n%s\nwant\n%s", schemaSQL, wantSQL)
	}

	// Reopen and continue: the existing table passes the check and rows are upserted.
	s = open(t, opts(db, "cdn_access_statistic"), statSchema)
	stat(t, s, stream.UpdateAfter, "Shanghai", 3, 200, 5)
	stat(t, s, stream.Insert, "Beijing", 1, 10, 1)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	want = []string{"Beijing|1|10|1", "Shanghai|3|200|5"}
	if got := query(t, db, q); !reflect.DeepEqual(got, want) {
		t.Errorf("after reopen: %q, want %q", got, want)
	}
}

func TestMaxRowsFlushesFromEnd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cdn.db")
	s := open(t, opts(db, "stats", "sink.buffer-flush.max-rows", "2"), statSchema)
	defer s.Close()
	stat(t, s, stream.Insert, "A", 1, 1, 1)
	stat(t, s, stream.UpdateAfter, "A", 2, 2, 2) // same key: still one buffered row
	if s.Written() != 0 {
		t.Fatalf("flushed early: Written = %d", s.Written())
	}
	stat(t, s, stream.Insert, "B", 1, 1, 1) // second key reaches max-rows
	if s.Written() != 2 || len(s.pending) != 0 {
		t.Errorf("after reaching max-rows: Written = %d, pending = %d", s.Written(), len(s.pending))
	}
	if got := query(t, db, `SELECT count(*) FROM stats`); got[0] != "2" {
		t.Errorf("rows in table: %v", got)
	}
}

func TestDefaultMaxRowsFromOptions(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cdn.db")
	s := open(t, opts(db, "stats"), statSchema)
	defer s.Close()
	if s.maxRows != 100 {
		t.Errorf("maxRows = %d, want Flink's default 100", s.maxRows)
	}
}

func TestExistingTableCheck(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cdn.db")
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`CREATE TABLE missing_col (province TEXT PRIMARY KEY, access_count INTEGER)`,
		`CREATE TABLE wrong_key (province TEXT, access_count INTEGER, total_download INTEGER, download_speed REAL, id INTEGER PRIMARY KEY)`,
		`CREATE TABLE extra_not_null (province TEXT PRIMARY KEY, access_count INTEGER, total_download INTEGER, download_speed REAL, note TEXT NOT NULL)`,
		`CREATE TABLE fits (PROVINCE TEXT, access_count INTEGER, total_download INTEGER, download_speed REAL, note TEXT, created TEXT NOT NULL DEFAULT 'now')`,
		`CREATE UNIQUE INDEX fits_province ON fits (province)`,
	} {
		if _, err := conn.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	conn.Close()

	for _, c := range []struct{ table, problem string }{
		{"missing_col", `column "total_download" is missing; column "download_speed" is missing`},
		{"wrong_key", `the key ("province") is neither the primary key nor a unique index`},
		{"extra_not_null", `column "note" is NOT NULL without a default and the sink does not write it`},
	} {
		_, err := Open(opts(db, c.table), statSchema)
		if err == nil {
			t.Errorf("%s: no error", c.table)
			continue
		}
		msg := err.Error()
		for _, want := range []string{
			"table cdn_access_statistic: SQLite table \"" + c.table + "\" in " + db + " does not fit the sink: " + c.problem + ".",
			"create it with:\nCREATE TABLE \"" + c.table + "\" (\n  \"province\" TEXT NOT NULL,",
			"PRIMARY KEY (\"province\")\n);",
		} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s: error\n%s\ndoes not contain\n%s", c.table, msg, want)
			}
		}
	}

	// A unique index on the key and extra nullable or defaulted columns are fine.
	s := open(t, opts(db, "fits"), statSchema)
	stat(t, s, stream.Insert, "Beijing", 1, 2, 3)
	stat(t, s, stream.Insert, "Beijing", 4, 5, 6)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if got := query(t, db, `SELECT province, access_count, note, created FROM fits`); !reflect.DeepEqual(got, []string{"Beijing|4|<nil>|now"}) {
		t.Errorf("fits: %q", got)
	}
}

func TestAppendMode(t *testing.T) {
	db := filepath.Join(t.TempDir(), "log.db")
	schema := stream.Schema{Columns: []stream.Column{
		{Name: "id", Kind: stream.Int},
		{Name: "ok", Kind: stream.Boolean, Nullable: true},
		{Name: "f", Kind: stream.Float, Nullable: true},
		{Name: "amount", Kind: stream.Decimal, Precision: 10, Scale: 2, Nullable: true},
		{Name: "payload", Kind: stream.Varbinary, Nullable: true},
		{Name: "day", Kind: stream.Date, Nullable: true},
		{Name: "at", Kind: stream.Time, Precision: 0, Nullable: true},
		{Name: "ts", Kind: stream.Timestamp, Precision: 3, Nullable: true},
	}}
	s := open(t, opts(db, "events"), schema)
	amount, _ := types.ParseDecimal([]byte("12.5"), 10, 2)
	for i := 0; i < 2; i++ { // the same row twice: append mode keeps both
		s.Begin(stream.Insert)
		s.Int64(1)
		s.Bool(true)
		s.Float64(float64(float32(0.1)))
		s.Decimal(amount, 2)
		s.Bytes([]byte{0xde, 0xad})
		s.Date(18262)
		s.Time(45_296_000)
		s.Timestamp(types.Timestamp{Millis: 1577881805120})
		if err := s.End(); err != nil {
			t.Fatal(err)
		}
	}
	s.Begin(stream.Insert)
	s.Int64(2)
	for i := 0; i < 7; i++ {
		s.Null()
	}
	if err := s.End(); err != nil {
		t.Fatal(err)
	}
	// Empty BYTES are an empty BLOB, not NULL (database/sql takes a nil []byte for NULL).
	s.Begin(stream.Insert)
	s.Int64(3)
	s.Null()
	s.Null()
	s.Null()
	s.Bytes(nil)
	for i := 0; i < 3; i++ {
		s.Null()
	}
	if err := s.End(); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"1|1|0.1|12.50|x'dead'|2020-01-01|12:34:56|2020-01-01 12:30:05.120",
		"1|1|0.1|12.50|x'dead'|2020-01-01|12:34:56|2020-01-01 12:30:05.120",
		"2|<nil>|<nil>|<nil>|<nil>|<nil>|<nil>|<nil>",
		"3|<nil>|<nil>|<nil>|x''|<nil>|<nil>|<nil>",
	}
	if got := query(t, db, `SELECT * FROM events ORDER BY id`); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	types := query(t, db, `SELECT name || ' ' || type FROM pragma_table_info('events')`)
	wantTypes := []string{"id INTEGER", "ok INTEGER", "f REAL", "amount TEXT", "payload BLOB", "day TEXT", "at TEXT", "ts TEXT"}
	if !reflect.DeepEqual(types, wantTypes) {
		t.Errorf("column types %q, want %q", types, wantTypes)
	}

	// A retraction cannot be appended.
	s.Begin(stream.Delete)
	s.Int64(1)
	for i := 0; i < 7; i++ {
		s.Null()
	}
	if err := s.End(); err == nil || !strings.Contains(err.Error(), "received a -D row, but the sink has no key") {
		t.Errorf("delete in append mode: %v", err)
	}
	s.db.Close()
}

func TestNullKey(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	schema := stream.Schema{Columns: []stream.Column{
		{Name: "k", Kind: stream.Varchar, Nullable: true},
		{Name: "n", Kind: stream.BigInt},
	}, Key: []int{0}}
	s := open(t, opts(db, "t"), schema)
	row := func(kind stream.RowKind, k *string, n int64) {
		s.Begin(kind)
		if k == nil {
			s.Null()
		} else {
			s.String(*k)
		}
		s.Int64(n)
		if err := s.End(); err != nil {
			t.Fatal(err)
		}
		if err := s.Flush(); err != nil { // a flush per row: the table sees every change
			t.Fatal(err)
		}
	}
	a := "a"
	row(stream.Insert, nil, 1)
	row(stream.UpdateAfter, nil, 2)
	row(stream.Insert, &a, 1)
	if got := query(t, db, `SELECT k, n FROM t ORDER BY k`); !reflect.DeepEqual(got, []string{"<nil>|2", "a|1"}) {
		t.Errorf("null key upserted: %q", got)
	}
	row(stream.Delete, nil, 2)
	if got := query(t, db, `SELECT k, n FROM t ORDER BY k`); !reflect.DeepEqual(got, []string{"a|1"}) {
		t.Errorf("null key deleted: %q", got)
	}
	s.Close()
}

func TestNullableIntegerKey(t *testing.T) {
	db := filepath.Join(t.TempDir(), "k.db")
	schema := stream.Schema{Columns: []stream.Column{
		{Name: "k", Kind: stream.BigInt, Nullable: true},
		{Name: "n", Kind: stream.BigInt},
	}, Key: []int{0}}
	s := open(t, opts(db, "t"), schema)
	for _, n := range []int64{1, 2} {
		s.Begin(stream.UpdateAfter)
		s.Null()
		s.Int64(n)
		s.End()
		if err := s.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	if got := query(t, db, `SELECT k, n FROM t`); !reflect.DeepEqual(got, []string{"<nil>|2"}) {
		t.Errorf("NULL integer key: %q", got)
	}
}

func TestRelativePathAndBadURL(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	s := open(t, opts("rel.db", "t"), statSchema)
	s.Close()
	if _, err := os.Stat(filepath.Join(dir, "rel.db")); err != nil {
		t.Errorf("relative path: %v", err)
	}

	for url, want := range map[string]string{
		"jdbc:mysql://localhost:3306/db": "supports only SQLite URLs here, jdbc:sqlite:<path>",
		"jdbc:sqlite:x.db?mode=ro":       "URL parameters are not supported",
		"jdbc:sqlite:":                   "the database path is empty",
	} {
		r := opts("", "t")
		r.Values["url"] = url
		if _, err := Open(r, statSchema); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", url, err, want)
		}
	}
}

func BenchmarkUpsert(b *testing.B) {
	db := filepath.Join(b.TempDir(), "bench.db")
	r := opts(db, "stats", "sink.buffer-flush.max-rows", "0")
	s, err := Open(r, statSchema)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	provinces := make([]string, 1000)
	for i := range provinces {
		provinces[i] = fmt.Sprintf("province-%d", i)
	}
	b.ReportAllocs()
	for b.Loop() {
		for i, p := range provinces {
			s.Begin(stream.UpdateAfter)
			s.String(p)
			s.Int64(int64(i))
			s.Int64(int64(i) * 10)
			s.Float64(1.5)
			s.End()
		}
		if err := s.Flush(); err != nil {
			b.Fatal(err)
		}
	}
}
