package codegen

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/ir"
)

// Checkpoint identities (docs/checkpoints.md). The spec carries what a checkpoint
// records and a restore checks:
//
//	Plan: "4f1c...",   // fingerprint of the optimized plan and its pipelines
//	State: []job.StateSpec{{
//		UID:    "agg-9a0e...",  // what the state is matched by on restore
//		Desc:   "Aggregate(groupBy=[province], aggs=[COUNT(uuid), ...])",
//		Input:  "cdn_access_log",
//		Pos:    "cdn_local.sql:48:1",
//		Layout: "1c2b...",      // fingerprint of Fields
//		Fields: []string{"key province STRING", "reader stats: emitted flag", "acc COUNT(uuid): agg.Count", ...},
//	}},
//
// and run gives each keyed stage its operator's uid (s1.SetUID(spec.State[0].UID)).
//
// A uid is derived from what determines the state, never from plan numbering: the
// aggregate's input (the tables it reads, or the uid of the aggregate below it), its
// group keys and its aggregate calls, each written out in terms of the input's columns
// as far down as projections go (GROUP BY ip_to_province(client_ip), not $0). So a
// compatible edit (another INSERT, a new projection after the aggregate, a changed
// WHERE) keeps it; a changed key or call makes another operator, and the state of the
// old one is unclaimed. The layout lists the encoded fields in order with their types:
// the keys, what each reader (sink) keeps, each accumulator's type, so that the same
// uid with another layout (a column's type changed, a reader added) is refused with the
// fields that differ, rather than read as garbage.

// stateSpec is the checkpoint identity of one stateful operator.
type stateSpec struct {
	uid, desc, input, pos string
	// fields is the layout: the encoded fields but the readers' sections, which a
	// snapshot names itself (snapshot.go); readers are those.
	fields, readers []string
}

// aggUIDs returns every aggregate's uid, computed once all pipelines were generated.
func (g *gen) aggUIDs() map[*ir.Aggregate]string {
	if g.uids != nil {
		return g.uids
	}
	uids := map[*ir.Aggregate]string{}
	seen := map[string]int{}
	for _, a := range g.aggList {
		uid := g.aggUID(a.node, uids)
		if n := seen[uid]; n > 0 {
			// Two aggregates alike in everything that names them (they differ in a
			// filter below): the later one in plan order gets a suffix.
			seen[uid]++
			uid = fmt.Sprintf("%s-%d", uid, n+1)
		} else {
			seen[uid] = 1
		}
		uids[a.node] = uid
	}
	g.uids = uids
	return uids
}

// stateSpecs computes the identity of every aggregate, in g.aggList order.
func (g *gen) stateSpecs() []stateSpec {
	uids := g.aggUIDs()
	var out []stateSpec
	for _, a := range g.aggList {
		uid := uids[a.node]
		in := resolvedFields(a.node.Input)
		var keys, aggs []string
		for _, k := range a.node.GroupBy {
			keys = append(keys, in[k].Name)
		}
		for _, acc := range a.accs {
			aggs = append(aggs, formatAggCall(acc.call, in))
		}
		out = append(out, stateSpec{
			uid:     uid,
			desc:    fmt.Sprintf("Aggregate(groupBy=[%s], aggs=[%s])", strings.Join(keys, ", "), strings.Join(aggs, ", ")),
			input:   strings.Join(inputNames(a.node.Input, uids), ", "),
			pos:     g.pos(a.node.Pos),
			fields:  g.stateLayout(a),
			readers: g.stateReaders(a),
		})
	}
	return out
}

