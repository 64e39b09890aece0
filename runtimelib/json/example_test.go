package json_test

import (
	"fmt"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/json"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/types"
)

// The decode step generated code runs for each JSON record, with a ROW column read by a
// second Scanner.
func ExampleScanner() {
	rec := []byte(`{"id": 7, "user": {"name": "Ann\u00e9", "age": 30}, "ts": "2020-01-01 12:00:00.5", "unused": [1, 2]}`)
	var sc, row json.Scanner
	var scratch [64]byte
	if err := sc.Reset(rec); err != nil {
		panic(err)
	}
	for sc.Next() {
		switch string(sc.Key()) {
		case "id":
			id, _ := json.Int64(sc.Value())
			fmt.Println("id", id)
		case "user":
			row.Reset(sc.Value())
			for row.Next() {
				if string(row.Key()) == "name" {
					name, _ := json.String(row.Value(), scratch[:0])
					fmt.Println("name", string(name))
				}
			}
		case "ts":
			ts, _ := json.Timestamp(sc.Value(), 3)
			fmt.Println("ts", types.FormatTimestamp(ts, 3))
		}
	}
	fmt.Println("err", sc.Err())
	// Output:
	// id 7
	// name Anné
	// ts 2020-01-01 12:00:00.500
	// err <nil>
}
