package filesystem

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

type gotLine struct {
	where string
	text  string
}

// collect runs s to the end and returns every record with its Where, releasing each
// batch after reading it (as the job loop does). It checks every batch's position.
func collect(t *testing.T, s *Source) []gotLine {
	t.Helper()
	out := make(chan *stream.Batch, 4)
	errc := make(chan error, 1)
	go func() {
		errc <- s.Run(context.Background(), out)
		close(out)
	}()
	var got []gotLine
	ends := map[int32]int64{}
	for i, f := range s.files {
		if o := s.resume[f]; o > 0 {
			ends[int32(i)] = o // a resumed file's first batch starts there
		}
	}
	for b := range out {
		checkPosition(t, s, b, ends)
		b.Prepare() // as the job loop does
		for i, r := range b.Records {
			got = append(got, gotLine{b.Where(i), string(r)})
		}
		b.Release()
	}
	if err := <-errc; err != nil {
		t.Fatalf("Run: %v", err)
	}
	for split, end := range ends {
		if f := s.files[split]; decompressed(f) {
			if st, err := os.Stat(f); err != nil || st.Size() != end {
				t.Errorf("%s: the last batch ends at %d, not at the end of the file (%v)", f, end, err)
			}
		}
	}
	return got
}

// decompressed reports whether the source reads a file's bytes as they are.
func decompressed(path string) bool {
	switch filepath.Ext(path) {
	case ".gz", ".gzip", ".bz2", ".deflate":
		return false
	}
	return true
}

// checkPosition checks that a batch's Split is its file and that its raw lines are the
// file's bytes right before its End, after the previous batch of the file (ends).
func checkPosition(t *testing.T, s *Source, b *stream.Batch, ends map[int32]int64) {
	t.Helper()
	if int(b.Split) >= len(s.files) || s.files[b.Split] != b.Origin {
		t.Fatalf("batch of %s has split %d (files %v)", b.Origin, b.Split, s.files)
	}
	prev := ends[b.Split]
	ends[b.Split] = b.End
	if b.End <= prev {
		t.Fatalf("%s: batch ends at %d, after one that ended at %d", b.Origin, b.End, prev)
	}
	if !decompressed(b.Origin) {
		return
	}
	content, err := os.ReadFile(b.Origin)
	if err != nil {
		t.Fatal(err)
	}
	start := b.End - int64(len(b.Raw))
	if b.End > int64(len(content)) || !bytes.Equal(content[start:b.End], b.Raw) || (prev != start && !(prev == 0 && bytes.Equal(content[:start], []byte{0xEF, 0xBB, 0xBF}))) {
		t.Fatalf("%s: batch [%d:%d] after %d does not hold the file's bytes there", b.Origin, start, b.End, prev)
	}
}

func write(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func resolved(path string) *options.Resolved {
	return &options.Resolved{Table: "t", Connector: "filesystem", Format: "csv",
		Values: map[string]string{"path": path}}
}

func TestLinesOfAFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.csv")
	write(t, p, "\xEF\xBB\xBFone,1\r\ntwo,2\n\nthree,3\r\n\r\n\nfour,4")
	s, err := NewSource(resolved(p))
	if err != nil {
		t.Fatal(err)
	}
	want := []gotLine{
		{p + ":1", "one,1"},
		{p + ":2", "two,2"},
		{p + ":4", "three,3"},
		{p + ":7", "four,4"},
	}
	if got := collect(t, s); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

func TestFileURIAndEmptyFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "empty.csv")
	write(t, p, "")
	s, err := NewSource(resolved("file://" + p))
	if err != nil {
		t.Fatal(err)
	}
	if got := collect(t, s); len(got) != 0 {
		t.Errorf("empty file gave %q", got)
	}
	write(t, p, "\n\n\r\n")
	if got := collect(t, s); len(got) != 0 {
		t.Errorf("file of empty lines gave %q", got)
	}
}

