package table

import (
	"errors"
	"fmt"

	"github.com/sqlc-stream/sqlc-stream/compiler"
)

// schemaView is the view a schema lookup binds; no user table should be named so.
const schemaView = "__sqlc_stream_table_api_schema"

type schemaResult struct {
	cols []string
	err  error
}

// schema returns the column names of q, the input of an operation that depends on
// them (DropColumns, RenameColumns, AddColumns, AddOrReplaceColumns), as Flink's Table
// API resolves a table's schema while the program is built. It binds the DDL and
// CREATE VIEW <schemaView> AS <q> with the environment's resolver and reads the view's
// columns; errors are mapped back to the Go program as for the job itself.
func (e *Environment) schema(q *query) schemaResult {
	if res, ok := e.schemas[q]; ok {
		return res
	}
	r := e.renderDDL()
	start := r.text.Len()
	r.text.WriteString("CREATE VIEW " + quoteIdent(schemaView) + " AS\n")
	r.query(q)
	r.calls = append(r.calls, placedCall{start, r.text.Len(), q.site})
	r.text.WriteString(";\n")
	var res schemaResult
	if len(r.errs) > 0 {
		res.err = dedup(r.errs)
	} else {
		cres, err := compiler.Compile(r.text.String(), compiler.Options{
			Name: e.opts.Name, Dir: e.opts.Dir, Resolver: e.resolver, Stop: "bind",
		})
		switch {
		case err != nil:
			res.err = r.remap(err, cres.Source)
		case cres.Plan == nil:
			res.err = errors.New("internal error: no plan for a schema lookup")
		default:
			for _, v := range cres.Plan.Catalog.Views {
				if v.Name == schemaView {
					for _, f := range v.Columns {
						res.cols = append(res.cols, f.Name)
					}
				}
			}
			if res.cols == nil {
				res.err = fmt.Errorf("internal error: the schema lookup found no columns")
			}
		}
	}
	e.schemas[q] = res
	return res
}
