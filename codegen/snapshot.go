package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// Snapshots. A keyed stage's operator implements exec.Snapshotter: Snapshot writes the
// number of key groups and then the groups it owns in key-group blocks
// (state.Table.Snapshot, with checksums) with generated codecs (runtimelib/codec);
// Restore adds the groups of the key groups the task owns now from a snapshot of any
// task of the stage (so a checkpoint restores at another parallelism) and rebuilds the
// hash index, whose seed is per process. A group's state is
// written field by field, in the order the state type declares them: the key, the rows
// last emitted to each reader (a section per reader, see snapshotDecls), the accumulators (a built-in one through its runtimelib/agg
// Encode and Decode, with its seen flag; a Go aggregate function's through the codec its
// contract gives: EncodeState/DecodeState, MarshalBinary/UnmarshalBinary or
// its exported fields), then the flags. A snapshot is taken at a barrier, after the
// changes were emitted, so no group is dirty. A corrupt snapshot fails with an error
// (codec.Reader's is sticky), never a panic or an unbounded allocation.

const pkgCodec = modulePath + "/runtimelib/codec"

// codecField is one field of a state type with how it is written: a SQL value (t, in
// its Go representation, or as a key when key), a plain counter or flag, a built-in
// accumulator (runtimelib/agg: its Encode and Decode, with its seen flag when seen) or
// a Go accumulator.
type codecField struct {
	name string
	kind codecKind
	t    ir.Type        // codecValue: the value's type
	key  bool           // codecValue: kept as a key (keyGoType)
	seen bool           // codecAgg: the accumulator takes the seen flag name+"Seen"
	acc  *ir.StateCodec // codecAcc
	// reader is 1 + the index in the aggregate's emits of the reader whose section the
	// field belongs to (what that reader was last sent); 0 for the key and accumulators.
	reader int
}

type codecKind int

const (
	codecValue codecKind = iota
	codecInt64           // a counter
	codecBool            // a flag
	codecAgg             // a runtimelib/agg accumulator
	codecAcc             // a Go aggregate function's accumulator
)

// stateCodecFields lists the fields of an aggregate's state type that a snapshot keeps,
// in the order aggTypes declares them.
func (g *gen) stateCodecFields(a *aggInfo) []codecField {
	var out []codecField
	for _, k := range a.keys {
		out = append(out, codecField{name: "key." + k.name, kind: codecValue, t: k.t.NotNull(), key: true})
		if k.nullable {
			out = append(out, codecField{name: "key." + k.name + "Null", kind: codecBool})
		}
	}
	for i, em := range a.emits {
		if em.keepOut {
			for _, rf := range em.rowFields {
				out = append(out, codecField{name: em.outF + "." + rf.name, kind: codecValue, t: rf.t.NotNull(), reader: i + 1})
				if rf.nullable {
					out = append(out, codecField{name: em.outF + "." + rf.name + "Null", kind: codecBool, reader: i + 1})
				}
			}
		}
		out = append(out, codecField{name: em.emittedF, kind: codecBool, reader: i + 1})
	}
	for _, acc := range a.accs {
		f := acc.field
		if acc.shared != nil && acc.shared.owner != acc {
			continue // the owner's set
		}
		switch acc.kind {
		case "udaf":
			info := acc.call.Fn.Agg
			out = append(out, codecField{name: f + "Init", kind: codecBool},
				codecField{name: f, kind: codecAcc, acc: info.State})
		default:
			if typ, seen := accType(acc); typ != nil {
				out = append(out, codecField{name: f, kind: codecAgg, seen: seen})
			}
		}
	}
	if a.updating {
		out = append(out, codecField{name: "records", kind: codecInt64})
	}
	if a.session() {
		out = append(out, codecField{name: "sessStart", kind: codecInt64}, codecField{name: "sessEnd", kind: codecInt64})
	}
	return out
}

