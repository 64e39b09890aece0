package ir

import (
	"strings"

	"github.com/sqlc-stream/sqlc-stream/parser"
)

// ResolveHints carry what a CREATE FUNCTION's WITH clause says about the shape of the
// Go declaration, for resolvers that need it before mapping the signature (a
// vectorized function takes slices).
type ResolveHints struct {
	// Vectorized is WITH ('vectorized' = ...): nil when not written (the Go
	// declaration's //sqlcstream:vectorized directive decides).
	Vectorized *bool
}

// HintedResolver is a FuncResolver that takes the WITH clause's hints; package udf's
// Resolver implements it. Bind uses it when BindOptions.Resolver implements it.
type HintedResolver interface {
	ResolveHinted(importPath, goName string, hints ResolveHints) (*Function, error)
}

// Function option keys of CREATE FUNCTION ... WITH (...), sqlc-stream's extension.
const (
	FuncOptDeterministic   = "deterministic"     // 'true' | 'false'
	FuncOptVectorized      = "vectorized"        // 'true' | 'false'
	FuncOptOnError         = "on-error"          // 'fail' | 'null' | 'dead-letter'
	FuncOptDeadLetterTable = "dead-letter.table" // a table declared with CREATE TABLE
)

var funcOptKeys = []string{FuncOptDeterministic, FuncOptVectorized, FuncOptOnError, FuncOptDeadLetterTable}

// funcOptions are the validated WITH options of one CREATE FUNCTION.
type funcOptions struct {
	opts          []Option
	deterministic *bool
	vectorized    *bool
	onError       *ErrorPolicy
	onErrorOpt    *Option
	deadLetter    *Option
}

// parseFuncOptions validates the WITH options of a CREATE FUNCTION: known keys, valid
// values, no key twice.
func (b *binder) parseFuncOptions(with []*parser.Option) (*funcOptions, *bindError) {
	fo := &funcOptions{}
	seen := map[string]bool{}
	for _, o := range with {
		if o == nil || o.Key == nil || o.Value == nil {
			continue
		}
		opt := Option{Key: o.Key.Value, Value: o.Value.Value, KeySpan: o.Key.Span, ValueSpan: o.Value.Span}
		if seen[opt.Key] {
			return nil, b.errorf(o.Key.Span, "function option '%s' is given twice", opt.Key)
		}
		seen[opt.Key] = true
		fo.opts = append(fo.opts, opt)
		boolValue := func() (*bool, *bindError) {
			switch strings.ToLower(opt.Value) {
			case "true":
				t := true
				return &t, nil
			case "false":
				f := false
				return &f, nil
			}
			return nil, b.errorf(o.Value.Span, "function option '%s' must be 'true' or 'false', not '%s'", opt.Key, opt.Value)
		}
		var err *bindError
		switch opt.Key {
		case FuncOptDeterministic:
			fo.deterministic, err = boolValue()
		case FuncOptVectorized:
			fo.vectorized, err = boolValue()
		case FuncOptOnError:
			var p ErrorPolicy
			switch strings.ToLower(opt.Value) {
			case "fail":
				p = ErrorFail
			case "null":
				p = ErrorNull
			case "dead-letter":
				p = ErrorDeadLetter
			default:
				err = b.errorf(o.Value.Span, "function option 'on-error' must be 'fail', 'null' or 'dead-letter', not '%s'%s", opt.Value, suggest(opt.Value, []string{"fail", "null", "dead-letter"}))
			}
			fo.onError = &p
			fo.onErrorOpt = &fo.opts[len(fo.opts)-1]
		case FuncOptDeadLetterTable:
			if strings.TrimSpace(opt.Value) == "" {
				err = b.errorf(o.Value.Span, "function option 'dead-letter.table' needs a table name")
			}
			fo.deadLetter = &fo.opts[len(fo.opts)-1]
		default:
			hint := suggest(opt.Key, funcOptKeys)
			if hint == "" {
				hint = "; function options are '" + strings.Join(funcOptKeys, "', '") + "'"
			}
			err = b.errorf(o.Key.Span, "unknown function option '%s'%s", opt.Key, hint)
		}
		if err != nil {
			return nil, err
		}
	}
	// fo.opts may have grown after the pointers into it were taken: re-point them.
	for i := range fo.opts {
		switch fo.opts[i].Key {
		case FuncOptOnError:
			fo.onErrorOpt = &fo.opts[i]
		case FuncOptDeadLetterTable:
			fo.deadLetter = &fo.opts[i]
		}
	}
	if fo.onError != nil && *fo.onError == ErrorDeadLetter && fo.deadLetter == nil {
		return nil, b.errorf(fo.onErrorOpt.ValueSpan, "'on-error' = 'dead-letter' needs 'dead-letter.table' = '<table>' naming a table declared with CREATE TABLE")
	}
	if fo.deadLetter != nil && (fo.onError == nil || *fo.onError != ErrorDeadLetter) {
		return nil, b.errorf(fo.deadLetter.KeySpan, "'dead-letter.table' is only used with 'on-error' = 'dead-letter'; add it")
	}
	return fo, nil
}

