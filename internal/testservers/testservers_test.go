package testservers

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"
)

func TestMain(m *testing.M) { Main(m) }

func TestKafkaProduceRead(t *testing.T) {
	bs := Kafka(t)
	topic := CreateTopic(t, bs, 3)
	Produce(t, bs, topic, Record{Partition: 0, Value: []byte("a")}, Record{Partition: 2, Key: []byte("k"), Value: []byte("b")})
	msgs := ReadAll(t, bs, topic)
	if len(msgs) != 2 || string(msgs[0].Value) != "a" || string(msgs[1].Key) != "k" || msgs[1].Partition != 2 {
		t.Fatalf("got %+v", msgs)
	}
}

func TestMariaDBRestart(t *testing.T) {
	dsn := MariaDB(t)
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, "CREATE TABLE x (a INT PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "INSERT INTO x VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	RestartMariaDB(t)
	// The pool's old connections are dead after the restart; a new one works.
	db.SetMaxIdleConns(0)
	var n int
	err = db.QueryRowContext(ctx, "SELECT a FROM x").Scan(&n)
	if err != nil {
		err = db.QueryRowContext(ctx, "SELECT a FROM x").Scan(&n)
	}
	if err != nil || n != 1 {
		t.Fatalf("after restart: %v %d", err, n)
	}
}

func TestMissingMariadbdSaysHowToInstall(t *testing.T) {
	saved := mariadbdPaths
	defer func() { mariadbdPaths = saved }()
	mariadbdPaths = []string{"/nonexistent/mariadbd"}
	t.Setenv("PATH", t.TempDir())
	_, err := findMariadbd()
	if err == nil || !strings.Contains(err.Error(), "README's test command") {
		t.Fatalf("findMariadbd: %v", err)
	}
}