// TestChunkBoundaries reads the same content with every small chunk size and batch size,
// so lines straddle chunks, long lines grow the buffer, and batches split at the limit.
func TestChunkBoundaries(t *testing.T) {
	var content strings.Builder
	var want []string
	var wantLines []int64
	line := int64(0)
	for i := 0; i < 200; i++ {
		line++
		switch {
		case i%17 == 0:
			content.WriteString("\n") // empty, skipped
			continue
		case i%23 == 0:
			content.WriteString("\r\n")
			continue
		}
		text := fmt.Sprintf("line-%d-%s", i, strings.Repeat("x", (i*7)%50))
		if i%31 == 0 {
			text = strings.Repeat("L", 300+i) // longer than any test chunk
		}
		want = append(want, text)
		wantLines = append(wantLines, line)
		if i%3 == 0 {
			content.WriteString(text + "\r\n")
		} else {
			content.WriteString(text + "\n")
		}
	}
	content.WriteString("last-without-newline")
	want = append(want, "last-without-newline")
	wantLines = append(wantLines, line+1)

	dir := t.TempDir()
	p := filepath.Join(dir, "data.txt")
	write(t, p, content.String())
	for _, chunk := range []int{1, 2, 3, 7, 16, 64, 100, 1 << 16} {
		s := newSource("t", []string{p}, chunk)
		got := collect(t, s)
		if len(got) != len(want) {
			t.Fatalf("chunk %d: %d records, want %d", chunk, len(got), len(want))
		}
		for i := range want {
			w := gotLine{fmt.Sprintf("%s:%d", p, wantLines[i]), want[i]}
			if got[i] != w {
				t.Fatalf("chunk %d: record %d = %q, want %q", chunk, i, got[i], w)
			}
		}
	}
}

func TestDirectory(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "b.csv"), "b1\nb2\n")
	write(t, filepath.Join(dir, "a.csv"), "a1\n")
	write(t, filepath.Join(dir, "sub", "c.csv"), "c1\n")
	write(t, filepath.Join(dir, ".hidden.csv"), "hidden\n")
	write(t, filepath.Join(dir, "_SUCCESS"), "marker\n")
	write(t, filepath.Join(dir, ".git", "x.csv"), "hidden dir\n")
	write(t, filepath.Join(dir, "_tmp", "y.csv"), "hidden dir\n")
	if err := os.Symlink(filepath.Join(dir, "a.csv"), filepath.Join(dir, "link.csv")); err != nil {
		t.Fatal(err)
	}

	s, err := NewSource(resolved(dir))
	if err != nil {
		t.Fatal(err)
	}
	want := []gotLine{
		{filepath.Join(dir, "a.csv") + ":1", "a1"},
		{filepath.Join(dir, "b.csv") + ":1", "b1"},
		{filepath.Join(dir, "b.csv") + ":2", "b2"},
		{filepath.Join(dir, "link.csv") + ":1", "a1"},
		{filepath.Join(dir, "sub", "c.csv") + ":1", "c1"},
	}
	if got := collect(t, s); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}

	r := resolved(dir)
	r.Values["source.path.regex-pattern"] = `.*/[ab]\.csv`
	s, err = NewSource(r)
	if err != nil {
		t.Fatal(err)
	}
	if got := collect(t, s); !reflect.DeepEqual(got, want[:3]) {
		t.Errorf("with regex: got %q\nwant %q", got, want[:3])
	}
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := NewSource(resolved(filepath.Join(dir, "missing.csv")))
	if err == nil || !strings.Contains(err.Error(), "missing.csv does not exist") {
		t.Errorf("missing path: err = %v", err)
	}
	r := resolved(dir)
	r.Values["source.path.regex-pattern"] = `(`
	if _, err := NewSource(r); err == nil || !strings.Contains(err.Error(), "source.path.regex-pattern") {
		t.Errorf("bad regex: err = %v", err)
	}
}

