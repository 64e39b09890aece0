package codegen

import (
	"strings"

	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
)

// messagePart is the half of a message (the value, or the Kafka key) that one format
// decodes, with the scanned columns it yields and where each is in that format's row.
type messagePart struct {
	key    bool         // the message key (b.Keys[r]) with key.format; else the value (rec)
	format string       // "csv" or "json"
	cols   []scanColumn // field: the CSV field index; name: the JSON member
	arity  int          // the fields of the format's row (a CSV record must have as many)
}

// kafkaParts splits the physical columns a Kafka scan reads between the message key and
// the value, as Flink's Kafka connector does:
//
//   - 'key.fields' lists the physical columns the key format holds, in key order; a
//     CSV key has them as its fields in that order, a JSON key as members named after
//     the columns without 'key.fields-prefix'.
//   - 'value.fields-include' = 'ALL' (the default): the value holds every physical
//     column in table order, the key columns too; 'EXCEPT_KEY': the value holds only
//     the others, in table order.
//
// Flink decodes the key first and then sets the value's fields over it, so under ALL a
// key column takes the value's field (the key is still decoded, and its errors count).
func (g *gen) kafkaParts(t *ir.Table, res *options.Resolved, cols []scanColumn) (parts []messagePart, ok bool) {
	value := messagePart{format: res.Format}
	span := t.Span
	for _, o := range t.Options {
		if o.Key == "key.fields" {
			span = o.ValueSpan
		}
	}
	prefix := res.String("key.fields-prefix")
	exceptKey := strings.EqualFold(res.String("value.fields-include"), "EXCEPT_KEY")
	// keyIdx: physical index -> index in the key row.
	keyIdx := map[int]int{}
	physByName := map[string]int{}
	var physCols []*ir.Column
	for _, c := range t.Columns {
		if c.Kind == ir.Physical {
			physByName[c.Name] = len(physCols)
			physCols = append(physCols, c)
		}
	}
	ok = true
	for i, name := range strings.Split(res.String("key.fields"), ";") {
		name = strings.TrimSpace(name)
		p, found := physByName[name]
		switch {
		case name == "":
			g.errorf(span, "'key.fields' has an empty column name")
			ok = false
		case !found:
			g.errorf(span, "column '%s' of 'key.fields' is not a physical column of table %s", name, t.Name)
			ok = false
		case !strings.HasPrefix(name, prefix):
			g.errorf(span, "column '%s' of 'key.fields' does not start with 'key.fields-prefix' '%s'", name, prefix)
			ok = false
		default:
			if _, dup := keyIdx[p]; dup {
				g.errorf(span, "column '%s' appears twice in 'key.fields'", name)
				ok = false
			}
			keyIdx[p] = i
		}
	}
	if !ok {
		return nil, false
	}
	// valueIdx: physical index -> index in the value row.
	valueIdx := map[int]int{}
	for p := range physCols {
		if _, isKey := keyIdx[p]; isKey && exceptKey {
			continue
		}
		valueIdx[p] = len(valueIdx)
	}
	value.arity = len(valueIdx)
	key := messagePart{key: true, format: res.KeyFormat, arity: len(keyIdx)}
	for _, c := range cols {
		if k, isKey := keyIdx[c.phys]; isKey {
			kc := c
			kc.field, kc.name = k, strings.TrimPrefix(c.col.Name, prefix)
			key.cols = append(key.cols, kc)
		}
		if v, inValue := valueIdx[c.phys]; inValue {
			c.field, c.name = v, c.col.Name
			value.cols = append(value.cols, c)
		}
	}
	return []messagePart{key, value}, true
}
