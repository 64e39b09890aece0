package ir

import (
	"strings"

	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/parser"
)

// tvfWindow is what FROM TABLE(TUMBLE(...)) binds to until its GROUP BY: the input
// relation with three more columns in scope, window_start, window_end and window_time
// (at first, first+1, first+2), which only a window aggregate computes
// (aggregateSelect turns them into an Aggregate's Window).
type tvfWindow struct {
	w       Window
	timeCol int // the time attribute column in the input
	first   int
	span    diag.Span
}

// windowParams are the parameter names of each window TVF, in position order (Flink's
// SqlWindowTableFunction: DATA, TIMECOL, then these).
var windowParams = map[string][]string{
	"TUMBLE":   {"DATA", "TIMECOL", "SIZE", "OFFSET"},
	"HOP":      {"DATA", "TIMECOL", "SLIDE", "SIZE", "OFFSET"},
	"CUMULATE": {"DATA", "TIMECOL", "STEP", "SIZE", "OFFSET"},
	"SESSION":  {"DATA", "TIMECOL", "GAP"},
}

// windowTVF binds FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '10' SECOND)) and
// HOP and CUMULATE, with positional or named arguments.
func (b *binder) windowTVF(t *parser.TableFunc, up string) (*rel, *bindError) {
	fc := t.Call
	params, ok := windowParams[up]
	if !ok {
		return nil, b.errorf(t.Span, "window table-valued function %s is not supported yet", up)
	}
	args := map[string]parser.Expr{}
	named := false
	for i, a := range fc.Args {
		name := ""
		if i < len(fc.ArgNames) {
			name = strings.ToUpper(fc.ArgNames[i].Name)
		}
		switch {
		case name == "" && named:
			return nil, b.errorf(a.ExprSpan(), "a positional argument after named ones")
		case name == "":
			if i >= len(params) {
				return nil, b.errorf(a.ExprSpan(), "%s takes at most %d arguments", up, len(params))
			}
			name = params[i]
		default:
			named = true
			known := false
			for _, p := range params {
				known = known || p == name
			}
			if !known {
				return nil, b.errorf(fc.ArgNames[i].Span, "%s has no parameter %s (it has %s)", up, name, strings.Join(params, ", "))
			}
		}
		if args[name] != nil {
			return nil, b.errorf(a.ExprSpan(), "%s is given twice", name)
		}
		args[name] = a
	}
	required := params[:len(params)-1] // OFFSET is optional
	if up == "SESSION" {
		required = params
	}
	for _, p := range required {
		if args[p] == nil {
			return nil, b.errorf(fc.Span, "%s needs its %s argument", up, p)
		}
	}
	ta, ok := args["DATA"].(*parser.TableArg)
	if !ok {
		return nil, b.errorf(args["DATA"].ExprSpan(), "the first argument of %s is TABLE name", up)
	}
	if len(ta.PartitionBy) > 0 && up != "SESSION" {
		return nil, b.errorf(ta.PartitionBy[0].ExprSpan(), "PARTITION BY is only valid in SESSION windows")
	}
	in, err := b.from(&parser.TableRef{Span: ta.Span, Name: ta.Name})
	if err != nil {
		return nil, err
	}
	d, ok := args["TIMECOL"].(*parser.Descriptor)
	if !ok || len(d.Columns) != 1 {
		return nil, b.errorf(args["TIMECOL"].ExprSpan(), "the time column of %s is DESCRIPTOR(column)", up)
	}
	tc, err := b.column(&exprCtx{sc: in.sc}, parser.Name{Parts: d.Columns, Span: d.Span})
	if err != nil {
		return nil, err
	}
	ref, _ := tc.(*InputRef)
	if ref == nil || ref.T.TimeAttr == TimeNone {
		return nil, b.errorf(d.Span, "The window function requires the timecol is a time attribute type, but is %s (declare a WATERMARK FOR it, or use PROCTIME())", tc.Type())
	}
	if ref.T.TimeAttr == TimeProctime && up == "SESSION" {
		return nil, b.errorf(d.Span, "processing-time SESSION windows are not supported yet")
	}
	tw := &tvfWindow{timeCol: ref.Index, first: len(in.sc.cols), span: t.Span}
	tw.w.Proctime = ref.T.TimeAttr == TimeProctime
	tw.w.Start, tw.w.End, tw.w.Time = -1, -1, -1
	proctime := tw.w.Proctime
	interval := func(p string) (int64, *bindError) {
		e := args[p]
		if e == nil {
			return 0, nil
		}
		iv, ok := unparen(e).(*parser.Interval)
		if !ok {
			return 0, b.errorf(e.ExprSpan(), "the %s of %s is an INTERVAL literal", p, up)
		}
		x, err := b.interval(iv)
		if err != nil {
			return 0, err
		}
		lit := x.(*Literal)
		if lit.T.Kind != KindIntervalDayTime {
			return 0, b.errorf(e.ExprSpan(), "the %s of %s must be a day-time interval (months are not supported)", p, up)
		}
		return lit.Value.(int64), nil
	}
	switch up {
	case "TUMBLE":
		tw.w.Kind = WindowTumble
		if tw.w.Size, err = interval("SIZE"); err != nil {
			return nil, err
		}
		tw.w.Slide = tw.w.Size
	case "HOP":
		tw.w.Kind = WindowHop
		if tw.w.Slide, err = interval("SLIDE"); err != nil {
			return nil, err
		}
	case "CUMULATE":
		tw.w.Kind = WindowCumulate
		if tw.w.Slide, err = interval("STEP"); err != nil {
			return nil, err
		}
	case "SESSION":
		// The sessions are per the GROUP BY's keys, which in Flink must hold the
		// PARTITION BY columns: the partition adds nothing the keys do not say.
		tw.w.Kind = WindowSession
		if tw.w.Size, err = interval("GAP"); err != nil {
			return nil, err
		}
		tw.w.Slide = tw.w.Size
	}
	if up != "TUMBLE" && up != "SESSION" {
		if tw.w.Size, err = interval("SIZE"); err != nil {
			return nil, err
		}
	}
	if tw.w.Offset, err = interval("OFFSET"); err != nil {
		return nil, err
	}
	tw.w.Proctime = proctime
	switch w := tw.w; {
	case w.Size <= 0 || w.Slide <= 0:
		return nil, b.errorf(fc.Span, "%s: the window size, slide and step must be positive", up)
	case w.Kind == WindowCumulate && w.Size%w.Slide != 0:
		return nil, b.errorf(fc.Span, "CUMULATE: the max size must be an integral multiple of the step")
	}
	// window_start, window_end, window_time follow the input's columns (Flink's order).
	tt := ref.T
	sc := &scope{cols: append([]scopeCol(nil), in.sc.cols...)}
	qual := ""
	if t.Alias != nil {
		qual = t.Alias.Name
		for i := range sc.cols {
			sc.cols[i].qual = qual
		}
	}
	sc.addFields(qual, []Field{
		{Name: "window_start", Type: propertyType(tt, false)},
		{Name: "window_end", Type: propertyType(tt, false)},
		{Name: "window_time", Type: propertyType(tt, true)},
	})
	if len(t.Columns) > 0 {
		r, err := b.aliased(&rel{node: in.node, sc: sc}, qual, t.Columns, t.Span)
		if err != nil {
			return nil, err
		}
		sc = r.sc
	}
	return &rel{node: in.node, sc: sc, window: tw}, nil
}

