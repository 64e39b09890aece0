package job

import (
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// StatsFileEnv names the environment variable that makes a job write its run statistics
// at exit, for benchmarks (bench/, `go run ./bench`): with SQLC_STREAM_STATS_FILE=path
// the job writes a JSON Stats object to path just before it exits, whatever its exit
// code. Without it nothing is counted and nothing is written.
const StatsFileEnv = "SQLC_STREAM_STATS_FILE"

// Stats is what a job writes to $SQLC_STREAM_STATS_FILE at exit. Mallocs and
// TotalAllocBytes come from runtime.MemStats and cover the whole process (start-up
// included); Records counts the records of every batch handed to the job's onBatch.
type Stats struct {
	ExitCode        int              `json:"exit_code"`
	WallSeconds     float64          `json:"wall_seconds"`
	GOMAXPROCS      int              `json:"gomaxprocs"`
	Records         int64            `json:"records"`
	Batches         int64            `json:"batches"`
	Mallocs         uint64           `json:"mallocs"`
	Frees           uint64           `json:"frees"`
	TotalAllocBytes uint64           `json:"total_alloc_bytes"`
	HeapSysBytes    uint64           `json:"heap_sys_bytes"`
	SysBytes        uint64           `json:"sys_bytes"`
	NumGC           uint32           `json:"num_gc"`
	Counters        map[string]int64 `json:"counters,omitempty"`
}

var (
	statsPath    = os.Getenv(StatsFileEnv)
	statsStart   = time.Now()
	statsRecords atomic.Int64
	statsBatches atomic.Int64
	statsContext atomic.Pointer[Context]
)

// statsHook is the batch hook that counts records and batches when statistics are on;
// off, it is nil, so a job run without $SQLC_STREAM_STATS_FILE pays nothing.
func statsHook() func(*stream.Batch) {
	if statsPath == "" {
		return nil
	}
	return countBatch
}

// countBatch adds a batch to the statistics.
func countBatch(b *stream.Batch) {
	statsRecords.Add(int64(batchRecords(b)))
	statsBatches.Add(1)
}

// batchRecords is the number of records of a batch: its records, or its Count for a
// source without raw records (datagen, nexmark).
func batchRecords(b *stream.Batch) int {
	if b.Records == nil {
		return b.Count
	}
	return len(b.Records)
}

// noteContext remembers the job's Context so the statistics can list its counters.
func noteContext(c *Context) {
	if statsPath != "" {
		statsContext.Store(c)
	}
}

// writeStats writes the statistics file if $SQLC_STREAM_STATS_FILE is set; a failure is
// reported on stderr and does not change the exit code.
func writeStats(code int) {
	if statsPath == "" {
		return
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	s := Stats{
		ExitCode:        code,
		WallSeconds:     time.Since(statsStart).Seconds(),
		GOMAXPROCS:      runtime.GOMAXPROCS(0),
		Records:         statsRecords.Load(),
		Batches:         statsBatches.Load(),
		Mallocs:         ms.Mallocs,
		Frees:           ms.Frees,
		TotalAllocBytes: ms.TotalAlloc,
		HeapSysBytes:    ms.HeapSys,
		SysBytes:        ms.Sys,
		NumGC:           ms.NumGC,
	}
	if c := statsContext.Load(); c != nil {
		c.mu.Lock()
		s.Counters = make(map[string]int64, len(c.counts))
		for n, k := range c.counts {
			s.Counters[n] = k.Load()
		}
		c.mu.Unlock()
	}
	data, err := json.MarshalIndent(s, "", "  ")
	if err == nil {
		err = os.WriteFile(statsPath, append(data, '\n'), 0o644)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "job: writing %s: %v\n", StatsFileEnv, err)
	}
}
