package optimizer

import "github.com/sqlc-stream/sqlc-stream/ir"

// What the passes know of the built-ins of ir/bind_func_math.go and
// ir/bind_func_string.go. None of them is folded yet (they run when the job runs), but a
// strict one with a NULL literal argument folds to NULL, and the safe ones may be moved
// where they were guarded. RAND, RAND_INTEGER and UUID are non-deterministic
// (ir.IsDeterministic), so they are neither folded nor shared by CSE nor duplicated by
// merging Calcs; they are not strict here, so a NULL seed stays for the run time.
func init() {
	// safe: never fail the job. Not: TRUNCATE (NaN), RAND_INTEGER (a bound < 1), REPEAT,
	// INSTR, FROM_BASE64, and the regular expressions (a pattern of the row).
	for _, op := range []ir.Op{
		ir.OpIsDistinctFrom, ir.OpIsNotDistinctFrom,
		"POWER", "SQRT", "LN", "LOG10", "LOG2", "LOG", "EXP", "RAND", "UUID",
		"CONCAT_WS", "REPLACE", "SPLIT_INDEX", "LPAD", "RPAD", "POSITION", "LOCATE", "INITCAP",
		"LEFT", "RIGHT", "REVERSE", "PARSE_URL", "TO_BASE64", "MD5", "SHA1", "SHA256", "ASCII",
		"CHR", "GREATEST", "LEAST", "IFNULL",
	} {
		safeOps[op] = true
	}
	// strict: every operand is evaluated, and a NULL one makes the result NULL.
	for _, op := range []ir.Op{
		ir.OpSimilar, "POWER", "SQRT", "LN", "LOG10", "LOG2", "LOG", "EXP", "TRUNCATE",
		"REPLACE", "REGEXP", "REGEXP_REPLACE", "REGEXP_EXTRACT", "SPLIT_INDEX", "LPAD", "RPAD",
		"POSITION", "LOCATE", "INSTR", "INITCAP", "LEFT", "RIGHT", "REVERSE", "REPEAT",
		"PARSE_URL", "TO_BASE64", "FROM_BASE64", "MD5", "SHA1", "SHA256", "ASCII", "CHR",
		"GREATEST", "LEAST",
	} {
		strictOps[op] = true
	}
}
