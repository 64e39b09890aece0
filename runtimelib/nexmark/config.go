package nexmark

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
)

// Config is what the generator makes: the options of Flink's nexmark connector
// (NexmarkSourceOptions) with Flink's defaults, plus the constants of Flink's
// NexmarkConfiguration that the connector does not expose.
type Config struct {
	// FirstEventRate (first-event.rate) is the events per second of the whole stream:
	// event n (counting from 1) has time BaseTime + floor(n * 1e6/rate µs) / 1000 ms.
	FirstEventRate int32
	// NextEventRate (next-event.rate), RateShape (rate.shape), RatePeriod (rate.period)
	// and RateLimited (rate.limited) are accepted and, as in Flink's generator, unused:
	// Flink's GeneratorConfig times events with first-event.rate only.
	NextEventRate int32
	RateShape     string
	RatePeriod    time.Duration
	RateLimited   bool
	// Events (events.num) is the number of events; 0 is unbounded (Flink's cap,
	// MaxInt64 / (total proportion * largest average size), far beyond any run).
	Events int64
	// Proportions of persons, auctions and bids (person.proportion, ...): of every
	// Person+Auction+Bid consecutive event ids, the first Person are persons, the next
	// Auction auctions, the rest bids.
	PersonProportion, AuctionProportion, BidProportion int32
	// Hot ratios (bid.hot-ratio.auctions, bid.hot-ratio.bidders,
	// auction.hot-ratio.sellers): a bid is for a hot auction with probability 1 - 1/ratio,
	// and so on.
	HotAuctionRatio, HotBiddersRatio, HotSellersRatio int32
	// Average event sizes in bytes (person.avg-size, auction.avg-size, bid.avg-size):
	// the extra field pads events to them.
	AvgPersonSize, AvgAuctionSize, AvgBidSize int32
	// BaseTime (events.base-time) is the time of event number 0 in epoch ms; Flink takes
	// the wall clock when the job starts.
	BaseTime int64

	// NumActivePeople and NumInFlightAuctions are NexmarkConfiguration's numActivePeople
	// (1000) and numInFlightAuctions (100), which the connector does not expose.
	NumActivePeople     int32
	NumInFlightAuctions int32
}

// DefaultConfig is Flink's defaults, with BaseTime 0 (1970-01-01).
func DefaultConfig() Config {
	return Config{
		FirstEventRate: 10000, NextEventRate: 10000,
		RateShape: "SQUARE", RatePeriod: 600 * time.Second,
		PersonProportion: 1, AuctionProportion: 3, BidProportion: 46,
		HotAuctionRatio: 2, HotBiddersRatio: 4, HotSellersRatio: 4,
		AvgPersonSize: 200, AvgAuctionSize: 500, AvgBidSize: 100,
		NumActivePeople: 1000, NumInFlightAuctions: 100,
	}
}

// ConfigFrom reads a nexmark table's resolved options (options.Resolve checked their
// syntax and ranges). now is the base time when events.base-time is not set.
func ConfigFrom(r *options.Resolved, now time.Time) (Config, error) {
	c := DefaultConfig()
	var err error
	geti := func(key string, dst *int32) {
		if err == nil {
			var v int64
			v, err = strconv.ParseInt(strings.TrimSpace(r.String(key)), 10, 32)
			if err != nil {
				err = fmt.Errorf("option '%s': expected an integer, not '%s'", key, r.String(key))
			}
			*dst = int32(v)
		}
	}
	getSize := func(key string, dst *int32) {
		if err == nil {
			var v int64
			v, err = options.ParseMemorySize(r.String(key))
			if err != nil || v > math.MaxInt32 {
				err = fmt.Errorf("option '%s': expected a size such as '100b' or '1kb' below 2gb, not '%s'", key, r.String(key))
			}
			*dst = int32(v)
		}
	}
	geti("first-event.rate", &c.FirstEventRate)
	geti("next-event.rate", &c.NextEventRate)
	geti("person.proportion", &c.PersonProportion)
	geti("auction.proportion", &c.AuctionProportion)
	geti("bid.proportion", &c.BidProportion)
	geti("bid.hot-ratio.auctions", &c.HotAuctionRatio)
	geti("bid.hot-ratio.bidders", &c.HotBiddersRatio)
	geti("auction.hot-ratio.sellers", &c.HotSellersRatio)
	getSize("person.avg-size", &c.AvgPersonSize)
	getSize("auction.avg-size", &c.AvgAuctionSize)
	getSize("bid.avg-size", &c.AvgBidSize)
	if err != nil {
		return c, err
	}
	c.RateShape = r.String("rate.shape")
	c.RatePeriod = r.Duration("rate.period")
	c.RateLimited = r.Bool("rate.limited")
	c.Events = r.Int("events.num")
	c.BaseTime = now.UnixMilli()
	if r.Has("events.base-time") {
		c.BaseTime = r.Int("events.base-time")
	}
	return c, c.Validate()
}

