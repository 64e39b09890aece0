package ir

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// DumpDot renders an optimized program as a Graphviz digraph (`sqlc-stream explain
// --format dot`), so a reader sees what fusion and partitioning did:
//
//   - every stage is a box (a cluster): the source stage, whose tasks run the pipelines
//     that start at a Scan, and one stage per pipeline breaker (an Aggregate), whose
//     tasks own its state and run the pipelines that emit from it;
//   - inside a stage, every pipeline is a box of its own: the operators fused into one
//     loop, from its start to its end; an operator several pipelines run (a shared Scan,
//     a shared Calc, a Sink fed by a Union) sits in its stage, outside their boxes;
//   - between stages, every exchange is a dashed box that says how rows are routed
//     (hashed on the group keys, or all to one task for a global aggregate).
//
// The output is deterministic: nodes are numbered in pipeline order.
func DumpDot(p *Program) string {
	d := &dotWriter{ids: map[Node]string{}, uses: map[Node]int{}, users: map[Node][]string{}}
	chains := make([][]Node, len(p.Pipelines))
	for i, pl := range p.Pipelines {
		chain := append([]Node{pl.Source}, pl.Operators()...)
		if pl.Union != nil {
			chain = append(chain, pl.Union)
		}
		if pl.Sink != nil {
			chain = append(chain, pl.Sink)
		}
		chains[i] = chain
		for _, n := range chain {
			d.uses[n]++
			d.users[n] = append(d.users[n], fmt.Sprint(pl.ID))
		}
	}
	// Stages in order of appearance: nil is the source stage, else the breaker whose
	// emitting pipelines it runs.
	var stages []Node
	seenStage := map[Node]bool{}
	stage := func(pl *Pipeline) Node {
		if _, ok := pl.Source.(*Scan); ok {
			return nil
		}
		return pl.Source
	}
	addStage := func(s Node) {
		if !seenStage[s] {
			seenStage[s] = true
			stages = append(stages, s)
		}
	}
	for _, pl := range p.Pipelines {
		addStage(stage(pl))
		if pl.Sink != nil && !isSinkNode(pl.Sink) {
			addStage(pl.Sink) // a breaker is the start of its own stage
		}
	}
	for _, chain := range chains {
		for _, n := range chain {
			d.id(n)
		}
	}

	sb := &d.sb
	sb.WriteString("digraph plan {\n")
	sb.WriteString("  graph [rankdir=TB, fontname=\"Helvetica\", fontsize=11, labeljust=l, nodesep=0.3, ranksep=0.4];\n")
	sb.WriteString("  node [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=\"Helvetica\", fontsize=10];\n")
	sb.WriteString("  edge [fontname=\"Helvetica\", fontsize=9];\n")
	for si, s := range stages {
		fmt.Fprintf(sb, "\n  subgraph cluster_stage%d {\n", si)
		label := "source stage"
		if s != nil {
			label = "stage: " + shortName(s, false)
			if a, ok := s.(*Aggregate); ok && len(a.GroupBy) == 0 {
				label += ", global: one task"
			} else {
				label += ", keyed: its tasks own the key groups"
			}
		}
		fmt.Fprintf(sb, "    label=%s;\n    style=\"filled\";\n    fillcolor=\"#eef3fb\";\n    color=\"#7a9cc6\";\n", dotQuote(label))
		if s != nil {
			d.node("    ", s)
		}
		placed := map[Node]bool{s: true}
		for i, pl := range p.Pipelines {
			if stage(pl) != s {
				continue
			}
			var own []Node // what only this pipeline runs
			for _, n := range chains[i] {
				if d.uses[n] == 1 && !placed[n] && !d.isBreaker(n, pl) {
					placed[n] = true
					own = append(own, n)
				}
			}
			if len(own) == 0 {
				continue // a shared Scan straight into an exchange: nothing of its own to box
			}
			fmt.Fprintf(sb, "    subgraph cluster_pipeline%d {\n", pl.ID)
			fmt.Fprintf(sb, "      label=%s;\n      style=\"filled,rounded\";\n      fillcolor=\"#fdf6e3\";\n      color=\"#c9a227\";\n", dotQuote(fmt.Sprintf("pipeline %d: one fused loop", pl.ID)))
			for _, n := range own {
				d.node("      ", n)
			}
			sb.WriteString("    }\n")
		}
		// Operators several pipelines of the stage run: in the stage, outside their boxes.
		for i, pl := range p.Pipelines {
			if stage(pl) != s {
				continue
			}
			for _, n := range chains[i] {
				if d.uses[n] > 1 && !placed[n] && !d.isBreaker(n, pl) {
					placed[n] = true
					d.node("    ", n)
				}
			}
		}
		sb.WriteString("  }\n")
	}

	// Exchanges: into every breaker, from the pipelines that build it.
	exchange := map[Node]string{}
	for _, pl := range p.Pipelines {
		if pl.Sink == nil || isSinkNode(pl.Sink) || exchange[pl.Sink] != "" {
			continue
		}
		id := fmt.Sprintf("x%d", len(exchange))
		exchange[pl.Sink] = id
		fmt.Fprintf(sb, "\n  subgraph cluster_%s {\n    label=\"exchange\";\n    style=dashed;\n    color=\"#888888\";\n", id)
		fmt.Fprintf(sb, "    %s [label=%s, shape=cds, style=filled, fillcolor=\"#f0f0f0\"];\n  }\n", id, dotQuote(exchangeLabel(pl.Sink)))
	}

	sb.WriteString("\n")
	edges := map[string]bool{}
	edge := func(from, to string) {
		e := fmt.Sprintf("  %s -> %s;\n", from, to)
		if !edges[e] {
			edges[e] = true
			sb.WriteString(e)
		}
	}
	for _, chain := range chains {
		for j := 1; j < len(chain); j++ {
			from, to := d.ids[chain[j-1]], d.ids[chain[j]]
			if x, ok := exchange[chain[j]]; ok && j == len(chain)-1 {
				edge(from, x)
				edge(x, to)
				continue
			}
			edge(from, to)
		}
	}
	sb.WriteString("}\n")
	return sb.String()
}

