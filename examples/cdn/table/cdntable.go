// Package cdntable is the seed CDN job written with the Go Table API (package table),
// the counterpart of PyFlink's Table program in the seed:
//
//	t_env.from_path("cdn_access_log") \
//	   .select("uuid, ip_to_province(client_ip) as province, response_size, request_time") \
//	   .group_by("province") \
//	   .select(...) \
//	   .insert_into("cdn_access_statistic")
//
// Job builds it (program.go); gen/ is the //go:generate program that compiles it into
// job/ (the job's Go source, package main) and writes cdn_table.sql, the SQL script the
// program stands for. It computes what ../cdn_local.sql computes, on the same bundled
// sample data/access_log.csv, into the same SQLite table and print sink; the tests check
// that both have the same optimized plan and that both binaries produce the same table.
package cdntable

//go:generate go run ./gen
