package table_test

import (
	"fmt"

	"github.com/sqlc-stream/sqlc-stream/table"
)

// The seed's statistics job as a Table program; SQL shows the script it compiles.
func Example() {
	env := table.NewEnvironment(table.Options{Name: "stats.sql"})
	err := env.ExecuteSQL(`
CREATE TABLE access_log (province STRING, response_size BIGINT)
  WITH ('connector' = 'filesystem', 'path' = 'log.csv', 'format' = 'csv');
CREATE TABLE stats (province STRING, access_count BIGINT, total_download BIGINT)
  WITH ('connector' = 'print');`)
	if err != nil {
		fmt.Println(err)
		return
	}
	env.From("access_log").
		Where("response_size > 0").
		GroupBy("province").
		Select("province, count(*) AS access_count, sum(response_size) AS total_download").
		InsertInto("stats")
	if _, err := env.Program(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(env.SQL())
	// Output:
	// CREATE TABLE access_log (province STRING, response_size BIGINT)
	//   WITH ('connector' = 'filesystem', 'path' = 'log.csv', 'format' = 'csv');
	//
	// CREATE TABLE stats (province STRING, access_count BIGINT, total_download BIGINT)
	//   WITH ('connector' = 'print');
	//
	// INSERT INTO stats
	// SELECT province, count(*) AS access_count, sum(response_size) AS total_download
	// FROM access_log
	// WHERE response_size > 0
	// GROUP BY province;
}
