package kafka

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"slices"
	"strconv"
	"time"

	kafkago "github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/compress"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// fetchVersion is the Fetch API version the source speaks: v4 is the first with record
// batches (magic 2) and the isolation level, supported from Kafka 0.11 to 4.x (which
// dropped v0-v3) and by kfake.
const fetchVersion = 4

// fetchConn is one partition's connection to the partition's leader, speaking the Fetch
// API directly. kafka-go's Client.Fetch decodes every record through a byte-at-a-time
// reader and the source then copied each key and value again; that cost most of a
// Kafka job's CPU. Here a response is read with one ReadFull into the batch's own
// buffer and the records are sliced out of it in place (appendBatches).
//
// Metadata, offsets and commits still go through kafka-go's Client.
type fetchConn struct {
	s    *Source
	tp   topicPartition
	conn net.Conn
	corr int32
	req  kmsg.FetchRequest
	resp kmsg.FetchResponse
	fmt  *kmsg.RequestFormatter
	out  []byte // the encoded request
	// hw is the partition's high watermark in the last response (its end: the offset
	// of the next record produced), for the consumer lag.
	hw int64
}

func newFetchConn(s *Source, tp topicPartition) *fetchConn {
	f := &fetchConn{s: s, tp: tp, fmt: kmsg.NewRequestFormatter(kmsg.FormatterClientID("sqlc-stream"))}
	f.req.Default()
	f.req.Version = fetchVersion
	f.req.MinBytes = 1
	f.req.MaxBytes = int32(s.maxBytes)
	f.req.MaxWaitMillis = int32(s.maxWait / time.Millisecond)
	f.req.IsolationLevel = 0 // read_uncommitted, as before with kafka-go
	t := kmsg.NewFetchRequestTopic()
	t.Topic = tp.topic
	pt := kmsg.NewFetchRequestTopicPartition()
	pt.Partition = tp.partition
	pt.PartitionMaxBytes = int32(s.maxBytes)
	t.Partitions = append(t.Partitions, pt)
	f.req.Topics = append(f.req.Topics, t)
	return f
}

// grow doubles the fetch size, for a response that held only the start of a record
// batch (a broker that cuts batches at the limit; Kafka since 0.10.1 sends a first batch
// whole however large).
func (f *fetchConn) grow() {
	if m := f.req.MaxBytes; m < 1<<29 {
		f.req.MaxBytes = 2 * m
		f.req.Topics[0].Partitions[0].PartitionMaxBytes = 2 * m
	}
}

func (f *fetchConn) close() {
	if f.conn != nil {
		f.conn.Close()
		f.conn = nil
	}
}

// connect finds the partition's leader in the cluster metadata and dials it.
func (f *fetchConn) connect(ctx context.Context) error {
	md, err := f.s.client.Metadata(ctx, &kafkago.MetadataRequest{Topics: []string{f.tp.topic}})
	if err != nil {
		return err
	}
	var leader *kafkago.Broker
	for _, t := range md.Topics {
		if t.Name != f.tp.topic {
			continue
		}
		if t.Error != nil {
			return t.Error
		}
		for i := range t.Partitions {
			if p := &t.Partitions[i]; p.ID == int(f.tp.partition) {
				if p.Error != nil {
					return p.Error
				}
				leader = &p.Leader
			}
		}
	}
	if leader == nil || leader.Host == "" {
		return kafkago.LeaderNotAvailable
	}
	d := net.Dialer{Timeout: 10 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(leader.Host, strconv.Itoa(leader.Port)))
	if err != nil {
		return err
	}
	f.conn = conn
	return nil
}

