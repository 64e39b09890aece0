package job

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// RuntimeError is an error about one row: where the row came from (stream.Batch.Where),
// the position in the SQL of the expression that failed, and what happened. It prints as
// "logs.csv:17: job.sql:5:10: CAST('abc' AS BIGINT) failed: ...".
type RuntimeError struct {
	Where  string // "logs.csv:17", "access_log[2]@1043"; "" when unknown
	SQLPos string // "job.sql:5:10"; "" when unknown
	Msg    string
	Err    error // the underlying error, if any
}

func (e *RuntimeError) Error() string {
	parts := make([]string, 0, 3)
	for _, p := range []string{e.Where, e.SQLPos, e.Msg} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ": ")
}

func (e *RuntimeError) Unwrap() error { return e.Err }

// RowError returns a RuntimeError for a row; format and args make the message as with
// fmt.Errorf (a %w verb wraps its error).
func RowError(where, sqlPos, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &RuntimeError{Where: where, SQLPos: sqlPos, Msg: err.Error(), Err: errors.Unwrap(err)}
}

// UDFError reports that the user function named function, called at sqlPos, returned
// err. Generated code adds where the row came from with AtRow.
func UDFError(sqlPos, function string, err error) error {
	return &RuntimeError{SQLPos: sqlPos, Msg: fmt.Sprintf("function %s returned an error: %v", function, err), Err: err}
}

// UDFPanic reports that the user function named function, called at sqlPos, panicked
// with recovered (the value recover returned).
func UDFPanic(sqlPos, function string, recovered any) error {
	err, _ := recovered.(error)
	return &RuntimeError{SQLPos: sqlPos, Msg: fmt.Sprintf("function %s panicked: %v", function, recovered), Err: err}
}

// AtRow sets where the row came from on err: a RuntimeError without Where gets it (as a
// copy); any other error is wrapped in a RuntimeError. nil stays nil.
func AtRow(err error, where string) error {
	if err == nil {
		return nil
	}
	var re *RuntimeError
	if errors.As(err, &re) {
		if re.Where != "" {
			return err
		}
		c := *re
		c.Where = where
		return &c
	}
	return &RuntimeError{Where: where, Msg: err.Error(), Err: err}
}

// UDFArgsJSON renders the arguments of a failed UDF call as a JSON array (nil is null),
// for the arguments column of a dead-letter row; values JSON cannot hold are printed.
func UDFArgsJSON(args ...any) string {
	data, err := json.Marshal(args)
	if err != nil {
		return fmt.Sprintf("%v", args)
	}
	return string(data)
}

// excerptMax is how many bytes of a record a message shows.
const excerptMax = 256

// Excerpt renders a record's bytes for a message: Go-quoted (so control characters and
// invalid UTF-8 are escaped), at most the first 256 bytes, with the length of the whole
// record when it was cut: "abc,1" or "xxx…"... (1048576 bytes).
func Excerpt(rec []byte) string {
	if len(rec) <= excerptMax {
		return strconv.Quote(string(rec))
	}
	return strconv.Quote(string(rec[:excerptMax])) + "... (" + strconv.Itoa(len(rec)) + " bytes)"
}

// RecordError is RowError about a record that could not be read: the message ends with
// the record's bytes (Excerpt), so that the error shows what was read where.
func RecordError(where, sqlPos string, rec []byte, format string, args ...any) error {
	err := fmt.Errorf(format, args...)
	return &RuntimeError{Where: where, SQLPos: sqlPos, Msg: err.Error() + ": record " + Excerpt(rec), Err: errors.Unwrap(err)}
}
