// Package cdnref computes the CDN seed query independently of sqlc-stream, with
// encoding/csv, strconv and math/big, so tests and the benchmark command can check a
// generated job's table against it:
//
//	SELECT province, count(uuid), sum(response_size),
//	       sum(response_size) * 1.0 / sum(request_time)
//	FROM (SELECT uuid, ip_to_province(client_ip) AS province, response_size, request_time FROM log)
//	GROUP BY province
//
// Input lines are uuid,client_ip,request_time,response_size. As with Flink's
// 'csv.ignore-parse-errors' = 'true', a field that does not parse, or is missing, is NULL.
package cdnref

import (
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"sort"
	"strconv"
)

// Row is one province's result. Speed is nil when it is SQL NULL.
type Row struct {
	Province      string
	AccessCount   int64
	TotalDownload *int64
	Speed         *float64
}

// nullProvince is the group key of the NULL province.
const nullProvince = "\x00NULL"

type acc struct {
	count    int64
	sumSize  int64
	sizeSeen bool
	sumTime  int64
	timeSeen bool
}

// Compute reads CSV records from r and returns the rows sorted by province.
func Compute(r io.Reader, ipToProvince func(string) string) ([]Row, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	groups := map[string]*acc{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		field := func(i int) (string, bool) {
			if i < len(rec) {
				return rec[i], true
			}
			return "", false
		}
		// A NULL argument to the UDF yields a NULL province, which is its own group.
		key := nullProvince
		if ip, ok := field(1); ok {
			key = ipToProvince(ip)
		}
		a := groups[key]
		if a == nil {
			a = &acc{}
			groups[key] = a
		}
		if _, ok := field(0); ok {
			a.count++
		}
		if s, ok := field(2); ok {
			if v, err := strconv.ParseInt(s, 10, 64); err == nil {
				a.sumTime += v
				a.timeSeen = true
			}
		}
		if s, ok := field(3); ok {
			if v, err := strconv.ParseInt(s, 10, 64); err == nil {
				a.sumSize += v
				a.sizeSeen = true
			}
		}
	}
	out := make([]Row, 0, len(groups))
	for key, a := range groups {
		row := Row{Province: key, AccessCount: a.count}
		if a.sizeSeen {
			v := a.sumSize
			row.TotalDownload = &v
		}
		if a.sizeSeen && a.timeSeen && a.sumTime != 0 {
			q := new(big.Rat).SetFrac(big.NewInt(a.sumSize), big.NewInt(a.sumTime))
			f, _ := q.Float64()
			row.Speed = &f
		}
		out = append(out, row)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Province < out[j].Province })
	return out, nil
}

// Equal compares two results; speeds may differ by the rounding of DECIMAL(38, 18)
// before the conversion to DOUBLE (relative 1e-12).
func Equal(want, got []Row) error {
	if len(want) != len(got) {
		return fmt.Errorf("%d provinces, want %d", len(got), len(want))
	}
	for i := range want {
		w, g := want[i], got[i]
		if w.Province != g.Province || w.AccessCount != g.AccessCount || !eqInt(w.TotalDownload, g.TotalDownload) || !eqFloat(w.Speed, g.Speed) {
			return fmt.Errorf("row %d = %s, want %s", i, g, w)
		}
	}
	return nil
}

func eqInt(a, b *int64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

func eqFloat(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) <= 1e-12*math.Max(math.Abs(*a), 1)
}

func (r Row) String() string {
	s := fmt.Sprintf("{%s %d", r.Province, r.AccessCount)
	if r.TotalDownload != nil {
		s += fmt.Sprintf(" %d", *r.TotalDownload)
	} else {
		s += " NULL"
	}
	if r.Speed != nil {
		s += " " + strconv.FormatFloat(*r.Speed, 'g', -1, 64)
	} else {
		s += " NULL"
	}
	return s + "}"
}

// ReadTable reads the access_statistic table a job wrote, sorted by province. The
// caller opens db with the driver of its choice.
func ReadTable(db *sql.DB) ([]Row, error) {
	rows, err := db.Query(`SELECT province, access_count, total_download, download_speed FROM access_statistic ORDER BY province`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		var r Row
		var total sql.NullInt64
		var speed sql.NullFloat64
		if err := rows.Scan(&r.Province, &r.AccessCount, &total, &speed); err != nil {
			return nil, err
		}
		if total.Valid {
			r.TotalDownload = &total.Int64
		}
		if speed.Valid {
			r.Speed = &speed.Float64
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
