package codegen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
)

// scanColumn is one column a Scan produces, with its position in the connector's row.
type scanColumn struct {
	col  *ir.Column
	phys int // index among the table's physical columns (CSV field, datagen column)
	pos  int // index in the Scan's output row
	// path is the nested field of a ROW column the scan reads (nil: the whole column),
	// typ the scan column's type (the field's, for a path).
	path []int
	typ  ir.Type
	// Where the column is in the row of the format that decodes it (messagePart):
	field int    // CSV field index
	name  string // JSON member name
}

// scanColumns resolves the columns a Scan lists: the physical ones the format decodes
// and the metadata ones the batch carries (only where the connector has them).
func (g *gen) scanColumns(scan *ir.Scan, metaKeys map[string]bool) (phys, meta []scanColumn, ok bool) {
	t := scan.Table
	physIdx := map[int]int{}
	for i, c := range t.Columns {
		if c.Kind == ir.Physical {
			physIdx[i] = len(physIdx)
		}
	}
	ok = true
	for pos, ci := range scan.Columns {
		if ci < 0 || ci >= len(t.Columns) {
			g.errorf(scan.Pos, "internal error: scan column %d out of range", ci)
			return nil, nil, false
		}
		c := t.Columns[ci]
		typ := scan.Field(pos).Type
		if _, tok := goType(typ); !tok {
			g.errorf(c.Span, "reading a column of type %s is not supported by the code generator yet", typ)
			ok = false
			continue
		}
		switch {
		case c.Kind == ir.Physical:
			phys = append(phys, scanColumn{col: c, phys: physIdx[ci], pos: pos, path: scan.Path(pos), typ: typ})
		case c.Kind == ir.Metadata && metaKeys[metadataKey(c)]:
			meta = append(meta, scanColumn{col: c, pos: pos})
		case c.Kind == ir.Metadata:
			g.errorf(c.Span, "metadata '%s' of connector '%s' is not supported by the code generator yet", metadataKey(c), t.Connector)
			ok = false
		default:
			g.errorf(c.Span, "reading computed column %s in a scan is not supported by the code generator yet", c.Name)
			ok = false
		}
	}
	return phys, meta, ok
}

func metadataKey(c *ir.Column) string {
	if c.MetadataKey != "" {
		return c.MetadataKey
	}
	return c.Name
}

// kafkaMetadata are the metadata keys of the Kafka source that generated code reads
// from the batch.
var kafkaMetadata = map[string]bool{"offset": true, "partition": true, "timestamp": true, "topic": true}

// metadataValues emits the metadata columns of record r from the batch.
//
//	offset := b.Offset[r]
//	ts := types.Timestamp{Millis: b.Timestamp[r]}
func (g *gen) metadataValues(f *fn, metas []scanColumn, row []value) {
	for _, c := range metas {
		key := metadataKey(c.col)
		var raw value
		switch key {
		case "offset":
			raw = value{t: ir.BigInt().NotNull(), vc: jen.Id("b").Dot("Offset").Index(jen.Id("r"))}
		case "partition":
			raw = value{t: ir.Int().NotNull(), vc: jen.Id("b").Dot("Partition").Index(jen.Id("r"))}
		case "timestamp":
			raw = value{t: ir.TimestampLTZ(3).NotNull(), vc: jen.Qual(pkgTypes, "Timestamp").Add(composite(false,
				kv("Millis", jen.Id("b").Dot("Timestamp").Index(jen.Id("r")))))}
		case "topic":
			raw = value{t: ir.String().NotNull(), vc: jen.Id("b").Dot("Origin")}
		}
		f.emit(g.comment(fmt.Sprintf("%s %s METADATA FROM '%s'", c.col.Name, c.col.Type, key), c.col.Span))
		v := f.convert(raw, c.col.Type, c.col.Span)
		if v.vl == nil {
			v = value{t: v.t, vl: f.define(c.col.Name, v.V())}
		}
		row[c.pos] = v
	}
}

// parseBytes renders the runtime call that parses field bytes fv as type t, returning
// (value, ok); nil when the type has no text parser yet. Strings need no parsing.
func parseBytes(t ir.Type, fv jen.Code) jen.Code {
	switch t.Kind {
	case ir.KindBoolean:
		return jen.Qual(pkgTypes, "ParseBool").Call(fv)
	case ir.KindTinyInt:
		return jen.Qual(pkgTypes, "ParseInt8").Call(fv)
	case ir.KindSmallInt:
		return jen.Qual(pkgTypes, "ParseInt16").Call(fv)
	case ir.KindInt:
		return jen.Qual(pkgTypes, "ParseInt32").Call(fv)
	case ir.KindBigInt:
		return jen.Qual(pkgTypes, "ParseInt64").Call(fv)
	case ir.KindFloat:
		return jen.Qual(pkgTypes, "ParseFloat32").Call(fv)
	case ir.KindDouble:
		return jen.Qual(pkgTypes, "ParseFloat64").Call(fv)
	case ir.KindDecimal:
		return jen.Qual(pkgTypes, "ParseDecimal").Call(fv, jen.Lit(t.Precision), jen.Lit(t.Scale))
	case ir.KindDate:
		return jen.Qual(pkgTypes, "ParseDate").Call(fv)
	case ir.KindTime:
		return jen.Qual(pkgTypes, "ParseTime").Call(fv)
	case ir.KindTimestamp, ir.KindTimestampLTZ:
		return jen.Qual(pkgTypes, "ParseTimestamp").Call(fv, jen.Lit(t.Precision))
	case ir.KindBinary, ir.KindVarbinary:
		// base64, as Flink's csv format reads bytes (Jackson's binaryValue)
		return jen.Qual(pkgTypes, "ParseBase64").Call(fv)
	}
	return nil
}

