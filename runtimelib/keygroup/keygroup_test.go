package keygroup

import (
	"bytes"
	"math"
	"testing"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// Kafka's UtilsTest.testMurmur2 vectors (Java's signed results).
func TestMurmur2KafkaVectors(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int32
	}{
		{"21", -973932308},
		{"foobar", -790332482},
		{"a-little-bit-long-string", -985981536},
		{"a-little-bit-longer-string", -1486304829},
		{"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971},
		{"abc", 479470107},
	} {
		if got := int32(Murmur2([]byte(c.in))); got != c.want {
			t.Errorf("Murmur2(%q) = %d, want %d", c.in, got, c.want)
		}
	}
}

// A Kafka producer's default partitioner (kafka-go's Murmur2Balancer, which follows
// Java's) puts a key in partition toPositive(murmur2) mod n: so does Of.
func TestOfAgreesWithKafkaPartitioner(t *testing.T) {
	partitions := make([]int, 7)
	for i := range partitions {
		partitions[i] = i
	}
	var bal kafkago.Murmur2Balancer
	var key []byte
	for i := range 1000 {
		key = AppendString(AppendInt64(key[:0], int64(i*7919)), "k")
		if got, want := Of(key, len(partitions)), bal.Balance(kafkago.Message{Key: key}, partitions...); got != want {
			t.Fatalf("key %x: group %d, Kafka partition %d", key, got, want)
		}
	}
}

// The encoding is fixed: these bytes must never change, or restored state lands in
// the wrong groups.
func TestCanonicalEncodingIsStable(t *testing.T) {
	var b []byte
	b = AppendNull(b, false)
	b = AppendString(b, "ab")
	b = AppendNull(b, true)
	b = AppendInt64(b, -2)
	b = AppendBool(b, true)
	b = AppendFloat64(b, 1.5)
	b = AppendDecimal(b, types.Decimal{Hi: -1, Lo: 3})
	b = AppendTimestamp(b, types.Timestamp{Millis: 1, Nanos: 2})
	b = AppendBytes(b, []byte{0xff})
	want := []byte{
		1, 0, 0, 0, 2, 'a', 'b',
		0,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe,
		1,
		0x3f, 0xf8, 0, 0, 0, 0, 0, 0,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 3,
		0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2,
		0, 0, 0, 1, 0xff,
	}
	if !bytes.Equal(b, want) {
		t.Fatalf("encoding\n got %v\nwant %v", b, want)
	}
	if g := Of(b, 128); g != 65 {
		t.Errorf("group of the sample key = %d, want 65", g)
	}
}

func TestEncodingDistinguishes(t *testing.T) {
	enc := func(f func([]byte) []byte) string { return string(f(nil)) }
	pairs := [][2]string{
		{enc(func(b []byte) []byte { return AppendString(AppendString(b, "ab"), "c") }),
			enc(func(b []byte) []byte { return AppendString(AppendString(b, "a"), "bc") })},
		{enc(func(b []byte) []byte { return AppendNull(b, true) }),
			enc(func(b []byte) []byte { return AppendString(AppendNull(b, false), "") })},
		{enc(func(b []byte) []byte { return AppendFloat64(b, 0) }),
			enc(func(b []byte) []byte { return AppendFloat64(b, math.Copysign(0, -1)) })},
	}
	for i, p := range pairs {
		if p[0] == p[1] {
			t.Errorf("pair %d encodes equally: %x", i, p[0])
		}
	}
	nan1 := enc(func(b []byte) []byte { return AppendFloat64(b, math.NaN()) })
	nan2 := enc(func(b []byte) []byte { return AppendFloat64(b, math.Float64frombits(0x7ff8000000000001)) })
	if nan1 != nan2 {
		t.Errorf("NaNs encode differently: %x %x", nan1, nan2)
	}
}

func TestMaxParallelism(t *testing.T) {
	for _, c := range []struct {
		value string
		par   int
		want  int
		err   bool
	}{
		{"", 4, 128, false},
		{"", 85, 128, false},
		{"", 86, 256, false},
		{"", 200, 512, false},
		{"256", 4, 256, false},
		{" 8 ", 8, 8, false},
		{"4", 8, 0, true},
		{"0", 1, 0, true},
		{"x", 1, 0, true},
		{"40000", 1, 0, true},
	} {
		got, err := MaxParallelism(c.value, c.par)
		if (err != nil) != c.err || got != c.want {
			t.Errorf("MaxParallelism(%q, %d) = %d, %v", c.value, c.par, got, err)
		}
	}
}

func TestTaskSpreadsGroups(t *testing.T) {
	counts := make([]int, 3)
	for g := range 128 {
		counts[Task(g, 3)]++
	}
	if counts[0] != 43 || counts[1] != 43 || counts[2] != 42 {
		t.Errorf("groups per task = %v", counts)
	}
}

func BenchmarkKeyGroupOfString(b *testing.B) {
	var buf []byte
	s := "Guangdong"
	for b.Loop() {
		buf = AppendString(AppendNull(buf[:0], false), s)
		_ = Of(buf, 128)
	}
}