type dotWriter struct {
	sb   strings.Builder
	ids  map[Node]string // node names, n0, n1, ... in pipeline order
	uses map[Node]int    // how many pipelines run each operator
	// users are the IDs of the pipelines that run each operator.
	users map[Node][]string
}

func (d *dotWriter) id(n Node) string {
	if id, ok := d.ids[n]; ok {
		return id
	}
	id := fmt.Sprintf("n%d", len(d.ids))
	d.ids[n] = id
	return id
}

// isBreaker reports whether n is the breaker a pipeline starts or ends at (drawn in
// its own stage, not in the pipeline's box).
func (d *dotWriter) isBreaker(n Node, pl *Pipeline) bool {
	if n == pl.Sink && !isSinkNode(n) {
		return true
	}
	_, scan := pl.Source.(*Scan)
	return n == pl.Source && !scan
}

func (d *dotWriter) node(indent string, n Node) {
	attrs := ""
	switch n.(type) {
	case *Scan:
		attrs = ", fillcolor=\"#dff0d8\""
	case *Sink:
		attrs = ", fillcolor=\"#f2dede\""
	case *Aggregate:
		attrs = ", shape=box3d, style=filled, fillcolor=\"#d9edf7\""
	}
	label := dotLabel(n)
	if u := d.users[n]; len(u) > 1 {
		label += "\n(in pipelines " + strings.Join(u, ", ") + ")"
	}
	fmt.Fprintf(&d.sb, "%s%s [label=%s%s];\n", indent, d.ids[n], dotQuote(label), attrs)
}

func isSinkNode(n Node) bool {
	_, ok := n.(*Sink)
	return ok
}

// exchangeLabel says how rows reach a breaker's tasks.
func exchangeLabel(n Node) string {
	if a, ok := n.(*Aggregate); ok {
		if len(a.GroupBy) == 0 {
			return "global: all rows to one task"
		}
		in := a.Input.Schema()
		keys := make([]string, len(a.GroupBy))
		for i, g := range a.GroupBy {
			keys[i] = in[g].Name
		}
		return "hash(" + strings.Join(keys, ", ") + ")\nby key group"
	}
	return "exchange"
}

// dotLabel is an operator's name and its Describe details, one per line, long ones
// wrapped.
func dotLabel(n Node) string {
	desc := Describe(n)
	name, inner := desc, ""
	if i := strings.IndexByte(desc, '('); i >= 0 && strings.HasSuffix(desc, ")") {
		name, inner = desc[:i], desc[i+1:len(desc)-1]
	}
	lines := []string{name}
	for _, item := range splitTopLevel(inner) {
		if strings.HasPrefix(item, "types=") {
			continue // the column types make the picture unreadable; explain's text has them
		}
		lines = append(lines, wrap(item, 60)...)
	}
	return strings.Join(lines, "\n")
}

// splitTopLevel splits "a=[x, y], b=z" at the commas outside brackets and parentheses.
func splitTopLevel(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[', '(':
			depth++
		case ']', ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	if rest := strings.TrimSpace(s[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}

// wrap cuts s into lines of at most width bytes after a comma of its outermost list
// (not inside a call's parentheses, DECIMAL(19, 0)) where it can; the lines after the
// first are indented.
func wrap(s string, width int) []string {
	var lines []string
	for len(s) > width {
		cut, depth := 0, 0
		for i := 0; i < width; i++ {
			switch s[i] {
			case '[', '(':
				depth++
			case ']', ')':
				depth--
			case ',':
				if depth <= 1 && i+1 < len(s) && s[i+1] == ' ' {
					cut = i + 1
				}
			}
		}
		if cut == 0 {
			cut = width
			for cut > 0 && !utf8.RuneStart(s[cut]) {
				cut--
			}
		}
		lines = append(lines, s[:cut])
		s = "  " + strings.TrimSpace(s[cut:])
	}
	return append(lines, s)
}

// dotQuote quotes a label for dot, its lines left-justified.
func dotQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\l`)
	if strings.Contains(s, "\n") {
		return `"` + r.Replace(s) + `\l"`
	}
	return `"` + r.Replace(s) + `"`
}
