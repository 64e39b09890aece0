package csv_test

import (
	"fmt"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/csv"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// The decode step generated code runs for each CSV record.
func ExampleSplitter_Split() {
	sp := csv.NewSplitter(csv.DefaultConfig())
	for _, rec := range []string{`1,"Beijing, CN",300`, `2,Shanghai,`, `3,"Hangzhou`} {
		fields, err := sp.Split([]byte(rec), 3)
		if err != nil {
			fmt.Println("bad row:", err)
			continue
		}
		id, _ := types.ParseInt64(fields[0])
		size, ok := types.ParseInt64(fields[2]) // an empty field does not parse: NULL only with ignore-parse-errors
		fmt.Printf("%d %q %d %v\n", id, fields[1], size, ok)
	}
	// Output:
	// 1 "Beijing, CN" 300 true
	// 2 "Shanghai" 0 false
	// bad row: csv: unterminated quoted field at byte 2
}
