package stream

// DeadLetterRecord is a record a source rejected.
type DeadLetterRecord struct {
	Table    string // the source table
	Position string // where the record is: "logs.csv:17", "clicks[2]@1043"
	Outcome  string // "skipped" (no row) or "nulled" (a row with fields set to NULL)
	Error    string // why
	Record   []byte // the record's bytes as read
}

// DeadLetterWriter is a dead-letter destination: a file (runtimelib/job) or a Kafka
// topic (runtimelib/kafka.NewDeadLetterWriter). Write buffers, Flush makes what was written
// durable. runtimelib/job's DeadLetter serializes the calls.
type DeadLetterWriter interface {
	Write(r *DeadLetterRecord) error
	Flush() error
	Close() error
}
