package nexmark

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// testBase is 2024-01-01 00:00:00 UTC.
const testBase = 1704067200000

func testConfig() Config {
	c := DefaultConfig()
	c.BaseTime = testBase
	return c
}

func mustGen(t testing.TB, c Config, split, splits int, f Fields) *Generator {
	t.Helper()
	g, err := NewGenerator(c, split, splits, f)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// each runs the generator to its end (or n events), calling f for every event with the
// batch and the event's index in it.
func each(g *Generator, batch, n int, f func(b *Batch, i int)) {
	var b Batch
	done := 0
	for done < n && g.Fill(&b, min(batch, n-done)) > 0 {
		for i := 0; i < b.Len(); i++ {
			f(&b, i)
		}
		done += b.Len()
	}
}

// diff compares event i of b with the reference event, for the fields in want.
func diff(b *Batch, i int, ref refEvent, want Fields) string {
	if b.Kinds[i] != ref.kind || b.Times[i] != ref.time {
		return fmt.Sprintf("kind/time %v %d, want %v %d", b.Kinds[i], b.Times[i], ref.kind, ref.time)
	}
	x := b.Index[i]
	var got, exp []any
	var fs []Fields
	switch ref.kind {
	case KindPerson:
		if want&PersonFields == 0 {
			if x != -1 {
				return fmt.Sprintf("index %d for a kind not generated", x)
			}
			return ""
		}
		p, r := b.Persons[x], ref.person
		got = []any{p.ID, p.Name, p.EmailAddress, p.CreditCard, p.City, p.State, p.DateTime, p.Extra}
		exp = []any{r.ID, r.Name, r.EmailAddress, r.CreditCard, r.City, r.State, r.DateTime, r.Extra}
		fs = []Fields{PersonID, PersonName, PersonEmailAddress, PersonCreditCard, PersonCity, PersonState, PersonDateTime, PersonExtra}
	case KindAuction:
		if want&AuctionFields == 0 {
			if x != -1 {
				return fmt.Sprintf("index %d for a kind not generated", x)
			}
			return ""
		}
		a, r := b.Auctions[x], ref.auction
		got = []any{a.ID, a.ItemName, a.Description, a.InitialBid, a.Reserve, a.DateTime, a.Expires, a.Seller, a.Category, a.Extra}
		exp = []any{r.ID, r.ItemName, r.Description, r.InitialBid, r.Reserve, r.DateTime, r.Expires, r.Seller, r.Category, r.Extra}
		fs = []Fields{AuctionID, AuctionItemName, AuctionDescription, AuctionInitialBid, AuctionReserve, AuctionDateTime, AuctionExpires, AuctionSeller, AuctionCategory, AuctionExtra}
	default:
		if want&BidFields == 0 {
			if x != -1 {
				return fmt.Sprintf("index %d for a kind not generated", x)
			}
			return ""
		}
		d, r := b.Bids[x], ref.bid
		got = []any{d.Auction, d.Bidder, d.Price, d.Channel, d.URL, d.DateTime, d.Extra}
		exp = []any{r.Auction, r.Bidder, r.Price, r.Channel, r.URL, r.DateTime, r.Extra}
		fs = []Fields{BidAuction, BidBidder, BidPrice, BidChannel, BidURL, BidDateTime, BidExtra}
	}
	for j := range got {
		if want&fs[j] != 0 && got[j] != exp[j] {
			return fmt.Sprintf("%s = %v, want %v", fs[j], got[j], exp[j])
		}
	}
	return ""
}

// The generator equals the line-by-line port of the Java generator, event for event
// and field for field, for several configurations, splits and batch sizes.
func TestMatchesReference(t *testing.T) {
	custom := testConfig()
	custom.PersonProportion, custom.AuctionProportion, custom.BidProportion = 3, 5, 20
	custom.HotAuctionRatio, custom.HotBiddersRatio, custom.HotSellersRatio = 1, 3, 7
	custom.AvgPersonSize, custom.AvgAuctionSize, custom.AvgBidSize = 50, 1000, 0
	custom.FirstEventRate = 7
	fast := testConfig()
	fast.FirstEventRate = 10_000_000
	big := testConfig()
	big.BidProportion = 1 << 20 // epochs longer than a batch; person ids stay small
	for _, c := range []struct {
		name          string
		cfg           Config
		splits, batch int
		n             int
	}{
		{"default", testConfig(), 1, 1000, 200_000},
		{"default 3 splits", testConfig(), 3, 777, 60_000},
		{"custom", custom, 1, 64, 100_000},
		{"custom 7 splits", custom, 7, 100, 20_000},
		{"10M per second", fast, 2, 4096, 50_000},
		{"long epochs", big, 5, 1000, 20_000},
	} {
		t.Run(c.name, func(t *testing.T) {
			ref := newRefGen(c.cfg)
			for s := 0; s < c.splits; s++ {
				bad := 0
				each(mustGen(t, c.cfg, s, c.splits, AllFields), c.batch, c.n, func(b *Batch, i int) {
					k := b.Event(i)
					if k%int64(c.splits) != int64(s) {
						t.Fatalf("split %d made event %d", s, k)
					}
					if d := diff(b, i, ref.event(k), AllFields); d != "" && bad < 5 {
						bad++
						t.Errorf("split %d event %d: %s", s, k, d)
					}
				})
			}
		})
	}
}

// A subset of the fields gives the same values for those fields as all fields do, and
// kinds with no wanted field are not generated.
func TestFieldSubsets(t *testing.T) {
	ref := newRefGen(testConfig())
	for _, f := range []Fields{
		BidAuction | BidBidder | BidPrice | BidDateTime,
		BidAuction | BidBidder | BidPrice | BidDateTime | BidExtra, // q0
		BidDateTime,
		BidExtra,
		BidChannel,
		PersonState,
		PersonID | AuctionSeller,
		AuctionCategory | AuctionExpires,
		AuctionItemName | PersonName | BidURL,
		0,
	} {
		t.Run(f.String(), func(t *testing.T) {
			bad := 0
			n := 0
			each(mustGen(t, testConfig(), 0, 1, f), 500, 30_000, func(b *Batch, i int) {
				n++
				if d := diff(b, i, ref.event(b.Event(i)), f); d != "" && bad < 5 {
					bad++
					t.Errorf("event %d: %s", b.Event(i), d)
				}
			})
			if n != 30_000 {
				t.Errorf("%d events, want 30000", n)
			}
		})
	}
	// A bid's fields after the last one wanted are left empty: nothing was drawn.
	var b Batch
	mustGen(t, testConfig(), 0, 1, BidAuction|BidBidder|BidPrice|BidDateTime).Fill(&b, 1000)
	if len(b.Persons) != 0 || len(b.Auctions) != 0 || len(b.Bids) == 0 {
		t.Fatalf("persons %d auctions %d bids %d", len(b.Persons), len(b.Auctions), len(b.Bids))
	}
	for _, d := range b.Bids {
		if d.Channel != "" || d.URL != "" || d.Extra != "" {
			t.Fatalf("bid %+v has fields nobody asked for", d)
		}
	}
}

// countOffsets counts the ids in [lo, hi) whose remainder modulo total lies in
// [from, to), by arithmetic.
func countOffsets(lo, hi, total, from, to int64) int64 {
	below := func(x int64) int64 { // ids in [0, x) with remainder in [from, to)
		return x/total*(to-from) + min(max(x%total-from, 0), to-from)
	}
	return below(hi) - below(lo)
}

// Over a million events the kinds come in exactly the proportions the generator's
// modular arithmetic gives: event k has id k+2, and an id's remainder modulo the total
// proportion decides its kind.
func TestProportions(t *testing.T) {
	for _, c := range []struct{ p, a, b int32 }{{1, 3, 46}, {1, 1, 1}, {0, 1, 9}, {5, 0, 3}, {2, 7, 0}} {
		cfg := testConfig()
		cfg.PersonProportion, cfg.AuctionProportion, cfg.BidProportion = c.p, c.a, c.b
		cfg.Events = 1_000_000
		var got [3]int64
		each(mustGen(t, cfg, 0, 1, PersonID|AuctionID|BidDateTime), 4096, 2_000_000, func(b *Batch, i int) {
			got[b.Kinds[i]]++
		})
		total := int64(c.p + c.a + c.b)
		want := [3]int64{
			countOffsets(2, 1_000_002, total, 0, int64(c.p)),
			countOffsets(2, 1_000_002, total, int64(c.p), int64(c.p+c.a)),
			countOffsets(2, 1_000_002, total, int64(c.p+c.a), total),
		}
		if got != want {
			t.Errorf("%d:%d:%d: persons, auctions, bids = %v, want %v", c.p, c.a, c.b, got, want)
		}
		if c == (struct{ p, a, b int32 }{1, 3, 46}) && want != [3]int64{20_000, 60_000, 920_000} {
			// ids 2..1000001: persons at 50, 100, ..., 1000000; auctions at 2, 3, the
			// three after each person and 1000001; bids the rest.
			t.Errorf("default proportions give %v, want 20000 60000 920000", want)
		}
	}
}

// Ids and times relate as the Java generator intends: persons and auctions numbered
// consecutively from 1001 (Flink's first event id is 2), a bid's
// auction a hot one or one of the last 100 auctions or up to 10 ahead, sellers and
// bidders among the last 1000 persons or up to 10 ahead (bidders 1000 higher: Flink
// adds FIRST_PERSON_ID twice), times from the rate, values in their ranges.
func TestRelations(t *testing.T) {
	cfg := testConfig()
	cfg.Events = 1_000_000
	// Base 0: the last person and auction made so far. Flink's first event id is 2, so
	// ids 0 (1000) are never made: the first person and auction are 1001.
	lastP, lastA := int64(0), int64(0)
	var bids, leads, hotBids int64
	var personBytes, auctionBytes, bidBytes, persons, auctions int64
	email := regexp.MustCompile(`^([a-z]([a-z ]*[a-z])?)?@([a-z]([a-z ]*[a-z])?)?\.com$`)
	card := regexp.MustCompile(`^\d{4} \d{4} \d{4} \d{4}$`)
	word := regexp.MustCompile(`^([a-z]([a-z ]*[a-z])?)?$`)
	url := regexp.MustCompile(`^https://www\.nexmark\.com/[a-z_]{3,4}/[a-z_]{3,4}/[a-z_]{3,4}/item\.htm\?query=1(&channel_id=-?\d+)?$`)
	extra := regexp.MustCompile(`^[H-Za-z\[\\\]^_` + "`" + `]*$`)
	tab := getTables()
	inRange := func(id, last, active, lead int64) bool { // nextBase0PersonId's range
		num := last + 1
		a := min(num, active)
		return id >= num-a && id < num+lead
	}
	each(mustGen(t, cfg, 0, 1, AllFields), 1000, 1_000_000, func(b *Batch, i int) {
		k := b.Event(i)
		if want := testBase + (k+1)*100/1000; b.Times[i] != want { // 10,000 events/s: 100 µs apart
			t.Fatalf("event %d at %d, want %d", k, b.Times[i], want)
		}
		switch b.Kinds[i] {
		case KindPerson:
			p := b.Persons[b.Index[i]]
			if p.ID != lastP+1+1000 {
				t.Fatalf("person id %d after %d", p.ID, lastP+1000)
			}
			lastP = p.ID - 1000
			if !slices.Contains(tab.names[:], p.Name) || !slices.Contains(usCities[:], p.City) || !slices.Contains(usStates[:], p.State) ||
				!email.MatchString(p.EmailAddress) || !card.MatchString(p.CreditCard) || !extra.MatchString(p.Extra) || p.DateTime != b.Times[i] {
				t.Fatalf("person %+v", p)
			}
			persons++
			personBytes += int64(8 + len(p.Name) + len(p.EmailAddress) + len(p.CreditCard) + len(p.City) + len(p.State) + len(p.Extra))
		case KindAuction:
			a := b.Auctions[b.Index[i]]
			if a.ID != lastA+1+1000 {
				t.Fatalf("auction id %d after %d", a.ID, lastA+1000)
			}
			lastA = a.ID - 1000
			s := a.Seller - 1000
			if s != lastP/100*100 && !inRange(s, lastP, 1000, 10) {
				t.Fatalf("auction %d: seller %d with last person %d", a.ID, a.Seller, lastP+1000)
			}
			if a.Category < 10 || a.Category > 14 || a.InitialBid < 100 || a.InitialBid > 100_000_000 ||
				a.Reserve < a.InitialBid+100 || a.Expires <= a.DateTime || a.DateTime != b.Times[i] ||
				len(a.ItemName) > 19 || len(a.Description) > 99 || !word.MatchString(a.ItemName) || !word.MatchString(a.Description) || !extra.MatchString(a.Extra) {
				t.Fatalf("auction %+v", a)
			}
			auctions++
			auctionBytes += int64(8 + len(a.ItemName) + len(a.Description) + 40 + len(a.Extra))
		case KindBid:
			d := b.Bids[b.Index[i]]
			bids++
			a := d.Auction - 1000
			switch {
			case a == lastA/100*100:
				hotBids++
			case a >= max(lastA-100, 0) && a <= lastA+10:
				if a > lastA {
					leads++
				}
			default:
				t.Fatalf("bid for auction %d with last auction %d", d.Auction, lastA+1000)
			}
			bd := d.Bidder - 2000
			if bd != lastP/100*100+1 && !inRange(bd, lastP, 1000, 10) {
				t.Fatalf("bidder %d with last person %d", d.Bidder, lastP+1000)
			}
			hot := slices.Index(hotChannels[:], d.Channel)
			switch {
			case hot >= 0:
				if d.URL != tab.hotURLs[hot] {
					t.Fatalf("bid %+v: hot channel with URL %q", d, d.URL)
				}
			case strings.HasPrefix(d.Channel, "channel-"):
				var n int
				fmt.Sscanf(d.Channel, "channel-%d", &n)
				if d.Channel != fmt.Sprintf("channel-%d", n) || d.URL != tab.channelURLs[n] {
					t.Fatalf("bid %+v", d)
				}
			default:
				t.Fatalf("bid %+v: channel", d)
			}
			// extra: 100 - 32 = 68 bytes on average, 68 - 14 to 68 + 13. (The patterns are
			// checked on one bid in 8, to keep the test short.)
			if d.Price < 100 || d.Price > 100_000_000 || d.DateTime != b.Times[i] || len(d.Extra) < 54 || len(d.Extra) > 81 ||
				k%8 == 0 && (!url.MatchString(d.URL) || !extra.MatchString(d.Extra)) {
				t.Fatalf("bid %+v", d)
			}
			bidBytes += int64(32 + len(d.Extra))
		}
	})
	// Half the bids are for the hot auction (bid.hot-ratio.auctions = 2), and of the
	// others about 10 in 111 name an auction not made yet.
	if f := float64(hotBids) / float64(bids); f < 0.49 || f > 0.51 {
		t.Errorf("%.3f of bids for hot auctions, want about 0.5", f)
	}
	if f := float64(leads) / float64(bids); f < 0.03 || f > 0.06 {
		t.Errorf("%.3f of bids for auctions not made yet, want about 0.045", f)
	}
	// Events are padded to their average sizes.
	for _, c := range []struct {
		what  string
		bytes int64
		n     int64
		avg   float64
	}{{"person", personBytes, persons, 200}, {"auction", auctionBytes, auctions, 500}, {"bid", bidBytes, bids, 100}} {
		if got := float64(c.bytes) / float64(c.n); got < c.avg*0.98 || got > c.avg*1.02 {
			t.Errorf("average %s size %.1f, want about %v", c.what, got, c.avg)
		}
	}
}

// Splits are disjoint and together make the whole stream; each split's times never go
// back; a generator positioned anywhere continues as a fresh one would; the same
// configuration gives the same events.
func TestSplitsAndDeterminism(t *testing.T) {
	cfg := testConfig()
	cfg.Events = 100_003
	type ev struct {
		kind Kind
		time int64
		id   int64 // person or auction id, bid price
		s    string
	}
	key := func(b *Batch, i int) ev {
		e := ev{kind: b.Kinds[i], time: b.Times[i]}
		switch e.kind {
		case KindPerson:
			p := b.Persons[b.Index[i]]
			e.id, e.s = p.ID, p.EmailAddress+p.Extra
		case KindAuction:
			a := b.Auctions[b.Index[i]]
			e.id, e.s = a.ID, a.Description+a.Extra
		default:
			d := b.Bids[b.Index[i]]
			e.id, e.s = d.Price, d.URL+d.Extra
		}
		return e
	}
	whole := make([]ev, 0, cfg.Events)
	each(mustGen(t, cfg, 0, 1, AllFields), 1024, 1<<30, func(b *Batch, i int) {
		if b.Event(i) != int64(len(whole)) {
			t.Fatalf("event %d at %d", b.Event(i), len(whole))
		}
		whole = append(whole, key(b, i))
	})
	if len(whole) != int(cfg.Events) {
		t.Fatalf("%d events, want %d", len(whole), cfg.Events)
	}
	for _, n := range []int{2, 3, 8, 64} {
		seen := make([]bool, len(whole))
		for s := 0; s < n; s++ {
			g := mustGen(t, cfg, s, n, AllFields)
			last := int64(minInt64)
			count := int64(0)
			each(g, 333, 1<<30, func(b *Batch, i int) {
				k := b.Event(i)
				if seen[k] {
					t.Fatalf("%d splits: event %d twice", n, k)
				}
				seen[k] = true
				if b.Times[i] < last {
					t.Fatalf("%d splits: split %d goes back in time at event %d", n, s, k)
				}
				last = b.Times[i]
				if got := key(b, i); got != whole[k] {
					t.Fatalf("%d splits: event %d = %+v, want %+v", n, k, got, whole[k])
				}
				count++
			})
			if count != g.Len() || !g.Done() {
				t.Errorf("%d splits: split %d made %d of %d", n, s, count, g.Len())
			}
		}
		for k, ok := range seen {
			if !ok {
				t.Fatalf("%d splits: event %d missing", n, k)
			}
		}
	}

	// SetPos: resume a split in the middle (as after a restart).
	g := mustGen(t, cfg, 1, 3, AllFields)
	g.SetPos(12345)
	var b Batch
	g.Fill(&b, 100)
	if b.Start != 12345 || b.End != 12445 {
		t.Fatalf("batch %d..%d", b.Start, b.End)
	}
	for i := 0; i < b.Len(); i++ {
		if k := b.Event(i); k != 1+(12345+int64(i))*3 || key(&b, i) != whole[k] {
			t.Fatalf("after SetPos: event %d = %+v", k, key(&b, i))
		}
	}
	g.SetPos(g.Len())
	if g.Fill(&b, 10) != 0 || b.Len() != 0 || !g.Done() {
		t.Errorf("Fill at the end made %d events", b.Len())
	}
}

func TestUnboundedAndErrors(t *testing.T) {
	cfg := testConfig()
	// Flink's cap: Long.MAX_VALUE / (50 * 500).
	if got := cfg.MaxEvents(); got != 9223372036854775807/25000 {
		t.Errorf("MaxEvents() = %d", got)
	}
	g := mustGen(t, cfg, 3, 4, AllFields)
	if g.Len() != (cfg.MaxEvents()-3+3)/4 {
		t.Errorf("split 3 of 4: %d events", g.Len())
	}
	// With every average size 0 the cap is MaxInt64 events.
	zero := testConfig()
	zero.AvgPersonSize, zero.AvgAuctionSize, zero.AvgBidSize = 0, 0, 0
	for s := 0; s < 3; s++ {
		want := int64(math.MaxInt64 / 3)
		if s == 0 { // MaxInt64 = 3q + 1: split 0 has the one more
			want++
		}
		if got := mustGen(t, zero, s, 3, AllFields).Len(); got != want {
			t.Errorf("split %d of 3 of MaxInt64 events: %d, want %d", s, got, want)
		}
	}
	// Far into an unbounded stream the ids still hold.
	g.SetPos(1 << 40)
	var b Batch
	g.Fill(&b, 200)
	ref := newRefGen(cfg)
	for i := 0; i < b.Len(); i++ {
		if d := diff(&b, i, ref.event(b.Event(i)), AllFields); d != "" {
			t.Fatalf("event %d: %s", b.Event(i), d)
		}
	}
	for _, c := range []struct {
		mod  func(*Config)
		want string
	}{
		{func(c *Config) { c.FirstEventRate = 0 }, "first-event.rate must be positive"},
		{func(c *Config) { c.PersonProportion, c.AuctionProportion, c.BidProportion = 0, 0, 0 }, "add up to a positive"},
		{func(c *Config) { c.BidProportion = -1 }, "must not be negative"},
		{func(c *Config) { c.HotBiddersRatio = 0 }, "hot ratios must be positive"},
		{func(c *Config) { c.Events = -1 }, "events.num"},
	} {
		bad := testConfig()
		c.mod(&bad)
		if _, err := NewGenerator(bad, 0, 1, AllFields); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
	if _, err := NewGenerator(testConfig(), 2, 2, AllFields); err == nil {
		t.Error("split 2 of 2 accepted")
	}
}

func TestFieldOf(t *testing.T) {
	for _, c := range []struct {
		row, field string
		want       Fields
	}{
		{"person", "emailAddress", PersonEmailAddress}, {"auction", "dateTime", AuctionDateTime},
		{"auction", "extra", AuctionExtra}, {"bid", "url", BidURL}, {"bid", "extra", BidExtra},
	} {
		if got, ok := FieldOf(c.row, c.field); !ok || got != c.want {
			t.Errorf("FieldOf(%s, %s) = %v, %v", c.row, c.field, got, ok)
		}
	}
	if _, ok := FieldOf("bid", "dateTIME"); ok {
		t.Error("FieldOf is not case-sensitive")
	}
	if s := (BidAuction | PersonID | BidExtra).String(); s != "person.id,bid.auction,bid.extra" {
		t.Errorf("String() = %q", s)
	}
	if AllFields != 1<<len(fieldNames)-1 {
		t.Error("AllFields does not cover every field")
	}
}
