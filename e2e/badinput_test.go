package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
	"github.com/sqlc-stream/sqlc-stream/internal/jobtest"
	"github.com/sqlc-stream/sqlc-stream/internal/testservers"
)

// The bad-input tests (issue 11, acceptance 3; docs/connectors.md "Bad data") write
// records of which 1% are malformed, of every kind, into a file and into a Kafka topic,
// in CSV and in JSON, and run a job that prints every row it reads. With
// ignore-parse-errors the printed rows and the counters must be what Flink's rules make
// of the input, computed here from what the test wrote (badRecord's want and counted),
// not from the job's output; without it the job must stop at the first bad record and
// name where it is and what it holds.

// badKind is a kind of record the tests write.
type badKind int

const (
	good       badKind = iota
	short              // csv: two fields of four; json: two members of four
	long               // csv: five fields; json: a fifth member
	trailing           // csv: a trailing delimiter (one blank field more, which Jackson allows)
	garbage            // no delimiter at all / not JSON
	nonNumeric         // n is "abc"
	huge               // a line of 1,000,000 bytes: no delimiter / an unterminated JSON string
	nKinds
)

var kindNames = [...]string{"good", "short", "long", "trailing", "garbage", "non-numeric", "huge"}

// badRecord is one record written and what the job must make of it.
type badRecord struct {
	kind  badKind
	value []byte
	// Under ignore-parse-errors: the row printed ("" for none) and whether the record
	// counts as skipped or as read with NULLs.
	want             string
	skipped, nulled  bool
	failsStrict      bool // without ignore-parse-errors, the job stops at it
	failsMissingOnly bool // json: only json.fail-on-missing-field stops at it
}

// badInput makes n records in format ("csv" or "json"): record i is bad when i%100 is
// 37, of the kinds in turn, so 1% are bad and every kind occurs.
func badInput(format string, n int) []badRecord {
	var out []badRecord
	bad := 0
	for i := 0; i < n; i++ {
		k := good
		if i%100 == 37 {
			k = badKind(1 + bad%int(nKinds-1))
			bad++
		}
		out = append(out, makeBad(format, k, i))
	}
	return out
}

func makeBad(format string, k badKind, i int) badRecord {
	id, name, num, tag := fmt.Sprint(i), fmt.Sprintf("name%d", i), fmt.Sprint(i%97), fmt.Sprintf("tag%d", i%7)
	row := func(id, name, n, tag string) string { return "+I[" + id + ", " + name + ", " + n + ", " + tag + "]" }
	r := badRecord{kind: k}
	if format == "csv" {
		switch k {
		case good:
			r.value, r.want = []byte(id+","+name+","+num+","+tag), row(id, name, num, tag)
		case short: // Flink: the missing fields are NULL under ignore-parse-errors
			r.value, r.want, r.nulled, r.failsStrict = []byte(id+","+name), row(id, name, "null", "null"), true, true
		case long: // Jackson: "Too many entries"; skipped under ignore-parse-errors
			r.value, r.skipped, r.failsStrict = []byte(id+","+name+","+num+","+tag+",extra"), true, true
		case trailing:
			r.value, r.want = []byte(id+","+name+","+num+","+tag+","), row(id, name, num, tag)
		case garbage: // one field, which is not a number: every column NULL
			r.value, r.want, r.nulled, r.failsStrict = []byte("garbage"+id), row("null", "null", "null", "null"), true, true
		case nonNumeric:
			r.value, r.want, r.nulled, r.failsStrict = []byte(id+","+name+",abc,"+tag), row(id, name, "null", tag), true, true
		case huge:
			r.value, r.want, r.nulled, r.failsStrict = []byte(strings.Repeat("x", 1_000_000)), row("null", "null", "null", "null"), true, true
		}
		return r
	}
	obj := func(members ...string) []byte { return []byte("{" + strings.Join(members, ",") + "}") }
	mID, mName, mN, mTag := `"id":`+id, `"name":"`+name+`"`, `"n":`+num, `"tag":"`+tag+`"`
	switch k {
	case good, trailing:
		r.value, r.want = obj(mID, mName, mN, mTag), row(id, name, num, tag)
	case short: // a missing member is NULL, not an error (unless json.fail-on-missing-field)
		r.value, r.want, r.failsMissingOnly = obj(mID, mName), row(id, name, "null", "null"), true
	case long: // other members are not read
		r.value, r.want = obj(mID, mName, mN, mTag, `"extra":[1,{"a":2}]`), row(id, name, num, tag)
	case garbage:
		r.value, r.skipped, r.failsStrict = []byte("garbage"+id), true, true
	case nonNumeric:
		r.value, r.want, r.nulled, r.failsStrict = obj(mID, mName, `"n":"abc"`, mTag), row(id, name, "null", tag), true, true
	case huge:
		r.value, r.skipped, r.failsStrict = []byte(`{"id":`+id+`,"name":"`+strings.Repeat("x", 1_000_000)), true, true
	}
	return r
}

