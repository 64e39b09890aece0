package difftest

import (
	"fmt"
	"strings"
)

// The generator's time functions: EXTRACT and YEAR ... SECOND, FLOOR/CEIL ... TO,
// TIMESTAMPADD, TIMESTAMPDIFF, TO_TIMESTAMP_LTZ, DATE_FORMAT, FROM_UNIXTIME,
// UNIX_TIMESTAMP(s[, p]), TO_TIMESTAMP and TO_DATE. Their reference evaluation is in
// timeref.go (java.time and SimpleDateFormat re-derived from the Java sources). The
// clock, UNIX_TIMESTAMP(), has no value to compare; codegen's tests check it.

// timeExpr returns a time-function expression of class c, or nil.
func (g *Gen) timeExpr(s *scope, c class, d int) *Expr {
	switch c {
	case cInt:
		switch g.n(4) {
		case 0, 1:
			return g.extractExpr(s, d)
		case 2:
			return g.timestampDiffExpr(s, d)
		default:
			str := g.parseInput(s, d)
			if g.p(0.3) {
				return mkFn("UNIX_TIMESTAMP", tBig.orNull(str.T), str)
			}
			p := g.datePatternArg(s, pick(g, sdfParsePatterns))
			return mkFn("UNIX_TIMESTAMP", tBig.orNull(str.T, p.T), str, p)
		}
	case cString:
		if g.p(0.6) {
			return g.dateFormatExpr(s, d)
		}
		n := g.Expr(s, cInt, d)
		if g.p(0.3) {
			return mkFn("FROM_UNIXTIME", tString.null(true), n)
		}
		return mkFn("FROM_UNIXTIME", tString.null(true), n, g.datePatternArg(s, sdfFormatPattern(g)))
	case cTimestamp, cDate, cTime, cLTZ:
		switch g.n(3) {
		case 0:
			return g.floorCeilExpr(s, c, d)
		case 1:
			return g.timestampAddExpr(s, c, d)
		}
		str := g.parseInput(s, d)
		switch c {
		case cTimestamp:
			if g.p(0.3) {
				return mkFn("TO_TIMESTAMP", tTimestamp(3).null(true), str)
			}
			return mkFn("TO_TIMESTAMP", tTimestamp(3).null(true), str, g.datePatternArg(s, pick(g, dtfParsePatterns)))
		case cDate:
			if g.p(0.3) {
				return mkFn("TO_DATE", tDate.null(true), str)
			}
			return mkFn("TO_DATE", tDate.null(true), str, g.datePatternArg(s, pick(g, sdfParsePatterns)))
		case cLTZ:
			n := g.Expr(s, pick(g, []class{cInt, cInt, cDecimal, cApprox}), d)
			p := int64(pick(g, []int{0, 3}))
			return mkFn("TO_TIMESTAMP_LTZ", tLTZ(3).null(true), n, intLit(p))
		}
	}
	return nil
}

// datePatternArg is a pattern: mostly the constant, sometimes computed per row (a CASE the
// compiler cannot fold), so both ways of compiling patterns are tested.
func (g *Gen) datePatternArg(s *scope, p string) *Expr {
	lit := strLit(p)
	if g.p(0.8) {
		return lit
	}
	cond := g.Expr(s, cBool, 0)
	other := strLit(p + " ")
	t := Type{Kind: VarChar, P: max(lit.T.P, other.T.P)}
	return &Expr{Op: "case", Args: []*Expr{cond, other, lit}, T: t}
}

