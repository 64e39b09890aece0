package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	mysqldriver "github.com/go-sql-driver/mysql"

	"github.com/sqlc-stream/sqlc-stream/internal/testservers"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

func TestMain(m *testing.M) { testservers.Main(m) }

// server is a fresh database on the test server: a handle for checks and the JDBC
// options that point the sink at it.
type server struct {
	db   *sql.DB
	opts []string
}

func newServer(t *testing.T) *server {
	t.Helper()
	dsn := testservers.MariaDB(t)
	cfg, err := mysqldriver.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &server{db: db, opts: []string{
		"connector", "jdbc", "url", "jdbc:mysql://" + cfg.Addr + "/" + cfg.DBName + "?useSSL=false",
		"username", cfg.User, "password", cfg.Passwd,
	}}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func (s *server) exec(t *testing.T, stmt string) {
	t.Helper()
	if _, err := s.db.ExecContext(ctx(t), stmt); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
}

// dump returns the table's rows, ordered by the first column, one line each.
func (s *server) dump(t *testing.T, table string) string {
	t.Helper()
	rows, err := s.db.QueryContext(ctx(t), "SELECT * FROM "+table+" ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var lines []string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var fs []string
		for _, v := range vals {
			if v.Valid {
				fs = append(fs, v.String)
			} else {
				fs = append(fs, "NULL")
			}
		}
		lines = append(lines, strings.Join(fs, ","))
	}
	return strings.Join(lines, "\n")
}

func (s *server) sink(t *testing.T, schema stream.Schema, kv ...string) (*Sink, error) {
	t.Helper()
	var written []options.KV
	all := append(append([]string(nil), s.opts...), kv...)
	for i := 0; i < len(all); i += 2 {
		written = append(written, options.KV{Key: all[i], Value: all[i+1]})
	}
	r, probs := options.Resolve("stat", written)
	if len(probs) > 0 {
		t.Fatalf("options: %v", probs)
	}
	sk, err := newSink(r, schema)
	if err == nil {
		t.Cleanup(func() { sk.Close() })
	}
	return sk, err
}

// The CDN job's result table, with column names that are MySQL keywords.
var statSchema = stream.Schema{Columns: []stream.Column{
	{Name: "province", Type: "STRING NOT NULL", Kind: stream.Varchar, Length: 1<<31 - 1},
	{Name: "order", Type: "BIGINT", Kind: stream.BigInt, Nullable: true},
	{Name: "speed", Type: "DOUBLE", Kind: stream.Double, Nullable: true},
}, Key: []int{0}}

const statDDL = "CREATE TABLE `my-stat` (province VARCHAR(64) NOT NULL PRIMARY KEY, `order` BIGINT, speed DOUBLE)"

func row(t *testing.T, s stream.Sink, kind stream.RowKind, province string, n int64, speed float64) {
	t.Helper()
	s.Begin(kind)
	s.String(province)
	s.Int64(n)
	s.Float64(speed)
	if err := s.End(); err != nil {
		t.Fatal(err)
	}
}

func TestUpsertCollapseAndDelete(t *testing.T) {
	srv := newServer(t)
	srv.exec(t, statDDL)
	s, err := srv.sink(t, statSchema, "table-name", "my-stat", "sink.buffer-flush.max-rows", "1000")
	if err != nil {
		t.Fatal(err)
	}
	row(t, s, stream.Insert, "Beijing", 1, 1.5)
	row(t, s, stream.UpdateBefore, "Beijing", 1, 1.5)
	row(t, s, stream.UpdateAfter, "Beijing", 2, 2.5)
	row(t, s, stream.Insert, "Hebei", 1, 1)
	row(t, s, stream.Delete, "Hebei", 1, 1)
	row(t, s, stream.Insert, "Shanghai", 7, 0.5)
	row(t, s, stream.UpdateAfter, "Shanghai", 8, 0.25)
	if n := len(s.entries); n != 3 {
		t.Fatalf("buffer holds %d entries, want 3 (one per key)", n)
	}
	if got := srv.dump(t, "`my-stat`"); got != "" {
		t.Fatalf("rows before Flush: %q", got)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := srv.dump(t, "`my-stat`"), "Beijing,2,2.5\nShanghai,8,0.25"; got != want {
		t.Fatalf("after first flush:\n%s\nwant\n%s", got, want)
	}
	row(t, s, stream.UpdateAfter, "Beijing", 3, 3.5)
	row(t, s, stream.Delete, "Shanghai", 8, 0.25)
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := srv.dump(t, "`my-stat`"), "Beijing,3,3.5"; got != want {
		t.Fatalf("after second flush:\n%s\nwant\n%s", got, want)
	}
}

func TestAppendBatches(t *testing.T) {
	srv := newServer(t)
	srv.exec(t, "CREATE TABLE log (province VARCHAR(64), `order` BIGINT, speed DOUBLE)")
	schema := statSchema
	schema.Key = nil
	s, err := srv.sink(t, schema, "table-name", "log", "sink.buffer-flush.max-rows", "100")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 250; i++ {
		row(t, s, stream.Insert, fmt.Sprintf("p%03d", i), int64(i), float64(i)/2)
	}
	// max-rows flushed twice from End.
	var n int
	if err := srv.db.QueryRowContext(ctx(t), "SELECT COUNT(*) FROM log").Scan(&n); err != nil || n != 200 {
		t.Fatalf("rows before Flush: %d (%v), want 200", n, err)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	var sum int64
	if err := srv.db.QueryRowContext(ctx(t), "SELECT COUNT(*), SUM(`order`) FROM log").Scan(&n, &sum); err != nil || n != 250 || sum != 249*250/2 {
		t.Fatalf("after Flush: %d rows, sum %d (%v)", n, sum, err)
	}
	s.Begin(stream.Delete)
	s.String("x")
	s.Int64(1)
	s.Float64(1)
	if err := s.End(); err == nil || !strings.Contains(err.Error(), "no key") {
		t.Fatalf("delete into an append-only sink: %v", err)
	}
}

func TestTypes(t *testing.T) {
	srv := newServer(t)
	srv.exec(t, "CREATE TABLE typed (id INT PRIMARY KEY, ok BOOLEAN, amount DECIMAL(12, 3), ts DATETIME(3), day DATE, tm TIME(3), bin VARBINARY(8), note TEXT, f FLOAT)")
	schema := stream.Schema{Columns: []stream.Column{
		{Name: "id", Type: "INT NOT NULL", Kind: stream.Int},
		{Name: "ok", Type: "BOOLEAN", Kind: stream.Boolean, Nullable: true},
		{Name: "amount", Type: "DECIMAL(12, 3)", Kind: stream.Decimal, Precision: 12, Scale: 3, Nullable: true},
		{Name: "ts", Type: "TIMESTAMP(3)", Kind: stream.Timestamp, Precision: 3, Nullable: true},
		{Name: "day", Type: "DATE", Kind: stream.Date, Nullable: true},
		{Name: "tm", Type: "TIME(3)", Kind: stream.Time, Precision: 3, Nullable: true},
		{Name: "bin", Type: "BYTES", Kind: stream.Varbinary, Length: 8, Nullable: true},
		{Name: "note", Type: "STRING", Kind: stream.Varchar, Nullable: true},
		{Name: "f", Type: "FLOAT", Kind: stream.Float, Nullable: true},
	}, Key: []int{0}}
	s, err := srv.sink(t, schema, "table-name", "typed")
	if err != nil {
		t.Fatal(err)
	}
	s.Begin(stream.Insert)
	s.Int64(1)
	s.Bool(true)
	s.Decimal(types.DecimalFromInt64(-12345, 0), 3)
	s.Timestamp(types.Timestamp{Millis: 1577880000123})
	s.Date(18262)
	s.Time(43200500)
	s.Bytes([]byte("ab"))
	s.String("it's \"quoted\"; DROP TABLE typed; --")
	s.Float64(0.5)
	if err := s.End(); err != nil {
		t.Fatal(err)
	}
	s.Begin(stream.Insert)
	s.Int64(2)
	for i := 0; i < 8; i++ {
		s.Null()
	}
	if err := s.End(); err != nil {
		t.Fatal(err)
	}
	if err := s.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "1,1,-12.345,2020-01-01 12:00:00.123,2020-01-01,12:00:00.500,ab,it's \"quoted\"; DROP TABLE typed; --,0.5\n2,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL"
	if got := srv.dump(t, "typed"); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestTableCheck(t *testing.T) {
	srv := newServer(t)
	_, err := srv.sink(t, statSchema, "table-name", "my-stat")
	if err == nil {
		t.Fatal("no error for a missing table")
	}
	msg := err.Error()
	for _, want := range []string{"does not exist", "CREATE TABLE `my-stat` (", "`province` VARCHAR(255) NOT NULL", "`order` BIGINT", "PRIMARY KEY (`province`)"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	// The statement shown works, and then the sink accepts the table.
	ddl := msg[strings.Index(msg, "CREATE TABLE"):]
	srv.exec(t, ddl)
	if _, err := srv.sink(t, statSchema, "table-name", "my-stat"); err != nil {
		t.Fatalf("after running the suggested DDL: %v", err)
	}

	srv.exec(t, "CREATE TABLE nokey (province VARCHAR(64), `order` BIGINT, speed DOUBLE)")
	if _, err := srv.sink(t, statSchema, "table-name", "nokey"); err == nil || !strings.Contains(err.Error(), "no PRIMARY KEY or UNIQUE index on exactly (province)") {
		t.Errorf("table without key: %v", err)
	}
	srv.exec(t, "CREATE TABLE badtype (province VARCHAR(64) PRIMARY KEY, `order` DATE)")
	_, err = srv.sink(t, statSchema, "table-name", "badtype")
	if err == nil || !strings.Contains(err.Error(), "column order is DATE, which cannot hold BIGINT") || !strings.Contains(err.Error(), "column speed is missing") {
		t.Errorf("incompatible table: %v", err)
	}
}

func TestRetryAcrossRestart(t *testing.T) {
	srv := newServer(t)
	if testservers.External() {
		t.Skip("needs the local MariaDB: SQLC_STREAM_MYSQL_DSN points at an external server")
	}
	srv.exec(t, statDDL)
	s, err := srv.sink(t, statSchema, "table-name", "my-stat", "sink.max-retries", "10")
	if err != nil {
		t.Fatal(err)
	}
	s.Backoff = 50 * time.Millisecond
	s.MaxBackoff = time.Second
	row(t, s, stream.Insert, "Beijing", 1, 1)
	if err := s.Flush(); err != nil { // the pool now holds a live connection
		t.Fatal(err)
	}
	row(t, s, stream.UpdateAfter, "Beijing", 2, 2)
	row(t, s, stream.Insert, "Tianjin", 5, 5)

	retried := make(chan struct{})
	var retries atomic.Int32
	s.OnRetry = func(attempt int, err error) {
		if retries.Add(1) == 1 {
			close(retried)
		}
	}
	testservers.StopMariaDB(t)
	done := make(chan error, 1)
	go func() { done <- s.Flush() }()
	select {
	case <-retried:
	case err := <-done:
		t.Fatalf("Flush with the server down returned %v before retrying", err)
	case <-ctx(t).Done():
		t.Fatal("no retry")
	}
	testservers.StartMariaDB(t)
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Flush after restart: %v", err)
		}
	case <-ctx(t).Done():
		t.Fatal("Flush did not finish after the restart")
	}
	srv.db.SetMaxIdleConns(0) // the test's own pooled connections died with the server
	if got, want := srv.dump(t, "`my-stat`"), "Beijing,2,2\nTianjin,5,5"; got != want {
		t.Fatalf("after restart:\n%s\nwant\n%s", got, want)
	}
}

// The server goes away inside the flush's transaction, after the statements were sent
// and before the commit: nothing of the batch is stored, the sink retries once the
// server is back, and the whole batch arrives.
func TestRetryMidTransaction(t *testing.T) {
	srv := newServer(t)
	if testservers.External() {
		t.Skip("needs the local MariaDB: SQLC_STREAM_MYSQL_DSN points at an external server")
	}
	srv.exec(t, statDDL)
	s, err := srv.sink(t, statSchema, "table-name", "my-stat", "sink.max-retries", "3")
	if err != nil {
		t.Fatal(err)
	}
	s.Backoff = 10 * time.Millisecond
	var commits, retries int
	s.beforeCommit = func() {
		commits++
		if commits == 1 {
			testservers.StopMariaDB(t)
		}
	}
	s.OnRetry = func(attempt int, err error) {
		retries++
		if retries == 1 {
			testservers.StartMariaDB(t)
		}
	}
	for i := 0; i < 50; i++ {
		row(t, s, stream.Insert, fmt.Sprintf("p%02d", i), int64(i), 1)
	}
	if err := s.Flush(); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	if retries == 0 || commits < 2 {
		t.Fatalf("retries %d, commit attempts %d: the restart was not exercised", retries, commits)
	}
	srv.db.SetMaxIdleConns(0)
	var n int
	if err := srv.db.QueryRowContext(ctx(t), "SELECT COUNT(*) FROM `my-stat`").Scan(&n); err != nil || n != 50 {
		t.Fatalf("rows after the restart: %d (%v), want 50", n, err)
	}
}

func TestNoRetryOnDataError(t *testing.T) {
	srv := newServer(t)
	srv.exec(t, "CREATE TABLE small (province VARCHAR(3) NOT NULL PRIMARY KEY, `order` BIGINT, speed DOUBLE)")
	s, err := srv.sink(t, statSchema, "table-name", "small")
	if err != nil {
		t.Fatal(err)
	}
	s.OnRetry = func(int, error) { t.Error("retried a data error") }
	row(t, s, stream.Insert, "Beijing", 1, 1)
	if err := s.Flush(); err == nil || !strings.Contains(err.Error(), "Data too long") {
		t.Fatalf("Flush: %v", err)
	}
	if len(s.entries) != 1 {
		t.Fatal("failed batch was dropped from the buffer")
	}
}

func TestConfigFromURL(t *testing.T) {
	cfg, notes, err := configFromURL("jdbc:mysql://db.example:3307/flink?useSSL=false", "u", "p")
	if err != nil || cfg.Addr != "db.example:3307" || cfg.DBName != "flink" || cfg.User != "u" || cfg.Passwd != "p" || len(notes) != 1 {
		t.Fatalf("%+v %v %v", cfg, notes, err)
	}
	if cfg, _, err := configFromURL("jdbc:mysql://localhost/flink", "", ""); err != nil || cfg.Addr != "localhost:3306" {
		t.Fatalf("default port: %+v %v", cfg, err)
	}
	for _, bad := range []string{"mysql://h/db", "jdbc:postgresql://h/db", "jdbc:mysql://h", "jdbc:mysql://a,b/db"} {
		if _, _, err := configFromURL(bad, "", ""); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// TestConfigFromURLMasksPassword: the errors about a URL quote it without its password,
// whether written in the URL, in ?password= or given with the password option.
func TestConfigFromURLMasksPassword(t *testing.T) {
	for _, tc := range []struct{ url, password string }{
		{"jdbc:mysql://u:hunter2pw@h", ""},         // no database
		{"jdbc:postgresql://u:hunter2pw@h/db", ""}, // not MySQL
		{"jdbc:mysql://u:hunter2pw@a,b/db", ""},    // failover
		{"jdbc:mysql://h?password=hunter2pw", ""},  // no database
		{"jdbc:mysql://u:hunter2pw@h:port/db", ""}, // url.Parse fails, and its error quotes the URL
		{"jdbc:mysql://u:%zzhunter2pw@h/db", ""},   // a bad escape in the password
		{"jdbc:mysql://u@hunter2pw/", "hunter2pw"}, // the password, appearing elsewhere
	} {
		_, _, err := configFromURL(tc.url, "", tc.password)
		if err == nil {
			t.Errorf("%s: no error", tc.url)
			continue
		}
		if strings.Contains(err.Error(), "hunter2pw") {
			t.Errorf("%s: the error shows the password: %v", tc.url, err)
		}
	}
}

func TestStatements(t *testing.T) {
	ins, err := insertSQL("", "my-stat", []string{"province", "order", "speed"}, 2, []string{"order", "speed"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "insert into `my-stat`(province, `order`, speed) values (?, ?, ?), (?, ?, ?) on duplicate key update `order` = values(`order`), speed = values(speed)"; ins != want {
		t.Errorf("insert:\n got %s\nwant %s", ins, want)
	}
	del, err := deleteSQL("db", "t`x", []string{"a", "select"})
	if err != nil {
		t.Fatal(err)
	}
	if want := "delete from db.`t``x` where a = ? and `select` = ?"; del != want {
		t.Errorf("delete:\n got %s\nwant %s", del, want)
	}
}

// The seed's Flink 1.10 DDL keys reach the sink under their modern names.
func TestLegacyKeys(t *testing.T) {
	srv := newServer(t)
	srv.exec(t, "CREATE TABLE access_statistic (province VARCHAR(64) PRIMARY KEY, `order` BIGINT, speed DOUBLE)")
	var written []options.KV
	legacy := map[string]string{"connector": "connector.type", "url": "connector.url", "username": "connector.username", "password": "connector.password"}
	for i := 0; i < len(srv.opts); i += 2 {
		written = append(written, options.KV{Key: legacy[srv.opts[i]], Value: srv.opts[i+1]})
	}
	written = append(written, options.KV{Key: "connector.table", Value: "access_statistic"},
		options.KV{Key: "connector.write.flush.interval", Value: "1s"}, options.KV{Key: "connector.write.flush.max-rows", Value: "2"},
		options.KV{Key: "connector.write.max-retries", Value: "1"})
	r, probs := options.Resolve("cdn_access_statistic", written)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	s, err := newSink(r, statSchema)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.maxRows != 2 || s.maxRetries != 1 || s.name != "access_statistic" {
		t.Fatalf("max-rows %d, max-retries %d, table %q", s.maxRows, s.maxRetries, s.name)
	}
	row(t, s, stream.Insert, "Beijing", 1, 1)
	row(t, s, stream.Insert, "Hebei", 1, 1) // the second row reaches max-rows: flushed from End
	if got := srv.dump(t, "access_statistic"); got != "Beijing,1,1\nHebei,1,1" {
		t.Fatalf("got %q", got)
	}
}
