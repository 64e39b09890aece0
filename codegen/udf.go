package codegen

import (
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// udfGoTypes maps the Go types a UDF may use (parameters and result, without the
// pointer) to the SQL type kinds they accept, per issue 2's mapping.
var udfGoTypes = map[string][]ir.Kind{
	"string":    {ir.KindVarchar, ir.KindChar},
	"int64":     {ir.KindBigInt},
	"int32":     {ir.KindInt},
	"int16":     {ir.KindSmallInt},
	"int8":      {ir.KindTinyInt},
	"float64":   {ir.KindDouble},
	"float32":   {ir.KindFloat},
	"bool":      {ir.KindBoolean},
	"[]byte":    {ir.KindVarbinary, ir.KindBinary},
	"time.Time": {ir.KindTimestamp, ir.KindTimestampLTZ},
}

func udfTypeOK(goType string, t ir.Type) bool {
	for _, k := range udfGoTypes[goType] {
		if k == t.Kind {
			return true
		}
	}
	return false
}

// udfCall compiles a call of a Go user-defined function. The function is called
// directly with typed locals. A NULL argument for a non-pointer parameter makes the
// result NULL without calling; pointer parameters get nil or the address of a copy.
// A trailing error result fails the job with job.UDFError; a panic is recovered once per
// pipeline function (see pipelineFunc): before each call the generated code stores the
// call site's number in `site` and clears it after, so the deferred recover knows which
// SQL call panicked. That costs two stores per call instead of a deferred closure per
// call, which Go cannot inline.
//
//	var province string
//	provinceNull := true
//	if !client_ipNull {
//		site = 1
//		province = udf.IPToProvince(client_ip)
//		site = 0
//		provinceNull = false
//	}
func (f *fn) udfCall(c *ir.UDFCall) value {
	fnd := c.Fn
	if fnd == nil {
		f.g.errorf(c.Pos, "internal error: UDF call without function")
		return nullValue(c.T)
	}
	if fnd.Vectorized {
		return f.vectorizedRowCall(c) // outside a split loop (vectorized.go)
	}
	if !f.checkType(c.T, c.Pos) {
		return nullValue(c.T)
	}
	resGo := strings.TrimPrefix(fnd.ResultGo, "*")
	if !udfTypeOK(resGo, fnd.Result) {
		f.g.errorf(c.Pos, "function %s: Go result type %s is not supported by the code generator yet", fnd.Name, fnd.ResultGo)
		return nullValue(c.T)
	}
	// Evaluate and convert the arguments.
	var args []udfArg
	for i, e := range c.Args {
		var p ir.Param
		switch {
		case i < len(fnd.Params):
			p = fnd.Params[i]
		case fnd.Variadic && len(fnd.Params) > 0:
			p = fnd.Params[len(fnd.Params)-1]
		default:
			f.g.errorf(e.Span(), "function %s: too many arguments", fnd.Name)
			return nullValue(c.T)
		}
		goT := strings.TrimPrefix(strings.TrimPrefix(p.GoType, "..."), "*")
		if !udfTypeOK(goT, p.Type) {
			f.g.errorf(e.Span(), "function %s: Go parameter type %s is not supported by the code generator yet", fnd.Name, p.GoType)
			return nullValue(c.T)
		}
		v := f.convert(f.expr(e), p.Type, e.Span())
		args = append(args, udfArg{v: v, param: p})
	}
	// NULL into a non-pointer parameter: the result is NULL, the function is not called.
	var strictArgs []value
	for _, a := range args {
		if !a.param.Pointer {
			if a.v.always {
				return nullValue(c.T)
			}
			strictArgs = append(strictArgs, a.v)
		}
	}
	// Under 'on-error' = 'null' or 'dead-letter' the call recovers its own panics
	// (guardedCall); under 'fail' a panic is recovered once per pipeline method.
	guarded := fnd.OnError != ir.ErrorFail
	site := 0
	if !guarded {
		site = f.g.udfSite(fnd.Name, f.g.pos(c.Pos))
		f.usesSite = true
	}

	v := f.declare(sanitize(fnd.Name), f.goType(c.T))
	nl := f.defineNull(v, jen.True())
	call := func() {
		params := f.udfParams(args)
		callExpr := jen.Qual(fnd.ImportPath, fnd.GoName).Call(params...)
		if fnd.Receiver != "" {
			// p.geo1.EvalInt(x): the function type's instance (udfpolicy.go)
			callExpr = jen.Id("p").Dot(f.g.udfInstance(fnd)).Dot(fnd.Method).Call(params...)
		}
		if guarded {
			f.guardedUDFCall(c, callExpr, params, v, nl, resGo)
			return
		}
		// site = N
		f.emit(jen.Id("site").Op("=").Lit(site))
		if !fnd.ReturnsError && !fnd.ResultPointer && resGo != "time.Time" {
			// site = 1
			// province, provinceNull = udf.IPToProvince(client_ip), false
			// site = 0
			f.emit(jen.List(v.id(), nl.id()).Op("=").List(callExpr, jen.False()))
			f.emit(jen.Id("site").Op("=").Lit(0))
			return
		}
		res := f.names.fresh("res")
		if fnd.ReturnsError {
			// res, err := udf.F(args)
			f.emit(jen.List(jen.Id(res), jen.Err()).Op(":=").Add(callExpr))
		} else {
			f.emit(jen.Id(res).Op(":=").Add(callExpr))
		}
		f.emit(jen.Id("site").Op("=").Lit(0))
		if fnd.ReturnsError {
			// if err != nil { p.udfCount1.Add(1); return job.AtRow(job.UDFError("job.sql:3:5", "f", err), where) }
			f.emit(jen.If(jen.Err().Op("!=").Nil()).Block(f.udfFailure(c, params)...))
		}
		conv := func(r jen.Code) jen.Code {
			if resGo == "time.Time" {
				return jen.Qual(pkgTypes, "FromGoTime").Call(r)
			}
			return r
		}
		if fnd.ResultPointer {
			// if res != nil { v, vNull = *res, false }
			f.emit(jen.If(jen.Id(res).Op("!=").Nil()).Block(
				jen.List(v.id(), nl.id()).Op("=").List(conv(jen.Op("*").Id(res)), jen.False()),
			))
		} else {
			f.emit(jen.List(v.id(), nl.id()).Op("=").List(conv(jen.Id(res)), jen.False()))
		}
	}
	if null := orNull(strictArgs...); null != nil {
		stmts := f.nest(call)
		f.emit(jen.If(jen.Op("!").Add(parenIfNeeded(null))).Block(stmts...))
	} else {
		stmts := f.nest(call)
		f.emit(jen.Block(stmts...))
	}
	return value{t: c.T, vl: v, nl: nl}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// udfArg is a UDF call's argument: its value, converted to the parameter's SQL type.
type udfArg struct {
	v     value
	param ir.Param
}

// udfParams renders the Go arguments of a UDF call from its SQL arguments: a value as
// it is (a TIMESTAMP converted to time.Time), or for a pointer parameter a pointer to a
// copy, nil for NULL:
//
//	var arg0 *int64
//	if !xNull { arg0v := x; arg0 = &arg0v }
func (f *fn) udfParams(args []udfArg) []jen.Code {
	var params []jen.Code
	for i, a := range args {
		x := a.v
		goT := strings.TrimPrefix(strings.TrimPrefix(a.param.GoType, "..."), "*")
		conv := func() *jen.Statement {
			if goT == "time.Time" {
				return jen.Qual(pkgTypes, "GoTime").Call(x.V())
			}
			return x.V()
		}
		if !a.param.Pointer {
			params = append(params, conv())
			continue
		}
		p := f.names.fresh("arg" + itoa(i))
		pv := f.names.fresh("arg" + itoa(i) + "v")
		gt := jen.Id(goT)
		if goT == "time.Time" {
			gt = jen.Qual("time", "Time")
		} else if goT == "[]byte" {
			gt = jen.Index().Byte()
		}
		f.emit(jen.Var().Id(p).Op("*").Add(gt))
		set := []jen.Code{jen.Id(pv).Op(":=").Add(conv()), jen.Id(p).Op("=").Op("&").Id(pv)}
		if n := x.N(); n != nil {
			f.emit(jen.If(jen.Op("!").Add(parenIfNeeded(n))).Block(set...))
		} else {
			f.emit(set...)
		}
		params = append(params, jen.Id(p))
	}
	return params
}
