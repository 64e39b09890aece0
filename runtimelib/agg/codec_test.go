package agg

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// TestRoundTrip: for every accumulator type, random operations, then Encode and Decode
// give the same state (the same bytes, the same result), and the decoded accumulator
// behaves as the original under the same further operations.
func TestRoundTrip(t *testing.T) {
	for _, k := range kinds() {
		t.Run(k.name, func(t *testing.T) {
			for seed := range uint64(200) {
				rng := rand.New(rand.NewPCG(seed, 1))
				orig := k.new()
				for range rng.IntN(40) {
					orig.step(rng)
				}
				enc := encodeBytes(orig)
				r := codec.NewReader(enc)
				dec := orig.decoded(r)
				if err := r.Done(); err != nil {
					t.Fatalf("seed %d: decoding %x: %v", seed, enc, err)
				}
				for i := range 20 {
					if got, want := dec.result(), orig.result(); got != want {
						t.Fatalf("seed %d, step %d after decoding: result %s, want %s", seed, i, got, want)
					}
					if got, want := encodeBytes(dec), encodeBytes(orig); !bytes.Equal(got, want) {
						t.Fatalf("seed %d, step %d after decoding: state %x, want %x", seed, i, got, want)
					}
					// The same operations on both: one generator per subject, same seed.
					s := rng.Uint64()
					orig.step(rand.New(rand.NewPCG(s, 2)))
					dec.step(rand.New(rand.NewPCG(s, 2)))
				}
			}
		})
	}
}

// TestDecodeTruncated: every strict prefix of an encoded state fails with ErrCorrupt
// (the decoder reads every field it wrote), and so does a trailing byte.
func TestDecodeTruncated(t *testing.T) {
	for _, k := range kinds() {
		t.Run(k.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, 7))
			s := k.new()
			for range 30 {
				s.step(rng)
			}
			enc := encodeBytes(s)
			for n := range len(enc) {
				r := codec.NewReader(enc[:n])
				s.decoded(r)
				if err := r.Done(); !errors.Is(err, codec.ErrCorrupt) {
					t.Fatalf("prefix %x of %x: %v, want ErrCorrupt", enc[:n], enc, err)
				}
			}
			r := codec.NewReader(append(enc, 0))
			s.decoded(r)
			if err := r.Done(); !errors.Is(err, codec.ErrCorrupt) {
				t.Fatalf("%x with a trailing byte: %v, want ErrCorrupt", enc, err)
			}
		})
	}
}

