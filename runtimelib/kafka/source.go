package kafka

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// Source reads every partition of its topics. See the package comment for startup and
// bounded modes and for how positions are kept and committed. It implements
// stream.Source and stream.Committer; a batch's Split is its partition's index in the
// order of 'topic', then partition (with one topic, the partition number).
type Source struct {
	table   string
	topics  []string
	brokers []string
	client  *kafkago.Client
	groupID string

	startup       string // scan.startup.mode
	startupMillis int64
	startupSpec   map[int32]int64
	resetPolicy   string // properties.auto.offset.reset: earliest, latest, none

	bounded       string // scan.bounded.mode
	boundedMillis int64
	boundedSpec   map[int32]int64

	autoCommit     bool
	commitInterval time.Duration

	maxBytes int
	maxWait  time.Duration

	// Log, when set, receives remarks (offset resets, retried fetch errors).
	Log *slog.Logger

	mu          sync.Mutex
	splits      []topicPartition         // by Batch.Split; set by Run
	pos         map[topicPartition]int64 // durable positions: the start, then what Commit was told
	uncommitted map[topicPartition]int64 // durable positions not yet committed to the group
	lastCommit  time.Time                // of the last commit to the group, for the interval
	stopped     bool                     // Run returned: commit at once, nothing follows

	commitMu sync.Mutex // orders commits to the group, so that an older one never lands last

	// resume holds the offsets of a restored checkpoint (Resume): they override
	// scan.startup.mode. Written before Run.
	resume map[topicPartition]int64
	// starts are where this run's partitions started (Starts), known once Run planned.
	starts []stream.Position // guarded by mu

	// free holds the batch buffers released so far. Not a sync.Pool: that drops its
	// contents at every GC, and fresh buffers cost page faults and slice growth (a
	// quarter of the seed job's CPU, measured with 4 MiB fetches).
	free []*batchBuf // guarded by mu

	// lag is each partition's high watermark minus the next offset to fetch, after
	// its last fetch (Lag).
	lag map[topicPartition]int64 // guarded by mu
}

// Lag returns the consumer lag of every partition fetched so far, sorted by topic and
// partition (stream.Lagger). Safe to call while the source runs.
func (s *Source) Lag() []stream.PartitionLag {
	s.mu.Lock()
	out := make([]stream.PartitionLag, 0, len(s.lag))
	for tp, n := range s.lag {
		out = append(out, stream.PartitionLag{Topic: tp.topic, Partition: tp.partition, Lag: n})
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].Topic != out[j].Topic {
			return out[i].Topic < out[j].Topic
		}
		return out[i].Partition < out[j].Partition
	})
	return out
}

// noteLag records a partition's lag after a fetch: once per fetch, not per record.
func (s *Source) noteLag(tp topicPartition, hw, next int64) {
	s.mu.Lock()
	if s.lag == nil {
		s.lag = map[topicPartition]int64{}
	}
	s.lag[tp] = max(hw-next, 0)
	s.mu.Unlock()
}

type topicPartition struct {
	topic     string
	partition int32
}

