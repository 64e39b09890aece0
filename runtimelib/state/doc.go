// Package state holds the keyed state of generated jobs.
//
// # Building blocks
//
// Pages is where an operator keeps its states: a table of fixed-size pages, addressed
// by an int32 index. It grows a page at a time, so a million groups never copy the
// states already there (a growing slice would copy them on every doubling, leaving the
// old arrays as garbage and the peak memory near three times the states' size) and
// never leave more than one page unused. Free zeroes a state and puts its slot on a
// free list that the next Append takes from, so a table whose keys come and go stays
// the size of its largest population.
//
// Index finds a state from its key's hash: an open-addressing table of 8-byte slots
// holding a hash tag and a state index. Keys are kept once, in the states; the caller
// compares its key with each candidate's. Delete uses backward-shift deletion: no
// tombstones, so lookups after any number of deletes probe as in a table that never
// had the deleted keys, and the index never fills with dead slots.
//
// # Table
//
// Table is the keyed state of one operator in one task, built from the two: it adds
// the key group of each entry, a last-write time per entry when a TTL is set, a dirty
// list, and snapshot/restore. Per entry it costs the state, about 16 bytes of index,
// 2 bytes of key group, 8 bytes of write time with a TTL, and 4 bytes once MarkDirty
// is used. The code generated for an aggregate keyed by a province looks like this
// (golden/testdata/cdn_local.txtar has all of it):
//
//	type agg0State struct {
//		key    agg0Key // agg0Key{province string; provinceNull bool}
//		count0 agg.Count
//		dirty  bool // listed in the table's dirty list: a cheaper test than MarkDirty's
//	}
//
//	type agg0Table struct {
//		state.Table[agg0State]
//		keyGroups int    // pipeline.max-parallelism: a new group's key group is computed under it
//		keyBuf    []byte // scratch for a key's canonical bytes
//	}
//
//	// The task's init: ttl is table.exec.state.ttl, now the task's clock.
//	t.Init(state.TableConfig[agg0State]{
//		Hash: func(st *agg0State) uint64 { return state.HashString(st.key.province) },
//		Now:  now,
//		TTL:  ttl,
//	})
//
//	// Per batch: the processing time that writes record and expiry compares with
//	// (with a TTL only: without, Tick reads no clock).
//	p.agg0.Tick()
//
//	// Per record: find the group, or add it. A NULL key hashes as its zero value and
//	// compares with its NULL flag.
//	h := state.HashString(province)
//	idx, pos := p.agg0.Lookup(h)
//	for idx >= 0 && p.agg0.At(idx).key != (agg0Key{province: province, provinceNull: provinceNull}) {
//		idx, pos = p.agg0.Next(h, pos)
//	}
//	if idx < 0 || !p.agg0.Live(h, idx) { // Live: false for an expired entry, now deleted
//		k := agg0Key{province: strings.Clone(province), provinceNull: provinceNull}
//		idx = p.agg0.Insert(h, p.agg0.group(&k), agg0State{key: k}) // the key outlives the batch
//	} else {
//		p.agg0.Touch(idx) // a write: with a TTL, the entry lives on
//	}
//	st := p.agg0.At(idx)
//	if !st.dirty {
//		st.dirty = true
//		p.agg0.MarkDirty(idx)
//	}
//	st.count0.Add()
//
//	// The flush: emit the changed groups, in first-change order.
//	for _, idx := range p.agg0.Dirty() {
//		if idx < 0 {
//			continue // expired since it changed
//		}
//		st := p.agg0.At(idx)
//		... emit ...
//	}
//	// Then clean: unmark them, and delete those whose rows were all retracted (as
//	// Flink deletes a group's state when its record count reaches 0).
//	for _, idx := range t.Dirty() {
//		...
//		st.dirty = false
//		if st.records == 0 {
//			t.Remove(idx)
//		}
//	}
//	t.ClearDirty()
//	// A bounded amount of expiry, at every barrier.
//	p.agg0.Cleanup(4096 + p.agg0.Len()/64)
//
//	// At a checkpoint barrier, after the flush (the dirty list is not snapshotted):
//	t.Snapshot(w, func(w *codec.Writer, st *agg0State) { st.encode(w) })
//	// and on start, from each old task's snapshot in turn, keeping the key groups the
//	// task owns under the parallelism it runs with:
//	err := t.Restore(r, func(r *codec.Reader, st *agg0State) { st.decode(r) }, p.task.OwnsKeyGroup)
//
// Insert and Lookup stay allocation-free, and without a TTL Live and Touch are one
// predictable branch each. Deleted entries leave the dirty list by themselves (their
// place reads -1, so slices kept parallel to it stay aligned), and a deleted entry's
// slot, zeroed, is reused by a later Insert: a pointer from At is valid until its entry
// is deleted.
//
// # Time to live
//
// TableConfig.TTL is Flink's table.exec.state.ttl, with the semantics Flink's SQL
// operators give it (StateTtlConfigUtil): processing time; OnCreateAndWrite (Insert
// and Touch start an entry's life again, reads do not); NeverReturnExpired (Live turns
// a lookup of an expired entry into a miss, expiring it on the spot). The rest is
// removed incrementally, as Flink's incremental cleanup does: each Cleanup call examines
// a bounded number of slots, resuming where the last one stopped. Without a TTL no
// write time is kept and nothing expires.
//
// Flink's operators are not told when their state expires: GroupAggFunction's state
// simply vanishes, and the key's next row starts a new group and is sent as +I (a
// retracting sink sees a second +I without a -U). A Table calls OnExpire with each
// entry it expires, just before deleting it, whichever way it expires (Live or
// Cleanup). An aggregate that follows Flink leaves it nil or uses it only to release
// what the entry refers to outside the table; it may instead emit a -D for the group's
// last row, which Flink never does, and which should then be documented as our
// behaviour. Either way the entry is already off the dirty list's live entries once
// deleted.
//
// # Key groups
//
// Each entry belongs to a key group, murmur2 of its canonical key bytes mod the job's
// number of key groups K, which the caller computes once per new key and passes to
// Insert (the table only stores it, below MaxKeyGroups). A task at parallelism N owns
// the key groups g with g mod N equal to its number. Snapshots are written per key
// group, so that a job restored at another parallelism has each task take its key
// groups from the snapshots of all the old tasks.
//
// # Snapshots
//
// Snapshot writes the live entries (expired ones not cleaned up yet included) as a
// header with a magic number, format version and key-group block count, then one block
// per key group with entries: its key group, entry count, whether write times follow,
// and each entry length-prefixed, its write time and the bytes of the generated codec
// (runtimelib/codec). Header and blocks carry a CRC-32C each. Hashes are never written:
// hash seeds are per process, so Restore hashes every restored entry with
// TableConfig.Hash and rebuilds the index. A corrupt or truncated snapshot fails with
// an error that says what is wrong and where (wrapping codec.ErrCorrupt), never a
// panic or an allocation larger than the input implies: every block's checksum is
// checked before any entry is decoded, entry counts are bounded by their block's size,
// and a state codec that reads more or less than its entry's length fails as a layout
// mismatch.
//
// Parts of an entry that an edit of the job may add or drop (what each reader of an
// aggregate keeps) are codec sections (Writer.BeginSection), whose names a snapshot
// lists first (WriteSectionNames); ReadSectionNames matches them to the job's, so the
// generated decoder skips a dropped part and leaves a new one zero (sections.go).
package state
