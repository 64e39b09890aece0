package udf

import (
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/optimizer"
	"github.com/sqlc-stream/sqlc-stream/parser"
)

const aggSource = `package agg

import "context"

type WeightedAvg struct{}

type WeightedAvgAcc struct{ Sum, Weight int64 }

func (WeightedAvg) CreateAccumulator() *WeightedAvgAcc { return &WeightedAvgAcc{} }
func (WeightedAvg) Accumulate(acc *WeightedAvgAcc, value int64, weight *int32) {}
func (WeightedAvg) Retract(acc *WeightedAvgAcc, value int64, weight *int32)    {}
func (WeightedAvg) Merge(acc, other *WeightedAvgAcc)                           {}
func (WeightedAvg) GetValue(acc *WeightedAvgAcc) (*float64, error)             { return nil, nil }

// Count has a value accumulator and pointer-receiver hooks.
type Count struct{ opened bool }

func (*Count) Open(ctx context.Context) error      { return nil }
func (*Count) Close() error                        { return nil }
func (Count) CreateAccumulator() int64             { return 0 }
func (Count) Accumulate(acc int64, s string) int64 { return acc + 1 }
func (Count) Merge(acc, other int64) int64         { return acc + other }
func (Count) GetValue(acc int64) int64             { return acc }

// Freq keeps a map, which is updated in place.
type Freq struct{}

func (Freq) CreateAccumulator() map[string]int64 { return nil }
func (Freq) Accumulate(acc map[string]int64, s string) {}
func (Freq) GetValue(acc map[string]int64) string    { return "" }

type NoCreate struct{}

func (NoCreate) Accumulate(acc *WeightedAvgAcc, x int64) {}
func (NoCreate) GetValue(acc *WeightedAvgAcc) int64     { return 0 }

type NoGet struct{}

func (NoGet) CreateAccumulator() *WeightedAvgAcc    { return nil }
func (NoGet) Accumulate(acc *WeightedAvgAcc, x int64) {}

type WrongAcc struct{}

func (WrongAcc) CreateAccumulator() *WeightedAvgAcc { return nil }
func (WrongAcc) Accumulate(acc WeightedAvgAcc, x int64) {}
func (WrongAcc) GetValue(acc *WeightedAvgAcc) int64 { return 0 }

type WrongGet struct{}

func (WrongGet) CreateAccumulator() *WeightedAvgAcc   { return nil }
func (WrongGet) Accumulate(acc *WeightedAvgAcc, x int64) {}
func (WrongGet) GetValue(acc int64) int64              { return 0 }

type LostUpdate struct{}

func (LostUpdate) CreateAccumulator() WeightedAvgAcc   { return WeightedAvgAcc{} }
func (LostUpdate) Accumulate(acc WeightedAvgAcc, x int64) {}
func (LostUpdate) GetValue(acc WeightedAvgAcc) int64    { return 0 }

type BadParam struct{}

func (BadParam) CreateAccumulator() *WeightedAvgAcc    { return nil }
func (BadParam) Accumulate(acc *WeightedAvgAcc, x uint) {}
func (BadParam) GetValue(acc *WeightedAvgAcc) int64     { return 0 }

type BadMerge struct{}

func (BadMerge) CreateAccumulator() *WeightedAvgAcc      { return nil }
func (BadMerge) Accumulate(acc *WeightedAvgAcc, x int64)   {}
func (BadMerge) Merge(acc *WeightedAvgAcc, others []*WeightedAvgAcc) {}
func (BadMerge) GetValue(acc *WeightedAvgAcc) int64       { return 0 }

type BadRetract struct{}

func (BadRetract) CreateAccumulator() *WeightedAvgAcc     { return nil }
func (BadRetract) Accumulate(acc *WeightedAvgAcc, x int64)  {}
func (BadRetract) Retract(acc *WeightedAvgAcc, x string)    {}
func (BadRetract) GetValue(acc *WeightedAvgAcc) int64      { return 0 }

type hidden struct{}

type HiddenAcc struct{}

func (HiddenAcc) CreateAccumulator() *hidden       { return nil }
func (HiddenAcc) Accumulate(acc *hidden, x int64) {}
func (HiddenAcc) GetValue(acc *hidden) int64      { return 0 }

type Variadic struct{}

func (Variadic) CreateAccumulator() *WeightedAvgAcc          { return nil }
func (Variadic) Accumulate(acc *WeightedAvgAcc, xs ...int64)   {}
func (Variadic) GetValue(acc *WeightedAvgAcc) int64           { return 0 }
`

