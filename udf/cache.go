package udf

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/tools/go/gcexportdata"
)

// The persistent cache of loaded UDF packages.
//
// Loading a package with go/packages runs `go list -export -deps`: 100–150 ms even with
// a warm Go build cache, nearly all of a compile. What the resolver keeps of it (the
// package's Go files and its export data) is a function of the package's sources, the
// sources of the packages it imports from editable directories (the main module and
// its local replacements), go.mod and go.sum (which fix every other dependency), and
// the go command's configuration (version, GOOS, GOFLAGS, ...). The cache stores it in
// a file named by a hash of exactly these, as the go command keys its build cache, so
// that a compile of unchanged UDFs reads two small files (the entry, and the memoized
// go env of goenv.go) instead of running `go list`. Editing any Go file of those
// packages changes the key. Whatever the key cannot vouch for (go.work workspaces,
// vendor directories, cgo, GOPATH mode, a GOPACKAGESDRIVER, -modfile/-overlay) is
// loaded with go/packages every time.

// cacheEnv names the environment variable that turns the cache off ("off") or moves
// it (an absolute directory); by default it is os.UserCacheDir()/sqlc-stream.
const cacheEnv = "SQLC_STREAM_CACHE"

// cacheFormat is hashed into every key: change it when the entry's content changes.
const cacheFormat = "sqlc-stream udf cache 1\n"

// goEnvVars is the go command's configuration that decides what an import path means
// and which files and export data a package has. go env reports the effective values:
// the environment, the go env file, and the toolchain go.mod selects.
var goEnvVars = []string{
	"GOVERSION", "GOROOT", "GOOS", "GOARCH", "GOFLAGS", "GOEXPERIMENT", "CGO_ENABLED",
	"GOMOD", "GOWORK", "GO111MODULE", "GOPATH", "GOMODCACHE", "GOTOOLCHAIN", "GOFIPS140",
	"GOAMD64", "GOARM", "GOARM64", "GO386", "GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64", "GOWASM",
}

// cacheEntry is what a cache file holds: what loadWithGo derives from go/packages.
type cacheEntry struct {
	GoFiles []string
	Export  []byte // the package's export data file, as the go command wrote it
}

// cacheDir returns the directory of cache entries, or "" when the cache is off.
func cacheDir() string {
	v := os.Getenv(cacheEnv)
	switch {
	case v == "off":
		return ""
	case v != "":
		if !filepath.IsAbs(v) {
			return "" // as GOCACHE: a relative directory would differ per SQL file
		}
		return filepath.Join(v, "udf")
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "sqlc-stream", "udf")
}

// keyBase is what every key of one Resolver shares: the go command's configuration,
// go.mod and go.sum, and the editable modules. ok is false when nothing can be cached.
type keyBase struct {
	ok               bool
	sum              []byte     // hash of the configuration, go.mod and go.sum
	modules          []localMod // the main module and its directory replacements
	gomod            string     // go.mod's path
	modData, sumData []byte     // go.mod and go.sum as hashed
}

// unchanged reports whether go.mod and go.sum are still what kb hashed (go list may
// update them, with -mod=mod).
func (kb *keyBase) unchanged() bool {
	modData, err := os.ReadFile(kb.gomod)
	if err != nil || !bytes.Equal(modData, kb.modData) {
		return false
	}
	sumData, _ := os.ReadFile(filepath.Join(filepath.Dir(kb.gomod), "go.sum"))
	return bytes.Equal(sumData, kb.sumData)
}

// localMod is a module whose packages are in an editable directory.
type localMod struct{ path, dir string }