// aggUID is an aggregate's uid: a hash of its input's identity, its keys and its calls,
// written out over the columns below the projections.
func (g *gen) aggUID(n *ir.Aggregate, uids map[*ir.Aggregate]string) string {
	if uid, ok := uids[n]; ok {
		return uid
	}
	var sb strings.Builder
	sb.WriteString("GroupAggregate\n")
	sb.WriteString("input " + strings.Join(inputIdentity(n.Input, func(a *ir.Aggregate) string { return g.aggUID(a, uids) }), ",") + "\n")
	resolved := resolvedFields(n.Input)
	for _, k := range n.GroupBy {
		sb.WriteString("key " + resolved[k].Name + " " + resolved[k].Type.String() + "\n")
	}
	for _, c := range n.Aggs {
		sb.WriteString("agg " + formatAggCall(c, resolved) + " " + c.T.String() + "\n")
	}
	return "agg-" + fingerprint(sb.String())
}

// inputIdentity lists what an operator's input is built from: the tables it scans and
// the aggregates it reads (by their uid), sorted, without the operators in between.
func inputIdentity(n ir.Node, aggUID func(*ir.Aggregate) string) []string {
	var out []string
	var walk func(ir.Node)
	walk = func(n ir.Node) {
		switch n := n.(type) {
		case *ir.Scan:
			out = append(out, "table "+n.Table.Name)
		case *ir.Aggregate:
			out = append(out, "aggregate "+aggUID(n))
		default:
			for _, in := range n.Inputs() {
				walk(in)
			}
		}
	}
	walk(n)
	slices.Sort(out)
	return slices.Compact(out)
}

// inputNames is inputIdentity for people: table names, and the description of an
// aggregate read.
func inputNames(n ir.Node, uids map[*ir.Aggregate]string) []string {
	ids := inputIdentity(n, func(a *ir.Aggregate) string { return uids[a] })
	for i, id := range ids {
		ids[i] = strings.TrimPrefix(strings.TrimPrefix(id, "table "), "aggregate ")
	}
	return ids
}

// resolvedFields is n's output row with each column's name replaced by its definition
// over the columns below every projection (Calc): ip_to_province(client_ip) for
// province. A column that only passes a column on is that column's definition.
func resolvedFields(n ir.Node) []ir.Field {
	out := n.Schema()
	for i := range out {
		out[i].Name = columnDef(n, i)
	}
	return out
}

func columnDef(n ir.Node, i int) string {
	for {
		switch c := n.(type) {
		case *ir.Calc:
			e := inlineLets(c.Exprs[i], c.Lets)
			if r, ok := e.(*ir.InputRef); ok {
				n, i = c.Input, r.Index
				continue
			}
			return ir.FormatExpr(e, resolvedFields(c.Input))
		case *ir.WatermarkAssigner:
			n = c.Input
			continue
		}
		return n.Schema()[i].Name
	}
}

// inlineLets replaces a Calc's common subexpressions (LocalRef) in e by their bodies.
func inlineLets(e ir.Expr, lets []ir.Expr) ir.Expr {
	return ir.ReplaceExpr(e, func(x ir.Expr) (ir.Expr, bool) {
		if r, ok := x.(*ir.LocalRef); ok && r.Index < len(lets) {
			return inlineLets(lets[r.Index], lets[:r.Index]), true
		}
		return nil, false
	})
}

// stateReaders names what each reader of the aggregate keeps (the sections of a
// group's snapshot, snapshot.go), by what it is rather than by Go names that number
// pipelines: the sink tables (or the aggregate) it writes to and the row it keeps.
func (g *gen) stateReaders(a *aggInfo) []string {
	uids := g.aggUIDs()
	var out []string
	for _, em := range a.emits {
		reader := em.sinkTable // the sink tables, or the aggregate reading the changes
		if em.down != nil {
			reader = "aggregate " + uids[em.down]
		}
		if !em.keepOut {
			out = append(out, "reader "+reader+": emitted flag")
			continue
		}
		var cols []string // the types: the Go names of the row's fields are not stable
		for _, rf := range em.rowFields {
			cols = append(cols, rf.t.String())
		}
		out = append(out, fmt.Sprintf("reader %s: last row (%s)", reader, strings.Join(cols, ", ")))
	}
	return out
}

