package difftest

import (
	"encoding/base64"
	"fmt"
	"math"
	"math/big"
	mrand "math/rand"
	"strings"
	"time"
)

// The schema of every source table: each scalar type, every column nullable.
var sourceCols = []Column{
	{"k", tInt.null(true)},
	{"g", tString.null(true)},
	{"ti", tTiny.null(true)},
	{"si", tSmall.null(true)},
	{"i", tInt.null(true)},
	{"b", tBig.null(true)},
	{"f", tFloat.null(true)},
	{"d", tDouble.null(true)},
	{"dc", tDec(10, 2).null(true)},
	{"dw", tDec(20, 6).null(true)},
	{"s", tString.null(true)},
	{"bs", tBytes.null(true)},
	{"dt", tDate.null(true)},
	{"tm", tTime(0).null(true)},
	{"ts", tTimestamp(3).null(true)},
	{"ts6", tTimestamp(6).null(true)},
	{"lz", tLTZ(3).null(true)},
	{"bo", tBool.null(true)},
}

// texts are the strings data and literals draw from: ASCII, spaces, and the characters
// whose case mappings or encodings differ between languages. No commas (rows are
// compared field by field).
var texts = []string{"a", "b", "ab", "Ab", " a ", "x y", "", "é", "ß", "straße", "Σ", "ΣΑΣ", "ὈΔΥΣΣΕΎΣ", "İ", "ǅ", "日本", "😀x", "a%b", "_"}

// NewDB makes n rows for each of the tables t1 and t2.
func (g *Gen) NewDB(n int) *DB {
	db := &DB{Tables: map[string]*Table{}}
	for _, name := range []string{"t1", "t2"} {
		t := &Table{Name: name, Cols: sourceCols}
		for range n {
			r := make(Row, len(sourceCols))
			for i, c := range sourceCols {
				r[i] = g.dataValue(c.Name, c.T)
			}
			t.Data = append(t.Data, r)
		}
		db.Tables[name] = t
	}
	return db
}

func (g *Gen) dataValue(col string, t Type) Value {
	if g.p(0.12) {
		return nullValue
	}
	switch col {
	case "k":
		return Value{I: int64(g.n(4))}
	case "g":
		return Value{S: pick(g, []string{"x", "y", "ß", "Σ"})}
	}
	return g.randomValue(t)
}

// randomValue is a value of type t, drawn to hit the edges: bounds, zeros, NaN and
// infinities, rounding points, dates before 1970.
func (g *Gen) randomValue(t Type) Value {
	switch t.Kind {
	case Boolean:
		return boolValue(g.p(0.5))
	case TinyInt, SmallInt, Int, BigInt:
		bits := t.Kind.intBits()
		lo, hi := -int64(1)<<(bits-1), int64(1)<<(bits-1)-1
		if bits == 64 {
			lo, hi = math.MinInt64, math.MaxInt64
		}
		switch g.n(6) {
		case 0:
			return Value{I: pick(g, []int64{lo, hi, 0, -1, 1, lo + 1, hi - 1})}
		case 1:
			return Value{I: wrapInt(g.r.Int64(), t.Kind)}
		}
		return Value{I: int64(g.n(41) - 20)}
	case Float:
		return Value{F: float64(float32(g.randomFloat()))}
	case Double:
		return Value{F: g.randomFloat()}
	case Decimal:
		u := new(big.Int)
		switch g.n(4) {
		case 0:
			u.Sub(pow10(t.P), big.NewInt(1)) // the largest value of the precision
			if g.p(0.5) {
				u.Neg(u)
			}
		case 1:
			u.SetInt64(int64(g.n(2001) - 1000))
		default:
			u.Rand(mrand.New(mrand.NewSource(g.r.Int64())), pow10(t.P))
			if g.p(0.3) {
				u.Neg(u)
			}
		}
		return Value{D: u}
	case Char, VarChar:
		return Value{S: pick(g, texts)}
	case Binary, VarBinary:
		b := make([]byte, g.n(5))
		for i := range b {
			b[i] = byte(g.n(256))
		}
		return Value{S: string(b)}
	case Date:
		return Value{I: int64(g.n(80000) - 30000)}
	case Time:
		return Value{I: int64(g.n(86400)) * 1000}
	case Timestamp, TimestampLTZ:
		ms := int64(g.n(4_000_000_000)-1_000_000_000) * 1000
		ms += int64(g.n(1000))
		if g.p(0.3) {
			ms -= ms % 1000
		}
		n := int32(0)
		if t.P > 3 { // sub-millisecond digits up to the precision
			unit := int32(1)
			for range 9 - t.P {
				unit *= 10
			}
			n = int32(g.n(1_000_000)) / unit * unit
		}
		return Value{I: ms, N: n}
	}
	panic("difftest: no random value of " + t.String())
}

func (g *Gen) randomFloat() float64 {
	switch g.n(8) {
	case 0:
		return pick(g, []float64{math.NaN(), math.Inf(1), math.Inf(-1), math.Copysign(0, -1), 0, 1e300, -1e-300, 4.9e-324, 0.1, 1e7, 1e-3, 9999999.5})
	case 1:
		return g.r.NormFloat64() * 1e6
	}
	return float64(g.n(81)-40) / 4 // exact in binary: sums do not depend on order
}

// csvField is a value as Flink's csv format reads it ('csv.null-literal' = '\N').
func csvField(v Value, t Type) string {
	if v.Null {
		return `\N`
	}
	switch t.Kind {
	case Float:
		return javaFloat(float32(v.F))
	case Double:
		return javaDouble(v.F)
	case Decimal:
		return bigDecimalPlain(v.D, t.S)
	case Char, VarChar:
		if strings.ContainsAny(v.S, "\",\n") || v.S == "" {
			return `"` + strings.ReplaceAll(v.S, `"`, `""`) + `"`
		}
		return v.S
	case Binary, VarBinary:
		return base64.StdEncoding.EncodeToString([]byte(v.S))
	case Date:
		return time.UnixMilli(v.I * 86400000).UTC().Format("2006-01-02")
	case Time:
		return time.UnixMilli(v.I).UTC().Format("15:04:05")
	case Timestamp, TimestampLTZ:
		s := time.UnixMilli(v.I).UTC().Format("2006-01-02 15:04:05")
		frac := fmt.Sprintf("%03d%06d", ((v.I%1000)+1000)%1000, v.N)[:t.P]
		if t.P > 0 {
			s += "." + frac
		}
		if t.Kind == TimestampLTZ {
			s += "Z" // Flink's SQL_TIMESTAMP_WITH_LOCAL_TIMEZONE_FORMAT
		}
		return s
	case Boolean:
		if v.I == 1 {
			return "true"
		}
		return "false"
	}
	return fmt.Sprint(v.I)
}

// CSV renders a table's rows in k files' worth of lines (each file a split).
func (t *Table) CSV(files int) []string {
	out := make([]string, files)
	for i, r := range t.Data {
		var b strings.Builder
		for j, v := range r {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(csvField(v, t.Cols[j].T))
		}
		b.WriteByte('\n')
		out[i*files/len(t.Data)] += b.String()
	}
	return out
}