// NewSource checks the options of a 'connector'='kafka' table used as a source.
func NewSource(r *options.Resolved, schema stream.Schema) (*Source, error) {
	s := &Source{
		table:          r.Table,
		brokers:        splitList(r.String("properties.bootstrap.servers"), ","),
		groupID:        r.String("properties.group.id"),
		startup:        r.String("scan.startup.mode"),
		bounded:        r.String("scan.bounded.mode"),
		autoCommit:     true,
		commitInterval: 5 * time.Second,
		// Per fetch: a 256 KiB response stays in the CPU cache from the socket read
		// through parsing to the job's pipeline. On the seed job 1 MiB fetches cost a
		// third more CPU, 4 MiB twice as much. A larger record batch still comes whole
		// (Kafka sends at least one; see fetchConn.grow for brokers that do not).
		maxBytes:    256 << 10,
		maxWait:     250 * time.Millisecond,
		resetPolicy: "earliest",
		pos:         map[topicPartition]int64{},
		uncommitted: map[topicPartition]int64{},
		Log:         slog.Default(),
	}
	if r.Has("topic-pattern") {
		return nil, fmt.Errorf("table %s: 'topic-pattern' is not supported yet; list the topics in 'topic' separated by ';'", r.Table)
	}
	s.topics = splitList(r.String("topic"), ";")
	if len(s.topics) == 0 {
		return nil, fmt.Errorf("table %s: option 'topic' is required for a Kafka source", r.Table)
	}
	if len(s.brokers) == 0 {
		return nil, fmt.Errorf("table %s: option 'properties.bootstrap.servers' is empty", r.Table)
	}
	if v := r.String("properties.auto.offset.reset"); v != "" {
		switch strings.ToLower(v) {
		case "earliest", "smallest":
			s.resetPolicy = "earliest"
		case "latest", "largest":
			s.resetPolicy = "latest"
		case "none":
			s.resetPolicy = "none"
		default:
			return nil, fmt.Errorf("table %s: 'properties.auto.offset.reset' must be earliest, latest or none, not %q", r.Table, v)
		}
	}
	if v := r.String("properties.enable.auto.commit"); v != "" {
		b, err := options.ParseBool(v)
		if err != nil {
			return nil, fmt.Errorf("table %s: 'properties.enable.auto.commit': %v", r.Table, err)
		}
		s.autoCommit = b
	}
	if v := r.String("properties.auto.commit.interval.ms"); v != "" {
		ms, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || ms <= 0 {
			return nil, fmt.Errorf("table %s: 'properties.auto.commit.interval.ms' must be a positive integer, not %q", r.Table, v)
		}
		s.commitInterval = time.Duration(ms) * time.Millisecond
	}
	var err error
	switch s.startup {
	case "timestamp":
		if !r.Has("scan.startup.timestamp-millis") {
			return nil, fmt.Errorf("table %s: 'scan.startup.mode' = 'timestamp' needs 'scan.startup.timestamp-millis'", r.Table)
		}
		s.startupMillis = r.Int("scan.startup.timestamp-millis")
	case "specific-offsets":
		if s.startupSpec, err = parseSpecificOffsets(r.String("scan.startup.specific-offsets")); err != nil {
			return nil, fmt.Errorf("table %s: 'scan.startup.specific-offsets': %v", r.Table, err)
		}
	case "group-offsets":
		if s.groupID == "" && r.Has("scan.startup.mode") {
			return nil, fmt.Errorf("table %s: 'scan.startup.mode' = 'group-offsets' needs 'properties.group.id'", r.Table)
		}
	}
	switch s.bounded {
	case "timestamp":
		if !r.Has("scan.bounded.timestamp-millis") {
			return nil, fmt.Errorf("table %s: 'scan.bounded.mode' = 'timestamp' needs 'scan.bounded.timestamp-millis'", r.Table)
		}
		s.boundedMillis = r.Int("scan.bounded.timestamp-millis")
	case "specific-offsets":
		if s.boundedSpec, err = parseSpecificOffsets(r.String("scan.bounded.specific-offsets")); err != nil {
			return nil, fmt.Errorf("table %s: 'scan.bounded.specific-offsets': %v", r.Table, err)
		}
	case "group-offsets":
		if s.groupID == "" {
			return nil, fmt.Errorf("table %s: 'scan.bounded.mode' = 'group-offsets' needs 'properties.group.id'", r.Table)
		}
	}
	s.client = &kafkago.Client{Addr: kafkago.TCP(s.brokers...), Timeout: 30 * time.Second}
	return s, nil
}

// parseSpecificOffsets parses Flink's 'partition:0,offset:42;partition:1,offset:300'.
func parseSpecificOffsets(spec string) (map[int32]int64, error) {
	out := map[int32]int64{}
	for _, part := range splitList(spec, ";") {
		var p, o int64 = -1, -1
		for _, kv := range strings.Split(part, ",") {
			k, v, ok := strings.Cut(kv, ":")
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			if !ok || err != nil {
				return nil, fmt.Errorf("bad entry %q (want 'partition:0,offset:42;partition:1,offset:300')", part)
			}
			switch strings.TrimSpace(k) {
			case "partition":
				p = n
			case "offset":
				o = n
			default:
				return nil, fmt.Errorf("bad entry %q (want 'partition:0,offset:42;partition:1,offset:300')", part)
			}
		}
		if p < 0 || o < 0 || p > 1<<31-1 {
			return nil, fmt.Errorf("bad entry %q (want 'partition:0,offset:42;partition:1,offset:300')", part)
		}
		out[int32(p)] = o
	}
	if len(out) == 0 {
		return nil, errors.New("no offsets given (want 'partition:0,offset:42;partition:1,offset:300')")
	}
	return out, nil
}

