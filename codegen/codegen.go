package codegen

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"path"
	"reflect"
	"sort"
	"strings"

	"github.com/dave/jennifer/jen"
	"github.com/sqlc-stream/sqlc-stream/diag"
	"github.com/sqlc-stream/sqlc-stream/ir"
	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
)

// Import paths of the runtime packages generated code calls.
const (
	modulePath    = "github.com/sqlc-stream/sqlc-stream"
	pkgJob        = modulePath + "/runtimelib/job"
	pkgStream     = modulePath + "/runtimelib/stream"
	pkgTypes      = modulePath + "/runtimelib/types"
	pkgAgg        = modulePath + "/runtimelib/agg"
	pkgOptions    = modulePath + "/runtimelib/options"
	pkgCSV        = modulePath + "/runtimelib/csv"
	pkgJSON       = modulePath + "/runtimelib/json"
	pkgFilesystem = modulePath + "/runtimelib/filesystem"
	pkgDatagen    = modulePath + "/runtimelib/datagen"
	pkgPrint      = modulePath + "/runtimelib/print"
	pkgBlackhole  = modulePath + "/runtimelib/blackhole"
	pkgSQLite     = modulePath + "/runtimelib/sqlite"
	pkgMySQL      = modulePath + "/runtimelib/mysql"
	pkgKafka      = modulePath + "/runtimelib/kafka"
	pkgState      = modulePath + "/runtimelib/state"
	pkgExec       = modulePath + "/runtimelib/exec"
	pkgWindow     = modulePath + "/runtimelib/window"
	pkgKeygroup   = modulePath + "/runtimelib/keygroup"
)

// Options configures Generate.
type Options struct {
	// SourceName is the SQL file name as shown in the header and in runtime messages
	// ("job.sql"); the job's name is SourceName without its extension.
	SourceName string
	// Source turns spans into "job.sql:3:14" positions (defaults to the plan's Source).
	Source *diag.Source
}

// File is one generated Go file.
type File struct {
	Name    string
	Content []byte
}

// Generate compiles an optimized program into the Go source of a job binary (package
// main). Anything the code generator cannot handle yet is a positioned diagnostic; the
// returned error is then a diag.List.
func Generate(prog *ir.Program, opts Options) ([]File, error) {
	if prog == nil || prog.Plan == nil {
		return nil, fmt.Errorf("codegen: empty program")
	}
	g := &gen{
		prog:     prog,
		opts:     opts,
		src:      opts.Source,
		tableIdx: map[*ir.Table]int{},
		aggs:     map[*ir.Aggregate]*aggInfo{},
	}
	if g.src == nil {
		g.src = prog.Plan.Source
	}
	if g.opts.SourceName == "" && g.src != nil {
		g.opts.SourceName = g.src.Name
	}
	if g.opts.SourceName == "" {
		g.opts.SourceName = "job.sql"
	}
	g.run()
	if err := g.errs.Err(); err != nil {
		return nil, err
	}
	src, err := g.render()
	if err != nil {
		return nil, err
	}
	return []File{{Name: "main.go", Content: src}}, nil
}

// gen holds the state of one Generate call.
type gen struct {
	prog *ir.Program
	opts Options
	src  *diag.Source
	errs diag.List

	tables   []*ir.Table // tables the job uses, in catalog order
	tableIdx map[*ir.Table]int
	roles    map[*ir.Table]options.Role

	udfAliases map[string]string // import path -> alias
	aliasSet   map[string]bool
	udfSites   []udfSite

	pkgVars     []jen.Code
	pkgVarNames map[string]string // initializer (%#v) -> name, see pkgVar
	nPkgVars    int

	aggs    map[*ir.Aggregate]*aggInfo
	aggList []*aggInfo
	uids    map[*ir.Aggregate]string // the aggregates' checkpoint uids (checkpoint.go), once known

	curGroup []*ir.Pipeline // the pipelines of the scan being generated
	vec      vecGen         // numbering of vectorized UDF call sites (vectorized.go)

	// The job's stages and exchanges (stage.go); cur is the stage being generated,
	// whose operator type gets the fields, setup and methods.
	stages   []*stageGen
	srcStage *stageGen
	edges    []*edge
	cur      *stageGen
	srcOpen  []srcOpen         // the sources run opens, in source index order
	types    []jen.Code        // generated struct types
	scanDone map[*ir.Scan]bool // scans whose loop was generated (scanEmitter)
	nSinks   int               // numbers the sink fields
	// aggStages are the keyed stages of the aggregates (stageOf).
	aggStages map[*ir.Aggregate]*stageGen
	udfx      *udfState // UDF instances, counters, dead-letter sinks (udfpolicy.go)
}

