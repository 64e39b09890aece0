package filesystem

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/flate"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

const defaultChunkSize = 256 << 10

// Source reads the lines of a file or of the files of a directory. It implements
// stream.Source and is bounded.
type Source struct {
	table string
	files []string

	// chunkSize is the read size, and so the most bytes of lines in a batch; tests make
	// it small to exercise the chunk boundaries.
	chunkSize int

	chunks  sync.Pool // *chunk of chunkSize
	batches sync.Pool // *fileBatch

	// resume holds, by file name, the byte offset a restored checkpoint recorded: the
	// file is read from there (Resume). Written before Run, read-only after.
	resume map[string]int64

	// read counts the bytes read from the files (compressed, as on disk), for a
	// progress display (Size, BytesRead).
	read atomic.Int64
}

// NewSource lists the files named by the table's 'path' option (and filtered by
// 'source.path.regex-pattern'). A path that does not exist is an error now, at job start,
// not when the job loop begins.
func NewSource(r *options.Resolved) (*Source, error) {
	path := r.String("path")
	if path == "" {
		return nil, fmt.Errorf("table %s: option 'path' is empty", r.Table)
	}
	var re *regexp.Regexp
	if p := r.String("source.path.regex-pattern"); p != "" {
		var err error
		if re, err = regexp.Compile(`^(?:` + p + `)$`); err != nil {
			return nil, fmt.Errorf("table %s: option 'source.path.regex-pattern': %v", r.Table, err)
		}
	}
	files, err := listFiles(options.LocalPath(path), re)
	if err != nil {
		return nil, fmt.Errorf("table %s: %v", r.Table, err)
	}
	return newSource(r.Table, files, defaultChunkSize), nil
}

func newSource(table string, files []string, chunkSize int) *Source {
	return &Source{table: table, files: files, chunkSize: chunkSize}
}

// Files returns the files the source reads, in order.
func (s *Source) Files() []string { return s.files }

// Size returns the bytes of the files as they are on disk (stream.Sized); the number
// of records is not known before they are read.
func (s *Source) Size() (records, bytes int64) {
	for _, f := range s.files {
		if st, err := os.Stat(f); err == nil {
			bytes += st.Size()
		}
	}
	return -1, bytes
}

// BytesRead returns the bytes read from the files so far, those a restored file
// skipped included (stream.Sized).
func (s *Source) BytesRead() int64 { return s.read.Load() }

// countingReader counts what is read through it into n.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	m, err := c.r.Read(p)
	c.n.Add(int64(m))
	return m, err
}

// Bounded reports true: the source reads its files once.
func (s *Source) Bounded() bool { return true }

// hidden reports whether Flink's DefaultFileFilter skips a file or directory name.
func hidden(name string) bool {
	return name != "" && (name[0] == '.' || name[0] == '_')
}

// listFiles returns path itself when it is a file, or the regular files below it in
// lexical order, without hidden ones.
func listFiles(path string, re *regexp.Regexp) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("path %s does not exist", path)
		}
		return nil, err
	}
	if !st.IsDir() {
		if !st.Mode().IsRegular() {
			return nil, fmt.Errorf("path %s is not a regular file or a directory", path)
		}
		if re != nil && !re.MatchString(path) {
			return nil, nil
		}
		return []string{path}, nil
	}
	var files []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == path {
			return nil
		}
		if hidden(d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			// A link is read when it leads to a regular file.
			st, err := os.Stat(p)
			if err != nil || !st.Mode().IsRegular() {
				return nil
			}
		}
		if re != nil && !re.MatchString(p) {
			return nil
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return files, nil
}

// chunk is a read buffer that batches point into; it returns to the pool when the last
// reference (the reader's or a batch's) is dropped.
type chunk struct {
	buf  []byte
	refs atomic.Int32
}

// fileBatch is a pooled batch with the chunk its records point into.
type fileBatch struct {
	stream.Batch
	src   *Source
	chunk *chunk
	done  atomic.Bool
}

func (s *Source) getChunk(size int) *chunk {
	var c *chunk
	if size == s.chunkSize {
		if v := s.chunks.Get(); v != nil {
			c = v.(*chunk)
		}
	}
	if c == nil {
		c = &chunk{buf: make([]byte, size)}
	}
	c.refs.Store(1)
	return c
}

func (s *Source) unref(c *chunk) {
	if c.refs.Add(-1) == 0 && len(c.buf) == s.chunkSize {
		s.chunks.Put(c)
	}
}

func (s *Source) getBatch(origin string, c *chunk, firstLine int64) *fileBatch {
	var b *fileBatch
	if v := s.batches.Get(); v != nil {
		b = v.(*fileBatch)
	} else {
		b = &fileBatch{src: s}
		b.SetRelease(b.release)
	}
	b.done.Store(false)
	c.refs.Add(1)
	b.chunk = c
	b.Records = b.Records[:0]
	b.Lines = nil
	b.Raw = nil
	b.RawLines = 0
	b.Origin = origin
	b.FirstLine = firstLine
	return b
}

// release is installed as the batch's release function. A second Release is ignored.
func (b *fileBatch) release(*stream.Batch) {
	if b.done.Swap(true) {
		return
	}
	s := b.src
	s.unref(b.chunk)
	b.chunk = nil
	clear(b.Records)
	b.Records = b.Records[:0]
	s.batches.Put(b)
}

// Run reads every file in order and sends its lines in batches. A batch's Split is its
// file's index in Files, its End the byte offset after its last line.
func (s *Source) Run(ctx context.Context, out chan<- *stream.Batch) error {
	for i, f := range s.files {
		if err := s.readFile(ctx, int32(i), f, s.resume[f], out); err != nil {
			return err
		}
	}
	return nil
}