// snapshotDecls renders the codecs of an aggregate's state and its table's snapshot
// and restore (state.Table's, in key-group blocks):
//
//	var agg0Readers = []string{"reader stats: emitted flag", ...}
//	func (st *agg0State) encode(w *codec.Writer) error { w.String(st.key.province); at0 := w.BeginSection(); ... }
//	func (st *agg0State) decode(r *codec.Reader, readers []int) error { st.key.province = r.String(); for ... }
//	func (t *agg0Table) snapshot(w *codec.Writer) (err error) { t.Snapshot(w, ... st.encode(w) ...) }
//	func (t *agg0Table) restore(r *codec.Reader, keep func(int) bool, readers []int) error { return t.Restore(r, ... st.decode(r, readers) ..., keep) }
//
// What each reader keeps (the row it was last sent, its emitted flag) is a section of
// its own (codec.Writer.BeginSection), named in aggNReaders, whose names a snapshot
// starts with (state.WriteSectionNames): a restore into a job that added or dropped a
// reader of the aggregate (an INSERT of its view) matches the sections by name, skips
// the dropped reader's and leaves the new reader's zero.
func (g *gen) snapshotDecls(a *aggInfo) []jen.Code {
	fields := g.stateCodecFields(a)
	var enc, dec, cases []jen.Code
	for i := 0; i < len(fields); {
		f := fields[i]
		if f.reader == 0 {
			e, d := g.fieldCodec(f, jen.Id("st").Dot(f.name))
			enc = append(enc, e...)
			dec = append(dec, d...)
			i++
			continue
		}
		// at0 := w.BeginSection(); w.Bool(st.emitted); w.EndSection(at0)
		at := fmt.Sprintf("at%d", f.reader-1)
		enc = append(enc, jen.Id(at).Op(":=").Id("w").Dot("BeginSection").Call().Comment(g.stateReaders(a)[f.reader-1]))
		var body []jen.Code
		for ; i < len(fields) && fields[i].reader == f.reader; i++ {
			e, d := g.fieldCodec(fields[i], jen.Id("st").Dot(fields[i].name))
			enc = append(enc, e...)
			body = append(body, d...)
		}
		enc = append(enc, jen.Id("w").Dot("EndSection").Call(jen.Id(at)))
		cases = append(cases, jen.Case(jen.Lit(f.reader-1)).Block(body...))
		if i < len(fields) && fields[i].reader != 0 {
			continue // the next reader's section
		}
		// for _, reader := range readers { end := r.Section(); switch reader { case 0: ... default: r.SkipTo(end) }; r.EndSection(end) }
		dec = append(dec,
			jen.Comment("The readers' sections, in the snapshot's order."),
			jen.For(jen.List(jen.Id("_"), jen.Id("reader")).Op(":=").Range().Id("readers")).Block(
				jen.Id("end").Op(":=").Id("r").Dot("Section").Call(),
				jen.Switch(jen.Id("reader")).Block(append(cases, jen.Default().Block(
					jen.Comment("a reader this job no longer has"),
					jen.Id("r").Dot("SkipTo").Call(jen.Id("end")),
				))...),
				jen.Id("r").Dot("EndSection").Call(jen.Id("end")),
			))
	}
	enc = append(enc, jen.Return(jen.Nil()))
	dec = append(dec, jen.Return(jen.Id("r").Dot("Err").Call()))
	st := jen.Id("st").Op("*").Id(a.stType)
	w := jen.Id("w").Op("*").Qual(pkgCodec, "Writer")
	r := jen.Id("r").Op("*").Qual(pkgCodec, "Reader")
	tab := jen.Id("t").Op("*").Id(a.tableType())
	var names []jen.Code
	for _, n := range g.stateReaders(a) {
		names = append(names, jen.Lit(n))
	}
	readers := jen.Id("readers").Index().Int()
	return []jen.Code{
		jen.Comment(fmt.Sprintf("%s names what each reader of the aggregate of pipeline %d keeps in a group's state: a", a.readersVar(), a.id)).Line().
			Comment("section of its own, matched by name on restore.").Line().
			Var().Id(a.readersVar()).Op("=").Index().String().Add(composite(true, names...)),
		jen.Comment(fmt.Sprintf("encode writes the group for a snapshot: its key, the rows last emitted (a section per")).Line().
			Comment("reader), the accumulators and the flags, in the order the state type declares them.").Line().
			Func().Params(st).Id("encode").Params(w).Error().Block(enc...),
		jen.Comment("decode reads what encode wrote; readers are the snapshot's reader sections in order, each").Line().
			Comment(fmt.Sprintf("the index in %s of the reader it holds or -1. A corrupt snapshot is an error.", a.readersVar())).Line().
			Func().Params(st).Id("decode").Params(r, readers).Error().Block(dec...),
		jen.Comment("snapshot writes the groups in key-group blocks (state.Table.Snapshot).").Line().
			Func().Params(tab).Id("snapshot").Params(w).Params(jen.Err().Error()).Block(
			jen.Id("t").Dot("Snapshot").Call(jen.Id("w"), jen.Func().Params(w, st).Block(
				jen.If(jen.Id("e").Op(":=").Id("st").Dot("encode").Call(jen.Id("w")), jen.Id("e").Op("!=").Nil().Op("&&").Err().Op("==").Nil()).Block(
					jen.Err().Op("=").Id("e"),
				),
			)),
			jen.Return(jen.Err()),
		),
		jen.Comment("restore adds the groups of a snapshot's key groups that keep accepts, and indexes them").Line().
			Comment("(the hash seed is the process's own).").Line().
			Func().Params(tab).Id("restore").Params(r, jen.Id("keep").Func().Params(jen.Int()).Bool(), readers).Error().Block(
			jen.Return(jen.Id("t").Dot("Restore").Call(jen.Id("r"), jen.Func().Params(r, st).Block(jen.Id("st").Dot("decode").Call(jen.Id("r"), jen.Id("readers"))), jen.Id("keep"))),
		),
	}
}