func TestCancel(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "big.txt")
	write(t, p, strings.Repeat("some line\n", 10000))
	s := newSource("t", []string{p}, 64)
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan *stream.Batch) // unbuffered: the source blocks on the first send
	errc := make(chan error, 1)
	go func() { errc <- s.Run(ctx, out) }()
	b := <-out
	b.Release()
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("Run after cancel = %v, want context.Canceled", err)
	}
}

// TestReleaseRecycles checks that released chunks are reused and that records of a batch
// stay intact while it is held, even as the source reads on.
func TestReleaseRecycles(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f.txt")
	var sb strings.Builder
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&sb, "row %06d\n", i)
	}
	write(t, p, sb.String())
	s := newSource("t", []string{p}, 4096)
	out := make(chan *stream.Batch, 1000)
	if err := s.Run(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	close(out)
	i := 0
	var held []*stream.Batch
	for b := range out {
		b.Prepare()
		for _, r := range b.Records {
			if want := fmt.Sprintf("row %06d", i); string(r) != want {
				t.Fatalf("record %d = %q, want %q", i, r, want)
			}
			i++
		}
		held = append(held, b)
	}
	if i != 5000 {
		t.Fatalf("%d records, want 5000", i)
	}
	for _, b := range held {
		b.Release()
		b.Release() // a second release is harmless
	}
	// A second run reuses pooled chunks and batches and still yields the same lines.
	if got := collect(t, s); len(got) != 5000 || got[4999].text != "row 004999" {
		t.Errorf("second run: %d records", len(got))
	}
}

func BenchmarkRead(b *testing.B) {
	dir := b.TempDir()
	p := filepath.Join(dir, "f.csv")
	var sb strings.Builder
	for i := 0; i < 200000; i++ {
		fmt.Fprintf(&sb, "%d,1.2.3.%d,some-uuid-%d,%d\n", i, i%256, i, i*13)
	}
	write(b, p, sb.String())
	s := newSource("t", []string{p}, defaultChunkSize)
	b.SetBytes(int64(sb.Len()))
	b.ReportAllocs()
	for b.Loop() {
		out := make(chan *stream.Batch, 8)
		go func() { s.Run(context.Background(), out); close(out) }()
		n := 0
		for batch := range out {
			batch.Prepare()
			n += len(batch.Records)
			batch.Release()
		}
		if n != 200000 {
			b.Fatal(n)
		}
	}
}

// TestRandomContentMatchesReference compares the source with a plain reference split of
// random files (random line lengths, CR, empty lines, final newline or not) at random
// chunk and batch sizes. The generator is seeded, so the test is deterministic.
func TestRandomContentMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	dir := t.TempDir()
	for iter := 0; iter < 200; iter++ {
		var sb strings.Builder
		for n := rng.IntN(60); n > 0; n-- {
			switch rng.IntN(6) {
			case 0:
				sb.WriteString("\n")
			case 1:
				sb.WriteString("\r\n")
			case 2:
				sb.WriteString(strings.Repeat("y", rng.IntN(700)) + "\r\n")
			default:
				sb.WriteString(strings.Repeat("z", rng.IntN(40)) + fmt.Sprint(n) + "\n")
			}
		}
		if rng.IntN(2) == 0 {
			sb.WriteString("tail" + strings.Repeat("t", rng.IntN(300)))
		}
		content := sb.String()
		p := filepath.Join(dir, fmt.Sprintf("f%d.txt", iter))
		write(t, p, content)

		var want []gotLine
		for i, l := range strings.Split(content, "\n") {
			l = strings.TrimSuffix(l, "\r")
			if l != "" {
				want = append(want, gotLine{fmt.Sprintf("%s:%d", p, i+1), l})
			}
		}
		s := newSource("t", []string{p}, 1+rng.IntN(512))
		got := collect(t, s)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("file %d (chunk %d): got %d records, want %d\ncontent %q", iter, s.chunkSize, len(got), len(want), content)
		}
	}
}

