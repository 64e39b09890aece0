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