func TestResolveAggregate(t *testing.T) {
	dir := newModule(t, map[string]string{"agg/agg.go": aggSource})
	r := NewResolver(dir)
	fn, err := r.Resolve("example.com/t/agg", "WeightedAvg")
	if err != nil {
		t.Fatal(err)
	}
	if fn.Kind.String() != "aggregate function" || fn.Receiver != "WeightedAvg" || fn.Method != "Accumulate" || fn.ReceiverPointer {
		t.Errorf("WeightedAvg: kind %v receiver %q method %q pointer %v", fn.Kind, fn.Receiver, fn.Method, fn.ReceiverPointer)
	}
	a := fn.Agg
	if a == nil || a.AccGo != "*agg.WeightedAvgAcc" || a.AccImportPath != "example.com/t/agg" || a.AccName != "WeightedAvgAcc" || !a.AccPointer || a.ValueAcc || !a.HasMerge || !a.HasRetract {
		t.Errorf("WeightedAvg accumulator: %+v", a)
	}
	if len(fn.Params) != 2 || fn.Params[0].Type.String() != "BIGINT NOT NULL" || fn.Params[0].Pointer || fn.Params[1].Type.String() != "INT" || !fn.Params[1].Pointer {
		t.Errorf("WeightedAvg params: %+v", fn.Params)
	}
	if fn.Result.String() != "DOUBLE" || !fn.ResultPointer || !fn.ReturnsError || fn.ResultGo != "*float64" {
		t.Errorf("WeightedAvg result: %v %q ptr=%v err=%v", fn.Result, fn.ResultGo, fn.ResultPointer, fn.ReturnsError)
	}

	fn, err = r.Resolve("example.com/t/agg", "Count")
	if err != nil {
		t.Fatal(err)
	}
	if a := fn.Agg; a.AccGo != "int64" || a.AccName != "" || !a.ValueAcc || !a.HasMerge || a.HasRetract || !fn.HasOpen || !fn.HasClose || !fn.ReceiverPointer {
		t.Errorf("Count: %+v open=%v close=%v ptr=%v", a, fn.HasOpen, fn.HasClose, fn.ReceiverPointer)
	}
	fn, err = r.Resolve("example.com/t/agg", "Freq")
	if err != nil {
		t.Fatal(err)
	}
	if a := fn.Agg; a.AccGo != "map[string]int64" || a.ValueAcc || a.HasMerge {
		t.Errorf("Freq: %+v", a)
	}

	tests := []struct{ name, want string }{
		{"NoCreate", "type NoCreate in example.com/t/agg has Accumulate but no CreateAccumulator method"},
		{"NoGet", "type NoGet in example.com/t/agg has no exported GetValue method"},
		{"WrongAcc", "method Accumulate of example.com/t/agg.WrongAcc (func (agg.WrongAcc) Accumulate(acc agg.WeightedAvgAcc, x int64)) must take the accumulator first (acc *agg.WeightedAvgAcc, as CreateAccumulator returns), not first parameter of type agg.WeightedAvgAcc"},
		{"WrongGet", "method GetValue of example.com/t/agg.WrongGet (func (agg.WrongGet) GetValue(acc int64) int64) must take exactly the accumulator"},
		{"LostUpdate", "method Accumulate of example.com/t/agg.LostUpdate (func (agg.LostUpdate) Accumulate(acc agg.WeightedAvgAcc, x int64)) returns nothing, but the accumulator agg.WeightedAvgAcc is a value"},
		{"BadParam", "parameter x of method Accumulate of example.com/t/agg.BadParam (func (agg.BadParam) Accumulate(acc *agg.WeightedAvgAcc, x uint)): unsupported Go type uint"},
		{"BadMerge", "method Merge of example.com/t/agg.BadMerge (func (agg.BadMerge) Merge(acc *agg.WeightedAvgAcc, others []*agg.WeightedAvgAcc)) must take two accumulators"},
		{"BadRetract", "method Retract of example.com/t/agg.BadRetract (func (agg.BadRetract) Retract(acc *agg.WeightedAvgAcc, x string)) must take the same parameters as Accumulate"},
		{"HiddenAcc", "the accumulator type *agg.hidden of method CreateAccumulator of example.com/t/agg.HiddenAcc (func (agg.HiddenAcc) CreateAccumulator() *agg.hidden): is not exported"},
		{"Variadic", "method Accumulate of example.com/t/agg.Variadic (func (agg.Variadic) Accumulate(acc *agg.WeightedAvgAcc, xs ...int64)) is variadic"},
	}
	for _, tc := range tests {
		_, err := r.Resolve("example.com/t/agg", tc.name)
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s:\n got  %v\n want %s...", tc.name, err, tc.want)
		}
	}
}

