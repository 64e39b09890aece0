package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/sqlc-stream/sqlc-stream/examples/cdn/mock"
	"github.com/sqlc-stream/sqlc-stream/examples/cdn/udf"
	"github.com/sqlc-stream/sqlc-stream/internal/cdnref"
	"github.com/sqlc-stream/sqlc-stream/internal/testservers"
)

// Kafka row settings: as in e2e, the seed's topic with 4 partitions, 1% malformed
// records, records with the seed's uri column.
const (
	kafkaPartitions = 4
	kafkaMalformed  = 0.01
)

// Flink's published Nexmark pass-through throughput, records/s per core: the baseline
// column of the Kafka row.
const flinkLow, flinkHigh = 155_000, 395_000

// servers adapts internal/testservers, written for tests, to this command: testservers
// calls only Helper, Name, Cleanup, Fatal and Fatalf (the embedded nil testing.TB is
// never called). Fatal panics with a serverError, which kafkaRow recovers.
type servers struct {
	testing.TB
	cleanups []func()
}

type serverError string

func (s *servers) Helper()                        {}
func (s *servers) Name() string                   { return "bench" }
func (s *servers) Cleanup(f func())               { s.cleanups = append(s.cleanups, f) }
func (s *servers) Fatal(args ...any)              { panic(serverError(fmt.Sprint(args...))) }
func (s *servers) Fatalf(format string, a ...any) { panic(serverError(fmt.Sprintf(format, a...))) }
func (s *servers) Logf(format string, a ...any)   {}
func (s *servers) close() {
	for i := len(s.cleanups) - 1; i >= 0; i-- {
		s.cleanups[i]()
	}
}

// kafkaRow runs the seed job examples/cdn/cdn.sql unchanged but for -D options: it reads
// a pre-filled topic on the in-process Kafka-protocol broker (kfake, or
// $SQLC_STREAM_KAFKA) until the end it found at start (scan.bounded.mode =
// latest-offset) and writes a real MariaDB (started by internal/testservers, or
// $SQLC_STREAM_MYSQL_DSN). The figure is records per second per core of the job
// process; the table must equal the reference.
func (b *bench) kafkaRow() (err error) {
	n := b.kafkaN
	srv := &servers{}
	defer srv.close()
	defer func() {
		switch e := recover().(type) {
		case nil:
		case serverError:
			err = fmt.Errorf("kafka row: %s", string(e))
		default:
			panic(e)
		}
	}()

	bin := filepath.Join(b.tmp, "cdn-seed")
	if _, err := b.buildJob(bin, "examples/cdn/cdn.sql"); err != nil {
		return err
	}

	b.logf("starting the Kafka-protocol broker and MariaDB")
	bootstrap := testservers.Kafka(srv)
	brokers := strings.Split(bootstrap, ",")
	topic := "access_log" // cdn.sql's topic
	var args []string
	if os.Getenv("SQLC_STREAM_KAFKA") != "" {
		topic = testservers.CreateTopic(srv, bootstrap, kafkaPartitions)
		args = append(args, "-D", "cdn_access_log.topic="+topic)
	} else if _, err := mock.EnsureTopic(context.Background(), brokers, topic, kafkaPartitions); err != nil {
		return err
	}
	dsn := testservers.MariaDB(srv)
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return err
	}
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE access_statistic (
		province VARCHAR(255) NOT NULL PRIMARY KEY,
		access_count BIGINT,
		total_download BIGINT,
		download_speed DOUBLE)`); err != nil {
		return err
	}

	b.logf("producing %d records into %s (%d partitions)", n, topic, kafkaPartitions)
	start := time.Now()
	g := mock.New(b.seed, kafkaMalformed, true)
	if _, err := g.ProduceKafka(context.Background(), n, mock.KafkaOptions{
		Brokers: brokers, Topic: topic, Partitions: kafkaPartitions}); err != nil {
		return err
	}
	b.logf("  produced in %s", time.Since(start).Round(time.Millisecond))

	want, err := kafkaReference(b.seed, n)
	if err != nil {
		return err
	}

	env := []string{
		"KAFKA_BOOTSTRAP_SERVERS=" + bootstrap,
		"MYSQL_HOST_PORT=" + cfg.Addr,
		"MYSQL_USER=" + cfg.User,
		"MYSQL_PASSWORD=" + cfg.Passwd,
	}
	args = append(args,
		"-D", "cdn_access_log.scan.startup.mode=earliest-offset",
		"-D", "cdn_access_log.scan.bounded.mode=latest-offset",
		"-D", "cdn_access_statistic.url=jdbc:mysql://"+cfg.Addr+"/"+cfg.DBName)
	const name = "seed job (Kafka -> MySQL)"
	resultOK := true
	runs, err := b.alternate(func() (run, error) {
		if _, err := db.Exec("DELETE FROM access_statistic"); err != nil {
			return run{}, err
		}
		r, err := b.measure(name, append([]string{bin}, args...), 0, env, true)
		if err != nil {
			return run{}, err
		}
		// A wrong result is a failure, but the row's figures are still shown.
		if err := checkRecords(name, r, n); err != nil {
			b.fail(err)
			resultOK = false
		}
		got, err := cdnref.ReadTable(db)
		if err != nil {
			return run{}, err
		}
		// MariaDB's collation orders differently from Go's byte order.
		sort.Slice(got, func(i, k int) bool { return got[i].Province < got[k].Province })
		if err := cdnref.Equal(want, got); err != nil {
			b.fail(fmt.Errorf("%s: MariaDB table access_statistic: %v", name, err))
			resultOK = false
		}
		return r, nil
	})
	if err != nil {
		return err
	}
	rs := runs[0]

	perCoreRate := distOf(rs, perCore(n))
	b.add(row{
		what:     fmt.Sprintf("(e) Kafka → MySQL, seed job cdn.sql, %s records, records/s per core of the job", count(n)),
		baseline: fmt.Sprintf("Flink Nexmark %s–%s", rate(flinkLow), rate(flinkHigh)),
		target:   "≥ 1.00M",
		ours:     perCoreRate.rateRange(),
		ratio:    ratio(perCoreRate.median() / 1_000_000),
		holds:    holds(perCoreRate.median() >= 1_000_000 && resultOK),
	})
	b.add(row{what: "    records/s (wall, GOMAXPROCS=" + fmt.Sprint(rs[0].stats.GOMAXPROCS) + ")", baseline: "—", target: "—",
		ours: distOf(rs, wallRate(n)).rateRange()})
	b.add(row{what: "    allocations per record", baseline: "—", target: "—", ours: allocs(distOf(rs, allocsPerRecord(n)).median())})
	b.add(row{what: "    peak RSS", baseline: "—", target: "—", ours: distOf(rs, rssMB).mbRange()})
	b.note("(e) ratio = ours ÷ the 1M/s/core target; vs Flink's best published %s/s/core: %.1f×", rate(flinkHigh), perCoreRate.median()/flinkHigh)
	return nil
}

// kafkaReference computes the seed query over the first n records of the generator.
func kafkaReference(seed uint64, n int64) ([]cdnref.Row, error) {
	g := mock.New(seed, kafkaMalformed, true)
	var buf bytes.Buffer
	var line []byte
	for i := int64(0); i < n; i++ {
		line = append(g.Append(line[:0]), '\n')
		buf.Write(line)
	}
	return cdnref.Compute(&buf, udf.IPToProvince)
}