// fetch sends one Fetch request for offset and reads the response into bb's buffer. It
// returns the partition's record batches (a slice of that buffer) or the partition's
// error as a kafka-go Error. After any error the connection is closed: the next fetch
// looks the leader up again.
func (f *fetchConn) fetch(ctx context.Context, offset int64, bb *batchBuf) (batches []byte, err error) {
	defer func() {
		if err != nil {
			f.close()
		}
	}()
	if f.conn == nil {
		if err := f.connect(ctx); err != nil {
			return nil, err
		}
	}
	c := f.conn
	c.SetDeadline(time.Now().Add(f.s.maxWait + f.s.client.Timeout))
	// Cancelling the job interrupts a fetch waiting for data.
	stop := context.AfterFunc(ctx, func() { c.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	f.corr++
	f.req.Topics[0].Partitions[0].FetchOffset = offset
	f.out = f.fmt.AppendRequest(f.out[:0], &f.req, f.corr)
	if _, err := c.Write(f.out); err != nil {
		return nil, err
	}
	var hdr [4]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil {
		return nil, err
	}
	n := int(int32(binary.BigEndian.Uint32(hdr[:])))
	if n < 4 || n > 1<<30 {
		return nil, fmt.Errorf("kafka fetch response of %d bytes", n)
	}
	buf := bb.response(n)
	if _, err := io.ReadFull(c, buf); err != nil {
		return nil, err
	}
	if corr := int32(binary.BigEndian.Uint32(buf)); corr != f.corr {
		return nil, fmt.Errorf("kafka fetch response for request %d, want %d", corr, f.corr)
	}
	f.resp.Version = fetchVersion
	if err := f.resp.ReadFrom(buf[4:]); err != nil {
		return nil, fmt.Errorf("kafka fetch response: %w", err)
	}
	for _, t := range f.resp.Topics {
		if t.Topic != f.tp.topic {
			continue
		}
		for _, p := range t.Partitions {
			if p.Partition != f.tp.partition {
				continue
			}
			if p.ErrorCode != 0 {
				return nil, kafkago.Error(p.ErrorCode)
			}
			f.hw = p.HighWatermark
			return p.RecordBatches, nil
		}
	}
	return nil, nil // the partition is absent: nothing new
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// errCorrupt reports a record batch that does not parse.
var errCorrupt = errors.New("corrupt record batch")

// Offsets into a record batch (magic 2) header; the records follow at batchHeaderLen.
const (
	batchLengthAt  = 8  // int32, bytes after this field
	batchMagicAt   = 16 // int8
	batchCRCAt     = 17 // uint32, CRC-32C of everything after it
	batchAttrsAt   = 21 // int16: compression (bits 0-2), timestamp type (3), transactional (4), control (5)
	batchLastAt    = 23 // int32: last offset delta
	batchBaseTSAt  = 27 // int64
	batchMaxTSAt   = 35 // int64
	batchCountAt   = 57 // int32
	batchHeaderLen = 61
)

// appendBatches adds the records of the record batches in data to bb, slicing keys and
// values in place, from offset on and before p.stop. It returns the offset after the
// last record or batch consumed; a partial batch at the end (the broker cuts responses
// at the byte limit) is left for the next fetch.
func (bb *batchBuf) appendBatches(data []byte, p partitionPlan, offset int64) (int64, error) {
	next := offset
	stop := p.stop
	for len(data) >= batchHeaderLen {
		base := int64(binary.BigEndian.Uint64(data))
		length := int64(int32(binary.BigEndian.Uint32(data[batchLengthAt:])))
		if length < batchHeaderLen-12 {
			return next, errCorrupt
		}
		if 12+length > int64(len(data)) {
			break
		}
		batch := data[:12+length]
		data = data[12+length:]
		if magic := int8(batch[batchMagicAt]); magic != 2 {
			return next, fmt.Errorf("message format (magic %d) older than Kafka 0.11 is not supported", magic)
		}
		if crc32.Checksum(batch[batchAttrsAt:], castagnoli) != binary.BigEndian.Uint32(batch[batchCRCAt:]) {
			return next, fmt.Errorf("%w at offset %d: CRC mismatch", errCorrupt, base)
		}
		attrs := binary.BigEndian.Uint16(batch[batchAttrsAt:])
		end := base + int64(int32(binary.BigEndian.Uint32(batch[batchLastAt:]))) + 1
		if end <= offset {
			continue // wholly before the offset asked for
		}
		if attrs&0x20 == 0 { // not a control batch (transaction marker), which holds no rows
			recs := batch[batchHeaderLen:]
			if codec := attrs & 7; codec != 0 {
				var err error
				if recs, err = bb.decompress(compress.Compression(codec), recs); err != nil {
					return next, fmt.Errorf("record batch at offset %d: %w", base, err)
				}
			}
			baseTS := int64(binary.BigEndian.Uint64(batch[batchBaseTSAt:]))
			logAppendTS := int64(-1)
			if attrs&0x08 != 0 { // LogAppendTime: every record has the batch's max timestamp
				logAppendTS = int64(binary.BigEndian.Uint64(batch[batchMaxTSAt:]))
			}
			count := int(int32(binary.BigEndian.Uint32(batch[batchCountAt:])))
			var done bool
			var err error
			if next, done, err = bb.appendRecords(recs, count, base, baseTS, logAppendTS, p.tp.partition, offset, stop, next); err != nil {
				return next, fmt.Errorf("record batch at offset %d: %w", base, err)
			}
			if done {
				return next, nil
			}
		}
		// Compaction leaves gaps: the position moves past the whole batch.
		if stop >= 0 && end > stop {
			return max(next, stop), nil
		}
		next = max(next, end)
	}
	return next, nil
}

// appendRecords adds count records of one batch (recs: the records section,
// decompressed). done reports that the stop offset was reached.
func (bb *batchBuf) appendRecords(recs []byte, count int, base, baseTS, logAppendTS int64, partition int32, offset, stop, next int64) (_ int64, done bool, err error) {
	b := &bb.b
	if n := len(b.Records) + count; n > cap(b.Records) {
		// Grow all five columns once per batch rather than in every append.
		b.Records = slices.Grow(b.Records, count)
		b.Keys = slices.Grow(b.Keys, count)
		b.Partition = slices.Grow(b.Partition, count)
		b.Offset = slices.Grow(b.Offset, count)
		b.Timestamp = slices.Grow(b.Timestamp, count)
	}
	for i := 0; i < count; i++ {
		l, n := varint(recs)
		if n <= 0 || l < 0 || int64(len(recs)-n) < l {
			return next, false, errCorrupt
		}
		rec := recs[n : n+int(l) : n+int(l)]
		recs = recs[n+int(l):]
		if len(rec) < 1 {
			return next, false, errCorrupt
		}
		at := 1 // attributes (unused)
		tsDelta, n := varint(rec[at:])
		if n <= 0 {
			return next, false, errCorrupt
		}
		at += n
		offDelta, n := varint(rec[at:])
		if n <= 0 {
			return next, false, errCorrupt
		}
		at += n
		o := base + offDelta
		if o < offset {
			continue
		}
		if stop >= 0 && o >= stop {
			return max(next, stop), true, nil
		}
		next = o + 1
		key, at, ok := varBytes(rec, at)
		if !ok {
			return next, false, errCorrupt
		}
		val, _, ok := varBytes(rec, at)
		if !ok {
			return next, false, errCorrupt
		}
		if val == nil {
			continue // a tombstone has no row for an append source (Flink skips it)
		}
		ts := logAppendTS
		if ts < 0 {
			ts = baseTS + tsDelta
		}
		b.Records = append(b.Records, val)
		b.Keys = append(b.Keys, key)
		b.Partition = append(b.Partition, partition)
		b.Offset = append(b.Offset, o)
		b.Timestamp = append(b.Timestamp, ts)
	}
	return next, false, nil
}

// varint reads a zig-zag varint (as binary.Varint) with a fast path for the one- and
// two-byte ones that record lengths, deltas and key and value lengths mostly are.
func varint(b []byte) (int64, int) {
	if len(b) >= 2 {
		u, n := uint64(b[0]), 1
		if u >= 0x80 {
			if b[1] >= 0x80 {
				return binary.Varint(b)
			}
			u, n = u&0x7f|uint64(b[1])<<7, 2
		}
		return int64(u>>1) ^ -int64(u&1), n
	}
	return binary.Varint(b)
}

// varBytes reads a varint-length byte string at rec[at:] (length -1: nil), capped so
// that appending to it cannot overwrite what follows.
func varBytes(rec []byte, at int) ([]byte, int, bool) {
	l, n := varint(rec[at:])
	if n <= 0 {
		return nil, at, false
	}
	at += n
	if l < 0 {
		return nil, at, true
	}
	if int64(len(rec)-at) < l {
		return nil, at, false
	}
	e := at + int(l)
	return rec[at:e:e], e, true
}

// response returns a buffer of n bytes for a fetch response, reusing the batch's.
func (bb *batchBuf) response(n int) []byte {
	if cap(bb.buf) < n {
		bb.buf = make([]byte, n, max(n, 64<<10))
	}
	bb.buf = bb.buf[:n]
	return bb.buf
}

// decompress appends the decompressed records section to the batch's decompression
// buffer and returns it. The buffer only grows by moving to a new array, so records
// already sliced from it stay valid.
func (bb *batchBuf) decompress(c compress.Compression, src []byte) ([]byte, error) {
	codec := c.Codec()
	if codec == nil {
		return nil, fmt.Errorf("unknown compression codec %d", c)
	}
	r := codec.NewReader(bytes.NewReader(src))
	defer r.Close()
	start := len(bb.dec)
	for {
		if len(bb.dec) == cap(bb.dec) {
			part := bb.dec[start:]
			bb.dec = make([]byte, len(part), max(2*cap(bb.dec), 4*len(src), 64<<10))
			copy(bb.dec, part)
			start = 0
		}
		n, err := r.Read(bb.dec[len(bb.dec):cap(bb.dec)])
		bb.dec = bb.dec[:len(bb.dec)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	end := len(bb.dec)
	return bb.dec[start:end:end], nil
}
