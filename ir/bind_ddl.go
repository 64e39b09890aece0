package ir

import (
	"slices"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/parser"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
)

func (b *binder) createTable(s *parser.CreateTable) *bindError {
	if s.Like != nil {
		return b.errorf(s.Like.Span, "CREATE TABLE ... LIKE is not supported yet")
	}
	name, err := b.objectName(s.Name)
	if err != nil {
		return err
	}
	if b.broken[name] {
		return errReported
	}
	if b.nameTaken(name) {
		if s.IfNotExists {
			return nil
		}
		return b.errorf(s.Name.Span, "table or view %q already exists", name)
	}
	t := &Table{Name: name, Temporary: s.Temporary, Span: s.Span, Source: b.src}
	var errs []*bindError
	fail := func(e *bindError) {
		if e != nil {
			errs = append(errs, e)
		}
	}
	seen := map[string]bool{}
	for _, cd := range s.Columns {
		if seen[cd.Name.Name] {
			fail(b.errorf(cd.Name.Span, "column %q is declared twice in table %q", cd.Name.Name, name))
			continue
		}
		seen[cd.Name.Name] = true
		col := &Column{Name: cd.Name.Name, Span: cd.Span}
		switch cd.Kind {
		case parser.PhysicalColumn:
			col.Kind = Physical
		case parser.MetadataColumn:
			col.Kind = Metadata
			col.MetadataKey = cd.Name.Name
			if cd.MetadataKey != nil {
				col.MetadataKey = cd.MetadataKey.Value
			}
			col.Virtual = cd.Virtual
		case parser.ComputedColumn:
			col.Kind = Computed
		}
		if cd.Kind != parser.ComputedColumn {
			typ, terr := b.typeOf(cd.Type)
			if terr != nil {
				fail(terr)
				continue
			}
			col.Type = typ
		}
		t.Columns = append(t.Columns, col)
	}
	// Computed columns are bound over the physical and metadata columns, in table order
	// (the row a full Scan produces); they cannot refer to each other.
	var stored []Field
	for _, c := range t.Columns {
		if c.Kind != Computed {
			stored = append(stored, Field{Name: c.Name, Type: c.Type})
		}
	}
	for _, cd := range s.Columns {
		if cd.Kind != parser.ComputedColumn {
			continue
		}
		i := t.Column(cd.Name.Name)
		if i < 0 {
			continue
		}
		sc := &scope{}
		sc.addFields(name, stored)
		e, eerr := b.scalar(sc, cd.Expr, "computed columns")
		if eerr != nil {
			fail(eerr)
			t.Columns[i].Type = Type{Kind: KindNull, Nullable: true}
			continue
		}
		if e.Type().Kind == KindNull {
			fail(b.errorf(cd.Expr.ExprSpan(), "a NULL without a type cannot be a column; use CAST(NULL AS <type>)"))
			continue
		}
		t.Columns[i].Expr = e
		t.Columns[i].Type = e.Type()
	}
	// primary key
	var pkCols []parser.Ident
	if s.PrimaryKey != nil {
		if !s.PrimaryKey.NotEnforced {
			fail(b.errorf(s.PrimaryKey.Span, "Flink doesn't support ENFORCED mode for PRIMARY KEY constraint. ENFORCED/NOT ENFORCED controls if the constraint checks are performed on the incoming/outgoing data. Flink does not own the data therefore the only supported mode is the NOT ENFORCED mode"))
		}
		pkCols = s.PrimaryKey.Columns
	}
	// An inline "c TYPE PRIMARY KEY NOT ENFORCED" is folded into s.PrimaryKey by the
	// parser, which also reports a second key.
	for _, id := range pkCols {
		i := t.Column(id.Name)
		switch {
		case i < 0:
			fail(b.errorf(id.Span, "primary key column %q is not a column of table %q%s", id.Name, name, suggest(id.Name, columnNames(t))))
		case t.Columns[i].Kind != Physical:
			fail(b.errorf(id.Span, "primary key column %q must be a physical column", id.Name))
		default:
			t.PrimaryKey = append(t.PrimaryKey, i)
			// Flink: primary key columns are NOT NULL
			t.Columns[i].Type = t.Columns[i].Type.NotNull()
		}
	}
	// PARTITIONED BY: physical columns, as Flink's catalog requires.
	for _, id := range s.PartitionedBy {
		i := t.Column(id.Name)
		switch {
		case i < 0:
			fail(b.errorf(id.Span, "Partition column '%s' not defined in the table schema. Available columns: ['%s']", id.Name, strings.Join(columnNames(t), "', '")))
		case t.Columns[i].Kind != Physical:
			fail(b.errorf(id.Span, "partition column '%s' must be a physical column", id.Name))
		case slices.Contains(t.PartitionKeys, i):
			fail(b.errorf(id.Span, "partition column '%s' is listed twice", id.Name))
		default:
			t.PartitionKeys = append(t.PartitionKeys, i)
		}
	}
	// watermark
	if s.Watermark != nil {
		fail(b.watermark(t, s.Watermark))
	}
	// options
	for _, o := range s.Options {
		if o.Key == nil || o.Value == nil {
			continue
		}
		t.Options = append(t.Options, Option{Key: o.Key.Value, Value: o.Value.Value, KeySpan: o.Key.Span, ValueSpan: o.Value.Span})
	}
	b.applyDefines(t)
	fail(b.resolveOptions(t, s))
	if len(errs) > 0 {
		for _, e := range errs[1:] {
			b.report(e)
		}
		// remember the name so that later statements do not cascade errors
		b.broken[name] = true
		return errs[0]
	}
	b.tables[name] = t
	b.cat.Tables = append(b.cat.Tables, t)
	return nil
}

