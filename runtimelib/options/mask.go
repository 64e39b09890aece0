package options

import (
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// Masked replaces a secret wherever an option or a message would show it.
const Masked = "******"

// secretWords mark an option key, or a key=value pair in a URL or message, as secret.
var secretWords = []string{"password", "passwd", "pwd", "secret", "token", "jaas.config"}

// IsSecretKey reports whether an option's value is a secret (password, connector.password,
// properties.sasl.jaas.config, ...).
func IsSecretKey(key string) bool {
	k := strings.ToLower(key)
	for _, w := range secretWords {
		if strings.Contains(k, w) {
			return true
		}
	}
	return false
}

// MaskValue is an option's value as it may be shown (--help, messages): the value of a
// secret key is Masked, unless it only names environment variables ("${DB_PASSWORD}",
// which is no secret); any other value is Redact'ed, which hides the password of a URL
// ('jdbc:mysql://user:******@host/db', '...?password=******').
func MaskValue(key, value string) string {
	if value == "" {
		return value
	}
	if IsSecretKey(key) {
		if onlyVars(value) {
			return value
		}
		return Masked
	}
	return Redact(value)
}

// onlyVars reports whether value is nothing but ${NAME} references (without defaults,
// which could hold a secret).
func onlyVars(value string) bool {
	return varRefs.ReplaceAllString(value, "") == ""
}

var varRefs = regexp.MustCompile(`\$\{[A-Za-z_][A-Za-z0-9_]*\}`)

var (
	// userinfoPassword matches the password of a URL's user information: the text
	// between "user:" and the last "@" before white space or a quote.
	userinfoPassword = regexp.MustCompile(`(://[^:/@\s'"]*:)([^\s'"]*)@`)
	// secretParam matches key=value where the key names a secret: URL query parameters
	// (?password=x&...), -D arguments (t.password=x), DSN-like strings.
	secretParam = regexp.MustCompile(`(?i)([\w.-]*(?:password|passwd|pwd|secret|token|jaas\.config)[\w.-]*=)([^&\s'";,)]*)`)
)

// Redact hides secrets in any text: the password of every URL in it, the values of
// password=..., secret=... and token=... pairs, and each of the given secrets (the job's
// resolved passwords: Secrets) wherever it appears, so that an error message that
// quotes a URL or a driver's connection string shows no password. It is the one masking
// function of the compiler and the job runtime: --help, start errors, run-time errors,
// logs.
func Redact(text string, secrets ...string) string {
	text = userinfoPassword.ReplaceAllStringFunc(text, func(m string) string {
		sub := userinfoPassword.FindStringSubmatch(m)
		if sub[2] == "" || onlyVars(sub[2]) {
			return m
		}
		return sub[1] + Masked + "@"
	})
	text = secretParam.ReplaceAllStringFunc(text, func(m string) string {
		sub := secretParam.FindStringSubmatch(m)
		v, colon := strings.CutSuffix(sub[2], ":") // "t.password=x: unknown table"
		if v == "" || onlyVars(v) || v == Masked {
			return m
		}
		if colon {
			return sub[1] + Masked + ":"
		}
		return sub[1] + Masked
	})
	for _, s := range secrets {
		if len(s) >= minSecret {
			text = strings.ReplaceAll(text, s, Masked)
		}
	}
	return text
}

// minSecret is the shortest secret Redact replaces wherever it appears: shorter ones
// would mask ordinary words of messages.
const minSecret = 4

// Secrets returns the secrets in tables' resolved options, longest first (so that a
// secret containing another is replaced whole): the values of secret keys, and the
// passwords written in URL values, also percent-decoded.
func Secrets(rs ...*Resolved) []string {
	var out []string
	add := func(s string) {
		if s != "" && !onlyVars(s) {
			out = append(out, s)
			if d, err := url.PathUnescape(s); err == nil && d != s {
				out = append(out, d)
			}
		}
	}
	for _, r := range rs {
		for k, v := range r.Values {
			if IsSecretKey(k) {
				add(v)
				continue
			}
			for _, m := range userinfoPassword.FindAllStringSubmatch(v, -1) {
				add(m[2])
			}
			for _, m := range secretParam.FindAllStringSubmatch(v, -1) {
				add(strings.TrimSuffix(m[2], ":"))
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) > len(out[j])
		}
		return out[i] < out[j]
	})
	return out
}
