package udf

import (
	"fmt"
	"go/token"
	"go/types"
	"sort"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/ir"
)

// resolveType resolves a Go type implementing a function, as a Flink function class
// does. A type with an Accumulate method is an aggregate function (aggregate.go);
// otherwise its exported methods named Eval or Eval<Suffix> are its overloads, picked
// per call by the binder; Eval methods returning rows make it a table function
// (MapSignature, tablefunc.go). Optional hooks:
//
//	Open(ctx context.Context) error   called once per instance before the first row
//	Close() error                      called once per instance at the end of the job
//
// Methods may have value or pointer receivers (ReceiverPointer records the Eval
// method's): generated code holds a *T (new(T)) per instance, so both are callable.
func resolveType(d *Decl, tn *types.TypeName) (*ir.Function, error) {
	if tn.IsAlias() {
		return nil, fmt.Errorf("%s is a type alias; name the type it stands for (%s)", d.Qualified, types.TypeString(tn.Type(), d.Qual))
	}
	named, ok := tn.Type().(*types.Named)
	if !ok {
		return nil, fmt.Errorf("%s is not a named type", d.Qualified)
	}
	if named.TypeParams().Len() > 0 {
		return nil, fmt.Errorf("%s is a generic type; SQL can only use function types with concrete parameter types", d.Qualified)
	}
	if _, iface := named.Underlying().(*types.Interface); iface {
		return nil, fmt.Errorf("%s is an interface type; a function type must be a concrete type with Eval methods", d.Qualified)
	}
	if d.Vectorized {
		// //sqlcstream:vectorized on the type, or WITH ('vectorized' = 'true'): one Eval
		// method over slices (vectorized.go).
		if resolveVectorizedHook == nil {
			return nil, fmt.Errorf("%s is marked vectorized: vectorized functions are not supported yet", d.Qualified)
		}
		return resolveVectorizedHook(d)
	}
	ms := types.NewMethodSet(types.NewPointer(named))
	methods := map[string]*types.Func{}
	for i := 0; i < ms.Len(); i++ {
		m := ms.At(i).Obj().(*types.Func)
		methods[m.Name()] = m
	}
	if methods["Accumulate"] != nil {
		if resolveAggregateHook == nil {
			return nil, fmt.Errorf("%s has an Accumulate method (an aggregate function): aggregate functions are not supported yet", d.Qualified)
		}
		return resolveAggregateHook(d)
	}
	var evals []*types.Func
	for name, m := range methods {
		if isEvalName(name) {
			evals = append(evals, m)
		}
	}
	if len(evals) == 0 {
		var names []string
		for name := range methods {
			names = append(names, name)
		}
		sort.Strings(names)
		have := "it has no exported methods"
		if len(names) > 0 {
			have = "it has " + strings.Join(names, ", ")
		}
		return nil, fmt.Errorf("type %s has no Eval method (%s); a scalar function type needs Eval(...) R methods (Eval, EvalInt, ... are overloads), an aggregate function type an Accumulate method", d.Qualified, have)
	}
	// Eval first, then the others by name: the order of overloads in messages and dumps.
	sort.Slice(evals, func(i, j int) bool {
		a, b := evals[i].Name(), evals[j].Name()
		if (a == "Eval") != (b == "Eval") {
			return a == "Eval"
		}
		return a < b
	})
	for _, m := range evals {
		if isTableResult(m.Type().(*types.Signature)) {
			if resolveTableHook == nil {
				return nil, fmt.Errorf("method %s of %s returns rows (a table function): table functions are not supported yet", m.Name(), d.Qualified)
			}
			return resolveTableHook(d)
		}
	}
	if d.Vectorized {
		if resolveVectorizedHook == nil {
			return nil, fmt.Errorf("%s is marked vectorized: vectorized functions are not supported yet", d.Qualified)
		}
		return resolveVectorizedHook(d)
	}
	hooks, err := resolveHooks(d, methods)
	if err != nil {
		return nil, err
	}
	var fns []*ir.Function
	for _, m := range evals {
		sig := m.Type().(*types.Signature)
		f := &ir.Function{
			ImportPath:      d.ImportPath,
			GoName:          d.GoName,
			Receiver:        d.GoName,
			ReceiverPointer: ptrRecv(m),
			Method:          m.Name(),
			Deterministic:   true,
			HasOpen:         hooks.open,
			HasClose:        hooks.close,
		}
		if err := MapSignature(f, sig, "method "+m.Name()+" of "+d.Qualified, d.Qual); err != nil {
			return nil, err
		}
		fns = append(fns, f)
	}
	fn := fns[0]
	for _, f := range fns[1:] {
		if f.Kind != fn.Kind {
			return nil, fmt.Errorf("method %s of %s makes it a %s but method %s a %s; a function type's Eval methods must all return values or all return rows", fn.Method, d.Qualified, fn.Kind, f.Method, f.Kind)
		}
	}
	if len(fns) > 1 {
		fn.Overloads = fns[1:]
	}
	return fn, nil
}

