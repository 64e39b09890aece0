package udf

import (
	"fmt"
	"go/types"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// Accumulators in snapshots (runtimelib/aggfunc's doc, docs/udf.md): every accumulator
// type must be encodable, and stateCodec says how, or which field cannot be.

const codecPkg = "github.com/sqlc-stream/sqlc-stream/runtimelib/codec"

// stateError is a type inside an accumulator that cannot be saved: where (the field,
// as Type.field) and why.
type stateError struct {
	field string // "udf.TopAcc.seen"; empty for the accumulator type itself
	typ   string // the field's (or accumulator's) type as written
	why   string // "cannot be saved in a snapshot", "is unexported, so ..."
	fix   string // what to do
}

const fixMethods = "give the type EncodeState and DecodeState methods (see docs/udf.md)"

func (e *stateError) Error() string {
	if e.field == "" {
		return fmt.Sprintf("accumulator type %s %s: %s", e.typ, e.why, e.fix)
	}
	return fmt.Sprintf("accumulator field %s of type %s %s: %s", e.field, e.typ, e.why, e.fix)
}

// stateCodec describes how generated code saves a value of type t, the accumulator
// (field "") or the field named field.
func stateCodec(t types.Type, qual types.Qualifier) (*ir.StateCodec, error) {
	b := &stateBuilder{qual: qual, visiting: map[*types.Named]bool{}}
	return b.build(t, "", "")
}

type stateBuilder struct {
	qual types.Qualifier
	// visiting are the defined types on the path from the accumulator: a type met
	// again is recursive, which the generated codec would not end on.
	visiting map[*types.Named]bool
}

// build describes t; field is the field whose type t is or contains ("" for the
// accumulator itself), with fieldType its whole type, for messages.
func (b *stateBuilder) build(t types.Type, field, fieldType string) (*ir.StateCodec, error) {
	t = types.Unalias(t)
	sc := &ir.StateCodec{Go: types.TypeString(t, b.qual)}
	fail := func(why string) error {
		return &stateError{field: field, typ: orType(fieldType, sc.Go), why: why, fix: fixMethods}
	}
	if n, ok := t.(*types.Named); ok {
		if kind, err := encoderMethods(n, b.qual); err != nil {
			err.field, err.typ = field, orType(fieldType, sc.Go)
			return nil, err
		} else if kind != 0 {
			sc.Kind = kind
			if o := n.Obj(); o.Pkg() != nil {
				sc.ImportPath, sc.Name = o.Pkg().Path(), o.Name()
			}
			return sc, nil
		}
		if b.visiting[n] {
			return nil, fail(fmt.Sprintf("cannot be saved in a snapshot: %s is recursive", sc.Go))
		}
		o := n.Obj()
		if o.Pkg() == nil {
			return nil, fail("cannot be saved in a snapshot")
		}
		if n.TypeArgs().Len() > 0 {
			return nil, fail(fmt.Sprintf("cannot be saved in a snapshot: %s is an instance of a generic type, which generated code does not name", sc.Go))
		}
		if !o.Exported() || o.Parent() != o.Pkg().Scope() {
			return nil, fail(fmt.Sprintf("cannot be saved in a snapshot: %s is not an exported package-level type, which generated code must name to restore it", sc.Go))
		}
		sc.ImportPath, sc.Name = o.Pkg().Path(), o.Name()
		b.visiting[n] = true
		defer delete(b.visiting, n)
	}
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&(types.IsBoolean|types.IsInteger|types.IsFloat|types.IsString) != 0 && u.Info()&types.IsUntyped == 0:
			sc.Kind, sc.Basic = ir.StateBasic, u.Name()
		default:
			return nil, fail("cannot be saved in a snapshot")
		}
	case *types.Slice:
		if e, ok := types.Unalias(u.Elem()).(*types.Basic); ok && e.Kind() == types.Byte {
			sc.Kind = ir.StateBytes
			break
		}
		elem, err := b.build(u.Elem(), field, orType(fieldType, sc.Go))
		if err != nil {
			return nil, err
		}
		sc.Kind, sc.Elem = ir.StateSlice, elem
	case *types.Array:
		elem, err := b.build(u.Elem(), field, orType(fieldType, sc.Go))
		if err != nil {
			return nil, err
		}
		sc.Kind, sc.Elem, sc.Len = ir.StateArray, elem, u.Len()
	case *types.Map:
		key, err := b.build(u.Key(), field, orType(fieldType, sc.Go))
		if err != nil {
			return nil, err
		}
		elem, err := b.build(u.Elem(), field, orType(fieldType, sc.Go))
		if err != nil {
			return nil, err
		}
		sc.Kind, sc.Key, sc.Elem = ir.StateMap, key, elem
	case *types.Pointer:
		elem, err := b.build(u.Elem(), field, orType(fieldType, sc.Go))
		if err != nil {
			return nil, err
		}
		sc.Kind, sc.Elem = ir.StatePointer, elem
	case *types.Struct:
		sc.Kind = ir.StateStruct
		for i := range u.NumFields() {
			f := u.Field(i)
			name := sc.Go + "." + f.Name()
			ft := types.TypeString(f.Type(), b.qual)
			if !f.Exported() {
				return nil, &stateError{field: name, typ: ft, why: "is unexported, so generated code cannot save it in a snapshot", fix: "export it, or " + fixMethods}
			}
			fc, err := b.build(f.Type(), name, ft)
			if err != nil {
				return nil, err
			}
			sc.Fields = append(sc.Fields, ir.StateField{Name: f.Name(), Embedded: f.Embedded(), Type: fc})
		}
	default: // chan, func, interface, type parameter
		return nil, fail("cannot be saved in a snapshot")
	}
	return sc, nil
}

