package types

import (
	"net"
	"strconv"
	"strings"
	"unicode"
)

// javaURL holds the parts of a java.net.URL that PARSE_URL reads; a part Java leaves
// null has its has* flag unset.
type javaURL struct {
	protocol, host, path                        string
	authority, userInfo, query, ref             string
	hasAuthority, hasUserInfo, hasQuery, hasRef bool
}

// file is URL.getFile: the path and the query.
func (u *javaURL) file() string {
	if u.hasQuery {
		return u.path + "?" + u.query
	}
	return u.path
}

// parseJavaURL is new java.net.URL(spec): the protocol before the first ':' (before any
// '/'), the reference after the first '#', and the rest parsed by the protocol's
// handler: URLStreamHandler.parseURL for http, https, ftp, file, jrt and jmod (an
// authority after "//", split into user info, host and port; a path; a query after the
// first '?'), the mailto handler's for mailto. ok=false where Java throws
// MalformedURLException: no protocol, a protocol without a handler in the JDK (jar
// included here, whose syntax is not supported), a bad port or IPv6 address, an empty
// mailto address.
func parseJavaURL(spec string) (*javaURL, bool) {
	start, limit := 0, len(spec)
	for limit > 0 && spec[limit-1] <= ' ' {
		limit--
	}
	for start < limit && spec[start] <= ' ' {
		start++
	}
	if limit-start >= 4 && strings.EqualFold(spec[start:start+4], "url:") {
		start += 4
	}
	u := &javaURL{}
	if start < len(spec) && spec[start] != '#' {
		for i := start; i < limit && spec[i] != '/'; i++ {
			if spec[i] == ':' {
				if s := strings.ToLower(spec[start:i]); validProtocol(s) {
					u.protocol = s
					start = i + 1
				}
				break
			}
		}
	}
	switch u.protocol {
	case "http", "https", "ftp", "file", "jrt", "jmod", "mailto":
	default:
		return nil, false // no protocol, or one without a handler
	}
	if i := strings.IndexByte(spec[start:], '#'); i >= 0 {
		i += start
		u.ref, u.hasRef = spec[i+1:limit], true
		limit = i
	}
	if u.protocol == "mailto" {
		return u, u.parseMailto(spec[start:limit])
	}
	return u, u.parse(spec, start, limit)
}

// validProtocol is URL.isValidProtocol: a letter, then letters, digits, '.', '+', '-'.
func validProtocol(s string) bool {
	for i, r := range s {
		if !unicode.IsLetter(r) && (i == 0 || !unicode.IsDigit(r) && r != '.' && r != '+' && r != '-') {
			return false
		}
	}
	return s != ""
}

// parse is URLStreamHandler.parseURL of spec[start:limit], for a URL without context.
func (u *javaURL) parse(spec string, start, limit int) bool {
	queryOnly := false
	if start < limit {
		q := strings.IndexByte(spec, '?')
		queryOnly = q == start
		if q != -1 && q < limit {
			u.query, u.hasQuery = spec[q+1:limit], true
			limit = q
			spec = spec[:q]
		}
	}
	hasPath := false
	if !(start <= limit-4 && spec[start:start+4] == "////") && start <= limit-2 && spec[start:start+2] == "//" {
		start += 2
		i := indexFrom(spec, '/', start)
		if i < 0 || i > limit {
			i = indexFrom(spec, '?', start)
			if i < 0 || i > limit {
				i = limit
			}
		}
		u.authority, u.hasAuthority = spec[start:i], true
		host, hasHost := u.authority, true
		if at := strings.IndexByte(u.authority, '@'); at != -1 {
			if at != strings.LastIndexByte(u.authority, '@') {
				hasHost = false // more than one '@': not server-based
			} else {
				u.userInfo, u.hasUserInfo = u.authority[:at], true
				host = u.authority[at+1:]
			}
		}
		port := -1
		switch {
		case !hasHost:
			host = ""
		case host != "" && host[0] == '[':
			end := strings.IndexByte(host, ']')
			if end <= 2 || !ipv6Literal(host[1:end]) {
				return false
			}
			rest := host[end+1:]
			host = host[:end+1]
			if rest != "" {
				if rest[0] != ':' {
					return false
				}
				if len(rest) > 1 {
					p, err := strconv.ParseInt(rest[1:], 10, 32)
					if err != nil {
						return false
					}
					port = int(p)
				}
			}
		default:
			if c := strings.IndexByte(host, ':'); c >= 0 {
				if len(host) > c+1 {
					p, err := strconv.ParseInt(host[c+1:], 10, 32)
					if err != nil {
						return false
					}
					port = int(p)
				}
				host = host[:c]
			}
		}
		if port < -1 {
			return false
		}
		u.host = host
		start = i
		hasPath = u.authority != "" // the path is "" from here on
	}
	switch {
	case start < limit && spec[start] == '/':
		u.path = spec[start:limit]
	case start < limit:
		u.path = spec[start:limit]
		if u.hasAuthority {
			u.path = "/" + u.path
		}
	case queryOnly && hasPath:
		u.path = "/"
	}
	return true
}

