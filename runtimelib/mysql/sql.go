package mysql

import (
	"fmt"
	"strings"

	"github.com/xwb1989/sqlparser"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/stream"
)

// Statements are built as sqlparser ASTs and printed by it, so identifiers are
// backtick-quoted whenever MySQL needs it (keywords, odd characters, embedded
// backticks doubled); every statement is parsed back before it is used. Values are
// always '?' parameters.

func tableName(qualifier, name string) sqlparser.TableName {
	return sqlparser.TableName{Name: sqlparser.NewTableIdent(name), Qualifier: sqlparser.NewTableIdent(qualifier)}
}

func colName(name string) *sqlparser.ColName {
	return &sqlparser.ColName{Name: sqlparser.NewColIdent(name)}
}

func param() sqlparser.Expr { return sqlparser.NewValArg([]byte("?")) }

// insertSQL builds INSERT INTO t (cols) VALUES (?, ...), ... for rows rows, with
// ON DUPLICATE KEY UPDATE c = VALUES(c) for every column in update (none: plain insert).
func insertSQL(qualifier, table string, cols []string, rows int, update []string) (string, error) {
	ins := &sqlparser.Insert{Action: sqlparser.InsertStr, Table: tableName(qualifier, table)}
	for _, c := range cols {
		ins.Columns = append(ins.Columns, sqlparser.NewColIdent(c))
	}
	values := make(sqlparser.Values, rows)
	for r := range values {
		tuple := make(sqlparser.ValTuple, len(cols))
		for i := range tuple {
			tuple[i] = param()
		}
		values[r] = tuple
	}
	ins.Rows = values
	for _, c := range update {
		// MariaDB has no row alias (VALUES ... AS new), so use VALUES(col).
		ins.OnDup = append(ins.OnDup, &sqlparser.UpdateExpr{Name: colName(c), Expr: &sqlparser.ValuesFuncExpr{Name: colName(c)}})
	}
	return checked(ins)
}

// deleteSQL builds DELETE FROM t WHERE k1 = ? AND k2 = ?.
func deleteSQL(qualifier, table string, keys []string) (string, error) {
	var where sqlparser.Expr
	for _, k := range keys {
		eq := &sqlparser.ComparisonExpr{Operator: sqlparser.EqualStr, Left: colName(k), Right: param()}
		if where == nil {
			where = eq
		} else {
			where = &sqlparser.AndExpr{Left: where, Right: eq}
		}
	}
	del := &sqlparser.Delete{
		TableExprs: sqlparser.TableExprs{&sqlparser.AliasedTableExpr{Expr: tableName(qualifier, table)}},
		Where:      sqlparser.NewWhere(sqlparser.WhereStr, where),
	}
	return checked(del)
}

// checked prints a statement and parses it back, so nothing malformed reaches the server.
func checked(stmt sqlparser.Statement) (string, error) {
	s := sqlparser.String(stmt)
	if _, err := sqlparser.Parse(s); err != nil {
		return "", fmt.Errorf("internal error: generated statement does not parse: %v: %s", err, s)
	}
	return s, nil
}

// quoteID backtick-quotes an identifier for the CREATE TABLE hint.
func quoteID(s string) string { return sqlparser.Backtick(s) }

// mysqlType is the MySQL column type the CREATE TABLE hint uses for a Flink column.
func mysqlType(c stream.Column, isKey bool) string {
	switch c.Kind {
	case stream.Boolean:
		return "BOOLEAN"
	case stream.TinyInt:
		return "TINYINT"
	case stream.SmallInt:
		return "SMALLINT"
	case stream.Int:
		return "INT"
	case stream.BigInt:
		return "BIGINT"
	case stream.Float:
		return "FLOAT"
	case stream.Double:
		return "DOUBLE"
	case stream.Decimal:
		return fmt.Sprintf("DECIMAL(%d, %d)", c.Precision, c.Scale)
	case stream.Char:
		if c.Length > 0 && c.Length <= 255 {
			return fmt.Sprintf("CHAR(%d)", c.Length)
		}
		return "VARCHAR(255)"
	case stream.Varchar:
		switch {
		case c.Length > 0 && c.Length <= 16383:
			return fmt.Sprintf("VARCHAR(%d)", c.Length)
		case isKey:
			// A key needs a bounded length; STRING has none.
			return "VARCHAR(255)"
		}
		return "TEXT"
	case stream.Binary, stream.Varbinary:
		switch {
		case c.Length > 0 && c.Length <= 16383:
			return fmt.Sprintf("VARBINARY(%d)", c.Length)
		case isKey:
			return "VARBINARY(255)"
		}
		return "BLOB"
	case stream.Date:
		return "DATE"
	case stream.Time:
		return fmt.Sprintf("TIME(%d)", min(c.Precision, 3))
	case stream.Timestamp:
		return fmt.Sprintf("DATETIME(%d)", min(c.Precision, 6))
	case stream.TimestampLTZ:
		return fmt.Sprintf("TIMESTAMP(%d)", min(c.Precision, 6))
	}
	return "TEXT"
}

// createTableSQL is the statement the sink asks the user to run when the table is
// missing or incompatible.
func createTableSQL(table string, schema stream.Schema) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE %s (\n", quoteID(table))
	for i, c := range schema.Columns {
		isKey := contains(schema.Key, i)
		fmt.Fprintf(&b, "  %s %s", quoteID(c.Name), mysqlType(c, isKey))
		if isKey || !c.Nullable {
			b.WriteString(" NOT NULL")
		}
		if i < len(schema.Columns)-1 || len(schema.Key) > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	if len(schema.Key) > 0 {
		var keys []string
		for _, k := range schema.Key {
			keys = append(keys, quoteID(schema.Columns[k].Name))
		}
		fmt.Fprintf(&b, "  PRIMARY KEY (%s)\n", strings.Join(keys, ", "))
	}
	b.WriteString(");")
	return b.String()
}

// compatible reports whether a MySQL column of data type dataType (information_schema's
// DATA_TYPE, lower case) can store values of the Flink column.
func compatible(c stream.Column, dataType string) bool {
	in := func(ts ...string) bool {
		for _, t := range ts {
			if t == dataType {
				return true
			}
		}
		return false
	}
	numeric := []string{"tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "numeric", "float", "double", "real"}
	switch c.Kind {
	case stream.Boolean:
		return in("bit", "bool", "boolean") || in(numeric...)
	case stream.TinyInt, stream.SmallInt, stream.Int, stream.BigInt, stream.Float, stream.Double, stream.Decimal:
		return in(numeric...)
	case stream.Char, stream.Varchar:
		return in("char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set", "json")
	case stream.Binary, stream.Varbinary:
		return in("binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob")
	case stream.Date:
		return in("date", "datetime", "timestamp")
	case stream.Time:
		return in("time")
	case stream.Timestamp, stream.TimestampLTZ:
		return in("datetime", "timestamp")
	}
	return false
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
