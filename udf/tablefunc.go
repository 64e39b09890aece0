package udf

import (
	"fmt"
	"go/token"
	"go/types"
	"reflect"
	"sort"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// Table functions (Flink's TableFunction): a Go func (or Eval method) whose result is a
// table, one call yielding zero or more rows:
//
//	func F(args) []Row
//	func F(args) ([]Row, error)
//	func F(args) iter.Seq[Row]
//	func F(args) (iter.Seq[Row], error)
//
// Row is a named struct type, or a pointer to one (a nil element yields no row), whose
// exported fields are the columns in declaration order: the column is named by the
// field's `sql:"name"` tag, else by the field name; `sql:"-"` skips a field. Field types
// map to SQL as parameters do (a pointer field is nullable, nil is NULL). Row may also be
// a scalar type (string, int64, *string, ...): one column named f0, as Flink names the
// column of an atomic type. []byte is a BYTES scalar result, not a table.

// resolveTableResult recognizes a table-shaped result and fills fn as a table function
// (Kind, TableColumns, Table, ReturnsError, ResultGo). ok is false, with no error, when
// the result is not table-shaped (the caller maps it as a scalar result); err reports a
// table-shaped result that cannot be mapped. qualified names the declaration in
// messages ("example.com/udfs.SplitTags", or "(*T).Eval").
func resolveTableResult(fn *ir.Function, res *types.Tuple, qual types.Qualifier, qualified string) (ok bool, err error) {
	if res.Len() == 0 || res.Len() > 2 {
		return false, nil
	}
	rt := res.At(0).Type()
	elem, seq := tableElem(rt)
	if elem == nil {
		return false, nil
	}
	if res.Len() == 2 {
		if !isError(res.At(1).Type()) {
			return true, fmt.Errorf("the second result of %s must be error, not %s", qualified, types.TypeString(res.At(1).Type(), qual))
		}
		fn.ReturnsError = true
	}
	info := &ir.TableInfo{Seq: seq, RowGo: types.TypeString(elem, qual)}
	base := elem
	if p, isPtr := elem.(*types.Pointer); isPtr {
		if _, isStruct := p.Elem().Underlying().(*types.Struct); isStruct {
			info.RowPointer = true
			base = p.Elem()
		}
	}
	if st, isStruct := base.Underlying().(*types.Struct); isStruct {
		named, isNamed := base.(*types.Named)
		if !isNamed {
			return true, fmt.Errorf("the rows of table function %s are an unnamed struct type; declare a named type (type Row struct {...}) so generated code can name it", qualified)
		}
		if named.TypeArgs().Len() > 0 {
			return true, fmt.Errorf("the row type %s of table function %s is generic; use a concrete struct type", info.RowGo, qualified)
		}
		obj := named.Obj()
		if !token.IsExported(obj.Name()) {
			return true, fmt.Errorf("the row type %s of table function %s is not exported: generated code in package main cannot name it", info.RowGo, qualified)
		}
		if obj.Pkg() != nil {
			info.RowImport = obj.Pkg().Path()
		}
		info.RowName = obj.Name()
		seen := map[string]string{}
		for i := 0; i < st.NumFields(); i++ {
			f := st.Field(i)
			if !f.Exported() {
				continue
			}
			name := f.Name()
			if tag, has := reflect.StructTag(st.Tag(i)).Lookup("sql"); has {
				if tag == "-" {
					continue
				}
				if tag != "" {
					name = tag
				}
			}
			if f.Embedded() {
				return true, fmt.Errorf("field %s of row type %s (table function %s) is embedded; list the columns as named fields", f.Name(), info.RowGo, qualified)
			}
			t, _, err := mapType(f.Type(), qual)
			if err != nil {
				return true, fmt.Errorf("field %s of row type %s (table function %s): %v", f.Name(), info.RowGo, qualified, err)
			}
			if prev, dup := seen[name]; dup {
				return true, fmt.Errorf("fields %s and %s of row type %s (table function %s) both name column %q", prev, f.Name(), info.RowGo, qualified, name)
			}
			seen[name] = f.Name()
			fn.TableColumns = append(fn.TableColumns, ir.Field{Name: name, Type: t})
			info.Fields = append(info.Fields, f.Name())
		}
		if len(fn.TableColumns) == 0 {
			return true, fmt.Errorf("row type %s of table function %s has no exported fields: a table function must yield at least one column", info.RowGo, qualified)
		}
	} else {
		t, _, err := mapType(elem, qual)
		if err != nil {
			return true, fmt.Errorf("the rows of table function %s: %v (or a struct type whose exported fields are the columns)", qualified, err)
		}
		fn.TableColumns = []ir.Field{{Name: "f0", Type: t}}
		scalar := elem
		if p, isPtr := elem.(*types.Pointer); isPtr {
			scalar = p.Elem()
		}
		switch {
		case isTime(scalar):
			info.RowImport, info.RowName = "time", "Time"
		default:
			info.RowName = types.TypeString(scalar, qual)
		}
	}
	fn.Kind = ir.TableFunction
	fn.Table = info
	fn.ResultGo = types.TypeString(rt, qual)
	return true, nil
}

// tableElem returns the row type of a table-shaped result type: the element of a slice
// (not []byte) or of iter.Seq[Row] (and the first of iter.Seq2, which is rejected
// with a message); nil otherwise.
func tableElem(t types.Type) (elem types.Type, seq bool) {
	if n, ok := types.Unalias(t).(*types.Named); ok {
		o := n.Obj()
		if o.Pkg() != nil && o.Pkg().Path() == "iter" && (o.Name() == "Seq" || o.Name() == "Seq2") && n.TypeArgs().Len() > 0 {
			// iter.Seq2 is table-shaped too, so that mapTableSignature can explain it.
			return n.TypeArgs().At(0), true
		}
	}
	if s, ok := t.Underlying().(*types.Slice); ok && !isBytes(t) {
		return s.Elem(), false
	}
	return nil, false
}

func init() { resolveTableHook = resolveTable }

// resolveTable resolves a table function: a func returning rows, or a type whose Eval
// methods (overloads, as for scalar function types) all return rows, with optional
// Open/Close hooks.
func resolveTable(d *Decl) (*ir.Function, error) {
	switch obj := d.Obj.(type) {
	case *types.Func:
		out := &ir.Function{ImportPath: d.ImportPath, GoName: d.GoName, Deterministic: true}
		if err := mapTableSignature(out, obj.Type().(*types.Signature), d.Qualified, d.Qual); err != nil {
			return nil, err
		}
		return out, nil
	case *types.TypeName:
		named, ok := obj.Type().(*types.Named)
		if !ok {
			return nil, fmt.Errorf("%s is not a named type", d.Qualified)
		}
		ms := types.NewMethodSet(types.NewPointer(named))
		methods := map[string]*types.Func{}
		var evals []string
		for i := 0; i < ms.Len(); i++ {
			m := ms.At(i).Obj().(*types.Func)
			methods[m.Name()] = m
			if isEvalName(m.Name()) {
				evals = append(evals, m.Name())
			}
		}
		// Eval first, then the others by name.
		sort.Slice(evals, func(i, j int) bool {
			a, b := evals[i], evals[j]
			if (a == "Eval") != (b == "Eval") {
				return a == "Eval"
			}
			return a < b
		})
		hooks, err := resolveHooks(d, methods)
		if err != nil {
			return nil, err
		}
		var fns []*ir.Function
		for _, name := range evals {
			f := &ir.Function{
				ImportPath:      d.ImportPath,
				GoName:          d.GoName,
				Receiver:        d.GoName,
				ReceiverPointer: hooks.pointer,
				Method:          name,
				Deterministic:   true,
				HasOpen:         hooks.open,
				HasClose:        hooks.close,
			}
			if err := mapTableSignature(f, methods[name].Type().(*types.Signature), "method "+name+" of "+d.Qualified, d.Qual); err != nil {
				return nil, err
			}
			fns = append(fns, f)
		}
		if len(fns) == 0 {
			return nil, fmt.Errorf("type %s has no Eval method", d.Qualified)
		}
		fn := fns[0]
		if len(fns) > 1 {
			fn.Overloads = fns[1:]
		}
		return fn, nil
	}
	return nil, fmt.Errorf("%s is not a function", d.Qualified)
}

// mapTableSignature maps a table function's parameters (as MapSignature does) and its
// table-shaped result.
func mapTableSignature(out *ir.Function, sig *types.Signature, what string, qual types.Qualifier) error {
	if sig.Results().Len() > 0 {
		if n, ok := types.Unalias(sig.Results().At(0).Type()).(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "iter" && n.Obj().Name() == "Seq2" {
			return fmt.Errorf("%s returns an iter.Seq2; a table function yields one value per row: return iter.Seq[Row] with a struct Row holding the columns", what)
		}
	}
	if err := mapParams(out, sig, what, qual); err != nil {
		return err
	}
	ok, err := resolveTableResult(out, sig.Results(), qual, what)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%s does not return rows: a table function returns []Row, ([]Row, error), iter.Seq[Row] or (iter.Seq[Row], error)", what)
	}
	return nil
}
