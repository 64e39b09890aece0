package codegen

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/sqlc-stream/sqlc-stream/internal/testservers"
)

func TestMain(m *testing.M) { testservers.Main(m) }

// seedSQL is the seed CDN job's DDL with its Flink 1.10 keys: a Kafka CSV source and a
// MySQL sink; the test fills in the addresses.
const seedSQL = `
CREATE TABLE cdn_access_log (
 uuid VARCHAR,
 client_ip VARCHAR,
 request_time BIGINT,
 response_size BIGINT,
 uri VARCHAR,
 event_ts BIGINT
) WITH (
 'connector.type' = 'kafka',
 'connector.version' = 'universal',
 'connector.topic' = '$TOPIC',
 'connector.properties.zookeeper.connect' = 'zookeeper:2181',
 'connector.properties.bootstrap.servers' = '$KAFKA',
 'format.type' = 'csv',
 'format.ignore-parse-errors' = 'true'
);

CREATE TABLE cdn_access_statistic (
 province VARCHAR,
 access_count BIGINT,
 total_download BIGINT,
 download_speed DOUBLE
) WITH (
 'connector.type' = 'jdbc',
 'connector.url' = '$URL',
 'connector.table' = 'cdn_access_statistic',
 'connector.username' = '${CDN_DB_USER}',
 'connector.password' = '${CDN_DB_PASSWORD}',
 'connector.write.flush.interval' = '1s'
);

CREATE FUNCTION ip_to_province AS 'example.com/jobtest/udf.IPToProvince' LANGUAGE GO;

INSERT INTO cdn_access_statistic
SELECT province,
       count(uuid) AS access_count,
       sum(response_size) AS total_download,
       sum(response_size) * 1.0 / sum(request_time) AS download_speed
FROM (
  SELECT uuid, ip_to_province(client_ip) AS province, response_size, request_time
  FROM cdn_access_log
)
GROUP BY province;
`

// TestSeedKafkaToMySQL runs the seed job as written (legacy keys, ${NAME} credentials)
// from a Kafka topic with two partitions into a MariaDB table, reading the topic up to
// its end (-D cdn_access_log.scan.bounded.mode=latest-offset), and compares the table
// with the aggregates computed here.
func TestSeedKafkaToMySQL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Kafka and MariaDB")
	}
	bootstrap := testservers.Kafka(t)
	topic := testservers.CreateTopic(t, bootstrap, 2)
	dsn := testservers.MariaDB(t)
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE cdn_access_statistic (province VARCHAR(255) PRIMARY KEY,
		access_count BIGINT, total_download BIGINT, download_speed DOUBLE)`); err != nil {
		t.Fatal(err)
	}

	want := cdnWant{}
	names := map[int]string{1: "Beijing", 2: "Shanghai", 3: "Guangdong", 4: "Unknown"}
	var recs []testservers.Record
	for i := 0; i < 4000; i++ {
		o := i%4 + 1
		rt, size := int64(i%3+1), int64(i%13)*10
		line := fmt.Sprintf("u%d,%d.1.2.3,%d,%d,/x,%d", i, o, rt, size, 1600000000+i)
		recs = append(recs, testservers.Record{Partition: i % 2, Value: []byte(line)})
		want.add(names[o], size, rt)
	}
	recs = append(recs, testservers.Record{Partition: 0, Value: []byte("bad,1.1.1.1,x,10,/y,1")})
	want["Beijing"].count++
	want["Beijing"].size += 10
	testservers.Produce(t, bootstrap, topic, recs...)

	sqlText := strings.NewReplacer("$TOPIC", topic, "$KAFKA", bootstrap,
		"$URL", "jdbc:mysql://"+cfg.Addr+"/"+cfg.DBName).Replace(seedSQL)
	prog, src := compileSQL(t, sqlText)
	files := generate(t, prog, src)
	if strings.Contains(string(files[0].Content), "runtimelib/sqlite") {
		t.Errorf("a MySQL job links the SQLite sink")
	}
	bin := buildJob(t, files)
	t.Setenv("CDN_DB_USER", cfg.User)
	t.Setenv("CDN_DB_PASSWORD", cfg.Passwd)
	_, stderr, ok := runJob(t, bin, "-D", "cdn_access_log.scan.bounded.mode=latest-offset")
	if !ok {
		t.Fatalf("job failed: %s", stderr)
	}
	checkStatistic(t, db, "cdn_access_statistic", want)
}

// TestKafkaMetadata reads a JSON topic with the partition, offset and timestamp
// metadata columns.
func TestKafkaMetadata(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Kafka")
	}
	t.Parallel()
	bootstrap := testservers.Kafka(t)
	topic := testservers.CreateTopic(t, bootstrap, 2)
	at := time.Date(2024, 5, 6, 7, 8, 9, 123e6, time.UTC)
	testservers.Produce(t, bootstrap, topic,
		testservers.Record{Partition: 0, Value: []byte(`{"v": "a"}`), Time: at},
		testservers.Record{Partition: 1, Value: []byte(`{"v": "b"}`), Time: at},
		testservers.Record{Partition: 1, Value: []byte(`{"v": "c"}`), Time: at.Add(time.Second)},
	)
	sqlText := strings.NewReplacer("$TOPIC", topic, "$KAFKA", bootstrap).Replace(`