func (b *binder) watermark(t *Table, w *parser.WatermarkDef) *bindError {
	if len(w.Column.Parts) != 1 {
		return b.errorf(w.Column.Span, "nested rowtime attributes are not supported yet")
	}
	i := t.Column(w.Column.Parts[0].Name)
	if i < 0 {
		return b.errorf(w.Column.Span, "watermark column %q is not a column of table %q%s", w.Column.Parts[0].Name, t.Name, suggest(w.Column.Parts[0].Name, columnNames(t)))
	}
	ct := t.Columns[i].Type
	if ct.Kind != KindTimestamp && ct.Kind != KindTimestampLTZ || ct.Precision > 3 {
		return b.errorf(w.Column.Span, "invalid data type of time field for watermark definition: the field must be of type TIMESTAMP(p) or TIMESTAMP_LTZ(p), the supported precision 'p' is from 0 to 3, but the time field type is %s", ct)
	}
	sc := &scope{}
	fields := make([]Field, len(t.Columns))
	for j, c := range t.Columns {
		fields[j] = Field{Name: c.Name, Type: c.Type}
	}
	sc.addFields(t.Name, fields)
	e, err := b.scalar(sc, w.Expr, "watermark expressions")
	if err != nil {
		return err
	}
	// Flink (DefaultSchemaResolver) asks the same of the expression as of the column, not
	// the column's own type: TIMESTAMP_LTZ(3) for a TIMESTAMP(3) column is fine, as both
	// are an instant in milliseconds here (jobs run in UTC).
	if et := e.Type(); et.Kind != KindTimestamp && et.Kind != KindTimestampLTZ || et.Precision > 3 {
		return b.errorf(w.Expr.ExprSpan(), "invalid data type of expression for watermark definition: the field must be of type TIMESTAMP(p) or TIMESTAMP_LTZ(p), the supported precision 'p' is from 0 to 3, but the watermark expression type is %s", et)
	}
	t.Watermark = &Watermark{Column: i, Expr: e}
	return nil
}

// resolveOptions validates the WITH clause with runtimelib/options and sets
// t.Connector. Each problem is positioned at the key as written; a missing option at
// the WITH clause (or the table name when there is none).
func (b *binder) resolveOptions(t *Table, s *parser.CreateTable) *bindError {
	kvs := make([]options.KV, len(t.Options))
	for i, o := range t.Options {
		kvs[i] = options.KV{Key: o.Key, Value: o.Value}
	}
	res, probs := options.Resolve(t.Name, kvs)
	if res != nil {
		t.Connector = res.Connector
	}
	var first *bindError
	for _, p := range probs {
		span := s.Name.Span
		if len(s.Options) > 0 {
			span = diag.Join(s.Options[0].Span, s.Options[len(s.Options)-1].Span)
			span = diag.Span{Start: span.Start, End: span.Start + 1}
		}
		msg := p.Msg
		if p.Key != "" {
			for _, o := range t.Options {
				if o.Key == p.Key {
					span = o.KeySpan
					if o.Define != "" {
						msg = o.Define + ": " + msg
					}
					break
				}
			}
		}
		e := b.errorf(span, "%s", msg)
		if first == nil {
			first = e
		} else {
			b.report(e)
		}
	}
	return first
}

func columnNames(t *Table) []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Name
	}
	return out
}

