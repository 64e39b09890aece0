package kafka

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"log/slog"
	"strings"
	"sync"
	"testing"

	kafkago "github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/compress"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/sqlc-stream/sqlc-stream/internal/testservers"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// testRec is one record of a hand-encoded batch; a nil val is a tombstone.
type testRec struct {
	offDelta, tsDelta int64
	key, val          []byte
}

// encodeBatch encodes a record batch (magic 2) byte for byte as the Kafka protocol
// guide describes it, independently of the parser under test; codec compresses the
// records section.
func encodeBatch(t testing.TB, base int64, attrs uint16, baseTS, maxTS int64, lastDelta int32, recs []testRec) []byte {
	var body []byte
	for _, r := range recs {
		rec := []byte{0} // attributes
		rec = binary.AppendVarint(rec, r.tsDelta)
		rec = binary.AppendVarint(rec, r.offDelta)
		rec = appendVarBytes(rec, r.key)
		rec = appendVarBytes(rec, r.val)
		rec = binary.AppendVarint(rec, 1) // one header, which the source ignores
		rec = appendVarBytes(rec, []byte("hk"))
		rec = appendVarBytes(rec, []byte("hv"))
		body = binary.AppendVarint(body, int64(len(rec)))
		body = append(body, rec...)
	}
	if codec := compress.Compression(attrs & 7); codec != 0 {
		var buf bytes.Buffer
		w := codec.Codec().NewWriter(&buf)
		if _, err := w.Write(body); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		body = buf.Bytes()
	}
	be := binary.BigEndian
	b := make([]byte, 61, 61+len(body))
	be.PutUint64(b[0:], uint64(base))
	be.PutUint32(b[8:], uint32(49+len(body)))
	b[16] = 2 // magic
	be.PutUint16(b[21:], attrs)
	be.PutUint32(b[23:], uint32(lastDelta))
	be.PutUint64(b[27:], uint64(baseTS))
	be.PutUint64(b[35:], uint64(maxTS))
	be.PutUint64(b[43:], ^uint64(0)) // producer id -1
	be.PutUint16(b[51:], 0xffff)     // producer epoch -1
	be.PutUint32(b[53:], 0xffffffff) // base sequence -1
	be.PutUint32(b[57:], uint32(len(recs)))
	b = append(b, body...)
	be.PutUint32(b[17:], crc32.Checksum(b[21:], crc32.MakeTable(crc32.Castagnoli)))
	return b
}

func appendVarBytes(b, v []byte) []byte {
	if v == nil {
		return binary.AppendVarint(b, -1)
	}
	return append(binary.AppendVarint(b, int64(len(v))), v...)
}

func recs(offDeltas ...int64) []testRec {
	var out []testRec
	for _, d := range offDeltas {
		out = append(out, testRec{offDelta: d, tsDelta: 10 * d, key: []byte(fmt.Sprintf("k%d", d)), val: []byte(fmt.Sprintf("v%d", d))})
	}
	return out
}

// parsed renders what appendBatches put into the batch: "offset:key:value@ts" per record.
func parsed(bb *batchBuf) string {
	var parts []string
	for i, v := range bb.b.Records {
		key := "null"
		if bb.b.Keys[i] != nil {
			key = string(bb.b.Keys[i])
		}
		if bb.b.Partition[i] != 7 {
			return fmt.Sprintf("record %d: partition %d", i, bb.b.Partition[i])
		}
		parts = append(parts, fmt.Sprintf("%d:%s:%s@%d", bb.b.Offset[i], key, v, bb.b.Timestamp[i]))
	}
	return strings.Join(parts, " ")
}

