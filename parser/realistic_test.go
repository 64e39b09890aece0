package parser

import "testing"

// realisticScripts are the shapes of statements Flink users write every day (window
// TVFs, Top-N, deduplication, temporal, lookup and interval joins, OVER aggregates,
// Kafka DDL with metadata, upsert sinks). Each must parse without error.
var realisticScripts = []string{
	`CREATE TABLE orders (
	  order_id STRING,
	  price DECIMAL(32, 2),
	  currency STRING,
	  order_time TIMESTAMP(3),
	  proc_time AS PROCTIME(),
	  kafka_offset BIGINT METADATA FROM 'offset' VIRTUAL,
	  kafka_ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',
	  headers MAP<STRING, BYTES> METADATA,
	  WATERMARK FOR order_time AS order_time - INTERVAL '15' SECOND
	) COMMENT 'orders topic' WITH (
	  'connector' = 'kafka',
	  'topic' = 'orders',
	  'properties.bootstrap.servers' = '${KAFKA}',
	  'scan.startup.mode' = 'earliest-offset',
	  'format' = 'json',
	  'json.ignore-parse-errors' = 'true'
	);`,
	`CREATE TABLE pageviews_per_region (
	  user_region STRING,
	  pv BIGINT,
	  uv BIGINT,
	  PRIMARY KEY (user_region) NOT ENFORCED
	) WITH (
	  'connector' = 'upsert-kafka',
	  'topic' = 'pageviews_per_region',
	  'key.format' = 'avro',
	  'value.format' = 'avro'
	)`,
	`SELECT window_start, window_end, item, SUM(price) AS total
	 FROM TABLE(HOP(TABLE bid, DESCRIPTOR(bidtime), INTERVAL '5' MINUTES, INTERVAL '10' MINUTES))
	 GROUP BY window_start, window_end, item`,
	`SELECT * FROM (
	   SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY price DESC) AS rownum
	   FROM (
	     SELECT window_start, window_end, supplier_id, SUM(price) AS price, COUNT(*) AS cnt
	     FROM TABLE(TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES))
	     GROUP BY window_start, window_end, supplier_id
	   )
	 ) WHERE rownum <= 3`,
	`SELECT order_id, user, product, number
	 FROM (
	   SELECT *, ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY proctime ASC) AS row_num
	   FROM Orders)
	 WHERE row_num = 1`,
	`SELECT order_id, price, currency, conversion_rate, order_time
	 FROM orders
	 LEFT JOIN currency_rates FOR SYSTEM_TIME AS OF orders.order_time
	 ON orders.currency = currency_rates.currency`,
	`SELECT o.order_id, o.total, c.country, c.zip
	 FROM Orders AS o
	 JOIN Customers FOR SYSTEM_TIME AS OF o.proc_time AS c
	   ON o.customer_id = c.id`,
	`SELECT *
	 FROM Orders o, Shipments s
	 WHERE o.id = s.order_id
	 AND o.order_time BETWEEN s.ship_time - INTERVAL '4' HOUR AND s.ship_time`,
	`SELECT order_id, order_time, amount,
	   SUM(amount) OVER (
	     PARTITION BY product
	     ORDER BY order_time
	     RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW
	   ) AS one_hour_prod_amount_sum
	 FROM Orders`,
	`SELECT order_id, tag
	 FROM Orders CROSS JOIN UNNEST(tags) AS t (tag)`,
	`SELECT order_id, res
	 FROM Orders
	 LEFT OUTER JOIN LATERAL TABLE(table_func(order_id)) t(res) ON TRUE`,
	`INSERT INTO enriched
	 SELECT o.*, c.name
	 FROM orders /*+ OPTIONS('scan.startup.mode'='latest-offset') */ AS o
	 JOIN customers c ON o.cid = c.id`,
	`SET 'execution.checkpointing.interval' = '10s';
	 SET 'table.exec.state.ttl' = '1 h';
	 EXECUTE STATEMENT SET
	 BEGIN
	   INSERT INTO sink_a SELECT * FROM src WHERE kind = 'a';
	   INSERT INTO sink_b SELECT * FROM src WHERE kind = 'b';
	 END;`,
	`SELECT
	   user_id,
	   COUNT(*) FILTER (WHERE action = 'click') AS clicks,
	   COUNT(DISTINCT session_id) AS sessions,
	   MAX(ts) AS last_seen,
	   CAST(SUM(amount) AS DECIMAL(10, 2)) AS revenue,
	   CASE WHEN COUNT(*) > 100 THEN 'heavy' ELSE 'light' END AS segment,
	   DATE_FORMAT(MAX(ts), 'yyyy-MM-dd HH:mm') AS last_minute,
	   TIMESTAMPDIFF(MINUTE, MIN(ts), MAX(ts)) AS span_minutes
	 FROM events
	 WHERE ts > CURRENT_TIMESTAMP - INTERVAL '1' DAY
	   AND url NOT LIKE '%/health%'
	   AND ip IS NOT NULL
	   AND country IN ('DE', 'FR')
	 GROUP BY user_id
	 HAVING COUNT(*) > 1`,
	`CREATE TEMPORARY VIEW recent AS
	 WITH dedup AS (
	   SELECT *, ROW_NUMBER() OVER (PARTITION BY id ORDER BY ts DESC) AS rn FROM raw
	 )
	 SELECT id, payload.name AS name, payload.tags[1] AS first_tag, ` + "`timestamp`" + `
	 FROM dedup WHERE rn = 1`,
	`CREATE TABLE cdn_access_log (
	  uuid VARCHAR,
	  client_ip VARCHAR,
	  request_time BIGINT,
	  response_size BIGINT,
	  uri VARCHAR
	) WITH (
	  'connector' = 'filesystem',
	  'path' = 'testdata/access_log.csv',
	  'format' = 'csv',
	  'csv.ignore-parse-errors' = 'true'
	);
	CREATE TABLE stats (
	  province STRING,
	  access_count BIGINT,
	  total_download BIGINT,
	  download_speed DOUBLE,
	  PRIMARY KEY (province) NOT ENFORCED
	) WITH ('connector' = 'jdbc', 'url' = 'jdbc:sqlite:stats.db', 'table-name' = 'stats');
	CREATE TEMPORARY FUNCTION ip_to_province AS 'example.com/cdn/udf.IPToProvince' LANGUAGE GO;
	INSERT INTO stats
	SELECT province, COUNT(uuid), SUM(response_size), SUM(response_size) * 1.0 / SUM(request_time)
	FROM (SELECT uuid, ip_to_province(client_ip) AS province, response_size, request_time FROM cdn_access_log)
	GROUP BY province;`,
}

func TestRealisticScripts(t *testing.T) {
	for i, text := range realisticScripts {
		s, err := ParseScript(src(text))
		if err != nil {
			t.Errorf("script %d: %v", i, err)
			continue
		}
		checkSpans(t, s)
	}
}
