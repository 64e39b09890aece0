package codegen

import (
	"reflect"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/nexmark"
)

// The code generator's table of the nexmark ROW columns (it does not import the
// runtime) must name the runtime's fields, in order, with their types and the Go
// names of the generator's structs. (The Fields constants it names are compiled by the
// nexmark golden cases, which read every field.)
func TestNexmarkRowsMatchRuntime(t *testing.T) {
	kinds := map[string]nexmark.Kind{"person": nexmark.KindPerson, "auction": nexmark.KindAuction, "bid": nexmark.KindBid}
	structs := map[string]reflect.Type{"person": reflect.TypeOf(nexmark.Person{}), "auction": reflect.TypeOf(nexmark.Auction{}), "bid": reflect.TypeOf(nexmark.Bid{})}
	types := map[string]ir.Kind{"BIGINT": ir.KindBigInt, "STRING": ir.KindVarchar, "TIMESTAMP(3)": ir.KindTimestamp}
	for name, row := range nexmarkRows {
		cols := nexmark.RowColumns(kinds[name])
		if len(cols) != len(row.fields) {
			t.Fatalf("%s: %d fields here, %d in the runtime", name, len(row.fields), len(cols))
		}
		for i, f := range row.fields {
			if cols[i].Name != f.name || types[cols[i].Type] != f.kind {
				t.Errorf("%s field %d: %s %v here, %s %s in the runtime", name, i, f.name, f.kind, cols[i].Name, cols[i].Type)
			}
			if _, ok := structs[name].FieldByName(f.goName()); !ok {
				t.Errorf("%s.%s: the runtime's %s has no field %s", name, f.name, structs[name], f.goName())
			}
			if _, ok := nexmark.FieldOf(name, f.name); !ok {
				t.Errorf("%s.%s: no such runtime field", name, f.name)
			}
		}
	}
}
