package types

import "testing"

// Number parsing as generated decoders call it, one field per op.

func BenchmarkParseDigits(b *testing.B) {
	in := []byte("5012309")
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := ParseDigits(in); !ok {
			b.Fatal("not parsed")
		}
	}
}

// BenchmarkParseInt64Signed takes ParseInt64's general path (sign and spaces).
func BenchmarkParseInt64Signed(b *testing.B) {
	in := []byte(" -5012309 ")
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := ParseInt64(in); !ok {
			b.Fatal("not parsed")
		}
	}
}

func BenchmarkParseInt32(b *testing.B) {
	in := []byte("-40240")
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		ParseInt32(in)
	}
}

func BenchmarkParseDecimal18(b *testing.B) {
	in := []byte("123456.789012345678")
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := ParseDecimal(in, 38, 18); !ok {
			b.Fatal("not parsed")
		}
	}
}

func BenchmarkParseTimestamp(b *testing.B) {
	in := []byte("2020-01-31 12:34:56.789")
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := ParseTimestamp(in, 3); !ok {
			b.Fatal("not parsed")
		}
	}
}

// BenchmarkDecimalDivide is the CDN job's download_speed: SUM * 1.0 / SUM in DECIMAL,
// then DOUBLE.
func BenchmarkDecimalDivide(b *testing.B) {
	b.ReportAllocs()
	var f float64
	for b.Loop() {
		dec, _ := IntToDecimal(52_428_800_000, 19, 0)
		prod, _ := MulDecimal(dec, Decimal{Lo: 10}, 0, 1, 1, 21)
		dec2, _ := IntToDecimal(25_000_000, 19, 0)
		quo, _ := DivDecimal(prod, dec2, 1, 0, 18, 38)
		f += DecimalToFloat64(quo, 18)
	}
	_ = f
}

// BenchmarkParseDigits8 is the fast path generated decoders take first: the field is a
// view into a batch, so its capacity reaches past it.
func BenchmarkParseDigits8(b *testing.B) {
	in := []byte("5012309,")[:7]
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := ParseDigits8(in); !ok {
			b.Fatal("not parsed")
		}
	}
}
