package types

import (
	"errors"
	"math"
	"strconv"
)

// DateTimeFormatter is a compiled java.time pattern, as Flink's DATE_FORMAT of a
// TIMESTAMP or TIMESTAMP_LTZ (DateTimeFormatter.ofPattern(p).format(localDateTime)) and
// TO_TIMESTAMP(s, p) (DateTimeFormatter.ofPattern(p).parse(s), ResolverStyle.SMART) use
// it, with Locale.US: English names, weeks from Sunday with week 1 holding January 1st.
// It is immutable, so tasks share one.
//
// Every pattern letter of JDK 11/17 compiles (with Java's errors for wrong letter counts,
// unknown letters, reserved characters and unterminated quotes), except 'p' (padding),
// which is not supported. Zone and offset letters (V v z O X x Z) compile, but a
// TIMESTAMP has no zone, so formatting them fails as Java's does, unless they are in an
// optional section [...], which is then left out. Parsing supports the letters
// G u y M L d D E a H k K h m s S and X x Z (an offset is read and ignored, as Flink's
// TO_TIMESTAMP ignores it); the others make ParseTimestamp fail with an *ErrParseLetter.
type DateTimeFormatter struct {
	items    []dtfItem
	needZone bool   // a zone item outside optional sections: every Format fails
	noParse  string // the first letter parsing does not support, "" if none
	gran     int64  // Granularity
}

// ErrParseLetter reports a pattern letter parsing does not support.
type ErrParseLetter struct{ Letter string }

func (e *ErrParseLetter) Error() string {
	return "pattern letter " + e.Letter + " is not supported for parsing yet"
}

type dtfKind uint8

const (
	dtfLiteral  dtfKind = iota
	dtfNumber           // NumberPrinterParser (also the reduced year and the fraction)
	dtfText             // TextPrinterParser
	dtfZone             // a zone or offset: unavailable in a LocalDateTime
	dtfOptional         // an optional section
)

type dtfField uint8

const (
	fEra dtfField = iota
	fYear
	fYearOfEra
	fWeekBasedYear
	fQuarter
	fMonth
	fWeekOfWeekBasedYear
	fWeekOfMonth
	fDayOfYear
	fDayOfMonth
	fDayOfWeek      // ISO: 1 = Monday
	fLocalDayOfWeek // Locale.US: 1 = Sunday ('e', 'c')
	fAlignedDayOfWeekInMonth
	fAmPm
	fHourOfDay
	fClockHourOfDay
	fHourOfAmPm
	fClockHourOfAmPm
	fMinute
	fSecond
	fNanoOfSecond
	fNanoOfDay
	fMilliOfDay
	fModifiedJulianDay
	nFields
)

type signStyle uint8

const (
	signNormal signStyle = iota
	signNotNegative
	signExceedsPad
)

type textStyle uint8

const (
	textShort textStyle = iota
	textFull
	textNarrow
)

type dtfItem struct {
	kind     dtfKind
	field    dtfField
	lit      string
	min, max int
	sign     signStyle
	reduced  bool // appendValueReduced(field, 2, 2, 2000)
	fraction bool // appendFraction(NANO_OF_SECOND, min, max, false)
	// subsequent is the adjacent value parsing width: the digits the following
	// fixed-width values need (-1: this one is fixed width itself).
	subsequent int
	style      textStyle
	letters    string    // a zone item's pattern letters
	offset     string    // an offset's parse pattern ("+HH:MM")
	noOffset   string    // an offset's text for zero
	sub        []dtfItem // an optional section
}

// CompileDateTimeFormatter compiles a java.time pattern; the error is Java's
// IllegalArgumentException message.
func CompileDateTimeFormatter(pattern string) (*DateTimeFormatter, error) {
	b := &dtfBuilder{}
	b.push()
	if err := b.parsePattern(pattern); err != nil {
		return nil, err
	}
	for len(b.levels) > 1 {
		b.optionalEnd() // toFormatter closes open optional sections
	}
	f := &DateTimeFormatter{items: b.levels[0].items}
	for _, it := range f.items {
		if it.kind == dtfZone {
			f.needZone = true
		}
	}
	f.noParse = unparsable(f.items)
	f.gran = f.granularity()
	return f, nil
}

// NeedsZone reports a zone or offset letter outside optional sections: formatting a
// TIMESTAMP with it always fails.
func (f *DateTimeFormatter) NeedsZone() bool { return f.needZone }

// UnparsableLetter returns the first pattern letter parsing does not support ("" if
// parsing supports the whole pattern).
func (f *DateTimeFormatter) UnparsableLetter() string { return f.noParse }

type dtfLevel struct {
	items       []dtfItem
	valueParser int // index of the active adjacent value parser, -1 if none
}

type dtfBuilder struct{ levels []*dtfLevel }

func (b *dtfBuilder) push()             { b.levels = append(b.levels, &dtfLevel{valueParser: -1}) }
func (b *dtfBuilder) active() *dtfLevel { return b.levels[len(b.levels)-1] }

