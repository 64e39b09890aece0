-- Table functions (LATERAL TABLE) on a small request log: which top-level path segment
-- carries how much traffic, and the tags of each request.
--
-- Run it from this directory:
--   go run ../../cmd/sqlc-stream run job.sql

CREATE TABLE requests (
  id BIGINT,
  path STRING,
  tags STRING,
  bytes BIGINT
) WITH (
  'connector' = 'filesystem',
  'path' = 'data/requests.csv',
  'format' = 'csv'
);

CREATE TABLE segment_traffic (
  segment STRING,
  requests BIGINT,
  total_bytes BIGINT
) WITH ('connector' = 'print', 'print-identifier' = 'segments');

CREATE TABLE request_tags (
  id BIGINT,
  tag STRING
) WITH ('connector' = 'print', 'print-identifier' = 'tags');

CREATE FUNCTION split_path AS 'github.com/sqlc-stream/sqlc-stream/examples/tablefunc/udf.SplitPath' LANGUAGE GO;
CREATE FUNCTION split_tags AS 'github.com/sqlc-stream/sqlc-stream/examples/tablefunc/udf.Tags' LANGUAGE GO;

EXECUTE STATEMENT SET BEGIN

-- One row per path segment; the first segment groups the traffic.
INSERT INTO segment_traffic
SELECT s.segment, COUNT(*), SUM(bytes)
FROM requests, LATERAL TABLE(split_path(path)) AS s(depth, segment)
WHERE s.depth = 1
GROUP BY s.segment;

-- One row per tag; a request without tags is kept once, with a NULL tag.
INSERT INTO request_tags
SELECT id, t.tag
FROM requests LEFT JOIN LATERAL TABLE(split_tags(tags)) AS t(tag) ON TRUE;

END;
