-- Per-province response size percentiles of the bundled CDN sample, with a Go aggregate
-- function (Flink's AggregateFunction): percentile(value, p) in udf/percentile.go.
--
-- Run it from this directory (paths are relative to the job's working directory):
--   go run ../../cmd/sqlc-stream run percentiles.sql
-- With four workers, whose partial accumulators Percentile.Merge folds together:
--   go run ../../cmd/sqlc-stream build -o percentiles percentiles.sql
--   ./percentiles -D parallelism.default=4

CREATE TABLE cdn_access_log (
  uuid VARCHAR,
  client_ip VARCHAR,
  request_time BIGINT,
  response_size BIGINT
) WITH (
  'connector' = 'filesystem',
  'path' = '../cdn/data/access_log.csv',
  'format' = 'csv',
  -- The sample holds a few malformed lines: their bad fields become NULL, which
  -- percentile skips (its value parameter is a plain int64).
  'csv.ignore-parse-errors' = 'true'
);

CREATE TABLE province_percentiles (
  province VARCHAR,
  requests BIGINT,
  p50 BIGINT,
  p95 BIGINT
) WITH (
  'connector' = 'print'
);

CREATE FUNCTION ip_to_province AS 'github.com/sqlc-stream/sqlc-stream/examples/cdn/udf.IPToProvince' LANGUAGE GO;
CREATE FUNCTION percentile AS 'github.com/sqlc-stream/sqlc-stream/examples/aggfunc/udf.Percentile' LANGUAGE GO;

INSERT INTO province_percentiles
SELECT province,
       COUNT(*) AS requests,
       percentile(response_size, 0.5) AS p50,
       percentile(response_size, 0.95) AS p95
FROM (
  SELECT ip_to_province(client_ip) AS province, response_size
  FROM cdn_access_log
)
GROUP BY province;
