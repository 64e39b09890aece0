package ir_test

import "testing"

// The result types of the time functions are Flink's (FlinkSqlOperatorTable, Calcite's
// EXTRACT and SqlTimestampAddFunction as Flink copies it).
func TestTimeFunctionTypes(t *testing.T) {
	tests := []struct{ expr, want string }{
		{"DATE_FORMAT(ts, 'yyyy-MM-dd')", "STRING"},
		{"DATE_FORMAT(TIMESTAMP '2020-01-01 00:00:00', 'yyyy')", "STRING"}, // forced nullable
		{"DATE_FORMAT(dt, 'yyyy')", "STRING"},
		{"DATE_FORMAT(s, 'yyyy')", "STRING"},
		{"DATE_FORMAT(ltz, s)", "STRING"},
		{"TO_TIMESTAMP(s)", "TIMESTAMP(3)"},
		{"TO_TIMESTAMP('2020-01-01', 'yyyy-MM-dd')", "TIMESTAMP(3)"},
		{"TO_DATE(vc)", "DATE"},
		{"TO_DATE(s, 'yyyyMMdd')", "DATE"},
		{"TO_TIMESTAMP_LTZ(bi, 3)", "TIMESTAMP_LTZ(3)"},
		{"TO_TIMESTAMP_LTZ(dec, 0)", "TIMESTAMP_LTZ(3)"},
		{"TO_TIMESTAMP_LTZ(d, 0)", "TIMESTAMP_LTZ(3)"},
		{"UNIX_TIMESTAMP()", "BIGINT NOT NULL"},
		{"PROCTIME()", "TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*"},
		{"UNIX_TIMESTAMP('2020-01-01 00:00:00')", "BIGINT NOT NULL"},
		{"UNIX_TIMESTAMP(s, 'yyyy')", "BIGINT"},
		{"FROM_UNIXTIME(nn)", "STRING"},
		{"FROM_UNIXTIME(ti, 'yyyy')", "STRING"},
		{"EXTRACT(HOUR FROM ts)", "BIGINT"},
		{"EXTRACT(DOW FROM DATE '2020-01-01')", "BIGINT NOT NULL"},
		{"EXTRACT(EPOCH FROM ltz)", "BIGINT"},
		{"EXTRACT(MILLISECOND FROM tm)", "BIGINT"},
		{"YEAR(dt)", "BIGINT"},
		{"HOUR(ts)", "BIGINT"},
		{"DAYOFWEEK(ltz)", "BIGINT"},
		{"FLOOR(ts TO HOUR)", "TIMESTAMP(3)"},
		{"CEIL(dt TO MONTH)", "DATE"},
		{"CEILING(tm TO MINUTE)", "TIME(0)"},
		{"FLOOR(ltz TO DAY)", "TIMESTAMP_LTZ(3)"},
		{"TIMESTAMPADD(DAY, 1, ts)", "TIMESTAMP(3)"},
		{"TIMESTAMPADD(MONTH, i, dt)", "DATE"},
		{"TIMESTAMPADD(HOUR, 1, dt)", "TIMESTAMP(6)"},
		{"TIMESTAMPADD(MILLISECOND, 1, CAST(ts AS TIMESTAMP(0)))", "TIMESTAMP(3)"},
		{"TIMESTAMPADD(SECOND, nn, tm)", "TIME(0)"},
		{"TIMESTAMPADD(WEEK, 1, DATE '2003-01-02')", "DATE NOT NULL"},
		{"TIMESTAMPDIFF(DAY, ts, dt)", "INT"},
		{"TIMESTAMPDIFF(MONTH, DATE '2019-09-01', DATE '2020-03-01')", "INT NOT NULL"},
		{"TIMESTAMPDIFF(SECOND, ltz, ltz)", "INT"},
	}
	for _, tc := range tests {
		if got := exprType(t, tc.expr); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.expr, got, tc.want)
		}
	}
}

