package window

import "fmt"

// Kind is the kind of an aligned window.
type Kind uint8

const (
	Tumble Kind = iota + 1
	Hop
	Cumulate
)

// Assigner assigns rows to slices and slices to windows, for one window definition.
type Assigner struct {
	kind   Kind
	size   int64 // the window size (CUMULATE: the maximum size)
	slide  int64 // HOP's slide, CUMULATE's step; TUMBLE: the size
	offset int64 // where windows start: modulo slide for HOP and TUMBLE, modulo size for CUMULATE
	endOff int64 // where HOP windows end, modulo slide: offset + size
	slice  int64
}

// NewTumble is TUMBLE(size [, offset]).
func NewTumble(size, offset int64) *Assigner {
	return &Assigner{kind: Tumble, size: size, slide: size, offset: mod(offset, size), slice: size}
}

// NewHop is HOP(slide, size [, offset]).
func NewHop(slide, size, offset int64) *Assigner {
	return &Assigner{kind: Hop, size: size, slide: slide, offset: mod(offset, slide), endOff: mod(offset+size, slide), slice: gcd(size, slide)}
}

// NewCumulate is CUMULATE(step, size [, offset]); size is a multiple of step.
func NewCumulate(step, size, offset int64) *Assigner {
	return &Assigner{kind: Cumulate, size: size, slide: step, offset: mod(offset, size), slice: step}
}

// Check reports a definition Flink rejects, or nil.
func Check(kind Kind, size, slide int64) error {
	switch {
	case size <= 0:
		return fmt.Errorf("the window size must be positive")
	case kind != Tumble && slide <= 0:
		return fmt.Errorf("the window slide (step) must be positive")
	case kind == Cumulate && size%slide != 0:
		return fmt.Errorf("CUMULATE's max size must be an integral multiple of its step")
	}
	return nil
}

// Slice is the slice size.
func (a *Assigner) Slice() int64 { return a.slice }

// SlicesPerWindow is the number of slices of the largest window.
func (a *Assigner) SlicesPerWindow() int { return int(a.size / a.slice) }

// SliceEnd is the end of the slice of time t.
func (a *Assigner) SliceEnd(t int64) int64 { return floorTo(t-a.offset, a.slice) + a.offset + a.slice }

// FirstWindowEnd is the end of the first window that holds slice s.
func (a *Assigner) FirstWindowEnd(s int64) int64 {
	if a.kind == Hop {
		return ceilTo(s-a.endOff, a.slide) + a.endOff
	}
	return s
}

// LastWindowEnd is the end of the last window that holds slice s: once the watermark
// reached it, the slice is freed and a row of it is late.
func (a *Assigner) LastWindowEnd(s int64) int64 {
	switch a.kind {
	case Hop:
		return floorTo(s-a.slice+a.size-a.endOff, a.slide) + a.endOff
	case Cumulate:
		return floorTo(s-a.slice-a.offset, a.size) + a.offset + a.size
	}
	return s
}

// WindowStart is the start of the window ending e.
func (a *Assigner) WindowStart(e int64) int64 {
	if a.kind == Cumulate {
		return floorTo(e-1-a.offset, a.size) + a.offset
	}
	return e - a.size
}

// NextWindowEnd is the end of the window after the one ending e that holds the slices
// of e's window that outlive it (HOP: e + slide; CUMULATE: e + step in the same
// period).
func (a *Assigner) NextWindowEnd(e int64) int64 { return e + a.slide }

// NextFire is the end of the first window holding slice s that ends after the
// watermark wm (a restored slice's next window), and false when none does.
func (a *Assigner) NextFire(s, wm int64) (int64, bool) {
	first, last := a.FirstWindowEnd(s), a.LastWindowEnd(s)
	e := first
	if e <= wm {
		e = first + ceilTo(wm+1-first, a.slide)
	}
	return e, e <= last
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// mod is a modulo m in [0, m).
func mod(a, m int64) int64 {
	r := a % m
	if r < 0 {
		r += m
	}
	return r
}

// floorTo rounds t down to a multiple of m.
func floorTo(t, m int64) int64 { return t - mod(t, m) }

// ceilTo rounds t up to a multiple of m.
func ceilTo(t, m int64) int64 {
	if r := mod(t, m); r != 0 {
		return t - r + m
	}
	return t
}