// appendInternal adds an item that is not an adjacent value.
func (b *dtfBuilder) appendInternal(it dtfItem) int {
	a := b.active()
	a.items = append(a.items, it)
	a.valueParser = -1
	return len(a.items) - 1
}

// appendValue adds a number, following DateTimeFormatterBuilder.appendValue's adjacent
// value parsing: a fixed-width value (min == max, not negative) after another value
// adds its width to that one's subsequent width; any other value makes the previous
// one fixed width and becomes the active one.
func (b *dtfBuilder) appendValue(it dtfItem) {
	a := b.active()
	if a.valueParser < 0 {
		a.valueParser = b.appendInternal(it)
		return
	}
	base := a.valueParser
	if it.min == it.max && it.sign == signNotNegative {
		a.items[base].subsequent += it.max
		it.subsequent = -1
		b.appendInternal(it)
		a.valueParser = base
		return
	}
	a.items[base].subsequent = -1
	a.valueParser = b.appendInternal(it)
}

func (b *dtfBuilder) optionalEnd() {
	child := b.active()
	b.levels = b.levels[:len(b.levels)-1]
	if len(child.items) > 0 {
		b.appendInternal(dtfItem{kind: dtfOptional, sub: child.items})
	}
}

func isASCIILetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

// parsePattern is DateTimeFormatterBuilder.appendPattern.
func (b *dtfBuilder) parsePattern(pattern string) error {
	for pos := 0; pos < len(pattern); pos++ {
		cur := pattern[pos]
		switch {
		case isASCIILetter(cur):
			start := pos
			for pos++; pos < len(pattern) && pattern[pos] == cur; pos++ {
			}
			count := pos - start
			if cur == 'p' {
				return errors.New("pattern letter 'p' (padding) is not supported")
			}
			if err := b.letter(cur, count); err != nil {
				return err
			}
			pos--
		case cur == '\'':
			start := pos
			for pos++; pos < len(pattern); pos++ {
				if pattern[pos] == '\'' {
					if pos+1 < len(pattern) && pattern[pos+1] == '\'' {
						pos++
					} else {
						break
					}
				}
			}
			if pos >= len(pattern) {
				return errors.New("Pattern ends with an incomplete string literal: " + pattern)
			}
			s := pattern[start+1 : pos]
			if s == "" {
				b.appendInternal(dtfItem{kind: dtfLiteral, lit: "'"})
			} else {
				b.appendInternal(dtfItem{kind: dtfLiteral, lit: replaceAll(s, "''", "'")})
			}
		case cur == '[':
			b.active().valueParser = -1
			b.push()
		case cur == ']':
			if len(b.levels) == 1 {
				return errors.New("Pattern invalid as it contains ] without previous [")
			}
			b.optionalEnd()
		case cur == '{' || cur == '}' || cur == '#':
			return errors.New("Pattern includes reserved character: '" + string(cur) + "'")
		default:
			// One literal per character, multi-byte UTF-8 sequences kept together.
			end := pos + 1
			for end < len(pattern) && pattern[end]&0xC0 == 0x80 {
				end++
			}
			b.appendInternal(dtfItem{kind: dtfLiteral, lit: pattern[pos:end]})
			pos = end - 1
		}
	}
	return nil
}

func replaceAll(s, old, new string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		if i+len(old) <= len(s) && s[i:i+len(old)] == old {
			out = append(out, new...)
			i += len(old)
			continue
		}
		out = append(out, s[i])
		i++
	}
	return string(out)
}

var dtfFieldOf = map[byte]dtfField{
	'G': fEra, 'y': fYearOfEra, 'u': fYear, 'Q': fQuarter, 'q': fQuarter, 'M': fMonth,
	'L': fMonth, 'D': fDayOfYear, 'd': fDayOfMonth, 'F': fAlignedDayOfWeekInMonth,
	'E': fDayOfWeek, 'c': fLocalDayOfWeek, 'e': fLocalDayOfWeek, 'a': fAmPm,
	'H': fHourOfDay, 'k': fClockHourOfDay, 'K': fHourOfAmPm, 'h': fClockHourOfAmPm,
	'm': fMinute, 's': fSecond, 'S': fNanoOfSecond, 'A': fMilliOfDay, 'n': fNanoOfSecond,
	'N': fNanoOfDay, 'g': fModifiedJulianDay,
}

func tooMany(cur byte) error { return errors.New("Too many pattern letters: " + string(cur)) }

// offsetPatterns is OffsetIdPrinterParser.PATTERNS as far as X, x and Z index it.
var offsetPatterns = []string{"+HH", "+HHmm", "+HH:mm", "+HHMM", "+HH:MM", "+HHMMss", "+HH:MM:ss"}

