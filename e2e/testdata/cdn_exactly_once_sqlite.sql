-- The seed job (examples/cdn/cdn.sql) with checkpoints every second into ./ck, writing
-- into SQLite (out.db), for the exactly-once test (e2e/exactlyonce_test.go): the SET
-- statements below and the URL are all it changes.
SET 'execution.checkpointing.interval' = '1s';
SET 'execution.checkpointing.dir' = 'ck';

-- The seed job of PyFlink's CDN log analysis, with its Flink 1.10 DDL text: CDN edge
-- logs arrive in the Kafka topic access_log as CSV; per province, count the requests,
-- sum the bytes sent and compute the download speed; keep the MySQL table
-- access_statistic current, flushing every second.
--
-- Only host, port, credentials and the UDF's import path are adapted from the seed.
-- For a run on embedded defaults (a bundled CSV file and SQLite), see cdn_local.sql.

CREATE TABLE cdn_access_log (
 uuid VARCHAR,
 client_ip VARCHAR,
 request_time BIGINT,
 response_size BIGINT,
 uri VARCHAR
) WITH (
 'connector.type' = 'kafka',
 'connector.version' = 'universal',
 'connector.topic' = 'access_log',
 'connector.properties.zookeeper.connect' = 'localhost:2181',
 'connector.properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP_SERVERS}',
 'format.type' = 'csv',
 'format.ignore-parse-errors' = 'true'
);

CREATE TABLE cdn_access_statistic (
 province VARCHAR,
 access_count BIGINT,
 total_download BIGINT,
 download_speed DOUBLE
) WITH (
 'connector.type' = 'jdbc',
 'connector.url' = 'jdbc:sqlite:out.db',
 'connector.table' = 'access_statistic',
 'connector.username' = '${MYSQL_USER}',
 'connector.password' = '${MYSQL_PASSWORD}',
 'connector.write.flush.interval' = '1s'
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
