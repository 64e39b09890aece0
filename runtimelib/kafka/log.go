package kafka

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	kafkago "github.com/segmentio/kafka-go"
)

// slogLogger is a kafka-go Logger (its Writer's Logger and ErrorLogger) that writes
// through slog's default logger, the job's, resolved at every message: kafka-go's
// messages get the job's format, level filter and secret masking. Its routine messages
// are debug, its errors warnings (a failed write is retried, and the sink reports the
// error that ends the retries).
func slogLogger(level slog.Level) kafkago.Logger {
	return kafkago.LoggerFunc(func(format string, args ...any) {
		msg := strings.TrimSpace(fmt.Sprintf(format, args...))
		slog.Default().Log(context.Background(), level, msg, "client", "kafka-go")
	})
}