// base computes r's keyBase once.
func (r *Resolver) base(cache string) *keyBase {
	if r.kb != nil {
		return r.kb
	}
	r.kb = &keyBase{}
	// go/packages asks a driver (Bazel's, ...) instead of go list when one is set or
	// on PATH: its answers are not the go command's.
	switch d := os.Getenv("GOPACKAGESDRIVER"); d {
	case "off":
	case "":
		if _, err := exec.LookPath("gopackagesdriver"); err == nil {
			return r.kb
		}
	default:
		return r.kb
	}
	env, err := goEnv(cache, r.dir)
	if err != nil {
		return r.kb
	}
	gomod := env["GOMOD"]
	if gomod == "" || gomod == os.DevNull || env["GOWORK"] != "" || env["GO111MODULE"] == "off" ||
		strings.Contains(env["GOFLAGS"], "-modfile") || strings.Contains(env["GOFLAGS"], "-overlay") ||
		strings.Contains(env["GOFLAGS"], "-mod=vendor") {
		return r.kb
	}
	root := filepath.Dir(gomod)
	if _, err := os.Stat(filepath.Join(root, "vendor")); err == nil {
		return r.kb // vendored dependencies are editable: leave them to go list
	}
	modData, err := os.ReadFile(gomod)
	if err != nil {
		return r.kb
	}
	mf, err := modfile.Parse(gomod, modData, nil)
	if err != nil || mf.Module == nil {
		return r.kb
	}
	sumData, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil && !os.IsNotExist(err) {
		return r.kb
	}
	h := sha256.New()
	io.WriteString(h, cacheFormat)
	for _, k := range goEnvVars {
		fmt.Fprintf(h, "%s=%q\n", k, env[k])
	}
	if abs, err := filepath.Abs(r.dir); err == nil {
		fmt.Fprintf(h, "dir %q\n", abs)
	}
	hashBytes(h, "go.mod", modData)
	hashBytes(h, "go.sum", sumData)
	r.kb.modules = []localMod{{mf.Module.Mod.Path, root}}
	for _, rep := range mf.Replace {
		if modfile.IsDirectoryPath(rep.New.Path) {
			dir := rep.New.Path
			if !filepath.IsAbs(dir) {
				dir = filepath.Join(root, dir)
			}
			r.kb.modules = append(r.kb.modules, localMod{rep.Old.Path, dir})
		}
	}
	r.kb.gomod, r.kb.modData, r.kb.sumData = gomod, modData, sumData
	r.kb.sum, r.kb.ok = h.Sum(nil), true
	return r.kb
}

