package optimizer_test

import (
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// UNIX_TIMESTAMP() reads the clock per row: constant folding keeps it, and CSE does not
// make two calls one. UNIX_TIMESTAMP(s) with arguments is a deterministic parse that CSE
// may share.
func TestUnixTimestampNotFolded(t *testing.T) {
	_, prog := optimize(t, ddl+`
CREATE TABLE o (a BIGINT, b BIGINT, c BIGINT, d BIGINT) WITH ('connector' = 'print');
INSERT INTO o SELECT UNIX_TIMESTAMP(), UNIX_TIMESTAMP() + 0, UNIX_TIMESTAMP(uri) + 1, UNIX_TIMESTAMP(uri) + 2
FROM cdn_access_log;`)
	dump := ir.DumpPlan(prog.Plan)
	if n := strings.Count(dump, "UNIX_TIMESTAMP()"); n != 2 {
		t.Errorf("want both UNIX_TIMESTAMP() calls kept, found %d:\n%s", n, dump)
	}
	if n := strings.Count(dump, "UNIX_TIMESTAMP(uri)"); n != 1 {
		t.Errorf("want UNIX_TIMESTAMP(uri) computed once (a Let), found %d:\n%s", n, dump)
	}
	if !ir.IsDeterministic(&ir.Call{Op: "UNIX_TIMESTAMP", Args: []ir.Expr{&ir.Literal{Value: "x", T: ir.String()}}}) ||
		ir.IsDeterministic(&ir.Call{Op: "UNIX_TIMESTAMP"}) {
		t.Errorf("UNIX_TIMESTAMP is deterministic with arguments only")
	}
}
