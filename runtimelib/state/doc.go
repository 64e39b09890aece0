// Package state holds the keyed state of generated jobs.
//
// Pages is where an aggregate keeps the states of its groups: an append-only table of
// fixed-size pages, addressed by an int32 index that the aggregate's map holds. It
// grows a page at a time, so a million groups never copy the states already there
// (a growing slice would copy them on every doubling, leaving the old arrays as
// garbage and the peak memory near three times the states' size) and never leave
// more than one page unused.
package state