func orType(fieldType, t string) string {
	if fieldType != "" {
		return fieldType
	}
	return t
}

// encoderMethods reports how *n saves itself: StateMethods (EncodeState and
// DecodeState), StateBinary (MarshalBinary and UnmarshalBinary), or 0. Half of a pair,
// or a method of the name with another signature, is an error.
func encoderMethods(n *types.Named, qual types.Qualifier) (ir.StateKind, *stateError) {
	ptr := types.NewPointer(n)
	promoted := map[string]bool{}
	method := func(name string) *types.Signature {
		obj, index, _ := types.LookupFieldOrMethod(ptr, false, n.Obj().Pkg(), name)
		f, ok := obj.(*types.Func)
		if !ok {
			return nil
		}
		if len(index) > 1 { // from an embedded field: it would save that field only
			promoted[name] = true
		}
		return f.Type().(*types.Signature)
	}
	isCodec := func(t types.Type, name string) bool {
		p, ok := t.(*types.Pointer)
		if !ok {
			return false
		}
		nt, ok := types.Unalias(p.Elem()).(*types.Named)
		return ok && nt.Obj().Pkg() != nil && nt.Obj().Pkg().Path() == codecPkg && nt.Obj().Name() == name
	}
	takes := func(sig *types.Signature, codecType string) bool {
		return sig.Params().Len() == 1 && sig.Results().Len() == 0 && isCodec(sig.Params().At(0).Type(), codecType)
	}
	// A method promoted from an embedded field would save that field only.
	recv := "*" + types.TypeString(n, qual)
	checkPromoted := func(names ...string) *stateError {
		for _, name := range names {
			if promoted[name] {
				return &stateError{why: "has " + name + " from an embedded field, which would save that field only",
					fix: fmt.Sprintf("declare %s and %s on %s (see docs/udf.md)", names[0], names[1], recv)}
			}
		}
		return nil
	}
	enc, dec := method("EncodeState"), method("DecodeState")
	switch {
	case enc != nil || dec != nil:
		if enc == nil || dec == nil || !takes(enc, "Writer") || !takes(dec, "Reader") {
			return 0, &stateError{why: "has EncodeState or DecodeState but not both of the right shape",
				fix: fmt.Sprintf("declare EncodeState(w *codec.Writer) and DecodeState(r *codec.Reader) on %s (see docs/udf.md)", recv)}
		}
		if err := checkPromoted("EncodeState", "DecodeState"); err != nil {
			return 0, err
		}
		return ir.StateMethods, nil
	}
	mar, unmar := method("MarshalBinary"), method("UnmarshalBinary")
	if mar == nil && unmar == nil {
		return 0, nil
	}
	bytesT := types.NewSlice(types.Typ[types.Byte])
	marOK := mar != nil && mar.Params().Len() == 0 && mar.Results().Len() == 2 &&
		types.Identical(mar.Results().At(0).Type(), bytesT) && isError(mar.Results().At(1).Type())
	unmarOK := unmar != nil && unmar.Params().Len() == 1 && types.Identical(unmar.Params().At(0).Type(), bytesT) &&
		unmar.Results().Len() == 1 && isError(unmar.Results().At(0).Type())
	if !marOK || !unmarOK {
		return 0, &stateError{why: "has MarshalBinary or UnmarshalBinary but not both of the right shape",
			fix: fmt.Sprintf("declare MarshalBinary() ([]byte, error) and UnmarshalBinary([]byte) error on %s, or %s", recv, fixMethods)}
	}
	if err := checkPromoted("MarshalBinary", "UnmarshalBinary"); err != nil {
		return 0, err
	}
	return ir.StateBinary, nil
}