// letter adds the items of a run of count pattern letters cur (parsePattern and
// parseField of DateTimeFormatterBuilder, JDK 11/17).
func (b *dtfBuilder) letter(cur byte, count int) error {
	zone := func(letters string) { b.appendInternal(dtfItem{kind: dtfZone, letters: letters}) }
	rep := string(bytesRepeat(cur, count))
	offset := func(pat, zero string) {
		b.appendInternal(dtfItem{kind: dtfZone, letters: rep, offset: pat, noOffset: zero})
	}
	num := func(f dtfField, min, max int, sign signStyle) {
		b.appendValue(dtfItem{kind: dtfNumber, field: f, min: min, max: max, sign: sign})
	}
	switch cur {
	case 'V':
		if count != 2 {
			return errors.New("Pattern letter count must be 2: " + string(cur))
		}
		zone(rep)
		return nil
	case 'v':
		if count != 1 && count != 4 {
			return errors.New("Wrong number of pattern letters: " + string(cur))
		}
		zone(rep)
		return nil
	case 'z':
		if count > 4 {
			return tooMany(cur)
		}
		zone(rep)
		return nil
	case 'Z':
		switch {
		case count < 4:
			offset("+HHMM", "+0000")
		case count == 4:
			zone(rep) // localized offset, "GMT+08:00"
		case count == 5:
			offset("+HH:MM:ss", "Z")
		default:
			return tooMany(cur)
		}
		return nil
	case 'O':
		if count != 1 && count != 4 {
			return errors.New("Pattern letter count must be 1 or 4: " + string(cur))
		}
		zone(rep)
		return nil
	case 'X', 'x':
		if count > 5 {
			return tooMany(cur)
		}
		i := count + 1
		if count == 1 {
			i = count
		}
		zero := "Z"
		if cur == 'x' {
			switch {
			case count == 1:
				zero = "+00"
			case count%2 == 0:
				zero = "+0000"
			default:
				zero = "+00:00"
			}
		}
		offset(offsetPatterns[i], zero)
		return nil
	case 'w':
		if count > 2 {
			return tooMany(cur)
		}
		num(fWeekOfWeekBasedYear, count, 2, signNotNegative)
		return nil
	case 'W':
		if count > 1 {
			return tooMany(cur)
		}
		num(fWeekOfMonth, count, count, signNotNegative)
		return nil
	case 'Y':
		switch {
		case count == 2:
			b.appendValue(dtfItem{kind: dtfNumber, field: fWeekBasedYear, min: 2, max: 2, sign: signNotNegative, reduced: true})
		case count < 4:
			num(fWeekBasedYear, count, 19, signNormal)
		default:
			num(fWeekBasedYear, count, 19, signExceedsPad)
		}
		return nil
	}
	field, ok := dtfFieldOf[cur]
	if !ok {
		return errors.New("Unknown pattern letter: " + string(cur))
	}
	text := func(st textStyle) { b.appendInternal(dtfItem{kind: dtfText, field: field, style: st}) }
	switch cur {
	case 'u', 'y':
		switch {
		case count == 2:
			b.appendValue(dtfItem{kind: dtfNumber, field: field, min: 2, max: 2, sign: signNotNegative, reduced: true})
		case count < 4:
			num(field, count, 19, signNormal)
		default:
			num(field, count, 19, signExceedsPad)
		}
	case 'c', 'L', 'q', 'M', 'Q', 'E', 'e':
		if cur == 'c' && count == 2 {
			return errors.New(`Invalid pattern "cc"`)
		}
		switch count {
		case 1, 2:
			switch cur {
			case 'c', 'e':
				num(field, count, count, signNotNegative)
			case 'E':
				text(textShort)
			default:
				if count == 1 {
					num(field, 1, 19, signNormal)
				} else {
					num(field, 2, 2, signNotNegative)
				}
			}
		case 3:
			text(textShort)
		case 4:
			text(textFull)
		case 5:
			text(textNarrow)
		default:
			return tooMany(cur)
		}
	case 'a':
		if count != 1 {
			return tooMany(cur)
		}
		text(textShort)
	case 'G':
		switch {
		case count <= 3:
			text(textShort)
		case count == 4:
			text(textFull)
		case count == 5:
			text(textNarrow)
		default:
			return tooMany(cur)
		}
	case 'S':
		if count > 9 {
			return errors.New("Maximum width must be from 1 to 9 inclusive but was " + strconv.Itoa(count))
		}
		b.appendValue(dtfItem{kind: dtfNumber, field: fNanoOfSecond, min: count, max: count, sign: signNotNegative, fraction: true})
	case 'F':
		if count != 1 {
			return tooMany(cur)
		}
		num(field, 1, 19, signNormal)
	case 'd', 'h', 'H', 'k', 'K', 'm', 's':
		switch count {
		case 1:
			num(field, 1, 19, signNormal)
		case 2:
			num(field, 2, 2, signNotNegative)
		default:
			return tooMany(cur)
		}
	case 'D':
		switch count {
		case 1:
			num(field, 1, 19, signNormal)
		case 2, 3:
			num(field, count, 3, signNotNegative)
		default:
			return tooMany(cur)
		}
	case 'g':
		num(field, count, 19, signNormal)
	case 'A', 'n', 'N':
		if count > 19 {
			return errors.New("The maximum width must exceed or equal the minimum width but " + strconv.Itoa(19) + " < " + strconv.Itoa(count))
		}
		num(field, count, 19, signNotNegative)
	}
	return nil
}

