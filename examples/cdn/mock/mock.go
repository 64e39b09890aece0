// Package mock generates CDN access-log records for the seed scenario: uuid,
// client_ip, request_time, response_size[, uri] as CSV lines. The same seed always gives
// the same records. Client addresses come from the bundled IP table of package udf, so
// every province appears; about one address in fifty falls outside it ("Unknown").
// A chosen fraction of lines is malformed in one of three ways (a non-numeric
// request_time, a missing response_size, a non-numeric response_size), to exercise
// 'csv.ignore-parse-errors'.
package mock

import (
	"math/rand/v2"
	"strconv"

	"github.com/sqlc-stream/sqlc-stream/examples/cdn/udf"
)

// Generator makes records; it is deterministic for a seed.
type Generator struct {
	rnd       *rand.Rand
	provinces int
	malformed float64
	withURI   bool
}

// New returns a generator for the given seed.
func New(seed uint64, malformed float64, withURI bool) *Generator {
	return &Generator{
		rnd:       rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		provinces: len(udf.Provinces()),
		malformed: malformed,
		withURI:   withURI,
	}
}

var uris = []string{"/index.html", "/video/intro.mp4", "/img/logo.png", "/js/app.js", "/download/sdk.zip"}

// Append appends one record, without the newline, to dst.
func (g *Generator) Append(dst []byte) []byte {
	r := g.rnd
	dst = appendUUID(dst, r)
	dst = append(dst, ',')
	if r.IntN(50) == 0 {
		dst = append(dst, "203.0.113."...) // outside the table: Unknown
		dst = strconv.AppendInt(dst, int64(r.IntN(256)), 10)
	} else {
		dst = append(dst, udf.AddressIn(r.IntN(g.provinces), r.Uint32())...)
	}
	requestTime := 1 + r.Int64N(5000)          // milliseconds
	responseSize := r.Int64N(10 * 1024 * 1024) // bytes
	broken := g.malformed > 0 && r.Float64() < g.malformed
	kind := 0
	if broken {
		kind = 1 + r.IntN(3)
	}
	dst = append(dst, ',')
	if kind == 1 {
		dst = append(dst, "slow"...)
	} else {
		dst = strconv.AppendInt(dst, requestTime, 10)
	}
	if kind == 2 {
		return dst // missing response_size
	}
	dst = append(dst, ',')
	if kind == 3 {
		dst = append(dst, "12k"...)
	} else {
		dst = strconv.AppendInt(dst, responseSize, 10)
	}
	if g.withURI {
		dst = append(dst, ',')
		dst = append(dst, uris[r.IntN(len(uris))]...)
	}
	return dst
}

const hexDigits = "0123456789abcdef"

func appendUUID(dst []byte, r *rand.Rand) []byte {
	a, b := r.Uint64(), r.Uint64()
	for i := 0; i < 32; i++ {
		if i == 8 || i == 12 || i == 16 || i == 20 {
			dst = append(dst, '-')
		}
		v := a
		if i >= 16 {
			v = b
		}
		dst = append(dst, hexDigits[v>>(60-4*(i%16))&15])
	}
	return dst
}
