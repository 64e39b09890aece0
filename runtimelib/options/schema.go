package options

import (
	"fmt"
	"sort"
	"strings"
)

// Prefixed returns the options under a prefix with the prefix removed: Prefixed
// ("properties.") gives the Kafka client properties {"bootstrap.servers": ...}.
func (r *Resolved) Prefixed(prefix string) map[string]string {
	out := map[string]string{}
	for k, v := range r.Values {
		if rest, ok := strings.CutPrefix(k, prefix); ok && rest != "" {
			out[rest] = v
		}
	}
	return out
}

// CheckColumns checks the options that name columns against the table's columns:
// datagen's fields.<column>.* must name a column, and a sequence generator needs
// fields.<column>.start and .end, as in Flink.
func CheckColumns(r *Resolved, columns []string) []Problem {
	if r.Connector != "datagen" {
		return nil
	}
	known := map[string]bool{}
	for _, c := range columns {
		known[c] = true
	}
	var probs []Problem
	keys := make([]string, 0, len(r.Values))
	for k := range r.Values {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	seqCols := []string{}
	for _, k := range keys {
		rest, ok := strings.CutPrefix(k, "fields.")
		if !ok {
			continue
		}
		i := strings.LastIndexByte(rest, '.')
		if i <= 0 {
			continue
		}
		col := rest[:i]
		if !known[col] {
			msg := fmt.Sprintf("option '%s' names unknown column '%s'", r.WrittenKey(k), col)
			if s := suggest(col, columns); s != "" {
				msg += fmt.Sprintf("; did you mean '%s'?", s)
			}
			probs = append(probs, Problem{Key: r.WrittenKey(k), Msg: msg + "; columns: " + strings.Join(columns, ", ")})
			continue
		}
		if rest[i+1:] == "kind" && r.Values[k] == "sequence" {
			seqCols = append(seqCols, col)
		}
	}
	for _, col := range seqCols {
		for _, end := range []string{"start", "end"} {
			if !r.Has("fields." + col + "." + end) {
				probs = append(probs, Problem{Msg: fmt.Sprintf("missing option 'fields.%s.%s': a sequence generator needs a start and an end (table '%s')", col, end, r.Table)})
			}
		}
	}
	return probs
}
