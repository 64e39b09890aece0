package optimizer

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// Constructors for hand-built plans.

func nn(t ir.Type) ir.Type { return t.NotNull() }

func intLit(v int64) *ir.Literal { return &ir.Literal{Value: v, T: nn(ir.Int())} }
func bigLit(v int64) *ir.Literal { return &ir.Literal{Value: v, T: nn(ir.BigInt())} }
func tinyLit(v int64) *ir.Literal {
	return &ir.Literal{Value: v, T: nn(ir.Type{Kind: ir.KindTinyInt})}
}
func smallLit(v int64) *ir.Literal {
	return &ir.Literal{Value: v, T: nn(ir.Type{Kind: ir.KindSmallInt})}
}
func dblLit(v float64) *ir.Literal { return &ir.Literal{Value: v, T: nn(ir.Double())} }
func decLit(s string, p, sc int) *ir.Literal {
	return &ir.Literal{Value: s, T: nn(ir.Decimal(p, sc))}
}
func strLit(s string) *ir.Literal {
	return &ir.Literal{Value: s, T: ir.Type{Kind: ir.KindChar, Length: len(s)}}
}
func boolL(v bool) *ir.Literal      { return &ir.Literal{Value: v, T: nn(ir.Boolean())} }
func nullLit(t ir.Type) *ir.Literal { return &ir.Literal{Value: nil, T: t.WithNull()} }
func ref(i int, t ir.Type) *ir.InputRef {
	return &ir.InputRef{Index: i, Name: fmt.Sprintf("c%d", i), T: t}
}

func call(op ir.Op, t ir.Type, args ...ir.Expr) *ir.Call { return &ir.Call{Op: op, Args: args, T: t} }

// nullable: the result type is nullable if any argument is.
func callN(op ir.Op, t ir.Type, args ...ir.Expr) *ir.Call {
	t.Nullable = false
	for _, a := range args {
		if a.Type().Nullable {
			t.Nullable = true
		}
	}
	return call(op, t, args...)
}

// cdnTables builds the seed's source (with an extra uri column) and sink tables.
func cdnTables() (*ir.Table, *ir.Table, *ir.Function) {
	src := &ir.Table{Name: "cdn_access_log", Connector: "filesystem", Columns: []*ir.Column{
		{Name: "uuid", Type: ir.String()},
		{Name: "client_ip", Type: ir.String()},
		{Name: "request_time", Type: ir.BigInt()},
		{Name: "response_size", Type: ir.BigInt()},
		{Name: "uri", Type: ir.String()},
	}}
	dst := &ir.Table{Name: "cdn_access_statistic", Connector: "jdbc", Columns: []*ir.Column{
		{Name: "province", Type: ir.String()},
		{Name: "access_count", Type: ir.BigInt()},
		{Name: "total_download", Type: ir.BigInt()},
		{Name: "download_speed", Type: ir.Decimal(38, 17)},
	}}
	fn := &ir.Function{Name: "ip_to_province", ImportPath: "example.com/cdn/udf", GoName: "IPToProvince",
		Params: []ir.Param{{Name: "ip", Type: ir.String(), GoType: "string"}}, Result: ir.String(), ResultGo: "string", Deterministic: true}
	return src, dst, fn
}

// cdnPlan is the plan the binder builds for the seed query, by hand:
//
//	Sink(cdn_access_statistic)
//	  Calc(province, access_count, total_download, download_speed)
//	    Aggregate(group: province; count(uuid), sum(response_size), sum(response_size), sum(request_time))
//	      Calc(province, uuid, response_size, request_time)     -- GROUP BY pre-projection
//	        Calc(uuid, province := ip_to_province(client_ip), response_size, request_time)
//	          Scan(cdn_access_log: uuid, client_ip, request_time, response_size, uri)
func cdnPlan() *ir.Plan {
	src, dst, fn := cdnTables()
	scan := &ir.Scan{Table: src, Columns: []int{0, 1, 2, 3, 4}}
	s := ir.String()
	b := ir.BigInt()
	sub := &ir.Calc{Input: scan,
		Exprs: []ir.Expr{ref(0, s), &ir.UDFCall{Fn: fn, Args: []ir.Expr{ref(1, s)}, T: s}, ref(3, b), ref(2, b)},
		Names: []string{"uuid", "province", "response_size", "request_time"}}
	pre := &ir.Calc{Input: sub,
		Exprs: []ir.Expr{ref(1, s), ref(0, s), ref(2, b), ref(3, b)},
		Names: []string{"province", "uuid", "response_size", "request_time"}}
	agg := &ir.Aggregate{Input: pre, GroupBy: []int{0},
		Aggs: []ir.AggCall{
			{Func: ir.AggCount, Arg: ref(1, s), T: nn(ir.BigInt()), Name: "EXPR$1"},
			{Func: ir.AggSum, Arg: ref(2, b), T: b, Name: "EXPR$2"},
			{Func: ir.AggSum, Arg: ref(2, b), T: b, Name: "EXPR$3"},
			{Func: ir.AggSum, Arg: ref(3, b), T: b, Name: "EXPR$4"},
		},
		Names: []string{"province", "EXPR$1", "EXPR$2", "EXPR$3", "EXPR$4"}}
	// sum(response_size) * 1.0 / sum(request_time): BIGINT * DECIMAL(2,1) = DECIMAL(21,1);
	// DECIMAL(21,1) / BIGINT(=DECIMAL(19,0)) = DECIMAL(38,17) after Flink's capping.
	mul := call(ir.OpMul, ir.Decimal(21, 1), ref(3, b), decLit("1.0", 2, 1))
	div := call(ir.OpDiv, ir.Decimal(38, 17), mul, ref(4, b))
	post := &ir.Calc{Input: agg,
		Exprs: []ir.Expr{ref(0, s), ref(1, nn(ir.BigInt())), ref(2, b), div},
		Names: []string{"province", "access_count", "total_download", "download_speed"}}
	sink := &ir.Sink{Input: post, Table: dst, Columns: []int{0, 1, 2, 3}}
	return &ir.Plan{Sinks: []*ir.Sink{sink}}
}

