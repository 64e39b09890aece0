-- cdn.sql with Flink >= 1.11 option keys and JSON values: the same query, CDN logs as
-- JSON objects {"uuid": ..., "client_ip": ..., "request_time": ..., "response_size": ...}.

CREATE TABLE cdn_access_log (
  uuid VARCHAR,
  client_ip VARCHAR,
  request_time BIGINT,
  response_size BIGINT,
  uri VARCHAR
) WITH (
  'connector' = 'kafka',
  'topic' = '${CDN_TOPIC}',
  'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP_SERVERS}',
  'properties.group.id' = 'cdn-json',
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

CREATE TABLE cdn_access_statistic (
  province VARCHAR,
  access_count BIGINT,
  total_download BIGINT,
  download_speed DOUBLE,
  PRIMARY KEY (province) NOT ENFORCED
) WITH (
  'connector' = 'jdbc',
  'url' = 'jdbc:mysql://${MYSQL_HOST_PORT}/${MYSQL_DATABASE}',
  'table-name' = 'access_statistic',
  'username' = '${MYSQL_USER}',
  'password' = '${MYSQL_PASSWORD}',
  'sink.buffer-flush.interval' = '1s',
  'sink.buffer-flush.max-rows' = '1000',
  'sink.max-retries' = '5'
);

CREATE FUNCTION ip_to_province AS 'github.com/sqlc-stream/sqlc-stream/examples/cdn/udf.IPToProvince' LANGUAGE GO;

INSERT INTO cdn_access_statistic
SELECT province,
       count(uuid) AS access_count,
       sum(response_size) AS total_download,
       sum(response_size) * 1.0 / sum(request_time) AS download_speed
FROM (
  SELECT uuid, ip_to_province(client_ip) AS province, response_size, request_time
  FROM cdn_access_log
)
GROUP BY province;
