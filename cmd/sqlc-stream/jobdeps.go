//go:build sqlcstream_jobdeps

// This file is never compiled (no build sets its tag). It names every runtimelib
// package that generated code may import, so that `go mod tidy` in a user repository
// whose go.mod has the tool line (`tool github.com/sqlc-stream/sqlc-stream/cmd/sqlc-stream`)
// keeps the requirements and go.sum lines a generated job needs: tidy reads files of
// every build tag, so a repository tidied before its first `go generate` builds the job
// at once. TestJobDepsListsRuntimelib keeps the list complete.

package main

import (
	_ "github.com/sqlc-stream/sqlc-stream/runtimelib/agg"
	_ "github.com/sqlc-stream/sqlc-stream/runtimelib/aggfunc"
	_ "github.com/sqlc-stream/sqlc-stream/runtimelib/blackhole"
	_ "github.com/sqlc-stream/sqlc-stream/runtimelib/checkpoint"
	_ "github.com/sqlc-stream/sqlc-stream/runtimelib/codec"
	_ "github.com/sqlc-stream/sqlc-stream/runtimelib/csv"
	_ "github.com/sqlc-stream/sqlc-stream/runtimelib/datagen"
	_ "github.com/sqlc-stream/sqlc-stream/runtimelib/exec"
	_ "github.com/sqlc-stream/sqlc-stream/runtimelib/filesystem"
	_ "github.com/sqlc-stream/sqlc-stream/runtimelib/job"
	_ "github.com/sqlc-stream/sqlc-stream/runtimelib/json"
	_ "github.com/sqlc-stream/sqlc-stream/runtimelib/kafka"
	_ "github.com/sqlc-stream/sqlc-stream/runtimelib/keygroup"
	_ "github.com/sqlc-stream/sqlc-stream/runtimelib/mysql"
	_ "github.com/sqlc-stream/sqlc-stream/runtimelib/nexmark"
	_ "github.com/sqlc-stream/sqlc-stream/runtimelib/options"
	_ "github.com/sqlc-stream/sqlc-stream/runtimelib/print"
	_ "github.com/sqlc-stream/sqlc-stream/runtimelib/rowenc"
	_ "github.com/sqlc-stream/sqlc-stream/runtimelib/sqlite"
	_ "github.com/sqlc-stream/sqlc-stream/runtimelib/state"
	_ "github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
	_ "github.com/sqlc-stream/sqlc-stream/runtimelib/types"
	_ "github.com/sqlc-stream/sqlc-stream/runtimelib/window"
)
