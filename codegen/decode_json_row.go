package codegen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// JSON ROW columns: a ROW column is a nested object. The scanner of the record reads
// the top-level members; the object of a member the query reads a ROW from, or fields
// of, is scanned by a second scanner (a field of the task) over the member's raw value,
// with a switch on the fields it needs, and so on down. A nested projection
// (PruneNestedFields: the scan reads bid.price and bid.auction) decodes only those
// fields into their own locals; a ROW read whole is decoded into its struct (row.go).
//
//	case 2:
//		// bid
//		if !p.json1.IsNull() {
//			if err := p.json1Obj1.Reset(p.json1.Value()); err != nil {
//				... not an object: NULL under json.ignore-parse-errors, else the job fails
//			} else {
//				for p.json1Obj1.Next() {
//					switch p.json1Obj1.Field() {
//					case 0: // price
//						...
//					}
//				}
//			}
//		}
//
// A missing or null member, object or field is NULL; json.fail-on-missing-field checks
// the top-level members only.

// jsonReadable reports whether the json format decodes values of type t.
func jsonReadable(t ir.Type) bool {
	if t.Kind == ir.KindRow {
		for _, f := range t.Fields {
			if !jsonReadable(f.Type) {
				return false
			}
		}
		return true
	}
	return t.IsString() || jsonDecode(t, jen.Nil()) != nil
}

// scanColumnName names a scan column's local: bid_price for bid.price.
func scanColumnName(c scanColumn) string {
	if c.path == nil {
		return c.col.Name
	}
	f := ir.Field{Name: c.col.Name, Type: c.col.Type}
	for _, j := range c.path {
		f = ir.NestedField(f, j)
	}
	return strings.ReplaceAll(f.Name, ".", "_")
}

// jsonMember is a top-level member the query reads and the scan columns it fills.
type jsonMember struct {
	name string
	cols []int // indexes into the scan columns
}

// jsonMembers groups the scan columns by their top-level member, in order.
func jsonMembers(cols []scanColumn) []jsonMember {
	var out []jsonMember
	at := map[string]int{}
	for i, c := range cols {
		j, ok := at[c.name]
		if !ok {
			j = len(out)
			at[c.name] = j
			out = append(out, jsonMember{name: c.name})
		}
		out[j].cols = append(out[j].cols, i)
	}
	return out
}

// jsonField is a member (or a field of an object) the query reads: into targets when a
// scan column reads it whole, else through the fields in kids.
type jsonField struct {
	name   string
	t      ir.Type
	id     string                // names its scratch buffer
	v, n   func() *jen.Statement // targets: the value and its null flag ("_": none)
	vl, nl *local                // the targets, when they are a scan column's locals
	kids   []*jsonField          // fields of this object read by path
	scan   *scanColumn           // the scan column the targets are, for messages
	span   diag.Span             // the table column's, for messages
}

func (jf *jsonField) kid(name string, t ir.Type) *jsonField {
	for _, k := range jf.kids {
		if k.name == name {
			return k
		}
	}
	k := &jsonField{name: name, t: t}
	jf.kids = append(jf.kids, k)
	return k
}

// jsonTree builds the member's tree: the member's own targets when a scan column reads
// it whole, and below it the fields the other scan columns read.
func jsonTree(m jsonMember, index int, cols []scanColumn, vals, nulls []*local) *jsonField {
	first := cols[m.cols[0]]
	root := &jsonField{name: m.name, t: first.col.Type, id: fmt.Sprint(index), span: first.col.Span}
	for _, i := range m.cols {
		c := cols[i]
		node := root
		f := ir.Field{Name: c.col.Name, Type: c.col.Type}
		for _, j := range c.path {
			f = ir.NestedField(f, j)
			node = node.kid(node.t.Fields[j].Name, f.Type)
			node.span = c.col.Span
		}
		node.vl, node.nl = vals[i], nulls[i]
		node.v, node.n, node.scan = node.vl.id, node.nl.id, &cols[i]
		if c.path == nil {
			root.t = c.typ
		}
	}
	return root
}

