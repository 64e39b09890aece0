-- The job of the snapshot fuzz target (fuzz_test.go): every kind of accumulator a
-- snapshot holds. The lower aggregate reads an append-only table (COUNT, COUNT
-- DISTINCT, SUM and AVG of integers, doubles and decimals, MIN/MAX, a Go aggregate
-- function that merges); the upper one reads its changes (the same with retraction,
-- and a Go aggregate function that retracts).
CREATE TABLE events (k STRING, n BIGINT, d DOUBLE, m DECIMAL(10, 2), s STRING) WITH (
  'connector' = 'filesystem', 'path' = 'events.csv', 'format' = 'csv');
CREATE TABLE summary (
  c BIGINT, groups BIGINT, sn BIGINT, sd DOUBLE, sm DECIMAL(38, 2), lo BIGINT, hi STRING,
  dlo DOUBLE, mhi DECIMAL(38, 2), an BIGINT, ad DOUBLE, am DECIMAL(38, 6), ds BIGINT, keys STRING,
  an2 BIGINT, ad2 DOUBLE, am2 DECIMAL(38, 6), p50 BIGINT, mlo DECIMAL(10, 2), dhi DOUBLE
) WITH ('connector' = 'blackhole');
CREATE FUNCTION percentile AS 'github.com/sqlc-stream/sqlc-stream/examples/aggfunc/udf.Percentile' LANGUAGE GO;
CREATE FUNCTION names AS 'github.com/sqlc-stream/sqlc-stream/codegen/internal/snapfuzz/udf.Names' LANGUAGE GO;
INSERT INTO summary
SELECT c, COUNT(*), SUM(sn), SUM(sd), SUM(sm), MIN(mn), MAX(mx), MIN(sd), MAX(sm),
       AVG(sn), AVG(sd), AVG(sm), COUNT(DISTINCT ds), names(k),
       MAX(an), MIN(ad), SUM(am), MAX(p50), MIN(mlo), MAX(dhi)
FROM (
  SELECT k, COUNT(*) AS c, SUM(n) AS sn, SUM(d) AS sd, SUM(m) AS sm, MIN(n) AS mn,
         MAX(s) AS mx, AVG(n) AS an, AVG(d) AS ad, AVG(m) AS am, COUNT(DISTINCT s) AS ds,
         percentile(n, 0.5) AS p50, MIN(m) AS mlo, MAX(d) AS dhi
  FROM events GROUP BY k)
GROUP BY c;