func bytesRepeat(c byte, n int) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = c
	}
	return out
}

// parsableLetters are the fields ParseTimestamp supports.
var parsableFields = map[dtfField]bool{
	fEra: true, fYear: true, fYearOfEra: true, fMonth: true, fDayOfMonth: true,
	fDayOfYear: true, fDayOfWeek: true, fAmPm: true, fHourOfDay: true, fClockHourOfDay: true,
	fHourOfAmPm: true, fClockHourOfAmPm: true, fMinute: true, fSecond: true,
	fNanoOfSecond: true,
}

var fieldLetter = map[dtfField]string{
	fWeekBasedYear: "Y", fQuarter: "Q", fWeekOfWeekBasedYear: "w", fWeekOfMonth: "W",
	fLocalDayOfWeek: "e", fAlignedDayOfWeekInMonth: "F", fNanoOfDay: "N", fMilliOfDay: "A",
	fModifiedJulianDay: "g",
}

func unparsable(items []dtfItem) string {
	for _, it := range items {
		switch it.kind {
		case dtfNumber, dtfText:
			if !parsableFields[it.field] || it.field == fNanoOfSecond && !it.fraction {
				if l, ok := fieldLetter[it.field]; ok {
					return l
				}
				return "n"
			}
			if it.kind == dtfText && it.style == textNarrow {
				return "narrow text (5 letters)"
			}
		case dtfZone:
			if it.noOffset == "" {
				return it.letters
			}
		case dtfOptional:
			if l := unparsable(it.sub); l != "" {
				return l
			}
		}
	}
	return ""
}

// ---- formatting ----

// ldt is a LocalDateTime broken into the fields patterns print.
type ldt struct {
	days, nanoOfDay  int64
	year, month, day int64
}

func newLDT(ts Timestamp) ldt {
	days, ms := splitMillis(ts.Millis)
	y, m, d := civilFromDays(days)
	return ldt{days: days, nanoOfDay: ms*1_000_000 + int64(ts.Nanos), year: y, month: m, day: d}
}

func (t *ldt) get(f dtfField) int64 {
	switch f {
	case fEra:
		if t.year > 0 {
			return 1
		}
		return 0
	case fYear:
		return t.year
	case fYearOfEra:
		if t.year > 0 {
			return t.year
		}
		return 1 - t.year
	case fWeekBasedYear:
		wy, _ := usWeekOfYear(t.days, t.year)
		return wy
	case fWeekOfWeekBasedYear:
		_, w := usWeekOfYear(t.days, t.year)
		return w
	case fWeekOfMonth:
		return usWeekOfMonth(t.days, t.days-t.day+1)
	case fQuarter:
		return (t.month-1)/3 + 1
	case fMonth:
		return t.month
	case fDayOfYear:
		return t.days - daysFromCivil(t.year, 1, 1) + 1
	case fDayOfMonth:
		return t.day
	case fDayOfWeek:
		return isoDayOfWeek(t.days)
	case fLocalDayOfWeek:
		return floorMod(t.days+4, 7) + 1
	case fAlignedDayOfWeekInMonth:
		return (t.day-1)%7 + 1
	case fAmPm:
		return t.nanoOfDay / 3_600_000_000_000 / 12
	case fHourOfDay:
		return t.nanoOfDay / 3_600_000_000_000
	case fClockHourOfDay:
		if h := t.nanoOfDay / 3_600_000_000_000; h != 0 {
			return h
		}
		return 24
	case fHourOfAmPm:
		return t.nanoOfDay / 3_600_000_000_000 % 12
	case fClockHourOfAmPm:
		if h := t.nanoOfDay / 3_600_000_000_000 % 12; h != 0 {
			return h
		}
		return 12
	case fMinute:
		return t.nanoOfDay / 60_000_000_000 % 60
	case fSecond:
		return t.nanoOfDay / 1_000_000_000 % 60
	case fNanoOfSecond:
		return t.nanoOfDay % 1_000_000_000
	case fNanoOfDay:
		return t.nanoOfDay
	case fMilliOfDay:
		return t.nanoOfDay / 1_000_000
	case fModifiedJulianDay:
		return t.days + 40587
	}
	return 0
}

var quarterNames = [4]string{"1st quarter", "2nd quarter", "3rd quarter", "4th quarter"}

