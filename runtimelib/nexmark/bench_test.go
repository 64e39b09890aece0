package nexmark

import (
	"syscall"
	"testing"
	"time"
)

// The benchmarks generate events on one core and read the fields a query would: one
// iteration is one event. Besides ns/op (wall time) they report events per second of
// the process's CPU time (events/cpu-s), which a machine shared with other work
// disturbs less. The Reference benchmarks make the same events with the line-by-line
// port of the Java generator (an object and strings per event, ids from divisions) as
// the baseline.
//
//	go test -run '^$' -bench . -count 5 ./runtimelib/nexmark

var sink int64

// bid4Fields are a bid's numbers and time; q0 reads them and bid.extra.
const (
	bid4Fields = BidAuction | BidBidder | BidPrice | BidDateTime
	q0Fields   = bid4Fields | BidExtra
)

// cpuTime is the CPU time the process used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU adds events/cpu-s: b.N events over the CPU time since start.
func reportCPU(b *testing.B, start time.Duration) {
	if d := cpuTime() - start; d > 0 {
		b.ReportMetric(float64(b.N)/d.Seconds(), "events/cpu-s")
	}
}

func benchGenerate(b *testing.B, f Fields, read func(*Batch) int64) {
	g := mustGen(b, testConfig(), 0, 1, f)
	var batch Batch
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	var s int64
	for done := 0; done < b.N; {
		n := g.Fill(&batch, min(1024, b.N-done))
		if n == 0 {
			b.Fatal("generator ended")
		}
		s += read(&batch)
		done += n
	}
	sink = s
	reportCPU(b, start)
}

// readBid4 reads bid4Fields of every bid.
func readBid4(b *Batch) int64 {
	var s int64
	for i := range b.Bids {
		d := &b.Bids[i]
		s += d.Auction ^ d.Bidder ^ d.Price ^ d.DateTime
	}
	return s
}

// readQ0 reads q0's fields of every bid.
func readQ0(b *Batch) int64 {
	var s int64
	for i := range b.Bids {
		d := &b.Bids[i]
		s += d.Auction ^ d.Bidder ^ d.Price ^ d.DateTime + int64(len(d.Extra))
	}
	return s
}

// readAll reads every field of every event.
func readAll(b *Batch) int64 {
	var s int64
	for i := range b.Persons {
		p := &b.Persons[i]
		s += p.ID + p.DateTime + int64(len(p.Name)+len(p.EmailAddress)+len(p.CreditCard)+len(p.City)+len(p.State)+len(p.Extra))
	}
	for i := range b.Auctions {
		a := &b.Auctions[i]
		s += a.ID + a.InitialBid + a.Reserve + a.DateTime + a.Expires + a.Seller + a.Category +
			int64(len(a.ItemName)+len(a.Description)+len(a.Extra))
	}
	for i := range b.Bids {
		d := &b.Bids[i]
		s += d.Auction ^ d.Bidder ^ d.Price ^ d.DateTime + int64(len(d.Channel)+len(d.URL)+len(d.Extra))
	}
	return s
}

func BenchmarkGenerate(b *testing.B) {
	b.Run("bid-4-fields", func(b *testing.B) { benchGenerate(b, bid4Fields, readBid4) })
	b.Run("q0-fields", func(b *testing.B) { benchGenerate(b, q0Fields, readQ0) })
	b.Run("bid-fields", func(b *testing.B) { benchGenerate(b, BidFields, readAll) })
	b.Run("all-fields", func(b *testing.B) { benchGenerate(b, AllFields, readAll) })
}

func benchReference(b *testing.B, read func(refEvent) int64) {
	g := newRefGen(testConfig())
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	var s int64
	for k := 0; k < b.N; k++ {
		s += read(g.event(int64(k)))
	}
	sink = s
	reportCPU(b, start)
}

func BenchmarkReference(b *testing.B) {
	b.Run("q0-fields", func(b *testing.B) {
		benchReference(b, func(e refEvent) int64 {
			if d := e.bid; d != nil {
				return d.Auction ^ d.Bidder ^ d.Price ^ d.DateTime + int64(len(d.Extra))
			}
			return 0
		})
	})
	b.Run("all-fields", func(b *testing.B) {
		benchReference(b, func(e refEvent) int64 {
			switch {
			case e.person != nil:
				p := e.person
				return p.ID + p.DateTime + int64(len(p.Name)+len(p.EmailAddress)+len(p.CreditCard)+len(p.City)+len(p.State)+len(p.Extra))
			case e.auction != nil:
				a := e.auction
				return a.ID + a.InitialBid + a.Reserve + a.DateTime + a.Expires + a.Seller + a.Category +
					int64(len(a.ItemName)+len(a.Description)+len(a.Extra))
			}
			d := e.bid
			return d.Auction ^ d.Bidder ^ d.Price ^ d.DateTime + int64(len(d.Channel)+len(d.URL)+len(d.Extra))
		})
	})
}