// TestBindAggregateCalls binds calls of a Go aggregate function through ir.Bind: an
// aggregate wherever built-in aggregates are, an error elsewhere.
func TestBindAggregateCalls(t *testing.T) {
	dir := newModule(t, map[string]string{"agg/agg.go": aggSource})
	const ddl = `CREATE TABLE src (item STRING, v BIGINT, w INT, s STRING) WITH ('connector' = 'datagen');
CREATE TABLE out (item STRING, x DOUBLE) WITH ('connector' = 'print');
CREATE FUNCTION wavg AS 'example.com/t/agg.WeightedAvg' LANGUAGE GO;
CREATE FUNCTION cnt AS 'example.com/t/agg.Count';
`
	bindSQL := func(sql string) (*ir.Plan, error) {
		src := &diag.Source{Name: "job.sql", Text: ddl + sql}
		script, err := parser.ParseScript(src)
		if err != nil {
			t.Fatalf("parse: %v", err)
		}
		return ir.Bind(script, ir.BindOptions{Resolver: NewResolver(dir)})
	}
	good := []struct{ sql, want string }{
		{"INSERT INTO out SELECT item, wavg(v, w) FROM src GROUP BY item;",
			"Aggregate(groupBy=[item], select=[item, wavg(v, w) AS $f1], types=[STRING, DOUBLE], changelogMode=[I,UB,UA])"},
		{"INSERT INTO out SELECT 'all', wavg(v + 1, 2) FILTER (WHERE w > 0) FROM src;",
			"select=[wavg($f0, $f1) FILTER (WHERE $f2) AS $f0]"},
		{"INSERT INTO out SELECT item, CAST(cnt(s) AS DOUBLE) FROM src GROUP BY item HAVING cnt(s) > 2 AND wavg(v, w) > 1;",
			"select=[item, cnt(s) AS $f1, cnt(s) AS $f2, wavg(v, w) AS $f3], types=[STRING, BIGINT NOT NULL, BIGINT NOT NULL, DOUBLE]"},
	}
	for _, tc := range good {
		p, err := bindSQL(tc.sql)
		if err != nil {
			t.Errorf("%s: %v", tc.sql, err)
			continue
		}
		if got := ir.DumpPlan(p); !strings.Contains(got, tc.want) {
			t.Errorf("%s:\n%s\nwant it to contain %s", tc.sql, got, tc.want)
		}
	}
	bad := []struct{ sql, want string }{
		{"INSERT INTO out SELECT item, 1 FROM src WHERE wavg(v, w) > 1;", "job.sql:5:47: aggregate functions are not allowed in WHERE"},
		{"INSERT INTO out SELECT item, wavg(s, w) FROM src GROUP BY item;", "job.sql:5:35: argument 1 of wavg has type STRING, which does not convert to BIGINT (Go parameter int64 of func (WeightedAvg) Accumulate(acc *agg.WeightedAvgAcc, value int64, weight *int32) in example.com/t/agg)"},
		{"INSERT INTO out SELECT item, wavg(v) FROM src GROUP BY item;", "job.sql:5:30: aggregate function wavg takes 2 argument(s), got 1"},
		{"INSERT INTO out SELECT item, wavg(cnt(s), w) FROM src GROUP BY item;", "job.sql:5:35: aggregate function calls cannot be nested"},
		{"INSERT INTO out SELECT 'x', 1.0 FROM src GROUP BY cnt(s);", "job.sql:5:51: aggregate functions are not allowed in GROUP BY"},
	}
	for _, tc := range bad {
		_, err := bindSQL(tc.sql)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s:\n got  %v\n want %s", tc.sql, err, tc.want)
		}
	}
}

// TestOptimizeAggregateCalls runs bound aggregate calls through the optimizer:
// DedupAggregates merges identical calls of a deterministic function only, and
// PruneColumns keeps every argument.
func TestOptimizeAggregateCalls(t *testing.T) {
	dir := newModule(t, map[string]string{"agg/agg.go": aggSource})
	sql := `CREATE TABLE src (item STRING, v BIGINT, w INT, s STRING, unused STRING) WITH ('connector' = 'datagen');
CREATE TABLE out (item STRING, a DOUBLE, b DOUBLE, c DOUBLE, d DOUBLE) WITH ('connector' = 'print');
CREATE FUNCTION wavg AS 'example.com/t/agg.WeightedAvg' LANGUAGE GO;
CREATE FUNCTION rnd AS 'example.com/t/agg.WeightedAvg' LANGUAGE GO WITH ('deterministic' = 'false');
INSERT INTO out SELECT item, wavg(v, w), wavg(v, w), rnd(v, w), rnd(v, w) FROM src GROUP BY item;
`
	script, err := parser.ParseScript(&diag.Source{Name: "job.sql", Text: sql})
	if err != nil {
		t.Fatal(err)
	}
	p, err := ir.Bind(script, ir.BindOptions{Resolver: NewResolver(dir)})
	if err != nil {
		t.Fatal(err)
	}
	prog, err := optimizer.Optimize(p)
	if err != nil {
		t.Fatal(err)
	}
	got := ir.DumpPlan(prog.Plan)
	for _, want := range []string{
		"Aggregate(groupBy=[item], select=[item, wavg(v, w) AS $f1, rnd(v, w) AS $f3, rnd(v, w) AS $f4]",
		"Scan(table=[src], fields=[item, v, w]",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("optimized plan:\n%s\nwant it to contain %s", got, want)
		}
	}
}
