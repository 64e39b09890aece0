// Package datagen is Flink's 'datagen' connector: a source of generated rows.
//
// Options, as Flink defines them:
//   - rows-per-second (default 10000): the source paces its batches so that on average
//     no more rows than this are produced per second.
//   - number-of-rows: the total number of rows; without it the source is unbounded,
//     unless a column is a sequence (below).
//   - fields.<col>.kind: 'random' (default) or 'sequence'.
//   - random: fields.<col>.min / fields.<col>.max bound numbers (defaults: the type's
//     range; for FLOAT, DOUBLE and DECIMAL Java's MIN_VALUE..MAX_VALUE like Flink, DECIMAL
//     clamped to what its precision holds); fields.<col>.length is the length of strings
//     and byte strings (default 100, or the declared length of a shorter CHAR/VARCHAR/
//     BINARY/VARBINARY), fields.<col>.var-len=true picks a length in 1..length per value;
//     fields.<col>.max-past: a TIMESTAMP is now minus a random duration below it (default
//     0: now); fields.<col>.null-rate: the probability of NULL (default 0). Random strings
//     are lowercase hexadecimal digits, as in Flink. DATE is today and TIME the current
//     time of day (Flink's generator for them), BOOLEAN a coin flip.
//   - sequence: fields.<col>.start and fields.<col>.end (both required) for integer,
//     FLOAT, DOUBLE, DECIMAL and string columns (strings hold the number's digits). The
//     source ends after end-start+1 rows, or number-of-rows if that is fewer.
//   - seed (our extension; Flink has none): a 64-bit integer that makes the random values
//     reproducible. Without it every run differs. Timestamps, dates and times still
//     follow the clock.
//
// How generated code reads rows: a batch carries Count rows and no records. For each row,
// generated code pulls the columns it needs from the Source, in increasing column order,
// with the typed getters (Int64, Float64, String, ...), each returning the value and
// whether it is NULL. A value depends only on the seed, the row number and the column, so
// a column nobody reads costs nothing and skipping a column does not change the others.
// The source notices a new row when a pull is not for a column after the previous one;
// generated code may instead call Seek(b, r) before the pulls of row r, which is exact
// even when a row pulls no column. Batch.FirstLine is the 1-based number of the batch's
// first row, so Batch.Where(i) reads "table:row".
package datagen
