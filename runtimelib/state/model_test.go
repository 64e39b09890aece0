package state

import (
	"fmt"
	"hash/maphash"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
)

// tableModel checks a Table against a Go map through random sequences of inserts,
// lookups, deletes, clock advances, cleanups, flushes of the dirty list, and
// snapshot/restore into a new "process" whose hash seed differs.
type tableModel struct {
	t       *testing.T
	rng     *rand.Rand
	ttl     int64
	now     int64
	tb      *Table[group]
	hash    func(string) uint64
	expired []string // what OnExpire reported since the last check

	want  map[string]modelEntry
	dirty []string // keys marked since the last flush, in first-mark order
}

type modelEntry struct{ count, written int64 }

// newProcess gives the model a fresh table with a hash seeded anew, as a restarted
// process would have.
func (m *tableModel) newProcess() {
	seed := maphash.MakeSeed()
	m.hash = func(k string) uint64 { return maphash.String(seed, k) }
	m.tb = &Table[group]{}
	m.tb.Init(TableConfig[group]{
		Hash:     func(s *group) uint64 { return m.hash(s.key) },
		TTL:      time.Duration(m.ttl) * time.Millisecond,
		OnExpire: func(_ int32, s *group) { m.expired = append(m.expired, s.key) },
	})
	m.tb.SetNow(m.now)
}

// lookup probes the table for k, as generated code does.
func (m *tableModel) lookup(k string) int32 {
	h := m.hash(k)
	idx, pos := m.tb.Lookup(h)
	for idx >= 0 && m.tb.At(idx).key != k {
		idx, pos = m.tb.Next(h, pos)
	}
	if idx >= 0 && !m.tb.Live(h, idx) {
		return -1
	}
	return idx
}

// modelLookup is the model's lookup: an expired entry is dropped (and expected on
// OnExpire) and reads as missing.
func (m *tableModel) modelLookup(k string) (modelEntry, bool, []string) {
	e, ok := m.want[k]
	if ok && m.ttl != 0 && m.now-e.written >= m.ttl {
		m.drop(k)
		return e, false, []string{k}
	}
	return e, ok, nil
}

func (m *tableModel) drop(k string) {
	delete(m.want, k)
	m.dirty = slices.DeleteFunc(m.dirty, func(d string) bool { return d == k })
}

func (m *tableModel) checkExpired(step int, op string, want []string) {
	m.t.Helper()
	slices.Sort(want)
	slices.Sort(m.expired)
	if !slices.Equal(m.expired, want) {
		m.t.Fatalf("step %d, %s: OnExpire got %v, want %v", step, op, m.expired, want)
	}
	m.expired = m.expired[:0]
}

func (m *tableModel) step(step int) {
	k := fmt.Sprint(m.rng.IntN(500))
	switch op := m.rng.IntN(100); {
	case op < 35: // an aggregate's update: upsert and mark dirty
		e, ok, exp := m.modelLookup(k)
		idx := m.lookup(k)
		m.checkExpired(step, "upsert "+k, exp)
		if (idx >= 0) != ok {
			m.t.Fatalf("step %d: upsert %s: table has it: %v, model: %v", step, k, idx >= 0, ok)
		}
		if ok {
			m.tb.At(idx).count++
			m.tb.Touch(idx)
			e.count++
		} else {
			idx = m.tb.Insert(m.hash(k), keyGroup(k), group{key: k, count: 1})
			e.count = 1
		}
		e.written = m.now
		m.want[k] = e
		m.tb.MarkDirty(idx)
		if !slices.Contains(m.dirty, k) {
			m.dirty = append(m.dirty, k)
		}
	case op < 55: // a read: does not extend the life
		e, ok, exp := m.modelLookup(k)
		idx := m.lookup(k)
		m.checkExpired(step, "lookup "+k, exp)
		switch {
		case (idx >= 0) != ok:
			m.t.Fatalf("step %d: lookup %s: table has it: %v, model: %v", step, k, idx >= 0, ok)
		case ok && (m.tb.At(idx).count != e.count || m.tb.Group(idx) != keyGroup(k)):
			m.t.Fatalf("step %d: %s: %+v in group %d, model count %d", step, k, *m.tb.At(idx), m.tb.Group(idx), e.count)
		}
	case op < 70:
		_, ok, exp := m.modelLookup(k)
		idx := m.lookup(k)
		m.checkExpired(step, "delete "+k, exp)
		if (idx >= 0) != ok {
			m.t.Fatalf("step %d: delete %s: table has it: %v, model: %v", step, k, idx >= 0, ok)
		}
		if ok {
			m.tb.Delete(m.hash(k), idx)
			m.drop(k)
		}
	case op < 80:
		if m.ttl != 0 {
			m.now += m.rng.Int64N(m.ttl / 4)
			m.tb.SetNow(m.now)
		}
	case op < 90:
		budget := m.rng.IntN(200)
		n := m.tb.Cleanup(budget)
		if len(m.expired) != n {
			m.t.Fatalf("step %d: Cleanup returned %d, reported %d", step, n, len(m.expired))
		}
		for _, k := range m.expired {
			e, ok := m.want[k]
			if !ok || m.now-e.written < m.ttl {
				m.t.Fatalf("step %d: Cleanup expired %s, which the model has as %+v (present %v) at %d", step, k, e, ok, m.now)
			}
			m.drop(k)
		}
		m.expired = m.expired[:0]
	case op < 99:
		m.flush(step)
	default: // a checkpoint and a restart: flush, snapshot, restore in a new process
		m.flush(step)
		var w codec.Writer
		m.tb.Snapshot(&w, encodeGroup)
		m.newProcess()
		r := codec.NewReader(w.Buf)
		if err := m.tb.Restore(r, decodeGroup, nil); err != nil {
			m.t.Fatalf("step %d: restore: %v", step, err)
		}
		if err := r.Done(); err != nil {
			m.t.Fatalf("step %d: restore: %v", step, err)
		}
	}
	if m.tb.Len() != len(m.want) {
		m.t.Fatalf("step %d: Len %d, model %d", step, m.tb.Len(), len(m.want))
	}
}

// flush compares the dirty list with the model's, then clears both.
func (m *tableModel) flush(step int) {
	var got []string
	for _, idx := range m.tb.Dirty() {
		if idx >= 0 {
			got = append(got, m.tb.At(idx).key)
		}
	}
	if !slices.Equal(got, m.dirty) {
		m.t.Fatalf("step %d: dirty %v, model %v", step, got, m.dirty)
	}
	m.tb.ClearDirty()
	m.dirty = m.dirty[:0]
}

func TestTableAgainstModel(t *testing.T) {
	for _, ttl := range []int64{0, 100} {
		t.Run(fmt.Sprintf("ttl=%dms", ttl), func(t *testing.T) {
			m := &tableModel{t: t, rng: rand.New(rand.NewPCG(uint64(ttl), 7)), ttl: ttl, now: 1_000, want: map[string]modelEntry{}}
			m.newProcess()
			for i := range 100_000 {
				m.step(i)
			}
		})
	}
}
