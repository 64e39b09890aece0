package mysql

import (
	"fmt"
	"log/slog"
	"strings"

	mysqldriver "github.com/go-sql-driver/mysql"
)

// The MySQL driver prints some of its own messages ("[mysql] ... closing bad idle
// connection: ...") with its package logger, in its own format, on stderr. A job that
// links this package routes them through slog's default logger instead (the job's: the
// same format, level filter and secret masking as every other line), as warnings.
func init() {
	mysqldriver.SetLogger(driverLogger{})
}

// driverLogger is the driver's Logger on slog.Default, resolved at every message so
// that the job's logger, set after init, is the one used.
type driverLogger struct{}

func (driverLogger) Print(v ...any) {
	msg := strings.TrimSpace(fmt.Sprint(v...))
	slog.Default().Warn(msg, "driver", "mysql")
}
