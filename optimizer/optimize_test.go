package optimizer

import (
	"testing"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

func TestOptimizeCDNPlan(t *testing.T) {
	p := cdnPlan()
	before := show(p)
	prog, err := Optimize(p)
	if err != nil {
		t.Fatal(err)
	}
	if show(p) != before {
		t.Errorf("Optimize modified the bound plan:\n%s", show(p))
	}
	wantShow(t, prog.Plan, `
		Sink(cdn_access_statistic)
		  Calc(province := $0; access_count := $1; total_download := $2; download_speed := (($2 * 1.0) / $3))
		    Aggregate(group [0]; COUNT($1), SUM($2), SUM($3)) [province EXPR$1 EXPR$2 EXPR$4]
		      Calc(province := ip_to_province($1); uuid := $0; response_size := $3; request_time := $2)
		        Scan(cdn_access_log: uuid, client_ip, request_time, response_size)`)
	assertSameModes(t, p, prog.Plan)
	if len(prog.Pipelines) != 2 {
		t.Errorf("%d pipelines, want 2", len(prog.Pipelines))
	}
}

func TestOptimizeIsIdempotent(t *testing.T) {
	prog, err := Optimize(cdnPlan())
	if err != nil {
		t.Fatal(err)
	}
	again, err := Optimize(prog.Plan)
	if err != nil {
		t.Fatal(err)
	}
	if show(prog.Plan) != show(again.Plan) {
		t.Errorf("second run changed the plan:\n%s\nto\n%s", show(prog.Plan), show(again.Plan))
	}
}

func TestOptimizeHavingOnGroupKey(t *testing.T) {
	p := cdnPlan()
	post := p.Sinks[0].Input.(*ir.Calc)
	post.Cond = callN(ir.OpEq, ir.Boolean(), ref(0, ir.String()), strLit("Beijing"))
	prog, err := Optimize(p)
	if err != nil {
		t.Fatal(err)
	}
	wantShow(t, prog.Plan, `
		Sink(cdn_access_statistic)
		  Calc(province := $0; access_count := $1; total_download := $2; download_speed := (($2 * 1.0) / $3))
		    Aggregate(group [0]; COUNT($1), SUM($2), SUM($3)) [province EXPR$1 EXPR$2 EXPR$4]
		      Calc($l0 := ip_to_province($1); where ($l0 = 'Beijing'); province := $l0; uuid := $0; response_size := $3; request_time := $2)
		        Scan(cdn_access_log: uuid, client_ip, request_time, response_size)`)
	assertSameModes(t, p, prog.Plan)
}

func TestOptimizeRejectsMalformedPlan(t *testing.T) {
	p := cdnPlan()
	post := p.Sinks[0].Input.(*ir.Calc)
	post.Exprs[0] = ref(9, ir.String())
	if _, err := Optimize(p); err == nil {
		t.Fatal("no error for an InputRef out of range")
	}
}