// stateLayout describes the fields a group's snapshot encodes, but the readers'
// sections, in the order stateCodecFields writes them, by what they are: the keys and
// the aggregate calls as the uid writes them out, the accumulators' types.
func (g *gen) stateLayout(a *aggInfo) []string {
	var out []string
	in := resolvedFields(a.node.Input)
	for i, k := range a.keys {
		out = append(out, fmt.Sprintf("key %s %s", in[a.node.GroupBy[i]].Name, k.t))
	}
	for _, acc := range a.accs {
		call := formatAggCall(acc.call, in)
		if acc.kind == "udaf" {
			out = append(out, fmt.Sprintf("acc %s: %s", call, describeCodec(acc.call.Fn.Agg.State)))
			continue
		}
		typ, seen := accType(acc)
		if typ == nil {
			continue
		}
		if acc.shared != nil {
			// The set is the owner's; each call is its slot.
			call = fmt.Sprintf("%s (slot %d of %s)", call, acc.slot, acc.shared.owner.field)
		}
		s := fmt.Sprintf("acc %s: %#v", call, typ)
		if seen {
			s += " with seen flag"
		}
		out = append(out, strings.ReplaceAll(s, pkgAgg+".", "agg."))
	}
	if a.updating {
		out = append(out, "row count")
	}
	return out
}

// describeCodec writes out how a Go aggregate function's accumulator is encoded.
func describeCodec(c *ir.StateCodec) string {
	switch c.Kind {
	case ir.StateMethods:
		return c.Go + " (EncodeState/DecodeState)"
	case ir.StateBinary:
		return c.Go + " (MarshalBinary/UnmarshalBinary)"
	case ir.StateBasic:
		return c.Basic
	case ir.StateBytes:
		return "[]byte"
	case ir.StateStruct:
		var fs []string
		for _, f := range c.Fields {
			fs = append(fs, f.Name+" "+describeCodec(f.Type))
		}
		return "struct{" + strings.Join(fs, "; ") + "}"
	case ir.StatePointer:
		return "*" + describeCodec(c.Elem)
	case ir.StateSlice:
		return "[]" + describeCodec(c.Elem)
	case ir.StateArray:
		return fmt.Sprintf("[%d]%s", c.Len, describeCodec(c.Elem))
	case ir.StateMap:
		return "map[" + describeCodec(c.Key) + "]" + describeCodec(c.Elem)
	}
	return c.Go
}

// fingerprint is the first 16 hex digits of a SHA-256.
func fingerprint(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

// planFingerprint fingerprints the optimized plan and its pipelines (the golden
// "optimized" section): a checkpoint records it, and a restore says whether the plan
// changed.
func (g *gen) planFingerprint() string {
	return fingerprint(ir.DumpPlan(g.prog.Plan) + "\n" + ir.DumpProgram(g.prog))
}

// specCheckpoint renders the spec's Plan and State.
func (g *gen) specCheckpoint() []jen.Code {
	out := []jen.Code{kv("Plan", jen.Lit(g.planFingerprint()))}
	specs := g.stateSpecs()
	if len(specs) == 0 {
		return out
	}
	var items []jen.Code
	for i, s := range specs {
		var fields []jen.Code
		for _, f := range s.fields {
			fields = append(fields, jen.Lit(f))
		}

		items = append(items, composite(true,
			kv("UID", jen.Lit(s.uid)),
			kv("Desc", jen.Lit(s.desc)),
			kv("Input", jen.Lit(s.input)),
			kv("Pos", jen.Lit(s.pos)),
			kv("Layout", jen.Lit(fingerprint(strings.Join(s.fields, "\n")))),
			kv("Fields", jen.Index().String().Add(composite(true, fields...))),
			kv("Readers", jen.Id(g.aggList[i].readersVar())),
		))
	}
	return append(out, kv("State", jen.Index().Qual(pkgJob, "StateSpec").Add(composite(true, items...))))
}

// stateIndex is the index in spec.State of the aggregate a keyed stage owns (-1 for
// none).
func (g *gen) stateIndex(s *stageGen) int {
	if s.snapshot == nil {
		return -1
	}
	return slices.Index(g.aggList, s.snapshot)
}
