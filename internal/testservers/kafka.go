package testservers

import (
	"context"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"
)

// Kafka returns the bootstrap address of a Kafka-protocol broker for this test: the
// external one in $SQLC_STREAM_KAFKA, or a new in-process kfake cluster on 127.0.0.1
// that is closed when the test ends.
func Kafka(t testing.TB) string {
	t.Helper()
	if ext := os.Getenv("SQLC_STREAM_KAFKA"); ext != "" {
		return ext
	}
	c, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		t.Fatalf("testservers: start in-process Kafka (kfake): %v", err)
	}
	t.Cleanup(c.Close)
	return strings.Join(c.ListenAddrs(), ",")
}

var topicSeq atomic.Int64

// CreateTopic creates a topic with the given number of partitions under a name unique
// to this test run and returns the name.
func CreateTopic(t testing.TB, bootstrap string, partitions int) string {
	t.Helper()
	name := fmt.Sprintf("%s_%d_%d", sanitize(t.Name()), time.Now().UnixNano()%1_000_000_000, topicSeq.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c := Client(bootstrap)
	resp, err := c.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{{
		Topic: name, NumPartitions: partitions, ReplicationFactor: 1,
	}}})
	if err != nil {
		t.Fatalf("testservers: create topic %s: %v", name, err)
	}
	if err := resp.Errors[name]; err != nil {
		t.Fatalf("testservers: create topic %s: %v", name, err)
	}
	return name
}

// Client returns a kafka-go client for the bootstrap servers.
func Client(bootstrap string) *kafka.Client {
	return &kafka.Client{Addr: kafka.TCP(strings.Split(bootstrap, ",")...), Timeout: 20 * time.Second}
}

// Record is a message to produce to one partition.
type Record struct {
	Partition int
	Key       []byte // nil: no key
	Value     []byte // nil: tombstone
	Time      time.Time
}

// Produce writes the records (with acks=all) and fails the test on any error. Records
// of one partition are appended in the order given.
func Produce(t testing.TB, bootstrap, topic string, recs ...Record) {
	t.Helper()
	byPart := map[int][]kafka.Record{}
	var order []int
	for _, r := range recs {
		if _, ok := byPart[r.Partition]; !ok {
			order = append(order, r.Partition)
		}
		kr := kafka.Record{Time: r.Time}
		if r.Key != nil {
			kr.Key = kafka.NewBytes(r.Key)
		}
		if r.Value != nil {
			kr.Value = kafka.NewBytes(r.Value)
		}
		byPart[r.Partition] = append(byPart[r.Partition], kr)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c := Client(bootstrap)
	const chunk = 2000 // records per request, well under the broker's size limit
	for _, p := range order {
		recs := byPart[p]
		for len(recs) > 0 {
			n := min(chunk, len(recs))
			resp, err := c.Produce(ctx, &kafka.ProduceRequest{
				Topic: topic, Partition: p, RequiredAcks: kafka.RequireAll,
				Records: kafka.NewRecordReader(recs[:n]...),
			})
			if err == nil {
				err = resp.Error
			}
			if err != nil {
				t.Fatalf("testservers: produce to %s[%d]: %v", topic, p, err)
			}
			recs = recs[n:]
		}
	}
}

// ReadAll reads every message of every partition of topic up to the high-water mark
// at the time of the call, partition by partition.
func ReadAll(t testing.TB, bootstrap, topic string) []kafka.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c := Client(bootstrap)
	md, err := c.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil || len(md.Topics) != 1 || md.Topics[0].Error != nil {
		t.Fatalf("testservers: metadata of %s: %v %+v", topic, err, md)
	}
	var out []kafka.Message
	for _, p := range md.Topics[0].Partitions {
		lo, err := c.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{
			topic: {kafka.FirstOffsetOf(p.ID), kafka.LastOffsetOf(p.ID)}}})
		if err != nil {
			t.Fatalf("testservers: list offsets of %s[%d]: %v", topic, p.ID, err)
		}
		var first, last int64
		for _, po := range lo.Topics[topic] {
			if po.Partition == p.ID {
				first, last = po.FirstOffset, po.LastOffset
			}
		}
		if last <= first {
			continue
		}
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: strings.Split(bootstrap, ","), Topic: topic, Partition: p.ID, MaxWait: 100 * time.Millisecond, MaxBytes: 16 << 20})
		if err := r.SetOffset(first); err != nil {
			t.Fatal(err)
		}
		for {
			m, err := r.ReadMessage(ctx)
			if err != nil {
				r.Close()
				t.Fatalf("testservers: read %s[%d]: %v", topic, p.ID, err)
			}
			out = append(out, m)
			if m.Offset >= last-1 {
				break
			}
		}
		r.Close()
	}
	return out
}

func sanitize(s string) string {
	b := []byte(strings.ToLower(s))
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			b[i] = '_'
		}
	}
	if len(b) > 40 {
		b = b[:40]
	}
	return string(b)
}