// typeName is a SQL type name for messages, without NOT NULL.
func typeName(t ir.Type) string { return strings.TrimSuffix(t.String(), " NOT NULL") }

// badInput is what the decoders of one scan share about bad input: the counters of
// the records that ignore-parse-errors skipped or read with fields set to NULL, the
// per-record flag of the latter (a bool: the loop's cost; why it was set goes to a field
// of the operator, on the cold path), and the table's dead-letter destination (nil
// unless 'dead-letter.path' or 'dead-letter.topic' is set; docs/connectors.md "Bad data").
//
//	nulled := false                  // a field of this record was set to NULL
//	... decode the key and the value ...
//	if nulled {
//		p.nulled1.Add(1)
//		if err := p.dead1.Nulled(b.Where(r), rec, p.why1); err != nil {
//			return err
//		}
//	}
type badInput struct {
	table            string
	skipped, nulledC string // operator fields of <table>.records_skipped, <table>.records_nulled
	dead, why        string // operator fields of the *job.DeadLetter and of why the record has NULLs
}

// newBadInput declares the counters and the dead letter of scan table t and emits the
// record's note.
func (g *gen) newBadInput(f *fn, pl *ir.Pipeline, t *ir.Table, res *options.Resolved) *badInput {
	bi := &badInput{table: t.Name, skipped: fmt.Sprintf("skipped%d", pl.ID), nulledC: fmt.Sprintf("nulled%d", pl.ID), dead: fmt.Sprintf("dead%d", pl.ID), why: fmt.Sprintf("why%d", pl.ID)}
	g.cur.fields = append(g.cur.fields,
		jen.Comment(fmt.Sprintf("%s counts the records of %s skipped under ignore-parse-errors, %s those read with fields set to NULL;", bi.skipped, t.Name, bi.nulledC)),
		jen.Comment(fmt.Sprintf("%s keeps them when the table has a dead-letter destination (else nil); %s is why the record has NULLs.", bi.dead, bi.why)),
		jen.Id(bi.skipped).Op("*").Qual(pkgJob, "Counter"),
		jen.Id(bi.nulledC).Op("*").Qual(pkgJob, "Counter"),
		jen.Id(bi.dead).Op("*").Qual(pkgJob, "DeadLetter"),
		jen.Id(bi.why).String(),
	)
	// A dead-letter topic needs the Kafka client: linked when the job reads Kafka anyway,
	// or when the SQL names a topic.
	var topics jen.Code = jen.Nil()
	if res.Connector == "kafka" || res.Has("dead-letter.topic") {
		topics = jen.Qual(pkgKafka, "NewDeadLetterWriter")
	}
	// p.skipped1 = ctx.Counter("t.records_skipped")
	// if p.dead1, err = ctx.DeadLetter("t", kafka.NewDeadLetterWriter); err != nil { return err }
	g.cur.setup = append(g.cur.setup,
		jen.Id("p").Dot(bi.skipped).Op("=").Id("ctx").Dot("Counter").Call(jen.Lit(t.Name+".records_skipped")),
		jen.Id("p").Dot(bi.nulledC).Op("=").Id("ctx").Dot("Counter").Call(jen.Lit(t.Name+".records_nulled")),
		jen.If(jen.List(jen.Id("p").Dot(bi.dead), jen.Err()).Op("=").Id("ctx").Dot("DeadLetter").Call(jen.Lit(t.Name), topics), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
	)
	// The dead letter is made durable with the sinks, before the barrier is acknowledged:
	// if err := p.dead1.Flush(); err != nil { return err }
	g.cur.flushes = append(g.cur.flushes, jen.If(jen.Err().Op(":=").Id("p").Dot(bi.dead).Dot("Flush").Call(), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())))
	f.emit(jen.Id("nulled").Op(":=").False())
	return bi
}