type typeHooks struct {
	open, close bool
	// pointer: some Eval, Open or Close method has a pointer receiver.
	pointer bool
}

// resolveHooks checks the optional Open and Close methods of a function type.
func resolveHooks(d *Decl, methods map[string]*types.Func) (typeHooks, error) {
	var h typeHooks
	for name, m := range methods {
		if isEvalName(name) || name == "Open" || name == "Close" {
			if ptrRecv(m) {
				h.pointer = true
			}
		}
	}
	if m := methods["Open"]; m != nil {
		sig := m.Type().(*types.Signature)
		if sig.Params().Len() != 1 || !isContext(sig.Params().At(0).Type()) || sig.Results().Len() != 1 || !isError(sig.Results().At(0).Type()) || sig.Variadic() {
			return h, fmt.Errorf("method Open of %s has signature %s; an Open hook must be Open(ctx context.Context) error", d.Qualified, methodString(m, d.Qual))
		}
		h.open = true
	}
	if m := methods["Close"]; m != nil {
		sig := m.Type().(*types.Signature)
		if sig.Params().Len() != 0 || sig.Results().Len() != 1 || !isError(sig.Results().At(0).Type()) {
			return h, fmt.Errorf("method Close of %s has signature %s; a Close hook must be Close() error", d.Qualified, methodString(m, d.Qual))
		}
		h.close = true
	}
	return h, nil
}

// isEvalName: Eval, or Eval followed by an upper-case letter or digit (EvalInt, Eval2).
func isEvalName(name string) bool {
	if !strings.HasPrefix(name, "Eval") || !token.IsExported(name) {
		return false
	}
	rest := name[len("Eval"):]
	return rest == "" || rest[0] >= 'A' && rest[0] <= 'Z' || rest[0] >= '0' && rest[0] <= '9' || rest[0] == '_'
}

func ptrRecv(m *types.Func) bool {
	recv := m.Type().(*types.Signature).Recv()
	if recv == nil {
		return false
	}
	_, ok := recv.Type().(*types.Pointer)
	return ok
}

func isContext(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return false
	}
	o := n.Obj()
	return o.Pkg() != nil && o.Pkg().Path() == "context" && o.Name() == "Context"
}

// methodString renders a method for messages: func (g *GeoDB) Open(path string) error.
func methodString(m *types.Func, qual types.Qualifier) string {
	sig := m.Type().(*types.Signature)
	recv := ""
	if r := sig.Recv(); r != nil {
		name := r.Name()
		if name == "" || name == "_" {
			recv = "(" + types.TypeString(r.Type(), qual) + ") "
		} else {
			recv = "(" + name + " " + types.TypeString(r.Type(), qual) + ") "
		}
	}
	s := types.TypeString(sig, qual) // func(params) results
	return "func " + recv + m.Name() + strings.TrimPrefix(s, "func")
}