func (g *gen) errorf(span diag.Span, format string, args ...any) {
	g.errs.Add(diag.Errorf(g.src, span, format, args...))
}

// pos renders a span's start as "job.sql:3:14" (empty without a source).
func (g *gen) pos(span diag.Span) string {
	if g.src == nil || span == (diag.Span{}) {
		return ""
	}
	p := g.src.Position(span.Start)
	switch {
	case len(g.src.Files) > 0:
		p.File = path.Base(strings.ReplaceAll(p.File, "\\", "/"))
	case g.src.Base == nil:
		p.File = g.opts.SourceName
	}
	return p.String()
}

// run generates every part of the program into g.
func (g *gen) run() {
	g.collectTables()
	g.collectUDFs()
	g.checkRowAggregates() // row.go
	if len(g.errs) > 0 {
		return
	}
	// Each pipeline from its source's emitter (Pipelines that share a Scan run in one
	// loop: the Scan's emitter generates them together).
	for _, pl := range g.prog.Pipelines {
		if e, ok := emitterOf[sourceEmitter](g, pl.Source, "the source of a pipeline"); ok {
			e.source(g, pl)
		}
	}
	for _, a := range g.aggList {
		if len(a.emits) == 0 {
			g.errorf(a.node.Pos, "internal error: aggregate without an emitting pipeline")
			continue
		}
		g.finishPartials(a)
		g.types = append(g.types, g.aggTypes(a)...)
		g.types = append(g.types, g.snapshotDecls(a)...)
		a.stage.snapshot = a
		// The readers emit at the processing time of the barrier; after every reader has
		// emitted its changes, the groups are clean again, and a bounded number of slots
		// is checked for groups that expired (state TTL):
		//	p.agg0.Tick()
		//	... flushN ...
		//	p.agg0.clean()
		//	p.agg0.Cleanup(4096 + p.agg0.Len()/64)
		tab := jen.Id("p").Dot(a.tableField())
		a.stage.barrier = append([]jen.Code{tab.Clone().Dot("Tick").Call()}, a.stage.barrier...)
		a.stage.barrier = append(a.stage.barrier, tab.Clone().Dot("clean").Call(),
			tab.Clone().Dot("Cleanup").Call(jen.Lit(ttlCleanupSlots).Op("+").Add(tab.Clone()).Dot("Len").Call().Op("/").Lit(64)))
	}
}

// collectTables lists the tables the pipelines scan or write, in catalog order, and
// what each is used as (the operators' emitters say: tableEmitter).
func (g *gen) collectTables() {
	g.roles = map[*ir.Table]options.Role{}
	var inOrder []*ir.Table
	for _, pl := range g.prog.Pipelines {
		for _, n := range []ir.Node{pl.Source, pl.Sink} {
			e, ok := emitters[reflect.TypeOf(n)].(tableEmitter)
			if !ok {
				continue
			}
			t, role := e.table(n)
			if t == nil {
				continue
			}
			if role == options.Sink || g.roles[t] == 0 {
				g.roles[t] = role
			}
			inOrder = append(inOrder, t)
		}
	}
	g.deadLetterRoles()
	var cat []*ir.Table
	if g.prog.Plan.Catalog != nil {
		cat = g.prog.Plan.Catalog.Tables
	}
	seen := map[*ir.Table]bool{}
	// Tables not in the catalog (hand-built programs) come after, in pipeline order.
	for _, t := range append(cat, inOrder...) {
		if g.roles[t] != 0 && !seen[t] {
			seen[t] = true
			g.tableIdx[t] = len(g.tables)
			g.tables = append(g.tables, t)
		}
	}
}

