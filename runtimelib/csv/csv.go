package csv

import (
	"bytes"
	"strconv"
	"unicode/utf8"
)

// Config holds the CSV format options of one table.
type Config struct {
	Delim             byte   // csv.field-delimiter, default ','
	Quote             byte   // csv.quote-character, default '"'
	QuoteEnabled      bool   // false when csv.disable-quote-character = true
	AllowComments     bool   // csv.allow-comments: lines starting with '#' are skipped
	IgnoreParseErrors bool   // csv.ignore-parse-errors: a bad field becomes NULL, a bad row is skipped
	NullLiteral       string // csv.null-literal
	HasNullLiteral    bool   // csv.null-literal is set
	Escape            byte   // csv.escape-character
	HasEscape         bool   // csv.escape-character is set
}

// DefaultConfig is Flink's default CSV format: ',' delimiter, '"' quotes, no escape,
// no null literal, comments not allowed, parse errors fail the job.
func DefaultConfig() Config {
	return Config{Delim: ',', Quote: '"', QuoteEnabled: true}
}

// Options is the part of *options.Resolved that ConfigFrom reads. Taking an interface
// keeps this package free of the options package (any value with these methods works).
type Options interface {
	String(key string) string
	Bool(key string) bool
	Has(key string) bool
}

// ConfigFrom reads the csv.* options of a resolved table. Option values are expected
// to be validated already (options.Resolve); an unusable delimiter, quote or escape
// value falls back to the default. Like Flink, backslash escapes in the delimiter are
// interpreted ('\t' is a tab, '\u0001' is U+0001).
func ConfigFrom(r Options) Config {
	c := DefaultConfig()
	if r == nil {
		return c
	}
	if b, ok := singleByte(r.String("csv.field-delimiter")); ok {
		c.Delim = b
	}
	if r.Has("csv.quote-character") {
		if b, ok := singleByte(r.String("csv.quote-character")); ok {
			c.Quote = b
		}
	}
	c.QuoteEnabled = !r.Bool("csv.disable-quote-character")
	c.AllowComments = r.Bool("csv.allow-comments")
	c.IgnoreParseErrors = r.Bool("csv.ignore-parse-errors")
	if r.Has("csv.null-literal") {
		c.NullLiteral = r.String("csv.null-literal")
		c.HasNullLiteral = true
	}
	if r.Has("csv.escape-character") {
		if b, ok := singleByte(r.String("csv.escape-character")); ok {
			c.Escape, c.HasEscape = b, true
		}
	}
	return c
}

// singleByte returns the one byte s denotes after Java-style unescaping.
func singleByte(s string) (byte, bool) {
	u, ok := UnescapeJava(s)
	if !ok || len(u) != 1 {
		return 0, false
	}
	return u[0], true
}

// UnescapeJava interprets the backslash escapes Flink accepts in csv.field-delimiter
// (it applies StringEscapeUtils.unescapeJava): \t \n \r \f \b \\ \' \", octal \0..\377
// and \uXXXX.
func UnescapeJava(s string) (string, bool) {
	if !bytes.Contains([]byte(s), []byte{'\\'}) {
		return s, true
	}
	var out []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		if i+1 == len(s) {
			out = append(out, c)
			break
		}
		i++
		switch s[i] {
		case 't':
			out = append(out, '\t')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 'f':
			out = append(out, '\f')
		case 'b':
			out = append(out, '\b')
		case '\\', '\'', '"':
			out = append(out, s[i])
		case '0', '1', '2', '3', '4', '5', '6', '7': // octal, up to \377
			v := 0
			j := i
			for j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7' && v*8+int(s[j]-'0') <= 0377 {
				v = v*8 + int(s[j]-'0')
				j++
			}
			out = utf8.AppendRune(out, rune(v))
			i = j - 1
		case 'u':
			if i+5 > len(s) {
				return "", false
			}
			v, err := strconv.ParseUint(s[i+1:i+5], 16, 16)
			if err != nil {
				return "", false
			}
			out = utf8.AppendRune(out, rune(v))
			i += 4
		default:
			return "", false
		}
	}
	return string(out), true
}

// ParseError is a malformed record: where (byte offset in the record) and what.
type ParseError struct {
	Offset int
	Msg    string
}

func (e *ParseError) Error() string {
	return "csv: " + e.Msg + " at byte " + strconv.Itoa(e.Offset)
}

// Splitter splits records into fields. It is not safe for concurrent use; generated
// code keeps one per source table.
type Splitter struct {
	cfg     Config
	fields  [][]byte
	scratch []byte
	// next is where the record goes on after the last field Split returned: the offset
	// after the delimiter that ended it, or -1 when the record ended (SplitRest).
	next int
}

// NewSplitter returns a splitter for cfg.
func NewSplitter(cfg Config) *Splitter {
	if cfg == (Config{}) { // the zero Config means the defaults
		cfg = DefaultConfig()
	}
	return &Splitter{cfg: cfg, fields: make([][]byte, 0, 16), scratch: make([]byte, 0, 256)}
}

// Config returns the splitter's configuration.
func (s *Splitter) Config() Config { return s.cfg }

