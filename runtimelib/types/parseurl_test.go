package types

import "testing"

func TestParseURL(t *testing.T) {
	// Flink's docs: parse_url('http://facebook.com/path1/p.php?k1=v1&k2=v2#Ref1', 'HOST')
	// is 'facebook.com', and with 'QUERY', 'k1' it is 'v1'.
	const fb = "http://facebook.com/path1/p.php?k1=v1&k2=v2#Ref1"
	null := "<NULL>"
	for _, c := range []struct{ url, part, want string }{
		{fb, "HOST", "facebook.com"},
		{fb, "PATH", "/path1/p.php"},
		{fb, "QUERY", "k1=v1&k2=v2"},
		{fb, "REF", "Ref1"},
		{fb, "PROTOCOL", "http"},
		{fb, "FILE", "/path1/p.php?k1=v1&k2=v2"},
		{fb, "AUTHORITY", "facebook.com"},
		{fb, "USERINFO", null},
		{fb, "host", null}, // parts are upper case
		{"https://user:pw@example.com:8080/a?b#c", "USERINFO", "user:pw"},
		{"https://user:pw@example.com:8080/a?b#c", "HOST", "example.com"},
		{"https://user:pw@example.com:8080/a?b#c", "AUTHORITY", "user:pw@example.com:8080"},
		{"HTTP://Example.COM", "PROTOCOL", "http"},
		{"HTTP://Example.COM", "HOST", "Example.COM"},
		{"HTTP://Example.COM", "PATH", ""},
		{"http://h?q", "PATH", ""},
		{"http://h?", "QUERY", ""},
		{"http://[::1]:80/x", "HOST", "[::1]"},
		{"http://[zz]/x", "HOST", null},   // not an IPv6 address
		{"http://h:port/x", "HOST", null}, // not a port number
		{"http://h:-2/x", "HOST", null},   // a port below -1
		{"http://h:/x", "HOST", "h"},      // an empty port is none
		{"file:/tmp/x.txt", "PATH", "/tmp/x.txt"},
		{"file:/tmp/x.txt", "AUTHORITY", null},
		{"  http://a/b  ", "PATH", "/b"}, // surrounding blanks are trimmed
		{"url:http://a/b", "HOST", "a"},
		{"mailto:me@x.org?subject=hi", "PATH", "me@x.org"},
		{"mailto:me@x.org?subject=hi", "QUERY", "subject=hi"},
		{"mailto: ", "PATH", null},
		{"facebook.com/path", "HOST", null}, // no protocol
		{"foo://a/b", "HOST", null},         // no handler for foo
		{"", "HOST", null},
	} {
		got, ok := ParseURL(c.url, c.part)
		if !ok {
			got = null
		}
		if got != c.want {
			t.Errorf("ParseURL(%q, %q) = %q, want %q", c.url, c.part, got, c.want)
		}
	}
	for _, c := range []struct{ url, part, key, want string }{
		{fb, "QUERY", "k1", "v1"},
		{fb, "QUERY", "k2", "v2"},
		{fb, "QUERY", "k3", null},
		{fb, "HOST", "k1", null},
		{"http://h/?ak1=x&k1=y", "QUERY", "k1", "y"}, // a key starts the query or follows '&'
		{"http://h/?k1=&k2=v", "QUERY", "k1", ""},
		{"http://h/", "QUERY", "k1", null},
	} {
		got, ok := ParseURLQuery(c.url, c.part, c.key)
		if !ok {
			got = null
		}
		if got != c.want {
			t.Errorf("ParseURLQuery(%q, %q, %q) = %q, want %q", c.url, c.part, c.key, got, c.want)
		}
	}
}