// collectUDFs assigns import aliases to the UDF packages the program calls, in import
// path order: those of every UDF call in the operators' expressions, and the packages
// the operators' emitters name (importEmitter: table functions' rows, aggregate
// functions' accumulators).
func (g *gen) collectUDFs() {
	paths := map[string]bool{}
	visit := func(e ir.Expr) {
		ir.WalkExpr(e, func(e ir.Expr) {
			if c, ok := e.(*ir.UDFCall); ok && c.Fn != nil {
				paths[c.Fn.ImportPath] = true
			}
		})
	}
	for _, pl := range g.prog.Pipelines {
		for _, n := range append(append([]ir.Node{pl.Source}, pl.Operators()...), pl.Sink) {
			ir.VisitExprs(n, visit)
			if e, ok := emitters[reflect.TypeOf(n)].(importEmitter); ok {
				for _, p := range e.imports(n) {
					paths[p] = true
				}
			}
		}
	}
	sorted := make([]string, 0, len(paths))
	for p := range paths {
		sorted = append(sorted, p)
	}
	sort.Strings(sorted)
	g.udfAliases = map[string]string{}
	g.aliasSet = map[string]bool{}
	for _, p := range sorted {
		base := sanitize(path.Base(p))
		alias := base
		for i := 2; reservedNames[alias] || predeclared[alias] || g.aliasSet[alias] || isKeyword(alias); i++ {
			alias = base + itoa(i)
		}
		g.aliasSet[alias] = true
		g.udfAliases[p] = alias
	}
}

// jobName is the SQL file name without directory and extension; of several files, the
// last one's (q1 for ddl_gen.sql ddl_views.sql q1.sql).
func (g *gen) jobName() string {
	name := g.opts.SourceName
	if g.src != nil && len(g.src.Files) > 0 {
		name = g.src.Files[len(g.src.Files)-1].Name
	}
	base := path.Base(strings.ReplaceAll(name, "\\", "/"))
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	return base
}

// render assembles the file, formats it, and returns its bytes.
func (g *gen) render() ([]byte, error) {
	f := jen.NewFile("main")
	f.NoFormat = true
	f.HeaderComment("Code generated by sqlc-stream. DO NOT EDIT.")
	f.HeaderComment("source: " + g.opts.SourceName)
	// The print connector's package is named print, which would shadow the builtin.
	f.ImportAlias(pkgPrint, "printsink")
	paths := make([]string, 0, len(g.udfAliases))
	for p := range g.udfAliases {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		f.ImportAlias(p, g.udfAliases[p])
	}

	// var spec = &job.Spec{...}
	var tables []jen.Code
	for _, t := range g.tables {
		tables = append(tables, g.tableSpec(t))
	}
	f.Comment("spec describes the job: its tables with their options as written and the rows")
	f.Comment("their connectors see. -D table.option=value overrides an option at start.")
	f.Var().Id("spec").Op("=").Op("&").Qual(pkgJob, "Spec").Add(composite(true, append([]jen.Code{
		kv("Name", jen.Lit(g.jobName())),
		kv("Source", jen.Lit(g.opts.SourceName)),
		kv("Tables", jen.Index().Qual(pkgJob, "TableSpec").Add(composite(true, tables...))),
		kv("Stages", g.stageSpecs()), // for the status page (stage.go)
	}, append(g.specSettings(), // Settings: the SET keys the runtime reads (settings.go)
		g.specCheckpoint()...)...)...)) // Plan and State: what checkpoints record (checkpoint.go)
	f.Line()
	// func main() { job.Main(spec, run) }
	f.Func().Id("main").Params().Block(jen.Qual(pkgJob, "Main").Call(jen.Id("spec"), jen.Id("run")))
	f.Line()

	if len(g.udfSites) > 0 {
		// var udfSites = [...]struct{ name, pos string }{{"ip_to_province", "job.sql:14:16"}, ...}
		f.Comment("udfSites names each UDF call site, for errors from a panicking function.")
		f.Var().Id("udfSites").Op("=").Index().Struct(jen.List(jen.Id("name"), jen.Id("pos")).String()).ValuesFunc(func(gr *jen.Group) {
			gr.Values(jen.Lit(""), jen.Lit(""))
			for _, s := range g.udfSites {
				gr.Values(jen.Lit(s.name), jen.Lit(s.pos))
			}
		})
		f.Line()
	}
	for _, v := range g.pkgVars {
		f.Add(v)
	}
	if len(g.pkgVars) > 0 {
		f.Line()
	}

	for _, t := range g.types {
		f.Add(t)
		f.Line()
	}
	// func run(ctx *job.Context) error {...} and the stages' operator types (stage.go)
	g.renderRun(f)
	g.renderStages(f)

	var buf bytes.Buffer
	if err := f.Render(&buf); err != nil {
		return nil, fmt.Errorf("codegen: rendering: %v", err)
	}
	out, err := format.Source(buf.Bytes())
	if err != nil {
		// Like Go's SSA rule generator: keep the broken output for inspection.
		name := "sqlc-stream-broken.go"
		if tf, terr := os.CreateTemp("", "sqlc-stream-*.go"); terr == nil {
			tf.Write(buf.Bytes())
			tf.Close()
			name = tf.Name()
		}
		return nil, fmt.Errorf("codegen: generated code does not parse (a bug in the code generator): %v; source written to %s", err, name)
	}
	return out, nil
}