func TestTimeFunctionErrors(t *testing.T) {
	tests := []struct{ expr, want string }{
		{"EXTRACT(HOUR FROM dt)", "cannot EXTRACT HOUR from a value of type DATE"},
		{"EXTRACT(YEAR FROM tm)", "cannot EXTRACT YEAR from a value of type TIME(0)"},
		{"EXTRACT(EPOCH FROM ts)", "cannot EXTRACT EPOCH from a value of type TIMESTAMP(3)"},
		{"EXTRACT(YEAR FROM s)", "cannot EXTRACT from a value of type STRING"},
		{"HOUR(s)", "cannot EXTRACT from a value of type STRING"},
		{"YEAR(dt, dt)", "function YEAR takes 1 argument(s), got 2"},
		{"FLOOR(dt TO HOUR)", "FLOOR of a value of type DATE TO HOUR is not supported"},
		{"CEIL(tm TO DAY)", "CEIL of a value of type TIME(0) TO DAY is not supported"},
		{"FLOOR(s TO DAY)", "cannot apply FLOOR to arguments of type STRING, CHAR(3) NOT NULL"},
		{"TIMESTAMPADD(DAY, d, ts)", "cannot apply TIMESTAMPADD to arguments of type DOUBLE, TIMESTAMP(3): the count must be an integer"},
		{"TIMESTAMPADD(MICROSECOND, 1, ts)", "TIMESTAMPADD with unit MICROSECOND is not supported yet"},
		{"TIMESTAMPDIFF(MILLISECOND, ts, ts)", "unit MILLISECOND cannot be applied to TIMESTAMPDIFF"},
		{"TIMESTAMPDIFF(DAY, ltz, ts)", "TIMESTAMP_LTZ only supports diff between the same type"},
		{"TIMESTAMPDIFF(DAY, tm, tm)", "TIMESTAMPDIFF of a TIME is not supported"},
		{"TO_TIMESTAMP_LTZ(s, 0)", "cannot apply TO_TIMESTAMP_LTZ to arguments of type STRING, INT NOT NULL: the first must be a number"},
		{"TO_TIMESTAMP_LTZ(bi, 1)", "The precision value '1' for function TO_TIMESTAMP_LTZ(numeric, precision) is unsupported, the supported value is '0' for second or '3' for millisecond."},
		{"TO_TIMESTAMP_LTZ(bi, i)", "the precision of TO_TIMESTAMP_LTZ must be the integer literal 0 or 3"},
		{"TO_TIMESTAMP_LTZ(bi)", "function TO_TIMESTAMP_LTZ takes 2 argument(s), got 1"},
		{"FROM_UNIXTIME(d)", "cannot apply FROM_UNIXTIME to arguments of type DOUBLE"},
		{"PROCTIME(1)", "function PROCTIME takes 0 argument(s), got 1"},
		{"UNIX_TIMESTAMP(i)", "cannot apply UNIX_TIMESTAMP to arguments of type INT"},
		{"DATE_FORMAT(i, 'yyyy')", "cannot apply DATE_FORMAT to arguments of type INT, CHAR(4) NOT NULL"},
		{"TO_DATE(dt)", "cannot apply TO_DATE to arguments of type DATE"},
	}
	for _, tc := range tests {
		if got := exprType(t, tc.expr); got != "error: "+tc.want {
			t.Errorf("%s:\n got  %s\n want error: %s", tc.expr, got, tc.want)
		}
	}
}

// Jobs run in the UTC session time zone; a SET of another zone is an error.
func TestLocalTimeZone(t *testing.T) {
	for _, z := range []string{"UTC", "utc", "GMT", "Etc/UTC", "Z", "+00:00", "UTC+0", "GMT-00:00", "default"} {
		if _, err := bind(t, "SET 'table.local-time-zone' = '"+z+"';"); err != nil {
			t.Errorf("%s: %v", z, err)
		}
	}
	for _, z := range []string{"Asia/Shanghai", "UTC+8", "+01:00", "", "America/Los_Angeles"} {
		_, err := bind(t, "SET 'table.local-time-zone' = '"+z+"';")
		want := "table.local-time-zone = '" + z + "' is not supported yet: jobs run in the UTC session time zone ('UTC')"
		if err == nil || firstMsg(err) != want {
			t.Errorf("%s: %v, want %s", z, err, want)
		}
	}
}
