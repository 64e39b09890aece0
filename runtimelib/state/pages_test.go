package state

import "testing"

type group struct {
	key   string
	count int64
}

func TestPages(t *testing.T) {
	var p Pages[group]
	const n = 3*pageSize + 7
	var first *group
	for i := range n {
		idx := p.Append(group{key: "k", count: int64(i)})
		if int(idx) != i {
			t.Fatalf("Append #%d returned index %d", i, idx)
		}
		if i == 0 {
			first = p.At(0)
		}
	}
	if p.Len() != n {
		t.Fatalf("Len = %d, want %d", p.Len(), n)
	}
	for i := range n {
		if got := p.At(int32(i)).count; got != int64(i) {
			t.Fatalf("At(%d).count = %d", i, got)
		}
	}
	// Pages never move: a pointer taken before growth still addresses the table.
	first.count = -1
	if p.At(0).count != -1 {
		t.Fatal("the first page moved while the table grew")
	}
	if len(p.col.pages) != 4 {
		t.Errorf("%d pages for %d states, want 4", len(p.col.pages), n)
	}
	p.Reset()
	if p.Len() != 0 || p.col.pages != nil {
		t.Errorf("Reset left %d states in %d pages", p.Len(), len(p.col.pages))
	}
	if idx := p.Append(group{key: "again"}); idx != 0 || p.At(0).key != "again" {
		t.Errorf("after Reset, Append returned %d, At(0) = %+v", idx, *p.At(0))
	}
}

// BenchmarkPages is a CDN-like update: 34 groups, one lookup per record; the slice
// baseline is what the generated code did before.
func BenchmarkPages(b *testing.B) {
	var p Pages[group]
	for range 34 {
		p.Append(group{})
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p.At(int32(i%34)).count++
	}
}

func BenchmarkPagesBaselineSlice(b *testing.B) {
	s := make([]group, 34)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		(&s[i%34]).count++
	}
}

func TestPagesFree(t *testing.T) {
	var p Pages[group]
	for i := range 5 {
		p.Append(group{key: "k", count: int64(i)})
	}
	p.Free(1)
	p.Free(3)
	if p.Len() != 3 || p.End() != 5 {
		t.Fatalf("after two frees: Len %d, End %d, want 3 and 5", p.Len(), p.End())
	}
	if *p.At(1) != (group{}) || *p.At(3) != (group{}) {
		t.Fatalf("freed slots not zeroed: %+v %+v", *p.At(1), *p.At(3))
	}
	// The most recently freed slot comes back first; then the table grows again.
	for _, want := range []int32{3, 1, 5} {
		if idx := p.Append(group{key: "new"}); idx != want {
			t.Fatalf("Append returned %d, want %d", idx, want)
		}
	}
	if p.Len() != 6 || p.End() != 6 || p.At(1).key != "new" {
		t.Errorf("after reuse: Len %d, End %d, At(1) %+v", p.Len(), p.End(), *p.At(1))
	}
}
