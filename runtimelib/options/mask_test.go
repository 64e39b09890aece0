package options

import (
	"strings"
	"testing"
)

func TestMaskValue(t *testing.T) {
	for _, tc := range []struct{ key, value, want string }{
		{"password", "hunter2", Masked},
		{"connector.password", "root", Masked},
		{"properties.sasl.jaas.config", "org.apache.kafka... password=\"x\";", Masked},
		{"password", "${DB_PASSWORD}", "${DB_PASSWORD}"}, // names a variable: no secret
		{"password", "${DB_PASSWORD:-fallback}", Masked}, // a default could be one
		{"password", "", ""},                             // nothing to hide
		{"url", "jdbc:mysql://root:topsecret@db:3306/flink", "jdbc:mysql://root:******@db:3306/flink"},
		{"url", "jdbc:mysql://u:${MYSQL_PASSWORD}@h/db", "jdbc:mysql://u:${MYSQL_PASSWORD}@h/db"},
		{"url", "jdbc:mysql://h:3306/db?user=u&password=p4ss&useSSL=false", "jdbc:mysql://h:3306/db?user=u&password=******&useSSL=false"},
		{"url", "jdbc:mysql://h/db?PASSWORD=p4ss", "jdbc:mysql://h/db?PASSWORD=******"},
		{"url", "jdbc:mysql://u:p@ss:w0rd@h/db", "jdbc:mysql://u:******@h/db"}, // unescaped @ in the password
		{"url", "jdbc:mysql://localhost:3306/Flink", "jdbc:mysql://localhost:3306/Flink"},
		{"url", "jdbc:sqlite:out.db", "jdbc:sqlite:out.db"},
		{"path", "/data/in.csv", "/data/in.csv"},
	} {
		if got := MaskValue(tc.key, tc.value); got != tc.want {
			t.Errorf("MaskValue(%q, %q) = %q, want %q", tc.key, tc.value, got, tc.want)
		}
	}
}

func TestRedact(t *testing.T) {
	for _, tc := range []struct {
		text    string
		secrets []string
		want    string
	}{
		{`url "jdbc:mysql://u:s3cr3t@h" names no database`, nil, `url "jdbc:mysql://u:******@h" names no database`},
		{"-D nope.password=hunter2: unknown table", nil, "-D nope.password=******: unknown table"},
		{"-D t.url=jdbc:mysql://u:pw@h/db?password=x: unknown table", nil, "-D t.url=jdbc:mysql://u:******@h/db?password=******: unknown table"},
		// A driver's message that quotes the password some other way.
		{"dial: user=u pass hunter2 refused", []string{"hunter2"}, "dial: user=u pass ****** refused"},
		{"Access denied for user 'u'@'h' (using password: YES)", nil, "Access denied for user 'u'@'h' (using password: YES)"},
		{"short secrets stay: abc", []string{"abc"}, "short secrets stay: abc"},
	} {
		if got := Redact(tc.text, tc.secrets...); got != tc.want {
			t.Errorf("Redact(%q, %q) =\n %q, want\n %q", tc.text, tc.secrets, got, tc.want)
		}
	}
}

func TestSecrets(t *testing.T) {
	r, probs := Resolve("t", kvs("connector", "jdbc", "url", "jdbc:mysql://u:p%40ss@h/db?password=second", "table-name", "t", "password", "third-one"))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	got := strings.Join(Secrets(r), " ")
	for _, want := range []string{"p%40ss", "p@ss", "second", "third-one"} {
		if !strings.Contains(" "+got+" ", " "+want+" ") {
			t.Errorf("Secrets = %q, want %q among them", got, want)
		}
	}
	if s := Secrets(r); len(s[0]) < len(s[len(s)-1]) {
		t.Errorf("Secrets not longest first: %q", s)
	}
}
