package nexmarkref

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bids opens a SQLite database holding a few bids (and empty person and auction tables).
func bids(t *testing.T) *sql.DB {
	t.Helper()
	dir := t.TempDir()
	for name, body := range map[string]string{
		"person.csv":  "",
		"auction.csv": "",
		"bid.csv": "1000,2001,500,Google,https://x.com/a/b/c/item.htm?query=1,2024-01-01 07:00:00.5,e1\n" +
			"1000,2002,20000,channel-7,https://x.com/d/e/f/item.htm?query=1&channel_id=77,2024-01-01 07:01:00,e2\n" +
			"1001,2001,3000000,channel-8,https://x.com/g/h/i/item.htm?query=1,2024-01-01 07:01:30,e3\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db, err := Open(filepath.Join(dir, "ref.db"), dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// A changelog is applied by key: the final table is compared, and a retraction of a row
// the key does not hold is an error.
func TestCheckChangelog(t *testing.T) {
	db := bids(t)
	final := "+I[1000, 2024-01-01, 1, 1, 0, 0, 500, 500, 500, 500]\n" +
		"-U[1000, 2024-01-01, 1, 1, 0, 0, 500, 500, 500, 500]\n" +
		"+U[1000, 2024-01-01, 2, 1, 1, 0, 500, 20000, 10250, 20500]\n" +
		"+I[1001, 2024-01-01, 1, 0, 0, 1, 3000000, 3000000, 3000000, 3000000]\n"
	res, err := Check(db, "q17", strings.NewReader(final))
	if err != nil || !res.OK || res.Rows != 2 {
		t.Fatalf("%+v, %v", res, err)
	}
	// The first row alone is not the final table.
	res, err = Check(db, "q17", strings.NewReader("+I[1000, 2024-01-01, 1, 1, 0, 0, 500, 500, 500, 500]\n"))
	if err != nil || res.OK {
		t.Fatalf("%+v, %v: want a difference", res, err)
	}
	_, err = Check(db, "q17", strings.NewReader("-U[1000, 2024-01-01, 1, 1, 0, 0, 500, 500, 500, 500]\n"))
	if err == nil || !strings.Contains(err.Error(), "does not hold") {
		t.Fatalf("got %v, want a bad retraction", err)
	}
}

// q21 and q22's string references: channel_id after '&', SPLIT_INDEX parts.
func TestCheckStrings(t *testing.T) {
	db := bids(t)
	res, err := Check(db, "q21", strings.NewReader("+I[1000, 2001, 500, Google, 1]\n+I[1000, 2002, 20000, channel-7, 77]\n"))
	if err != nil || !res.OK {
		t.Fatalf("q21: %+v, %v", res, err)
	}
	res, err = Check(db, "q22", strings.NewReader("+I[1000, 2001, 500, Google, a, b, c]\n"+
		"+I[1000, 2002, 20000, channel-7, d, e, f]\n+I[1001, 2001, 3000000, channel-8, g, h, i]\n"))
	if err != nil || !res.OK {
		t.Fatalf("q22: %+v, %v", res, err)
	}
}

// q10's files are read back with their partitions; a partition without its success
// file, or a file in progress, is an error.
func TestCheckFiles(t *testing.T) {
	db := bids(t)
	dir := t.TempDir()
	write := func(rel, body string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("dt=2024-01-01/hm=07%3A00/part-x-0-0", "1000,2001,500,2024-01-01 07:00:00.5,e1\n")
	write("dt=2024-01-01/hm=07%3A01/part-x-0-0", "1000,2002,20000,2024-01-01 07:01:00,e2\n")
	write("dt=2024-01-01/hm=07%3A01/part-x-1-0", "1001,2001,3000000,2024-01-01 07:01:30,e3\n")
	write("dt=2024-01-01/hm=07%3A01/_SUCCESS", "")
	if _, err := CheckFiles(db, "q10", dir, "_SUCCESS"); err == nil || !strings.Contains(err.Error(), "no success file") {
		t.Fatalf("got %v, want the missing success file", err)
	}
	write("dt=2024-01-01/hm=07%3A00/_SUCCESS", "")
	res, err := CheckFiles(db, "q10", dir, "_SUCCESS")
	if err != nil || !res.OK || res.Rows != 3 {
		t.Fatalf("%+v, %v", res, err)
	}
	write("dt=2024-01-01/hm=07%3A00/.part-x-0-1.inprogress.y", "")
	if _, err := CheckFiles(db, "q10", dir, "_SUCCESS"); err == nil || !strings.Contains(err.Error(), "in progress") {
		t.Fatalf("got %v, want the file in progress", err)
	}
}
