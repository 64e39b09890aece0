package csv

import "bytes"

// SplitInto is Split into a caller's array: it stores the first len(fields) fields of
// rec in fields and returns how many it found (fewer when the record is shorter). The
// fields are the same views Split returns, with the same lifetime. Generated code
// passes an array on its stack, so splitting writes no heap memory:
//
//	var fields [4][]byte
//	nf, err := p.csv1.SplitInto(rec, fields[:])
//
// Records without quoted fields (and tables without csv.escape-character) take a fast
// path that only looks for delimiters; anything else is handed to Split.
func (s *Splitter) SplitInto(rec []byte, fields [][]byte) (int, error) {
	if s.cfg.HasEscape || len(rec) == 0 || len(fields) == 0 {
		return s.splitIntoSlow(rec, fields)
	}
	delim, quote, quoting := s.cfg.Delim, s.cfg.Quote, s.cfg.QuoteEnabled
	rest := rec
	for n := range fields {
		if quoting && len(rest) > 0 && rest[0] == quote {
			return s.splitIntoSlow(rec, fields)
		}
		i := bytes.IndexByte(rest, delim)
		if i < 0 {
			fields[n] = rest[:len(rest):len(rest)]
			return n + 1, nil
		}
		fields[n] = rest[:i:i]
		rest = rest[i+1:]
		if len(rest) == 0 { // a trailing delimiter ends with an empty field
			if n+1 < len(fields) {
				fields[n+1] = rest[:0:0]
				return n + 2, nil
			}
			return n + 1, nil
		}
	}
	return len(fields), nil
}

// splitIntoSlow is SplitInto through Split (quotes, escapes, empty records).
func (s *Splitter) splitIntoSlow(rec []byte, fields [][]byte) (int, error) {
	if len(fields) == 0 {
		return 0, nil
	}
	got, err := s.Split(rec, len(fields))
	return copy(fields, got), err
}

// Plain returns what a split loop generated inline needs to split an unquoted record
// itself, as SplitInto's fast path does: the delimiter, and the byte that makes a field
// take SplitInto's general path when it starts one — the quote character, or '\n' when
// quoting is disabled (a line never holds one; a Kafka value that does only takes the
// general path, which is as correct). ok is false when csv.escape-character is set:
// then every record takes the general path.
func (s *Splitter) Plain() (delim, quote byte, ok bool) {
	quote = s.cfg.Quote
	if !s.cfg.QuoteEnabled {
		quote = '\n'
	}
	return s.cfg.Delim, quote, !s.cfg.HasEscape
}