// refsWindowColumn reports whether e reads one of a window TVF's window columns.
func (tw *tvfWindow) refsWindowColumn(e Expr) bool {
	found := false
	WalkExpr(e, func(x Expr) {
		if r, ok := x.(*InputRef); ok && r.Index >= tw.first {
			found = true
		}
	})
	return found
}

// groupWindow makes the Aggregate of a query over a window TVF a window aggregate: its
// group columns window_start and window_end (and window_time) become the Window's
// properties over the time column, and nothing else may read them.
func (b *binder) groupWindow(tw *tvfWindow, st *aggState, agg *Aggregate, pre *Calc, where Expr) *bindError {
	w := tw.w
	for i := 0; i < st.nGroup; i++ {
		if r, ok := st.pre[i].(*InputRef); ok && r.Index >= tw.first {
			switch r.Index - tw.first {
			case 0:
				w.Start = i
			case 1:
				w.End = i
			case 2:
				w.Time = i
			}
		}
	}
	if w.Start < 0 || w.End < 0 {
		return b.errorf(tw.span, "a window table-valued function must be aggregated with GROUP BY window_start, window_end, ... (other uses are not supported yet)")
	}
	if where != nil && tw.refsWindowColumn(where) {
		return b.errorf(tw.span, "WHERE on window_start, window_end or window_time is not supported yet")
	}
	for i, e := range pre.Exprs {
		if !w.IsProperty(i) && tw.refsWindowColumn(e) {
			return b.errorf(tw.span, "window_start, window_end and window_time can only be grouped by, not computed on, in a window aggregate (not supported yet)")
		}
	}
	in := pre.Input.Schema()
	for _, p := range []int{w.Start, w.End, w.Time} {
		if p >= 0 {
			pre.Exprs[p] = &InputRef{Index: tw.timeCol, Name: in[tw.timeCol].Name, T: in[tw.timeCol].Type}
			pre.Names[p] = in[tw.timeCol].Name
		}
	}
	agg.Window = &w
	return nil
}