// text is the English text of a field value in a style.
func fieldText(f dtfField, v int64, st textStyle) string {
	switch f {
	case fEra:
		return [3][2]string{{"BC", "AD"}, {"Before Christ", "Anno Domini"}, {"B", "A"}}[st][v]
	case fMonth:
		switch st {
		case textShort:
			return monthShortNames[v-1]
		case textFull:
			return monthNames[v-1]
		}
		return monthNames[v-1][:1]
	case fDayOfWeek:
		switch st {
		case textShort:
			return dayShortNames[v-1]
		case textFull:
			return dayNames[v-1]
		}
		return dayNames[v-1][:1]
	case fLocalDayOfWeek: // 'c'/'e' text: the day of week, Sunday = 1
		return fieldText(fDayOfWeek, (v+5)%7+1, st)
	case fAmPm:
		return ampmNames[v]
	case fQuarter:
		switch st {
		case textShort:
			return "Q" + strconv.Itoa(int(v))
		case textFull:
			return quarterNames[v-1]
		}
		return strconv.Itoa(int(v))
	}
	return ""
}

// errNoZone is Java's UnsupportedTemporalTypeException / DateTimeException for a zone or
// offset field of a LocalDateTime.
type errNoZone struct{ letters string }

func (e errNoZone) Error() string {
	return "pattern letters '" + e.letters + "' need a time zone, which a TIMESTAMP has not (Unable to extract ZoneId / Unsupported field: OffsetSeconds)"
}

// AppendTimestamp appends the timestamp's wall-clock time formatted by the pattern. It
// fails only for a zone or offset letter outside optional sections.
func (f *DateTimeFormatter) AppendTimestamp(dst []byte, ts Timestamp) ([]byte, error) {
	t := newLDT(ts)
	return appendItems(dst, f.items, &t)
}

// Format is AppendTimestamp into a new string.
func (f *DateTimeFormatter) Format(ts Timestamp) (string, error) {
	var buf [64]byte
	b, err := f.AppendTimestamp(buf[:0], ts)
	return string(b), err
}

func appendItems(dst []byte, items []dtfItem, t *ldt) ([]byte, error) {
	for i := range items {
		it := &items[i]
		switch it.kind {
		case dtfLiteral:
			dst = append(dst, it.lit...)
		case dtfText:
			dst = append(dst, fieldText(it.field, t.get(it.field), it.style)...)
		case dtfNumber:
			dst = appendNumber(dst, it, t.get(it.field))
		case dtfZone:
			return dst, errNoZone{it.letters}
		case dtfOptional:
			n := len(dst)
			var err error
			if dst, err = appendItems(dst, it.sub, t); err != nil {
				dst = dst[:n] // an optional section with an unavailable field prints nothing
			}
		}
	}
	return dst, nil
}

var exceedPoints = [...]int64{0, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000}

func appendNumber(dst []byte, it *dtfItem, v int64) []byte {
	switch {
	case it.fraction:
		// FractionPrinterParser: exactly min (= max) digits of the nano-of-second,
		// truncated; zero prints min zeros.
		digits := strconv.AppendInt(nil, 1_000_000_000+v, 10)[1:]
		return append(dst, digits[:it.min]...)
	case it.reduced:
		if v < 0 {
			v = -v
		}
		return appendPadded(dst, v%100, 2)
	}
	abs := v
	if v < 0 {
		abs = -v
		dst = append(dst, '-')
	} else if it.sign == signExceedsPad && it.min < len(exceedPoints) && v >= exceedPoints[it.min] {
		dst = append(dst, '+')
	}
	return appendPadded(dst, abs, it.min)
}

// ---- parsing ----

// parsed is java.time's Parsed: the field values a parse found.
type parsed struct {
	val [nFields]int64
	has [nFields]bool
}

func (p *parsed) set(f dtfField, v int64) bool {
	if p.has[f] && p.val[f] != v {
		return false // a conflict: two values for one field
	}
	p.val[f], p.has[f] = v, true
	return true
}

// parseItems parses items at pos; it returns the position after them or -1.
func parseItems(items []dtfItem, s string, pos int, p *parsed) int {
	for i := range items {
		it := &items[i]
		switch it.kind {
		case dtfLiteral:
			if len(s)-pos < len(it.lit) || s[pos:pos+len(it.lit)] != it.lit {
				return -1
			}
			pos += len(it.lit)
		case dtfText:
			pos = parseText(it, s, pos, p)
		case dtfNumber:
			pos = parseNumber(it, s, pos, p)
		case dtfZone:
			pos = parseOffset(it, s, pos)
		case dtfOptional:
			saved := *p
			if q := parseItems(it.sub, s, pos, p); q >= 0 {
				pos = q
			} else {
				*p = saved
			}
		}
		if pos < 0 {
			return -1
		}
	}
	return pos
}

func parseText(it *dtfItem, s string, pos int, p *parsed) int {
	n := map[dtfField]int64{fEra: 2, fMonth: 12, fDayOfWeek: 7, fAmPm: 2}[it.field]
	best, bestLen := int64(-1), 0
	for v := int64(0); v < n; v++ {
		val := v
		if it.field == fMonth || it.field == fDayOfWeek {
			val = v + 1
		}
		t := fieldText(it.field, val, it.style)
		if len(t) > bestLen && len(s)-pos >= len(t) && s[pos:pos+len(t)] == t {
			best, bestLen = val, len(t)
		}
	}
	if best < 0 || !p.set(it.field, best) {
		return -1
	}
	return pos + bestLen
}