// Resume makes Run read each file named in positions from its byte offset on
// (stream.Resumable): the lines before it were read before the checkpoint. The runtime
// hands out a file's chunks in order and a checkpoint covers every chunk handed out
// before its barrier, so one offset per file is exact. A file not named is read from
// its start; a named file the source no longer lists is not read.
func (s *Source) Resume(positions []stream.Position) error {
	s.resume = map[string]int64{}
	for _, p := range positions {
		if p.Offset < 0 {
			return fmt.Errorf("table %s: checkpointed position %d of %s is negative", s.table, p.Offset, p.Name)
		}
		s.resume[p.Name] = p.Offset
	}
	return nil
}

// Starts returns the restored offsets (stream.Resumable): the other files start at 0.
func (s *Source) Starts() []stream.Position {
	var out []stream.Position
	for i, f := range s.files {
		if o, ok := s.resume[f]; ok {
			out = append(out, stream.Position{Split: int32(i), Name: f, Offset: o})
		}
	}
	return out
}

func (s *Source) send(ctx context.Context, out chan<- *stream.Batch, b *fileBatch) error {
	if err := ctx.Err(); err != nil {
		b.Release()
		return err
	}
	select {
	case out <- &b.Batch:
		return nil
	case <-ctx.Done():
		b.Release()
		return ctx.Err()
	}
}

var (
	bom     = []byte{0xEF, 0xBB, 0xBF}
	newline = []byte{'\n'}
)

// decompressor wraps a file whose name ends in a compression extension Flink's file
// source decompresses (.gz, .gzip, .bz2, .deflate) in the matching reader. Flink also
// reads .xz, which the Go standard library cannot.
func decompressor(path string, f io.Reader) (io.Reader, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".gz", ".gzip":
		return gzip.NewReader(bufio.NewReaderSize(f, 64<<10))
	case ".bz2":
		return bzip2.NewReader(bufio.NewReaderSize(f, 64<<10)), nil
	case ".deflate":
		return flate.NewReader(bufio.NewReaderSize(f, 64<<10)), nil
	case ".xz":
		return nil, errors.New("xz-compressed files are not supported; decompress it first")
	}
	return f, nil
}

// readFile reads one file chunk by chunk, from byte offset from on (a restored
// position). Invariant: the reader holds one reference on c; c.buf[start:n] is data not
// yet split into lines, line is the number of the line that begins at start, and
// c.buf[0] is at byte offset base of the (decompressed) file.
func (s *Source) readFile(ctx context.Context, split int32, path string, from int64, out chan<- *stream.Batch) error {
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	f, err := decompressor(path, countingReader{file, &s.read})
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}

	line, base := int64(1), int64(0)
	first := from == 0
	if from > 0 {
		// Read up to the restored offset, counting lines so that error messages name
		// the right ones (a compressed file must be decompressed up to there anyway).
		if line, err = skipLines(f, from); err != nil {
			return fmt.Errorf("read %s: resuming at byte %d: %w", path, from, err)
		}
		base = from
	}
	c := s.getChunk(s.chunkSize)
	defer func() { s.unref(c) }()
	n, start := 0, 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		eof := false
		for n < len(c.buf) {
			m, err := f.Read(c.buf[n:])
			n += m
			if err == io.EOF {
				eof = true
				break
			}
			if err != nil {
				return fmt.Errorf("read %s: %w", path, err)
			}
		}
		if first {
			first = false
			if bytes.HasPrefix(c.buf[:n], bom) {
				start = len(bom)
			}
		}

		// The chunk's complete lines (all of it at the end of the file: a last line
		// without a newline is a record too) go out as one raw batch, split into
		// records by whoever runs it (stream.Batch.Prepare). The reader only counts
		// the newlines, for the next batch's first line number.
		end := start + bytes.LastIndexByte(c.buf[start:n], '\n') + 1
		if eof {
			end = n
		}
		if end > start {
			b := s.getBatch(path, c, line)
			b.Raw = c.buf[start:end]
			b.Split, b.End = split, base+int64(end)
			b.RawLines = bytes.Count(b.Raw, newline)
			line += int64(b.RawLines)
			start = end
			if err := s.send(ctx, out, b); err != nil {
				return err
			}
		}
		if eof {
			return nil
		}

		// Move the unfinished line to a fresh chunk; grow when it fills a whole chunk.
		rest := c.buf[start:n]
		size := s.chunkSize
		if len(rest) >= size/2 {
			size = 2 * len(rest)
			if size < s.chunkSize {
				size = s.chunkSize
			}
		}
		next := s.getChunk(size)
		n = copy(next.buf, rest)
		base += int64(start)
		start = 0
		s.unref(c)
		c = next
	}
}

// skipLines reads n bytes of r and returns the number of the line after them. A
// restored offset is always at a line's start; a file shorter than n was replaced or
// truncated since the checkpoint, which is an error.
func skipLines(r io.Reader, n int64) (int64, error) {
	buf := make([]byte, 64<<10)
	line := int64(1)
	for n > 0 {
		m, err := r.Read(buf[:min(int64(len(buf)), n)])
		line += int64(bytes.Count(buf[:m], newline))
		n -= int64(m)
		if err == io.EOF && n > 0 {
			return 0, fmt.Errorf("the file is %d bytes shorter than when the checkpoint was taken", n)
		}
		if err != nil && err != io.EOF {
			return 0, err
		}
	}
	return line, nil
}

// Table is the name of the table the source reads.
func (s *Source) Table() string { return s.table }
