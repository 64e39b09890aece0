package nexmark

import (
	"fmt"
	"unsafe"
)

// Constants of the Java generator (GeneratorConfig, PersonGenerator, AuctionGenerator,
// BidGenerator).
const (
	firstAuctionID  = 1000
	firstPersonID   = 1000
	firstCategoryID = 10
	numCategories   = 5
	personIDLead    = 10
	auctionIDLead   = 10
	hotSellerRatio  = 100
	hotAuctionRatio = 100
	hotBidderRatio  = 100
	// Flink's connector builds its GeneratorConfig with firstEventId = 1 and
	// firstEventNumber = 1: event k (0-based) has event number k+1 and id k+2.
	firstEventID     = 1
	firstEventNumber = 1
)

// Generator makes the events of one split: of the stream's events 0, 1, 2, ..., split
// s of n has those numbered s, s+n, s+2n, ... Every split's events therefore cover the
// same span of event time, and the union of the splits is the same stream whatever n
// is. Its position is the number of its events generated so far.
type Generator struct {
	cfg           Config
	split, splits int64
	pos, end      int64
	fields        Fields

	// Derived once: Flink's totalProportion, interEventDelayUs and the number of events
	// in which NumInFlightAuctions auctions are made.
	total, pp, ap        int64
	delayUs              float64
	eventsForAuctions    int64
	personTo, auctionTo  int8 // the last field level to generate per kind; -1: skip the kind
	bidTo                int8
	avgP, avgA, avgB     int32
	hotA, hotB, hotS     int32
	activePeople, flight int64
	tab                  *tables
}

// NewGenerator returns the generator of split `split` of `splits`, positioned at its
// first event, generating the given fields (AllFields for everything).
func NewGenerator(cfg Config, split, splits int, fields Fields) (*Generator, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if splits <= 0 || split < 0 || split >= splits {
		return nil, fmt.Errorf("nexmark: split %d of %d", split, splits)
	}
	g := &Generator{
		cfg: cfg, split: int64(split), splits: int64(splits), fields: fields,
		total: cfg.total(), pp: int64(cfg.PersonProportion), ap: int64(cfg.AuctionProportion),
		delayUs: cfg.delayUs(),
		avgP:    cfg.AvgPersonSize, avgA: cfg.AvgAuctionSize, avgB: cfg.AvgBidSize,
		hotA: cfg.HotAuctionRatio, hotB: cfg.HotBiddersRatio, hotS: cfg.HotSellersRatio,
		activePeople: int64(cfg.NumActivePeople), flight: int64(cfg.NumInFlightAuctions),
		tab: getTables(),
	}
	if g.ap > 0 {
		g.eventsForAuctions = int64(cfg.NumInFlightAuctions) * g.total / g.ap
	}
	g.personTo = level(fields, []Fields{PersonID | PersonDateTime, PersonName, PersonEmailAddress, PersonCreditCard, PersonCity, PersonState, PersonExtra})
	g.auctionTo = level(fields, []Fields{AuctionID | AuctionDateTime, AuctionSeller, AuctionCategory, AuctionInitialBid, AuctionExpires, AuctionItemName, AuctionDescription, AuctionReserve, AuctionExtra})
	g.bidTo = level(fields, []Fields{BidDateTime, BidAuction, BidBidder, BidPrice, BidChannel | BidURL, BidExtra})
	// The k < MaxEvents with k % splits == split.
	maxEvents := cfg.MaxEvents()
	g.end = maxEvents / g.splits
	if g.split < maxEvents%g.splits {
		g.end++
	}
	return g, nil
}

// level returns the index of the last group of fields (in the order the Java generator
// draws them) that holds a wanted field, or -1 when none does.
func level(want Fields, order []Fields) int8 {
	l := int8(-1)
	for i, f := range order {
		if want&f != 0 {
			l = int8(i)
		}
	}
	return l
}

// Config returns the generator's configuration.
func (g *Generator) Config() Config { return g.cfg }

// Pos is the number of the split's events generated so far: where it resumes.
func (g *Generator) Pos() int64 { return g.pos }

// Len is the number of events of the split.
func (g *Generator) Len() int64 { return g.end }

// Done reports whether the split has no more events.
func (g *Generator) Done() bool { return g.pos >= g.end }

// SetPos moves to split position pos (0 <= pos <= Len): the next event generated is the
// split's event pos. Every event depends only on its number, so this is O(1).
func (g *Generator) SetPos(pos int64) {
	g.pos = min(max(pos, 0), g.end)
}