func digitAt(s string, i int) bool { return i < len(s) && s[i] >= '0' && s[i] <= '9' }

// parseNumber is NumberPrinterParser.parse in strict mode, with adjacent value parsing.
func parseNumber(it *dtfItem, s string, pos int, p *parsed) int {
	if pos == len(s) {
		return -1
	}
	if it.fraction {
		return parseDTFFraction(it, s, pos, p)
	}
	negative, positive := false, false
	switch s[pos] {
	case '+':
		// SignStyle.parse(positive, strict, fixed): NORMAL and NOT_NEGATIVE refuse '+'.
		if it.sign != signExceedsPad {
			return -1
		}
		positive = true
		pos++
	case '-':
		if it.sign == signNotNegative {
			return -1
		}
		negative = true
		pos++
	}
	minEnd := pos + it.min
	if minEnd > len(s) {
		return -1
	}
	maxWidth := it.max + max(it.subsequent, 0)
	end := pos
	for pass := 0; pass < 2; pass++ {
		limit := min(pos+maxWidth, len(s))
		end = pos
		for end < limit && digitAt(s, end) {
			end++
		}
		if end < minEnd {
			return -1
		}
		if it.subsequent > 0 && pass == 0 {
			maxWidth = max(it.min, end-pos-it.subsequent)
			continue
		}
		break
	}
	digits := s[pos:end]
	if len(digits) > 18 {
		return -1 // beyond what any supported field holds
	}
	v, _ := strconv.ParseInt(digits, 10, 64)
	if negative {
		if v == 0 {
			return -1 // "-0" is not allowed in strict parsing
		}
		v = -v
	} else if it.sign == signExceedsPad {
		if positive && len(digits) <= it.min || !positive && len(digits) > it.min {
			return -1 // '+' only, and always, when the minimum width is exceeded
		}
	}
	if it.reduced {
		v += 2000 // ReducedPrinterParser with base 2000: 00..99 is 2000..2099
	}
	if !p.set(it.field, v) {
		return -1
	}
	return end
}

// parseDTFFraction is FractionPrinterParser.parse in strict mode: exactly min (= max)
// digits (it takes no part in adjacent value parsing of its own).
func parseDTFFraction(it *dtfItem, s string, pos int, p *parsed) int {
	end := pos
	for end < len(s) && end-pos < it.max && digitAt(s, end) {
		end++
	}
	if end-pos < it.min {
		return -1
	}
	v, _ := strconv.ParseInt(s[pos:end], 10, 64)
	for k := end - pos; k < 9; k++ {
		v *= 10
	}
	if !p.set(fNanoOfSecond, v) {
		return -1
	}
	return end
}

// parseOffset reads an offset (+HH[:]MM[:]SS as the pattern says, or the zero text) and
// ignores it.
func parseOffset(it *dtfItem, s string, pos int) int {
	if it.noOffset != "" && len(s)-pos >= len(it.noOffset) && s[pos:pos+len(it.noOffset)] == it.noOffset {
		return pos + len(it.noOffset)
	}
	if pos >= len(s) || s[pos] != '+' && s[pos] != '-' {
		return -1
	}
	pos++
	pat := it.offset[1:] // after '+'
	two := func() bool {
		if digitAt(s, pos) && digitAt(s, pos+1) {
			pos += 2
			return true
		}
		return false
	}
	if !two() { // HH
		return -1
	}
	pat = pat[2:]
	for len(pat) >= 2 {
		colon := pat[0] == ':'
		if colon {
			pat = pat[1:]
		}
		optional := pat[0] == 'm' || pat[0] == 's'
		pat = pat[2:]
		save := pos
		if colon {
			if pos >= len(s) || s[pos] != ':' {
				if optional {
					return pos
				}
				return -1
			}
			pos++
		}
		if !two() {
			if optional {
				return save
			}
			return -1
		}
	}
	return pos
}

// ParseTimestamp is Flink's TO_TIMESTAMP(s, pattern) up to the fallback:
// DateTimeFormatter.parse in ResolverStyle.SMART, then the fields a LocalDateTime
// needs, defaulted (year 1970, month and day 1, time 0) when the text has none, with the
// fraction floored to milliseconds (TIMESTAMP(3)). ok=false with parseErr=true is
// Java's DateTimeParseException (Flink then tries java.sql.Timestamp.valueOf and
// java.sql.Date.valueOf: see ParseTimestampFallback); ok=false otherwise is a
// DateTimeException building the LocalDateTime (a month 13 next to no day), which Flink
// turns into NULL. err is an *ErrParseLetter for a pattern parsing does not support.
func (f *DateTimeFormatter) ParseTimestamp(s string) (ts Timestamp, ok, parseErr bool, err error) {
	if f.noParse != "" {
		return Timestamp{}, false, false, &ErrParseLetter{f.noParse}
	}
	var p parsed
	if end := parseItems(f.items, s, 0, &p); end != len(s) {
		return Timestamp{}, false, true, nil
	}
	r, ok := p.resolve()
	if !ok {
		return Timestamp{}, false, true, nil
	}
	ts, ok = r.localDateTime()
	return ts, ok, false, nil
}

