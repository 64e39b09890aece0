package testservers

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// Where the Debian package puts the server; PATH is searched too.
var mariadbdPaths = []string{"/usr/sbin/mariadbd", "/usr/sbin/mysqld"}

const installHint = "mariadbd (MariaDB server) is not installed: run the README's test command, " +
	"which installs it (apt-get install -y mariadb-server), or set SQLC_STREAM_MYSQL_DSN to an external server"

// mariadbServer is the test binary's shared MariaDB.
type mariadbServer struct {
	mu      sync.Mutex
	bin     string
	dir     string // temp dir: data/, sock, err.log
	port    int
	cmd     *exec.Cmd
	exited  chan struct{}
	baseDSN string // root over TCP, no database
}

var (
	sharedOnce sync.Once
	shared     *mariadbServer
	sharedErr  error
	dbSeq      atomic.Int64
)

// Main runs the tests and then stops the shared MariaDB, if one was started. Call it
// from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if shared != nil {
		shared.stop()
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// MariaDB returns a go-sql-driver/mysql DSN for a fresh, empty database on the shared
// server (or on $SQLC_STREAM_MYSQL_DSN). The database is dropped when the test ends.
func MariaDB(t testing.TB) string {
	t.Helper()
	base := os.Getenv("SQLC_STREAM_MYSQL_DSN")
	if base == "" {
		sharedOnce.Do(func() { shared, sharedErr = startShared() })
		if sharedErr != nil {
			t.Fatalf("testservers: %v", sharedErr)
		}
		base = shared.baseDSN
	}
	cfg, err := mysql.ParseDSN(base)
	if err != nil {
		t.Fatalf("testservers: bad SQLC_STREAM_MYSQL_DSN: %v", err)
	}
	cfg.DBName = ""
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	name := fmt.Sprintf("t_%s_%d_%d", sanitize(t.Name()), os.Getpid(), dbSeq.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE `"+name+"`"); err != nil {
		t.Fatalf("testservers: create database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("mysql", cfg.FormatDSN())
		if err != nil {
			return
		}
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		db.ExecContext(ctx, "DROP DATABASE IF EXISTS `"+name+"`")
	})
	cfg.DBName = name
	return cfg.FormatDSN()
}

// StopMariaDB stops the shared server (the test must have called MariaDB); if the test
// has not started it again (StartMariaDB) by its end, its cleanup does. Tests that stop
// it must not run in parallel with other MariaDB tests.
func StopMariaDB(t testing.TB) {
	t.Helper()
	s := local(t)
	s.stop()
	t.Cleanup(func() {
		if err := s.start(); err != nil { // nothing when it runs
			t.Errorf("testservers: restart MariaDB: %v", err)
		}
	})
}

// StartMariaDB starts the shared server again on the same port and datadir and waits
// until it accepts connections.
func StartMariaDB(t testing.TB) {
	t.Helper()
	s := local(t)
	if err := s.start(); err != nil {
		t.Fatalf("testservers: restart MariaDB: %v", err)
	}
}

// RestartMariaDB stops and starts the shared server.
func RestartMariaDB(t testing.TB) {
	t.Helper()
	StopMariaDB(t)
	StartMariaDB(t)
}

func local(t testing.TB) *mariadbServer {
	t.Helper()
	if os.Getenv("SQLC_STREAM_MYSQL_DSN") != "" {
		t.Fatalf("testservers: cannot stop or start the external server in SQLC_STREAM_MYSQL_DSN; unset it to run this test")
	}
	if shared == nil {
		t.Fatalf("testservers: MariaDB(t) must be called first")
	}
	return shared
}

func findMariadbd() (string, error) {
	for _, p := range mariadbdPaths {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
	}
	for _, n := range []string{"mariadbd", "mysqld"} {
		if p, err := exec.LookPath(n); err == nil {
			return p, nil
		}
	}
	return "", errors.New(installHint)
}

// Options that make a throwaway server start in well under a second: no fsync, small
// logs and buffers, no binlog, no name resolution.
var fastOpts = []string{
	"--innodb-flush-method=nosync", "--innodb-doublewrite=0", "--innodb-log-file-size=10M",
	"--innodb-buffer-pool-size=32M", "--skip-name-resolve",
}

func startShared() (*mariadbServer, error) {
	bin, err := findMariadbd()
	if err != nil {
		return nil, err
	}
	install, err := exec.LookPath("mariadb-install-db")
	if err != nil {
		if install, err = exec.LookPath("mysql_install_db"); err != nil {
			return nil, errors.New(installHint + " (mariadb-install-db not found)")
		}
	}
	dir, err := os.MkdirTemp("", "sqlc-stream-mariadb-")
	if err != nil {
		return nil, err
	}
	args := append([]string{"--no-defaults", "--datadir=" + filepath.Join(dir, "data"),
		"--auth-root-authentication-method=normal", "--skip-test-db", "--user=" + currentUser()}, fastOpts...)
	out, err := exec.Command(install, args...).CombinedOutput()
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("mariadb-install-db: %v\n%s", err, out)
	}
	port, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s := &mariadbServer{bin: bin, dir: dir, port: port}
	s.baseDSN = (&mysql.Config{User: "root", Net: "tcp", Addr: "127.0.0.1:" + strconv.Itoa(port),
		AllowNativePasswords: true, Timeout: 5 * time.Second}).FormatDSN()
	if err := s.start(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

func (s *mariadbServer) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return nil
	}
	logf, err := os.OpenFile(filepath.Join(s.dir, "err.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	args := append([]string{"--no-defaults", "--datadir=" + filepath.Join(s.dir, "data"),
		"--socket=" + filepath.Join(s.dir, "sock"), "--port=" + strconv.Itoa(s.port),
		"--bind-address=127.0.0.1", "--pid-file=" + filepath.Join(s.dir, "pid"),
		"--user=" + currentUser(), "--skip-log-bin"}, fastOpts...)
	cmd := exec.Command(s.bin, args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	// The server dies with the test binary even when TestMain's cleanup does not run.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("start %s: %w", s.bin, err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); logf.Close(); close(exited) }()
	s.cmd, s.exited = cmd, exited

	// Poll until the server accepts a query, or it exits, or 60 s pass.
	db, err := sql.Open("mysql", s.baseDSN)
	if err != nil {
		return err
	}
	defer db.Close()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err = db.PingContext(ctx)
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-exited:
			s.cmd = nil
			log, _ := os.ReadFile(filepath.Join(s.dir, "err.log"))
			return fmt.Errorf("mariadbd exited at start:\n%s", log)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("mariadbd did not accept connections within 60 s: %v", err)
		}
	}
}

func (s *mariadbServer) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
	}
	s.cmd = nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func currentUser() string {
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	if os.Getuid() == 0 {
		return "root"
	}
	return strconv.Itoa(os.Getuid())
}

// External reports whether MariaDB tests run against the server in
// $SQLC_STREAM_MYSQL_DSN (which they cannot stop or restart).
func External() bool { return os.Getenv("SQLC_STREAM_MYSQL_DSN") != "" }
