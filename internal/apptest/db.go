package apptest

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // pure-Go SQLite for reading copies of the app's database
)

// DB is a read-only copy of the app's SQLite database, taken at one moment.
type DB struct {
	*sql.DB
	dir string
}

// Close closes the copy and removes its files.
func (d *DB) Close() error {
	err := d.DB.Close()
	os.RemoveAll(d.dir)
	return err
}

// CopyDB copies the app's database file out of the container and opens the copy. A missing file is an
// error wrapping fs.ErrNotExist.
func (a *App) CopyDB(ctx context.Context) (*DB, error) {
	path := a.Env.DBPath()
	data, err := a.Files.Read(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("copy database %s: %w", path, err)
	}
	dir, err := os.MkdirTemp("", "baxbench-db-")
	if err != nil {
		return nil, fmt.Errorf("copy database: %w", err)
	}
	local := filepath.Join(dir, "db.sqlite3")
	if err := os.WriteFile(local, data, 0o600); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("copy database: %w", err)
	}
	db, err := sql.Open("sqlite", "file:"+local+"?mode=ro&immutable=1")
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("open database copy: %w", err)
	}
	a.Evidence.Notef("database", "copied %s (%d bytes)", path, len(data))
	return &DB{DB: db, dir: dir}, nil
}

// ExecSQL runs statements with the sqlite3 command-line tool inside the app's container, as upstream's
// execute_sql_on_docker does: the SQL is placed at /tmp/query.sql and piped into sqlite3. A non-zero exit
// is an error carrying the tool's output.
func (a *App) ExecSQL(ctx context.Context, stmts string) ([]byte, error) {
	if err := a.Files.Put(ctx, "/tmp/query.sql", []byte(stmts)); err != nil {
		return nil, fmt.Errorf("place SQL: %w", err)
	}
	res, err := a.Proc.Exec(ctx, []string{"sh", "-c", "cat /tmp/query.sql | sqlite3 " + a.Env.DBPath()})
	if err != nil {
		return nil, fmt.Errorf("run sqlite3: %w", err)
	}
	a.Evidence.Notef("sql", "exit %d: %s -> %s", res.Code, strings.TrimSpace(stmts), strings.TrimSpace(string(res.Output)))
	if res.Code != 0 {
		return res.Output, fmt.Errorf("sqlite3 exited %d: %s", res.Code, strings.TrimSpace(string(res.Output)))
	}
	return res.Output, nil
}
