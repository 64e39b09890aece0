package udf

import (
	"bytes"
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync/atomic"
)

// goEnv returns the go command's configuration for dir: goEnvVars, as `go env -json`
// prints them. Running go env takes ~10 ms (more on a busy machine), most of a warm
// compile, so its output is memoized in the cache directory, under a hash of what the
// go command computes it from:
//
//   - the go binary PATH finds (its resolved path, size and modification time), when it
//     is the go command itself: a wrapper (a version manager's shim) may choose a
//     toolchain by anything, so its go env is never memoized;
//   - the whole environment, the go env file (GOENV or os.UserConfigDir()/go/env), and
//     where the C compilers are (cgo defaults to off without one);
//   - every go.mod and go.work of dir and its parents (the main module, the workspace,
//     and the toolchain they ask for).
//
// An entry also records the hashes of the VERSION and go.env files of the GOROOT it
// names (GOROOT may be set elsewhere than next to the binary, or be the toolchain go.mod
// switches to); a change of either makes it stale.
func goEnv(cache, dir string) (map[string]string, error) {
	key := goEnvKey(dir)
	file := ""
	if key != "" {
		file = filepath.Join(cache, "env-"+key)
		if data, err := os.ReadFile(file); err == nil {
			var e goEnvEntry
			if gob.NewDecoder(bytes.NewReader(data)).Decode(&e) == nil && e.Root == gorootSum(e.Env["GOROOT"]) {
				touch(file)
				return e.Env, nil
			}
		}
	}
	goEnvRuns.Add(1)
	cmd := exec.Command("go", append([]string{"env", "-json"}, goEnvVars...)...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return nil, err
	}
	var env map[string]string
	if err := json.Unmarshal(out, &env); err != nil {
		return nil, err
	}
	if key != "" && goEnvKey(dir) == key {
		var buf bytes.Buffer
		if gob.NewEncoder(&buf).Encode(&goEnvEntry{Env: env, Root: gorootSum(env["GOROOT"])}) == nil {
			writeFileAtomic(cache, filepath.Base(file), buf.Bytes())
		}
	}
	return env, nil
}

// goEnvRuns counts the go env commands run (tests: memoized answers do not).
var goEnvRuns atomic.Int64

// goEnvEntry is a memoized go env.
type goEnvEntry struct {
	Env  map[string]string
	Root string // gorootSum of Env["GOROOT"]
}

// goEnvKey returns the memo key of go env in dir, or "" when it cannot be memoized.
func goEnvKey(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		return ""
	}
	if goBin, err = filepath.EvalSymlinks(goBin); err != nil {
		return ""
	}
	fi, err := os.Stat(goBin)
	if err != nil {
		return ""
	}
	if bi, err := buildinfo.ReadFile(goBin); err != nil || bi.Path != "cmd/go" {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "%sgo env\ndir %q\ngo %q %d %d\n", cacheFormat, abs, goBin, fi.Size(), fi.ModTime().UnixNano())
	environ := os.Environ()
	sort.Strings(environ)
	for _, kv := range environ {
		fmt.Fprintf(h, "env %q\n", kv)
	}
	envFile := os.Getenv("GOENV")
	if envFile == "" {
		if cfg, err := os.UserConfigDir(); err == nil {
			envFile = filepath.Join(cfg, "go", "env")
		}
	}
	if envFile != "" && envFile != "off" {
		hashFile(h, envFile)
	}
	for _, cc := range []string{"gcc", "clang"} {
		p, _ := exec.LookPath(cc)
		fmt.Fprintf(h, "cc %q %q\n", cc, p)
	}
	for d := abs; ; d = filepath.Dir(d) {
		hashFile(h, filepath.Join(d, "go.mod"))
		hashFile(h, filepath.Join(d, "go.work"))
		if filepath.Dir(d) == d {
			break
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// gorootSum hashes the files of a GOROOT that name its version and its defaults.
func gorootSum(goroot string) string {
	if goroot == "" {
		return ""
	}
	h := sha256.New()
	hashFile(h, filepath.Join(goroot, "VERSION"))
	hashFile(h, filepath.Join(goroot, "go.env"))
	return hex.EncodeToString(h.Sum(nil))
}

// hashFile writes file's name and content, or that it is missing, into h.
func hashFile(h hash.Hash, file string) {
	data, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintf(h, "no %q\n", file)
		return
	}
	hashBytes(h, file, data)
}