// legacyWindow is the group window of GROUP BY TUMBLE(ts, size), HOP(ts, slide, size)
// or SESSION(ts, gap) (Flink's legacy group windows): three group columns of the
// pre-aggregation Calc read ts, and become window_start, window_end and window_time,
// which TUMBLE_START(ts, size), TUMBLE_END and TUMBLE_ROWTIME (HOP_*, SESSION_*) name.
type legacyWindow struct {
	kind    string // TUMBLE, HOP, SESSION
	w       Window
	timeKey string  // ExprKey of ts
	ivs     []int64 // the intervals after ts, in milliseconds
	span    diag.Span
}

// isGroupWindow reports whether a GROUP BY item is a legacy group window call.
func isGroupWindow(e parser.Expr) (*parser.FuncCall, string, bool) {
	fc, ok := unparen(e).(*parser.FuncCall)
	if !ok || len(fc.Name.Parts) != 1 || fc.Over != nil {
		return nil, "", false
	}
	up := strings.ToUpper(fc.Name.Parts[0].Name)
	switch up {
	case "TUMBLE", "HOP", "SESSION":
		return fc, up, true
	}
	return nil, "", false
}

// groupWindowItem binds GROUP BY TUMBLE(ts, size [, offset]), HOP(ts, slide, size
// [, offset]) and SESSION(ts, gap) into st: the three group columns of its window properties.
func (b *binder) groupWindowItem(in *rel, st *aggState, fc *parser.FuncCall, kind string) *bindError {
	if st.legacy != nil {
		return b.errorf(fc.Span, "only one group window is allowed in GROUP BY")
	}
	if in.window != nil {
		return b.errorf(fc.Span, "a group window over a window table-valued function is not valid")
	}
	want := map[string][2]int{"TUMBLE": {2, 3}, "HOP": {3, 4}, "SESSION": {2, 2}}[kind]
	if len(fc.Args) < want[0] || len(fc.Args) > want[1] {
		return b.errorf(fc.Span, "%s takes %d or %d arguments: the time attribute, then the intervals", kind, want[0], want[1])
	}
	if i := namedArg(fc); i >= 0 {
		return b.errorf(fc.ArgNames[i].Span, "named arguments are not valid in a group window")
	}
	ts, err := b.scalar(in.sc, fc.Args[0], "GROUP BY")
	if err != nil {
		return err
	}
	ref, _ := ts.(*InputRef)
	if ref == nil || ref.T.TimeAttr != TimeRowtime {
		return b.errorf(fc.Args[0].ExprSpan(), "the first argument of %s must be a rowtime attribute (a column with a WATERMARK), but is %s", kind, ts.Type())
	}
	ivs := make([]int64, len(fc.Args)-1)
	for i, a := range fc.Args[1:] {
		iv, ok := unparen(a).(*parser.Interval)
		if !ok {
			return b.errorf(a.ExprSpan(), "the arguments of %s after the time attribute are INTERVAL literals", kind)
		}
		x, err := b.interval(iv)
		if err != nil {
			return err
		}
		lit := x.(*Literal)
		if lit.T.Kind != KindIntervalDayTime {
			return b.errorf(a.ExprSpan(), "a group window's interval must be a day-time interval (months are not supported)")
		}
		ivs[i] = lit.Value.(int64)
	}
	lw := &legacyWindow{kind: kind, timeKey: ExprKey(ts), ivs: ivs, span: fc.Span}
	switch kind {
	case "TUMBLE":
		lw.w = Window{Kind: WindowTumble, Size: ivs[0], Slide: ivs[0]}
		if len(ivs) > 1 {
			lw.w.Offset = ivs[1]
		}
	case "HOP":
		lw.w = Window{Kind: WindowHop, Slide: ivs[0], Size: ivs[1]}
		if len(ivs) > 2 {
			lw.w.Offset = ivs[2]
		}
	case "SESSION":
		lw.w = Window{Kind: WindowSession, Size: ivs[0], Slide: ivs[0]}
	}
	if lw.w.Size <= 0 || lw.w.Slide <= 0 {
		return b.errorf(fc.Span, "%s: the window size and slide must be positive", kind)
	}
	lw.w.Legacy = true
	// Three group columns that no other expression matches (their keys are not ts's).
	for i, name := range []string{"w$start", "w$end", "w$rowtime"} {
		pos := len(st.pre)
		st.pre = append(st.pre, ts)
		st.preKeys = append(st.preKeys, "$"+name)
		st.preNames = append(st.preNames, name)
		switch i {
		case 0:
			lw.w.Start = pos
		case 1:
			lw.w.End = pos
		case 2:
			lw.w.Time = pos
		}
	}
	st.legacy = lw
	return nil
}

