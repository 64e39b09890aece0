-- The CDN seed query as the benchmark runs it: a CSV file -> ip_to_province -> per-province
-- aggregation -> an embedded SQLite table. The input path is set at start with
-- -D cdn_access_log.path=..., the database with -D cdn_access_statistic.url=jdbc:sqlite:...
CREATE TABLE cdn_access_log (
  uuid VARCHAR,
  client_ip VARCHAR,
  request_time BIGINT,
  response_size BIGINT
) WITH (
  'connector' = 'filesystem',
  'path' = 'access_log.csv',
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
  'url' = 'jdbc:sqlite:stats.db',
  'table-name' = 'access_statistic'
);

CREATE FUNCTION ip_to_province AS 'github.com/sqlc-stream/sqlc-stream/examples/cdn/udf.IPToProvince' LANGUAGE GO;

INSERT INTO cdn_access_statistic
SELECT province, count(uuid) AS access_count, sum(response_size) AS total_download,
       sum(response_size) * 1.0 / sum(request_time) AS download_speed
FROM (SELECT uuid, ip_to_province(client_ip) AS province, response_size, request_time FROM cdn_access_log)
GROUP BY province;
