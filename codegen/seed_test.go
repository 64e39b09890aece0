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

	type agg struct{ count, size, time int64 }
	want := map[string]*agg{}
	names := map[int]string{1: "Beijing", 2: "Shanghai", 3: "Guangdong", 4: "Unknown"}
	var recs []testservers.Record
	for i := 0; i < 4000; i++ {
		o := i%4 + 1
		rt, size := int64(i%3+1), int64(i%13)*10
		line := fmt.Sprintf("u%d,%d.1.2.3,%d,%d,/x,%d", i, o, rt, size, 1600000000+i)
		recs = append(recs, testservers.Record{Partition: i % 2, Value: []byte(line)})
		a := want[names[o]]
		if a == nil {
			a = &agg{}
			want[names[o]] = a
		}
		a.count++
		a.size += size
		a.time += rt
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
	rows, err := db.Query(`SELECT province, access_count, total_download, download_speed FROM cdn_access_statistic`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var p string
		var count, size int64
		var speed float64
		if err := rows.Scan(&p, &count, &size, &speed); err != nil {
			t.Fatal(err)
		}
		n++
		a := want[p]
		if a == nil {
			t.Errorf("unexpected province %q", p)
			continue
		}
		exp := float64(a.size) / float64(a.time)
		if count != a.count || size != a.size || speed-exp > 1e-6 || exp-speed > 1e-6 {
			t.Errorf("%s: got (%d, %d, %v), want (%d, %d, %v)", p, count, size, speed, a.count, a.size, exp)
		}
	}
	if n != len(want) {
		t.Errorf("table has %d rows, want %d", n, len(want))
	}
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
