// Package udf holds the Go user-defined functions of the CDN example.
//
// IPToProvince is the Go counterpart of the seed's PyFlink UDF ip_to_province: where the
// PyFlink version asked a web service, this one looks the address up in a small bundled
// table of IPv4 ranges, so the example runs with no network. A job declares it with
//
//	CREATE FUNCTION ip_to_province AS 'github.com/sqlc-stream/sqlc-stream/examples/cdn/udf.IPToProvince' LANGUAGE GO;
//
// and the generated code calls it directly.
package udf