// resolvedDT is what Parsed offers after resolving: a resolved date and/or time, or the
// leftover fields a LocalDateTime is built from.
type resolvedDT struct {
	p                parsed
	hasDate, hasTime bool
	days, nanoOfDay  int64
	excessDays       int64
}

// resolve is Parsed.resolve for the supported fields in ResolverStyle.SMART
// (IsoChronology.resolveDate, Parsed.resolveTimeFields, crossCheck).
func (p parsed) resolve() (resolvedDT, bool) {
	r := resolvedDT{p: p}
	q := &r.p
	// resolveYearOfEra: the year-of-era becomes the year; an era makes it BC or AD.
	if q.has[fYearOfEra] {
		yoe := q.val[fYearOfEra]
		if yoe < 1 || yoe > 999_999_999 {
			return r, false
		}
		y := yoe
		if q.has[fEra] {
			if q.val[fEra] == 0 {
				y = 1 - yoe
			}
			q.has[fEra] = false
		} else if q.has[fYear] && q.val[fYear] <= 0 {
			y = 1 - yoe
		}
		q.has[fYearOfEra] = false
		if !q.set(fYear, y) {
			return r, false
		}
	}
	if q.has[fYear] {
		y := q.val[fYear]
		if y < -999_999_999 || y > 999_999_999 {
			return r, false
		}
		switch {
		case q.has[fMonth] && q.has[fDayOfMonth]:
			m, d := q.val[fMonth], q.val[fDayOfMonth]
			if m < 1 || m > 12 || d < 1 || d > 31 {
				return r, false
			}
			d = min(d, daysInMonth(y, m)) // SMART: a day past the month's end is its last day
			r.days, r.hasDate = daysFromCivil(y, m, d), true
			q.has[fYear], q.has[fMonth], q.has[fDayOfMonth] = false, false, false
		case q.has[fDayOfYear]:
			doy := q.val[fDayOfYear]
			if doy < 1 || doy > 366 || doy == 366 && !isLeap(y) {
				return r, false
			}
			r.days, r.hasDate = daysFromCivil(y, 1, 1)+doy-1, true
			q.has[fYear], q.has[fDayOfYear] = false, false
		}
	}
	// resolveTimeFields.
	if q.has[fClockHourOfDay] {
		ch := q.val[fClockHourOfDay]
		if ch != 0 && (ch < 1 || ch > 24) {
			return r, false
		}
		if ch == 24 {
			ch = 0
		}
		q.has[fClockHourOfDay] = false
		if !q.set(fHourOfDay, ch) {
			return r, false
		}
	}
	if q.has[fClockHourOfAmPm] {
		ch := q.val[fClockHourOfAmPm]
		if ch != 0 && (ch < 1 || ch > 12) {
			return r, false
		}
		if ch == 12 {
			ch = 0
		}
		q.has[fClockHourOfAmPm] = false
		if !q.set(fHourOfAmPm, ch) {
			return r, false
		}
	}
	if q.has[fAmPm] && q.has[fHourOfAmPm] {
		ap, hap := q.val[fAmPm], q.val[fHourOfAmPm]
		if hap < 0 || hap > 11 {
			return r, false
		}
		q.has[fAmPm], q.has[fHourOfAmPm] = false, false
		if !q.set(fHourOfDay, ap*12+hap) {
			return r, false
		}
	}
	if q.has[fHourOfDay] {
		hod := q.val[fHourOfDay]
		moh, hasM := q.val[fMinute], q.has[fMinute]
		som, hasS := q.val[fSecond], q.has[fSecond]
		nos, hasN := q.val[fNanoOfSecond], q.has[fNanoOfSecond]
		if !(!hasM && (hasS || hasN) || hasM && !hasS && hasN) {
			if hod == 24 && moh == 0 && som == 0 && nos == 0 {
				r.excessDays = 1 // SMART: 24:00 is the next day's midnight
			} else if hod < 0 || hod > 23 || moh < 0 || moh > 59 || som < 0 || som > 59 {
				return r, false
			}
			if hod == 24 {
				hod = 0
			}
			r.nanoOfDay, r.hasTime = ((hod*60+moh)*60+som)*1_000_000_000+nos, true
			q.has[fHourOfDay], q.has[fMinute], q.has[fSecond], q.has[fNanoOfSecond] = false, false, false, false
		}
	}
	// resolveTimeLenient: time fields left over must be in range.
	for f, hi := range timeFieldMax {
		if q.has[f] && (q.val[f] < 0 || q.val[f] > hi) {
			return r, false
		}
	}
	// crossCheck: fields left over must agree with the resolved date and time.
	t := ldt{days: r.days, nanoOfDay: r.nanoOfDay}
	t.year, t.month, t.day = civilFromDays(r.days)
	for f := dtfField(0); f < nFields; f++ {
		if !q.has[f] {
			continue
		}
		if _, isTime := timeFieldMax[f]; isTime && r.hasTime || !isTime && r.hasDate {
			if t.get(f) != q.val[f] {
				return r, false
			}
			q.has[f] = false
		}
	}
	if r.hasDate && r.hasTime {
		r.days += r.excessDays
		r.excessDays = 0
	}
	return r, true
}