// cacheKey returns the key of importPath's cache entry: the keyBase and the content of
// every Go file (tests aside) of importPath and of the packages it imports, directly or
// not, that are in editable directories. "" means the package is not cacheable.
func (r *Resolver) cacheKey(cache, importPath string) string {
	kb := r.base(cache)
	if !kb.ok {
		return ""
	}
	h := sha256.New()
	h.Write(kb.sum)
	fmt.Fprintf(h, "package %q\n", importPath)
	queue, seen := []string{importPath}, map[string]bool{importPath: true}
	for len(queue) > 0 {
		path := queue[0]
		queue = queue[1:]
		if path == "C" {
			return "" // cgo: the package's types depend on C headers and the C compiler
		}
		if module.CheckImportPath(path) != nil {
			return "" // "./udf", a pattern, ...: go list interprets it
		}
		dir, editable, ok := kb.dirOf(path)
		if !ok {
			return ""
		}
		if !editable {
			continue // the standard library or a module the go.mod/go.sum pin
		}
		imports, err := hashPackageDir(h, path, dir)
		if err != nil {
			return ""
		}
		for _, imp := range imports {
			if !seen[imp] {
				seen[imp] = true
				queue = append(queue, imp)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// dirOf returns the directory of importPath when it belongs to an editable module
// (the longest module path that prefixes it). ok is false when a go.mod between the
// module's root and the package makes it a module of its own (resolved by go list).
func (kb *keyBase) dirOf(importPath string) (dir string, editable, ok bool) {
	best := -1
	for i, m := range kb.modules {
		if (importPath == m.path || strings.HasPrefix(importPath, m.path+"/")) &&
			(best < 0 || len(m.path) > len(kb.modules[best].path)) {
			best = i
		}
	}
	if best < 0 {
		return "", false, true
	}
	m := kb.modules[best]
	dir = filepath.Join(m.dir, filepath.FromSlash(strings.TrimPrefix(importPath, m.path)))
	for d := dir; d != m.dir && len(d) > len(m.dir); d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return "", false, false
		}
	}
	return dir, true, true
}

// hashPackageDir writes the names and contents of dir's Go files (tests and the
// files the go command ignores aside) into h, and returns their imports: those of
// every file, whatever its build constraints, so that the closure is a superset.
func hashPackageDir(h io.Writer, importPath, dir string) ([]string, error) {
	fmt.Fprintf(h, "dir %q %q\n", importPath, dir)
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		io.WriteString(h, "missing\n")
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var imports []string
	fset := token.NewFileSet()
	for _, e := range entries { // sorted by name
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") ||
			strings.HasPrefix(name, "_") || strings.HasPrefix(name, ".") || e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		hashBytes(h, name, data)
		f, _ := parser.ParseFile(fset, name, data, parser.ImportsOnly)
		if f == nil {
			continue
		}
		for _, imp := range f.Imports {
			if p, err := strconv.Unquote(imp.Path.Value); err == nil {
				imports = append(imports, p)
			}
		}
	}
	sort.Strings(imports)
	return imports, nil
}

func hashBytes(h io.Writer, name string, data []byte) {
	fmt.Fprintf(h, "file %q %d\n", name, len(data))
	h.Write(data)
}

// readCache returns the package of entry key, or nil on a miss (or any problem: the
// caller then loads the package with go list and rewrites the entry).
func readCache(dir, key, importPath string) *loaded {
	file := filepath.Join(dir, key)
	data, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	var e cacheEntry
	if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&e); err != nil {
		return nil
	}
	rd, err := gcexportdata.NewReader(bytes.NewReader(e.Export))
	if err != nil {
		return nil
	}
	fset := token.NewFileSet()
	pkg, err := gcexportdata.Read(rd, fset, map[string]*types.Package{}, importPath)
	if err != nil {
		return nil
	}
	touch(file)
	return &loaded{types: pkg, fset: fset, goFiles: e.GoFiles}
}

// touch marks a file of the cache directory used, for trimCache. Within the hour it
// is still fresh: touching it more often would only cost writes.
func touch(file string) {
	if fi, err := os.Stat(file); err == nil && time.Since(fi.ModTime()) > time.Hour {
		now := time.Now()
		os.Chtimes(file, now, now)
	}
}

// writeCache stores an entry.
func writeCache(dir, key string, e *cacheEntry) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(e); err != nil {
		return
	}
	writeFileAtomic(dir, key, buf.Bytes())
}

// writeFileAtomic writes a file of the cache directory. Concurrent compiles may write
// the same one: each writes a temporary file and renames it into place, so a reader
// sees a whole file or none. Errors are ignored: the cache is an optimization.
func writeFileAtomic(dir, name string, data []byte) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(dir, "tmp-")
	if err != nil {
		return
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, name))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return
	}
	trimCache(dir)
}

// trimCache removes, at most once a day, the entries not used for five days (each
// edit of a UDF package makes a new entry) and temporary files a crashed compile left.
func trimCache(dir string) {
	marker := filepath.Join(dir, "trim.txt")
	if fi, err := os.Stat(marker); err == nil && time.Since(fi.ModTime()) < 24*time.Hour {
		return
	}
	if err := os.WriteFile(marker, nil, 0o644); err != nil {
		return
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil || e.Name() == "trim.txt" {
			continue
		}
		age := time.Since(fi.ModTime())
		if age > 5*24*time.Hour || strings.HasPrefix(e.Name(), "tmp-") && age > time.Hour {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