// TestDecodeImpossible: states no sequence of operations makes are rejected.
func TestDecodeImpossible(t *testing.T) {
	enc := func(f func(w *codec.Writer)) []byte {
		var w codec.Writer
		f(&w)
		return w.Buf
	}
	var nanOther uint64 = 0x7ff8000000000001 // a NaN, but not Java's
	tooBig, _ := maxDecimal.Add(types.DecimalFromInt64(1, 0))
	cases := []struct {
		name   string
		in     []byte
		decode func(r *codec.Reader)
	}{
		{"negative count", enc(func(w *codec.Writer) { w.Int64(-1) }),
			func(r *codec.Reader) { new(Count).Decode(r) }},
		{"sum without a value", enc(func(w *codec.Writer) { w.Bool(false); w.Int64(5) }),
			func(r *codec.Reader) { new(Sum[int64]).Decode(r, new(bool)) }},
		{"-0.0 sum without a value", enc(func(w *codec.Writer) { w.Bool(false); w.Float64(negZero) }),
			func(r *codec.Reader) { new(Sum[float64]).Decode(r, new(bool)) }},
		{"int8 sum out of range", enc(func(w *codec.Writer) { w.Bool(true); w.Int64(128) }),
			func(r *codec.Reader) { new(Sum[int8]).Decode(r, new(bool)) }},
		{"retract sum with negative count", enc(func(w *codec.Writer) { w.Int64(0); w.Int64(-2) }),
			func(r *codec.Reader) { new(SumWithRetract[int64]).Decode(r) }},
		{"decimal sum of 39 digits", enc(func(w *codec.Writer) { w.Bool(true); w.Decimal(tooBig) }),
			func(r *codec.Reader) { new(SumDecimal).Decode(r, new(bool)) }},
		{"decimal overflow without a value", enc(func(w *codec.Writer) { w.Bool(false); w.Decimal(overflowed) }),
			func(r *codec.Reader) { new(SumDecimal).Decode(r, new(bool)) }},
		{"avg with negative count", enc(func(w *codec.Writer) { w.Float64(1); w.Int64(-1) }),
			func(r *codec.Reader) { new(AvgFloat[float64]).Decode(r) }},
		{"min without a value", enc(func(w *codec.Writer) { w.Bool(false); w.String("a") }),
			func(r *codec.Reader) { new(MinCompared[string]).Decode(r, new(bool)) }},
		{"max bytes without a value", enc(func(w *codec.Writer) { w.Bool(false); w.Bytes([]byte{}) }),
			func(r *codec.Reader) { new(MaxCompared[[]byte]).Decode(r, new(bool)) }},
		{"distinct value twice", enc(func(w *codec.Writer) { w.Uint64(2); w.Int64(3); w.Int64(3) }),
			func(r *codec.Reader) { new(CountDistinct[int64]).Decode(r) }},
		{"distinct length above the bytes", enc(func(w *codec.Writer) { w.Uint64(1 << 29); w.Int64(3) }),
			func(r *codec.Reader) { new(CountDistinct[int64]).Decode(r) }},
		{"row count 0", enc(func(w *codec.Writer) { w.Uint64(1); w.String("a"); w.Int64(0) }),
			func(r *codec.Reader) { new(CountDistinctWithRetract[string]).Decode(r) }},
		{"value with rows twice", enc(func(w *codec.Writer) { w.Uint64(2); w.Int64(1); w.Int64(1); w.Int64(1); w.Int64(2) }),
			func(r *codec.Reader) { new(MinWithRetract[int64]).Decode(r) }},
		{"float key a foreign NaN", enc(func(w *codec.Writer) { w.Uint64(1); w.Uint64(nanOther); w.Int64(1) }),
			func(r *codec.Reader) { new(MaxWithRetract[uint64]).Decode(r) }},
		{"float32 key above 32 bits", enc(func(w *codec.Writer) { w.Uint64(1); w.Uint64(1 << 40) }),
			func(r *codec.Reader) { new(CountDistinct[uint32]).Decode(r) }},
		{"timestamp nanos out of range", enc(func(w *codec.Writer) { w.Bool(true); w.Int64(0); w.Int64(1_000_000) }),
			func(r *codec.Reader) { new(MinCompared[types.Timestamp]).Decode(r, new(bool)) }},
		{"bad bool", []byte{2, 0},
			func(r *codec.Reader) { new(Min[int64]).Decode(r, new(bool)) }},
	}
	for _, c := range cases {
		r := codec.NewReader(c.in)
		c.decode(r)
		if err := r.Done(); !errors.Is(err, codec.ErrCorrupt) {
			t.Errorf("%s (%x): %v, want ErrCorrupt", c.name, c.in, err)
		}
	}
}

// fuzzDecode decodes arbitrary bytes as each kind in family: it must not panic, a
// failure wraps ErrCorrupt, and a success is a state whose encoding (canonical: minimal
// varints, sorted map entries) decodes to the same state.
func fuzzDecode(f *testing.F, family string) {
	var ks []kind
	for _, k := range kinds() {
		if len(k.name) >= len(family) && k.name[:len(family)] == family {
			ks = append(ks, k)
		}
	}
	if len(ks) == 0 {
		f.Fatalf("no accumulator in family %s", family)
	}
	for i, k := range ks {
		rng := rand.New(rand.NewPCG(uint64(i), 3))
		s := k.new()
		for range 10 {
			s.step(rng)
		}
		f.Add(uint8(i), encodeBytes(s))
	}
	f.Fuzz(func(t *testing.T, which uint8, in []byte) {
		k := ks[int(which)%len(ks)]
		r := codec.NewReader(in)
		s := k.new().decoded(r)
		if err := r.Done(); err != nil {
			if !errors.Is(err, codec.ErrCorrupt) {
				t.Fatalf("%s: %v does not wrap ErrCorrupt", k.name, err)
			}
			return
		}
		out := encodeBytes(s)
		r = codec.NewReader(out)
		again := s.decoded(r)
		if err := r.Done(); err != nil {
			t.Fatalf("%s: %x decoded, its encoding %x does not: %v", k.name, in, out, err)
		}
		if got := encodeBytes(again); !bytes.Equal(got, out) {
			t.Fatalf("%s: %x re-encodes as %x, then as %x", k.name, in, out, got)
		}
		if got, want := again.result(), s.result(); got != want {
			t.Fatalf("%s: %x: result %s, after re-encoding %s", k.name, in, want, got)
		}
	})
}

func FuzzDecodeCount(f *testing.F)  { fuzzDecode(f, "Count") }
func FuzzDecodeSum(f *testing.F)    { fuzzDecode(f, "Sum") }
func FuzzDecodeAvg(f *testing.F)    { fuzzDecode(f, "Avg") }
func FuzzDecodeMinMax(f *testing.F) { fuzzDecode(f, "M") }
