package aggfunc

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/compiler"
	aggudf "github.com/sqlc-stream/sqlc-stream/examples/aggfunc/udf"
	"github.com/sqlc-stream/sqlc-stream/examples/cdn/udf"
	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
)

// TestPercentilesJob compiles percentiles.sql, builds the job as a user's module
// would, runs it on the CDN sample (with one task per stage and with four) and compares the
// print sink's rows with the percentiles computed here.
func TestPercentilesJob(t *testing.T) {
	res, err := compiler.CompileFile("percentiles.sql", compiler.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := gotest.NewModule(t, "percentiles")
	for _, f := range res.Files {
		gotest.WriteFile(t, filepath.Join(dir, "job", f.Name), string(f.Content))
	}
	bin := filepath.Join(dir, "percentiles")
	gotest.Build(t, dir, "job", bin)
	sample, err := filepath.Abs("../cdn/data/access_log.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := reference(t, sample)
	for _, par := range []string{"1", "4"} {
		stdout, stderr, code := gotest.Run(t, dir, bin, "-D", "cdn_access_log.path="+sample, "-D", "parallelism.default="+par)
		if code != 0 {
			t.Fatalf("parallelism %s: job exited %d:\n%s", par, code, stderr)
		}
		lines := strings.Split(strings.TrimSpace(stdout), "\n")
		sort.Strings(lines)
		if got := strings.Join(lines, "\n"); got != want {
			t.Errorf("parallelism %s: print sink:\n%s\nwant:\n%s", par, got, want)
		}
	}
}

// reference computes the job's rows from the sample with encoding/csv: COUNT(*) counts
// every record, percentile skips a response_size that is missing or not a number (NULL
// under csv.ignore-parse-errors).
func reference(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int64{}
	sizes := map[string][]int64{}
	var order []string
	for _, rec := range recs {
		p := udf.IPToProvince(rec[1])
		if _, ok := count[p]; !ok {
			order = append(order, p)
		}
		count[p]++
		if len(rec) > 3 {
			if n, err := strconv.ParseInt(rec[3], 10, 64); err == nil {
				sizes[p] = append(sizes[p], n)
			}
		}
	}
	pct := func(vs []int64, p float64) string {
		if len(vs) == 0 {
			return "null"
		}
		return strconv.FormatInt(aggudf.NearestRank(append([]int64(nil), vs...), p), 10)
	}
	var lines []string
	for _, p := range order {
		lines = append(lines, fmt.Sprintf("+I[%s, %d, %s, %s]", p, count[p], pct(sizes[p], 0.5), pct(sizes[p], 0.95)))
	}
	sort.Strings(lines)
	if len(lines) < 10 {
		t.Fatalf("the sample has only %d provinces", len(lines))
	}
	return strings.Join(lines, "\n")
}