// IgnoreParseErrors reports csv.ignore-parse-errors: when true a field that does not
// parse becomes NULL and a malformed row is skipped; when false both fail the job.
func (s *Splitter) IgnoreParseErrors() bool { return s.cfg.IgnoreParseErrors }

// IsNull reports whether field is the csv.null-literal (NULL for every column type).
// An empty field is not NULL (see the package comment).
func (s *Splitter) IsNull(field []byte) bool {
	return s.cfg.HasNullLiteral && string(field) == s.cfg.NullLiteral
}

// IsComment reports whether rec is a comment line to skip (csv.allow-comments and the
// record starts with '#').
func (s *Splitter) IsComment(rec []byte) bool {
	return s.cfg.AllowComments && len(rec) > 0 && rec[0] == '#'
}

// Split returns the first n fields of rec (all fields when n < 0). Fields are views:
// unquoted fields and quoted fields without escapes point into rec, others into the
// splitter's scratch buffer; all are valid until the next Split. A record with fewer
// than n fields yields what it has (the caller checks len). An empty record has no
// fields. A quote that is never closed, or text after a closing quote, is an error.
// Fields after the n-th are not examined.
func (s *Splitter) Split(rec []byte, n int) ([][]byte, error) {
	fields := s.fields[:0]
	s.next = -1
	if len(rec) == 0 || n == 0 {
		s.fields = fields
		if len(rec) > 0 {
			s.next = 0
		}
		return fields, nil
	}
	// Unescaped text is never longer than the record, so one buffer of len(rec) is
	// enough and fields pointing into it never move.
	if cap(s.scratch) < len(rec) {
		s.scratch = make([]byte, 0, len(rec)+len(rec)/2)
	}
	scratch := s.scratch[:0]
	delim, quote, esc := s.cfg.Delim, s.cfg.Quote, s.cfg.Escape
	quoting, escaping := s.cfg.QuoteEnabled, s.cfg.HasEscape
	i := 0
	for {
		var field []byte
		end := 0 // index of the delimiter after the field, or len(rec)
		if quoting && i < len(rec) && rec[i] == quote {
			j := i + 1
			start := j
			copied := false
			mark := len(scratch)
			closed := false
			for j < len(rec) {
				c := rec[j]
				if c == quote {
					if j+1 < len(rec) && rec[j+1] == quote { // "" is one quote
						if !copied {
							scratch = append(scratch, rec[start:j]...)
							copied = true
						}
						scratch = append(scratch, quote)
						j += 2
						continue
					}
					closed = true
					break
				}
				if escaping && c == esc && j+1 < len(rec) {
					if !copied {
						scratch = append(scratch, rec[start:j]...)
						copied = true
					}
					scratch = append(scratch, rec[j+1])
					j += 2
					continue
				}
				if copied {
					scratch = append(scratch, c)
				}
				j++
			}
			if !closed {
				s.fields, s.scratch = fields, scratch
				return fields, &ParseError{Offset: i, Msg: "unterminated quoted field"}
			}
			if copied {
				field = scratch[mark:len(scratch):len(scratch)]
			} else {
				field = rec[start:j:j]
			}
			j++ // past the closing quote
			if j < len(rec) && rec[j] != delim {
				s.fields, s.scratch = fields, scratch
				return fields, &ParseError{Offset: j, Msg: "unexpected character after closing quote"}
			}
			end = j
		} else if !escaping {
			k := bytes.IndexByte(rec[i:], delim)
			if k < 0 {
				end = len(rec)
			} else {
				end = i + k
			}
			field = rec[i:end:end]
		} else {
			j := i
			copied := false
			mark := len(scratch)
			for j < len(rec) && rec[j] != delim {
				if rec[j] == esc && j+1 < len(rec) {
					if !copied {
						scratch = append(scratch, rec[i:j]...)
						copied = true
					}
					scratch = append(scratch, rec[j+1])
					j += 2
					continue
				}
				if copied {
					scratch = append(scratch, rec[j])
				}
				j++
			}
			end = j
			if copied {
				field = scratch[mark:len(scratch):len(scratch)]
			} else {
				field = rec[i:end:end]
			}
		}
		fields = append(fields, field)
		if end >= len(rec) {
			break
		}
		if len(fields) == n {
			s.next = end + 1
			break
		}
		i = end + 1
		if i == len(rec) { // a trailing delimiter ends with an empty field
			fields = append(fields, rec[i:i:i])
			break
		}
	}
	s.fields, s.scratch = fields, scratch
	return fields, nil
}

// FieldState is what generated code does with one field before typed parsing.
type FieldState uint8

const (
	FieldValue FieldState = iota // parse the field as the column type
	FieldNull                    // the field is NULL (csv.null-literal)
)

// Classify returns FieldNull for the null literal and FieldValue otherwise. An empty
// field is a FieldValue: for STRING columns it is "", for other types it fails to
// parse, which is a parse error (NULL under csv.ignore-parse-errors), as in Flink.
func (s *Splitter) Classify(field []byte) FieldState {
	if s.IsNull(field) {
		return FieldNull
	}
	return FieldValue
}
