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

CREATE FUNCTION `ip_to_province` AS 'github.com/sqlc-stream/sqlc-stream/examples/cdn/udf.IPToProvince' LANGUAGE GO;

EXECUTE STATEMENT SET
BEGIN
INSERT INTO cdn_access_statistic
SELECT province, count(uuid) as access_count, sum(response_size) as total_download, sum(response_size) * 1.0 / sum(request_time) as download_speed
FROM (
SELECT uuid, ip_to_province(client_ip) as province, response_size, request_time
FROM cdn_access_log
)
GROUP BY province;
INSERT INTO cdn_access_print
SELECT province, count(uuid) as access_count, sum(response_size) as total_download, sum(response_size) * 1.0 / sum(request_time) as download_speed
FROM (
SELECT uuid, ip_to_province(client_ip) as province, response_size, request_time
FROM cdn_access_log
)
GROUP BY province;
END;