// end counts the record when a field was set to NULL, and keeps it in the dead letter.
func (bi *badInput) end(f *fn) {
	f.emit(jen.If(jen.Id("nulled")).Block(
		jen.Id("p").Dot(bi.nulledC).Dot("Add").Call(jen.Lit(1)),
		jen.If(jen.Err().Op(":=").Id("p").Dot(bi.dead).Dot("Nulled").Call(f.where(), jen.Id("rec"), jen.Id("p").Dot(bi.why)), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
	))
}

// null is what setting a field to NULL under ignore-parse-errors does besides: flag the
// record, noting why unless a field before did.
//
//	if !nulled {
//		p.why1 = "cannot parse column n as BIGINT"
//	}
//	nulled = true
func (bi *badInput) null(why string) jen.Code {
	return jen.Add(
		jen.If(jen.Op("!").Id("nulled")).Block(jen.Id("p").Dot(bi.why).Op("=").Lit(why)),
		jen.Line(),
		jen.Id("nulled").Op("=").True(),
	)
}

// skip renders what a record that cannot be read does (job.Skip): under
// ignore-parse-errors it is counted, kept in the dead letter and skipped, else the job
// fails naming the record, where it came from and its bytes (job.RecordError).
//
//	if err := job.Skip(p.csv1.IgnoreParseErrors(), p.skipped1, p.dead1, b.Where(r), "job.sql:1:14", rec, "...", ...); err != nil {
//		return err
//	}
//	continue
func (bi *badInput) skip(f *fn, ignore jen.Code, input, sqlPos, format string, args ...jen.Code) []jen.Code {
	call := append([]jen.Code{ignore, jen.Id("p").Dot(bi.skipped), jen.Id("p").Dot(bi.dead), f.where(), jen.Lit(sqlPos), jen.Id(input), jen.Lit(format)}, args...)
	return []jen.Code{
		jen.If(jen.Err().Op(":=").Qual(pkgJob, "Skip").Call(call...), jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Err())),
		jen.Continue(),
	}
}

