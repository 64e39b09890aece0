package cdntable

import (
	"github.com/sqlc-stream/sqlc-stream/examples/cdn/udf"
	"github.com/sqlc-stream/sqlc-stream/table"
)

// ddl declares the tables, as ../cdn_local.sql does: the bundled CSV sample, the SQLite
// table access_statistic in cdn.db, and the print sink. Paths are relative to the
// job's working directory.
const ddl = `
CREATE TABLE cdn_access_log (
  uuid VARCHAR,
  client_ip VARCHAR,
  request_time BIGINT,
  response_size BIGINT
) WITH (
  'connector' = 'filesystem',
  'path' = 'data/access_log.csv',
  'format' = 'csv',
  'csv.ignore-parse-errors' = 'true'
);

CREATE TABLE cdn_access_statistic (
  province VARCHAR,
  access_count BIGINT,
  total_download BIGINT,
  download_speed DOUBLE,
  PRIMARY KEY (province) NOT ENFORCED
) WITH (
  'connector' = 'jdbc',
  'url' = 'jdbc:sqlite:cdn.db',
  'table-name' = 'access_statistic',
  'sink.buffer-flush.interval' = '1s'
);

CREATE TABLE cdn_access_print (
  province VARCHAR,
  access_count BIGINT,
  total_download BIGINT,
  download_speed DOUBLE
) WITH (
  'connector' = 'print'
);
`

// Job is the seed's Table program in Go. The UDF is registered with the Go function
// value itself; the generated job imports examples/cdn/udf and calls IPToProvince.
func Job(opts table.Options) (*table.Environment, error) {
	env := table.NewEnvironment(opts)
	if err := env.ExecuteSQL(ddl); err != nil {
		return nil, err
	}
	if err := env.RegisterFunction("ip_to_province", udf.IPToProvince); err != nil {
		return nil, err
	}

	stats := env.From("cdn_access_log").
		Select("uuid, ip_to_province(client_ip) as province, response_size, request_time").
		GroupBy("province").
		Select("province, count(uuid) as access_count, sum(response_size) as total_download, " +
			"sum(response_size) * 1.0 / sum(request_time) as download_speed")

	env.CreateStatementSet().
		AddInsert("cdn_access_statistic", stats).
		AddInsert("cdn_access_print", stats)
	return env, nil
}