// fieldCodec renders the encoding and the decoding of one field x of a state.
func (g *gen) fieldCodec(f codecField, x *jen.Statement) (enc, dec []jen.Code) {
	switch f.kind {
	case codecInt64:
		return []jen.Code{jen.Id("w").Dot("Int64").Call(x)}, []jen.Code{jen.Add(x).Op("=").Id("r").Dot("Int64").Call()}
	case codecBool:
		return []jen.Code{jen.Id("w").Dot("Bool").Call(x)}, []jen.Code{jen.Add(x).Op("=").Id("r").Dot("Bool").Call()}
	case codecValue:
		e, d := valueCodec(f.t, f.key)
		return []jen.Code{e(x)}, []jen.Code{jen.Add(x).Op("=").Add(d())}
	case codecAgg:
		// st.sum1.Encode(w, st.sum1Seen); st.sum1.Decode(r, &st.sum1Seen)
		var encSeen, decSeen []jen.Code
		if f.seen {
			encSeen = []jen.Code{jen.Id("st").Dot(f.name + "Seen")}
			decSeen = []jen.Code{jen.Op("&").Id("st").Dot(f.name + "Seen")}
		}
		return []jen.Code{jen.Add(x).Dot("Encode").Call(append([]jen.Code{jen.Id("w")}, encSeen...)...)},
			[]jen.Code{jen.Add(x).Dot("Decode").Call(append([]jen.Code{jen.Id("r")}, decSeen...)...)}
	case codecAcc:
		// A pointer accumulator's codec starts with whether it is nil.
		return g.accCodec(f.acc, x, false, 0)
	}
	return nil, nil
}

// valueCodec returns the encoding of a SQL value of type t (in its Go representation, or
// as a key) and its decoding.
func valueCodec(t ir.Type, key bool) (enc func(x jen.Code) jen.Code, dec func() jen.Code) {
	w := func(m string, conv func(jen.Code) jen.Code) func(jen.Code) jen.Code {
		return func(x jen.Code) jen.Code { return jen.Id("w").Dot(m).Call(conv(x)) }
	}
	r := func(m string, conv func(jen.Code) jen.Code) func() jen.Code {
		return func() jen.Code { return conv(jen.Id("r").Dot(m).Call()) }
	}
	same := func(x jen.Code) jen.Code { return x }
	as := func(t *jen.Statement) func(jen.Code) jen.Code {
		return func(x jen.Code) jen.Code { return t.Clone().Call(x) }
	}
	switch {
	case key && t.IsBinary():
		return w("String", same), r("String", same)
	case key && t.Kind == ir.KindDouble:
		return w("Uint64", same), r("Uint64", same)
	case key && t.Kind == ir.KindFloat:
		return w("Uint64", as(jen.Uint64())), r("Uint64", as(jen.Uint32()))
	}
	switch t.Kind {
	case ir.KindBoolean:
		return w("Bool", same), r("Bool", same)
	case ir.KindTinyInt:
		return w("Int64", as(jen.Int64())), r("Int64", as(jen.Int8()))
	case ir.KindSmallInt:
		return w("Int64", as(jen.Int64())), r("Int64", as(jen.Int16()))
	case ir.KindInt, ir.KindDate, ir.KindTime:
		return w("Int64", as(jen.Int64())), r("Int64", as(jen.Int32()))
	case ir.KindFloat:
		return w("Float32", same), r("Float32", same)
	case ir.KindDouble:
		return w("Float64", same), r("Float64", same)
	case ir.KindDecimal:
		return w("Decimal", same), r("Decimal", same)
	case ir.KindTimestamp, ir.KindTimestampLTZ:
		return w("Timestamp", same), r("Timestamp", same)
	case ir.KindChar, ir.KindVarchar:
		return w("String", same), r("String", same)
	case ir.KindBinary, ir.KindVarbinary:
		return w("Bytes", same), r("Bytes", same)
	}
	// BIGINT and the intervals.
	return w("Int64", same), r("Int64", same)
}

