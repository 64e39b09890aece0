// Command gen compiles the Table program of package cdntable into the job's Go source
// in job/ and writes the SQL it stands for to cdn_table.sql; run it with go generate
// in examples/cdn/table, then build the job with go build ./job.
package main

import (
	"fmt"
	"os"

	cdntable "github.com/sqlc-stream/sqlc-stream/examples/cdn/table"
	"github.com/sqlc-stream/sqlc-stream/table"
)

func main() {
	env, err := cdntable.Job(table.Options{Name: "cdn_table.sql"})
	if err == nil {
		err = env.WriteGo("job")
	}
	if err == nil {
		err = os.WriteFile("cdn_table.sql", []byte(env.SQL()), 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