// badJobSQL is the job: every column of t printed. The source is a file or a topic;
// the Kafka table is written with Flink 1.10's keys, so format.ignore-parse-errors is
// the legacy key.
func badJobSQL(connector, format string) string {
	var with string
	if connector == "filesystem" {
		with = fmt.Sprintf(`'connector' = 'filesystem', 'path' = '${IN_PATH}', 'format' = '%s'`, format)
	} else {
		with = fmt.Sprintf(`'connector.type' = 'kafka', 'connector.version' = 'universal', 'connector.topic' = '${IN_TOPIC}',
  'connector.properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP_SERVERS}',
  'connector.startup-mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset', 'format.type' = '%s'`, format)
	}
	return fmt.Sprintf(`CREATE TABLE t (id BIGINT, name STRING, n BIGINT, tag STRING) WITH (
  %s
);
CREATE TABLE out_t (id BIGINT, name STRING, n BIGINT, tag STRING) WITH ('connector' = 'print');
INSERT INTO out_t SELECT id, name, n, tag FROM t;
`, with)
}

// buildBadJob compiles and builds the job into its own module.
func buildBadJob(t *testing.T, connector, format string) (dir, bin string) {
	t.Helper()
	dir = gotest.NewModule(t, "badinput")
	return dir, jobtest.BuildPkg(t, dir, "job", badJobSQL(connector, format))
}

