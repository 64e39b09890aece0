-- The seed CDN job on embedded defaults: the same query as cdn.sql, reading a bundled
-- sample of CDN logs from a CSV file and writing the per-province statistics both to an
-- embedded SQLite table and to standard output (Flink's print connector).
--
-- Run it from this directory (paths are relative to the job's working directory):
--   go run ../../cmd/sqlc-stream run cdn_local.sql
-- Another input file, without recompiling:
--   ./cdn_local -D cdn_access_log.path=/tmp/other.csv

CREATE TABLE cdn_access_log (
  uuid VARCHAR,
  client_ip VARCHAR,
  request_time BIGINT,
  response_size BIGINT
) WITH (
  'connector' = 'filesystem',
  'path' = 'data/access_log.csv',
  'format' = 'csv',
  -- The sample holds a few malformed lines: their bad fields become NULL and are counted.
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

CREATE FUNCTION ip_to_province AS 'github.com/sqlc-stream/sqlc-stream/examples/cdn/udf.IPToProvince' LANGUAGE GO;

CREATE VIEW cdn_access_statistic_view AS
SELECT province,
       count(uuid) AS access_count,
       sum(response_size) AS total_download,
       sum(response_size) * 1.0 / sum(request_time) AS download_speed
FROM (
  SELECT uuid, ip_to_province(client_ip) AS province, response_size, request_time
  FROM cdn_access_log
)
GROUP BY province;

EXECUTE STATEMENT SET
BEGIN
  INSERT INTO cdn_access_statistic SELECT * FROM cdn_access_statistic_view;
  INSERT INTO cdn_access_print SELECT * FROM cdn_access_statistic_view;
END;