// accCodec renders the encoding and decoding of a Go accumulator value x of codec c
// (ptr: x is a pointer to it), recursively for its fields and elements.
func (g *gen) accCodec(c *ir.StateCodec, x *jen.Statement, ptr bool, depth int) (enc, dec []jen.Code) {
	v := func(s string) *jen.Statement { return jen.Id(fmt.Sprintf("%s%d", s, depth)) }
	addr := x.Clone()
	if !ptr {
		addr = jen.Parens(jen.Op("&").Add(x.Clone()))
	}
	deref := x.Clone()
	if ptr {
		deref = jen.Parens(jen.Op("*").Add(x.Clone()))
	}
	switch c.Kind {
	case ir.StateMethods:
		return []jen.Code{jen.Add(addr).Dot("EncodeState").Call(jen.Id("w"))},
			[]jen.Code{jen.Add(addr).Dot("DecodeState").Call(jen.Id("r"))}
	case ir.StateBinary:
		return []jen.Code{jen.Block(
				jen.List(jen.Id("b"), jen.Err()).Op(":=").Add(addr).Dot("MarshalBinary").Call(),
				jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
				jen.Id("w").Dot("Bytes").Call(jen.Id("b")),
			)},
			[]jen.Code{jen.If(jen.Err().Op(":=").Add(addr).Dot("UnmarshalBinary").Call(jen.Id("r").Dot("Bytes").Call()), jen.Err().Op("!=").Nil().Op("&&").Id("r").Dot("Err").Call().Op("==").Nil()).Block(
				jen.Id("r").Dot("Fail").Call(jen.Lit("%v"), jen.Err()),
			)}
	case ir.StateBasic:
		m, wconv := basicCodec(c.Basic)
		read := stateType(c).Call(jen.Id("r").Dot(m).Call())
		return []jen.Code{jen.Id("w").Dot(m).Call(wconv(deref))}, []jen.Code{jen.Add(deref).Op("=").Add(read)}
	case ir.StateBytes:
		return []jen.Code{jen.Id("w").Dot("Bytes").Call(jen.Index().Byte().Call(deref))},
			[]jen.Code{jen.Add(deref).Op("=").Add(stateType(c)).Call(jen.Id("r").Dot("Bytes").Call())}
	case ir.StateStruct:
		for _, f := range c.Fields {
			e, d := g.accCodec(f.Type, jen.Add(deref).Dot(f.Name), false, depth+1)
			enc = append(enc, e...)
			dec = append(dec, d...)
		}
		return enc, dec
	case ir.StatePointer:
		e, d := g.accCodec(c.Elem, deref, true, depth+1)
		return []jen.Code{jen.Id("w").Dot("Bool").Call(jen.Add(deref).Op("!=").Nil()), jen.If(jen.Add(deref).Op("!=").Nil()).Block(e...)},
			[]jen.Code{jen.If(jen.Id("r").Dot("Bool").Call()).Block(append([]jen.Code{jen.Add(deref).Op("=").New(stateType(c.Elem))}, d...)...)}
	case ir.StateSlice, ir.StateArray:
		e, d := g.accCodec(c.Elem, jen.Add(deref).Index(v("i")), false, depth+1)
		if c.Kind == ir.StateArray {
			return []jen.Code{jen.For(v("i").Op(":=").Range().Add(deref)).Block(e...)},
				[]jen.Code{jen.For(v("i").Op(":=").Range().Add(deref)).Block(d...)}
		}
		// nil and empty differ: the length + 1, 0 for nil (as codec's Bytes).
		enc = []jen.Code{
			jen.If(jen.Add(deref).Op("==").Nil()).Block(jen.Id("w").Dot("Uint64").Call(jen.Lit(0))).Else().Block(
				jen.Id("w").Dot("Uint64").Call(jen.Uint64().Call(jen.Len(deref)).Op("+").Lit(1)),
				jen.For(v("i").Op(":=").Range().Add(deref)).Block(e...),
			),
		}
		dec = []jen.Code{jen.If(v("n").Op(":=").Id("r").Dot("Length").Call(), v("n").Op(">").Lit(0)).Block(
			// At most one element per byte left: a corrupt length allocates nothing big.
			jen.Add(deref).Op("=").Make(stateType(c), jen.Lit(0), jen.Min(v("n").Op("-").Lit(1), jen.Id("r").Dot("Len").Call())),
			jen.For(v("i").Op(":=").Lit(0), v("i").Op("<").Add(v("n")).Op("-").Lit(1).Op("&&").Id("r").Dot("Err").Call().Op("==").Nil(), v("i").Op("++")).Block(
				append([]jen.Code{jen.Add(deref).Op("=").Append(deref, jen.Op("*").New(stateType(c.Elem)))}, d...)...),
		)}
		return enc, dec
	case ir.StateMap:
		ke, kd := g.accCodec(c.Key, v("k"), false, depth+1)
		ve, vd := g.accCodec(c.Elem, v("v"), false, depth+1)
		enc = []jen.Code{
			jen.Id("w").Dot("Uint64").Call(jen.Uint64().Call(jen.Len(deref))),
			jen.For(jen.List(v("k"), v("v")).Op(":=").Range().Add(deref)).Block(append(ke, ve...)...),
		}
		body := []jen.Code{jen.Var().Add(v("k")).Add(stateType(c.Key)), jen.Var().Add(v("v")).Add(stateType(c.Elem))}
		body = append(body, kd...)
		body = append(body, vd...)
		body = append(body, jen.Add(deref).Index(v("k")).Op("=").Add(v("v")))
		dec = []jen.Code{jen.Block(
			v("n").Op(":=").Id("r").Dot("Length").Call(),
			jen.Add(deref).Op("=").Make(stateType(c), jen.Min(v("n"), jen.Id("r").Dot("Len").Call())),
			jen.For(v("i").Op(":=").Lit(0), v("i").Op("<").Add(v("n")).Op("&&").Id("r").Dot("Err").Call().Op("==").Nil(), v("i").Op("++")).Block(body...),
		)}
		return enc, dec
	}
	return nil, nil
}

