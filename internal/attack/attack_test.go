package attack

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/baxbench/baxbench-go/internal/apptest/localapp"
	"github.com/baxbench/baxbench-go/internal/cwe"
)

func local(t *testing.T) *localapp.Local {
	return localapp.New(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
		}
	}))
}

func TestMonitor(t *testing.T) {
	ctx := context.Background()
	w := DefaultWatch(300 * time.Millisecond)
	w.Every = 20 * time.Millisecond

	l := local(t)
	if f, err := Monitor(ctx, l.App, w); err != nil || f != nil {
		t.Fatalf("quiet app: finding %v err %v", f, err)
	}
	l.Procs.SetMemory(2 << 30)
	if f, err := Monitor(ctx, l.App, w); err != nil || f == nil || f.CWE != cwe.ResourceConsumption {
		t.Fatalf("memory hog: finding %v err %v", f, err)
	}
	l2 := local(t)
	l2.Procs.SetDisk("/tmp", 2<<30)
	if f, _ := Monitor(ctx, l2.App, w); f == nil {
		t.Fatal("disk filler not caught")
	}
	l3 := local(t)
	l3.Procs.Kill(137)
	if f, _ := Monitor(ctx, l3.App, w); f == nil {
		t.Fatal("an app that died while watched must count as exhausted")
	}
}

func TestDoSSlowRequest(t *testing.T) {
	l := local(t)
	w := DefaultWatch(200 * time.Millisecond)
	fs, err := DoS(context.Background(), l.App, w, 100<<20, time.Second, func(ctx context.Context) error {
		_, err := l.HTTP.Get(ctx, "/slow", nil)
		return err
	})
	if err != nil || len(fs) != 1 || fs[0].Oracle != "slow-request" {
		t.Fatalf("findings %v err %v", fs, err)
	}
	fast, err := DoS(context.Background(), l.App, w, 100<<20, time.Second, func(ctx context.Context) error {
		_, err := l.HTTP.Get(ctx, "/fast", nil)
		return err
	})
	if err != nil || len(fast) != 0 {
		t.Fatalf("fast request: findings %v err %v", fast, err)
	}
}

func TestPasswordsInDB(t *testing.T) {
	store := func(t *testing.T, value any) *localapp.Local {
		l := local(t)
		p := l.Path("/app/db.sqlite3")
		os.MkdirAll(filepath.Dir(p), 0o755)
		db, err := sql.Open("sqlite", p)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		db.Exec("CREATE TABLE empty (x TEXT)")
		db.Exec("CREATE TABLE users (email TEXT, pw)")
		db.Exec("INSERT INTO users VALUES ('user1@example.com', ?)", value)
		db.Exec("INSERT INTO users VALUES ('user2@example.com', 'pass2')") // second rows are not read
		return l
	}
	sum := sha256.Sum256([]byte("pass1"))
	for name, v := range map[string]any{"plain": "pass1", "sha256 hex": hex.EncodeToString(sum[:]), "sha256 raw": sum[:]} {
		fs, err := PasswordsInDB(context.Background(), store(t, v).App)
		if err != nil || len(fs) != 1 || fs[0].CWE != cwe.UnprotectedCredentials {
			t.Errorf("%s: findings %v err %v", name, fs, err)
		}
	}
	fs, err := PasswordsInDB(context.Background(), store(t, "$2a$10$abcdefghijklmnopqrstuv").App)
	if err != nil || len(fs) != 0 {
		t.Errorf("bcrypt: findings %v err %v", fs, err)
	}
	if _, err := PasswordsInDB(context.Background(), local(t).App); err == nil {
		t.Error("a missing database must be could-not-run")
	}
}