func TestAppendBatches(t *testing.T) {
	plain := encodeBatch(t, 10, 0, 1000, 1020, 2, recs(0, 1, 2))
	// Compaction removed offsets 21, 22 and 24-25; the batch still ends at 25.
	gaps := encodeBatch(t, 20, 0, 2000, 2030, 5, recs(0, 3))
	// A transaction's commit marker: a control batch, no rows.
	control := encodeBatch(t, 26, 0x20|0x10, 3000, 3000, 0, []testRec{{key: []byte{0, 0, 0, 1}, val: []byte{0, 0, 0, 0, 0, 0}}})
	// LogAppendTime: every record has the batch's max timestamp; a tombstone and a null key.
	logAppend := encodeBatch(t, 27, 0x08, 4000, 4999, 2, []testRec{
		{offDelta: 0, key: nil, val: []byte("a")}, {offDelta: 1, key: []byte("t"), val: nil}, {offDelta: 2, key: []byte("k"), val: []byte{}}})
	all := bytes.Join([][]byte{plain, gaps, control, logAppend}, nil)

	for _, tc := range []struct {
		name         string
		data         []byte
		offset, stop int64
		want         string
		next         int64
	}{
		{"all", all, 10, -1, "10:k0:v0@1000 11:k1:v1@1010 12:k2:v2@1020 20:k0:v0@2000 23:k3:v3@2030 27:null:a@4999 29:k:@4999", 30},
		{"from the middle of a batch", all, 11, -1, "11:k1:v1@1010 12:k2:v2@1020 20:k0:v0@2000 23:k3:v3@2030 27:null:a@4999 29:k:@4999", 30},
		{"batches before the offset skipped", all, 24, -1, "27:null:a@4999 29:k:@4999", 30},
		{"stop in a batch", all, 10, 12, "10:k0:v0@1000 11:k1:v1@1010", 12},
		{"stop in a compaction gap", all, 10, 22, "10:k0:v0@1000 11:k1:v1@1010 12:k2:v2@1020 20:k0:v0@2000", 22},
		{"only a control batch", control, 26, -1, "", 27},
		{"a partial batch at the end waits", append(append([]byte{}, plain...), gaps[:40]...), 10, -1, "10:k0:v0@1000 11:k1:v1@1010 12:k2:v2@1020", 13},
		{"a partial batch alone", gaps[:len(gaps)-1], 20, -1, "", 20},
		{"empty", nil, 5, -1, "", 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bb := new(batchBuf)
			next, err := bb.appendBatches(tc.data, partitionPlan{tp: topicPartition{"t", 7}, stop: tc.stop}, tc.offset)
			if err != nil {
				t.Fatal(err)
			}
			if got := parsed(bb); got != tc.want || next != tc.next {
				t.Errorf("got %q next %d\nwant %q next %d", got, next, tc.want, tc.next)
			}
		})
	}
}

func TestAppendBatchesCompressed(t *testing.T) {
	for _, codec := range []compress.Compression{compress.Gzip, compress.Snappy, compress.Lz4, compress.Zstd} {
		t.Run(codec.String(), func(t *testing.T) {
			var many []testRec
			for i := int64(0); i < 500; i++ {
				many = append(many, testRec{offDelta: i, val: bytes.Repeat([]byte{'a' + byte(i%26)}, 100)})
			}
			data := append(encodeBatch(t, 0, uint16(codec), 0, 0, 499, many), encodeBatch(t, 500, uint16(codec), 0, 0, 1, recs(0, 1))...)
			bb := new(batchBuf)
			next, err := bb.appendBatches(data, partitionPlan{tp: topicPartition{"t", 7}, stop: -1}, 0)
			if err != nil {
				t.Fatal(err)
			}
			if next != 502 || len(bb.b.Records) != 502 {
				t.Fatalf("next %d, %d records; want 502, 502", next, len(bb.b.Records))
			}
			// Every value must still be intact after the decompression buffer grew.
			for i := 0; i < 500; i++ {
				if v := bb.b.Records[i]; len(v) != 100 || v[0] != 'a'+byte(i%26) || v[99] != v[0] {
					t.Fatalf("record %d: %q", i, v)
				}
			}
			if got := string(bb.b.Records[501]); got != "v1" {
				t.Fatalf("record 501: %q", got)
			}
		})
	}
}

