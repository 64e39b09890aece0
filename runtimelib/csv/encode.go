package csv

// AppendField appends one field, quoting it when it needs quotes (and quoting is
// enabled); quotes inside are doubled, or escaped with the escape character if set.
func AppendField(dst []byte, cfg Config, field []byte) []byte {
	need := false
	if len(field) > 0 && (field[0] == ' ' || field[len(field)-1] == ' ') {
		need = true
	}
	for _, c := range field {
		if c == cfg.Delim || c == '\n' || c == '\r' || (cfg.QuoteEnabled && c == cfg.Quote) ||
			(cfg.HasEscape && c == cfg.Escape) {
			need = true
			break
		}
	}
	if !need {
		return append(dst, field...)
	}
	if !cfg.QuoteEnabled {
		// Without quotes the only protection is the escape character.
		for _, c := range field {
			if cfg.HasEscape && (c == cfg.Delim || c == cfg.Escape || c == '\n' || c == '\r') {
				dst = append(dst, cfg.Escape)
			}
			dst = append(dst, c)
		}
		return dst
	}
	dst = append(dst, cfg.Quote)
	for _, c := range field {
		switch {
		case c == cfg.Quote && cfg.HasEscape:
			dst = append(dst, cfg.Escape, c)
		case c == cfg.Quote:
			dst = append(dst, c, c)
		case cfg.HasEscape && c == cfg.Escape:
			dst = append(dst, c, c)
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, cfg.Quote)
}

// AppendRecord appends fields as one record (no line separator).
func AppendRecord(dst []byte, cfg Config, fields ...[]byte) []byte {
	if cfg == (Config{}) {
		cfg = DefaultConfig()
	}
	for i, f := range fields {
		if i > 0 {
			dst = append(dst, cfg.Delim)
		}
		dst = AppendField(dst, cfg, f)
	}
	return dst
}
