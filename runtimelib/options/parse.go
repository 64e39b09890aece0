package options

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// durationUnits are the unit labels of Flink's TimeUtils.parseDuration (case-insensitive;
// each label also has a plural form with a trailing "s").
var durationUnits = []struct {
	labels []string
	unit   time.Duration
}{
	{[]string{"d", "day"}, 24 * time.Hour},
	{[]string{"h", "hour"}, time.Hour},
	{[]string{"min", "m", "minute"}, time.Minute},
	{[]string{"s", "sec", "second"}, time.Second},
	{[]string{"ms", "milli", "millisecond"}, time.Millisecond},
	{[]string{"µs", "us", "micro", "microsecond"}, time.Microsecond},
	{[]string{"ns", "nano", "nanosecond"}, time.Nanosecond},
}

// ParseDuration parses a duration the way Flink does: a non-negative integer, optional
// white space and an optional unit ("1s", "1 s", "100ms", "1 min", "2 hours"); a number
// without a unit is milliseconds ("500").
func ParseDuration(s string) (time.Duration, error) {
	n, written, label, err := numberUnit(s, "duration", "ms, s, min, h, d")
	if err != nil {
		return 0, err
	}
	unit := time.Duration(0)
	if label == "" {
		unit = time.Millisecond
	} else {
		// Exact labels first: "ms" is milliseconds, not the plural of "m".
	find:
		for _, plural := range []string{"", "s"} {
			for _, u := range durationUnits {
				for _, l := range u.labels {
					if label == l+plural {
						unit = u.unit
						break find
					}
				}
			}
		}
	}
	if unit == 0 {
		return 0, fmt.Errorf("invalid duration %q: unknown unit %q (use ms, s, min, h or d)", s, written)
	}
	if n > math.MaxInt64/int64(unit) {
		return 0, fmt.Errorf("invalid duration %q: too large", s)
	}
	return time.Duration(n) * unit, nil
}

// numberUnit splits Flink's "<digits> [unit]" syntax of durations and memory sizes (what)
// into the number, the unit as written and the unit trimmed in lower case; hint lists
// units for the message when there is no number.
func numberUnit(s, what, hint string) (n int64, written, unit string, err error) {
	t := strings.TrimSpace(s)
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, "", "", fmt.Errorf("invalid %s %q: expected a number followed by an optional unit such as %s", what, s, hint)
	}
	n, perr := strconv.ParseInt(t[:i], 10, 64)
	if perr != nil {
		return 0, "", "", fmt.Errorf("invalid %s %q: number out of range", what, s)
	}
	return n, t[i:], strings.ToLower(strings.TrimSpace(t[i:])), nil
}

// memoryUnits are the unit labels of Flink's MemorySize.parse (case-insensitive).
var memoryUnits = []struct {
	labels []string
	bytes  int64
}{
	{[]string{"b", "bytes"}, 1},
	{[]string{"k", "kb", "kibibytes"}, 1 << 10},
	{[]string{"m", "mb", "mebibytes"}, 1 << 20},
	{[]string{"g", "gb", "gibibytes"}, 1 << 30},
	{[]string{"t", "tb", "tebibytes"}, 1 << 40},
}

// ParseMemorySize parses a memory size the way Flink's MemorySize.parse does: a
// non-negative integer, optional white space and an optional unit ("100b", "1 kb",
// "64mb"); units are powers of 1024 and a number without a unit is bytes.
func ParseMemorySize(s string) (int64, error) {
	n, written, label, err := numberUnit(s, "memory size", "b, kb, mb, gb")
	if err != nil {
		return 0, err
	}
	mult := int64(1)
	if label != "" {
		mult = 0
		for _, u := range memoryUnits {
			for _, l := range u.labels {
				if label == l {
					mult = u.bytes
				}
			}
		}
		if mult == 0 {
			return 0, fmt.Errorf("invalid memory size %q: unknown unit %q (use b, kb, mb, gb or tb)", s, written)
		}
	}
	if n > math.MaxInt64/mult {
		return 0, fmt.Errorf("invalid memory size %q: too large", s)
	}
	return n * mult, nil
}

// LocalPath turns a Flink path URI into a local path: "file:///tmp/x" and "file:/tmp/x"
// are "/tmp/x"; a plain path is itself.
func LocalPath(p string) string {
	if rest, ok := strings.CutPrefix(p, "file://"); ok {
		return rest
	}
	if rest, ok := strings.CutPrefix(p, "file:"); ok {
		return rest
	}
	return p
}

// ParseBool parses "true" or "false" in any letter case, as Flink's configuration does.
func ParseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("invalid boolean %q: expected 'true' or 'false'", s)
}

// HasVars reports whether value contains a ${NAME} reference that Expand would replace.
func HasVars(value string) bool {
	for i := 0; i+1 < len(value); i++ {
		if value[i] == '$' && value[i+1] == '$' {
			i++
			continue
		}
		if value[i] == '$' && value[i+1] == '{' {
			return true
		}
	}
	return false
}

// Expand replaces every ${NAME} in value by the variable's value from getenv (normally
// os.LookupEnv), so that a binary never carries a secret. ${NAME:-default} uses default
// when NAME is unset or empty. "$${" stands for a literal "${". A "$" not followed by "{"
// is kept as is. An unset variable without a default is an error naming it.
func Expand(value string, getenv func(string) (string, bool)) (string, error) {
	if !strings.Contains(value, "${") {
		return value, nil
	}
	var b strings.Builder
	for i := 0; i < len(value); {
		c := value[i]
		if c == '$' && strings.HasPrefix(value[i:], "$${") {
			b.WriteString("${")
			i += 3
			continue
		}
		if c != '$' || i+1 >= len(value) || value[i+1] != '{' {
			b.WriteByte(c)
			i++
			continue
		}
		end := strings.IndexByte(value[i+2:], '}')
		if end < 0 {
			return "", fmt.Errorf("unterminated variable reference %q: missing '}'", value[i:])
		}
		ref := value[i+2 : i+2+end]
		name, def, hasDef := strings.Cut(ref, ":-")
		if !validVarName(name) {
			return "", fmt.Errorf("invalid variable reference ${%s}: a name is letters, digits and '_', not starting with a digit", ref)
		}
		v, ok := getenv(name)
		switch {
		case ok && v != "":
			b.WriteString(v)
		case hasDef:
			b.WriteString(def)
		case ok:
			// set but empty: an empty value is a value
		default:
			return "", fmt.Errorf("environment variable %s is not set (referenced as ${%s})", name, name)
		}
		i += 2 + end + 1
	}
	return b.String(), nil
}

func validVarName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// unescapeChar turns a delimiter written with a Java escape ("\t", "\u0001", "\\") into
// the character itself, as Flink's CSV format does for csv.field-delimiter.
func unescapeChar(s string) string {
	if len(s) < 2 || s[0] != '\\' {
		return s
	}
	switch s {
	case `\t`:
		return "\t"
	case `\n`:
		return "\n"
	case `\r`:
		return "\r"
	case `\f`:
		return "\f"
	case `\b`:
		return "\b"
	case `\0`:
		return "\x00"
	case `\\`:
		return `\`
	case `\'`:
		return `'`
	case `\"`:
		return `"`
	}
	if len(s) == 6 && (s[1] == 'u' || s[1] == 'U') {
		if n, err := strconv.ParseUint(s[2:], 16, 32); err == nil {
			return string(rune(n))
		}
	}
	return s
}