// show renders a plan compactly for test failures and assertions.
func show(p *ir.Plan) string {
	var b strings.Builder
	for _, s := range p.Sinks {
		showNode(&b, s, 0)
	}
	return b.String()
}

func showNode(b *strings.Builder, n ir.Node, depth int) {
	ind := strings.Repeat("  ", depth)
	switch n := n.(type) {
	case *ir.Scan:
		var cols []string
		for _, c := range n.Columns {
			cols = append(cols, n.Table.Columns[c].Name)
		}
		fmt.Fprintf(b, "%sScan(%s: %s)\n", ind, n.Table.Name, strings.Join(cols, ", "))
	case *ir.Calc:
		var parts []string
		for i, e := range n.Lets {
			parts = append(parts, fmt.Sprintf("$l%d := %s", i, fmtExpr(e)))
		}
		if n.Cond != nil {
			parts = append(parts, "where "+fmtExpr(n.Cond))
		}
		for i, e := range n.Exprs {
			parts = append(parts, n.Names[i]+" := "+fmtExpr(e))
		}
		fmt.Fprintf(b, "%sCalc(%s)\n", ind, strings.Join(parts, "; "))
		showNode(b, n.Input, depth+1)
	case *ir.Aggregate:
		var parts []string
		for _, a := range n.Aggs {
			arg := "*"
			if a.Arg != nil {
				arg = fmtExpr(a.Arg)
			}
			parts = append(parts, fmt.Sprintf("%s(%s)", a.Func, arg))
		}
		fmt.Fprintf(b, "%sAggregate(group %v; %s) %v\n", ind, n.GroupBy, strings.Join(parts, ", "), n.Names)
		showNode(b, n.Input, depth+1)
	case *ir.Sink:
		fmt.Fprintf(b, "%sSink(%s)\n", ind, n.Table.Name)
		showNode(b, n.Input, depth+1)
	}
}

// fmtExpr renders an expression compactly: $3 for InputRef 3, $l0 for LocalRef 0.
func fmtExpr(e ir.Expr) string {
	switch e := e.(type) {
	case nil:
		return "<nil>"
	case *ir.InputRef:
		return fmt.Sprintf("$%d", e.Index)
	case *ir.LocalRef:
		return fmt.Sprintf("$l%d", e.Index)
	case *ir.Literal:
		switch v := e.Value.(type) {
		case nil:
			return "NULL"
		case string:
			if e.T.Kind == ir.KindDecimal {
				return v
			}
			return "'" + v + "'"
		case bool:
			return strings.ToUpper(fmt.Sprint(v))
		default:
			return fmt.Sprint(v)
		}
	case *ir.Call:
		var args []string
		for _, a := range e.Args {
			args = append(args, fmtExpr(a))
		}
		if len(args) == 2 && !strings.ContainsAny(string(e.Op), "_") && e.Op != ir.OpIn && e.Op != ir.OpLike {
			return "(" + args[0] + " " + string(e.Op) + " " + args[1] + ")"
		}
		return string(e.Op) + "(" + strings.Join(args, ", ") + ")"
	case *ir.Cast:
		kw := "CAST"
		if e.Try {
			kw = "TRY_CAST"
		}
		return fmt.Sprintf("%s(%s AS %s)", kw, fmtExpr(e.X), e.T)
	case *ir.Case:
		s := "CASE"
		for _, w := range e.Whens {
			s += " WHEN " + fmtExpr(w.Cond) + " THEN " + fmtExpr(w.Then)
		}
		return s + " ELSE " + fmtExpr(e.Else) + " END"
	case *ir.UDFCall:
		var args []string
		for _, a := range e.Args {
			args = append(args, fmtExpr(a))
		}
		return e.Fn.Name + "(" + strings.Join(args, ", ") + ")"
	case *ir.FieldAccess:
		return fmtExpr(e.X) + "." + e.Name
	}
	return fmt.Sprintf("%T", e)
}

// wantShow compares a plan's rendering with the expected text (leading/trailing
// blank space of each line ignored for the indentation of the test source).
func wantShow(t *testing.T, p *ir.Plan, want string) {
	t.Helper()
	got := strings.TrimSpace(show(p))
	want = strings.TrimSpace(dedent(want))
	if got != want {
		t.Errorf("plan:\n%s\nwant:\n%s", got, want)
	}
}

func dedent(s string) string {
	lines := strings.Split(strings.Trim(s, "\n"), "\n")
	min := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, "\t"))
		if min < 0 || n < min {
			min = n
		}
	}
	for i, l := range lines {
		if len(l) >= min && min > 0 {
			lines[i] = l[min:]
		}
	}
	return strings.Join(lines, "\n")
}

func mustCheck(t *testing.T, p *ir.Plan) {
	t.Helper()
	if err := checkPlan(p); err != nil {
		t.Fatalf("malformed plan: %v\n%s", err, show(p))
	}
}