// jsonCtx is what the decoding of one JSON part shares: its scanner's name, the
// record's variable, the ignore-parse-errors flag and what bad input does, and a counter for the names of the nested
// scanners and scratch buffers.
type jsonCtx struct {
	scanner string
	input   string // the record's variable: rec, or key
	ignore  func() *jen.Statement
	bi      *badInput
	n       int
}

func (jc *jsonCtx) next() int { jc.n++; return jc.n }

// jsonNode decodes the current value of sc for a member or field: into its targets when
// read whole (the fields read below it are then taken from it after the scan: derived),
// else by scanning its object for the fields read.
func (g *gen) jsonNode(f *fn, jc *jsonCtx, sc func() *jen.Statement, node *jsonField, derived *[]jen.Code) []jen.Code {
	if node.v == nil {
		return g.jsonObject(f, jc, sc, node.kids, nil, node.name, node.span, derived)
	}
	span := node.scan.col.Span
	code := g.jsonValue(f, jc, sc, node.v, node.n, node.t, node.scan.col.Name, node.id, span)
	// Fields read below a member read whole: dst, dstNull = whole.f2, wholeNull || whole.f2Null
	var walk func(base value, n *jsonField)
	walk = func(base value, n *jsonField) {
		for _, k := range n.kids {
			j := fieldIndex(n.t, k.name)
			kv := f.fieldOf(base, j, k.t)
			if k.v != nil {
				nl := kv.N()
				if nl == nil {
					nl = jen.False()
				}
				f.emit(jen.List(k.v(), k.n()).Op("=").List(kv.V(), nl))
			}
			walk(kv, k)
		}
	}
	if len(node.kids) > 0 {
		base := value{t: node.t, vl: node.vl, nl: node.nl}
		*derived = append(*derived, f.nest(func() { walk(base, node) })...)
	}
	return code
}

func fieldIndex(t ir.Type, name string) int {
	for i, fd := range t.Fields {
		if fd.Name == name {
			return i
		}
	}
	return -1
}

// jsonObject scans the current value of sc as an object for the given fields; a null
// leaves them NULL, and a value that is not an object is NULL under
// json.ignore-parse-errors, else fails the job. onObject runs first when it is one.
func (g *gen) jsonObject(f *fn, jc *jsonCtx, sc func() *jen.Statement, fields []*jsonField, onObject []jen.Code, what string, span diag.Span, derived *[]jen.Code) []jen.Code {
	sub := fmt.Sprintf("%sObj%d", jc.scanner, jc.next())
	subsc := func() *jen.Statement { return jen.Id("p").Dot(sub) }
	var keys []jen.Code
	var cases []jen.Code
	for i, fd := range fields {
		keys = append(keys, jen.Lit(fd.name))
		if fd.id == "" {
			fd.id = fmt.Sprintf("N%d", jc.next())
		}
		decode := g.jsonNode(f, jc, subsc, fd, derived)
		cases = append(cases, jen.Case(jen.Lit(i)).Block(append([]jen.Code{jen.Comment(fd.name)}, decode...)...))
	}
	g.cur.fields = append(g.cur.fields,
		jen.Comment(fmt.Sprintf("%s scans the object of %s.", sub, what)),
		jen.Id(sub).Op("*").Qual(pkgJSON, "Scanner"))
	g.cur.setup = append(g.cur.setup, jen.Id("p").Dot(sub).Op("=").Qual(pkgJSON, "NewScanner").Call(keys...))
	notObject := jen.If(jc.ignore()).Block(jc.bi.null(fmt.Sprintf("cannot parse %s as a ROW", what))).Else().Block(
		jen.Return(jen.Qual(pkgJob, "RecordError").Call(f.where(), jen.Lit(g.pos(span)), jen.Id(jc.input), jen.Lit(fmt.Sprintf("cannot parse %%s as a ROW for %s: %%v", what)), sc().Dot("Value").Call(), jen.Err())))
	scan := append(onObject,
		jen.For(subsc().Dot("Next").Call()).Block(jen.Switch(subsc().Dot("Field").Call()).Block(cases...)),
		// The record's scanner validated the object already.
		jen.If(jen.Err().Op(":=").Add(subsc()).Dot("Err").Call(), jen.Err().Op("!=").Nil()).Block(notObject),
	)
	return []jen.Code{jen.If(jen.Op("!").Add(sc()).Dot("IsNull").Call()).Block(
		jen.If(jen.Err().Op(":=").Add(subsc()).Dot("Reset").Call(sc().Dot("Value").Call()), jen.Err().Op("!=").Nil()).Block(notObject).Else().Block(scan...),
	)}
}

