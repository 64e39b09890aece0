package difftest

import (
	"database/sql"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the jdbc sinks' tables are read back with the same driver
)

// The jdbc sinks: an aggregate or DISTINCT query whose unique key is among its columns
// is also written into a SQLite table (Flink 1.10's JDBC upsert on the query's unique
// key), and the table it leaves is compared with the reference's rows.

// jdbcEligible reports whether a query has a unique key made of its own columns: every
// GROUP BY key selected as it is, or DISTINCT.
//
// A FLOAT/DOUBLE key column is left out: the database compares keys its own way
// (-0.0 = 0.0, NaN stored as NULL), so two of Flink's keys can meet in one row.
func jdbcEligible(q Query) bool {
	s, ok := q.(*Select)
	if !ok {
		return false
	}
	if s.Distinct && !s.isAgg() {
		for _, c := range s.Schema() {
			if c.T.Kind.isApprox() {
				return false
			}
		}
		return true
	}
	for _, k := range s.GroupBy {
		if k.T.Kind.isApprox() {
			return false
		}
	}
	if len(s.GroupBy) == 0 || s.Distinct {
		return false
	}
	have := map[int]bool{}
	for _, e := range s.Items {
		if e.Op == "keyref" {
			have[e.Ref] = true
		}
	}
	return len(have) == len(s.GroupBy)
}

func (it *item) jdbcTable() string { return fmt.Sprintf("j%d", it.index) }

// readJDBC reads every jdbc sink's table of a run, as sorted canonical lines per item.
func readJDBC(path string, items []*item) (map[string][]string, error) {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	out := map[string][]string{}
	for _, it := range items {
		if !it.jdbc {
			continue
		}
		rows, err := db.Query("SELECT * FROM " + it.jdbcTable())
		if err != nil {
			if strings.Contains(err.Error(), "no such table") {
				out[it.jdbcTable()] = nil // nothing was ever written
				continue
			}
			return nil, err
		}
		n := len(it.q.Schema())
		var lines []string
		for rows.Next() {
			vals := make([]any, n)
			ptrs := make([]any, n)
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, err
			}
			parts := make([]string, n)
			for i, v := range vals {
				parts[i] = sqliteText(v)
			}
			lines = append(lines, "["+strings.Join(parts, ", ")+"]")
		}
		rows.Close()
		sort.Strings(lines)
		out[it.jdbcTable()] = lines
	}
	return out, nil
}

// sqliteText is a value read from SQLite as text to compare.
func sqliteText(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		if v == 0 {
			return "0"
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	case string:
		return v
	case []byte:
		return fmt.Sprint([]byte(v))
	}
	return fmt.Sprint(v)
}

// sqliteForm is the reference's value as the SQLite sink stores it (runtimelib/sqlite's
// documented mapping, written again): integers and BOOLEAN as INTEGER, FLOAT and DOUBLE
// as REAL (NaN is NULL in SQLite), DECIMAL as its plain digits, times as Flink's SQL
// text, BINARY as a BLOB.
func sqliteForm(v Value, t Type) string {
	if v.Null {
		return "null"
	}
	switch t.Kind {
	case Boolean, TinyInt, SmallInt, Int, BigInt:
		return strconv.FormatInt(v.I, 10)
	case Float, Double:
		if math.IsNaN(v.F) {
			return "null"
		}
		if v.F == 0 {
			return "0" // SQLite keeps no -0.0
		}
		f := v.F
		if t.Kind == Float && !math.IsInf(f, 0) {
			// The sink stores a FLOAT's shortest decimal (0.1), not its widening.
			f, _ = strconv.ParseFloat(strconv.FormatFloat(f, 'g', -1, 32), 64)
		}
		return strconv.FormatFloat(f, 'g', -1, 64)
	case Decimal:
		return bigDecimalPlain(v.D, t.S)
	case Char, VarChar:
		return v.S
	case Binary, VarBinary:
		return fmt.Sprint([]byte(v.S))
	case Date:
		return time.UnixMilli(v.I * 86400000).UTC().Format("2006-01-02")
	case Time:
		s := time.UnixMilli(v.I).UTC().Format("15:04:05")
		if t.P > 0 {
			s += "." + fmt.Sprintf("%03d", v.I%1000)[:min(t.P, 3)]
		}
		return s
	}
	// TIMESTAMP, TIMESTAMP_LTZ: "yyyy-MM-dd HH:mm:ss" and the fraction to the precision.
	s := time.UnixMilli(v.I).UTC().Format("2006-01-02 15:04:05")
	if t.P > 0 {
		s += "." + fmt.Sprintf("%03d%06d", ((v.I%1000)+1000)%1000, v.N)[:t.P]
	}
	return s
}

// checkJDBC compares a jdbc sink's table with the expected rows.
func checkJDBC(it *item, got []string) string {
	cols := it.q.Schema()
	want := make([]string, len(it.want))
	for i, r := range it.want {
		parts := make([]string, len(r))
		for j, v := range r {
			parts[j] = sqliteForm(v, cols[j].T)
		}
		want[i] = "[" + strings.Join(parts, ", ") + "]"
	}
	sort.Strings(want)
	if slices.Equal(got, want) || approxEqualLines(got, want, cols) {
		return ""
	}
	return "jdbc table " + it.jdbcTable() + ":\n" + diffLines(want, got)
}
