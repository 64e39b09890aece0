-- The memory row of `go run ./bench`: COUNT/SUM state for every distinct client_ip
-- (1,000,000 of them by default) into a blackhole sink, so the peak RSS is the state's.
-- The input path is set at start with -D access_log.path=...
CREATE TABLE access_log (
  uuid VARCHAR,
  client_ip VARCHAR,
  request_time BIGINT,
  response_size BIGINT
) WITH (
  'connector' = 'filesystem',
  'path' = 'keys.csv',
  'format' = 'csv'
);

CREATE TABLE per_ip (
  client_ip VARCHAR,
  requests BIGINT,
  total_download BIGINT,
  total_time BIGINT
) WITH (
  'connector' = 'blackhole'
);

INSERT INTO per_ip
SELECT client_ip, COUNT(*), SUM(response_size), SUM(request_time)
FROM access_log
GROUP BY client_ip;