// parseMailto is the mailto handler's parseURL: the address is the path (up to its last
// '?', the query after it); an empty or blank address is an error. The handler drops
// the reference and leaves the authority and host "".
func (u *javaURL) parseMailto(file string) bool {
	if strings.TrimFunc(file, javaIsWhitespace) == "" {
		return false
	}
	u.hasRef, u.ref = false, ""
	u.authority, u.hasAuthority = "", true
	u.path = file
	if q := strings.LastIndexByte(file, '?'); q != -1 {
		u.path, u.query, u.hasQuery = file[:q], file[q+1:], true
	}
	return true
}

func indexFrom(s string, c byte, from int) int {
	if from > len(s) {
		return -1
	}
	if i := strings.IndexByte(s[from:], c); i >= 0 {
		return i + from
	}
	return -1
}

// ipv6Literal is IPAddressUtil.isIPv6LiteralAddress: an IPv6 address, with an optional
// %scope.
func ipv6Literal(s string) bool {
	if i := strings.IndexByte(s, '%'); i >= 0 {
		s = s[:i]
	}
	return strings.Contains(s, ":") && net.ParseIP(s) != nil
}

// ParseURL is PARSE_URL(url, part) (SqlFunctionUtils.parseUrl): the part of the URL that
// java.net.URL's getter returns, for part HOST, PATH, QUERY, REF, PROTOCOL, FILE,
// AUTHORITY or USERINFO (upper case). ok=false (NULL) for another part, a URL Java
// rejects, or a part the URL does not have.
func ParseURL(url, part string) (string, bool) {
	u, ok := parseJavaURL(url)
	if !ok {
		return "", false
	}
	switch part {
	case "HOST":
		return u.host, true
	case "PATH":
		return u.path, true
	case "QUERY":
		return u.query, u.hasQuery
	case "REF":
		return u.ref, u.hasRef
	case "PROTOCOL":
		return u.protocol, true
	case "FILE":
		return u.file(), true
	case "AUTHORITY":
		return u.authority, u.hasAuthority
	case "USERINFO":
		return u.userInfo, u.hasUserInfo
	}
	return "", false
}

// ParseURLQuery is PARSE_URL(url, 'QUERY', key): the value of the first key=value in the
// query, as the pattern (&|^)key=([^&]*) finds it; NULL for a part other than QUERY.
func ParseURLQuery(url, part, key string) (string, bool) {
	if part != "QUERY" {
		return "", false
	}
	q, ok := ParseURL(url, part)
	if !ok {
		return "", false
	}
	kv := key + "="
	for i := 0; i+len(kv) <= len(q); i++ {
		if (i == 0 || q[i-1] == '&') && q[i:i+len(kv)] == kv {
			v := q[i+len(kv):]
			if e := strings.IndexByte(v, '&'); e >= 0 {
				v = v[:e]
			}
			return v, true
		}
	}
	return "", false
}