// decodeCSV generates the record loop body of a CSV scan: split only as many fields as
// the query reads into an array on the stack, count the others without splitting them
// (the record must have as many fields as the format's row, as in Flink), then parse
// each column it lists into a typed local. Fields before the last one read are only
// delimited, never parsed, and a BIGINT of up to 8 plain digits is parsed inline
// (types.ParseDigits8, a few word operations) before the general parser.
//
//	var fields [4][]byte
//	nf, more := 0, []byte(nil)
//	... split the record into fields (inline when unquoted, else p.csv1.SplitRest);
//	... more is the rest of the record after the 4th field, nil when it ended
//	total := nf
//	if more != nil { ... total += p.csv1.CountFields(more, 2) ... }
//	if total > 6 { ... too many fields: fails, or skipped under csv.ignore-parse-errors ... }
//	if total < 6 { ... too few: fails, or the missing fields are NULL ... }
//	var request_time int64
//	request_timeNull := true
//	if nf > 3 {
//		if fv := fields[3]; !p.csv1.IsNull(fv) {
//			var ok bool
//			if request_time, ok = types.ParseDigits8(fv); !ok {
//				request_time, ok = types.ParseInt64(fv)
//			}
//			if ok {
//				request_timeNull = false
//			} else if p.csv1.IgnoreParseErrors() {
//				request_time = 0
//				nulled = true
//			} else {
//				return job.RecordError(b.Where(r), "job.sql:5:3", rec, "cannot parse %q as BIGINT for column request_time", fv)
//			}
//		}
//	}
func (g *gen) decodeCSV(f *fn, pl *ir.Pipeline, t *ir.Table, part messagePart, row []value, bi *badInput) bool {
	cols := part.cols
	if part.key && len(cols) == 0 {
		return true // the query reads no key column
	}
	for _, c := range cols {
		if c.path != nil || (!c.col.Type.IsString() && parseBytes(c.col.Type, jen.Nil()) == nil) {
			g.errorf(c.col.Span, "reading a %s column from csv is not supported by the code generator yet", c.col.Type)
			return false
		}
	}
	n := 0
	for _, c := range cols {
		n = max(n, c.field+1)
	}
	arity := max(part.arity, n)
	splitter := fmt.Sprintf("csv%d", pl.ID)
	input, fieldsVar, countVar, opts, what := "rec", "fields", "nf", jen.Id("ctx").Dot("Options").Call(jen.Lit(t.Name)), "records"
	row0 := fmt.Sprintf("table %s", t.Name)
	if part.key {
		splitter = fmt.Sprintf("keyCSV%d", pl.ID)
		input, fieldsVar, countVar, what = "key", "keyFields", "keyNF", "message keys"
		opts = opts.Dot("KeyFormatOptions").Call()
		row0 = fmt.Sprintf("the message key of table %s", t.Name)
	}
	moreVar, totalVar := "more", "total"
	if part.key {
		moreVar, totalVar = "keyMore", "keyTotal"
	}
	fields := func() *jen.Statement { return jen.Id(fieldsVar) }
	nf := func() *jen.Statement { return jen.Id(countVar) }
	sp := func() *jen.Statement { return jen.Id("p").Dot(splitter) }
	// p.csv1 = *csv.NewSplitter(csv.ConfigFrom(ctx.Options("t")))
	// (a field of the operator, not a pointer: the loop reads its options without a hop)
	g.cur.fields = append(g.cur.fields,
		jen.Comment(fmt.Sprintf("%s decodes the CSV %s of %s.", splitter, what, t.Name)),
		jen.Id(splitter).Qual(pkgCSV, "Splitter"),
	)
	g.cur.setup = append(g.cur.setup,
		jen.Id("p").Dot(splitter).Op("=").Op("*").Qual(pkgCSV, "NewSplitter").Call(jen.Qual(pkgCSV, "ConfigFrom").Call(opts)))
	tablePos := g.pos(t.Span)
	ignore := func() *jen.Statement { return sp().Dot("IgnoreParseErrors").Call() }
	skip := func(pos, format string, args ...jen.Code) []jen.Code {
		return bi.skip(f, ignore(), input, pos, format, args...)
	}

	// An empty record is no row, as in Flink (Jackson reads no fields from it); a file
	// source never hands one out.
	cond := jen.Len(jen.Id(input)).Op("==").Lit(0)
	if !part.key {
		cond = cond.Op("||").Add(sp()).Dot("IsComment").Call(jen.Id(input))
	}
	f.emit(jen.If(cond).Block(jen.Continue()))
	// An unquoted record is split inline into the array on the stack: no call, and no
	// write barrier (the compiler sees the array is on the stack); a field that starts
	// with a quote, an escape character or an empty record go to SplitRest. A field keeps
	// the capacity of the record after it, so that types.ParseDigits8 can read it as a
	// word.
	//
	//	var fields [4][]byte
	//	nf, more := 0, []byte(nil)
	//	if delim, quote, plain := p.csv1.Plain(); plain {
	//		rest := rec
	//		for ; nf < 4; nf++ {
	//			if len(rest) > 0 && rest[0] == quote { nf = -1; break }
	//			i := bytes.IndexByte(rest, delim)
	//			if i < 0 { fields[nf] = rest; nf++; rest = nil; break }
	//			fields[nf], rest = rest[:i], rest[i+1:]
	//		}
	//		more = rest
	//	} else {
	//		nf = -1
	//	}
	//	if nf < 0 {
	//		var err error
	//		if nf, more, err = p.csv1.SplitRest(rec, fields[:]); err != nil { ... a malformed record ... }
	//	}
	//
	// (The error is declared where SplitRest returns it: the plain path carries none.)
	splitLoop := jen.For(jen.Empty(), nf().Op("<").Lit(n), nf().Op("++")).Block(
		jen.If(jen.Len(jen.Id("rest")).Op(">").Lit(0).Op("&&").Id("rest").Index(jen.Lit(0)).Op("==").Id("quote")).Block(
			nf().Op("=").Lit(-1),
			jen.Break(),
		),
		jen.Id("i").Op(":=").Qual("bytes", "IndexByte").Call(jen.Id("rest"), jen.Id("delim")),
		jen.If(jen.Id("i").Op("<").Lit(0)).Block(
			fields().Index(nf()).Op("=").Id("rest"),
			nf().Op("++"),
			jen.Id("rest").Op("=").Nil(),
			jen.Break(),
		),
		jen.List(fields().Index(nf()), jen.Id("rest")).Op("=").List(
			jen.Id("rest").Index(jen.Empty(), jen.Id("i")),
			jen.Id("rest").Index(jen.Id("i").Op("+").Lit(1), jen.Empty())),
	)
	if n == 0 {
		// The query reads no field of the record: only count them.
		f.emit(jen.List(nf(), jen.Id(moreVar)).Op(":=").List(jen.Lit(0), jen.Id(input)))
	} else {
		f.emit(
			jen.Comment(fmt.Sprintf("The first %d fields of %d: split here when unquoted, else by %s.SplitRest.", n, arity, splitter)),
			jen.Var().Add(fields()).Index(jen.Lit(n)).Index().Byte(),
			jen.List(nf(), jen.Id(moreVar)).Op(":=").List(jen.Lit(0), jen.Index().Byte().Parens(jen.Nil())),
			jen.If(
				jen.List(jen.Id("delim"), jen.Id("quote"), jen.Id("plain")).Op(":=").Add(sp()).Dot("Plain").Call(),
				jen.Id("plain"),
			).Block(
				jen.Id("rest").Op(":=").Id(input),
				splitLoop,
				jen.Id(moreVar).Op("=").Id("rest"),
			).Else().Block(nf().Op("=").Lit(-1)),
			jen.If(nf().Op("<").Lit(0)).Block(
				jen.Var().Err().Error(),
				jen.If(
					jen.List(nf(), jen.Id(moreVar), jen.Err()).Op("=").Add(sp()).Dot("SplitRest").Call(jen.Id(input), fields().Index(jen.Empty(), jen.Empty())),
					jen.Err().Op("!=").Nil(),
				).Block(skip(tablePos, "malformed csv record: %v", jen.Err())...),
			),
		)
	}
	// Count the fields after the ones read; too many skip the record or fail the job,
	// too few fail it or read as NULLs (Flink: Jackson's "Too many entries" and
	// validateArity's "Row length mismatch").
	f.emit(
		jen.Id(totalVar).Op(":=").Add(nf()),
		jen.If(jen.Id(moreVar).Op("!=").Nil()).Block(
			jen.List(jen.Id("k"), jen.Err()).Op(":=").Add(sp()).Dot("CountFields").Call(jen.Id(moreVar), jen.Lit(arity-n)),
			jen.If(jen.Err().Op("!=").Nil()).Block(skip(tablePos, "malformed csv record: %v", jen.Err())...),
			jen.Id(totalVar).Op("+=").Id("k"),
		),
		jen.If(jen.Id(totalVar).Op(">").Lit(arity)).Block(
			skip(tablePos, fmt.Sprintf("%s has %d fields, the record has %%d", row0, arity), jen.Id(totalVar))...),
		jen.If(jen.Id(totalVar).Op("<").Lit(arity)).Block(
			jen.If(jen.Op("!").Add(ignore())).Block(
				jen.Return(jen.Qual(pkgJob, "RecordError").Call(f.where(), jen.Lit(tablePos), jen.Id(input),
					jen.Lit(fmt.Sprintf("%s has %d fields, the record has %%d", row0, arity)), jen.Id(totalVar))),
			),
			bi.null(fmt.Sprintf("%s has %d fields, the record has fewer", row0, arity)),
		),
	)
	for _, c := range cols {
		col := c.col
		ct := col.Type
		f.emit(g.comment(fmt.Sprintf("%s %s", col.Name, ct), col.Span))
		gt := f.goType(ct)
		v := f.declare(col.Name, gt)
		var nl *local
		// A missing, NULL or unparsable field is NULL in a nullable column; a NOT NULL
		// column fails the job, or skips the row under ignore-parse-errors.
		if ct.Nullable {
			nl = f.defineNull(v, jen.True())
		}
		errMsg := fmt.Sprintf("cannot parse %%q as %s for column %s", typeName(ct), col.Name)
		notNullMsg := fmt.Sprintf("column %s is NOT NULL but the record has no value for it", col.Name)
		fv := jen.Id("fv")
		var present []jen.Code
		if ct.IsString() {
			assign := jen.Add(v.id()).Op("=").Qual(pkgTypes, "StringOf").Call(fv)
			if nl != nil {
				assign = jen.List(v.id(), nl.id()).Op("=").List(jen.Qual(pkgTypes, "StringOf").Call(fv), jen.False())
			}
			present = []jen.Code{assign}
		} else {
			okBranch := []jen.Code{}
			if nl != nil {
				okBranch = append(okBranch, jen.Add(nl.id()).Op("=").False())
			}
			var onIgnore []jen.Code
			if nl != nil {
				onIgnore = []jen.Code{jen.Add(v.id()).Op("=").Add(zero(ct)), bi.null(fmt.Sprintf("cannot parse column %s as %s", col.Name, typeName(ct)))}
			} else {
				onIgnore = []jen.Code{jen.Id("p").Dot(bi.skipped).Dot("Add").Call(jen.Lit(1)), jen.Continue()}
			}
			ifOK := jen.If(jen.List(v.id(), jen.Id("ok")).Op("=").Add(parseBytes(ct, fv)), jen.Id("ok"))
			present = []jen.Code{jen.Var().Id("ok").Bool()}
			if ct.Kind == ir.KindBigInt {
				// Up to 8 plain digits inline, anything else through the general parser:
				// if v, ok = types.ParseDigits8(fv); !ok { v, ok = types.ParseInt64(fv) }
				present = append(present, jen.If(jen.List(v.id(), jen.Id("ok")).Op("=").Qual(pkgTypes, "ParseDigits8").Call(fv), jen.Op("!").Id("ok")).Block(
					jen.List(v.id(), jen.Id("ok")).Op("=").Add(parseBytes(ct, fv)),
				))
				ifOK = jen.If(jen.Id("ok"))
			}
			present = append(present,
				ifOK.Block(okBranch...).
					Else().If(ignore()).Block(onIgnore...).
					Else().Block(jen.Return(jen.Qual(pkgJob, "RecordError").Call(f.where(), jen.Lit(g.pos(col.Span)), jen.Id(input), jen.Lit(errMsg), fv))),
			)
		}
		inner := jen.If(jen.Id("fv").Op(":=").Add(fields()).Index(jen.Lit(c.field)), jen.Op("!").Add(sp()).Dot("IsNull").Call(jen.Id("fv"))).Block(present...)
		if nl == nil {
			// NOT NULL: a NULL literal or missing field is an error (or skips the row).
			noValue := skip(g.pos(col.Span), notNullMsg)
			inner = inner.Else().Block(noValue...)
			f.emit(jen.If(nf().Op(">").Lit(c.field)).Block(inner).Else().Block(noValue...))
		} else {
			f.emit(jen.If(nf().Op(">").Lit(c.field)).Block(inner))
		}
		row[c.pos] = value{t: ct, vl: v, nl: nl}
	}
	return true
}

