package nexmark

import (
	"fmt"
	"math"
	"math/bits"
	"strings"
)

// refGen is a line-by-line port of the Java generator (NexmarkGenerator.nextEvent,
// GeneratorConfig, PersonGenerator, AuctionGenerator, BidGenerator, StringsGenerator,
// PriceGenerator, LongGenerator) written the way the Java is: every event a new object,
// strings built with a builder, ids from divisions, Random seeded per event. It shares
// only JavaRandom with the generator. It is the oracle the fast generator must equal
// field for field, and the baseline of the benchmarks.
type refGen struct {
	cfg                              Config
	personProp, auctionProp, bidProp int64
	totalProp                        int64
	interEventDelayUs                float64
	hotURLs                          []string
	channelURLs                      map[int32]string
}

type refEvent struct {
	kind    Kind
	time    int64
	person  *Person
	auction *Auction
	bid     *Bid
}

func newRefGen(cfg Config) *refGen {
	g := &refGen{
		cfg:               cfg,
		personProp:        int64(cfg.PersonProportion),
		auctionProp:       int64(cfg.AuctionProportion),
		bidProp:           int64(cfg.BidProportion),
		interEventDelayUs: 1000000.0 / float64(cfg.FirstEventRate) * 1,
		channelURLs:       map[int32]string{},
	}
	g.totalProp = g.personProp + g.auctionProp + g.bidProp
	for i := 0; i < 4; i++ {
		r := NewJavaRandom(int64(-1 - i))
		g.hotURLs = append(g.hotURLs, refBaseURL(&r))
	}
	return g
}

// timestampForEvent is GeneratorConfig.timestampForEvent.
func (g *refGen) timestampForEvent(eventNumber int64) int64 {
	return g.cfg.BaseTime + int64(float64(eventNumber)*g.interEventDelayUs)/1000
}

// event returns the stream's event k (0-based): Flink's connector has firstEventId 1
// and firstEventNumber 1, and the generator uses eventNumber = firstEventNumber + count,
// eventId = firstEventId + eventNumber.
func (g *refGen) event(k int64) refEvent {
	eventNumber := 1 + k
	eventID := 1 + eventNumber
	ts := g.timestampForEvent(eventNumber)
	random := NewJavaRandom(eventID)
	rem := eventID % g.totalProp
	switch {
	case rem < g.personProp:
		return refEvent{kind: KindPerson, time: ts, person: g.nextPerson(eventID, &random, ts)}
	case rem < g.personProp+g.auctionProp:
		return refEvent{kind: KindAuction, time: ts, auction: g.nextAuction(eventNumber, eventID, &random, ts)}
	default:
		return refEvent{kind: KindBid, time: ts, bid: g.nextBid(eventID, &random, ts)}
	}
}

func (g *refGen) lastBase0PersonID(eventID int64) int64 {
	epoch := eventID / g.totalProp
	offset := eventID % g.totalProp
	if offset >= g.personProp {
		offset = g.personProp - 1
	}
	return epoch*g.personProp + offset
}

func (g *refGen) lastBase0AuctionID(eventID int64) int64 {
	epoch := eventID / g.totalProp
	offset := eventID % g.totalProp
	if offset < g.personProp {
		epoch--
		offset = g.auctionProp - 1
	} else if offset >= g.personProp+g.auctionProp {
		offset = g.auctionProp - 1
	} else {
		offset -= g.personProp
	}
	return epoch*g.auctionProp + offset
}

func refNextLong(random *JavaRandom, n int64) int64 {
	if n < math.MaxInt32 {
		return int64(random.Intn(int32(n)))
	}
	v := random.Int64() % n
	if v < 0 {
		return -v
	}
	return v
}

func (g *refGen) nextBase0PersonID(eventID int64, random *JavaRandom) int64 {
	numPeople := g.lastBase0PersonID(eventID) + 1
	activePeople := int64(math.Min(float64(numPeople), float64(g.cfg.NumActivePeople)))
	n := refNextLong(random, activePeople+10)
	return numPeople - activePeople + n
}

func (g *refGen) nextBase0AuctionID(eventID int64, random *JavaRandom) int64 {
	minAuction := int64(math.Max(float64(g.lastBase0AuctionID(eventID)-int64(g.cfg.NumInFlightAuctions)), 0))
	maxAuction := g.lastBase0AuctionID(eventID)
	return minAuction + refNextLong(random, maxAuction-minAuction+1+10)
}

func refNextString(random *JavaRandom, maxLength int32, special rune) string {
	n := 3 + random.Intn(maxLength-3)
	var sb strings.Builder
	for ; n > 0; n-- {
		if random.Intn(13) == 0 {
			sb.WriteRune(special)
		} else {
			sb.WriteRune(rune('a' + random.Intn(26)))
		}
	}
	return strings.TrimFunc(sb.String(), func(r rune) bool { return r <= ' ' }) // String.trim
}

func refNextExactString(random *JavaRandom, length int32) string {
	var sb strings.Builder
	var rnd, n int32
	for ; length > 0; length-- {
		if n == 0 {
			rnd = random.Int()
			n = 6
		}
		sb.WriteByte(byte('a' + rnd%26))
		rnd /= 26
		n--
	}
	return sb.String()
}

func refNextExtra(random *JavaRandom, currentSize, desiredAverageSize int32) string {
	if currentSize > desiredAverageSize {
		return ""
	}
	desiredAverageSize -= currentSize
	delta := int32(math.Floor(float64(desiredAverageSize)*0.2 + 0.5)) // Math.round
	minSize := desiredAverageSize - delta
	desiredSize := minSize
	if delta != 0 {
		desiredSize += random.Intn(2 * delta)
	}
	return refNextExactString(random, desiredSize)
}