// tableSpec renders one job.TableSpec: options as written and the schema of the row the
// connector sees (physical columns; for a sink, with the upsert key).
//
//	{Name: "t", Role: options.Source, Options: []options.KV{{Key: "connector", Value: "filesystem"}},
//	 Schema: stream.Schema{Columns: []stream.Column{{Name: "uuid", Type: "STRING", Kind: stream.Varchar, Nullable: true}}}}
func (g *gen) tableSpec(t *ir.Table) jen.Code {
	opts := make([]jen.Code, len(t.Options))
	for i, o := range t.Options {
		opts[i] = composite(false, kv("Key", jen.Lit(o.Key)), kv("Value", jen.Lit(o.Value)))
	}
	items := []jen.Code{kv("Name", jen.Lit(t.Name))}
	switch g.roles[t] {
	case options.Source:
		items = append(items, kv("Role", jen.Qual(pkgOptions, "Source")))
	case options.Sink:
		items = append(items, kv("Role", jen.Qual(pkgOptions, "Sink")))
	}
	items = append(items,
		kv("Options", jen.Index().Qual(pkgOptions, "KV").Add(composite(true, opts...))),
		kv("Schema", g.schema(t, g.sinkKey(t))),
	)
	src := t.Source
	if src == nil {
		src = g.src
	}
	if sql := spanText(src, t.Span); sql != "" {
		items = append(items, kv("SQL", jen.Lit(sql)))
	}
	return composite(true, items...)
}

// sinkKey is the upsert key of the first INSERT into t, as indexes into the table's
// physical columns, as the binder gives it (nil: append-only).
func (g *gen) sinkKey(t *ir.Table) []int {
	for _, pl := range g.prog.Pipelines {
		if s, ok := pl.Sink.(*ir.Sink); ok && s.Table == t && len(s.UpsertKey) > 0 {
			return s.UpsertKey
		}
	}
	return nil
}

// physicalColumns lists a table's physical columns: the row its connector sees.
func physicalColumns(t *ir.Table) []*ir.Column {
	var out []*ir.Column
	for _, c := range t.Columns {
		if c.Kind == ir.Physical {
			out = append(out, c)
		}
	}
	return out
}