CREATE TABLE k (
  v STRING,
  part INT METADATA FROM 'partition' VIRTUAL,
  off BIGINT METADATA FROM 'offset' VIRTUAL,
  ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp'
) WITH ('connector' = 'kafka', 'topic' = '$TOPIC', 'properties.bootstrap.servers' = '$KAFKA',
  'format' = 'json', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset');
CREATE TABLE o (v STRING, part INT, off BIGINT, ts STRING) WITH ('connector' = 'print');
INSERT INTO o SELECT v, part, off, CAST(ts AS STRING) FROM k;
`)
	prog, src := compileSQL(t, sqlText)
	bin := buildJob(t, generate(t, prog, src))
	stdout, stderr, ok := runJob(t, bin)
	if !ok {
		t.Fatalf("job failed: %s", stderr)
	}
	got := strings.Join(sortedLines(stdout), "\n")
	want := "+I[a, 0, 0, 2024-05-06 07:08:09.123]\n+I[b, 1, 0, 2024-05-06 07:08:09.123]\n+I[c, 1, 1, 2024-05-06 07:08:10.123]"
	if got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}

// TestKafkaMessageKey reads columns from Kafka message keys, as Flink's Kafka connector:
// a CSV key with 'key.fields-prefix' and a JSON value without the key columns
// (EXCEPT_KEY), and a JSON key with a CSV value that holds every column (ALL), where
// the value's field wins over the key's. A message without a key yields no row.
func TestKafkaMessageKey(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Kafka")
	}
	t.Parallel()
	bootstrap := testservers.Kafka(t)
	orders := testservers.CreateTopic(t, bootstrap, 2)
	users := testservers.CreateTopic(t, bootstrap, 1)
	testservers.Produce(t, bootstrap, orders,
		testservers.Record{Partition: 0, Key: []byte("eu|1"), Value: []byte(`{"item": "a", "amount": 2}`)},
		testservers.Record{Partition: 1, Key: []byte(`"us"|2`), Value: []byte(`{"amount": 5, "item": "b", "k_id": 99}`)},
		testservers.Record{Partition: 1, Value: []byte(`{"item": "lost", "amount": 3}`)},
		testservers.Record{Partition: 0, Key: []byte("|3"), Value: []byte(`{"item": "d"}`)},
	)
	testservers.Produce(t, bootstrap, users,
		testservers.Record{Partition: 0, Key: []byte(`{"id": 7, "name": "ignored"}`), Value: []byte("7,ann")},
		testservers.Record{Partition: 0, Key: []byte(`{"id": 8}`), Value: []byte("9,bob")},
	)
	sqlText := strings.NewReplacer("$ORDERS", orders, "$USERS", users, "$KAFKA", bootstrap).Replace(`
CREATE TABLE orders (
  k_id BIGINT NOT NULL,
  item STRING,
  k_region STRING,
  amount INT,
  part INT METADATA FROM 'partition' VIRTUAL
) WITH ('connector' = 'kafka', 'topic' = '$ORDERS', 'properties.bootstrap.servers' = '$KAFKA',
  'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset',
  'key.format' = 'csv', 'key.csv.field-delimiter' = '|', 'key.fields' = 'k_region;k_id',
  'key.fields-prefix' = 'k_', 'value.format' = 'json', 'value.fields-include' = 'EXCEPT_KEY');
CREATE TABLE users (id INT, name STRING) WITH ('connector' = 'kafka', 'topic' = '$USERS',
  'properties.bootstrap.servers' = '$KAFKA', 'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset', 'key.format' = 'json', 'key.fields' = 'id', 'format' = 'csv');
CREATE TABLE o (src STRING, id BIGINT, item STRING, region STRING, amount INT, part INT) WITH ('connector' = 'print');
INSERT INTO o SELECT 'orders', k_id, item, k_region, amount, part FROM orders;
INSERT INTO o SELECT 'users', id, name, CAST(NULL AS STRING), CAST(NULL AS INT), CAST(NULL AS INT) FROM users;
`)
	prog, src := compileSQL(t, sqlText)
	bin := buildJob(t, generate(t, prog, src))
	stdout, stderr, ok := runJob(t, bin)
	if !ok {
		t.Fatalf("job failed: %s", stderr)
	}
	got := strings.Join(sortedLines(stdout), "\n")
	want := strings.Join([]string{
		"+I[orders, 1, a, eu, 2, 0]",
		"+I[orders, 2, b, us, 5, 1]",
		"+I[orders, 3, d, , null, 0]", // an empty CSV field is an empty STRING
		"+I[users, 7, ann, null, null, null]",
		"+I[users, 9, bob, null, null, null]",
	}, "\n")
	if got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}

	// A key that does not parse fails the job like a value field, at the column.
	bad := testservers.CreateTopic(t, bootstrap, 1)
	testservers.Produce(t, bootstrap, bad, testservers.Record{Partition: 0, Key: []byte("eu|x"), Value: []byte(`{"item": "e"}`)})
	badSQL := strings.Replace(sqlText, orders, bad, 1)
	prog, src = compileSQL(t, badSQL)
	bin = buildJob(t, generate(t, prog, src))
	_, stderr, ok = runJob(t, bin)
	if ok {
		t.Fatalf("job with an unparsable key succeeded")
	}
	if !strings.Contains(stderr, `cannot parse "x" as BIGINT for column k_id`) {
		t.Errorf("stderr does not name the key column: %s", stderr)
	}
	// Under key.csv.ignore-parse-errors the row is skipped and counted.
	prog, src = compileSQL(t, strings.Replace(badSQL, "'key.fields' = 'k_region;k_id'",
		"'key.fields' = 'k_region;k_id', 'key.csv.ignore-parse-errors' = 'true'", 1))
	bin = buildJob(t, generate(t, prog, src))
	stdout, stderr, ok = runJob(t, bin)
	if !ok {
		t.Fatalf("job failed: %s", stderr)
	}
	if got := strings.Join(sortedLines(stdout), "\n"); got != want[strings.Index(want, "+I[users"):] {
		t.Errorf("output with an ignored bad key:\n%s", got)
	}
}

// TestKafkaMessageKeyFormats covers the other shapes: a JSON key and value with a
// column named key and a UDF in the pipeline (the loop keeps r for panics), and a CSV
// key no column of which the query reads (a message without a key still yields no row).
func TestKafkaMessageKeyFormats(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Kafka")
	}
	t.Parallel()
	bootstrap := testservers.Kafka(t)
	ta := testservers.CreateTopic(t, bootstrap, 1)
	tb := testservers.CreateTopic(t, bootstrap, 1)
	testservers.Produce(t, bootstrap, ta,
		testservers.Record{Key: []byte(`{"key": "k1"}`), Value: []byte(`{"v": "x", "n": 4}`)},
		testservers.Record{Key: []byte(`{"key": null}`), Value: []byte(`{"v": "y"}`)},
		testservers.Record{Value: []byte(`{"v": "z", "n": 5}`)},
	)
	testservers.Produce(t, bootstrap, tb,
		testservers.Record{Key: []byte("1"), Value: []byte("1,10")},
		testservers.Record{Value: []byte("2,20")},
		testservers.Record{Key: []byte("3"), Value: []byte("3,30")},
	)
	sqlText := strings.NewReplacer("$A", ta, "$B", tb, "$KAFKA", bootstrap).Replace(`
CREATE FUNCTION or_zero AS 'example.com/jobtest/udf.OrZero' LANGUAGE GO;
CREATE TABLE a (` + "`key`" + ` STRING, v STRING, n BIGINT) WITH ('connector' = 'kafka', 'topic' = '$A',
  'properties.bootstrap.servers' = '$KAFKA', 'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset', 'key.format' = 'json', 'key.fields' = 'key',
  'value.format' = 'json', 'value.fields-include' = 'EXCEPT_KEY');
CREATE TABLE b (id BIGINT, n BIGINT) WITH ('connector' = 'kafka', 'topic' = '$B',
  'properties.bootstrap.servers' = '$KAFKA', 'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset', 'key.format' = 'csv', 'key.fields' = 'id', 'format' = 'csv');
CREATE TABLE o (s1 STRING, s2 STRING, x BIGINT) WITH ('connector' = 'print');
INSERT INTO o SELECT ` + "`key`" + `, v, or_zero(n) FROM a;
INSERT INTO o SELECT CAST(n AS STRING), 'b', n FROM b;
`)
	prog, src := compileSQL(t, sqlText)
	bin := buildJob(t, generate(t, prog, src))
	stdout, stderr, ok := runJob(t, bin)
	if !ok {
		t.Fatalf("job failed: %s", stderr)
	}
	got := strings.Join(sortedLines(stdout), "\n")
	want := "+I[10, b, 10]\n+I[30, b, 30]\n+I[k1, x, 4]\n+I[null, y, 0]"
	if got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}
