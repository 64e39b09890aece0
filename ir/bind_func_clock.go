package ir

import "github.com/sqlc-stream/sqlc-stream/parser"

// The functions of the clocks: the processing-time clock (CURRENT_TIMESTAMP and its
// relatives) and the event-time clock (CURRENT_WATERMARK). None is deterministic
// (nonDeterministicOps): the optimizer never folds them, and codegen reads the clock
// once per row and call, as Flink does in streaming mode ("evaluated for each record").
// Jobs run in the UTC session time zone (bind_timezone.go), so the local date and time
// are UTC's.

func init() {
	date := Type{Kind: KindDate}
	time0 := Type{Kind: KindTime} // TIME(0)
	for name, t := range map[string]Type{
		"CURRENT_TIMESTAMP":     TimestampLTZ(3).NotNull(),
		"NOW":                   TimestampLTZ(3).NotNull(),
		"CURRENT_ROW_TIMESTAMP": TimestampLTZ(3).NotNull(),
		"LOCALTIMESTAMP":        Timestamp(3).NotNull(),
		"CURRENT_DATE":          date,
		"CURRENT_TIME":          time0,
		"LOCALTIME":             time0,
	} {
		builtinFuncs[name] = clockFn(t)
	}
	builtinFuncs["CURRENT_WATERMARK"] = currentWatermark
	builtinFuncs["SOURCE_WATERMARK"] = sourceWatermark
}

// sourceWatermark rejects WATERMARK FOR ts AS SOURCE_WATERMARK(): Flink accepts it only
// for a connector that emits watermarks of its own (SupportsSourceWatermark), which none
// of ours (nor Flink's Kafka connector) does.
func sourceWatermark(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	return nil, b.errorf(fc.Span, "SOURCE_WATERMARK() is not supported: no connector here emits watermarks of its own; write a strategy such as ts - INTERVAL '5' SECOND")
}

// clockFn binds a niladic current-time function of result type t (NOT NULL).
func clockFn(t Type) builtinFn {
	return func(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
		if err := arity(b, fc, name, args, 0, 0); err != nil {
			return nil, err
		}
		return &Call{Op: Op(name), T: t, Pos: fc.Span}, nil
	}
}

// currentWatermark binds CURRENT_WATERMARK(rowtime): the watermark of the operator's
// input, typed as the rowtime attribute (TIMESTAMP(3) or TIMESTAMP_LTZ(3)), NULL until
// the first watermark arrives. Flink accepts only a rowtime attribute as argument
// (CurrentWatermarkInputTypeStrategy).
func currentWatermark(b *binder, fc *parser.FuncCall, name string, args []Expr) (Expr, *bindError) {
	if err := arity(b, fc, name, args, 1, 1); err != nil {
		return nil, err
	}
	t := args[0].Type()
	if t.TimeAttr != TimeRowtime {
		return nil, b.errorf(fc.Args[0].ExprSpan(), "the argument of CURRENT_WATERMARK must be a rowtime attribute, but is of type %s", t)
	}
	rt := Type{Kind: t.Kind, Precision: 3, Nullable: true}
	return &Call{Op: "CURRENT_WATERMARK", Args: args, T: rt, Pos: fc.Span}, nil
}