// typeOf converts a type as written into a Type. Defaults follow Flink SQL DDL:
// VARCHAR and VARBINARY without length are STRING and BYTES (Calcite's default
// precision in Flink's type system), CHAR and BINARY are of length 1, DECIMAL is
// DECIMAL(10, 0), TIME is TIME(0), TIMESTAMP and TIMESTAMP_LTZ are of precision 6.
func (b *binder) typeOf(tn *parser.TypeName) (Type, *bindError) {
	if tn == nil {
		return Type{}, b.errorf(diag.Span{}, "missing type")
	}
	param := func(i, def int) int {
		if i < len(tn.Params) {
			return tn.Params[i]
		}
		return def
	}
	tooMany := func(n int) *bindError {
		if len(tn.Params) > n {
			return b.errorf(tn.Span, "type %s takes at most %d parameters", tn.Name, n)
		}
		return nil
	}
	var t Type
	switch tn.Name {
	case "BOOLEAN":
		t = Type{Kind: KindBoolean}
	case "TINYINT":
		t = Type{Kind: KindTinyInt}
	case "SMALLINT":
		t = Type{Kind: KindSmallInt}
	case "INT", "INTEGER":
		t = Type{Kind: KindInt}
	case "BIGINT":
		t = Type{Kind: KindBigInt}
	case "FLOAT":
		t = Type{Kind: KindFloat}
	case "DOUBLE":
		t = Type{Kind: KindDouble}
	case "DECIMAL", "DEC", "NUMERIC":
		if e := tooMany(2); e != nil {
			return t, e
		}
		p, s := param(0, 10), param(1, 0)
		if p < 1 || p > maxDecimalPrecision {
			return t, b.errorf(tn.Span, "decimal precision must be between 1 and 38 (both inclusive), got %d", p)
		}
		if s < 0 || s > p {
			return t, b.errorf(tn.Span, "decimal scale must be between 0 and the precision %d (both inclusive), got %d", p, s)
		}
		t = Type{Kind: KindDecimal, Precision: p, Scale: s}
	case "CHAR", "VARCHAR", "BINARY", "VARBINARY":
		if e := tooMany(1); e != nil {
			return t, e
		}
		kinds := map[string]Kind{"CHAR": KindChar, "VARCHAR": KindVarchar, "BINARY": KindBinary, "VARBINARY": KindVarbinary}
		def := 1
		if tn.Name == "VARCHAR" || tn.Name == "VARBINARY" {
			def = MaxLength
		}
		n := param(0, def)
		if n < 1 {
			return t, b.errorf(tn.Span, "%s length must be between 1 and %d (both inclusive), got %d", tn.Name, MaxLength, n)
		}
		t = Type{Kind: kinds[tn.Name], Length: n}
	case "STRING":
		t = Type{Kind: KindVarchar, Length: MaxLength}
	case "BYTES":
		t = Type{Kind: KindVarbinary, Length: MaxLength}
	case "DATE":
		t = Type{Kind: KindDate}
	case "TIME", "TIMESTAMP", "TIMESTAMP_LTZ":
		if e := tooMany(1); e != nil {
			return t, e
		}
		kinds := map[string]Kind{"TIME": KindTime, "TIMESTAMP": KindTimestamp, "TIMESTAMP_LTZ": KindTimestampLTZ}
		def := 6
		if tn.Name == "TIME" {
			def = 0
		}
		p := param(0, def)
		if p < 0 || p > 9 {
			return t, b.errorf(tn.Span, "%s precision must be between 0 and 9 (both inclusive), got %d", tn.Name, p)
		}
		t = Type{Kind: kinds[tn.Name], Precision: p}
	case "INTERVAL":
		u := strings.ToUpper(tn.IntervalUnit)
		if strings.Contains(u, "YEAR") || strings.Contains(u, "MONTH") {
			t = Type{Kind: KindIntervalYearMonth}
		} else {
			t = Type{Kind: KindIntervalDayTime, Precision: 3}
		}
	case "ROW":
		seen := map[string]bool{}
		for _, f := range tn.Fields {
			if seen[f.Name.Name] {
				return t, b.errorf(f.Name.Span, "field %q is declared twice in ROW type", f.Name.Name)
			}
			seen[f.Name.Name] = true
			ft, err := b.typeOf(f.Type)
			if err != nil {
				return t, err
			}
			t.Fields = append(t.Fields, Field{Name: f.Name.Name, Type: ft})
		}
		t.Kind = KindRow
	case "ARRAY", "MULTISET":
		et, err := b.typeOf(tn.Elem)
		if err != nil {
			return t, err
		}
		t = Type{Kind: KindArray, Elem: &et}
		if tn.Name == "MULTISET" {
			t.Kind = KindMultiset
		}
	case "MAP":
		kt, err := b.typeOf(tn.Elem)
		if err != nil {
			return t, err
		}
		vt, err := b.typeOf(tn.Value)
		if err != nil {
			return t, err
		}
		t = Type{Kind: KindMap, Elem: &kt, Value: &vt}
	default:
		return t, b.errorf(tn.Span, "unknown type %s", tn.Name)
	}
	t.Nullable = !tn.NotNull
	return t, nil
}