func refNextPrice(random *JavaRandom) int64 {
	return int64(math.Floor(math.Pow(10.0, random.Float64()*6.0)*100.0 + 0.5))
}

func (g *refGen) nextPerson(eventID int64, random *JavaRandom, ts int64) *Person {
	id := g.lastBase0PersonID(eventID) + 1000
	name := firstNamesRef[random.Intn(11)] + " " + lastNamesRef[random.Intn(9)]
	email := refNextString(random, 7, ' ') + "@" + refNextString(random, 5, ' ') + ".com"
	var cc strings.Builder
	for i := 0; i < 4; i++ {
		if i > 0 {
			cc.WriteByte(' ')
		}
		fmt.Fprintf(&cc, "%04d", random.Intn(10000))
	}
	city := citiesRef[random.Intn(10)]
	state := statesRef[random.Intn(6)]
	currentSize := 8 + len(name) + len(email) + cc.Len() + len(city) + len(state)
	extra := refNextExtra(random, int32(currentSize), g.cfg.AvgPersonSize)
	return &Person{ID: id, Name: name, EmailAddress: email, CreditCard: cc.String(), City: city, State: state, DateTime: ts, Extra: extra}
}

func (g *refGen) nextAuction(eventNumber, eventID int64, random *JavaRandom, ts int64) *Auction {
	id := g.lastBase0AuctionID(eventID) + 1000
	var seller int64
	if random.Intn(g.cfg.HotSellersRatio) > 0 {
		seller = (g.lastBase0PersonID(eventID) / 100) * 100
	} else {
		seller = g.nextBase0PersonID(eventID, random)
	}
	seller += 1000
	category := 10 + int64(random.Intn(5))
	initialBid := refNextPrice(random)
	// nextAuctionLengthMs
	numEventsForAuctions := int64(g.cfg.NumInFlightAuctions) * g.totalProp / g.auctionProp
	futureAuction := g.timestampForEvent(eventNumber + numEventsForAuctions)
	horizonMs := futureAuction - ts
	expires := ts + 1 + refNextLong(random, int64(math.Max(float64(horizonMs*2), 1)))
	name := refNextString(random, 20, ' ')
	desc := refNextString(random, 100, ' ')
	reserve := initialBid + refNextPrice(random)
	currentSize := 8 + len(name) + len(desc) + 8 + 8 + 8 + 8 + 8
	extra := refNextExtra(random, int32(currentSize), g.cfg.AvgAuctionSize)
	return &Auction{ID: id, ItemName: name, Description: desc, InitialBid: initialBid, Reserve: reserve,
		DateTime: ts, Expires: expires, Seller: seller, Category: category, Extra: extra}
}

func refBaseURL(random *JavaRandom) string {
	return "https://www.nexmark.com/" + refNextString(random, 5, '_') + "/" + refNextString(random, 5, '_') + "/" +
		refNextString(random, 5, '_') + "/" + "item.htm?query=1"
}

func (g *refGen) channelURL(n int32) string {
	if u, ok := g.channelURLs[n]; ok {
		return u
	}
	random := NewJavaRandom(int64(n))
	url := refBaseURL(&random)
	if random.Intn(10) > 0 {
		rev := int32(bits.Reverse32(uint32(n)))
		abs := rev
		if rev < 0 {
			abs = -rev // Math.abs: -MIN_VALUE overflows back to MIN_VALUE
		}
		url = url + "&channel_id=" + fmt.Sprint(abs)
	}
	g.channelURLs[n] = url
	return url
}

func (g *refGen) nextBid(eventID int64, random *JavaRandom, ts int64) *Bid {
	var auction int64
	if random.Intn(g.cfg.HotAuctionRatio) > 0 {
		auction = (g.lastBase0AuctionID(eventID) / 100) * 100
	} else {
		auction = g.nextBase0AuctionID(eventID, random)
	}
	auction += 1000
	var bidder int64
	if random.Intn(g.cfg.HotBiddersRatio) > 0 {
		bidder = (g.lastBase0PersonID(eventID)/100)*100 + 1
	} else {
		bidder = g.nextBase0PersonID(eventID, random)
	}
	bidder += 1000
	price := refNextPrice(random)
	var channel, url string
	if random.Intn(2) > 0 {
		i := random.Intn(4)
		channel, url = hotChannelsRef[i], g.hotURLs[i]
	} else {
		n := random.Intn(10000)
		channel, url = fmt.Sprintf("channel-%d", n), g.channelURL(n)
	}
	bidder += 1000
	extra := refNextExtra(random, 8+8+8+8, g.cfg.AvgBidSize)
	return &Bid{Auction: auction, Bidder: bidder, Price: price, Channel: channel, URL: url, DateTime: ts, Extra: extra}
}

var (
	firstNamesRef  = strings.Split("Peter,Paul,Luke,John,Saul,Vicky,Kate,Julie,Sarah,Deiter,Walter", ",")
	lastNamesRef   = strings.Split("Shultz,Abrams,Spencer,White,Bartels,Walton,Smith,Jones,Noris", ",")
	citiesRef      = strings.Split("Phoenix,Los Angeles,San Francisco,Boise,Portland,Bend,Redmond,Seattle,Kent,Cheyenne", ",")
	statesRef      = strings.Split("AZ,CA,ID,OR,WA,WY", ",")
	hotChannelsRef = []string{"Google", "Facebook", "Baidu", "Apple"}
)