// decodeMessage generates the record loop body of a filesystem or Kafka scan: decode
// the columns the query reads from the message key (key.format, Kafka only) and the
// value with their formats, then the metadata, then the pipelines. A Kafka message
// without a key, when the table has a key format, yields no row, as in Flink.
//
//	key := b.Keys[r]
//	if key == nil {
//		continue
//	}
//	... key columns (decodeCSV / decodeJSON on key) ...
//	... value columns (on rec) ...
func (g *gen) decodeMessage(f *fn, pl *ir.Pipeline, scan *ir.Scan, metaKeys map[string]bool, res *options.Resolved) []jen.Code {
	t := scan.Table
	cols, metas, ok := g.scanColumns(scan, metaKeys)
	if !ok {
		return nil
	}
	keyFormat := ""
	if t.Connector == "kafka" {
		keyFormat = res.KeyFormat
	}
	for _, fm := range []string{res.Format, keyFormat} {
		if fm != "" && fm != "csv" && fm != "json" {
			g.errorf(t.Span, "format '%s' of table %s has no runtime support yet", fm, t.Name)
			return nil
		}
	}
	var parts []messagePart
	if keyFormat != "" {
		if parts, ok = g.kafkaParts(t, res, cols); !ok {
			return nil
		}
	} else {
		value := messagePart{format: res.Format, arity: len(physicalColumns(t))}
		for _, c := range cols {
			c.field, c.name = c.phys, c.col.Name
			value.cols = append(value.cols, c)
		}
		parts = []messagePart{value}
	}
	row := make([]value, len(scan.Columns))
	bi := g.newBadInput(f, pl, t, res)
	for _, part := range parts {
		if part.key {
			f.emit(
				jen.Id("key").Op(":=").Id("b").Dot("Keys").Index(jen.Id("r")),
				jen.If(jen.Id("key").Op("==").Nil()).Block(jen.Continue()),
			)
		}
		var ok bool
		if part.format == "csv" {
			ok = g.decodeCSV(f, pl, t, part, row, bi)
		} else {
			ok = g.decodeJSON(f, pl, t, part, row, bi)
		}
		if !ok {
			return nil
		}
	}
	bi.end(f)
	g.metadataValues(f, metas, row)
	g.emitParts(f, scan, row)
	return f.body()
}