func TestCompressedFiles(t *testing.T) {
	dir := t.TempDir()
	content := "a,1\r\n\nb,2\nc,3"
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(content))
	zw.Close()
	write(t, filepath.Join(dir, "part-0.csv.gz"), gz.String())
	var fl bytes.Buffer
	fw, _ := flate.NewWriter(&fl, flate.BestSpeed)
	fw.Write([]byte(content))
	fw.Close()
	write(t, filepath.Join(dir, "part-1.csv.deflate"), fl.String())

	s, err := NewSource(resolved(dir))
	if err != nil {
		t.Fatal(err)
	}
	var want []gotLine
	for _, name := range []string{"part-0.csv.gz", "part-1.csv.deflate"} {
		p := filepath.Join(dir, name)
		want = append(want, gotLine{p + ":1", "a,1"}, gotLine{p + ":3", "b,2"}, gotLine{p + ":4", "c,3"})
	}
	if got := collect(t, s); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}

	// A corrupt gzip file is an error naming the file.
	bad := filepath.Join(dir, "bad.gz")
	write(t, bad, "not gzip")
	out := make(chan *stream.Batch, 4)
	err = newSource("t", []string{bad}, 64).Run(context.Background(), out)
	if err == nil || !strings.Contains(err.Error(), "bad.gz") {
		t.Errorf("corrupt gzip: err = %v", err)
	}
}

// Resumed at the end of any batch (a checkpoint's position), a source delivers exactly
// the records after it, with their line numbers, in plain and compressed files; files
// it was not told about start at 0, and a file shorter than its position is an error.
func TestResume(t *testing.T) {
	dir := t.TempDir()
	var content strings.Builder
	content.WriteString("\xEF\xBB\xBF")
	for i := range 300 {
		if i%13 == 0 {
			content.WriteString("\n")
		}
		fmt.Fprintf(&content, "r%d,%s\n", i, strings.Repeat("y", i%40))
	}
	plain := filepath.Join(dir, "a.csv")
	write(t, plain, content.String())
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(content.String()))
	zw.Close()
	zipped := filepath.Join(dir, "b.csv.gz")
	write(t, zipped, gz.String())
	other := filepath.Join(dir, "c.csv")
	write(t, other, "x1\nx2\n")

	for _, f := range []string{plain, zipped} {
		full := newSource("t", []string{f, other}, 97)
		all := collect(t, full)
		// The end of every batch of f, from a run that records them.
		var ends []int64
		out := make(chan *stream.Batch, 1000)
		if err := newSource("t", []string{f}, 97).Run(context.Background(), out); err != nil {
			t.Fatal(err)
		}
		close(out)
		for b := range out {
			ends = append(ends, b.End)
			b.Release()
		}
		for k, end := range ends {
			s := newSource("t", []string{f, other}, 97)
			if err := s.Resume([]stream.Position{{Name: f, Offset: end}}); err != nil {
				t.Fatal(err)
			}
			got := collect(t, s)
			skipped := len(all) - len(got)
			if skipped < 0 || !reflect.DeepEqual(got, all[skipped:]) {
				t.Fatalf("%s resumed after batch %d (byte %d): got %d records %v..., want the last %d of %d", f, k, end, len(got), got[:min(2, len(got))], len(got), len(all))
			}
			if k == len(ends)-1 && len(got) != 2 {
				t.Errorf("%s resumed at its end: %d records, want only c.csv's 2", f, len(got))
			}
		}
	}

	s := newSource("t", []string{plain}, 97)
	s.Resume([]stream.Position{{Name: plain, Offset: int64(content.Len()) + 10}})
	out := make(chan *stream.Batch, 10)
	if err := s.Run(context.Background(), out); err == nil || !strings.Contains(err.Error(), "shorter") {
		t.Errorf("resumed past the end: %v", err)
	}
	if st := s.Starts(); len(st) != 1 || st[0].Name != plain {
		t.Errorf("Starts = %v", st)
	}
}