// Fill replaces b's events with the split's next events, at most max of them, and
// returns how many it made (0 when the split is done).
func (g *Generator) Fill(b *Batch, max int) int {
	b.reset()
	b.Split, b.Splits = int(g.split), int(g.splits)
	b.Start = g.pos
	n := int(min(int64(max), g.end-g.pos))
	if n <= 0 {
		b.End = g.pos
		return 0
	}
	b.Kinds = grow(b.Kinds, n)
	b.Times = grow(b.Times, n)
	b.Index = grow(b.Index, n)

	total, pp, ap := g.total, g.pp, g.ap
	k := g.split + g.pos*g.splits // the event's 0-based number in the stream
	id := k + firstEventID + firstEventNumber
	epoch, off := id/total, id%total // Java: eventId / totalProportion, eventId % totalProportion
	stepEpoch, stepOff := g.splits/total, g.splits%total
	for i := 0; i < n; i++ {
		en := k + firstEventNumber
		ts := g.cfg.BaseTime + int64(float64(en)*g.delayUs)/1000
		b.Times[i] = ts
		switch {
		case off < pp:
			b.Kinds[i] = KindPerson
			if g.personTo < 0 {
				b.Index[i] = -1
				break
			}
			b.Index[i] = int32(len(b.Persons))
			b.Persons = append(b.Persons, Person{})
			g.person(b, &b.Persons[len(b.Persons)-1], id, epoch, off, ts)
		case off < pp+ap:
			b.Kinds[i] = KindAuction
			if g.auctionTo < 0 {
				b.Index[i] = -1
				break
			}
			b.Index[i] = int32(len(b.Auctions))
			b.Auctions = append(b.Auctions, Auction{})
			g.auction(b, &b.Auctions[len(b.Auctions)-1], id, en, epoch, off, ts)
		default:
			b.Kinds[i] = KindBid
			if g.bidTo < 0 {
				b.Index[i] = -1
				break
			}
			b.Index[i] = int32(len(b.Bids))
			b.Bids = append(b.Bids, Bid{})
			g.bid(b, &b.Bids[len(b.Bids)-1], id, epoch, off, ts)
		}
		k += g.splits
		id += g.splits
		epoch += stepEpoch
		if off += stepOff; off >= total {
			off -= total
			epoch++
		}
	}
	g.pos += int64(n)
	b.End = g.pos
	return n
}

// grow returns s with length n, reusing its array when it is large enough.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// str returns the bytes b.arena[start:] as a string aliasing the arena. A later append
// that moves the arena leaves earlier strings pointing at the old array, which the GC
// keeps while they live, so they stay intact until the batch is reset.
func (b *Batch) str(start int) string {
	if start == len(b.arena) {
		return ""
	}
	return unsafe.String(&b.arena[start], len(b.arena)-start)
}

// lastPerson is PersonGenerator.lastBase0PersonId: the last person id (base 0) made at
// or before event id epoch*total+off.
func (g *Generator) lastPerson(epoch, off int64) int64 {
	if off >= g.pp {
		off = g.pp - 1
	}
	return epoch*g.pp + off
}

// lastAuction is AuctionGenerator.lastBase0AuctionId.
func (g *Generator) lastAuction(epoch, off int64) int64 {
	switch {
	case off < g.pp:
		epoch--
		off = g.ap - 1
	case off >= g.pp+g.ap:
		off = g.ap - 1
	default:
		off -= g.pp
	}
	return epoch*g.ap + off
}

// nextPerson is PersonGenerator.nextBase0PersonId: one of the last NumActivePeople
// persons, or one of the next few not made yet.
func (g *Generator) nextPerson(r *JavaRandom, epoch, off int64) int64 {
	numPeople := g.lastPerson(epoch, off) + 1
	active := min(numPeople, g.activePeople)
	if active == 1000 { // the steady state with Flink's numActivePeople: a constant bound
		return numPeople - active + int64(r.intn(1000+personIDLead))
	}
	return numPeople - active + r.int64n(active+personIDLead)
}

// nextAuction is AuctionGenerator.nextBase0AuctionId: one of the last
// NumInFlightAuctions auctions, or one of the next few not made yet.
func (g *Generator) nextAuction(r *JavaRandom, epoch, off int64) int64 {
	maxA := g.lastAuction(epoch, off)
	minA := max(maxA-g.flight, 0)
	if maxA-minA == 100 { // the steady state with Flink's numInFlightAuctions: a constant bound
		return minA + int64(r.intn(100+1+auctionIDLead))
	}
	return minA + r.int64n(maxA-minA+1+auctionIDLead)
}