// jsonDecode renders the json package call that decodes raw value bytes as type t,
// returning (value, ok); nil when the type has no decoder yet.
func jsonDecode(t ir.Type, raw jen.Code) jen.Code {
	switch t.Kind {
	case ir.KindBoolean:
		return jen.Qual(pkgJSON, "Bool").Call(raw)
	case ir.KindTinyInt:
		return jen.Qual(pkgJSON, "Int8").Call(raw)
	case ir.KindSmallInt:
		return jen.Qual(pkgJSON, "Int16").Call(raw)
	case ir.KindInt:
		return jen.Qual(pkgJSON, "Int32").Call(raw)
	case ir.KindBigInt:
		return jen.Qual(pkgJSON, "Int64").Call(raw)
	case ir.KindFloat:
		return jen.Qual(pkgJSON, "Float32").Call(raw)
	case ir.KindDouble:
		return jen.Qual(pkgJSON, "Float64").Call(raw)
	case ir.KindDecimal:
		return jen.Qual(pkgJSON, "Decimal").Call(raw, jen.Lit(t.Precision), jen.Lit(t.Scale))
	case ir.KindDate:
		return jen.Qual(pkgJSON, "Date").Call(raw)
	case ir.KindTime:
		return jen.Qual(pkgJSON, "Time").Call(raw)
	case ir.KindTimestamp, ir.KindTimestampLTZ:
		return jen.Qual(pkgJSON, "Timestamp").Call(raw, jen.Lit(t.Precision))
	case ir.KindBinary, ir.KindVarbinary:
		return jen.Qual(pkgJSON, "Bytes").Call(raw)
	}
	return nil
}

