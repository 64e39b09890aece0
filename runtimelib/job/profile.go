package job

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// CPUProfileEnv names the environment variable that makes a job write a CPU profile
// (go tool pprof) of its whole run, start-up included: with SQLC_STREAM_CPUPROFILE=path
// Main profiles from before flag parsing until just before exit. Without it nothing is
// sampled. It is an environment variable, not a flag, so that benchmarks can profile a
// job without changing its command line.
const CPUProfileEnv = "SQLC_STREAM_CPUPROFILE"

// startCPUProfile starts the CPU profile if $SQLC_STREAM_CPUPROFILE is set and returns
// the function that stops it and closes the file. A failure is reported on stderr and
// does not stop the job.
func startCPUProfile() (stop func()) {
	path := os.Getenv(CPUProfileEnv)
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		if err = pprof.StartCPUProfile(f); err != nil {
			f.Close()
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "job: %s: %v\n", CPUProfileEnv, err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintf(os.Stderr, "job: %s: %v\n", CPUProfileEnv, err)
		}
	}
}
