// Command snapfuzz is a generated job (job.sql, compiled into main.go by go generate)
// that exists for its tests: fuzz_test.go runs rows through its generated operators,
// takes real snapshots of their keyed state as seeds, and fuzzes the generated state
// decoders with them:
//
//	go test -run '^$' -fuzz FuzzRestore -fuzztime 30s ./codegen/internal/snapfuzz
//
// A mutated snapshot may fail to restore with an error; it must never panic or
// allocate out of proportion to its size.
package main

//go:generate go run ../../../cmd/sqlc-stream compile -o main.go job.sql