// decodeJSON generates the record loop body of a JSON scan: one pass over the object's
// top-level members with a switch on the keys the query reads; other members are
// skimmed, not decoded. A missing member or null is NULL.
//
//	var id int64
//	idNull := true
//	if err := p.json1.Reset(rec); err != nil { ... }
//	for p.json1.Next() {
//		switch p.json1.Field() { // the index in json.NewScanner("id", "name")
//		case 0:
//			// id
//			var ok bool
//			if p.json1.IsNull() {
//				id, idNull = 0, true
//			} else if id, ok = p.json1.Int64(); ok { // parsed by the scanner when plain
//				idNull = false
//			} else if p.json1Ignore {
//				id, idNull = 0, true
//				nulled = true
//			} else {
//				return job.RowError(b.Where(r), "job.sql:2:3", "cannot parse %s as BIGINT for column id", p.json1.Value())
//			}
//		case 1:
//			// name
//			if s, ok := p.json1.Text(p.json1Scratch1); ok { // a view unless escaped
//				name, nameNull = types.StringOf(s), false
//			}
//		}
//	}
//	if err := p.json1.Err(); err != nil { ... }
//	if p.json1FailMissing { ... p.json1.Missing() ... }
func (g *gen) decodeJSON(f *fn, pl *ir.Pipeline, t *ir.Table, part messagePart, row []value, bi *badInput) bool {
	cols := part.cols
	if part.key && len(cols) == 0 {
		return true // the query reads no key column
	}
	for _, c := range cols {
		if !jsonReadable(c.typ) {
			g.errorf(c.col.Span, "reading a %s column from json is not supported by the code generator yet", c.typ)
			return false
		}
	}
	scanner := fmt.Sprintf("json%d", pl.ID)
	input, opts, what := "rec", jen.Id("ctx").Dot("Options").Call(jen.Lit(t.Name)), "records"
	if part.key {
		scanner = fmt.Sprintf("keyJSON%d", pl.ID)
		input, what = "key", "message keys"
		opts = opts.Dot("KeyFormatOptions").Call()
	}
	ignoreF, missingF := scanner+"Ignore", scanner+"FailMissing"
	sc := func() *jen.Statement { return jen.Id("p").Dot(scanner) }
	ignore := func() *jen.Statement { return jen.Id("p").Dot(ignoreF) }
	g.cur.fields = append(g.cur.fields,
		jen.Comment(fmt.Sprintf("%s scans the JSON %s of %s.", scanner, what, t.Name)),
		jen.Id(scanner).Op("*").Qual(pkgJSON, "Scanner"),
		jen.Id(ignoreF).Bool(),
		jen.Id(missingF).Bool(),
	)
	// One member per top-level name: a ROW column read through fields (bid.price,
	// bid.auction) is one member whose object is scanned for those fields.
	members := jsonMembers(cols)
	// The scanner matches the member names the query reads; Field is the index.
	var keys []jen.Code
	for _, m := range members {
		keys = append(keys, jen.Lit(m.name))
	}
	g.cur.setup = append(g.cur.setup,
		jen.Id("p").Dot(scanner).Op("=").Qual(pkgJSON, "NewScanner").Call(keys...),
		jen.Id("p").Dot(ignoreF).Op("=").Qual(pkgJSON, "ConfigFrom").Call(opts).Dot("IgnoreParseErrors"),
		jen.Id("p").Dot(missingF).Op("=").Qual(pkgJSON, "ConfigFrom").Call(opts).Dot("FailOnMissingField"),
	)
	tablePos := g.pos(t.Span)
	where := f.where
	badRow := func(errc jen.Code) jen.Code {
		return jen.Block(bi.skip(f, ignore(), input, tablePos, "malformed json record: %v", errc)...)
	}
	jc := &jsonCtx{scanner: scanner, input: input, ignore: ignore, bi: bi}
	vals := make([]*local, len(cols))
	nulls := make([]*local, len(cols))
	for i, c := range cols {
		f.emit(g.comment(fmt.Sprintf("%s %s", scanColumnName(c), c.typ), c.col.Span))
		vals[i] = f.declare(scanColumnName(c), f.goType(c.typ))
		nulls[i] = f.defineNull(vals[i], jen.True())
	}
	f.emit(jen.If(jen.Err().Op(":=").Add(sc()).Dot("Reset").Call(jen.Id(input)), jen.Err().Op("!=").Nil()).Add(badRow(jen.Err())))
	var cases []jen.Code
	var derived []jen.Code
	for i, m := range members {
		node := jsonTree(m, i, cols, vals, nulls)
		decode := g.jsonNode(f, jc, sc, node, &derived)
		cases = append(cases, jen.Case(jen.Lit(i)).Block(append([]jen.Code{jen.Comment(m.name)}, decode...)...))
	}
	f.emit(
		jen.For(sc().Dot("Next").Call()).Block(jen.Switch(sc().Dot("Field").Call()).Block(cases...)),
		jen.If(jen.Err().Op(":=").Add(sc()).Dot("Err").Call(), jen.Err().Op("!=").Nil()).Add(badRow(jen.Err())),
		// json.fail-on-missing-field: a member the query reads is absent (null is not).
		jen.If(jen.Id("p").Dot(missingF)).Block(
			jen.If(jen.List(jen.Id("name"), jen.Id("missing")).Op(":=").Add(sc()).Dot("Missing").Call(), jen.Id("missing")).Block(
				jen.Return(jen.Qual(pkgJob, "RecordError").Call(where(), jen.Lit(tablePos), jen.Id(input), jen.Lit("could not find field with name '%s' (json.fail-on-missing-field)"), jen.Id("name"))),
			),
		),
	)
	f.emit(derived...)
	for i, c := range cols {
		row[c.pos] = value{t: c.typ, vl: vals[i], nl: nulls[i]}
		if !c.typ.Nullable {
			// A NOT NULL column without a value fails the job (or skips the row).
			f.emit(jen.If(nulls[i].ref()).Block(
				bi.skip(f, ignore(), input, g.pos(c.col.Span), fmt.Sprintf("column %s is NOT NULL but the record has no value for it", c.col.Name))...,
			))
			row[c.pos].nl = nil
		}
	}
	return true
}