func splitList(s, sep string) []string {
	var out []string
	for _, p := range strings.Split(s, sep) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Bounded reports whether scan.bounded.mode makes the source stop by itself.
func (s *Source) Bounded() bool { return s.bounded != "" && s.bounded != "unbounded" }

// Positions returns, per partition, the durable position: the offset after the batches
// whose results the job made durable (Commit), else the start offset (of the first topic
// when there are several; see TopicPositions).
func (s *Source) Positions() map[int32]int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[int32]int64{}
	for tp, o := range s.pos {
		if tp.topic == s.topics[0] {
			out[tp.partition] = o
		}
	}
	return out
}

// TopicPositions is Positions for every topic.
func (s *Source) TopicPositions() map[string]map[int32]int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]map[int32]int64{}
	for tp, o := range s.pos {
		if out[tp.topic] == nil {
			out[tp.topic] = map[int32]int64{}
		}
		out[tp.topic][tp.partition] = o
	}
	return out
}

// partitionPlan is where one partition starts and (bounded) stops.
type partitionPlan struct {
	split int32 // its index in the plan: Batch.Split
	tp    topicPartition
	start int64
	stop  int64 // -1: unbounded
}

// Run reads all partitions until they reach their stop offsets (bounded) or ctx ends.
// When it returns, it commits the durable positions that the commit interval held back.
func (s *Source) Run(ctx context.Context, out chan<- *stream.Batch) error {
	plans, err := s.planRetrying(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	for _, p := range plans {
		s.splits = append(s.splits, p.tp)
		s.pos[p.tp] = p.start
		s.starts = append(s.starts, stream.Position{Split: p.split, Name: p.tp.topic, Partition: p.tp.partition, Offset: p.start})
	}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.stopped = true
		s.mu.Unlock()
		// ctx may be done: the commit gets its own time.
		if cerr := s.commit(context.Background()); cerr != nil && s.Log != nil {
			s.Log.Warn("kafka offset commit failed", "table", s.table, "group", s.groupID, "err", cerr)
		}
	}()

	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errc := make(chan error, len(plans))
	for _, p := range plans {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.readPartition(ctx, p, out); err != nil {
				errc <- err
				cancel()
			}
		}()
	}
	wg.Wait()
	select {
	case err = <-errc:
	default:
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	// Our own cancel after all partitions ended is not an error; the caller's is.
	return parent.Err()
}

// Commit takes positions the job made durable (stream.Committer) and commits them under
// properties.group.id, unless properties.enable.auto.commit is false: at once when the
// last commit is properties.auto.commit.interval.ms old or Run has returned, else at a
// later Commit or when Run returns.
func (s *Source) Commit(ctx context.Context, durable []stream.Position) error {
	s.mu.Lock()
	for _, p := range durable {
		if p.Split < 0 || int(p.Split) >= len(s.splits) {
			s.mu.Unlock()
			return fmt.Errorf("table %s: no split %d to commit", s.table, p.Split)
		}
		tp := s.splits[p.Split]
		if p.Offset > s.pos[tp] {
			s.pos[tp] = p.Offset
			s.uncommitted[tp] = p.Offset
		}
	}
	due := s.stopped || time.Since(s.lastCommit) >= s.commitInterval
	s.mu.Unlock()
	if !due {
		return nil
	}
	return s.commit(ctx)
}

