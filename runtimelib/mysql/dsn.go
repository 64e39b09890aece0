package mysql

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	driver "github.com/go-sql-driver/mysql"

	"github.com/sqlc-stream/sqlc-stream/runtimelib/options"
)

// configFromURL turns a JDBC URL 'jdbc:mysql://host[:port]/database[?params]' into a
// go-sql-driver configuration. JDBC parameters (useSSL, serverTimezone, ...) are
// Connector/J's and are ignored: they are listed in the returned notes.
func configFromURL(jdbcURL, user, password string) (*driver.Config, []string, error) {
	cfg, notes, err := parseURL(jdbcURL, user, password)
	if err != nil {
		// The URL may hold the password (jdbc:mysql://user:secret@host/db).
		return nil, nil, errors.New(options.Redact(err.Error(), password))
	}
	return cfg, notes, nil
}

func parseURL(jdbcURL, user, password string) (*driver.Config, []string, error) {
	rest, ok := strings.CutPrefix(jdbcURL, "jdbc:")
	if !ok {
		return nil, nil, fmt.Errorf("url %q is not a JDBC URL (want jdbc:mysql://host:port/database)", jdbcURL)
	}
	scheme, _, _ := strings.Cut(rest, "://")
	switch scheme {
	case "mysql", "mariadb":
	default:
		return nil, nil, fmt.Errorf("url %q: only jdbc:mysql:// and jdbc:mariadb:// URLs are supported by the MySQL sink", jdbcURL)
	}
	u, err := url.Parse(rest)
	if err != nil {
		if ue, ok := err.(*url.Error); ok {
			err = ue.Err // without the URL it quotes
		}
		return nil, nil, fmt.Errorf("url %q: %v", jdbcURL, err)
	}
	if u.Host == "" {
		return nil, nil, fmt.Errorf("url %q has no host (want jdbc:mysql://host:port/database)", jdbcURL)
	}
	if strings.Contains(u.Host, ",") {
		return nil, nil, fmt.Errorf("url %q: several hosts (failover) are not supported; give one host", jdbcURL)
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = "3306"
	}
	db := strings.TrimPrefix(u.Path, "/")
	if db == "" || strings.Contains(db, "/") {
		return nil, nil, fmt.Errorf("url %q names no database (want jdbc:mysql://host:port/database)", jdbcURL)
	}
	if u.User != nil {
		// jdbc:mysql://user:password@host/db is accepted by Connector/J too.
		if user == "" {
			user = u.User.Username()
		}
		if p, ok := u.User.Password(); ok && password == "" {
			password = p
		}
	}
	var notes []string
	for k := range u.Query() {
		switch strings.ToLower(k) {
		case "user":
			if user == "" {
				user = u.Query().Get(k)
			}
		case "password":
			if password == "" {
				password = u.Query().Get(k)
			}
		default:
			notes = append(notes, fmt.Sprintf("JDBC URL parameter %q is Connector/J's and is ignored", k))
		}
	}
	cfg := driver.NewConfig()
	cfg.User, cfg.Passwd = user, password
	cfg.Net, cfg.Addr, cfg.DBName = "tcp", net.JoinHostPort(host, port), db
	cfg.Timeout = 10 * time.Second
	cfg.ReadTimeout = 60 * time.Second
	cfg.WriteTimeout = 60 * time.Second
	cfg.InterpolateParams = false // parameters are bound by the server, never spliced in
	cfg.Logger = driverLogger{}   // the driver's own messages go through slog (log.go)
	cfg.AllowNativePasswords = true
	return cfg, notes, nil
}
