// Package parser reads the Flink SQL dialect that sqlc-stream compiles: the DDL, DML and
// queries a user writes for the Flink SQL client, parsed by hand-written recursive descent
// into the AST of ast.go. Every node records the byte span of its text (see package diag),
// so later phases can report errors like
//
//	job.sql:3:14: unknown column "clientip"
//	  SELECT clientip FROM t
//	         ^~~~~~~~
//
// The parser knows syntax only. It does not resolve names, check types or decide whether
// a construct is supported by the compiler: the binder (package ir) does that, with the
// positions recorded here. Syntax that Flink accepts but sqlc-stream never will (GROUPING
// SETS, MATCH_RECOGNIZE, named windows, ...) is rejected here with a positioned message
// that names the construct.
//
// # Entry points
//
// ParseScript parses a file; ParseExpr and ParseSelectList parse the string arguments of
// Table API calls. Errors are a diag.List. After an error the parser skips to the next
// ";" and continues, so one run reports the first error of every bad statement. A bug in
// the parser that panics becomes an "internal parser error" diagnostic instead of a crash.
// Dump renders the AST as an indented S-expression with spans, for golden tests. Format
// prints it back as SQL that parses into the same AST (FuzzFormat checks the round
// trip): the special call syntaxes in their ordinary form, names quoted where needed.
//
// A string literal missing its closing quote runs on to the next quote, so the error
// would show up lines later; the parser reports it at the opening quote of the first
// string that spans lines and is directly followed by a word ("unterminated string
// literal").
//
// ParseScriptWith takes placeholder values (Vars): ${NAME} outside quotes is read as the
// tokens of its value, each positioned at the placeholder (FROM ${NEXMARK_TABLE}); inside
// a string only placeholders with a value are replaced, the others are kept for the job
// to expand at start; ${NAME:-text} has a default; a placeholder outside quotes without
// a value is an error at it. This is how Flink's Nexmark runner substitutes its files.
// A Source of several files (diag.JoinFiles) is one script in which the end of a file
// ends its statement, as if a ";" stood there.
//
// # Lexical structure
//
// Keywords are case-insensitive; identifiers keep their spelling (Flink identifiers are
// case-sensitive). A `backtick identifier` may hold any character; a doubled
// backtick inside stands for one. Strings are 'single quoted', a doubled quote inside for one; X'0AFF' is a binary string.
// Numbers are 42, 1.5, .5, 1e3, 1.5E-3. Comments are -- to end of line and /* ... */.
// A hint comment /*+ ... */ is not a comment: after a table name it carries
// OPTIONS('key' = 'value', ...), which override the table's WITH options; other hints
// (LOOKUP, BROADCAST, STATE_TTL, ...) only steer Flink's planner and are ignored. Double
// quotes are an error (a slip from other dialects).
//
// These words are reserved and need backticks to be used as names:
//
//	ALL AND AS BETWEEN BY CASE CAST CREATE CROSS CURRENT_DATE CURRENT_TIME
//	CURRENT_TIMESTAMP DISTINCT ELSE END ESCAPE EXCEPT EXISTS FALSE FETCH FOR FROM
//	FULL GROUP HAVING IN INNER INSERT INTERSECT INTERVAL INTO IS JOIN LATERAL LEFT
//	LIKE LIMIT LOCALTIME LOCALTIMESTAMP MATCH_RECOGNIZE MINUS NATURAL NOT NULL
//	OFFSET ON OR ORDER OUTER RIGHT SELECT SIMILAR TABLE THEN TRUE UNION UNKNOWN
//	USING VALUES WHEN WHERE WINDOW WITH
//
// Every other word, keyword or not, is a name where the grammar expects one: count, sum,
// key, value, name, state, date, hour, timestamp. After a dot any word is a name
// (t.`from` and t.from are the same). LEFT, RIGHT and INSERT followed by "(" call the
// functions of those names.
//
// # Examples
//
//	CREATE TABLE cdn_access_log (
//	  uuid VARCHAR,
//	  client_ip VARCHAR,
//	  request_time BIGINT,
//	  ts AS TO_TIMESTAMP_LTZ(request_time, 3),
//	  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
//	) WITH (
//	  'connector' = 'filesystem',
//	  'path' = 'access_log.csv',
//	  'format' = 'csv'
//	);
//
//	CREATE FUNCTION ip_to_province AS 'example.com/cdn/udf.IPToProvince' LANGUAGE GO;
//
//	INSERT INTO cdn_access_statistic
//	SELECT province, count(uuid) AS access_count
//	FROM (SELECT uuid, ip_to_province(client_ip) AS province FROM cdn_access_log)
//	GROUP BY province;
//
//	SELECT window_start, window_end, SUM(price)
//	FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(ts), INTERVAL '10' SECOND))
//	GROUP BY window_start, window_end;
//
// # Grammar
//
// The grammar in EBNF: [x] is optional, {x} repeats zero or more times, a | b is a
// choice, 'word' is a keyword (any case) and "x" is punctuation.
//
//	script      = [stmt] {";" [stmt]} .
//	stmt        = createTable | createView | createFunction | set | insert
//	            | statementSet | explain | query .
//
//	createTable = 'CREATE' ['TEMPORARY'] 'TABLE' ['IF' 'NOT' 'EXISTS'] name
//	              ["(" tableElem {"," tableElem} ")"] ['COMMENT' string]
//	              ['PARTITIONED' 'BY' "(" ident {"," ident} ")"]
//	              ['WITH' options] ['LIKE' name ["(" ... ")"]] .
//	              -- the column list may be left out only with LIKE
//	tableElem   = column | watermark | tableKey .
//	column      = ident ( type ['METADATA' ['FROM' string] ['VIRTUAL']]
//	                    | 'AS' expr )
//	              [['CONSTRAINT' ident] 'PRIMARY' 'KEY' ['NOT' 'ENFORCED']]
//	              ['COMMENT' string] .
//	watermark   = 'WATERMARK' 'FOR' name 'AS' expr .
//	tableKey    = ['CONSTRAINT' ident] 'PRIMARY' 'KEY' "(" ident {"," ident} ")"
//	              ['NOT' 'ENFORCED'] .
//	options     = "(" [option {"," option}] ")" .
//	option      = string "=" (string | number | 'TRUE' | 'FALSE') .
//
//	createView  = 'CREATE' ['TEMPORARY'] 'VIEW' ['IF' 'NOT' 'EXISTS'] name
//	              ["(" ident {"," ident} ")"] ['COMMENT' string] 'AS' query .
//	createFunction = 'CREATE' ['TEMPORARY'] ['SYSTEM'] 'FUNCTION' ['IF' 'NOT' 'EXISTS']
//	              name 'AS' string ['LANGUAGE' ident] ['WITH' options] .
//	              -- the string is 'import/path.Func' (a func or a type) for LANGUAGE GO;
//	              -- WITH is our extension (per-function options, see docs/udf.md)
//	set         = 'SET' (option | rawKey "=" rawValue) .
//	              -- rawKey and rawValue are source text, e.g. SET a.b-c = 5
//	insert      = ['EXECUTE'] 'INSERT' ('INTO' | 'OVERWRITE') name [hint]
//	              ["(" ident {"," ident} ")"] query .
//	statementSet = 'EXECUTE' 'STATEMENT' 'SET' 'BEGIN' {insert ";"} 'END'
//	            | 'BEGIN' 'STATEMENT' 'SET' ";" {insert ";"} 'END' .
//	explain     = 'EXPLAIN' ['PLAN' 'FOR' | detail {"," detail}] stmt .
//	detail      = 'ESTIMATED_COST' | 'CHANGELOG_MODE' | 'JSON_EXECUTION_PLAN' | 'PLAN_ADVICE' .
//	hint        = "/*+" hintItem {"," hintItem} "*/" .
//	hintItem    = 'OPTIONS' options | ident ["(" ... ")"] .
//
//	type        = baseType ['NOT' 'NULL' | 'NULL'] .
//	baseType    = 'BOOLEAN' | 'TINYINT' | 'SMALLINT' | 'INT' | 'INTEGER' | 'BIGINT'
//	            | 'FLOAT' | 'DOUBLE' ['PRECISION']
//	            | ('DECIMAL' | 'DEC' | 'NUMERIC') ["(" int ["," int] ")"]
//	            | ('CHAR' | 'VARCHAR' | 'BINARY' | 'VARBINARY') ["(" int ")"]
//	            | 'STRING' | 'BYTES' | 'DATE' | 'TIME' ["(" int ")"]
//	            | 'TIMESTAMP' ["(" int ")"] ['WITHOUT' 'TIME' 'ZONE' | 'WITH' 'LOCAL' 'TIME' 'ZONE']
//	            | 'TIMESTAMP_LTZ' ["(" int ")"]
//	            | 'INTERVAL' unit ['TO' unit]
//	            | 'ROW' ("<" [field {"," field}] ">" | "(" [field {"," field}] ")")
//	            | ('ARRAY' | 'MULTISET') "<" type ">"
//	            | 'MAP' "<" type "," type ">"
//	            | name ["(" int {"," int} ")"] .     -- other names: the binder reports them
//	field       = ident type [string] .
//
//	query       = ['WITH' cte {"," cte}] setExpr [orderBy] [limit] .
//	              -- ORDER BY and LIMIT attach to the SELECT they follow
//	cte         = ident ["(" ident {"," ident} ")"] 'AS' "(" query ")" .
//	setExpr     = intersect {('UNION' | 'EXCEPT' | 'MINUS') ['ALL' | 'DISTINCT'] intersect} .
//	intersect   = term {'INTERSECT' ['ALL' | 'DISTINCT'] term} .
//	term        = select | values | "(" query ")" .
//	values      = 'VALUES' row {"," row} .
//	row         = "(" expr {"," expr} ")" | expr .
//	select      = 'SELECT' [hint] ['DISTINCT' | 'ALL'] item {"," item}
//	              ['FROM' from] ['WHERE' expr] ['GROUP' 'BY' expr {"," expr}]
//	              ['HAVING' expr] .
//	item        = "*" | name "." "*" | expr [['AS'] ident] .
//	orderBy     = 'ORDER' 'BY' orderItem {"," orderItem} .
//	orderItem   = expr ['ASC' | 'DESC'] .
//	limit       = 'LIMIT' expr | 'FETCH' ('FIRST' | 'NEXT') expr ('ROW' | 'ROWS') 'ONLY' .
//
//	from        = joined {"," ['LATERAL'] tablePrimary {join}} .
//	joined      = tablePrimary {join} .
//	join        = ( ['INNER'] 'JOIN' | ('LEFT' | 'RIGHT' | 'FULL') ['OUTER'] 'JOIN' )
//	              ['LATERAL'] tablePrimary ('ON' expr | 'USING' "(" ident {"," ident} ")")
//	            | 'CROSS' 'JOIN' ['LATERAL'] tablePrimary .
//	tablePrimary = name [hint] ['FOR' 'SYSTEM_TIME' 'AS' 'OF' sum] [alias]
//	            | ['LATERAL'] "(" query ")" [alias]
//	            | ['LATERAL'] 'TABLE' "(" call ")" [alias]
//	            | 'UNNEST' "(" expr {"," expr} ")" [alias]
//	            | "(" from ")" .
//	alias       = ['AS'] ident ["(" ident {"," ident} ")"] .
//
//	expr        = disjunct {'OR' disjunct} .
//	disjunct    = negation {'AND' negation} .
//	negation    = 'NOT' negation | predicate .
//	predicate   = sum { compareOp sum
//	                  | 'IS' ['NOT'] ('NULL' | 'TRUE' | 'FALSE' | 'UNKNOWN')
//	                  | 'IS' ['NOT'] 'DISTINCT' 'FROM' sum
//	                  | ['NOT'] 'IN' "(" (query | expr {"," expr}) ")"
//	                  | ['NOT'] 'BETWEEN' ['SYMMETRIC' | 'ASYMMETRIC'] sum 'AND' sum
//	                  | ['NOT'] ('LIKE' | 'SIMILAR' 'TO') sum ['ESCAPE' sum] } .
//	compareOp   = "=" | "<>" | "!=" | "<" | "<=" | ">" | ">=" .
//	sum         = product {("+" | "-" | "||") product} .
//	product     = unary {("*" | "/" | "%") unary} .
//	unary       = ("-" | "+") unary | postfix .
//	postfix     = primary {"[" expr "]" | "." ident} .
//	primary     = number | string | binaryString | 'TRUE' | 'FALSE' | 'UNKNOWN' | 'NULL'
//	            | ('DATE' | 'TIME' | 'TIMESTAMP' | 'TIMESTAMP_LTZ') string
//	            | 'INTERVAL' ["-" | "+"] (string | unary) unit ["(" int ")"] ['TO' unit ["(" int ")"]]
//	            | ('CAST' | 'TRY_CAST') "(" expr 'AS' type ")"
//	            | 'CASE' [expr] 'WHEN' expr 'THEN' expr {'WHEN' expr 'THEN' expr} ['ELSE' expr] 'END'
//	            | 'EXISTS' "(" query ")"
//	            | "(" query ")"                       -- scalar subquery
//	            | "(" expr ")" | "(" expr "," expr {"," expr} ")"    -- the latter is ROW(...)
//	            | 'ROW' "(" [expr {"," expr}] ")"
//	            | ('ARRAY' | 'MAP') "[" [expr {"," expr}] "]"
//	            | 'EXTRACT' "(" ident 'FROM' expr ")"
//	            | 'POSITION' "(" sum 'IN' expr ")"
//	            | 'TRIM' "(" [['BOTH' | 'LEADING' | 'TRAILING'] [expr] 'FROM'] expr ")"
//	            | ('SUBSTRING' | 'SUBSTR') "(" expr 'FROM' expr ['FOR' expr] ")"
//	            | 'OVERLAY' "(" expr 'PLACING' expr 'FROM' expr ['FOR' expr] ")"
//	            | ('FLOOR' | 'CEIL' | 'CEILING') "(" expr 'TO' ident ")"
//	            | ('TIMESTAMPADD' | 'TIMESTAMPDIFF') "(" ident "," expr "," expr ")"
//	            | 'DESCRIPTOR' "(" ident {"," ident} ")"
//	            | 'TABLE' name ['PARTITION' 'BY' (expr | "(" expr {"," expr} ")")]
//	                                     -- a window TVF's table argument
//	            | 'CURRENT_DATE' | 'CURRENT_TIME' | 'CURRENT_TIMESTAMP' | 'LOCALTIME' | 'LOCALTIMESTAMP'
//	            | call | name .
//	call        = name "(" ["*" | ['DISTINCT' | 'ALL'] arg {"," arg}] ")"
//	              ['FILTER' "(" 'WHERE' expr ")"] ['OVER' window] .
//	arg         = [ident "=>"] expr .      -- named arguments: the binder takes them in window TVFs
//	window      = "(" ['PARTITION' 'BY' expr {"," expr}] [orderBy] [frame] ")" .
//	frame       = ('ROWS' | 'RANGE') (bound | 'BETWEEN' bound 'AND' bound) .
//	bound       = 'UNBOUNDED' ('PRECEDING' | 'FOLLOWING') | 'CURRENT' 'ROW'
//	            | sum ('PRECEDING' | 'FOLLOWING') .
//	unit        = 'YEAR' | 'MONTH' | 'DAY' | 'HOUR' | 'MINUTE' | 'SECOND'   -- plurals too
//	name        = ident {"." ident} .
//
// # How special forms map to the AST
//
// POSITION(a IN b) becomes FuncCall POSITION(a, b); SUBSTRING(s FROM a FOR b) becomes
// SUBSTRING(s, a, b); OVERLAY(s PLACING x FROM a FOR b) becomes OVERLAY(s, x, a, b);
// TRIM always has three arguments, TRIM(mode, chars, s), where mode is the string 'BOTH',
// 'LEADING' or 'TRAILING' and chars defaults to ' '. CURRENT_TIMESTAMP and the other
// niladic functions become calls without arguments. x IS [NOT] DISTINCT FROM y is a
// Binary whose Op is "IS DISTINCT FROM" or "IS NOT DISTINCT FROM". The literal UNKNOWN
// becomes CAST(NULL AS BOOLEAN). UNNEST(x) in FROM becomes a TableFunc calling UNNEST.
// FLOOR(x TO DAY) and CEIL(x TO DAY) become FLOOR(x, 'DAY') and CEIL(x, 'DAY');
// TIMESTAMPADD(HOUR, n, ts) and TIMESTAMPDIFF(DAY, a, b) get the unit as the string
// 'HOUR' or 'DAY'. (a, b) in an expression is a ROW constructor. A minus sign before a number stays a
// Unary node (-1 is Unary(-, 1)); folding it is the binder's job. INTERVAL '10' SECOND(3) keeps the unit and
// drops the precision. A window frame is kept as normalized text in WindowSpec.Frame.
// LATERAL before TABLE(...) sets TableFunc.Lateral; LATERAL before any right-hand side of
// a join (or comma) also sets Join.Lateral.
//
// # Not supported (positioned errors)
//
// CREATE TABLE ... AS SELECT, CREATE OR REPLACE, CREATE CATALOG/DATABASE, UNIQUE/CHECK/
// FOREIGN KEY constraints, TIME/TIMESTAMP WITH TIME ZONE, DISTRIBUTED BY, INSERT ...
// PARTITION, DROP/ALTER/USE/SHOW/DESCRIBE and other client commands, GROUPING SETS,
// ROLLUP, CUBE, NATURAL JOIN, APPLY, MATCH_RECOGNIZE, named windows (WINDOW w AS, OVER w),
// WITHIN GROUP, IGNORE/RESPECT NULLS, NULLS FIRST/LAST, OFFSET,
// ORDER BY after a set operation, WITH ORDINALITY, ARRAY(subquery), and nesting deeper than 500 levels.
package parser
