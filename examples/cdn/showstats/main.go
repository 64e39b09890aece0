// Command showstats prints the access_statistic table a CDN job wrote into SQLite, with
// a header, sorted by access_count:
//
//	go run ./showstats cdn.db
package main

import (
	"database/sql"
	"fmt"
	"os"
	"sort"
	"strconv"
	"text/tabwriter"

	_ "modernc.org/sqlite"

	"github.com/sqlc-stream/sqlc-stream/internal/cdnref"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: showstats cdn.db")
		os.Exit(2)
	}
	if err := show(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "showstats:", err)
		os.Exit(1)
	}
}

func show(path string) error {
	if _, err := os.Stat(path); err != nil {
		return err // sql.Open would create an empty database
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := cdnref.ReadTable(db)
	if err != nil {
		return err
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].AccessCount > rows[j].AccessCount })
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "province\taccess_count\ttotal_download\tdownload_speed\t\n")
	for _, r := range rows {
		total, speed := "NULL", "NULL"
		if r.TotalDownload != nil {
			total = strconv.FormatInt(*r.TotalDownload, 10)
		}
		if r.Speed != nil {
			speed = strconv.FormatFloat(*r.Speed, 'f', 2, 64)
		}
		fmt.Fprintf(w, "%s\t%d\t%s\t%s\t\n", r.Province, r.AccessCount, total, speed)
	}
	return w.Flush()
}