func (fo *funcOptions) hints() ResolveHints {
	return ResolveHints{Vectorized: fo.vectorized}
}

// apply sets the policy fields of fn and its overloads from the options, over the
// defaults the resolver took from the Go declaration's directives.
func (fo *funcOptions) apply(fn *Function) {
	for _, f := range append([]*Function{fn}, fn.Overloads...) {
		f.Options = fo.opts
		if fo.deterministic != nil {
			f.Deterministic = *fo.deterministic
		}
		if fo.vectorized != nil {
			f.Vectorized = *fo.vectorized
		}
		if fo.onError != nil {
			f.OnError = *fo.onError
		}
		if fo.deadLetter != nil {
			f.DeadLetter = fo.deadLetter.Value
		}
	}
}

// resolveFunc resolves the Go declaration, passing hints when the resolver takes them.
func (b *binder) resolveFunc(importPath, goName string, fo *funcOptions) (*Function, error) {
	if hr, ok := b.opts.Resolver.(HintedResolver); ok {
		return hr.ResolveHinted(importPath, goName, fo.hints())
	}
	return b.opts.Resolver.Resolve(importPath, goName)
}

// DeadLetterColumns are the columns a dead-letter table may declare, each STRING; the
// table declares any subset, in any order, chosen by name.
var DeadLetterColumns = []string{"function_name", "error_message", "arguments", "sql_position", "row_position", "source_table"}

// checkDeadLetter checks that fn's dead-letter table is declared and has only columns
// the dead-letter row defines. It is called when the function is first called (the
// table may be declared after the CREATE FUNCTION).
func (b *binder) checkDeadLetter(fn *Function) *bindError {
	if fn.OnError != ErrorDeadLetter {
		return nil
	}
	var opt *Option
	for i := range fn.Options {
		if fn.Options[i].Key == FuncOptDeadLetterTable {
			opt = &fn.Options[i]
		}
	}
	span := fn.Span
	if opt != nil {
		span = opt.ValueSpan
	}
	t := b.tables[fn.DeadLetter]
	if t == nil {
		var names []string
		for n := range b.tables {
			names = append(names, n)
		}
		return b.errorf(span, "dead-letter table %q of function %s is not declared; declare it with CREATE TABLE before the query using the function%s", fn.DeadLetter, fn.Name, suggest(fn.DeadLetter, names))
	}
	for _, c := range t.Columns {
		if c.Kind != Physical {
			continue
		}
		known := false
		for _, k := range DeadLetterColumns {
			if c.Name == k {
				known = true
			}
		}
		if !known {
			return b.errorf(c.Span, "column %q of dead-letter table %s is not a dead-letter column%s; a dead-letter row has %s (each STRING)", c.Name, t.Name, suggest(c.Name, DeadLetterColumns), strings.Join(DeadLetterColumns, ", "))
		}
		if !c.Type.IsString() {
			return b.errorf(c.Span, "column %q of dead-letter table %s must be STRING, not %s", c.Name, t.Name, c.Type)
		}
	}
	return nil
}

// brokenFuncKey is the binder.broken key of a function whose CREATE FUNCTION failed:
// calls of it report nothing more.
func brokenFuncKey(lowerName string) string { return "function " + lowerName }
