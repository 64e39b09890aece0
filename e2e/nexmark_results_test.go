package e2e

import (
	"bufio"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
	"github.com/sqlc-stream/sqlc-stream/internal/nexmarkref"
)

// nexmarkBaseTime fixes the stream (events.base-time): the job and the dump generate
// the same events. 2024-01-01 06:59:59.995 UTC: the events cross 07:00, so q14's HOUR
// takes two values and its CASE two branches.
const nexmarkBaseTime = "1704092399995"

// nexmarkEvents is how many events TestNexmarkResults generates:
// SQLC_STREAM_NEXMARK_EVENTS, or 200,000 to keep the default run short
// (examples/nexmark/README.md runs the same check on 10,000,000).
func nexmarkEvents(t *testing.T) int64 {
	s := os.Getenv("SQLC_STREAM_NEXMARK_EVENTS")
	if s == "" {
		return 200_000
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		t.Fatalf("SQLC_STREAM_NEXMARK_EVENTS=%q: want a positive number", s)
	}
	return n
}

// TestNexmarkResults compiles Nexmark queries from the Flink text unchanged (ddl_gen.sql,
// ddl_views.sql and the query, placeholders given as Flink's runner gives them, the sink
// swapped to print with -D — q10's partitioned filesystem sink keeps its connector and
// gets a path in the test's directory —, q14's Java function mapped to examples/nexmark/udf), runs
// each bounded on the generator with two tasks, and compares its rows with SQLite's
// evaluation of the query over the same events, dumped by sqlc-stream nexmark dump
// (internal/nexmarkref).
func TestNexmarkResults(t *testing.T) {
	suite := gotest.NexmarkDir(t)
	root := gotest.RepoRoot(t)
	dir := t.TempDir()
	events := nexmarkEvents(t)
	cli := (&builder{dir: dir, root: root}).buildCLI(t)

	// Two streams: the published runs' rate (10M events/s: the events span a second of
	// event time), and 1000 events/s for the windows, so that a run spans many windows and
	// a bidder many sessions.
	open := func(name, rate string) *sql.DB {
		dump := exec.Command(cli, "nexmark", "dump", "-n", fmt.Sprint(events), "-format", "csv", "-o", filepath.Join(dir, name),
			"-D", "events.base-time="+nexmarkBaseTime, "-D", "first-event.rate="+rate)
		if out, err := dump.CombinedOutput(); err != nil {
			t.Fatalf("nexmark dump: %v\n%s", err, out)
		}
		db, err := nexmarkref.Open(filepath.Join(dir, name+".db"), filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	fast, slow := open("events", "10000000"), open("events-slow", "1000")

	// window_tumble and window_hop are bench/jobs' window aggregates over the suite's bid
	// view (a TUMBLE and a HOP of the same size), into the sink window_out.
	for _, q := range []string{"q0", "q1", "q2", "q10", "q11", "q12", "q14", "q15", "q16", "q17", "q21", "q22", "window_tumble", "window_hop"} {
		t.Run(q, func(t *testing.T) {
			bin := filepath.Join(dir, q)
			file, sink := filepath.Join(suite, q+".sql"), "nexmark_"+q
			if strings.HasPrefix(q, "window_") {
				file, sink = filepath.Join(root, "bench", "jobs", q+".sql"), "window_out"
			}
			// The sink swapped to print, or for q10 its partitioned files moved here.
			swap := sink + ".connector=print"
			files := filepath.Join(dir, q+"-files")
			if q == "q10" {
				swap = sink + ".path=" + files
			}
			db, tps := fast, "10000000"
			if q == "q11" || strings.HasPrefix(q, "window_") {
				db, tps = slow, "1000"
			}
			build := exec.Command(cli, "build", "-o", bin, "-dir", root,
				"-var", "NEXMARK_TABLE=datagen",
				"-func-map", filepath.Join(root, "examples", "nexmark", "functions.map"),
				"-D", swap,
				filepath.Join(suite, "ddl_gen.sql"), filepath.Join(suite, "ddl_views.sql"), file)
			if out, err := build.CombinedOutput(); err != nil {
				t.Fatalf("sqlc-stream build %s: %v\n%s", q, err, out)
			}
			// The WITH options' placeholders are read from the environment at start.
			run := exec.Command(bin, "-D", "datagen.events.base-time="+nexmarkBaseTime, "-D", "parallelism.default=2")
			run.Env = append(os.Environ(), "TPS="+tps, fmt.Sprintf("EVENTS_NUM=%d", events),
				"PERSON_PROPORTION=1", "AUCTION_PROPORTION=3", "BID_PROPORTION=46")
			out, err := os.Create(filepath.Join(dir, q+".out"))
			if err != nil {
				t.Fatal(err)
			}
			var stderr strings.Builder
			run.Stdout, run.Stderr = out, &stderr
			err = run.Run()
			out.Close()
			if err != nil {
				t.Fatalf("%s: %v\n%s", q, err, stderr.String())
			}
			var res nexmarkref.Result
			if q == "q10" {
				res, err = nexmarkref.CheckFiles(db, q, files, "_SUCCESS")
			} else {
				printed, oerr := os.Open(filepath.Join(dir, q+".out"))
				if oerr != nil {
					t.Fatal(oerr)
				}
				defer printed.Close()
				var rows io.Reader = printed
				if q == "q12" {
					// Processing-time windows: which window a bid falls in depends on the
					// clock, so each bidder's counts are summed over the windows; every bid
					// must be counted once.
					rows = proctimeTotals(t, printed)
				}
				res, err = nexmarkref.Check(db, q, rows)
			}
			if err != nil {
				t.Fatal(err)
			}
			if !res.OK {
				t.Fatalf("%s: the job printed %d rows, SQLite's evaluation has %d; they differ:\n%s", q, res.Job, res.Rows, res.Diff)
			}
			if res.Rows == 0 {
				t.Fatalf("%s: no rows to compare", q)
			}
			t.Logf("%s: %d rows equal SQLite's over %d events", q, res.Rows, events)
		})
	}
}

// proctimeTotals reads q12's rows, +I[bidder, bid_count, starttime, endtime], checks
// that each window is a 10-second one, and returns the sum of bid_count per bidder as
// rows +I[bidder, total].
func proctimeTotals(t *testing.T, printed io.Reader) io.Reader {
	t.Helper()
	totals := map[string]int64{}
	var order []string
	sc := bufio.NewScanner(printed)
	for sc.Scan() {
		body, ok := strings.CutPrefix(sc.Text(), "+I[")
		vals := strings.Split(strings.TrimSuffix(body, "]"), ", ")
		if !ok || len(vals) != 4 {
			t.Fatalf("q12 printed %q", sc.Text())
		}
		start, err1 := parseLocalDateTime(vals[2])
		end, err2 := parseLocalDateTime(vals[3])
		if err1 != nil || err2 != nil || end.Sub(start) != 10*time.Second || start.UnixMilli()%10000 != 0 {
			t.Fatalf("q12: not a 10-second window: %q", sc.Text())
		}
		n, err := strconv.ParseInt(vals[1], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		if _, seen := totals[vals[0]]; !seen {
			order = append(order, vals[0])
		}
		totals[vals[0]] += n
	}
	var b strings.Builder
	for _, k := range order {
		fmt.Fprintf(&b, "+I[%s, %d]\n", k, totals[k])
	}
	return strings.NewReader(b.String())
}

// parseLocalDateTime reads Java's LocalDateTime.toString (2024-01-01T00:00,
// 2024-01-01T00:00:05, 2024-01-01T00:00:05.120), what the print sink writes.
func parseLocalDateTime(s string) (time.Time, error) {
	layout := "2006-01-02T15:04"
	if len(s) > len(layout) {
		layout = "2006-01-02T15:04:05.999999999"
	}
	return time.Parse(layout, s)
}
