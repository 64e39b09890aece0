-- The seed query with its result kept in a compacted-topic style: upsert-kafka keyed on
-- the province, JSON key and value; the CDN logs are CSV, with >= 1.11 option keys.

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
  'scan.startup.mode' = 'earliest-offset',
  'scan.bounded.mode' = 'latest-offset',
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
  'connector' = 'upsert-kafka',
  'topic' = '${CDN_OUT_TOPIC}',
  'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP_SERVERS}',
  'key.format' = 'json',
  'value.format' = 'json'
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