// windowProperty binds TUMBLE_START(ts, size) and the other group window properties in
// the select list or HAVING of a query with a group window: references to its columns.
// ok is false when fc is no property function.
func (b *binder) windowProperty(c *exprCtx, fc *parser.FuncCall) (Expr, bool, *bindError) {
	if len(fc.Name.Parts) != 1 {
		return nil, false, nil
	}
	kind, prop, found := strings.Cut(strings.ToUpper(fc.Name.Parts[0].Name), "_")
	if !found || (kind != "TUMBLE" && kind != "HOP" && kind != "SESSION") {
		return nil, false, nil
	}
	lw := c.agg.legacy
	switch {
	case prop != "START" && prop != "END" && prop != "ROWTIME" && prop != "PROCTIME":
		return nil, false, nil
	case lw == nil:
		return nil, true, b.errorf(fc.Span, "%s is only valid in a query with GROUP BY %s(...)", fc.Name.Parts[0].Name, kind)
	case lw.kind != kind || len(fc.Args) != len(lw.ivs)+1:
		return nil, true, b.errorf(fc.Span, "%s does not match the group window %s of the GROUP BY", b.text(fc.Span), b.text(lw.span))
	case prop == "PROCTIME":
		return nil, true, b.errorf(fc.Span, "%s_PROCTIME is only valid over a processing-time window (not supported yet)", kind)
	}
	ts, err := b.scalar(c.sc, fc.Args[0], "")
	if err != nil {
		return nil, true, err
	}
	same := ExprKey(ts) == lw.timeKey
	for i, a := range fc.Args[1:] {
		iv, ok := unparen(a).(*parser.Interval)
		if !ok {
			same = false
			break
		}
		x, err := b.interval(iv)
		if err != nil {
			return nil, true, err
		}
		same = same && x.(*Literal).Value == any(lw.ivs[i])
	}
	if !same {
		return nil, true, b.errorf(fc.Span, "%s does not match the group window %s of the GROUP BY", b.text(fc.Span), b.text(lw.span))
	}
	pos, rowtime := lw.w.Start, false
	switch prop {
	case "END":
		pos = lw.w.End
	case "ROWTIME":
		pos, rowtime = lw.w.Time, true
	}
	return &InputRef{Index: pos, Name: c.agg.preNames[pos], T: propertyType(ts.Type(), rowtime), Pos: fc.Span}, true, nil
}
