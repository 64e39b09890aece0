package codegen

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/ir"
)

const pkgNexmark = modulePath + "/runtimelib/nexmark"

// nexmarkRows are the ROW columns of Flink's nexmark table (NexmarkTableSource) as
// runtimelib/nexmark generates them: per column, its event kind constant, the slice of
// the event batch that holds its events, and its fields in order with the Go field and
// Fields constant names and the SQL type the generator produces (nexmark_test.go checks
// this against the runtime's table).
var nexmarkRows = map[string]nexmarkRow{
	"person": {kind: "KindPerson", slice: "Persons", fields: []nexmarkField{
		{"id", ir.KindBigInt}, {"name", ir.KindVarchar}, {"emailAddress", ir.KindVarchar},
		{"creditCard", ir.KindVarchar}, {"city", ir.KindVarchar}, {"state", ir.KindVarchar},
		{"dateTime", ir.KindTimestamp}, {"extra", ir.KindVarchar}}},
	"auction": {kind: "KindAuction", slice: "Auctions", fields: []nexmarkField{
		{"id", ir.KindBigInt}, {"itemName", ir.KindVarchar}, {"description", ir.KindVarchar},
		{"initialBid", ir.KindBigInt}, {"reserve", ir.KindBigInt}, {"dateTime", ir.KindTimestamp},
		{"expires", ir.KindTimestamp}, {"seller", ir.KindBigInt}, {"category", ir.KindBigInt},
		{"extra", ir.KindVarchar}}},
	"bid": {kind: "KindBid", slice: "Bids", fields: []nexmarkField{
		{"auction", ir.KindBigInt}, {"bidder", ir.KindBigInt}, {"price", ir.KindBigInt},
		{"channel", ir.KindVarchar}, {"url", ir.KindVarchar}, {"dateTime", ir.KindTimestamp},
		{"extra", ir.KindVarchar}}},
}

type nexmarkRow struct {
	kind, slice string
	fields      []nexmarkField
}

type nexmarkField struct {
	name string
	kind ir.Kind
}

// goName is the Go name of a field of the generator's structs: dateTime -> DateTime,
// id -> ID, url -> URL.
func (f nexmarkField) goName() string {
	switch f.name {
	case "id":
		return "ID"
	case "url":
		return "URL"
	}
	return strings.ToUpper(f.name[:1]) + f.name[1:]
}

// constName is the name of the field's runtimelib/nexmark Fields constant: BidPrice.
func nexmarkConst(row, field string) string {
	return strings.ToUpper(row[:1]) + row[1:] + nexmarkField{name: field}.goName()
}

// nexmarkCol is a column a nexmark Scan reads: event_type, a field of a ROW, or a ROW
// whole (fields: the generator's field of each of its declared fields).
type nexmarkCol struct {
	pos    int
	col    *ir.Column
	typ    ir.Type // the scan column's type (the field's, for a field)
	row    string  // "" for event_type
	field  nexmarkField
	fields []nexmarkField // a whole ROW
}

// nexmarkFieldOf finds the generator's field of a declared ROW field and checks its
// type.
func (g *gen) nexmarkFieldOf(c *ir.Column, row nexmarkRow, name string, typ ir.Type) (nexmarkField, bool) {
	for _, f := range row.fields {
		if f.name != name {
			continue
		}
		if typ.Kind != f.kind && !(f.kind == ir.KindVarchar && typ.IsString()) {
			g.errorf(c.Span, "field %s.%s of a nexmark table is %s, not %s", c.Name, name, ir.Type{Kind: f.kind, Length: ir.MaxLength, Precision: 3}, typ.Materialized().WithNull())
			return f, false
		}
		return f, true
	}
	var names []string
	for _, f := range row.fields {
		names = append(names, f.name)
	}
	g.errorf(c.Span, "the nexmark generator has no field %s.%s (its fields: %s)", c.Name, name, strings.Join(names, ", "))
	return nexmarkField{}, false
}