// commit sends the durable positions not yet committed to the group.
func (s *Source) commit(ctx context.Context) error {
	if s.groupID == "" || !s.autoCommit {
		return nil
	}
	s.commitMu.Lock()
	defer s.commitMu.Unlock()
	s.mu.Lock()
	sent := maps.Clone(s.uncommitted)
	s.lastCommit = time.Now() // a failed commit waits for the interval too
	s.mu.Unlock()
	if len(sent) == 0 {
		return nil
	}
	topics := map[string][]kafkago.OffsetCommit{}
	for tp, o := range sent {
		topics[tp.topic] = append(topics[tp.topic], kafkago.OffsetCommit{Partition: int(tp.partition), Offset: o})
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	resp, err := s.client.OffsetCommit(ctx, &kafkago.OffsetCommitRequest{GroupID: s.groupID, GenerationID: -1, Topics: topics})
	if err == nil {
		for _, ps := range resp.Topics {
			for _, p := range ps {
				if p.Error != nil {
					err = p.Error
				}
			}
		}
	}
	if err != nil {
		return fmt.Errorf("table %s: kafka offset commit of group %q: %w", s.table, s.groupID, err)
	}
	s.mu.Lock()
	for tp, o := range sent {
		if s.uncommitted[tp] == o {
			delete(s.uncommitted, tp)
		}
	}
	s.mu.Unlock()
	return nil
}

// errConfig marks an error that retrying cannot fix (the options say to fail).
var errConfig = errors.New("kafka source configuration")

// retriable reports whether a request error may go away by itself: the broker down or
// restarting (a refused or dropped connection, a timeout), a topic not there yet, a
// leader moving. Kafka's non-retriable error codes (authorization, invalid requests)
// and what the options make fatal are not.
func retriable(err error) bool {
	if errors.Is(err, errConfig) || errors.Is(err, context.Canceled) {
		return false
	}
	var kerr kafkago.Error
	if errors.As(err, &kerr) {
		return kerr.Temporary()
	}
	return true
}

// retryBackoff is the wait before the first retry of a failed request; it doubles up
// to maxRetryBackoff.
const retryBackoff, maxRetryBackoff = 100 * time.Millisecond, 5 * time.Second

// planRetrying plans the partitions, retrying while the cluster cannot answer (a
// broker down at start, restarting, or a topic not yet created), as a Kafka consumer
// does, until ctx ends. Each failure is logged.
func (s *Source) planRetrying(ctx context.Context) ([]partitionPlan, error) {
	backoff := retryBackoff
	for failed := false; ; failed = true {
		plans, err := s.plan(ctx)
		if err == nil {
			if failed && s.Log != nil {
				s.Log.Info("kafka reachable: reading", "table", s.table, "brokers", strings.Join(s.brokers, ","))
			}
			return plans, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !retriable(err) {
			return nil, err
		}
		if s.Log != nil {
			s.Log.Warn("kafka not ready, retrying", "table", s.table, "err", err, "in", backoff)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, maxRetryBackoff)
	}
}

// plan finds every partition of every topic and its start and stop offsets.
func (s *Source) plan(ctx context.Context) ([]partitionPlan, error) {
	md, err := s.client.Metadata(ctx, &kafkago.MetadataRequest{Topics: s.topics})
	if err != nil {
		return nil, fmt.Errorf("table %s: kafka metadata from %s: %w", s.table, strings.Join(s.brokers, ","), err)
	}
	parts := map[string][]int{}
	for _, t := range md.Topics {
		if t.Error != nil {
			return nil, fmt.Errorf("table %s: kafka topic %q: %w", s.table, t.Name, t.Error)
		}
		for _, p := range t.Partitions {
			parts[t.Name] = append(parts[t.Name], p.ID)
		}
	}
	var plans []partitionPlan
	for _, topic := range s.topics {
		ids := parts[topic]
		if len(ids) == 0 {
			return nil, fmt.Errorf("table %s: kafka topic %q does not exist or has no partitions", s.table, topic)
		}
		sort.Ints(ids)
		first, last, err := s.listOffsets(ctx, topic, ids, kafkago.FirstOffset, kafkago.LastOffset)
		if err != nil {
			return nil, err
		}
		var committed map[int]int64
		if s.groupID != "" && (s.startup == "group-offsets" || s.bounded == "group-offsets") {
			if committed, err = s.committed(ctx, topic, ids); err != nil {
				return nil, err
			}
		}
		var startTS, stopTS map[int]int64
		if s.startup == "timestamp" {
			if startTS, err = s.offsetsForTime(ctx, topic, ids, s.startupMillis, last); err != nil {
				return nil, err
			}
		}
		if s.bounded == "timestamp" {
			if stopTS, err = s.offsetsForTime(ctx, topic, ids, s.boundedMillis, last); err != nil {
				return nil, err
			}
		}
		for _, id := range ids {
			p := partitionPlan{tp: topicPartition{topic, int32(id)}, stop: -1}
			restored, isRestored := s.resume[p.tp]
			switch {
			case isRestored:
				// A checkpoint's position wins over the startup mode, as in Flink.
				p.start = restored
			case s.startup == "earliest-offset":
				p.start = first[id]
			case s.startup == "latest-offset":
				p.start = last[id]
			case s.startup == "timestamp":
				p.start = startTS[id]
			case s.startup == "specific-offsets":
				o, ok := s.startupSpec[int32(id)]
				if !ok {
					// Flink falls back to the committed group offsets for partitions
					// without a specific offset.
					o, err = s.reset(ctx, topic, id, first[id], last[id], committedOf(committed, id))
					if err != nil {
						return nil, err
					}
				}
				p.start = o
			default: // group-offsets
				if p.start, err = s.reset(ctx, topic, id, first[id], last[id], committedOf(committed, id)); err != nil {
					return nil, err
				}
			}
			if p.start < first[id] || p.start > last[id] {
				// Out of range (deleted by retention, or beyond the end): reset as the
				// consumer would.
				if isRestored && s.Log != nil {
					s.Log.Warn("kafka: the checkpointed offset is no longer in the log; resetting", "table", s.table, "topic", topic, "partition", id, "offset", restored, "first", first[id], "end", last[id], "reset", s.resetPolicy)
				}
				if p.start, err = s.reset(ctx, topic, id, first[id], last[id], -1); err != nil {
					return nil, err
				}
			}
			switch s.bounded {
			case "latest-offset":
				p.stop = last[id]
			case "timestamp":
				p.stop = stopTS[id]
			case "specific-offsets":
				if o, ok := s.boundedSpec[int32(id)]; ok {
					p.stop = o
				} else {
					p.stop = last[id]
				}
			case "group-offsets":
				p.stop = committedOf(committed, id)
				if p.stop < 0 {
					p.stop = last[id]
				}
			}
			p.split = int32(len(plans))
			plans = append(plans, p)
		}
	}
	return plans, nil
}

// committed returns the group's committed offsets of the partitions (none: absent).
func (s *Source) committed(ctx context.Context, topic string, ids []int) (map[int]int64, error) {
	resp, err := s.client.OffsetFetch(ctx, &kafkago.OffsetFetchRequest{GroupID: s.groupID, Topics: map[string][]int{topic: ids}})
	if err == nil {
		err = resp.Error
	}
	if errors.Is(err, kafkago.GroupIdNotFound) {
		return nil, nil // a group that never committed
	}
	if err != nil {
		return nil, fmt.Errorf("table %s: kafka committed offsets of group %q: %w", s.table, s.groupID, err)
	}
	out := map[int]int64{}
	for _, p := range resp.Topics[topic] {
		if p.Error != nil {
			return nil, fmt.Errorf("table %s: kafka committed offset of group %q for %s[%d]: %w", s.table, s.groupID, topic, p.Partition, p.Error)
		}
		if p.CommittedOffset >= 0 {
			out[p.Partition] = p.CommittedOffset
		}
	}
	return out, nil
}

func committedOf(m map[int]int64, id int) int64 {
	if o, ok := m[id]; ok && o >= 0 {
		return o
	}
	return -1
}

// reset returns the committed offset when there is one, else applies
// properties.auto.offset.reset.
func (s *Source) reset(ctx context.Context, topic string, id int, first, last, committed int64) (int64, error) {
	if committed >= 0 {
		return committed, nil
	}
	switch s.resetPolicy {
	case "latest":
		return last, nil
	case "none":
		return 0, fmt.Errorf("table %s: kafka partition %s[%d] has no committed offset for group %q and 'properties.auto.offset.reset' is 'none' (%w)", s.table, topic, id, s.groupID, errConfig)
	}
	return first, nil
}

func (s *Source) listOffsets(ctx context.Context, topic string, ids []int, stamps ...int64) (map[int]int64, map[int]int64, error) {
	var reqs []kafkago.OffsetRequest
	for _, id := range ids {
		reqs = append(reqs, kafkago.FirstOffsetOf(id), kafkago.LastOffsetOf(id))
	}
	resp, err := s.client.ListOffsets(ctx, &kafkago.ListOffsetsRequest{Topics: map[string][]kafkago.OffsetRequest{topic: reqs}})
	if err != nil {
		return nil, nil, fmt.Errorf("table %s: kafka offsets of %q: %w", s.table, topic, err)
	}
	first, last := map[int]int64{}, map[int]int64{}
	for _, po := range resp.Topics[topic] {
		if po.Error != nil {
			return nil, nil, fmt.Errorf("table %s: kafka offsets of %s[%d]: %w", s.table, topic, po.Partition, po.Error)
		}
		first[po.Partition], last[po.Partition] = po.FirstOffset, po.LastOffset
	}
	for _, id := range ids {
		if _, ok := last[id]; !ok {
			return nil, nil, fmt.Errorf("table %s: kafka returned no offsets for %s[%d]", s.table, topic, id)
		}
	}
	return first, last, nil
}

// offsetsForTime returns per partition the offset of the first record with a timestamp
// at or after millis (the end offset when there is none).
func (s *Source) offsetsForTime(ctx context.Context, topic string, ids []int, millis int64, last map[int]int64) (map[int]int64, error) {
	var reqs []kafkago.OffsetRequest
	for _, id := range ids {
		reqs = append(reqs, kafkago.OffsetRequest{Partition: id, Timestamp: millis})
	}
	resp, err := s.client.ListOffsets(ctx, &kafkago.ListOffsetsRequest{Topics: map[string][]kafkago.OffsetRequest{topic: reqs}})
	if err != nil {
		return nil, fmt.Errorf("table %s: kafka offsets for timestamp %d of %q: %w", s.table, millis, topic, err)
	}
	out := map[int]int64{}
	for _, id := range ids {
		out[id] = last[id]
	}
	for _, po := range resp.Topics[topic] {
		if po.Error != nil {
			return nil, fmt.Errorf("table %s: kafka offsets for timestamp of %s[%d]: %w", s.table, topic, po.Partition, po.Error)
		}
		best := int64(-1)
		for o := range po.Offsets {
			if o >= 0 && (best < 0 || o < best) {
				best = o
			}
		}
		if best >= 0 {
			out[po.Partition] = best
		}
	}
	return out, nil
}

// getBuf returns a released batch buffer, or a new one.
func (s *Source) getBuf() *batchBuf {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := len(s.free); n > 0 {
		bb := s.free[n-1]
		s.free = s.free[:n-1]
		return bb
	}
	return new(batchBuf)
}

// putBuf keeps a batch buffer for the next fetch. There are never more than the
// partitions' fetches plus the batches in flight in the job loop.
func (s *Source) putBuf(bb *batchBuf) {
	s.mu.Lock()
	s.free = append(s.free, bb)
	s.mu.Unlock()
}

// batchBuf is the memory behind one Batch, reused through the source's free list: the fetch
// response the records are sliced from, and the decompressed record sections.
type batchBuf struct {
	b   stream.Batch
	buf []byte // the fetch response
	dec []byte // decompressed records
	src *Source
}

func (bb *batchBuf) reset() {
	bb.dec = bb.dec[:0]
	bb.b.Records = bb.b.Records[:0]
	bb.b.Keys = bb.b.Keys[:0]
	bb.b.Partition = bb.b.Partition[:0]
	bb.b.Offset = bb.b.Offset[:0]
	bb.b.Timestamp = bb.b.Timestamp[:0]
}

// readPartition fetches one partition from p.start until p.stop (or forever).
func (s *Source) readPartition(ctx context.Context, p partitionPlan, out chan<- *stream.Batch) error {
	offset := p.start
	// An empty batch first registers the partition with its source task, as Flink's
	// KafkaSource assigns every split: a partition that never gets a record then holds
	// the task's watermark back until table.exec.source.idle-timeout marks it idle
	// (runtimelib/exec: a split is the minimum's only from its first batch).
	// Its Partition names the partition (no record), so its Position is the
	// partition's start.
	hello := &stream.Batch{Origin: p.tp.topic, Split: p.split, Owned: true, End: p.start, Partition: []int32{p.tp.partition}}
	select {
	case out <- hello:
	case <-ctx.Done():
		return ctx.Err()
	}
	backoff := retryBackoff
	f := newFetchConn(s, p.tp)
	defer f.close()
	// wait sleeps before a retry, doubling the next wait; false: ctx ended.
	wait := func() bool {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, maxRetryBackoff)
		return true
	}
	for {
		if p.stop >= 0 && offset >= p.stop {
			return nil
		}
		bb := s.getBuf()
		bb.reset()
		data, err := f.fetch(ctx, offset, bb)
		if err != nil {
			s.putBuf(bb)
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if errors.Is(err, kafkago.OffsetOutOfRange) {
				first, last, lerr := s.listOffsets(ctx, p.tp.topic, []int{int(p.tp.partition)})
				if lerr == nil {
					var o int64
					if o, lerr = s.reset(ctx, p.tp.topic, int(p.tp.partition), first[int(p.tp.partition)], last[int(p.tp.partition)], -1); lerr == nil {
						if s.Log != nil {
							s.Log.Warn("kafka offset out of range, reset", "table", s.table, "topic", p.tp.topic, "partition", p.tp.partition, "from", offset, "to", o)
						}
						offset = o
						continue
					}
				}
				if !retriable(lerr) {
					return lerr
				}
				// The broker went away while the offsets were asked for (a broker
				// restarted, ListOffsets: unexpected EOF): ask again.
				if s.Log != nil {
					s.Log.Warn("kafka offsets failed, retrying", "table", s.table, "topic", p.tp.topic, "partition", p.tp.partition, "err", lerr)
				}
				if !wait() {
					return ctx.Err()
				}
				continue
			}
			if !retriable(err) {
				return fmt.Errorf("table %s: kafka fetch %s[%d]@%d: %w", s.table, p.tp.topic, p.tp.partition, offset, err)
			}
			if s.Log != nil {
				s.Log.Warn("kafka fetch failed, retrying", "table", s.table, "topic", p.tp.topic, "partition", p.tp.partition, "err", err)
			}
			if !wait() {
				return ctx.Err()
			}
			continue
		}
		backoff = retryBackoff
		next, err := bb.appendBatches(data, p, offset)
		if err != nil {
			s.putBuf(bb)
			return fmt.Errorf("table %s: kafka read %s[%d]@%d: %w", s.table, p.tp.topic, p.tp.partition, offset, err)
		}
		s.noteLag(p.tp, f.hw, next)
		if next == offset {
			if len(data) > 0 {
				f.grow() // only part of a batch larger than the fetch size
			}
			s.putBuf(bb)
			continue // nothing new within MaxWait
		}
		offset = next
		if len(bb.b.Records) == 0 {
			// Only tombstones, control batches or records beyond the stop offset:
			// nothing to deliver. The durable position moves past them with the
			// partition's next batch.
			s.putBuf(bb)
			continue
		}
		bb.src = s
		bb.b.Origin, bb.b.Split, bb.b.End = p.tp.topic, p.split, next
		bb.b.Bytes = len(data)
		bb.b.SetRelease(bb.release)
		select {
		case out <- &bb.b:
		case <-ctx.Done():
			s.putBuf(bb)
			return ctx.Err()
		}
	}
}

// release returns the batch's memory to the free list. It does not move the partition's
// position: only Commit does, once the batch's results are durable.
func (bb *batchBuf) release(*stream.Batch) {
	s := bb.src
	bb.src = nil
	s.putBuf(bb)
}

// Resume makes Run start each partition named in positions (by topic and partition) at
// its offset, whatever scan.startup.mode says (stream.Resumable): where a checkpoint
// left it. Partitions not named (new ones) start as scan.startup.mode says. An offset no
// longer in the log resets as properties.auto.offset.reset says, with a warning.
func (s *Source) Resume(positions []stream.Position) error {
	s.resume = map[topicPartition]int64{}
	for _, p := range positions {
		if p.Offset < 0 {
			return fmt.Errorf("table %s: checkpointed offset %d of %s[%d] is negative", s.table, p.Offset, p.Name, p.Partition)
		}
		s.resume[topicPartition{p.Name, p.Partition}] = p.Offset
	}
	return nil
}

// Starts returns the offset each partition started at in this run (stream.Resumable),
// or, before Run found its partitions, the restored ones.
func (s *Source) Starts() []stream.Position {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.splits != nil {
		return slices.Clone(s.starts)
	}
	var out []stream.Position
	for tp, o := range s.resume {
		out = append(out, stream.Position{Split: -1, Name: tp.topic, Partition: tp.partition, Offset: o})
	}
	return out
}

// Table is the name of the table the source reads.
func (s *Source) Table() string { return s.table }
