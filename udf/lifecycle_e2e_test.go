package udf_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/compiler"
	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
)

// lifecycleUDF has two function types that log every Open and Close on stderr with an
// instance number (the order of Open calls across the job); the Open numbered
// $FAIL_OPEN fails.
const lifecycleUDF = `package udf

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
)

var opens atomic.Int64

type tracked struct{ n int64 }

func (t *tracked) open(name string) error {
	t.n = opens.Add(1)
	if os.Getenv("FAIL_OPEN") == strconv.FormatInt(t.n, 10) {
		fmt.Fprintf(os.Stderr, "failed %s %d\n", name, t.n)
		return errors.New("cannot open " + name)
	}
	fmt.Fprintf(os.Stderr, "opened %s %d\n", name, t.n)
	return nil
}

func (t *tracked) close(name string) error {
	fmt.Fprintf(os.Stderr, "closed %s %d\n", name, t.n)
	return nil
}

type A struct{ tracked }

func (a *A) Open(ctx context.Context) error { return a.open("A") }
func (a *A) Close() error                   { return a.close("A") }
func (a *A) Eval(s string) string           { return s }

type B struct{ tracked }

func (b *B) Open(ctx context.Context) error { return b.open("B") }
func (b *B) Close() error                   { return b.close("B") }
func (b *B) Eval(s string) string           { return s }
`

// TestOpenFailureClosesOpened: when an Open fails, the job exits 1 with that error, and
// every instance that opened (in each task that calls the functions) is closed exactly
// once, none that did not; without a failure every instance is closed once too.
func TestOpenFailureClosesOpened(t *testing.T) {
	sql := `
CREATE TABLE src (id BIGINT, a STRING, b STRING) WITH ('connector' = 'filesystem', 'path' = 'in.csv', 'format' = 'csv');
CREATE TABLE out_t (a STRING, n BIGINT) WITH ('connector' = 'print');
CREATE FUNCTION fa AS 'example.com/scalar/udf.A';
CREATE FUNCTION fb AS 'example.com/scalar/udf.B';
INSERT INTO out_t SELECT a, COUNT(*) FROM src WHERE fa(a) <> '' AND fb(b) <> '' GROUP BY a;
`
	dir, bin, _ := buildJobBinary(t, sql, lifecycleUDF, map[string]string{"in.csv": "1,x,y\n2,x,z\n"}, compiler.Options{})
	for _, tc := range []struct {
		parallelism, failOpen int // failOpen 0: no failure
		opened                int // instances that open
	}{
		{1, 0, 2}, {1, 1, 0}, {1, 2, 1}, // one source task: A then B
		{3, 0, 6}, {3, 5, 4}, {3, 6, 5}, // 3 source tasks, A and B each
	} {
		t.Run(fmt.Sprintf("parallelism%d_fail%d", tc.parallelism, tc.failOpen), func(t *testing.T) {
			t.Setenv("FAIL_OPEN", fmt.Sprint(tc.failOpen))
			stdout, stderr, code := gotest.Run(t, dir, bin, fmt.Sprintf("-Dparallelism.default=%d", tc.parallelism))
			opened, closed := map[string]bool{}, map[string]int{}
			for _, line := range strings.Split(stderr, "\n") {
				f := strings.Fields(line)
				if len(f) != 3 {
					continue
				}
				switch id := f[1] + " " + f[2]; f[0] {
				case "opened":
					opened[id] = true
				case "closed":
					closed[id]++
				}
			}
			if len(opened) != tc.opened {
				t.Errorf("%d instances opened, want %d\n%s", len(opened), tc.opened, stderr)
			}
			var ids []string
			for id := range closed {
				ids = append(ids, id)
			}
			sort.Strings(ids)
			for _, id := range ids {
				if !opened[id] || closed[id] != 1 {
					t.Errorf("%s closed %d times (opened: %v)\n%s", id, closed[id], opened[id], stderr)
				}
			}
			for id := range opened {
				if closed[id] == 0 {
					t.Errorf("%s opened but never closed\n%s", id, stderr)
				}
			}
			if tc.failOpen == 0 {
				if code != 0 || stdout != "+I[x, 2]\n" {
					t.Errorf("exit %d, stdout %q\n%s", code, stdout, stderr)
				}
				return
			}
			name := map[bool]string{true: "A", false: "B"}[tc.failOpen%2 == 1]
			want := fmt.Sprintf("function f%s (example.com/scalar/udf.%s): Open: cannot open %s", strings.ToLower(name), name, name)
			if code != 1 || stdout != "" || !strings.Contains(stderr, want) {
				t.Errorf("exit %d, stdout %q, want the error %q in stderr:\n%s", code, stdout, want, stderr)
			}
		})
	}
}