// nexmarkColumns checks what a nexmark Scan reads against the generator's table and
// returns it: event_type and fields of the ROW columns (PruneNestedFields splits a ROW
// column into the fields a query reads).
func (g *gen) nexmarkColumns(scan *ir.Scan) ([]nexmarkCol, bool) {
	var cols []nexmarkCol
	ok := true
	for i, ci := range scan.Columns {
		c := scan.Table.Columns[ci]
		path := scan.Path(i)
		typ := scan.Field(i).Type
		if c.Kind != ir.Physical {
			g.errorf(c.Span, "connector 'nexmark' has no metadata column %s", c.Name)
			ok = false
			continue
		}
		if c.Name == "event_type" {
			if !typ.IsInteger() {
				g.errorf(c.Span, "column event_type of a nexmark table is INT, not %s", typ)
				ok = false
			}
			cols = append(cols, nexmarkCol{pos: i, col: c, typ: typ})
			continue
		}
		row, known := nexmarkRows[c.Name]
		if !known {
			g.errorf(c.Span, "connector 'nexmark' has no column %s (its columns: event_type, person, auction, bid)", c.Name)
			ok = false
			continue
		}
		if len(path) == 0 {
			// The whole ROW: every field it declares, by name.
			nc := nexmarkCol{pos: i, col: c, typ: typ, row: c.Name}
			for _, fd := range typ.Fields {
				f, fok := g.nexmarkFieldOf(c, row, fd.Name, fd.Type)
				ok = ok && fok
				nc.fields = append(nc.fields, f)
			}
			cols = append(cols, nc)
			continue
		}
		name := c.Type.Fields[path[0]].Name
		if len(path) > 1 {
			g.errorf(c.Span, "field %s.%s of a nexmark table is not a ROW", c.Name, name)
			ok = false
			continue
		}
		field, fok := g.nexmarkFieldOf(c, row, name, typ)
		if !fok {
			ok = false
			continue
		}
		cols = append(cols, nexmarkCol{pos: i, col: c, typ: typ, row: c.Name, field: field})
	}
	return cols, ok
}

