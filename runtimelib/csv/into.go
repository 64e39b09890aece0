package csv

import "bytes"

// SplitInto is Split into a caller's array: it stores the first len(fields) fields of
// rec in fields and returns how many it found (fewer when the record is shorter). The
// fields are the same views Split returns, with the same lifetime.
func (s *Splitter) SplitInto(rec []byte, fields [][]byte) (int, error) {
	n, _, err := s.SplitRest(rec, fields)
	return n, err
}

// SplitRest is SplitInto that also returns the rest of the record: the bytes after the
// delimiter that ended field len(fields), not nil (possibly empty, after a trailing
// delimiter) when the record holds more fields, nil when it ended. CountFields counts
// the fields in it, so that a record with too many fields is seen without splitting
// them. Generated code passes an array on its stack, so splitting writes no heap memory:
//
//	var fields [4][]byte
//	nf, more, err := p.csv1.SplitRest(rec, fields[:])
//
// Records without quoted fields (and tables without csv.escape-character) take a fast
// path that only looks for delimiters; anything else is handed to Split.
func (s *Splitter) SplitRest(rec []byte, fields [][]byte) (int, []byte, error) {
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
			return n + 1, nil, nil
		}
		fields[n] = rest[:i:i]
		rest = rest[i+1:]
		if len(rest) == 0 && n+1 < len(fields) { // a trailing delimiter ends with an empty field
			fields[n+1] = rest[:0:0]
			return n + 2, nil, nil
		}
	}
	return len(fields), rest, nil
}

// splitIntoSlow is SplitRest through Split (quotes, escapes, empty records).
func (s *Splitter) splitIntoSlow(rec []byte, fields [][]byte) (int, []byte, error) {
	if len(fields) == 0 {
		if len(rec) == 0 {
			return 0, nil, nil
		}
		return 0, rec, nil
	}
	got, err := s.Split(rec, len(fields))
	var rest []byte
	if err == nil && s.next >= 0 {
		rest = rec[s.next:]
	}
	return copy(fields, got), rest, err
}

// CountFields counts the fields in rest, the rest of a record after SplitRest (not nil:
// it holds at least one field), where room fields are expected. As Jackson's CSV parser
// that Flink uses (ALLOW_TRAILING_COMMA), one blank field (empty, or spaces only) just
// after the expected ones is not counted: "a,b,c," reads as three fields. A quote that
// is never closed, or text after a closing quote, is an error, as it is in Split.
// Nothing is copied: the fields are not needed, only their number.
func (s *Splitter) CountFields(rest []byte, room int) (int, error) {
	delim, quote, esc := s.cfg.Delim, s.cfg.Quote, s.cfg.Escape
	quoting, escaping := s.cfg.QuoteEnabled, s.cfg.HasEscape
	if !escaping && (!quoting || bytes.IndexByte(rest, quote) < 0) {
		n := bytes.Count(rest, []byte{delim}) + 1
		if n == room+1 {
			last := rest
			if i := bytes.LastIndexByte(rest, delim); i >= 0 {
				last = rest[i+1:]
			}
			if blank(last) {
				n--
			}
		}
		return n, nil
	}
	n, i := 0, 0
	for {
		start := i
		if quoting && i < len(rest) && rest[i] == quote {
			j := i + 1
			for ; j < len(rest); j++ {
				if escaping && rest[j] == esc && j+1 < len(rest) {
					j++
					continue
				}
				if rest[j] == quote {
					if j+1 < len(rest) && rest[j+1] == quote {
						j++
						continue
					}
					break
				}
			}
			if j >= len(rest) {
				return n, &ParseError{Offset: i, Msg: "unterminated quoted field"}
			}
			i = j + 1
			if i < len(rest) && rest[i] != delim {
				return n, &ParseError{Offset: i, Msg: "unexpected character after closing quote"}
			}
		} else {
			for i < len(rest) && rest[i] != delim {
				if escaping && rest[i] == esc && i+1 < len(rest) {
					i++
				}
				i++
			}
		}
		n++
		if i >= len(rest) {
			if n == room+1 && blank(rest[start:]) {
				n--
			}
			return n, nil
		}
		i++                 // past the delimiter
		if i == len(rest) { // a trailing delimiter ends with an empty field
			n++
			if n == room+1 {
				n--
			}
			return n, nil
		}
	}
}

// blank reports whether a field is empty or spaces only (Java's trim() removes it all).
func blank(f []byte) bool {
	for _, c := range f {
		if c > ' ' {
			return false
		}
	}
	return true
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
