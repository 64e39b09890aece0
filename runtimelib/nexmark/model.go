package nexmark

import (
	"fmt"
	"math/bits"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// Kind is an event's type, with the values of the event_type column of Flink's nexmark
// table: 0 person, 1 auction, 2 bid.
type Kind uint8

const (
	KindPerson  Kind = 0
	KindAuction Kind = 1
	KindBid     Kind = 2
)

func (k Kind) String() string {
	switch k {
	case KindPerson:
		return "person"
	case KindAuction:
		return "auction"
	case KindBid:
		return "bid"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Person is a new person event: the fields of the person ROW column, in its order.
// Times are epoch milliseconds (TIMESTAMP(3) in UTC). Strings alias the batch's memory
// or static tables: they are valid until the batch is filled again.
type Person struct {
	ID           int64
	Name         string
	EmailAddress string
	CreditCard   string
	City         string
	State        string
	DateTime     int64
	Extra        string
}

// Auction is a new auction event: the fields of the auction ROW column, in its order.
type Auction struct {
	ID          int64
	ItemName    string
	Description string
	InitialBid  int64
	Reserve     int64
	DateTime    int64
	Expires     int64
	Seller      int64
	Category    int64
	Extra       string
}

// Bid is a bid event: the fields of the bid ROW column, in its order.
type Bid struct {
	Auction  int64
	Bidder   int64
	Price    int64
	Channel  string
	URL      string
	DateTime int64
	Extra    string
}

// Fields is a set of event fields a reader needs. The generator draws each event's
// random values in the Java generator's order and stops after the last field of the
// set, so a field after it costs nothing (a bid's extra padding, half of a bid's cost,
// is not built when nobody reads it); a field before it is generated even when it is
// not in the set, since the draws must stay in step with Java's. An event kind none of
// whose fields is in the set is not generated at all; it still takes its place in the
// stream (Batch.Kinds, Batch.Times).
type Fields uint32

const (
	PersonID Fields = 1 << iota
	PersonName
	PersonEmailAddress
	PersonCreditCard
	PersonCity
	PersonState
	PersonDateTime
	PersonExtra
	AuctionID
	AuctionItemName
	AuctionDescription
	AuctionInitialBid
	AuctionReserve
	AuctionDateTime
	AuctionExpires
	AuctionSeller
	AuctionCategory
	AuctionExtra
	BidAuction
	BidBidder
	BidPrice
	BidChannel
	BidURL
	BidDateTime
	BidExtra

	PersonFields  = PersonID | PersonName | PersonEmailAddress | PersonCreditCard | PersonCity | PersonState | PersonDateTime | PersonExtra
	AuctionFields = AuctionID | AuctionItemName | AuctionDescription | AuctionInitialBid | AuctionReserve | AuctionDateTime | AuctionExpires | AuctionSeller | AuctionCategory | AuctionExtra
	BidFields     = BidAuction | BidBidder | BidPrice | BidChannel | BidURL | BidDateTime | BidExtra
	AllFields     = PersonFields | AuctionFields | BidFields
)

// fieldNames are the ROW field names of Flink's nexmark table, by bit.
var fieldNames = [...]struct{ row, field string }{
	{"person", "id"}, {"person", "name"}, {"person", "emailAddress"}, {"person", "creditCard"},
	{"person", "city"}, {"person", "state"}, {"person", "dateTime"}, {"person", "extra"},
	{"auction", "id"}, {"auction", "itemName"}, {"auction", "description"}, {"auction", "initialBid"},
	{"auction", "reserve"}, {"auction", "dateTime"}, {"auction", "expires"}, {"auction", "seller"},
	{"auction", "category"}, {"auction", "extra"},
	{"bid", "auction"}, {"bid", "bidder"}, {"bid", "price"}, {"bid", "channel"}, {"bid", "url"},
	{"bid", "dateTime"}, {"bid", "extra"},
}

// FieldOf returns the field of a ROW column of the nexmark table by its SQL names
// ("bid", "dateTime"), as a compiler sees them in a query. Names match exactly, as
// Flink's (case-sensitive) field access does.
func FieldOf(row, field string) (Fields, bool) {
	for i, n := range fieldNames {
		if n.row == row && n.field == field {
			return 1 << i, true
		}
	}
	return 0, false
}

// String lists the fields as row.field, in table order.
func (f Fields) String() string {
	s := ""
	for f != 0 {
		i := bits.TrailingZeros32(uint32(f))
		f &^= 1 << i
		if s != "" {
			s += ","
		}
		if i < len(fieldNames) {
			s += fieldNames[i].row + "." + fieldNames[i].field
		} else {
			s += fmt.Sprintf("bit%d", i)
		}
	}
	return s
}

// Batch is a run of consecutive events of one split, as the generator filled it.
//
// Kinds, Times and Index have one entry per event, in stream order: the event's kind,
// its event time (the dateTime of its ROW, epoch ms; non-decreasing within a split) and
// its index in Persons, Auctions or Bids, or -1 when its kind was not generated (see
// Fields). Persons, Auctions and Bids hold the generated events of each kind, in stream
// order, so a reader of one kind (a view WHERE event_type = 2) ranges over that slice.
//
// A Batch is reused: Generator.Fill overwrites it, and the strings of its events alias
// its memory, so a reader copies what it keeps past the next Fill.
type Batch struct {
	Kinds    []Kind
	Times    []int64
	Index    []int32
	Persons  []Person
	Auctions []Auction
	Bids     []Bid

	// Split and Splits are the generator's; Start is the split position of the first
	// event (the count of the split's events before it), End the position after the last.
	Split, Splits int
	Start, End    int64

	arena []byte
}

// Len is the number of events in the batch.
func (b *Batch) Len() int { return len(b.Kinds) }

// Event returns the 0-based number of event i of the batch in the whole stream (over
// all splits): split + position*splits.
func (b *Batch) Event(i int) int64 {
	return int64(b.Split) + (b.Start+int64(i))*int64(b.Splits)
}

// MaxTime is the largest event time in the batch (its last event's), or
// math.MinInt64 for an empty batch.
func (b *Batch) MaxTime() int64 {
	if len(b.Times) == 0 {
		return minInt64
	}
	return b.Times[len(b.Times)-1]
}

const minInt64 = -1 << 63

func (b *Batch) reset() {
	b.Kinds = b.Kinds[:0]
	b.Times = b.Times[:0]
	b.Index = b.Index[:0]
	b.Persons = b.Persons[:0]
	b.Auctions = b.Auctions[:0]
	b.Bids = b.Bids[:0]
	b.arena = b.arena[:0]
}

// RowColumns returns the fields of a kind's ROW column of Flink's nexmark table (as
// its NexmarkTableSource declares them: BIGINT, STRING, TIMESTAMP(3)), in order.
func RowColumns(k Kind) []stream.Column {
	var cols []stream.Column
	for _, n := range fieldNames {
		if n.row != k.String() {
			continue
		}
		c := stream.Column{Name: n.field, Type: "BIGINT", Kind: stream.BigInt, Nullable: true}
		switch n.field {
		case "dateTime", "expires":
			c.Type, c.Kind, c.Precision = "TIMESTAMP(3)", stream.Timestamp, 3
		case "name", "emailAddress", "creditCard", "city", "state", "itemName", "description", "channel", "url", "extra":
			c.Type, c.Kind, c.Length = "STRING", stream.Varchar, 2147483647
		}
		cols = append(cols, c)
	}
	return cols
}
