package options

import "strings"

// Canonical returns the modern key that a written key sets for a connector and value
// format: "connector.url" -> "url", "format.ignore-parse-errors" -> "csv.ignore-parse-errors"
// (format "csv"), "value.json.fail-on-missing-field" -> "json.fail-on-missing-field".
// Unknown keys are returned unchanged.
func Canonical(connector, format, key string) string {
	cd := connectors[connector]
	if cd == nil {
		if m, ok := legacyKeys[key]; ok {
			return m
		}
		return key
	}
	c := (&resolver{cd: cd}).canonical(key)
	if format != "" && cd.formatKey != "" {
		if rest, ok := strings.CutPrefix(c, "format."); ok && !legacyFormatOnly[c] {
			return format + "." + rest
		}
		if strings.Contains(cd.formatKey, "value.format") {
			if rest, ok := strings.CutPrefix(c, "value."+format+"."); ok {
				return format + "." + rest
			}
		}
	}
	return c
}

// Override returns written with kv applied: kv replaces every option that sets the same
// modern key (so -D t.url=... replaces a written 'connector.url'), or is appended. The
// written slice is not modified.
func Override(written []KV, kv KV) []KV {
	r, _ := Resolve("", written)
	target := Canonical(r.Connector, r.Format, kv.Key)
	out := make([]KV, 0, len(written)+1)
	replaced := false
	for _, w := range written {
		if Canonical(r.Connector, r.Format, w.Key) == target {
			if !replaced {
				out = append(out, kv)
				replaced = true
			}
			continue
		}
		out = append(out, w)
	}
	if !replaced {
		out = append(out, kv)
	}
	return out
}
