package codegen

import (
	"strings"
	"testing"
)

// TestCSVSplit reads the same lines under four option sets. An unquoted record is split
// by the loop generated inline; a field that starts with a quote, and every record when
// csv.escape-character is set, goes through the splitter's general path. Each table is
// its own source, so outputs are compared per print identifier (file order within one).
// A record that splits into more fields than the table has fails the job in Flink, so
// the tables where some do (no escape character, quoting disabled) skip them under
// csv.ignore-parse-errors.
func TestCSVSplit(t *testing.T) {
	t.Parallel()
	q := "1,plain,x\n" +
		"2,\"quoted, with comma\",y\n" +
		"3,\"say \"\"hi\"\"\",z\n" +
		"4,,w\n" +
		"5,\"\",v\n" +
		"6,trail,\n" +
		"7,\\,esc,u\n"
	semi := "1;a,b;c\n2;\"x;y\";d\n"
	sql := `
CREATE TABLE q_default (id INT, s STRING, t STRING) WITH (
  'connector' = 'filesystem', 'path' = '$DIR/q.csv', 'format' = 'csv',
  'csv.ignore-parse-errors' = 'true');
CREATE TABLE q_escape (id INT, s STRING, t STRING) WITH (
  'connector' = 'filesystem', 'path' = '$DIR/q.csv', 'format' = 'csv',
  'csv.escape-character' = '\');
CREATE TABLE q_noquote (id INT, s STRING, t STRING) WITH (
  'connector' = 'filesystem', 'path' = '$DIR/q.csv', 'format' = 'csv',
  'csv.disable-quote-character' = 'true', 'csv.ignore-parse-errors' = 'true');
CREATE TABLE q_semi (id INT, s STRING, t STRING) WITH (
  'connector' = 'filesystem', 'path' = '$DIR/semi.csv', 'format' = 'csv',
  'csv.field-delimiter' = ';');
CREATE TABLE out_default (id INT, s STRING, t STRING) WITH ('connector' = 'print', 'print-identifier' = 'default');
CREATE TABLE out_escape (id INT, s STRING, t STRING) WITH ('connector' = 'print', 'print-identifier' = 'escape');
CREATE TABLE out_noquote (id INT, s STRING, t STRING) WITH ('connector' = 'print', 'print-identifier' = 'noquote');
CREATE TABLE out_semi (id INT, s STRING, t STRING) WITH ('connector' = 'print', 'print-identifier' = 'semi');
EXECUTE STATEMENT SET BEGIN
INSERT INTO out_default SELECT id, s, t FROM q_default;
INSERT INTO out_escape SELECT id, s, t FROM q_escape;
INSERT INTO out_noquote SELECT id, s, t FROM q_noquote;
INSERT INTO out_semi SELECT id, s, t FROM q_semi;
END;
`
	// Expected by hand. Empty fields are empty strings, not NULL; without an escape
	// character a backslash is text; with quoting disabled a quote is text and the comma
	// inside it splits: record 7 (default) and records 2 and 7 (noquote) have four
	// fields, and are skipped and counted.
	want := map[string]string{
		"default": `+I[1, plain, x]|+I[2, quoted, with comma, y]|+I[3, say "hi", z]|+I[4, , w]|+I[5, , v]|+I[6, trail, ]`,
		"escape":  `+I[1, plain, x]|+I[2, quoted, with comma, y]|+I[3, say "hi", z]|+I[4, , w]|+I[5, , v]|+I[6, trail, ]|+I[7, ,esc, u]`,
		"noquote": `+I[1, plain, x]|+I[3, "say ""hi""", z]|+I[4, , w]|+I[5, "", v]|+I[6, trail, ]`,
		"semi":    `+I[1, a,b, c]|+I[2, x;y, d]`,
	}
	bin, _, _ := sqlJob(t, sql, map[string]string{"q.csv": q, "semi.csv": semi})
	stdout, stderr, ok := runJob(t, bin)
	if !ok {
		t.Fatalf("job failed: %s", stderr)
	}
	for _, c := range []string{"q_default.records_skipped=1", "q_noquote.records_skipped=2", "q_escape.records_skipped=0"} {
		if !strings.Contains(stderr, c) {
			t.Errorf("stderr lacks %s: %s", c, stderr)
		}
	}
	got := map[string][]string{}
	for _, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		id, row, _ := strings.Cut(l, "> ")
		got[id] = append(got[id], row)
	}
	for id, w := range want {
		if g := strings.Join(got[id], "|"); g != w {
			t.Errorf("%s:\n got  %s\n want %s", id, g, w)
		}
	}
}
