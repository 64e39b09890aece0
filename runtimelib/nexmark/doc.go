// Package nexmark is the event generator of the Nexmark benchmark as Flink's nexmark
// connector runs it ('connector' = 'nexmark', github.com/nexmark/nexmark,
// nexmark-flink/.../generator): a Go port of NexmarkGenerator, GeneratorConfig and the
// Person, Auction, Bid, Price and Strings generators, fast enough to run inside every
// Nexmark measurement, with what it generates laid out for generated code to read in
// place.
//
// # The stream
//
// Event k (0-based) of the stream has id k+2 and event number k+1 (Flink's connector
// starts both counters at 1). Its kind comes from the id modulo the total proportion
// (person.proportion + auction.proportion + bid.proportion, 1 + 3 + 46 by default): the
// first person.proportion remainders are persons, the next auction.proportion auctions,
// the rest bids. Its time is BaseTime + floor((k+1) * 1e6/first-event.rate µs) / 1000
// ms, Flink's timestampForEvent. Person and auction ids follow from the id
// (lastBase0PersonId, lastBase0AuctionId) and start at 1001; a bid names a hot auction
// (the first of the last hundred: 1000, 1100, ...) with probability 1 - 1/
// bid.hot-ratio.auctions, else one of the last 100 auctions or up to 10 not made yet;
// sellers and bidders likewise among the last 1000 persons. Prices are log-uniform in
// [100, 10^8] cents; the extra field pads events to person.avg-size, auction.avg-size and
// bid.avg-size. Config lists every option; docs/nexmark.md says how this differs from
// Flink's generator.
//
// The random values of event k come from java.util.Random seeded with its id (new
// Random(eventId), as the original Nexmark generator and earlier nexmark-flink seeded
// it; JavaRandom is an exact port of the JDK's algorithm), drawn in the Java order, so
// an event depends on its number and the configuration only, and the stream is the same
// for any number of splits.
//
// # Splits
//
// NewGenerator(cfg, s, n, fields) makes split s of n: the events whose number k has k
// mod n = s, in order. All splits cover the same span of event time (each split's times
// never decrease), so per-split watermarks move together, and their union is the whole
// stream whatever n is. A split's position is the count of its events made so far
// (Generator.Pos, Batch.End); SetPos resumes at any position in O(1).
//
// # Reading events (the integration shape)
//
// Generator.Fill(&batch, max) refills a reused Batch with the split's next events:
//
//	batch.Kinds[i], batch.Times[i]   every event: its kind and event time (epoch ms)
//	batch.Index[i]                   its index in the slice of its kind (-1: not generated)
//	batch.Persons, .Auctions, .Bids  the events of each kind, in stream order, as structs
//	                                 with the fields of the table's ROW columns
//
// so a decoder for `SELECT auction, bidder, price, dateTime FROM bid` (the bid view is
// `... WHERE event_type = 2`) is a loop over batch.Bids reading struct fields, and one
// over the whole table (event_type, person, auction, bid) walks Kinds and Index. Nothing
// is parsed or formatted. Strings (names, emails, padding) are built into the batch's
// arena or point into static tables (cities, channels, URLs): they are valid until the
// batch is filled again, so a reader copies what it keeps (a group key).
//
// The Fields given to NewGenerator say which fields the query reads (FieldOf maps the
// SQL names, "bid"."dateTime"): the generator stops drawing an event's random values
// after the last field wanted, so unread trailing fields such as a bid's extra padding
// (half of a bid's cost) are never built, and kinds with no field wanted are skipped
// (they keep their place in Kinds and Times). A field before the last one wanted is
// generated anyway, since the draws must stay in the Java order.
//
// The generator has no clock. A bounded stream (events.num > 0) ends when every split
// is Done.
//
// # The job's source
//
// Source (source.go) is the connector in a job (stream.Source): one split per source
// task, split s owned by task s mod tasks (stream.Batch.Owned), positions per split
// (Resume, Starts: the split's event count, restored with the number of splits it was
// taken with). Its Run only hands out batches that name a split, its end position and
// a count; the task that runs a batch generates its events with a Reader of its own
// (Reader.Fill: SetPos, then Fill), so generation is spread over the tasks. Flink's
// 'max-emit-speed' = 'false' paces the batches to first-event.rate on the wall clock;
// by default, as in Flink's current connector, nothing waits.
//
// The benchmarks in bench_test.go compare the generator with refGen, a line-by-line port
// of the Java code that is also the oracle the tests check every field against.
package nexmark