// timeFieldMax are the time-based fields parsing sets, with their largest value.
var timeFieldMax = map[dtfField]int64{
	fAmPm: 1, fHourOfDay: 23, fHourOfAmPm: 11, fMinute: 59, fSecond: 59, fNanoOfSecond: 999_999_999,
}

// localDateTime is Flink's fromTemporalAccessor(accessor, 3): each field from the
// resolved date or time, or the leftover parsed value, or its default.
func (r resolvedDT) localDateTime() (Timestamp, bool) {
	q := &r.p
	get := func(f dtfField, def int64) int64 {
		if q.has[f] {
			return q.val[f]
		}
		return def
	}
	var y, m, d int64
	if r.hasDate {
		y, m, d = civilFromDays(r.days)
	} else {
		y, m, d = get(fYear, 1970), get(fMonth, 1), get(fDayOfMonth, 1)
	}
	var hod, moh, som, nos int64
	if r.hasTime {
		hod = r.nanoOfDay / 3_600_000_000_000
		moh = r.nanoOfDay / 60_000_000_000 % 60
		som = r.nanoOfDay / 1_000_000_000 % 60
		nos = r.nanoOfDay % 1_000_000_000
	} else {
		hod, moh, som, nos = get(fHourOfDay, 0), get(fMinute, 0), get(fSecond, 0), get(fNanoOfSecond, 0)
	}
	// LocalDateTime.of checks every field.
	if y < -999_999_999 || y > 999_999_999 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m) ||
		hod < 0 || hod > 23 || moh < 0 || moh > 59 || som < 0 || som > 59 || nos < 0 || nos > 999_999_999 {
		return Timestamp{}, false
	}
	ms := (daysFromCivil(y, m, d)*86400+(hod*60+moh)*60+som)*1000 + nos/1_000_000
	return Timestamp{Millis: ms}, true
}

// Granularity is the span, in milliseconds, of the epoch-aligned intervals within which
// every TIMESTAMP formats to the same text (a day for yyyy-MM-dd, a minute for HH:mm),
// from the finest field the pattern prints; 0 when it prints below milliseconds, a
// zone, or the nano or milli of the day.
func (f *DateTimeFormatter) Granularity() int64 { return f.gran }

func (f *DateTimeFormatter) granularity() int64 {
	g := int64(86_400_000)
	var walk func(items []dtfItem) bool
	walk = func(items []dtfItem) bool {
		for i := range items {
			it := &items[i]
			switch it.kind {
			case dtfZone:
				return false
			case dtfOptional:
				if !walk(it.sub) {
					return false
				}
			case dtfNumber, dtfText:
				switch it.field {
				case fAmPm, fHourOfDay, fClockHourOfDay, fHourOfAmPm, fClockHourOfAmPm:
					g = min(g, 3_600_000)
				case fMinute:
					g = min(g, 60_000)
				case fSecond:
					g = min(g, 1000)
				case fNanoOfSecond:
					if it.max > 3 {
						return false
					}
					g = min(g, 1)
				case fNanoOfDay, fMilliOfDay:
					return false
				}
			}
		}
		return true
	}
	if f.needZone || !walk(f.items) {
		return 0
	}
	return g
}

// DateFormatMemo is a task's DATE_FORMAT of one call site: it keeps the last text and
// the interval of times it stands for (Granularity), so that consecutive rows of the
// same day (yyyy-MM-dd) or minute (HH:mm) share one string instead of formatting and
// allocating one each. Its zero value is ready; it is not safe for concurrent use.
type DateFormatMemo struct {
	lo, hi int64 // [lo, hi): the milliseconds that format to s
	s      string
}

// Format is f.Format(ts), from the memo when ts is in its interval.
func (m *DateFormatMemo) Format(f *DateTimeFormatter, ts Timestamp) (string, error) {
	if ts.Millis >= m.lo && ts.Millis < m.hi {
		return m.s, nil
	}
	s, err := f.Format(ts)
	if err != nil {
		return s, err
	}
	if g := f.Granularity(); g > 0 {
		lo := ts.Millis / g * g
		if ts.Millis%g < 0 {
			lo -= g
		}
		if lo <= math.MaxInt64-g {
			m.lo, m.hi, m.s = lo, lo+g, s
		}
	}
	return s, nil
}