// schema renders the stream.Schema of a table's physical columns.
func (g *gen) schema(t *ir.Table, key []int) jen.Code {
	var cols []jen.Code
	physical := map[int]int{} // Table.Columns index -> schema column
	for i, c := range t.Columns {
		if c.Kind != ir.Physical {
			continue
		}
		physical[i] = len(cols)
		cols = append(cols, streamColumn(c.Name, c.Type))
	}
	items := []jen.Code{kv("Columns", jen.Index().Qual(pkgStream, "Column").Add(composite(true, cols...)))}
	if len(key) > 0 {
		ks := make([]jen.Code, len(key))
		for i, k := range key {
			ks[i] = jen.Lit(k)
		}
		items = append(items, kv("Key", jen.Index().Int().Values(ks...)))
	}
	if len(t.PartitionKeys) > 0 {
		ps := make([]jen.Code, len(t.PartitionKeys))
		for i, k := range t.PartitionKeys {
			ps[i] = jen.Lit(physical[k])
		}
		items = append(items, kv("Partition", jen.Index().Int().Values(ps...)))
	}
	return jen.Qual(pkgStream, "Schema").Add(composite(true, items...))
}

// streamColumn renders the stream.Column of a column (or ROW field) of type t; a ROW
// lists its fields.
func streamColumn(name string, t ir.Type) jen.Code {
	items := []jen.Code{
		kv("Name", jen.Lit(name)),
		kv("Type", jen.Lit(t.String())),
		kv("Kind", jen.Qual(pkgStream, streamKind(t.Kind))),
	}
	switch t.Kind {
	case ir.KindDecimal:
		items = append(items, kv("Precision", jen.Lit(t.Precision)), kv("Scale", jen.Lit(t.Scale)))
	case ir.KindTime, ir.KindTimestamp, ir.KindTimestampLTZ:
		items = append(items, kv("Precision", jen.Lit(t.Precision)))
	case ir.KindChar, ir.KindVarchar, ir.KindBinary, ir.KindVarbinary:
		items = append(items, kv("Length", jen.Lit(t.Length)))
	}
	if t.Nullable {
		items = append(items, kv("Nullable", jen.True()))
	}
	if t.Kind == ir.KindRow {
		fields := make([]jen.Code, len(t.Fields))
		for i, f := range t.Fields {
			fields[i] = streamColumn(f.Name, f.Type)
		}
		items = append(items, kv("Fields", jen.Index().Qual(pkgStream, "Column").Add(composite(true, fields...))))
	}
	return composite(false, items...)
}

func streamKind(k ir.Kind) string {
	switch k {
	case ir.KindBoolean:
		return "Boolean"
	case ir.KindTinyInt:
		return "TinyInt"
	case ir.KindSmallInt:
		return "SmallInt"
	case ir.KindInt:
		return "Int"
	case ir.KindBigInt:
		return "BigInt"
	case ir.KindFloat:
		return "Float"
	case ir.KindDouble:
		return "Double"
	case ir.KindDecimal:
		return "Decimal"
	case ir.KindChar:
		return "Char"
	case ir.KindVarchar:
		return "Varchar"
	case ir.KindBinary:
		return "Binary"
	case ir.KindVarbinary:
		return "Varbinary"
	case ir.KindDate:
		return "Date"
	case ir.KindTime:
		return "Time"
	case ir.KindTimestamp:
		return "Timestamp"
	case ir.KindTimestampLTZ:
		return "TimestampLTZ"
	case ir.KindRow:
		return "Row"
	case ir.KindArray:
		return "Array"
	case ir.KindMap:
		return "Map"
	case ir.KindMultiset:
		return "Multiset"
	}
	return "Varchar"
}

// resolved resolves a table's options at compile time to learn its connector and format
// (the binder has reported option problems already).
func resolved(t *ir.Table) *options.Resolved {
	kvs := make([]options.KV, len(t.Options))
	for i, o := range t.Options {
		kvs[i] = options.KV{Key: o.Key, Value: o.Value}
	}
	r, _ := options.Resolve(t.Name, kvs)
	if r == nil {
		r = &options.Resolved{Table: t.Name, Connector: t.Connector, Values: map[string]string{}}
	}
	if r.Connector == "" {
		r.Connector = t.Connector
	}
	return r
}

func isKeyword(s string) bool {
	switch s {
	case "break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough",
		"for", "func", "go", "goto", "if", "import", "interface", "map", "package", "range",
		"return", "select", "struct", "switch", "type", "var":
		return true
	}
	return false
}
