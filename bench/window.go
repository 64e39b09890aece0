package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/sqlc-stream/sqlc-stream/internal/gotest"
)

// hopBar is the most a HOP with slide/size = 1/10 may cost per event, as a multiple
// of a TUMBLE of the same size (issue 12: "well under 10×"): slicing updates one slice
// per row, so what is left is firing ten times as many windows.
const hopBar = 3.0

// windowRow is row h: the same window aggregate (bench/jobs/window_tumble.sql and
// window_hop.sql: bids, volume and top price per auction group in 10-second windows)
// over a TUMBLE and over a HOP of slide 1 s, on the Nexmark generator with
// GOMAXPROCS=1, alternated; the HOP's cost per event as a multiple of the TUMBLE's.
func (b *bench) windowRow() error {
	suite, ok := gotest.FindNexmark(b.root)
	if !ok {
		b.note("(h) window: the Nexmark suite is not beside the project; row skipped.")
		return nil
	}
	cli, err := b.cli()
	if err != nil {
		return err
	}
	n := b.nexmarkN
	env := []string{"TPS=10000", fmt.Sprintf("EVENTS_NUM=%d", n), "PERSON_PROPORTION=1", "AUCTION_PROPORTION=3", "BID_PROPORTION=46"}
	var progs []func() (run, error)
	for _, q := range []string{"tumble", "hop"} {
		bin := filepath.Join(b.tmp, "window-"+q)
		cmd := exec.Command(cli, "build", "-o", bin, "-dir", b.root, "-var", "NEXMARK_TABLE=datagen",
			filepath.Join(suite, "ddl_gen.sql"), filepath.Join(suite, "ddl_views.sql"), filepath.Join(b.root, "bench", "jobs", "window_"+q+".sql"))
		cmd.Dir = b.root
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("window_%s.sql: %s", q, strings.TrimSpace(string(out)))
		}
		name := "window " + q
		progs = append(progs, func() (run, error) {
			r, err := b.measure(name, []string{bin, "-D", "datagen.events.base-time=" + nexmarkBaseTime, "-D", "parallelism.default=1"}, 1, env, true)
			if err == nil {
				err = checkRecords(name, r, n)
			}
			return r, err
		})
	}
	runs, err := b.alternate(progs...)
	if err != nil {
		return err
	}
	tumble, hop := runs[0], runs[1]
	cost := pairRatios(tumble, hop, perCore(n)) // TUMBLE's rate over the HOP's: the HOP's cost in TUMBLEs
	b.add(row{
		what:     fmt.Sprintf("(h) window HOP(1 s, 10 s) vs TUMBLE(10 s), %s events, cost per event, GOMAXPROCS=1", count(n)),
		baseline: "TUMBLE: " + distOf(tumble, perCore(n)).rateRange(),
		target:   fmt.Sprintf("≤ %.0f× the TUMBLE's", hopBar),
		ours:     "HOP: " + distOf(hop, perCore(n)).rateRange(),
		ratio:    cost.ratioRange(),
		holds:    holds(cost.median() <= hopBar),
	})
	b.note("(h) window: ratio is the HOP's CPU time per event over the TUMBLE's (slicing: one slice updated per row; a copy per window would be about 10×).")
	return nil
}
