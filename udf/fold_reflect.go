package udf

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/optimizer"
)

// ReflectEvaluator evaluates UDF calls in process with reflect, for callers that hold
// the Go function values (the Table API's RegisterFunction): no helper program is
// built. Funcs maps a function's SQL name, lower-cased, to its Go value: a func, or a
// value or pointer of a function type (only its type is used: the call gets a fresh
// new(T), opened and closed as generated code does).
type ReflectEvaluator struct {
	Funcs map[string]any
}

var _ optimizer.UDFEvaluator = (*ReflectEvaluator)(nil)

// EvalUDFs implements optimizer.UDFEvaluator. A call of a function missing from Funcs
// fails (and so is not folded).
func (e *ReflectEvaluator) EvalUDFs(calls []*ir.UDFCall) ([]optimizer.UDFResult, error) {
	out := make([]optimizer.UDFResult, len(calls))
	for i, c := range calls {
		out[i].Value, out[i].Err = e.eval(c)
	}
	return out, nil
}

func (e *ReflectEvaluator) eval(c *ir.UDFCall) (v any, err error) {
	fn := c.Fn
	gv, ok := e.Funcs[strings.ToLower(fn.Name)]
	if !ok || gv == nil {
		return nil, fmt.Errorf("no Go value for function %s", fn.Name)
	}
	defer func() {
		if rv := recover(); rv != nil {
			v, err = nil, fmt.Errorf("panic: %v", rv)
		}
	}()
	f := reflect.ValueOf(gv)
	if fn.Receiver != "" {
		t := f.Type()
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		inst := reflect.New(t)
		if fn.HasOpen {
			res := inst.MethodByName("Open").Call([]reflect.Value{reflect.ValueOf(context.Background())})
			if e, _ := res[0].Interface().(error); e != nil {
				return nil, fmt.Errorf("open: %w", e)
			}
		}
		if fn.HasClose {
			defer inst.MethodByName("Close").Call(nil)
		}
		f = inst.MethodByName(fn.Method)
	}
	if f.Kind() != reflect.Func {
		return nil, fmt.Errorf("the Go value of %s is a %s, not a func", fn.Name, f.Kind())
	}
	ft := f.Type()
	var args []reflect.Value
	for i, a := range c.Args {
		l, ok := a.(*ir.Literal)
		if !ok {
			return nil, fmt.Errorf("argument %d is not a literal", i+1)
		}
		var pt reflect.Type
		if ft.IsVariadic() && i >= ft.NumIn()-1 {
			pt = ft.In(ft.NumIn() - 1).Elem()
		} else if i < ft.NumIn() {
			pt = ft.In(i)
		} else {
			return nil, fmt.Errorf("too many arguments")
		}
		av, err := literalToGo(l.Value, pt)
		if err != nil {
			return nil, fmt.Errorf("argument %d: %v", i+1, err)
		}
		args = append(args, av)
	}
	res := f.Call(args)
	if len(res) == 2 {
		if e, _ := res[1].Interface().(error); e != nil {
			return nil, e
		}
	}
	return goToLiteral(res[0])
}

var timeType = reflect.TypeOf(time.Time{})

// literalToGo converts a literal value to a reflect.Value of Go type t (a pointer type
// takes nil for NULL).
func literalToGo(v any, t reflect.Type) (reflect.Value, error) {
	if t.Kind() == reflect.Pointer {
		if v == nil {
			return reflect.Zero(t), nil
		}
		x, err := literalToGo(v, t.Elem())
		if err != nil {
			return x, err
		}
		p := reflect.New(t.Elem())
		p.Elem().Set(x)
		return p, nil
	}
	if v == nil {
		return reflect.Value{}, fmt.Errorf("NULL for a %s", t)
	}
	if t == timeType {
		s, ok := v.(string)
		if !ok {
			return reflect.Value{}, fmt.Errorf("value %v for a time.Time", v)
		}
		tm, err := time.Parse(timestampLayout, s)
		return reflect.ValueOf(tm), err
	}
	out := reflect.New(t).Elem()
	switch x := v.(type) {
	case string:
		switch t.Kind() {
		case reflect.String:
			out.SetString(x)
		case reflect.Slice:
			out.SetBytes([]byte(x))
		default:
			return out, fmt.Errorf("value %q for a %s", x, t)
		}
	case []byte:
		if t.Kind() != reflect.Slice || t.Elem().Kind() != reflect.Uint8 {
			return out, fmt.Errorf("bytes for a %s", t)
		}
		out.SetBytes(append([]byte(nil), x...))
	case int64:
		switch t.Kind() {
		case reflect.Int64, reflect.Int32, reflect.Int16, reflect.Int8:
			out.SetInt(x)
		default:
			return out, fmt.Errorf("integer for a %s", t)
		}
	case float64:
		switch t.Kind() {
		case reflect.Float64, reflect.Float32:
			out.SetFloat(x)
		default:
			return out, fmt.Errorf("float for a %s", t)
		}
	case bool:
		if t.Kind() != reflect.Bool {
			return out, fmt.Errorf("bool for a %s", t)
		}
		out.SetBool(x)
	default:
		return out, fmt.Errorf("value %v (%T)", v, v)
	}
	return out, nil
}

// goToLiteral converts a UDF result to ir.Literal's representation (nil pointer: NULL).
func goToLiteral(v reflect.Value) (any, error) {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil, nil
		}
		v = v.Elem()
	}
	if v.Type() == timeType {
		return v.Interface().(time.Time).UTC().Format(timestampLayout), nil
	}
	switch v.Kind() {
	case reflect.String:
		return v.String(), nil
	case reflect.Int64, reflect.Int32, reflect.Int16, reflect.Int8:
		return v.Int(), nil
	case reflect.Float64, reflect.Float32:
		return v.Float(), nil
	case reflect.Bool:
		return v.Bool(), nil
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return append([]byte(nil), v.Bytes()...), nil
		}
	}
	return nil, fmt.Errorf("result of type %s", v.Type())
}
