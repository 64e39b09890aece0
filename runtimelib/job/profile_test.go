package job

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestCPUProfileFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cpu.prof")
	t.Setenv(CPUProfileEnv, path)
	stop := startCPUProfile()
	stop()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// A pprof profile is gzipped protobuf.
	if !bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
		t.Errorf("%s is not a gzipped profile: % x", path, data[:min(len(data), 8)])
	}
}

func TestCPUProfileOff(t *testing.T) {
	t.Setenv(CPUProfileEnv, "")
	startCPUProfile()() // nothing started, nothing to stop, no panic
	// A profile can start after: the off case left none running.
	path := filepath.Join(t.TempDir(), "cpu.prof")
	t.Setenv(CPUProfileEnv, path)
	startCPUProfile()()
	if _, err := os.Stat(path); err != nil {
		t.Error(err)
	}
}