// Broker is an in-process kfake broker that a test can take away and bring back on the
// same address: Cut drops every connection and refuses new ones (the broker keeps its
// data: a broker leaving the network), Restore listens again; RestartEmpty replaces it
// with an empty broker on the same port (a broker restarted without its data).
type Broker struct {
	t    testing.TB
	port int
	c    *kfake.Cluster
	ln   *cutListener
}

// StartBroker starts a one-broker kfake cluster on a loopback port; it is closed when
// the test ends. It cannot stand for an external broker ($SQLC_STREAM_KAFKA).
func StartBroker(t testing.TB) *Broker {
	t.Helper()
	b := &Broker{t: t}
	b.start(0)
	t.Cleanup(func() { b.c.Close() })
	return b
}

func (b *Broker) start(port int) {
	b.t.Helper()
	opts := []kfake.Opt{kfake.NumBrokers(1), kfake.ListenFn(func(network, addr string) (net.Listener, error) {
		ln, err := net.Listen(network, addr)
		if err != nil {
			return nil, err
		}
		b.ln = &cutListener{addr: ln.Addr().String(), ln: ln, conns: map[net.Conn]bool{}, up: make(chan struct{})}
		close(b.ln.up)
		return b.ln, nil
	})}
	if port != 0 {
		opts = append(opts, kfake.Ports(port))
	}
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		b.t.Fatalf("testservers: start in-process Kafka (kfake): %v", err)
	}
	b.c = c
	b.port = b.ln.ln.Addr().(*net.TCPAddr).Port
}

// Addr is the broker's bootstrap address.
func (b *Broker) Addr() string { return strings.Join(b.c.ListenAddrs(), ",") }

// Cut closes every connection to the broker and refuses new ones until Restore.
func (b *Broker) Cut() { b.ln.cut() }

// Restore accepts connections again on the same address.
func (b *Broker) Restore() {
	b.t.Helper()
	if err := b.ln.restore(); err != nil {
		b.t.Fatalf("testservers: listen again on %s: %v", b.ln.addr, err)
	}
	dropPooledConns()
}

// dropPooledConns closes kafka-go's pooled connections, which died with the broker's:
// the test's own requests (Produce, CreateTopic) would fail on them once.
func dropPooledConns() {
	if tr, ok := kafka.DefaultTransport.(*kafka.Transport); ok {
		tr.CloseIdleConnections()
	}
}

// RestartEmpty closes the broker and starts an empty one on the same port.
func (b *Broker) RestartEmpty() {
	b.t.Helper()
	b.c.Close()
	b.start(b.port)
	dropPooledConns()
}

// cutListener is a listener that can be cut: its connections closed and its port
// released, then opened again on the same address, while the broker behind it goes on
// calling Accept.
type cutListener struct {
	addr   string
	mu     sync.Mutex
	ln     net.Listener // nil while cut
	conns  map[net.Conn]bool
	up     chan struct{} // closed while listening
	closed bool
}

func (l *cutListener) Accept() (net.Conn, error) {
	for {
		l.mu.Lock()
		ln, up, closed := l.ln, l.up, l.closed
		l.mu.Unlock()
		if closed {
			return nil, net.ErrClosed
		}
		if ln == nil {
			<-up // cut: wait for restore (or Close)
			continue
		}
		c, err := ln.Accept()
		l.mu.Lock()
		if err != nil {
			again := !l.closed && l.ln != ln // cut while accepting
			l.mu.Unlock()
			if again {
				continue
			}
			return nil, err
		}
		if l.ln != ln { // cut meanwhile
			l.mu.Unlock()
			c.Close()
			continue
		}
		l.conns[c] = true
		l.mu.Unlock()
		return &trackedConn{Conn: c, l: l}, nil
	}
}

func (l *cutListener) cut() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ln == nil {
		return
	}
	l.ln.Close()
	l.ln = nil
	l.up = make(chan struct{})
	for c := range l.conns {
		c.Close()
	}
	clear(l.conns)
}

func (l *cutListener) restore() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ln != nil {
		return nil
	}
	ln, err := net.Listen("tcp", l.addr)
	if err != nil {
		return err
	}
	l.ln = ln
	close(l.up)
	return nil
}

func (l *cutListener) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	if l.ln != nil {
		l.ln.Close()
	} else {
		close(l.up)
	}
	for c := range l.conns {
		c.Close()
	}
	return nil
}

func (l *cutListener) Addr() net.Addr {
	a, _ := net.ResolveTCPAddr("tcp", l.addr)
	return a
}

// trackedConn leaves its listener's set when closed.
type trackedConn struct {
	net.Conn
	l *cutListener
}

func (c *trackedConn) Close() error {
	c.l.mu.Lock()
	delete(c.l.conns, c.Conn)
	c.l.mu.Unlock()
	return c.Conn.Close()
}