func TestBadInput(t *testing.T) {
	const n = 10_000
	for _, connector := range []string{"filesystem", "kafka"} {
		for _, format := range []string{"csv", "json"} {
			t.Run(connector+"/"+format, func(t *testing.T) {
				dir, bin := buildBadJob(t, connector, format)
				recs := badInput(format, n)
				env, ignoreKey := []string{}, "t."+format+".ignore-parse-errors"
				// where names record i in the job's errors; dead reads the dead letters
				// the job wrote with deadArg (position -> outcome and record).
				var where func(i int) string
				var deadArg string
				var dead func(t *testing.T) map[string]deadLetter
				if connector == "filesystem" {
					path := filepath.Join(dir, "in."+format)
					var sb strings.Builder
					for _, r := range recs {
						sb.Write(r.value)
						sb.WriteByte('\n')
					}
					gotest.WriteFile(t, path, sb.String())
					env = append(env, "IN_PATH="+path)
					where = func(i int) string { return fmt.Sprintf("%s:%d: ", path, i+1) }
					deadPath := filepath.Join(dir, "dead", "t.jsonl")
					deadArg = "t.dead-letter.path=" + deadPath
					dead = func(t *testing.T) map[string]deadLetter { return readDeadFile(t, deadPath) }
				} else {
					bootstrap := testservers.Kafka(t)
					topic := testservers.CreateTopic(t, bootstrap, 2)
					var msgs []testservers.Record
					offsets := make([]int, len(recs)) // record i's offset in partition i%2
					next := [2]int{}
					for i, r := range recs {
						msgs = append(msgs, testservers.Record{Partition: i % 2, Value: r.value, Time: time.Now()})
						offsets[i] = next[i%2]
						next[i%2]++
					}
					// A record batch holds at most 1 MB (the broker's message.max.bytes):
					// the 1 MB records go alone, in order.
					for len(msgs) > 0 {
						k := 1
						for k < len(msgs) && len(msgs[k].Value) < 100_000 && len(msgs[0].Value) < 100_000 {
							k++
						}
						testservers.Produce(t, bootstrap, topic, msgs[:k]...)
						msgs = msgs[k:]
					}
					env = append(env, "IN_TOPIC="+topic, "KAFKA_BOOTSTRAP_SERVERS="+bootstrap)
					where = func(i int) string { return fmt.Sprintf("%s[%d]@%d: ", topic, i%2, offsets[i]) }
					deadTopic := testservers.CreateTopic(t, bootstrap, 1)
					deadArg = "t.dead-letter.topic=" + deadTopic
					dead = func(t *testing.T) map[string]deadLetter { return readDeadTopic(t, bootstrap, deadTopic) }
					ignoreKey = "t.format.ignore-parse-errors" // the 1.10 key
				}

				t.Run("ignore", func(t *testing.T) {
					stdout, stderr, code := gotest.RunEnv(t, dir, env, bin, "-D", ignoreKey+"=true", "-D", "parallelism.default=2", "-D", deadArg)
					if code != 0 {
						t.Fatalf("exit %d: %s", code, stderr)
					}
					var want []string
					skipped, nulled := 0, 0
					for _, r := range recs {
						if r.want != "" {
							want = append(want, r.want)
						}
						if r.skipped {
							skipped++
						}
						if r.nulled {
							nulled++
						}
					}
					got := strings.Split(strings.TrimSpace(stdout), "\n")
					slices.Sort(got)
					slices.Sort(want)
					if !slices.Equal(got, want) {
						t.Errorf("printed %d rows, want %d; first difference: %s", len(got), len(want), firstDiff(got, want))
					}
					for _, c := range []string{fmt.Sprintf("t.records_skipped=%d", skipped), fmt.Sprintf("t.records_nulled=%d", nulled),
						fmt.Sprintf("t.dead_letters=%d", skipped+nulled)} {
						if !strings.Contains(stderr, c) {
							t.Errorf("the counters do not say %s: %s", c, stderr)
						}
					}
					// The dead letter holds every skipped and nulled record, once, as read.
					letters := dead(t)
					for i, r := range recs {
						pos := strings.TrimSuffix(where(i), ": ")
						d, ok := letters[pos]
						delete(letters, pos)
						switch {
						case !r.skipped && !r.nulled:
							if ok {
								t.Errorf("%s (%s) is in the dead letter", pos, kindNames[r.kind])
							}
						case !ok:
							t.Errorf("%s (%s) is not in the dead letter", pos, kindNames[r.kind])
						case d.outcome != map[bool]string{true: "skipped", false: "nulled"}[r.skipped] || !bytes.HasPrefix(r.value, d.record) || d.size != len(r.value) || d.error == "":
							t.Errorf("%s (%s): dead letter %s %.80q (%s)", pos, kindNames[r.kind], d.outcome, d.record, d.error)
						}
					}
					if len(letters) > 0 {
						t.Errorf("%d dead letters name no bad record", len(letters))
					}
				})

				t.Run("strict", func(t *testing.T) {
					_, stderr, code := gotest.RunEnv(t, dir, env, bin, "-D", "parallelism.default=1")
					if code != 1 {
						t.Fatalf("exit %d, want 1; stderr: %s", code, stderr)
					}
					// The first bad record of the file, or of either partition of the topic.
					first := map[int]int{} // partition (0 for a file) -> record index
					for i, r := range recs {
						part := 0
						if connector == "kafka" {
							part = i % 2
						}
						if _, seen := first[part]; r.failsStrict && !seen {
							first[part] = i
						}
					}
					named := -1
					for _, i := range first {
						if strings.Contains(stderr, where(i)) {
							named = i
						}
					}
					if named < 0 {
						t.Fatalf("the error does not name the first bad record (%v): %s", first, stderr)
					}
					excerpt := fmt.Sprintf("record %q", recs[named].value)
					if recs[named].kind == huge {
						excerpt = fmt.Sprintf("record %q... (%d bytes)", recs[named].value[:256], len(recs[named].value))
					}
					if !strings.Contains(stderr, excerpt) {
						t.Errorf("the error does not show the %s record as %s: %s", kindNames[recs[named].kind], excerpt, stderr)
					}
				})

				if connector == "filesystem" {
					// Each kind alone, record 21 of 41: the job stops there or reads all.
					t.Run("strict-each-kind", func(t *testing.T) {
						for k := short; k < nKinds; k++ {
							var sb strings.Builder
							for i := 0; i < 41; i++ {
								r := makeBad(format, good, i)
								if i == 20 {
									r = makeBad(format, k, i)
								}
								sb.Write(r.value)
								sb.WriteByte('\n')
							}
							path := filepath.Join(dir, "one."+format)
							gotest.WriteFile(t, path, sb.String())
							stdout, stderr, code := gotest.RunEnv(t, dir, []string{"IN_PATH=" + path}, bin, "-D", "parallelism.default=1")
							r := makeBad(format, k, 20)
							switch {
							case r.failsStrict && code != 1:
								t.Errorf("%s: exit %d, want 1", kindNames[k], code)
							case r.failsStrict && !strings.Contains(stderr, fmt.Sprintf("%s:21: ", path)):
								t.Errorf("%s: the error does not name line 21: %s", kindNames[k], stderr)
							case r.failsStrict && strings.Count(stdout, "+I[") > 20:
								t.Errorf("%s: rows after the bad record were printed:\n%s", kindNames[k], stdout)
							case !r.failsStrict && (code != 0 || strings.Count(stdout, "+I[") != 41):
								t.Errorf("%s: exit %d with %d rows, want 0 and 41: %s", kindNames[k], code, strings.Count(stdout, "+I["), stderr)
							}
						}
					})
				}

				if format == "json" {
					t.Run("fail-on-missing-field", func(t *testing.T) {
						_, stderr, code := gotest.RunEnv(t, dir, env, bin, "-D", "t.json.fail-on-missing-field=true", "-D", "parallelism.default=1")
						if code != 1 {
							t.Fatalf("exit %d, want 1; stderr: %s", code, stderr)
						}
						for i, r := range recs {
							if r.failsStrict || r.failsMissingOnly {
								if connector == "filesystem" && !strings.Contains(stderr, where(i)) {
									t.Errorf("the error does not name record %d (%s): %s", i, kindNames[r.kind], stderr)
								}
								if r.failsMissingOnly && !regexp.MustCompile(`could not find field with name '(n|tag)'`).MatchString(stderr) {
									t.Errorf("the error does not name the missing member: %s", stderr)
								}
								break
							}
						}
					})
				}
			})
		}
	}
}

