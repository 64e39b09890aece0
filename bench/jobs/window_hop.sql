-- The HOP row of `go run ./bench` (see window_tumble.sql): size 10 s, slide 1 s.
CREATE TABLE window_out (auction BIGINT, window_start TIMESTAMP(3), window_end TIMESTAMP(3), bids BIGINT, volume BIGINT, top BIGINT) WITH ('connector' = 'blackhole');
INSERT INTO window_out
SELECT MOD(auction, 100), window_start, window_end, COUNT(*), SUM(price), MAX(price)
FROM TABLE(HOP(TABLE bid, DESCRIPTOR(`dateTime`), INTERVAL '1' SECOND, INTERVAL '10' SECOND))
GROUP BY MOD(auction, 100), window_start, window_end;