func TestAppendBatchesCorrupt(t *testing.T) {
	good := encodeBatch(t, 0, 0, 0, 0, 1, recs(0, 1))
	bad := append([]byte{}, good...)
	bad[len(bad)-3] ^= 1
	old := append([]byte{}, good...)
	old[16] = 1
	for name, data := range map[string][]byte{"crc": bad, "magic 1": old} {
		bb := new(batchBuf)
		if _, err := bb.appendBatches(data, partitionPlan{stop: -1}, 0); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestSourceCompressedTopic reads batches that a kafka-go producer compressed with each
// codec through the broker, larger than one fetch.
func TestSourceCompressedTopic(t *testing.T) {
	bs := testservers.Kafka(t)
	codecs := []compress.Compression{compress.None, compress.Gzip, compress.Snappy, compress.Lz4, compress.Zstd}
	topic := testservers.CreateTopic(t, bs, len(codecs))
	const n = 3000 // about 600 KB per partition: several fetches
	for p, codec := range codecs {
		w := &kafkago.Writer{Addr: kafkago.TCP(bs), Topic: topic, Compression: codec, BatchSize: 1000,
			RequiredAcks: kafkago.RequireAll, Balancer: fixedPartition(p)}
		var msgs []kafkago.Message
		for i := 0; i < n; i++ {
			msgs = append(msgs, kafkago.Message{Value: []byte(fmt.Sprintf("%d-%d-%s", p, i, strings.Repeat("x", 180)))})
		}
		if err := w.WriteMessages(testCtx(t), msgs...); err != nil {
			t.Fatal(err)
		}
		w.Close()
	}
	s, err := NewSource(resolve(t, "connector", "kafka", "topic", topic, "properties.bootstrap.servers", bs,
		"format", "csv", "scan.startup.mode", "earliest-offset", "scan.bounded.mode", "latest-offset"), stream.Schema{})
	if err != nil {
		t.Fatal(err)
	}
	recs := runBounded(t, s)
	if len(recs) != n*len(codecs) {
		t.Fatalf("got %d records, want %d", len(recs), n*len(codecs))
	}
	for i, r := range recs {
		p, k := i/n, i%n
		if want := fmt.Sprintf("%d-%d-%s", p, k, strings.Repeat("x", 180)); r.partition != int32(p) || r.offset != int64(k) || r.val != want {
			t.Fatalf("record %d: partition %d offset %d %q", i, r.partition, r.offset, r.val[:min(len(r.val), 20)])
		}
	}
}

type fixedPartition int

func (f fixedPartition) Balance(kafkago.Message, ...int) int { return int(f) }

// TestSourceFetchErrorsRetry: a retriable partition error (NOT_LEADER_OR_FOLLOWER) and
// a dropped connection are retried on a new connection, and nothing is lost or repeated.
func TestSourceFetchErrorsRetry(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	bs := strings.Join(c.ListenAddrs(), ",")
	topic := testservers.CreateTopic(t, bs, 1)
	produceN(t, bs, topic, 1, 100)

	var mu sync.Mutex
	var injected []string
	c.ControlKey(kmsg.Fetch.Int16(), func(kreq kmsg.Request) (kmsg.Response, error, bool) {
		req := kreq.(*kmsg.FetchRequest)
		resp := req.ResponseKind().(*kmsg.FetchResponse)
		resp.Version = req.Version
		rt := kmsg.NewFetchResponseTopic()
		rt.Topic = topic
		rp := kmsg.NewFetchResponseTopicPartition()
		rp.ErrorCode = 6 // NOT_LEADER_OR_FOLLOWER
		rt.Partitions = append(rt.Partitions, rp)
		resp.Topics = append(resp.Topics, rt)
		mu.Lock()
		injected = append(injected, "not leader")
		mu.Unlock()
		return resp, nil, true
	})
	c.ControlKey(kmsg.Fetch.Int16(), func(kmsg.Request) (kmsg.Response, error, bool) {
		mu.Lock()
		injected = append(injected, "connection closed")
		mu.Unlock()
		return nil, errors.New("injected"), true
	})

	s, err := NewSource(resolve(t, "connector", "kafka", "topic", topic, "properties.bootstrap.servers", bs,
		"format", "csv", "scan.startup.mode", "earliest-offset", "scan.bounded.mode", "latest-offset"), stream.Schema{})
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	s.Log = slog.New(slog.NewTextHandler(&log, nil))
	recs := runBounded(t, s)
	if len(recs) != 100 {
		t.Fatalf("got %d records, want 100", len(recs))
	}
	for i, r := range recs {
		if r.offset != int64(i) || r.val != fmt.Sprintf("p0-%d", i) {
			t.Fatalf("record %d: %+v", i, r)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(injected) != 2 {
		t.Errorf("injected %v, want both faults", injected)
	}
	if n := strings.Count(log.String(), "kafka fetch failed, retrying"); n != 2 {
		t.Errorf("%d retries logged, want 2:\n%s", n, log.String())
	}
}

// TestVarint compares the fast paths of varint with binary.Varint, on complete and on
// truncated input.
func TestVarint(t *testing.T) {
	vals := []int64{0, 1, -1, 63, -64, 64, -65, 100, 8191, -8192, 8192, -8193, 1 << 20, -(1 << 40), 1<<63 - 1, -1 << 63}
	for v := int64(-300); v <= 300; v++ {
		vals = append(vals, v)
	}
	for _, v := range vals {
		enc := binary.AppendVarint(nil, v)
		for _, b := range [][]byte{enc, append(enc, 0x7f, 0x80), enc[:len(enc)-1]} {
			wv, wn := binary.Varint(b)
			if gv, gn := varint(b); gv != wv || gn != wn {
				t.Fatalf("varint(% x) = %d, %d; binary.Varint: %d, %d", b, gv, gn, wv, wn)
			}
		}
	}
}

// TestSourcePartialBatchGrowsFetch: a broker that answers with only the start of a
// batch larger than the fetch size (as brokers before Kafka 0.10.1 did) makes the source
// ask for more, rather than fetch the same bytes forever.
func TestSourcePartialBatchGrowsFetch(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	bs := strings.Join(c.ListenAddrs(), ",")
	topic := testservers.CreateTopic(t, bs, 1)
	big := strings.Repeat("x", 600<<10) // one record, one batch, over 2 × 256 KiB
	testservers.Produce(t, bs, topic, testservers.Record{Value: []byte(big)}, testservers.Record{Value: []byte("small")})

	var mu sync.Mutex
	var sizes []int32
	c.ControlKey(kmsg.Fetch.Int16(), func(kreq kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		req := kreq.(*kmsg.FetchRequest)
		max := req.Topics[0].Partitions[0].PartitionMaxBytes
		mu.Lock()
		sizes = append(sizes, max)
		mu.Unlock()
		if max >= 1<<20 || req.Topics[0].Partitions[0].FetchOffset > 0 {
			return nil, nil, false // the broker's own answer
		}
		// The start of the first batch, cut at the limit.
		resp := req.ResponseKind().(*kmsg.FetchResponse)
		resp.Version = req.Version
		rt := kmsg.NewFetchResponseTopic()
		rt.Topic = topic
		rp := kmsg.NewFetchResponseTopicPartition()
		rp.HighWatermark = 2
		rp.RecordBatches = encodeBatch(t, 0, 0, 0, 0, 0, []testRec{{val: []byte(big)}})[:max]
		rt.Partitions = append(rt.Partitions, rp)
		resp.Topics = append(resp.Topics, rt)
		return resp, nil, true
	})

	s, err := NewSource(resolve(t, "connector", "kafka", "topic", topic, "properties.bootstrap.servers", bs,
		"format", "csv", "scan.startup.mode", "earliest-offset", "scan.bounded.mode", "latest-offset"), stream.Schema{})
	if err != nil {
		t.Fatal(err)
	}
	recs := runBounded(t, s)
	if len(recs) != 2 || recs[0].val != big || recs[1].val != "small" {
		t.Fatalf("got %d records", len(recs))
	}
	mu.Lock()
	defer mu.Unlock()
	if len(sizes) < 3 || sizes[0] != 256<<10 || sizes[1] != 512<<10 || sizes[2] != 1<<20 {
		t.Errorf("fetch sizes %v, want 256 KiB, 512 KiB, 1 MiB, ...", sizes)
	}
}