// decodeNexmark generates the loop body of a nexmark scan. The task's reader generates
// the batch's events (only the fields the query reads: the Fields given to the source)
// into a typed event batch, and each column is a struct field read in place, NULL when
// the event is of another kind:
//
//	for r, ev := 0, p.nexmark1.Fill(b); r < ev.Len(); r++ {
//		// event_type INT
//		event_type := int32(ev.Kinds[r])
//		// bid.auction, bid.price
//		noBid := ev.Kinds[r] != nexmark.KindBid
//		var bid_auction, bid_price int64
//		if !noBid {
//			bidEv := &ev.Bids[ev.Index[r]]
//			bid_auction, bid_price = bidEv.Auction, bidEv.Price
//		}
//		...
//	}
func (g *gen) decodeNexmark(f *fn, pl *ir.Pipeline, scan *ir.Scan, srcVar string) []jen.Code {
	t := scan.Table
	cols, ok := g.nexmarkColumns(scan)
	if !ok {
		return nil
	}
	// The fields the query reads, as the generator's Fields set.
	var consts []string
	seen := map[string]bool{}
	for _, c := range cols {
		fields := c.fields
		if c.fields == nil {
			fields = []nexmarkField{c.field}
		}
		for _, fd := range fields {
			if c.row != "" && !seen[c.row+"."+fd.name] {
				seen[c.row+"."+fd.name] = true
				consts = append(consts, nexmarkConst(c.row, fd.name))
			}
		}
	}
	sort.Strings(consts)
	var fields jen.Code = jen.Lit(0)
	if len(consts) > 0 {
		parts := make([]jen.Code, len(consts))
		for i, c := range consts {
			parts[i] = jen.Qual(pkgNexmark, c)
		}
		fields = joinOp("|", parts)
	}
	reader := fmt.Sprintf("nexmark%d", pl.ID)
	// src.src1, err = nexmark.NewSource(ctx.Options("t"), ctx.Parallelism(), nexmark.BidAuction|...), in run;
	// each task generates the events of its batches with a reader of its own:
	// p.nexmark1 = src.src1.Reader()
	g.readerSource(srcVar, reader, pkgNexmark,
		jen.Qual(pkgNexmark, "NewSource").Call(jen.Id("ctx").Dot("Options").Call(jen.Lit(t.Name)), jen.Id("ctx").Dot("Parallelism").Call(), fields),
		fmt.Sprintf("%s generates the events of the %s batches the task processes.", reader, t.Name),
		fmt.Sprintf("%s: connector nexmark, one split per task; generated: %s", t.Name, strings.Join(consts, ", ")))

	row := make([]value, len(scan.Columns))
	ev := func() *jen.Statement { return jen.Id("ev") }
	// event_type first, then the fields of each ROW in table order.
	byRow := map[string][]nexmarkCol{}
	var rows []string
	for _, c := range cols {
		if c.row == "" {
			f.emit(g.comment(fmt.Sprintf("%s %s", c.col.Name, c.typ), c.col.Span))
			raw := value{t: ir.Int().NotNull(), vc: jen.Int32().Call(ev().Dot("Kinds").Index(jen.Id("r")))}
			v := f.convert(raw, c.typ.NotNull(), c.col.Span)
			if v.vl == nil {
				v = value{t: v.t, vl: f.define(c.col.Name, v.V())}
			}
			row[c.pos] = v
			continue
		}
		if byRow[c.row] == nil {
			rows = append(rows, c.row)
		}
		byRow[c.row] = append(byRow[c.row], c)
	}
	for _, name := range rows {
		rc := byRow[name]
		r := nexmarkRows[name]
		var names []string
		for _, c := range rc {
			if c.fields != nil {
				names = append(names, name)
				continue
			}
			names = append(names, name+"."+c.field.name)
		}
		f.emit(g.comment(strings.Join(names, ", "), rc[0].col.Span))
		// noBid := ev.Kinds[r] != nexmark.KindBid
		absent := f.define("no"+strings.ToUpper(name[:1])+name[1:], ev().Dot("Kinds").Index(jen.Id("r")).Op("!=").Qual(pkgNexmark, r.kind))
		evVar := f.names.fresh(name + "Ev")
		var lhs, rhs []jen.Code
		get := func(fd nexmarkField) jen.Code {
			src := jen.Id(evVar).Dot(fd.goName())
			if fd.kind == ir.KindTimestamp {
				src = jen.Qual(pkgTypes, "Timestamp").Values(jen.Dict{jen.Id("Millis"): src})
			}
			return src
		}
		for _, c := range rc {
			if c.fields != nil {
				// bid = struct{...}{f0: bidEv.Auction, ...}: the generator's fields are never NULL.
				v := f.declare(name, f.goType(c.typ))
				gt, _ := goType(c.typ)
				d := jen.Dict{}
				for i, fd := range c.fields {
					d[jen.Id(rowField(i))] = get(fd)
				}
				lhs = append(lhs, v.id())
				rhs = append(rhs, jen.Add(gt).Values(d))
				row[c.pos] = value{t: c.typ, vl: v, nl: absent}
				continue
			}
			v := f.declare(name+"_"+c.field.name, f.goType(c.typ))
			lhs = append(lhs, v.id())
			rhs = append(rhs, get(c.field))
			row[c.pos] = value{t: c.typ, vl: v, nl: absent}
		}
		// if !noBid { bidEv := &ev.Bids[ev.Index[r]]; bid_auction, ... = bidEv.Auction, ... }
		f.emit(jen.If(jen.Op("!").Add(absent.ref())).Block(
			jen.Id(evVar).Op(":=").Op("&").Add(ev()).Dot(r.slice).Index(ev().Dot("Index").Index(jen.Id("r"))),
			jen.List(lhs...).Op("=").List(rhs...),
		))
	}
	g.emitParts(f, scan, row)
	return f.body()
}