// datagenGetter is the datagen.Source method that pulls a column of type t.
func datagenGetter(t ir.Type) string {
	switch t.Kind {
	case ir.KindBoolean:
		return "Bool"
	case ir.KindTinyInt, ir.KindSmallInt, ir.KindInt, ir.KindBigInt:
		return "Int64"
	case ir.KindFloat, ir.KindDouble:
		return "Float64"
	case ir.KindDecimal:
		return "Decimal"
	case ir.KindChar, ir.KindVarchar:
		return "String"
	case ir.KindBinary, ir.KindVarbinary:
		return "Bytes"
	case ir.KindTimestamp, ir.KindTimestampLTZ:
		return "Timestamp"
	case ir.KindDate:
		return "Date"
	case ir.KindTime:
		return "Time"
	}
	return ""
}

// decodeDatagen generates the row loop body of a datagen scan: position the source on
// the row, then pull the columns the query reads in column order.
//
//	p.src1.Seek(b, r)
//	id64, idNull := p.src1.Int64(0)
//	id := int32(id64)
func (g *gen) decodeDatagen(f *fn, pl *ir.Pipeline, scan *ir.Scan, srcVar string) []jen.Code {
	t := scan.Table
	cols, _, ok := g.scanColumns(scan, nil)
	if !ok {
		return nil
	}
	field := "gen" + itoa(pl.ID)
	// src.src1, err = datagen.NewSource(ctx.Options("t"), spec.Tables[0].Schema), in run;
	// each task pulls the rows of its batches with a reader of its own: p.gen1 = src.src1.Reader()
	g.readerSource(srcVar, field, pkgDatagen,
		jen.Qual(pkgDatagen, "NewSource").Call(jen.Id("ctx").Dot("Options").Call(jen.Lit(t.Name)), jen.Id("spec").Dot("Tables").Index(jen.Lit(g.tableIdx[t])).Dot("Schema")),
		fmt.Sprintf("%s generates the rows of %s.", field, t.Name), fmt.Sprintf("%s: connector datagen", t.Name))
	src := func() *jen.Statement { return jen.Id("p").Dot(field) }
	f.emit(src().Dot("Seek").Call(jen.Id("b"), jen.Id("r")))
	// Pull in increasing column order, as the source expects.
	order := make([]int, len(cols))
	for i := range order {
		order[i] = i
	}
	for i := 1; i < len(order); i++ {
		for j := i; j > 0 && cols[order[j]].phys < cols[order[j-1]].phys; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	row := make([]value, len(scan.Columns))
	for _, i := range order {
		c := cols[i]
		ct := c.col.Type
		getter := datagenGetter(ct)
		if getter == "" {
			g.errorf(c.col.Span, "reading a %s column from datagen is not supported by the code generator yet", ct)
			return nil
		}
		f.emit(g.comment(fmt.Sprintf("%s %s", c.col.Name, ct), c.col.Span))
		pull := src().Dot(getter).Call(jen.Lit(c.phys))
		needConv := ct.Kind == ir.KindTinyInt || ct.Kind == ir.KindSmallInt || ct.Kind == ir.KindInt || ct.Kind == ir.KindFloat
		if !needConv {
			v := f.names.fresh(c.col.Name)
			vl := &local{name: v}
			nl := &local{name: v + "Null"}
			f.emit(jen.List(vl.id(), nl.id()).Op(":=").Add(pull))
			f.track0(vl)
			f.track0(nl)
			row[c.pos] = value{t: ct, vl: vl, nl: nl}
		} else {
			raw := f.names.fresh(c.col.Name + "Raw")
			f.emit(jen.List(jen.Id(raw), jen.Id(raw+"Null")).Op(":=").Add(pull))
			gt := f.goType(ct)
			v := f.define(c.col.Name, jen.Add(gt).Call(jen.Id(raw)))
			row[c.pos] = value{t: ct, vl: v, nl: f.defineNull(v, jen.Id(raw+"Null"))}
		}
		if !ct.Nullable {
			row[c.pos].nl = nil
		}
	}
	g.emitParts(f, scan, row)
	return f.body()
}

// readerSource declares a source that run opens once (open, of type *pkg.Source) and
// that each task reads with a *pkg.Reader of its own, in the task's field: datagen,
// nexmark.
func (g *gen) readerSource(srcVar, field, pkg string, open jen.Code, fieldComment, srcComment string) {
	g.cur.fields = append(g.cur.fields, jen.Comment(fieldComment), jen.Id(field).Op("*").Qual(pkg, "Reader"))
	g.srcOpen = append(g.srcOpen, srcOpen{name: srcVar, typ: jen.Op("*").Qual(pkg, "Source"), open: open, comment: srcComment})
	g.cur.setup = append(g.cur.setup, jen.Id("p").Dot(field).Op("=").Id("src").Dot(srcVar).Dot("Reader").Call())
}
