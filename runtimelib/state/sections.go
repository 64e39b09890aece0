package state

import "github.com/sqlc-stream/sqlc-stream/runtimelib/codec"

// Named sections. An entry may hold parts that come and go as a job is edited: an
// aggregate's group keeps, per reader of the aggregate (a sink, or an aggregate above),
// what that reader was last sent. Each such part is a codec section
// (Writer.BeginSection), and the snapshot starts with the sections' names, so a restore
// into a job whose entries have other sections matches them by name: a section the job
// no longer has is skipped, a section the job added is left zero (the caller learns
// that one was added, to emit every entry to the new reader).

// WriteSectionNames writes the names of the sections every entry of the snapshot holds,
// in order.
func WriteSectionNames(w *codec.Writer, names []string) {
	w.Uint64(uint64(len(names)))
	for _, n := range names {
		w.String(n)
	}
}

// ReadSectionNames reads what WriteSectionNames wrote and matches it to the job's
// sections: match[i] is the index in current of the snapshot's section i, or -1 when
// the job has no such section (names that occur several times match in order). added
// reports a section of current that the snapshot does not hold.
func ReadSectionNames(r *codec.Reader, current []string) (match []int, added bool) {
	n := r.Length()
	if r.Err() == nil && n > r.Len() {
		r.Fail("%d section names, %d bytes left", n, r.Len())
	}
	used := make([]bool, len(current))
	for i := 0; i < n && r.Err() == nil; i++ {
		name, k := r.String(), -1
		for j, c := range current {
			if !used[j] && c == name {
				k, used[j] = j, true
				break
			}
		}
		match = append(match, k)
	}
	for _, u := range used {
		added = added || !u
	}
	return match, added
}
