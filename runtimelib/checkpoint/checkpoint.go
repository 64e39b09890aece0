package checkpoint

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// MetadataFile is the manifest's name in a checkpoint directory (Flink's).
const MetadataFile = "_metadata"

const (
	magic   = "SQCK"
	version = 2 // 2 added the sinks' rows; version 1 is still read
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Manifest describes one checkpoint: what job took it, when, from which plan, at what
// parallelism, every stateful operator with its state files, and every source's
// positions.
type Manifest struct {
	Job  string // the job's name (its SQL file's)
	ID   int64  // chk-<ID>
	Time int64  // when it completed, epoch ms
	// Savepoint: taken when the job was stopped (SIGTERM/SIGINT); Final: the job's last
	// barrier (a savepoint, or the end of bounded input).
	Savepoint, Final bool
	Plan             string // fingerprint of the compiled plan
	MaxParallelism   int    // pipeline.max-parallelism: the key groups of the state
	Stages           []Stage
	Operators        []Operator
	Sources          []Source
	// Sinks holds, per two-phase sink table, the rows of this checkpoint that its
	// tasks sealed (one file per task that had any): what a sink whose database names
	// the previous checkpoint commits when this one is restored (sinks.go).
	Sinks []SinkRows
}

// SinkRows are the rows one two-phase sink table produced for a checkpoint, as its
// tasks encoded them.
type SinkRows struct {
	Table string
	Files []File
}

// Stage is a stage of the job at the checkpoint: its name and parallelism.
type Stage struct {
	Name  string
	Tasks int
}

// Operator is the state of one stateful operator: its uid (what a restore matches it
// by), what it is, its state layout, and one file per task of its stage.
type Operator struct {
	UID   string
	Stage string // the stage holding it
	Tasks int    // its stage's parallelism: len(Files)
	// Desc, Input, Pos: the operator as the compiler describes it, what it reads and
	// its SQL position, for messages. Layout fingerprints its state's encoding; Fields
	// lists the encoded fields, so that a refused restore can say what changed.
	Desc, Input, Pos, Layout string
	Fields, Readers          []string
	Files                    []File
}

// File is one task's snapshot: its file name in the checkpoint directory, size and
// CRC-32C.
type File struct {
	Name string
	Size int64
	CRC  uint32
}

// Source is the positions of one source table's splits.
type Source struct {
	Table     string
	Positions []stream.Position
}

// Encode renders the manifest: "SQCK", a version, the fields (runtimelib/codec), and a
// CRC-32C of all that before it.
func (m *Manifest) Encode() []byte {
	var w codec.Writer
	w.Buf = append(w.Buf, magic...)
	w.Buf = binary.LittleEndian.AppendUint32(w.Buf, version)
	w.String(m.Job)
	w.Int64(m.ID)
	w.Int64(m.Time)
	w.Bool(m.Savepoint)
	w.Bool(m.Final)
	w.String(m.Plan)
	w.Int(m.MaxParallelism)
	w.Uint64(uint64(len(m.Stages)))
	for _, s := range m.Stages {
		w.String(s.Name)
		w.Int(s.Tasks)
	}
	w.Uint64(uint64(len(m.Operators)))
	for _, o := range m.Operators {
		for _, s := range []string{o.UID, o.Stage, o.Desc, o.Input, o.Pos, o.Layout} {
			w.String(s)
		}
		w.Int(o.Tasks)
		for _, list := range [][]string{o.Fields, o.Readers} {
			w.Uint64(uint64(len(list)))
			for _, f := range list {
				w.String(f)
			}
		}
		writeFiles(&w, o.Files)
	}
	w.Uint64(uint64(len(m.Sources)))
	for _, s := range m.Sources {
		w.String(s.Table)
		w.Uint64(uint64(len(s.Positions)))
		for _, p := range s.Positions {
			w.String(p.Name)
			w.Int64(int64(p.Partition))
			w.Int64(p.Offset)
		}
	}
	w.Uint64(uint64(len(m.Sinks)))
	for _, s := range m.Sinks {
		w.String(s.Table)
		writeFiles(&w, s.Files)
	}
	return binary.LittleEndian.AppendUint32(w.Buf, crc32.Checksum(w.Buf, castagnoli))
}

func writeFiles(w *codec.Writer, files []File) {
	w.Uint64(uint64(len(files)))
	for _, f := range files {
		w.String(f.Name)
		w.Int64(f.Size)
		w.Uint64(uint64(f.CRC))
	}
}

func readFiles(r *codec.Reader) []File {
	var files []File
	for k := r.Length(); k > 0 && r.Err() == nil; k-- {
		files = append(files, File{Name: r.String(), Size: r.Int64(), CRC: uint32(r.Uint64())})
	}
	return files
}

// Decode reads what Encode wrote; a damaged manifest is an error.
func Decode(b []byte) (*Manifest, error) {
	if len(b) < len(magic)+8 || string(b[:len(magic)]) != magic {
		return nil, errors.New("not a checkpoint manifest")
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		return nil, errors.New("the manifest's checksum does not match: it is damaged")
	}
	v := binary.LittleEndian.Uint32(body[len(magic):])
	if v != version && v != 1 {
		return nil, fmt.Errorf("manifest version %d; this job reads versions 1 to %d", v, version)
	}
	r := codec.NewReader(body[len(magic)+4:])
	m := &Manifest{Job: r.String(), ID: r.Int64(), Time: r.Int64(), Savepoint: r.Bool(), Final: r.Bool(), Plan: r.String(), MaxParallelism: r.Int()}
	for n := r.Length(); n > 0 && r.Err() == nil; n-- {
		m.Stages = append(m.Stages, Stage{Name: r.String(), Tasks: r.Int()})
	}
	for n := r.Length(); n > 0 && r.Err() == nil; n-- {
		o := Operator{UID: r.String(), Stage: r.String(), Desc: r.String(), Input: r.String(), Pos: r.String(), Layout: r.String(), Tasks: r.Int()}
		for _, list := range []*[]string{&o.Fields, &o.Readers} {
			for k := r.Length(); k > 0 && r.Err() == nil; k-- {
				*list = append(*list, r.String())
			}
		}
		o.Files = readFiles(r)
		m.Operators = append(m.Operators, o)
	}
	for n := r.Length(); n > 0 && r.Err() == nil; n-- {
		s := Source{Table: r.String()}
		for k := r.Length(); k > 0 && r.Err() == nil; k-- {
			s.Positions = append(s.Positions, stream.Position{Name: r.String(), Partition: int32(r.Int64()), Offset: r.Int64()})
		}
		m.Sources = append(m.Sources, s)
	}
	if v >= 2 {
		for n := r.Length(); n > 0 && r.Err() == nil; n-- {
			m.Sinks = append(m.Sinks, SinkRows{Table: r.String(), Files: readFiles(r)})
		}
	}
	if err := r.Done(); err != nil {
		return nil, err
	}
	return m, nil
}

// Store is a checkpoint directory (execution.checkpointing.dir): chk-<id>
// subdirectories, each complete, written by Save.
type Store struct {
	Dir string
	// Retained is how many complete checkpoints Save keeps
	// (state.checkpoints.num-retained); the older are removed. At least 1.
	Retained int
}

// path is the directory of checkpoint id.
func (s *Store) path(id int64) string { return filepath.Join(s.Dir, "chk-"+strconv.FormatInt(id, 10)) }

// Save is Write, then Retain.
func (s *Store) Save(m *Manifest, blobs [][][]byte) (string, error) {
	dir, err := s.Write(m, blobs, nil)
	if err != nil {
		return "", err
	}
	return dir, s.Retain()
}

// Write writes checkpoint m with its operators' blobs (blobs[i][t] is the snapshot of
// task t of m.Operators[i]; Write fills in the operators' Files) and its sinks' rows
// (sinks[i] the blobs of m.Sinks[i], filling in its Files) atomically as chk-<m.ID>:
// every file is written into a hidden temporary directory and fsynced, the manifest
// last, then the directory is renamed into place and its parent fsynced. A crash at
// any point leaves either the complete checkpoint or none (and a temporary directory
// that Clean removes). It returns the checkpoint's directory. Older checkpoints stay
// until Retain: a job with two-phase sinks calls it only once the sinks committed.
func (s *Store) Write(m *Manifest, blobs, sinks [][][]byte) (string, error) {
	if err := os.MkdirAll(s.Dir, 0o755); err != nil {
		return "", err
	}
	final := s.path(m.ID)
	if _, err := os.Stat(final); err == nil {
		return "", fmt.Errorf("checkpoint %s exists already: is another job writing into %s?", final, s.Dir)
	}
	tmp, err := os.MkdirTemp(s.Dir, fmt.Sprintf(".chk-%d-*.inprogress", m.ID))
	if err != nil {
		return "", err
	}
	if err := s.fill(tmp, m, blobs, sinks); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	if err := os.Rename(tmp, final); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	if err := syncDir(s.Dir); err != nil {
		return "", err
	}
	return final, nil
}

// fill writes the state files and the manifest into dir and fsyncs it.
func (s *Store) fill(dir string, m *Manifest, blobs, sinks [][][]byte) error {
	if len(blobs) != len(m.Operators) || len(sinks) != len(m.Sinks) {
		return fmt.Errorf("internal error: %d operators and %d sinks, blobs for %d and %d", len(m.Operators), len(m.Sinks), len(blobs), len(sinks))
	}
	files := func(prefix string, blobs [][]byte) ([]File, error) {
		var out []File
		for t, b := range blobs {
			name := fmt.Sprintf("%s-task%d", prefix, t)
			if err := writeFile(filepath.Join(dir, name), b); err != nil {
				return nil, err
			}
			out = append(out, File{Name: name, Size: int64(len(b)), CRC: crc32.Checksum(b, castagnoli)})
		}
		return out, nil
	}
	var err error
	for i := range m.Operators {
		if m.Operators[i].Files, err = files(fmt.Sprintf("op%d", i), blobs[i]); err != nil {
			return err
		}
	}
	for i := range m.Sinks {
		if m.Sinks[i].Files, err = files(fmt.Sprintf("sink%d", i), sinks[i]); err != nil {
			return err
		}
	}
	if err := writeFile(filepath.Join(dir, MetadataFile), m.Encode()); err != nil {
		return err
	}
	return syncDir(dir)
}

// writeFile writes b to a new file and fsyncs it.
func writeFile(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", dir, err)
	}
	return nil
}

