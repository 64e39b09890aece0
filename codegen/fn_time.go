package codegen

import (
	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// The built-in time functions (ir/bind_func_time.go): each is a call of a runtime helper
// in runtimelib/types (timefn.go), which follows Flink's arithmetic. A constant date
// pattern is compiled here, so a bad one is a compile error at its position, and again
// in a package-level variable at job start; a pattern computed per row is compiled at
// run time, once per distinct text.

// unitConst names the runtimelib/types constant of a time unit.
var unitConst = map[string]string{
	"YEAR": "UnitYear", "QUARTER": "UnitQuarter", "MONTH": "UnitMonth", "WEEK": "UnitWeek",
	"DAY": "UnitDay", "HOUR": "UnitHour", "MINUTE": "UnitMinute", "SECOND": "UnitSecond",
	"MILLISECOND": "UnitMillisecond", "MICROSECOND": "UnitMicrosecond",
	"NANOSECOND": "UnitNanosecond", "DOW": "UnitDOW", "ISODOW": "UnitISODOW", "DOY": "UnitDOY",
	"ISOYEAR": "UnitISOYear", "EPOCH": "UnitEpoch", "DECADE": "UnitDecade",
	"CENTURY": "UnitCentury", "MILLENNIUM": "UnitMillennium",
}

// unit renders the unit argument i of c (a string literal) as its types constant.
func (f *fn) unit(c *ir.Call, i int) (types.TimeUnit, jen.Code, bool) {
	s, _ := constString(c.Args[i])
	name, ok := unitConst[s]
	if !ok {
		f.g.errorf(c.Pos, "internal error: bad time unit %q", s)
		return 0, nil, false
	}
	return types.UnitNames[s], jen.Qual(pkgTypes, name), true
}

// timeCall compiles the time functions; ok=false for any other operator.
func (f *fn) timeCall(c *ir.Call, args []value) (value, bool) {
	switch c.Op {
	case "EXTRACT":
		return f.extract(c, args), true
	case "FLOOR", "CEIL":
		if len(args) != 2 {
			return value{}, false // FLOOR(n): expr.go
		}
		return f.floorCeilTo(c, args), true
	case "TIMESTAMPADD":
		return f.timestampAdd(c, args), true
	case "TIMESTAMPDIFF":
		return f.timestampDiff(c, args), true
	case "TO_TIMESTAMP_LTZ":
		return f.toTimestampLTZ(c, args), true
	case "DATE_FORMAT":
		return f.dateFormat(c, args), true
	case "TO_TIMESTAMP":
		return f.toTimestamp(c, args), true
	case "TO_DATE":
		return f.toDate(c, args), true
	case "UNIX_TIMESTAMP":
		return f.unixTimestamp(c, args), true
	case "PROCTIME":
		// procTime := types.Timestamp{Millis: p.task.Now()}: the task's processing time
		f.g.cur.needsTask()
		return value{t: c.T, vl: f.define("procTime", jen.Qual(pkgTypes, "Timestamp").Values(jen.Id("Millis").Op(":").Id("p").Dot("task").Dot("Now").Call()))}, true
	case "FROM_UNIXTIME":
		return f.fromUnixtime(c, args), true
	case "CURRENT_TIMESTAMP", "NOW", "CURRENT_ROW_TIMESTAMP", "LOCALTIMESTAMP":
		// now := types.NowTimestamp()
		return value{t: c.T, vl: f.define("now", jen.Qual(pkgTypes, "NowTimestamp").Call())}, true
	case "CURRENT_DATE":
		return value{t: c.T, vl: f.define("today", jen.Qual(pkgTypes, "NowDate").Call())}, true
	case "CURRENT_TIME", "LOCALTIME":
		return value{t: c.T, vl: f.define("nowTime", jen.Qual(pkgTypes, "NowTime").Call())}, true
	case "CURRENT_WATERMARK":
		return f.currentWatermark(c), true
	}
	return value{}, false
}

// currentWatermark compiles CURRENT_WATERMARK(ts): the watermark of the operator's
// task, which is its input's (the minimum over the input channels, or over the splits
// of a source task, as of the rows before this batch: a source task emits its
// watermark after each batch, like Flink's periodic emission).
//
//	wm, wmNull := types.WatermarkTimestamp(p.task.Watermark())
func (f *fn) currentWatermark(c *ir.Call) value {
	f.g.cur.needsTask()
	vl := &local{name: f.names.fresh("wm")}
	nl := &local{name: vl.name + "Null"}
	f.emit(jen.List(vl.id(), nl.id()).Op(":=").Qual(pkgTypes, "WatermarkTimestamp").Call(jen.Id("p").Dot("task").Dot("Watermark").Call()))
	f.track0(vl)
	f.track0(nl)
	return value{t: c.T, vl: vl, nl: nl}
}

// extract compiles EXTRACT(unit FROM x) (also YEAR(x) ... SECOND(x)).
//
//	hour := types.ExtractTimestamp(types.UnitHour, ts)
func (f *fn) extract(c *ir.Call, args []value) value {
	_, u, ok := f.unit(c, 0)
	if !ok {
		return nullValue(c.T)
	}
	x := args[1]
	fnName := map[ir.Kind]string{ir.KindDate: "ExtractDate", ir.KindTime: "ExtractTime",
		ir.KindTimestamp: "ExtractTimestamp", ir.KindTimestampLTZ: "ExtractTimestamp"}[x.t.Kind]
	return f.strict("extract", c.T, []value{x}, func() jen.Code {
		return jen.Qual(pkgTypes, fnName).Call(u, x.V())
	})
}

// floorCeilTo compiles FLOOR(x TO unit) and CEIL(x TO unit).
//
//	floor := types.FloorTimestamp(types.UnitDay, ts, false)
func (f *fn) floorCeilTo(c *ir.Call, args []value) value {
	_, u, ok := f.unit(c, 1)
	if !ok {
		return nullValue(c.T)
	}
	x := args[0]
	fnName := map[ir.Kind]string{ir.KindDate: "FloorDate", ir.KindTime: "FloorTime",
		ir.KindTimestamp: "FloorTimestamp", ir.KindTimestampLTZ: "FloorTimestamp"}[x.t.Kind]
	ceil := c.Op == "CEIL"
	return f.strict(map[bool]string{false: "floor", true: "ceil"}[ceil], c.T, []value{x}, func() jen.Code {
		return jen.Qual(pkgTypes, fnName).Call(u, x.V(), jen.Lit(ceil))
	})
}

// timestampAdd compiles TIMESTAMPADD(unit, n, x).
//
//	ts2 := types.TimestampAdd(types.UnitDay, n, ts)
func (f *fn) timestampAdd(c *ir.Call, args []value) value {
	_, u, ok := f.unit(c, 0)
	if !ok {
		return nullValue(c.T)
	}
	n, x := f.convert(args[1], ir.BigInt(), c.Pos), args[2]
	all := []value{n, x}
	call := func(name string) func() jen.Code {
		return func() jen.Code { return jen.Qual(pkgTypes, name).Call(u, n.V(), x.V()) }
	}
	switch {
	case x.t.Kind == ir.KindTime:
		return f.strict("tsAdd", c.T, all, call("TimeAdd"))
	case x.t.Kind == ir.KindDate && c.T.Kind == ir.KindTimestamp:
		return f.strict("tsAdd", c.T, all, call("DateAddTime"))
	case x.t.Kind == ir.KindDate:
		pos := f.g.pos(c.Pos)
		return f.strictOK("tsAdd", c.T, all, call("DateAdd"), func() jen.Code {
			// return job.RowError(where, "job.sql:3:8", "TIMESTAMPADD: integer overflow")
			return jen.Return(jen.Qual(pkgJob, "RowError").Call(f.where(), jen.Lit(pos), jen.Lit("TIMESTAMPADD: integer overflow")))
		})
	}
	return f.strict("tsAdd", c.T, all, call("TimestampAdd"))
}

// epochMillis renders a DATE, TIMESTAMP or TIMESTAMP_LTZ as epoch milliseconds, as
// Flink's TIMESTAMPDIFF reads them.
func epochMillis(x value) jen.Code {
	if x.t.Kind == ir.KindDate {
		// int64(d) * 86400000
		return jen.Int64().Call(x.V()).Op("*").Lit(86400000)
	}
	return x.V().Dot("Millis")
}

// timestampDiff compiles TIMESTAMPDIFF(unit, a, b).
//
//	diff := types.TimestampDiff(types.UnitMonth, a.Millis, b.Millis)
func (f *fn) timestampDiff(c *ir.Call, args []value) value {
	_, u, ok := f.unit(c, 0)
	if !ok {
		return nullValue(c.T)
	}
	a, b := args[1], args[2]
	return f.strict("tsDiff", c.T, []value{a, b}, func() jen.Code {
		return jen.Qual(pkgTypes, "TimestampDiff").Call(u, epochMillis(a), epochMillis(b))
	})
}

// toTimestampLTZ compiles TO_TIMESTAMP_LTZ(n, precision); NULL out of range.
//
//	ltz, ok = types.LTZFromEpoch(n, 3)
func (f *fn) toTimestampLTZ(c *ir.Call, args []value) value {
	l, _ := c.Args[1].(*ir.Literal)
	p, _ := l.Value.(int64)
	n := args[0]
	switch {
	case n.t.Kind == ir.KindDecimal:
		return f.strictOK("ltz", c.T, []value{n}, func() jen.Code {
			return jen.Qual(pkgTypes, "LTZFromEpochDecimal").Call(n.V(), jen.Lit(n.t.Scale), jen.Lit(int(p)))
		}, nil)
	case n.t.Kind == ir.KindFloat || n.t.Kind == ir.KindDouble:
		return f.strictOK("ltz", c.T, []value{n}, func() jen.Code {
			return jen.Qual(pkgTypes, "LTZFromEpochDouble").Call(jen.Float64().Call(n.V()), jen.Lit(int(p)))
		}, nil)
	}
	n = f.convert(n, ir.BigInt(), c.Pos)
	return f.strictOK("ltz", c.T, []value{n}, func() jen.Code {
		return jen.Qual(pkgTypes, "LTZFromEpoch").Call(n.V(), jen.Lit(int(p)))
	}, nil)
}

// javaPattern is a date pattern argument: a package-level formatter compiled at start
// when the pattern is a constant (def is the pattern of a call without one), else nil.
type javaPattern struct {
	v        value    // the pattern, when it is computed per row
	compiled jen.Code // the formatter variable, when it is a constant
	name     string   // its name (a java.time formatter's)
	gran     int64    // a java.time formatter's Granularity
}

// simpleDateFormat compiles the SimpleDateFormat pattern of argument i (or def when the
// call has no argument i); parse says the function parses with it.
func (f *fn) simpleDateFormat(c *ir.Call, args []value, i int, def string, parse bool) (javaPattern, bool) {
	pat, isConst := def, true
	span := c.Pos
	if i < len(args) {
		span = c.Args[i].Span()
		pat, isConst = constString(c.Args[i])
		if !isConst {
			return javaPattern{v: f.toString(args[i], c.Pos)}, true
		}
	}
	sdf, err := types.CompileSimpleDateFormat(pat)
	if err != nil {
		f.g.errorf(span, "invalid date pattern %q of %s: %v (Java's SimpleDateFormat)", pat, c.Op, err)
		return javaPattern{}, false
	}
	if l := sdf.UnparsableLetter(); parse && l != "" {
		f.g.errorf(span, "pattern letter %s is not supported by %s's parser yet", l, c.Op)
		return javaPattern{}, false
	}
	// var sdf1 = types.MustSimpleDateFormat("yyyy-MM-dd")
	name := f.g.pkgVar("sdf", jen.Qual(pkgTypes, "MustSimpleDateFormat").Call(jen.Lit(pat)), "")
	return javaPattern{compiled: jen.Id(name)}, true
}

// dateTimeFormatter is simpleDateFormat for java.time patterns.
func (f *fn) dateTimeFormatter(c *ir.Call, args []value, i int, parse bool) (javaPattern, bool) {
	pat, isConst := constString(c.Args[i])
	if !isConst {
		return javaPattern{v: f.toString(args[i], c.Pos)}, true
	}
	span := c.Args[i].Span()
	dtf, err := types.CompileDateTimeFormatter(pat)
	switch {
	case err != nil:
		f.g.errorf(span, "invalid date pattern %q of %s: %v (Java's DateTimeFormatter)", pat, c.Op, err)
		return javaPattern{}, false
	case parse && dtf.UnparsableLetter() != "":
		f.g.errorf(span, "pattern letter %s is not supported by %s's parser yet", dtf.UnparsableLetter(), c.Op)
		return javaPattern{}, false
	case !parse && dtf.NeedsZone():
		f.g.errorf(span, "date pattern %q has a time zone or offset letter, which a TIMESTAMP cannot print (Flink fails the job); put it in an optional section [...] or quote it", pat)
		return javaPattern{}, false
	}
	// var dtf1 = types.MustDateTimeFormatter("yyyy-MM-dd")
	name := f.g.pkgVar("dtf", jen.Qual(pkgTypes, "MustDateTimeFormatter").Call(jen.Lit(pat)), "")
	return javaPattern{compiled: jen.Id(name), name: name, gran: dtf.Granularity()}, true
}

// call returns the strict arguments and the helper call of a function taking a pattern:
// fn(x..., formatter) for a constant one, fnPattern(x..., pattern) for one computed per
// row (perRow).
func (p javaPattern) call(fnName string, xs ...value) (args []value, call func() jen.Code, perRow bool) {
	args = append(args, xs...)
	if p.compiled == nil {
		args = append(args, p.v)
		fnName += "Pattern"
	}
	return args, func() jen.Code {
		var params []jen.Code
		for _, x := range xs {
			params = append(params, x.V())
		}
		if p.compiled != nil {
			params = append(params, p.compiled)
		} else {
			params = append(params, p.v.V())
		}
		return jen.Qual(pkgTypes, fnName).Call(params...)
	}, p.compiled == nil
}

// dateFormat compiles DATE_FORMAT(x, pattern): java.time for a TIMESTAMP or
// TIMESTAMP_LTZ, SimpleDateFormat for a DATE or a string.
//
//	df, err = types.FormatTimestampPattern(ts, pattern)
func (f *fn) dateFormat(c *ir.Call, args []value) value {
	x := args[0]
	switch {
	case x.t.Kind == ir.KindTimestamp || x.t.Kind == ir.KindTimestampLTZ:
		p, ok := f.dateTimeFormatter(c, args, 1, false)
		if !ok {
			return nullValue(c.T)
		}
		if p.compiled != nil && p.gran > 0 {
			// dateFormat, err = p.dtf1Memo.Format(dtf1, ts): the task keeps the text of
			// the last day (minute, ...) formatted, so a run of rows allocates it once.
			field := p.name + "Memo"
			f.g.cur.once(field, field+" remembers the task's last DATE_FORMAT with "+p.name+".", jen.Qual(pkgTypes, "DateFormatMemo"))
			return f.strictFallible("dateFormat", c.T, []value{x}, false, c, func() jen.Code {
				return jen.Id("p").Dot(field).Dot("Format").Call(p.compiled, x.V())
			})
		}
		if p.compiled != nil {
			// dateFormat, err = dtf1.Format(ts)
			return f.strictFallible("dateFormat", c.T, []value{x}, false, c, func() jen.Code {
				return jen.Add(p.compiled).Dot("Format").Call(x.V())
			})
		}
		all, call, _ := p.call("FormatTimestamp", x)
		return f.strictFallible("dateFormat", c.T, all, false, c, call)
	case x.t.Kind == ir.KindDate || x.t.IsString():
		p, ok := f.simpleDateFormat(c, args, 1, "", false)
		if !ok {
			return nullValue(c.T)
		}
		fnName := map[bool]string{true: "FormatDate", false: "FormatString"}[x.t.Kind == ir.KindDate]
		if p.compiled != nil {
			all, call, _ := p.call(fnName+"Simple", x)
			return f.strictOK("dateFormat", c.T, all, call, nil)
		}
		all, call, _ := p.call(fnName, x)
		return f.strictFallible("dateFormat", c.T, all, true, c, call)
	}
	f.g.errorf(c.Pos, "DATE_FORMAT of %s is not supported by the code generator yet", x.t)
	return nullValue(c.T)
}

// toTimestamp compiles TO_TIMESTAMP(s[, pattern]): without a pattern, CAST's reading of
// "yyyy-MM-dd HH:mm:ss[.f]"; NULL when s does not parse.
func (f *fn) toTimestamp(c *ir.Call, args []value) value {
	s := f.toString(args[0], c.Pos)
	if len(args) == 1 {
		return f.strictOK("ts", c.T, []value{s}, func() jen.Code {
			return jen.Qual(pkgTypes, "CastStringToTimestamp").Call(s.V(), jen.Lit(c.T.Precision))
		}, nil)
	}
	p, ok := f.dateTimeFormatter(c, args, 1, true)
	if !ok {
		return nullValue(c.T)
	}
	all, call, _ := p.call("ToTimestamp", s)
	return f.strictFallible("ts", c.T, all, true, c, call)
}

// toDate compiles TO_DATE(s[, pattern]); NULL when s does not parse.
func (f *fn) toDate(c *ir.Call, args []value) value {
	s := f.toString(args[0], c.Pos)
	if len(args) == 1 {
		// TO_DATE(s) is DateTimeUtils.parseDate(s): CAST's reading.
		return f.strictOK("date", c.T, []value{s}, func() jen.Code {
			return jen.Qual(pkgTypes, "CastStringToDate").Call(s.V())
		}, nil)
	}
	p, ok := f.simpleDateFormat(c, args, 1, "", true)
	if !ok {
		return nullValue(c.T)
	}
	all, call, _ := p.call("ToDate", s)
	return f.strictFallible("date", c.T, all, true, c, call)
}

// unixTimestamp compiles UNIX_TIMESTAMP(): the clock, read per row (never folded: ir
// marks it non-deterministic), and UNIX_TIMESTAMP(s[, pattern]).
func (f *fn) unixTimestamp(c *ir.Call, args []value) value {
	if len(args) == 0 {
		// unixTs := types.UnixTimestampNow()
		return value{t: c.T, vl: f.define("unixTs", jen.Qual(pkgTypes, "UnixTimestampNow").Call())}
	}
	s := f.toString(args[0], c.Pos)
	p, ok := f.simpleDateFormat(c, args, 1, "yyyy-MM-dd HH:mm:ss", true)
	if !ok {
		return nullValue(c.T)
	}
	all, call, _ := p.call("UnixTimestamp", s)
	return f.strictFallible("unixTs", c.T, all, false, c, call)
}

// fromUnixtime compiles FROM_UNIXTIME(n[, pattern]).
func (f *fn) fromUnixtime(c *ir.Call, args []value) value {
	n := f.convert(args[0], ir.BigInt(), c.Pos)
	p, ok := f.simpleDateFormat(c, args, 1, "yyyy-MM-dd HH:mm:ss", false)
	if !ok {
		return nullValue(c.T)
	}
	all, call, perRow := p.call("FromUnixtime", n)
	if perRow {
		return f.strictFallible("fromUnix", c.T, all, false, c, call)
	}
	return f.strict("fromUnix", c.T, all, call)
}

// strictFallible is strict for a helper returning (T, error), or (T, bool, error) when
// withOK (ok=false is NULL); an error fails the job with the SQL position.
//
//	var v T
//	vNull := aNull || bNull          // false when no argument is nullable
//	if !vNull {
//		var ok bool
//		var err error
//		if v, ok, err = compute; err != nil {
//			return job.RowError(where, "job.sql:3:8", "DATE_FORMAT: %w", err)
//		} else if !ok {
//			v, vNull = zero, true
//		}
//	}
func (f *fn) strictFallible(base string, t ir.Type, args []value, withOK bool, c *ir.Call, compute func() jen.Code) value {
	pos := f.g.pos(c.Pos)
	return f.fallible(base, t, args, withOK, func(v, nl *local) {
		e := compute()
		fail := jen.Return(jen.Qual(pkgJob, "RowError").Call(f.where(), jen.Lit(pos), jen.Lit(string(c.Op)+": %w"), jen.Err()))
		if withOK {
			f.emit(
				jen.Var().Id("ok").Bool(),
				jen.Var().Err().Error(),
				jen.If(jen.List(v.id(), jen.Id("ok"), jen.Err()).Op("=").Add(e), jen.Err().Op("!=").Nil()).Block(fail).
					Else().If(jen.Op("!").Id("ok")).Block(jen.List(v.id(), nl.id()).Op("=").List(zero(t), jen.True())),
			)
			return
		}
		f.emit(
			jen.Var().Err().Error(),
			jen.If(jen.List(v.id(), jen.Err()).Op("=").Add(e), jen.Err().Op("!=").Nil()).Block(fail),
		)
	})
}
