-- The window rows of `go run ./bench`: bids per auction in 10-second windows, over the
-- Nexmark generator (with ddl_gen.sql and ddl_views.sql of the suite). window_hop.sql
-- is the same aggregate over a HOP of size 10 s and slide 1 s: ten windows per row,
-- one slice updated per row.
CREATE TABLE window_out (auction BIGINT, window_start TIMESTAMP(3), window_end TIMESTAMP(3), bids BIGINT, volume BIGINT, top BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO window_out
SELECT MOD(auction, 100), window_start, window_end, COUNT(*), SUM(price), MAX(price)
FROM TABLE(TUMBLE(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '10' SECOND))
GROUP BY MOD(auction, 100), window_start, window_end;