// IDs returns the ids of the complete checkpoints in the directory, in ascending order
// (none when it does not exist).
func (s *Store) IDs() ([]int64, error) {
	ents, err := os.ReadDir(s.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, e := range ents {
		rest, ok := strings.CutPrefix(e.Name(), "chk-")
		if !ok || !e.IsDir() {
			continue
		}
		if id, err := strconv.ParseInt(rest, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// Retain removes every complete checkpoint but the last Retained.
func (s *Store) Retain() error {
	ids, err := s.IDs()
	if err != nil {
		return err
	}
	keep := max(s.Retained, 1)
	for len(ids) > keep {
		if err := os.RemoveAll(s.path(ids[0])); err != nil {
			return err
		}
		ids = ids[1:]
	}
	return nil
}

// Clean removes what a crash left in the directory: the temporary directories of
// checkpoints that were being written. Call it before the job writes checkpoints.
func (s *Store) Clean() error {
	ents, err := os.ReadDir(s.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".chk-") && strings.HasSuffix(e.Name(), ".inprogress") {
			if err := os.RemoveAll(filepath.Join(s.Dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// Loaded is a checkpoint read back: its manifest and, per operator (in the manifest's
// order), the snapshot of each task.
type Loaded struct {
	Path     string
	Manifest *Manifest
	Blobs    [][][]byte
	// Sinks are the blobs of Manifest.Sinks, in its order.
	Sinks [][][]byte
}

// Path returns the directory of checkpoint id.
func (s *Store) Path(id int64) string { return s.path(id) }

// Latest loads the complete checkpoint with the highest id; nil when there is none.
func (s *Store) Latest() (*Loaded, error) {
	ids, err := s.IDs()
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	return Load(s.path(ids[len(ids)-1]))
}

// Load reads the checkpoint in directory dir (a chk-<id> directory, as
// execution.savepoint.path names one) and checks every file against the manifest's
// sizes and checksums.
func Load(dir string) (*Loaded, error) {
	b, err := os.ReadFile(filepath.Join(dir, MetadataFile))
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", dir, err)
	}
	m, err := Decode(b)
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %s: %w", dir, MetadataFile, err)
	}
	l := &Loaded{Path: dir, Manifest: m}
	read := func(files []File, what string) ([][]byte, error) {
		var blobs [][]byte
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(dir, f.Name))
			if err != nil {
				return nil, fmt.Errorf("checkpoint %s: %w", dir, err)
			}
			if int64(len(b)) != f.Size || crc32.Checksum(b, castagnoli) != f.CRC {
				return nil, fmt.Errorf("checkpoint %s: %s (%s) is damaged: its size or checksum differs from the manifest's", dir, f.Name, what)
			}
			blobs = append(blobs, b)
		}
		return blobs, nil
	}
	for _, o := range m.Operators {
		blobs, err := read(o.Files, "state of "+o.Desc)
		if err != nil {
			return nil, err
		}
		l.Blobs = append(l.Blobs, blobs)
	}
	for _, sk := range m.Sinks {
		blobs, err := read(sk.Files, "rows of sink "+sk.Table)
		if err != nil {
			return nil, err
		}
		l.Sinks = append(l.Sinks, blobs)
	}
	return l, nil
}