var extractUnitsOf = map[Kind][]string{
	Date:         {"YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "DOW", "ISODOW", "DOY", "ISOYEAR", "DECADE", "CENTURY", "MILLENNIUM", "EPOCH"},
	Time:         {"HOUR", "MINUTE", "SECOND", "MILLISECOND"},
	Timestamp:    {"YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "DOW", "ISODOW", "DOY", "ISOYEAR", "DECADE", "CENTURY", "MILLENNIUM", "HOUR", "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND", "NANOSECOND"},
	TimestampLTZ: {"YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "DOW", "ISODOW", "DOY", "ISOYEAR", "DECADE", "CENTURY", "MILLENNIUM", "HOUR", "MINUTE", "SECOND", "MILLISECOND", "MICROSECOND", "NANOSECOND", "EPOCH"},
}

// datePartFns are YEAR(x) ... SECOND(x) and the unit each extracts.
var datePartFns = [][2]string{
	{"YEAR", "YEAR"}, {"QUARTER", "QUARTER"}, {"MONTH", "MONTH"}, {"WEEK", "WEEK"}, {"DAYOFYEAR", "DOY"},
	{"DAYOFMONTH", "DAY"}, {"DAYOFWEEK", "DOW"}, {"HOUR", "HOUR"}, {"MINUTE", "MINUTE"}, {"SECOND", "SECOND"},
}

// extractExpr is EXTRACT(unit FROM x), or the date-part function of the unit.
func (g *Gen) extractExpr(s *scope, d int) *Expr {
	x := g.Expr(s, pick(g, []class{cDate, cTime, cTimestamp, cTimestamp, cLTZ}), d)
	unit := pick(g, extractUnitsOf[x.T.Kind])
	e := &Expr{Op: "extract", Name: unit, Args: []*Expr{x}, T: tBig.orNull(x.T)}
	if g.p(0.4) {
		for _, fu := range datePartFns {
			if fu[1] == unit {
				e.Spell = fu[0]
			}
		}
	}
	return e
}

var floorUnitsOf = map[class][]string{
	cTimestamp: {"MILLENNIUM", "CENTURY", "DECADE", "YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "HOUR", "MINUTE", "SECOND", "MILLISECOND"},
	cDate:      {"MILLENNIUM", "CENTURY", "DECADE", "YEAR", "QUARTER", "MONTH", "WEEK", "DAY"},
	cTime:      {"HOUR", "MINUTE", "SECOND", "MILLISECOND"},
}

func (g *Gen) floorCeilExpr(s *scope, c class, d int) *Expr {
	x := g.Expr(s, c, d)
	units := floorUnitsOf[c]
	if c == cLTZ {
		units = floorUnitsOf[cTimestamp]
	}
	return &Expr{Op: "floorto", Name: pick(g, []string{"FLOOR", "CEIL", "CEILING"}), Text: pick(g, units), Args: []*Expr{x}, T: x.T}
}

// timestampAddExpr is TIMESTAMPADD(unit, n, x) with a result of class c: a DATE with
// HOUR, MINUTE or SECOND makes a TIMESTAMP(6).
func (g *Gen) timestampAddExpr(s *scope, c class, d int) *Expr {
	n := g.smallIntExpr(s)
	var x *Expr
	var unit string
	t := Type{}
	switch c {
	case cTimestamp:
		if g.p(0.2) {
			x = g.Expr(s, cDate, d)
			unit = pick(g, []string{"HOUR", "MINUTE", "SECOND"})
			t = tTimestamp(6)
			break
		}
		fallthrough
	case cLTZ:
		x = g.Expr(s, c, d)
		unit = pick(g, []string{"YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "HOUR", "MINUTE", "SECOND", "MILLISECOND"})
		t = x.T
		if unit == "MILLISECOND" {
			t.P = max(t.P, 3)
		}
	case cDate:
		x = g.Expr(s, cDate, d)
		unit = pick(g, []string{"YEAR", "QUARTER", "MONTH", "WEEK", "DAY"})
		t = x.T
	case cTime:
		x = g.Expr(s, cTime, d)
		unit = pick(g, []string{"YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND", "MILLISECOND"})
		t = x.T
		if unit == "MILLISECOND" {
			t.P = max(t.P, 3)
		}
	}
	t.Nullable = x.T.Nullable || n.T.Nullable
	return &Expr{Op: "tsadd", Text: unit, Args: []*Expr{n, x}, T: t}
}

// smallIntExpr is an integer count for TIMESTAMPADD: a small literal, or a column modulo a
// small number, so that results stay in range.
func (g *Gen) smallIntExpr(s *scope) *Expr {
	if ls := s.of(cInt); len(ls) > 0 && g.p(0.5) {
		a := pick(g, ls)
		m := intLit(int64(1 + g.n(40)))
		t, _ := arithType("%", a.T, m.T)
		return &Expr{Op: "%", Args: []*Expr{a, m}, T: t}
	}
	v := int64(g.n(41) - 20)
	if v < 0 {
		return negate(intLit(-v))
	}
	return intLit(v)
}

func (g *Gen) timestampDiffExpr(s *scope, d int) *Expr {
	unit := pick(g, []string{"YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "HOUR", "MINUTE", "SECOND"})
	var a, b *Expr
	if g.p(0.2) {
		a, b = g.Expr(s, cLTZ, d), g.Expr(s, cLTZ, d)
	} else {
		a = g.Expr(s, pick(g, []class{cTimestamp, cTimestamp, cDate}), d)
		b = g.Expr(s, pick(g, []class{cTimestamp, cTimestamp, cDate}), d)
	}
	return &Expr{Op: "tsdiff", Text: unit, Args: []*Expr{a, b}, T: tInt.orNull(a.T, b.T)}
}

// dateFormatExpr is DATE_FORMAT of a TIMESTAMP or TIMESTAMP_LTZ (java.time patterns), a
// DATE or a string (SimpleDateFormat patterns).
func (g *Gen) dateFormatExpr(s *scope, d int) *Expr {
	var x *Expr
	var p string
	switch g.n(5) {
	case 0, 1:
		x, p = g.Expr(s, cTimestamp, d), dtfFormatPattern(g)
	case 2:
		x, p = g.Expr(s, cLTZ, d), dtfFormatPattern(g)
	case 3:
		x, p = g.Expr(s, cDate, d), sdfFormatPattern(g)
	default:
		x, p = g.parseInput(s, d), sdfFormatPattern(g)
	}
	return mkFn("DATE_FORMAT", tString.null(true), x, g.datePatternArg(s, p))
}

// dateTexts are strings the parsing functions read: Flink's documented examples, edge
// cases of the lenient and strict parsers, and garbage.
var dateTexts = []string{
	"2020-02-30 12:00:00", " 1999-9-10 05:20:10 ", "2021-13-01", "20200101120000", "2020-01-01",
	"Jan 5, 2020", "2020-01-01 24:00:00", "01/02/2020 03:04", "2020-01-01T10:20", "15.03.2021 08:30",
	"1970-01-01 08:00:01.001 +0800", "2018-03-14 01:02:03.123", "abc", "", "2018-3-4 1:2:3",
	"2000-02-29 23:59:59", "1969-12-31 23:59:59.999", "20180314", "2018-03-14 25:61:61",
}

// parseInput is a string for the parsing functions: the text of a timestamp or date
// (CAST or DATE_FORMAT with a parse pattern, so it parses back), a date text, or any
// string.
func (g *Gen) parseInput(s *scope, d int) *Expr {
	switch g.n(5) {
	case 0:
		x := g.Expr(s, pick(g, []class{cTimestamp, cDate}), 0)
		return &Expr{Op: "cast", Args: []*Expr{x}, To: tString, T: tString.orNull(x.T)}
	case 1:
		x := g.Expr(s, cTimestamp, 0)
		p := pick(g, append(append([]string{}, sdfParsePatterns...), dtfParsePatterns...))
		return mkFn("DATE_FORMAT", tString.null(true), x, strLit(p))
	case 2, 3:
		return strLit(pick(g, dateTexts))
	}
	return g.Expr(s, cString, d)
}

// The patterns parsing functions are given: SimpleDateFormat's for UNIX_TIMESTAMP and
// TO_DATE, java.time's for TO_TIMESTAMP. The formats DATE_FORMAT is given are built of
// random pattern letters.
var (
	sdfParsePatterns = []string{"yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd", "yyyyMMdd", "dd/MM/yyyy HH:mm",
		"yyyy-MM-dd HH:mm:ss.SSS", "yyyyMMddHHmmss", "MMM d, yyyy", "yyyy-MM-dd'T'HH:mm", "dd.MM.yyyy HH:mm"}
	dtfParsePatterns = []string{"yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd", "yyyyMMddHHmmss", "dd.MM.yyyy HH:mm",
		"yyyy-MM-dd HH:mm:ss.SSS", "yyyy-MM-dd'T'HH:mm", "MMM d, yyyy", "dd/MM/yyyy HH:mm", "yyyyMMdd"}
	dtfTokens = []string{"yyyy", "yy", "y", "uuuu", "yyyyy", "MM", "M", "MMM", "MMMM", "MMMMM", "dd", "d",
		"D", "DDD", "HH", "H", "hh", "h", "kk", "K", "mm", "m", "ss", "s", "S", "SSS", "SSSSSS",
		"SSSSSSSSS", "a", "E", "EEEE", "EEEEE", "e", "c", "Q", "QQQ", "QQQQ", "G", "GGGG", "w", "ww", "W",
		"Y", "YYYY", "YY", "F", "n", "A", "N", "g", "L", "LLL"}
	sdfTokens = []string{"yyyy", "yy", "y", "yyyyy", "MM", "M", "MMM", "MMMM", "dd", "d", "D", "DDD", "E",
		"EEEE", "u", "F", "w", "W", "a", "H", "HH", "k", "K", "h", "hh", "m", "mm", "s", "ss", "S", "SSS",
		"G", "z", "zzzz", "Z", "X", "XXX", "Y", "YY", "L"}
	literalTokens = []string{"-", "/", " ", ":", ".", ", ", "'T'", "''", "'at' ", "'o''clock'", "日"}
)

// randomPattern joins 1..5 tokens, with a space between two that would merge into one
// run of a letter.
func randomPattern(g *Gen, tokens, extra []string) string {
	var b strings.Builder
	last := byte(0)
	for range 1 + g.n(5) {
		var t string
		switch {
		case g.p(0.35):
			t = pick(g, literalTokens)
		case len(extra) > 0 && g.p(0.1):
			t = pick(g, extra)
		default:
			t = pick(g, tokens)
		}
		if last != 0 && t[0] == last {
			b.WriteByte(' ')
		}
		b.WriteString(t)
		last = t[len(t)-1]
	}
	return b.String()
}

func dtfFormatPattern(g *Gen) string {
	if g.p(0.2) {
		return pick(g, dtfParsePatterns)
	}
	return randomPattern(g, dtfTokens, []string{"[XXX]", "[ VV]", "[yyyy]"})
}

func sdfFormatPattern(g *Gen) string {
	if g.p(0.2) {
		return pick(g, sdfParsePatterns)
	}
	return randomPattern(g, sdfTokens, nil)
}

// timeSQL renders the time operators with their SQL syntax.
func (e *Expr) timeSQL() (string, bool) {
	a := func(i int) string { return e.Args[i].SQL() }
	switch e.Op {
	case "extract":
		if e.Spell != "" {
			return e.Spell + "(" + a(0) + ")", true
		}
		return "EXTRACT(" + e.Name + " FROM " + a(0) + ")", true
	case "floorto":
		return e.Name + "(" + a(0) + " TO " + e.Text + ")", true
	case "tsadd":
		return fmt.Sprintf("TIMESTAMPADD(%s, %s, %s)", e.Text, a(0), a(1)), true
	case "tsdiff":
		return fmt.Sprintf("TIMESTAMPDIFF(%s, %s, %s)", e.Text, a(0), a(1)), true
	}
	return "", false
}