// basicCodec is the codec method of a predeclared type and the conversion for writing.
func basicCodec(basic string) (string, func(jen.Code) jen.Code) {
	conv := func(t *jen.Statement) func(jen.Code) jen.Code {
		return func(x jen.Code) jen.Code { return t.Clone().Call(x) }
	}
	switch basic {
	case "bool":
		return "Bool", conv(jen.Bool())
	case "float32":
		return "Float32", conv(jen.Float32())
	case "float64":
		return "Float64", conv(jen.Float64())
	case "string":
		return "String", conv(jen.String())
	case "uint", "uint8", "uint16", "uint32", "uint64", "uintptr":
		return "Uint64", conv(jen.Uint64())
	}
	return "Int64", conv(jen.Int64())
}

// stateType renders the Go type a StateCodec describes.
func stateType(c *ir.StateCodec) *jen.Statement {
	if c.ImportPath != "" && c.Name != "" {
		return jen.Qual(c.ImportPath, c.Name)
	}
	switch c.Kind {
	case ir.StateBasic:
		return jen.Id(c.Basic)
	case ir.StateBytes:
		return jen.Index().Byte()
	case ir.StateSlice:
		return jen.Index().Add(stateType(c.Elem))
	case ir.StateArray:
		return jen.Index(jen.Lit(int(c.Len))).Add(stateType(c.Elem))
	case ir.StateMap:
		return jen.Map(stateType(c.Key)).Add(stateType(c.Elem))
	case ir.StatePointer:
		return jen.Op("*").Add(stateType(c.Elem))
	}
	return jen.Id(c.Go) // an unnamed struct: valid as written only with predeclared types
}