// firstDiff describes the first line where two sorted lists differ.
func firstDiff(got, want []string) string {
	for i := 0; i < len(got) || i < len(want); i++ {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			if len(g) > 200 {
				g = g[:200] + "..."
			}
			return fmt.Sprintf("got %q, want %q", g, w)
		}
	}
	return "none"
}

// deadLetter is one record of a dead letter.
type deadLetter struct {
	outcome, error string
	record         []byte // the record, or its first 1,000,000 bytes in a topic
	size           int    // the record's length
}

// readDeadFile reads a dead-letter file (JSON lines), by position.
func readDeadFile(t *testing.T, path string) map[string]deadLetter {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]deadLetter{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var l struct {
			Table, Position, Outcome, Error, Record string
			RecordBase64                            []byte `json:"record_base64"`
		}
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("dead letter %.200q: %v", line, err)
		}
		if l.Table != "t" {
			t.Errorf("dead letter of table %q", l.Table)
		}
		if _, dup := out[l.Position]; dup {
			t.Errorf("%s is twice in the dead letter", l.Position)
		}
		out[l.Position] = deadLetter{outcome: l.Outcome, error: l.Error, record: []byte(l.Record), size: len(l.Record)}
	}
	return out
}

// readDeadTopic reads a dead-letter topic, by position (header sqlc.position).
func readDeadTopic(t *testing.T, bootstrap, topic string) map[string]deadLetter {
	t.Helper()
	out := map[string]deadLetter{}
	for _, m := range testservers.ReadAll(t, bootstrap, topic) {
		h := map[string]string{}
		for _, x := range m.Headers {
			h[x.Key] = string(x.Value)
		}
		if h["sqlc.table"] != "t" {
			t.Errorf("dead letter of table %q", h["sqlc.table"])
		}
		if _, dup := out[h["sqlc.position"]]; dup {
			t.Errorf("%s is twice in the dead letter", h["sqlc.position"])
		}
		d := deadLetter{outcome: h["sqlc.outcome"], error: h["sqlc.error"], record: m.Value, size: len(m.Value)}
		if n, ok := h["sqlc.record-bytes"]; ok { // a record cut at 1,000,000 bytes
			d.size, _ = strconv.Atoi(n)
			if len(m.Value) != 1_000_000 {
				t.Errorf("a cut record holds %d bytes, want 1000000", len(m.Value))
			}
		}
		out[h["sqlc.position"]] = d
	}
	return out
}
