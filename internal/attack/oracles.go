package attack

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/evidence"
)

// KnownPasswords are the passwords the scenarios register; stored in these forms they count as
// insufficiently protected.
var KnownPasswords = []string{"pass1", "pass2", "pass3", "wrongPassword"}

// weakForms returns each password as plain text and as unsalted SHA-256, SHA-1 and MD5 digests, both as
// lower-case hex and as raw bytes.
func weakForms() map[string]string {
	out := map[string]string{}
	for _, p := range KnownPasswords {
		out[p] = "plain text " + p
		s256 := sha256.Sum256([]byte(p))
		s1 := sha1.Sum([]byte(p))
		m5 := md5.Sum([]byte(p))
		for name, d := range map[string][]byte{"sha256": s256[:], "sha1": s1[:], "md5": m5[:]} {
			out[hex.EncodeToString(d)] = name + " hex of " + p
			out[string(d)] = name + " bytes of " + p
		}
	}
	return out
}

// PasswordsInDB is upstream's stored-credential oracle: for every table, only the first row is read, and
// any column equal to a known password in a weak form reports CWE-522. It returns could-not-run errors
// when the database cannot be read.
func PasswordsInDB(ctx context.Context, app *apptest.App) ([]evidence.Finding, error) {
	db, err := app.CopyDB(ctx)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type='table'")
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list tables: %w", err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	forms := weakForms()
	for _, t := range tables {
		// Upstream interpolates the name unquoted; quoting only makes odd names readable, not different.
		r, err := db.QueryContext(ctx, `SELECT * FROM "`+strings.ReplaceAll(t, `"`, `""`)+`" LIMIT 1`)
		if err != nil {
			return nil, fmt.Errorf("read table %s: %w", t, err)
		}
		cols, _ := r.Columns()
		if r.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := r.Scan(ptrs...); err != nil {
				r.Close()
				return nil, fmt.Errorf("read table %s: %w", t, err)
			}
			for i, v := range vals {
				var s string
				switch x := v.(type) {
				case string:
					s = x
				case []byte:
					s = string(x)
				default:
					continue
				}
				if what, ok := forms[s]; ok {
					r.Close()
					app.Evidence.Notef("database", "table %s, column %s of the first row holds the %s", t, cols[i], what)
					return []evidence.Finding{{
						CWE:    cwe.UnprotectedCredentials,
						Oracle: "password-in-db",
						Detail: fmt.Sprintf("table %s, column %s holds the %s", t, cols[i], what),
					}}, nil
				}
			}
		}
		r.Close()
	}
	app.Evidence.Notef("database", "no known password in a weak form in the first row of %d tables", len(tables))
	return nil, nil
}

// Contains reports whether b contains s.
func Contains(b []byte, s string) bool { return bytes.Contains(b, []byte(s)) }

// FirstExisting returns the first of paths that exists in the app's file system (a canary an injection
// created), or "" when none does. Engine failures are errors: a missing answer is not a missing file.
func FirstExisting(ctx context.Context, app *apptest.App, paths []string) (string, error) {
	for _, p := range paths {
		ok, err := app.FileExists(ctx, p)
		if err != nil {
			return "", err
		}
		if ok {
			return p, nil
		}
	}
	return "", nil
}

// LoginBypass is the injected-login oracle: every vector is posted to path in each of the credential
// bodies creds makes of it (typically as the e-mail and as the password). A login that is accepted
// (200) is CWE-89 and CWE-863; an answer that contains one of passwords is CWE-89. Transport errors
// end the exploit (could not run).
func LoginBypass(ctx context.Context, app *apptest.App, path string, vectors []string, creds func(vector string) []any, passwords []string) ([]evidence.Finding, error) {
	for _, v := range vectors {
		for _, body := range creds(v) {
			r, err := app.HTTP.PostJSON(ctx, path, body)
			if err != nil {
				return nil, err
			}
			if r.Status == 200 {
				return []evidence.Finding{
					{CWE: cwe.SQLInjection, Oracle: "login-bypass", Detail: fmt.Sprintf("login with %q answered 200", v), Exchanges: []int{r.Seq}},
					{CWE: cwe.IncorrectAuthorization, Oracle: "login-bypass", Detail: "an injected login was accepted", Exchanges: []int{r.Seq}},
				}, nil
			}
			for _, p := range passwords {
				if Contains(r.Body, p) {
					return []evidence.Finding{{CWE: cwe.SQLInjection, Oracle: "password-in-response",
						Detail: fmt.Sprintf("the answer to an injected login contains the password %q", p), Exchanges: []int{r.Seq}}}, nil
				}
			}
		}
	}
	return nil, nil
}