// person is PersonGenerator.nextPerson, seeded as new Random(eventId).
func (g *Generator) person(b *Batch, p *Person, id, epoch, off, ts int64) {
	p.ID = g.lastPerson(epoch, off) + firstPersonID
	p.DateTime = ts
	if g.personTo < 1 {
		return
	}
	r := NewJavaRandom(id)
	fi := r.intn(int32(len(firstNames)))
	p.Name = g.tab.names[int(fi)*len(lastNames)+int(r.intn(int32(len(lastNames))))]
	if g.personTo < 2 {
		return
	}
	s := len(b.arena)
	b.arena = appendString(b.arena, &r, 7, ' ')
	b.arena = append(b.arena, '@')
	b.arena = appendString(b.arena, &r, 5, ' ')
	b.arena = append(b.arena, ".com"...)
	p.EmailAddress = b.str(s)
	if g.personTo < 3 {
		return
	}
	s = len(b.arena)
	b.arena = appendCreditCard(b.arena, &r)
	p.CreditCard = b.str(s)
	if g.personTo < 4 {
		return
	}
	p.City = usCities[r.intn(int32(len(usCities)))]
	if g.personTo < 5 {
		return
	}
	p.State = usStates[r.intn(int32(len(usStates)))]
	if g.personTo < 6 {
		return
	}
	size := 8 + len(p.Name) + len(p.EmailAddress) + len(p.CreditCard) + len(p.City) + len(p.State)
	s = len(b.arena)
	b.arena = appendExactString(b.arena, &r, extraLength(&r, int32(size), g.avgP))
	p.Extra = b.str(s)
}

// auction is AuctionGenerator.nextAuction, seeded as new Random(eventId).
func (g *Generator) auction(b *Batch, a *Auction, id, en, epoch, off, ts int64) {
	a.ID = g.lastAuction(epoch, off) + firstAuctionID
	a.DateTime = ts
	if g.auctionTo < 1 {
		return
	}
	r := NewJavaRandom(id)
	if r.intn(g.hotS) > 0 {
		a.Seller = g.lastPerson(epoch, off) / hotSellerRatio * hotSellerRatio
	} else {
		a.Seller = g.nextPerson(&r, epoch, off)
	}
	a.Seller += firstPersonID
	if g.auctionTo < 2 {
		return
	}
	a.Category = firstCategoryID + int64(r.intn(numCategories))
	if g.auctionTo < 3 {
		return
	}
	a.InitialBid = nextPrice(&r)
	if g.auctionTo < 4 {
		return
	}
	// nextAuctionLengthMs: an average of twice the time until NumInFlightAuctions more
	// auctions are made.
	future := g.cfg.BaseTime + int64(float64(en+g.eventsForAuctions)*g.delayUs)/1000
	a.Expires = ts + 1 + r.int64n(max((future-ts)*2, 1))
	if g.auctionTo < 5 {
		return
	}
	s := len(b.arena)
	b.arena = appendString(b.arena, &r, 20, ' ')
	a.ItemName = b.str(s)
	if g.auctionTo < 6 {
		return
	}
	s = len(b.arena)
	b.arena = appendString(b.arena, &r, 100, ' ')
	a.Description = b.str(s)
	if g.auctionTo < 7 {
		return
	}
	a.Reserve = a.InitialBid + nextPrice(&r)
	if g.auctionTo < 8 {
		return
	}
	size := 8 + len(a.ItemName) + len(a.Description) + 8 + 8 + 8 + 8 + 8
	s = len(b.arena)
	b.arena = appendExactString(b.arena, &r, extraLength(&r, int32(size), g.avgA))
	a.Extra = b.str(s)
}

// bid is BidGenerator.nextBid, seeded as new Random(eventId).
func (g *Generator) bid(b *Batch, d *Bid, id, epoch, off, ts int64) {
	d.DateTime = ts
	if g.bidTo < 1 {
		return
	}
	r := NewJavaRandom(id)
	if r.intn(g.hotA) > 0 {
		d.Auction = g.lastAuction(epoch, off) / hotAuctionRatio * hotAuctionRatio
	} else {
		d.Auction = g.nextAuction(&r, epoch, off)
	}
	d.Auction += firstAuctionID
	if g.bidTo < 2 {
		return
	}
	if r.intn(g.hotB) > 0 {
		d.Bidder = g.lastPerson(epoch, off)/hotBidderRatio*hotBidderRatio + 1
	} else {
		d.Bidder = g.nextPerson(&r, epoch, off)
	}
	// Flink's BidGenerator adds FIRST_PERSON_ID twice (once here, once after the
	// channel); so do we, so that bidders match Flink's.
	d.Bidder += 2 * firstPersonID
	if g.bidTo < 3 {
		return
	}
	d.Price = nextPrice(&r)
	if g.bidTo < 4 {
		return
	}
	if r.intn(hotChannelsRatio) > 0 {
		i := r.intn(int32(len(hotChannels)))
		d.Channel, d.URL = hotChannels[i], g.tab.hotURLs[i]
	} else {
		n := r.intn(channelsNumber)
		d.Channel, d.URL = g.tab.channelNames[n], g.tab.channelURLs[n]
	}
	if g.bidTo < 5 {
		return
	}
	s := len(b.arena)
	b.arena = appendExactString(b.arena, &r, extraLength(&r, 8+8+8+8, g.avgB))
	d.Extra = b.str(s)
}