// Validate reports a configuration the generator cannot run (Flink's would fail or
// divide by zero).
func (c Config) Validate() error {
	switch {
	case c.FirstEventRate <= 0:
		return fmt.Errorf("first-event.rate must be positive, not %d", c.FirstEventRate)
	case c.PersonProportion < 0 || c.AuctionProportion < 0 || c.BidProportion < 0:
		return fmt.Errorf("the proportions must not be negative (person %d, auction %d, bid %d)", c.PersonProportion, c.AuctionProportion, c.BidProportion)
	case int64(c.PersonProportion)+int64(c.AuctionProportion)+int64(c.BidProportion) <= 0 ||
		int64(c.PersonProportion)+int64(c.AuctionProportion)+int64(c.BidProportion) > math.MaxInt32:
		return fmt.Errorf("the proportions must add up to a positive int (person %d, auction %d, bid %d)", c.PersonProportion, c.AuctionProportion, c.BidProportion)
	case c.HotAuctionRatio <= 0 || c.HotBiddersRatio <= 0 || c.HotSellersRatio <= 0:
		return fmt.Errorf("the hot ratios must be positive (auctions %d, bidders %d, sellers %d)", c.HotAuctionRatio, c.HotBiddersRatio, c.HotSellersRatio)
	case c.AvgPersonSize < 0 || c.AvgAuctionSize < 0 || c.AvgBidSize < 0:
		return fmt.Errorf("the average sizes must not be negative")
	case c.Events < 0:
		return fmt.Errorf("events.num must not be negative, not %d", c.Events)
	case c.NumActivePeople <= 0 || c.NumInFlightAuctions < 0:
		return fmt.Errorf("NumActivePeople must be positive and NumInFlightAuctions not negative")
	}
	return nil
}

// total is the sum of the proportions: one "epoch" of event ids.
func (c *Config) total() int64 {
	return int64(c.PersonProportion) + int64(c.AuctionProportion) + int64(c.BidProportion)
}

// MaxEvents is the number of events of the whole stream: Events, or for an unbounded
// stream Flink's cap, MaxInt64 / (total proportion * the largest average size).
func (c *Config) MaxEvents() int64 {
	if c.Events > 0 {
		return c.Events
	}
	// Java: Long.MAX_VALUE / (totalProportion * Math.max(...)), an int product.
	d := int32(c.total()) * max(c.AvgPersonSize, c.AvgAuctionSize, c.AvgBidSize)
	if d <= 0 {
		d = 1
	}
	return math.MaxInt64 / int64(d)
}

// delayUs is Flink's interEventDelayUs with one generator: 1e6 / first-event.rate.
func (c *Config) delayUs() float64 { return 1000000.0 / float64(c.FirstEventRate) }

// TimeOf returns the event time of the event with 0-based stream number k: Flink's
// timestampForEvent(k + 1), since Flink's connector numbers events from 1.
func (c *Config) TimeOf(k int64) int64 {
	return c.BaseTime + int64(float64(k+1)*c.delayUs())/1000
}