// jsonValue decodes the current value of sc, of type t, into the targets v and n (n
// may render "_" for a NOT NULL field of a ROW). A ROW is an object decoded into its
// struct, field by field.
func (g *gen) jsonValue(f *fn, jc *jsonCtx, sc func() *jen.Statement, v, n func() *jen.Statement, t ir.Type, col, id string, span diag.Span) []jen.Code {
	if t.Kind == ir.KindRow {
		var fields []*jsonField
		d := jen.Dict{}
		for i, fd := range t.Fields {
			i, fd := i, fd
			jf := &jsonField{name: fd.Name, t: fd.Type,
				v:    func() *jen.Statement { return v().Dot(rowField(i)) },
				n:    func() *jen.Statement { return jen.Id("_") },
				scan: &scanColumn{col: &ir.Column{Name: col + "." + fd.Name, Span: span}}}
			if fd.Type.Nullable {
				jf.n = func() *jen.Statement { return v().Dot(rowField(i) + "Null") }
				d[jen.Id(rowField(i)+"Null")] = jen.True()
			}
			fields = append(fields, jf)
		}
		gt, _ := goType(t)
		// An object: every field NULL until read.
		onObject := []jen.Code{jen.List(v(), n()).Op("=").List(jen.Add(gt).Values(d), jen.False())}
		var derived []jen.Code
		return g.jsonObject(f, jc, sc, fields, onObject, col, span, &derived)
	}
	ignore := jc.ignore
	if t.IsString() {
		scratch := fmt.Sprintf("%sScratch%s", jc.scanner, id)
		g.cur.fields = append(g.cur.fields, jen.Id(scratch).Index().Byte())
		g.cur.setup = append(g.cur.setup, jen.Id("p").Dot(scratch).Op("=").Make(jen.Index().Byte(), jen.Lit(0), jen.Lit(256)))
		// if s, ok := p.json1.Text(p.json1Scratch0); ok { name, nameNull = types.StringOf(s), false }
		return []jen.Code{
			jen.If(jen.List(jen.Id("s"), jen.Id("ok")).Op(":=").Add(sc()).Dot("Text").Call(jen.Id("p").Dot(scratch)), jen.Id("ok")).Block(
				jen.List(v(), n()).Op("=").List(jen.Qual(pkgTypes, "StringOf").Call(jen.Id("s")), jen.False()),
			),
		}
	}
	// The scanner knows null and parsed a plain integer already:
	// var ok bool
	// if p.json1.IsNull() { v, vNull = 0, true } else if v, ok = p.json1.Int64(); ok { vNull = false } else ...
	errMsg := fmt.Sprintf("cannot parse %%s as %s for column %s", typeName(t), col)
	dec := jsonDecode(t, sc().Dot("Value").Call())
	if t.Kind == ir.KindBigInt {
		dec = sc().Dot("Int64").Call()
	}
	isNull := sc().Dot("IsNull").Call()
	if t.IsBinary() {
		// Flink's binaryValue() of a number, boolean, object or array is NULL.
		isNull = isNull.Op("||").Op("!").Add(sc()).Dot("IsString").Call()
	}
	return []jen.Code{
		jen.Var().Id("ok").Bool(),
		jen.If(isNull).Block(
			jen.List(v(), n()).Op("=").List(zero(t), jen.True()),
		).Else().If(jen.List(v(), jen.Id("ok")).Op("=").Add(dec), jen.Id("ok")).Block(
			jen.Add(n()).Op("=").False(),
		).Else().If(ignore()).Block(
			jen.List(v(), n()).Op("=").List(zero(t), jen.True()),
			jc.bi.null(fmt.Sprintf("cannot parse column %s as %s", col, typeName(t))),
		).Else().Block(
			jen.Return(jen.Qual(pkgJob, "RecordError").Call(f.where(), jen.Lit(g.pos(span)), jen.Id(jc.input), jen.Lit(errMsg), sc().Dot("Value").Call())),
		),
	}
}
