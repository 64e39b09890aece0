package optimizer

import (
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// simplePlan: Sink(out) over calcs built by the caller over Scan(cdn_access_log).
func scanCDN() *ir.Scan {
	src, _, _ := cdnTables()
	return &ir.Scan{Table: src, Columns: []int{0, 1, 2, 3, 4}}
}

func sinkOver(n ir.Node) *ir.Plan {
	var cols []*ir.Column
	var idx []int
	for i, f := range n.Schema() {
		cols = append(cols, &ir.Column{Name: f.Name, Type: f.Type})
		idx = append(idx, i)
	}
	dst := &ir.Table{Name: "out", Connector: "print", Columns: cols}
	return &ir.Plan{Sinks: []*ir.Sink{{Input: n, Table: dst, Columns: idx}}}
}

func udfOf(x ir.Expr) *ir.UDFCall {
	_, _, fn := cdnTables()
	return &ir.UDFCall{Fn: fn, Args: []ir.Expr{x}, T: ir.String()}
}

var (
	s = ir.String()
	b = ir.BigInt()
)

func TestMergeCalcsSubstitutes(t *testing.T) {
	inner := &ir.Calc{Input: scanCDN(),
		Exprs: []ir.Expr{ref(0, s), callN(ir.OpAdd, b, ref(2, b), ref(3, b)), ref(3, b)},
		Names: []string{"uuid", "total", "size"}}
	outer := &ir.Calc{Input: inner,
		Cond:  callN(ir.OpGt, ir.Boolean(), ref(2, b), bigLit(0)),
		Exprs: []ir.Expr{ref(1, b), ref(0, s)},
		Names: []string{"t", "u"}}
	p := sinkOver(outer)
	q := MergeCalcs(p)
	mustCheck(t, q)
	wantShow(t, q, `
		Sink(out)
		  Calc(where ($3 > 0); t := ($2 + $3); u := $0)
		    Scan(cdn_access_log: uuid, client_ip, request_time, response_size, uri)`)
	if show(p) == show(q) {
		t.Errorf("input plan was modified")
	}
}

func TestMergeCalcsKeepsSharedExpressionAsLet(t *testing.T) {
	inner := &ir.Calc{Input: scanCDN(),
		Exprs: []ir.Expr{udfOf(ref(1, s)), ref(3, b)},
		Names: []string{"province", "size"}}
	outer := &ir.Calc{Input: inner,
		Cond:  callN(ir.OpEq, ir.Boolean(), ref(0, s), strLit("Beijing")),
		Exprs: []ir.Expr{ref(0, s), ref(1, b)},
		Names: []string{"p", "size"}}
	q := MergeCalcs(sinkOver(outer))
	mustCheck(t, q)
	wantShow(t, q, `
		Sink(out)
		  Calc($l0 := ip_to_province($1); where ($l0 = 'Beijing'); p := $l0; size := $3)
		    Scan(cdn_access_log: uuid, client_ip, request_time, response_size, uri)`)
}

func TestMergeCalcsRefusesToHoistFailingExprAboveGuard(t *testing.T) {
	// inner: WHERE client_ip IS NOT NULL, projects udf(client_ip); the outer reads it twice.
	// Merging would need a Let computing the UDF before the IS NOT NULL test.
	inner := &ir.Calc{Input: scanCDN(),
		Cond:  call(ir.OpIsNotNull, nn(ir.Boolean()), ref(1, s)),
		Exprs: []ir.Expr{udfOf(ref(1, s))},
		Names: []string{"province"}}
	outer := &ir.Calc{Input: inner,
		Exprs: []ir.Expr{ref(0, s), call(ir.OpConcat, s, ref(0, s), strLit("!"))},
		Names: []string{"p", "q"}}
	q := MergeCalcs(sinkOver(outer))
	mustCheck(t, q)
	wantShow(t, q, `
		Sink(out)
		  Calc(p := $0; q := ($0 || '!'))
		    Calc(where IS NOT NULL($1); province := ip_to_province($1))
		      Scan(cdn_access_log: uuid, client_ip, request_time, response_size, uri)`)
}

func TestMergeCalcsDropsIdentity(t *testing.T) {
	scan := scanCDN()
	exprs, names := identityRefs(scan.Schema())
	q := MergeCalcs(sinkOver(&ir.Calc{Input: scan, Exprs: exprs, Names: names}))
	mustCheck(t, q)
	wantShow(t, q, `
		Sink(out)
		  Scan(cdn_access_log: uuid, client_ip, request_time, response_size, uri)`)
}

func TestPushFiltersBelowAggregate(t *testing.T) {
	pre := &ir.Calc{Input: scanCDN(),
		Exprs: []ir.Expr{udfOf(ref(1, s)), ref(3, b)},
		Names: []string{"province", "size"}}
	agg := &ir.Aggregate{Input: pre, GroupBy: []int{0},
		Aggs:  []ir.AggCall{{Func: ir.AggSum, Arg: ref(1, b), T: b, Name: "total"}},
		Names: []string{"province", "total"}}
	// HAVING province = 'x' AND total > 10
	post := &ir.Calc{Input: agg,
		Cond: and(callN(ir.OpEq, ir.Boolean(), ref(0, s), strLit("x")),
			callN(ir.OpGt, ir.Boolean(), ref(1, b), bigLit(10))),
		Exprs: []ir.Expr{ref(0, s), ref(1, b)},
		Names: []string{"province", "total"}}
	p := sinkOver(post)
	q := PushFilters(p)
	mustCheck(t, q)
	wantShow(t, q, `
		Sink(out)
		  Calc(where ($1 > 10); province := $0; total := $1)
		    Aggregate(group [0]; SUM($1)) [province total]
		      Calc(where ($0 = 'x'); province := $0; size := $1)
		        Calc(province := ip_to_province($1); size := $3)
		          Scan(cdn_access_log: uuid, client_ip, request_time, response_size, uri)`)
	assertSameModes(t, p, q)

	// With MergeCalcs the pushed filter joins the projection below, and CSE computes
	// the UDF once for the filter and the group key.
	r := EliminateCommonSubexpressions(MergeCalcs(q))
	mustCheck(t, r)
	wantShow(t, r, `
		Sink(out)
		  Calc(where ($1 > 10); province := $0; total := $1)
		    Aggregate(group [0]; SUM($1)) [province total]
		      Calc($l0 := ip_to_province($1); where ($l0 = 'x'); province := $l0; size := $3)
		        Scan(cdn_access_log: uuid, client_ip, request_time, response_size, uri)`)
}

func TestPushFiltersThroughRenamingCalc(t *testing.T) {
	inner := &ir.Calc{Input: scanCDN(),
		Exprs: []ir.Expr{ref(3, b), udfOf(ref(1, s))},
		Names: []string{"size", "province"}}
	outer := &ir.Calc{Input: inner,
		Cond: and(callN(ir.OpGt, ir.Boolean(), ref(0, b), bigLit(10)),
			callN(ir.OpEq, ir.Boolean(), ref(1, s), strLit("x"))),
		Exprs: []ir.Expr{ref(1, s)},
		Names: []string{"province"}}
	q := PushFilters(sinkOver(outer))
	mustCheck(t, q)
	wantShow(t, q, `
		Sink(out)
		  Calc(where ($1 = 'x'); province := $1)
		    Calc(where ($3 > 10); size := $3; province := ip_to_province($1))
		      Scan(cdn_access_log: uuid, client_ip, request_time, response_size, uri)`)
}

func TestDedupAggregates(t *testing.T) {
	p := cdnPlan()
	q := DedupAggregates(p)
	mustCheck(t, q)
	wantShow(t, q, `
		Sink(cdn_access_statistic)
		  Calc(province := $0; access_count := $1; total_download := $2; download_speed := (($2 * 1.0) / $3))
		    Aggregate(group [0]; COUNT($1), SUM($2), SUM($3)) [province EXPR$1 EXPR$2 EXPR$4]
		      Calc(province := $1; uuid := $0; response_size := $2; request_time := $3)
		        Calc(uuid := $0; province := ip_to_province($1); response_size := $3; request_time := $2)
		          Scan(cdn_access_log: uuid, client_ip, request_time, response_size, uri)`)
	assertSameModes(t, p, q)
}

func TestDedupAggregatesUnderSink(t *testing.T) {
	agg := &ir.Aggregate{Input: scanCDN(), GroupBy: []int{1},
		Aggs: []ir.AggCall{
			{Func: ir.AggSum, Arg: ref(3, b), T: b, Name: "a"},
			{Func: ir.AggSum, Arg: ref(3, b), T: b, Name: "b"},
			{Func: ir.AggSum, Arg: ref(3, b), Distinct: true, T: b, Name: "c"},
		},
		Names: []string{"ip", "a", "b", "c"}}
	p := sinkOver(agg)
	q := DedupAggregates(p)
	mustCheck(t, q)
	wantShow(t, q, `
		Sink(out)
		  Calc(ip := $0; a := $1; b := $1; c := $2)
		    Aggregate(group [1]; SUM($3), SUM($3)) [ip a c]
		      Scan(cdn_access_log: uuid, client_ip, request_time, response_size, uri)`)
	assertSameModes(t, p, q)
}

func TestPruneColumns(t *testing.T) {
	p := DedupAggregates(cdnPlan())
	q := PruneColumns(p)
	mustCheck(t, q)
	wantShow(t, q, `
		Sink(cdn_access_statistic)
		  Calc(province := $0; access_count := $1; total_download := $2; download_speed := (($2 * 1.0) / $3))
		    Aggregate(group [0]; COUNT($1), SUM($2), SUM($3)) [province EXPR$1 EXPR$2 EXPR$4]
		      Calc(province := $1; uuid := $0; response_size := $2; request_time := $3)
		        Calc(uuid := $0; province := ip_to_province($1); response_size := $3; request_time := $2)
		          Scan(cdn_access_log: uuid, client_ip, request_time, response_size)`)
}

func TestPruneColumnsThroughComputedAndMetadata(t *testing.T) {
	tab := &ir.Table{Name: "logs", Connector: "kafka", Columns: []*ir.Column{
		{Name: "a", Type: b},
		{Name: "b", Type: b},
		{Name: "c", Type: b, Kind: ir.Computed, Expr: callN(ir.OpAdd, b, ref(0, b), ref(1, b))},
		{Name: "off", Type: nn(b), Kind: ir.Metadata, MetadataKey: "offset"},
		{Name: "ts", Type: nn(b), Kind: ir.Metadata, MetadataKey: "timestamp"},
	}}
	// As the binder builds it: the scan reads physical and metadata columns, a Calc
	// above computes c and restores table order.
	scan := &ir.Scan{Table: tab, Columns: []int{0, 1, 3, 4}}
	comp := &ir.Calc{Input: scan,
		Exprs: []ir.Expr{ref(0, b), ref(1, b), callN(ir.OpAdd, b, ref(0, b), ref(1, b)), ref(2, nn(b)), ref(3, nn(b))},
		Names: []string{"a", "b", "c", "off", "ts"}}

	// SELECT b, ts: c and its inputs (a) are not read, nor off.
	sel := &ir.Calc{Input: comp, Exprs: []ir.Expr{ref(1, b), ref(4, nn(b))}, Names: []string{"b", "ts"}}
	q := PruneColumns(sinkOver(sel))
	mustCheck(t, q)
	wantShow(t, q, `
		Sink(out)
		  Calc(b := $0; ts := $1)
		    Calc(b := $0; ts := $1)
		      Scan(logs: b, ts)`)

	// SELECT c, off: c needs a and b.
	sel = &ir.Calc{Input: comp, Exprs: []ir.Expr{ref(2, b), ref(3, nn(b))}, Names: []string{"c", "off"}}
	q = PruneColumns(sinkOver(sel))
	mustCheck(t, q)
	wantShow(t, q, `
		Sink(out)
		  Calc(c := $0; off := $1)
		    Calc(c := ($0 + $1); off := $2)
		      Scan(logs: a, b, off)`)
}

func TestPruneColumnsUnusedAggregatesAndLets(t *testing.T) {
	agg := &ir.Aggregate{Input: scanCDN(), GroupBy: []int{1},
		Aggs: []ir.AggCall{
			{Func: ir.AggSum, Arg: ref(3, b), T: b, Name: "a"},
			{Func: ir.AggMax, Arg: ref(2, b), T: b, Name: "m"},
		},
		Names: []string{"ip", "a", "m"}}
	post := &ir.Calc{Input: agg,
		Lets:  []ir.Expr{callN(ir.OpMul, b, ref(2, b), bigLit(2)), callN(ir.OpAdd, b, ref(1, b), bigLit(1))},
		Exprs: []ir.Expr{ref(0, s), &ir.LocalRef{Index: 1, T: b}},
		Names: []string{"ip", "a1"}}
	q := PruneColumns(sinkOver(post))
	mustCheck(t, q)
	wantShow(t, q, `
		Sink(out)
		  Calc($l0 := ($1 + 1); ip := $0; a1 := $l0)
		    Aggregate(group [0]; SUM($1)) [ip a]
		      Scan(cdn_access_log: client_ip, response_size)`)

	// COUNT(*) with no GROUP BY: the scan decodes nothing, the aggregate keeps its call.
	cnt := &ir.Aggregate{Input: scanCDN(), Aggs: []ir.AggCall{{Func: ir.AggCount, T: nn(b), Name: "n"}}, Names: []string{"n"}}
	q = PruneColumns(sinkOver(cnt))
	mustCheck(t, q)
	wantShow(t, q, `
		Sink(out)
		  Aggregate(group []; COUNT(*)) [n]
		    Scan(cdn_access_log: )`)
}

func TestEliminateCommonSubexpressions(t *testing.T) {
	u := udfOf(ref(1, s))
	c := &ir.Calc{Input: scanCDN(),
		Exprs: []ir.Expr{
			u,
			call(ir.OpConcat, s, udfOf(ref(1, s)), strLit("!")),
			callN(ir.OpMul, b, callN(ir.OpAdd, b, ref(2, b), ref(3, b)), bigLit(2)),
			callN(ir.OpAdd, b, ref(2, b), ref(3, b)),
			callN(ir.OpAdd, b, ref(2, b), ref(2, b)), // occurs once: stays
		},
		Names: []string{"p", "q", "x2", "x", "y"}}
	p := sinkOver(c)
	q := EliminateCommonSubexpressions(p)
	mustCheck(t, q)
	wantShow(t, q, `
		Sink(out)
		  Calc($l0 := ($2 + $3); $l1 := ip_to_province($1); p := $l1; q := ($l1 || '!'); x2 := ($l0 * 2); x := $l0; y := ($2 + $2))
		    Scan(cdn_access_log: uuid, client_ip, request_time, response_size, uri)`)
}

func TestEliminateCommonSubexpressionsRespectsConditionalEvaluation(t *testing.T) {
	bo := ir.Boolean()
	div := func() ir.Expr { return callN(ir.OpDiv, b, ref(2, b), ref(3, b)) }
	// WHERE response_size <> 0 AND request_time / response_size > 1, projecting the
	// division again: the division must not run before the guard.
	c := &ir.Calc{Input: scanCDN(),
		Cond: and(callN(ir.OpNe, bo, ref(3, b), bigLit(0)),
			callN(ir.OpGt, bo, div(), bigLit(1))),
		Exprs: []ir.Expr{div(), div()},
		Names: []string{"r1", "r2"}}
	q := EliminateCommonSubexpressions(sinkOver(c))
	mustCheck(t, q)
	wantShow(t, q, `
		Sink(out)
		  Calc(where (($3 <> 0) AND (($2 / $3) > 1)); r1 := ($2 / $3); r2 := ($2 / $3))
		    Scan(cdn_access_log: uuid, client_ip, request_time, response_size, uri)`)

	// A non-deterministic UDF is never shared.
	_, _, fn := cdnTables()
	nd := *fn
	nd.Deterministic = false
	call2 := func() ir.Expr { return &ir.UDFCall{Fn: &nd, Args: []ir.Expr{ref(1, s)}, T: s} }
	c = &ir.Calc{Input: scanCDN(), Exprs: []ir.Expr{call2(), call2()}, Names: []string{"a", "b"}}
	q = EliminateCommonSubexpressions(sinkOver(c))
	wantShow(t, q, `
		Sink(out)
		  Calc(a := ip_to_province($1); b := ip_to_province($1))
		    Scan(cdn_access_log: uuid, client_ip, request_time, response_size, uri)`)

	// Without a condition, an unconditional occurrence makes hoisting safe.
	c = &ir.Calc{Input: scanCDN(), Exprs: []ir.Expr{div(), callN(ir.OpAdd, b, div(), bigLit(1))}, Names: []string{"a", "b"}}
	q = EliminateCommonSubexpressions(sinkOver(c))
	wantShow(t, q, `
		Sink(out)
		  Calc($l0 := ($2 / $3); a := $l0; b := ($l0 + 1))
		    Scan(cdn_access_log: uuid, client_ip, request_time, response_size, uri)`)
}

func TestEliminateCommonSubexpressionsReusesLetsAndOrdersThem(t *testing.T) {
	sum := func() ir.Expr { return callN(ir.OpAdd, b, ref(2, b), ref(3, b)) }
	c := &ir.Calc{Input: scanCDN(),
		// An existing Let holding a bigger expression than a repeated one.
		Lets: []ir.Expr{callN(ir.OpMul, b, sum(), bigLit(3))},
		Exprs: []ir.Expr{
			&ir.LocalRef{Index: 0, T: b},
			callN(ir.OpMul, b, sum(), bigLit(3)),
			sum(),
		},
		Names: []string{"a", "b", "c"}}
	q := EliminateCommonSubexpressions(sinkOver(c))
	mustCheck(t, q)
	wantShow(t, q, `
		Sink(out)
		  Calc($l0 := ($2 + $3); $l1 := ($l0 * 3); a := $l1; b := $l1; c := $l0)
		    Scan(cdn_access_log: uuid, client_ip, request_time, response_size, uri)`)
}

func TestBuildPipelines(t *testing.T) {
	p := cdnPlan()
	prog, err := BuildPipelines(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := Check(prog); err != nil {
		t.Fatal(err)
	}
	if len(prog.Pipelines) != 2 {
		t.Fatalf("%d pipelines, want 2", len(prog.Pipelines))
	}
	p0, p1 := prog.Pipelines[0], prog.Pipelines[1]
	if _, ok := p0.Source.(*ir.Scan); !ok || len(p0.Calcs) != 2 {
		t.Errorf("pipeline 0: source %T, %d calcs", p0.Source, len(p0.Calcs))
	}
	agg, ok := p0.Sink.(*ir.Aggregate)
	if !ok {
		t.Fatalf("pipeline 0 ends at %T", p0.Sink)
	}
	if p1.Source != agg || len(p1.Calcs) != 1 || p1.Sink != p.Sinks[0] {
		t.Errorf("pipeline 1: %T -> %d calcs -> %T", p1.Source, len(p1.Calcs), p1.Sink)
	}
	if p0.Calcs[0].Names[1] != "province" || p0.Calcs[1].Names[0] != "province" {
		t.Errorf("calcs out of order: %v then %v", p0.Calcs[0].Names, p0.Calcs[1].Names)
	}
}

func TestBuildPipelinesStatementSet(t *testing.T) {
	// Two INSERTs: the CDN aggregation, and a plain copy of the log; plus an aggregate
	// over an aggregate (two breakers in a row).
	p := cdnPlan()
	p.Sinks = append(p.Sinks, sinkOver(&ir.Calc{Input: scanCDN(), Exprs: []ir.Expr{ref(4, s)}, Names: []string{"uri"}}).Sinks...)
	inner := &ir.Aggregate{Input: scanCDN(), GroupBy: []int{1}, Aggs: []ir.AggCall{{Func: ir.AggCount, T: nn(b), Name: "n"}}, Names: []string{"ip", "n"}}
	outer := &ir.Aggregate{Input: inner, GroupBy: []int{1}, Aggs: []ir.AggCall{{Func: ir.AggCount, T: nn(b), Name: "k"}}, Names: []string{"n", "k"}}
	p.Sinks = append(p.Sinks, sinkOver(outer).Sinks...)
	prog, err := BuildPipelines(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := Check(prog); err != nil {
		t.Fatal(err)
	}
	var shape []string
	for _, pl := range prog.Pipelines {
		shape = append(shape, nodeName(pl.Source)+">"+nodeName(pl.Sink))
	}
	want := []string{"Scan>Aggregate", "Aggregate>Sink", "Scan>Sink", "Scan>Aggregate", "Aggregate>Aggregate", "Aggregate>Sink"}
	if len(shape) != len(want) {
		t.Fatalf("pipelines %v, want %v", shape, want)
	}
	for i := range want {
		if shape[i] != want[i] {
			t.Fatalf("pipelines %v, want %v", shape, want)
		}
	}
}

func nodeName(n ir.Node) string {
	switch n.(type) {
	case *ir.Scan:
		return "Scan"
	case *ir.Calc:
		return "Calc"
	case *ir.Aggregate:
		return "Aggregate"
	case *ir.Sink:
		return "Sink"
	}
	return "?"
}

func assertSameModes(t *testing.T, p, q *ir.Plan) {
	t.Helper()
	for i := range p.Sinks {
		if a, b := p.Sinks[i].Changelog(), q.Sinks[i].Changelog(); a != b {
			t.Errorf("sink %d: changelog %s became %s", i, a, b)
		}
		a, b := p.Sinks[i].UniqueKey(), q.Sinks[i].UniqueKey()
		if len(a) != len(b) {
			t.Errorf("sink %d: unique key %v became %v", i, a, b)
			continue
		}
		for j := range a {
			if a[j] != b[j] {
				t.Errorf("sink %d: unique key %v became %v", i, a, b)
			}
		}
	}
}

func TestShareScans(t *testing.T) {
	src, _, _ := cdnTables()
	s1 := &ir.Scan{Table: src, Columns: []int{1, 3}} // client_ip, response_size
	s2 := &ir.Scan{Table: src, Columns: []int{4, 0}} // uri, uuid (out of table order)
	c1 := &ir.Calc{Input: s1, Exprs: []ir.Expr{udfOf(ref(0, s)), ref(1, b)}, Names: []string{"p", "size"}}
	p := sinkOver(c1)
	p.Sinks = append(p.Sinks, sinkOver(s2).Sinks...) // a sink straight over its scan
	q := ShareScans(p)
	mustCheck(t, q)
	wantShow(t, q, `
		Sink(out)
		  Calc(p := ip_to_province($1); size := $2)
		    Scan(cdn_access_log: uuid, client_ip, response_size, uri)
		Sink(out)
		  Calc(uri := $3; uuid := $0)
		    Scan(cdn_access_log: uuid, client_ip, response_size, uri)`)
	if scans(q.Sinks[0])[0] != scans(q.Sinks[1])[0] {
		t.Errorf("scans not shared")
	}
	assertSameModes(t, p, q)
	prog, err := BuildPipelines(q)
	if err != nil {
		t.Fatal(err)
	}
	if err := Check(prog); err != nil {
		t.Fatal(err)
	}
	if len(prog.Pipelines) != 2 || prog.Pipelines[0].Source != prog.Pipelines[1].Source {
		t.Errorf("pipelines do not share their source")
	}
	// The input plan is untouched.
	if len(s1.Columns) != 2 || len(s2.Columns) != 2 {
		t.Errorf("input scans modified")
	}
}

func scans(n ir.Node) []*ir.Scan {
	if s, ok := n.(*ir.Scan); ok {
		return []*ir.Scan{s}
	}
	var out []*ir.Scan
	for _, in := range n.Inputs() {
		out = append(out, scans(in)...)
	}
	return out
}

func TestShareAggregates(t *testing.T) {
	p := cdnPlan()
	p.Sinks = append(p.Sinks, cdnPlan().Sinks...)
	other := cdnPlan().Sinks[0] // different: counts client_ip instead of uuid
	other.Input.(*ir.Calc).Input.(*ir.Aggregate).Aggs[0].Arg = ref(0, s)
	p.Sinks = append(p.Sinks, other)
	q := ShareAggregates(p)
	mustCheck(t, q)
	a0, a1, a2 := aggregatesOf(q.Sinks[0]), aggregatesOf(q.Sinks[1]), aggregatesOf(q.Sinks[2])
	if a0 != a1 {
		t.Errorf("identical aggregates not shared")
	}
	if a0 == a2 {
		t.Errorf("different aggregates shared")
	}
	if aggregatesOf(p.Sinks[0]) == aggregatesOf(p.Sinks[1]) {
		t.Errorf("input plan modified")
	}
	assertSameModes(t, p, q)
	prog, err := BuildPipelines(q)
	if err != nil {
		t.Fatal(err)
	}
	if err := Check(prog); err != nil {
		t.Fatal(err)
	}
	var shape []string
	for _, pl := range prog.Pipelines {
		shape = append(shape, nodeName(pl.Source)+">"+nodeName(pl.Sink))
	}
	if got := strings.Join(shape, " "); got != "Scan>Aggregate Aggregate>Sink Aggregate>Sink Scan>Aggregate Aggregate>Sink" {
		t.Errorf("pipelines %s", got)
	}
	if prog.Pipelines[1].Source != prog.Pipelines[2].Source {
		t.Errorf("emit pipelines do not share the aggregate")
	}
}

func aggregatesOf(n ir.Node) *ir.Aggregate {
	if a, ok := n.(*ir.Aggregate); ok {
		return a
	}
	for _, in := range n.Inputs() {
		if a := aggregatesOf(in); a != nil {
			return a
		}
	}
	return nil
}

func TestPushFiltersKeepsGlobalAggregateFilterAbove(t *testing.T) {
	agg := &ir.Aggregate{Input: scanCDN(), Aggs: []ir.AggCall{{Func: ir.AggCount, T: nn(b), Name: "n"}}, Names: []string{"n"}}
	post := &ir.Calc{Input: agg, Cond: boolL(false), Exprs: []ir.Expr{ref(0, nn(b))}, Names: []string{"n"}}
	q := PushFilters(sinkOver(post))
	wantShow(t, q, `
		Sink(out)
		  Calc(where FALSE; n := $0)
		    Aggregate(group []; COUNT(*)) [n]
		      Scan(cdn_access_log: uuid, client_ip, request_time, response_size, uri)`)
}
