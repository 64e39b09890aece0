// Package udf holds the Go aggregate function of the snapshot fuzz job: one that
// retracts, for the aggregate over an updating input.
package udf

import (
	"sort"
	"strings"
)

// Names joins the distinct names of a group, sorted (a multiset that Retract takes
// names out of).
type Names struct{}

// NamesAcc counts each name's rows.
type NamesAcc struct{ N map[string]int64 }

func (Names) CreateAccumulator() *NamesAcc { return &NamesAcc{N: map[string]int64{}} }

func (Names) Accumulate(acc *NamesAcc, s string) { acc.N[s]++ }

func (Names) Retract(acc *NamesAcc, s string) {
	if acc.N[s]--; acc.N[s] <= 0 {
		delete(acc.N, s)
	}
}

func (Names) GetValue(acc *NamesAcc) string {
	var ns []string
	for n := range acc.N {
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return strings.Join(ns, "|")
}
