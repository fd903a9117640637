package main

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"
	_ "github.com/mattn/go-sqlite3"
)

type server struct {
	db *sql.DB
}

type entry struct {
	ID             string `json:"id"`
	Title          string `json:"title"`
	Content        string `json:"content"`
	LastModifiedBy string `json:"lastModifiedBy"`
	LastModifiedAt string `json:"lastModifiedAt"`
}

type diffLine struct {
	Op   string
	Text string
}

type edit struct {
	Summary    string
	ModifiedBy string
	ModifiedAt string
	Diff       []diffLine
}

const schema = `
CREATE TABLE IF NOT EXISTS entries (
	id TEXT PRIMARY KEY,
	title TEXT NOT NULL,
	content TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL,
	last_modified_by TEXT NOT NULL,
	last_modified_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS edits (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	entry_id TEXT NOT NULL REFERENCES entries(id),
	old_content TEXT NOT NULL,
	new_content TEXT NOT NULL,
	modified_by TEXT NOT NULL,
	summary TEXT NOT NULL,
	modified_at TEXT NOT NULL
);`

var pages = template.Must(template.New("list").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Wiki</title></head><body>
<h1>Wiki entries</h1>
<ul>{{range .}}<li><a href="/entries/{{.ID}}">{{.Title}}</a></li>
{{else}}<li>No entries yet.</li>{{end}}</ul>
</body></html>
`))

func init() {
	template.Must(pages.New("entry").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Entry.Title}}</title></head><body>
<h1>{{.Entry.Title}}</h1>
<div class="content"><pre>{{.Entry.Content}}</pre></div>
<p>Last edited {{.Entry.LastModifiedAt}} by {{.Entry.LastModifiedBy}}</p>
<h2>Contributors</h2>
<ul>{{range .Contributors}}<li>{{.}}</li>
{{end}}</ul>
<p><a href="/entries/{{.Entry.ID}}/edits">Edit history</a> | <a href="/entries">All entries</a></p>
</body></html>
`))
	template.Must(pages.New("edits").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>History of {{.Entry.Title}}</title></head><body>
<h1>History of {{.Entry.Title}}</h1>
{{range .Edits}}<div class="edit">
<p><strong>{{.Summary}}</strong> by {{.ModifiedBy}} on {{.ModifiedAt}}</p>
<pre>{{range .Diff}}{{.Op}} {{.Text}}
{{end}}</pre>
</div>
{{else}}<p>This entry has not been edited yet.</p>
{{end}}<p><a href="/entries/{{.Entry.ID}}">Back to the entry</a></p>
</body></html>
`))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func render(w http.ResponseWriter, name string, data any) {
	var b strings.Builder
	if err := pages.ExecuteTemplate(&b, name, data); err != nil {
		log.Printf("render %s: %v", name, err)
		fail(w, http.StatusInternalServerError, "internal error")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(b.String()))
}

func decode(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	return json.NewDecoder(r.Body).Decode(v)
}

func now() string { return time.Now().UTC().Format(time.RFC3339) }

// lineDiff compares two texts line by line (longest common subsequence).
func lineDiff(before, after string) []diffLine {
	a, b := strings.Split(before, "\n"), strings.Split(after, "\n")
	if before == "" {
		a = nil
	}
	if after == "" {
		b = nil
	}
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []diffLine
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			out = append(out, diffLine{" ", a[i]})
			i, j = i+1, j+1
		case j < len(b) && (i == len(a) || lcs[i][j+1] >= lcs[i+1][j]):
			out = append(out, diffLine{"+", b[j]})
			j++
		default:
			out = append(out, diffLine{"-", a[i]})
			i++
		}
	}
	return out
}

func (s *server) find(id string) (entry, bool, error) {
	var e entry
	// FLAW: the id from the URL is pasted into the query text.
	query := fmt.Sprintf("SELECT id, title, content, last_modified_by, last_modified_at FROM entries WHERE id = '%s'", id)
	err := s.db.QueryRow(query).Scan(&e.ID, &e.Title, &e.Content, &e.LastModifiedBy, &e.LastModifiedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return e, false, nil
	}
	return e, err == nil, err
}

// lookup answers 404 or 500 itself when the entry cannot be shown.
func (s *server) lookup(w http.ResponseWriter, id string) (entry, bool) {
	e, ok, err := s.find(id)
	if err != nil {
		log.Printf("find entry: %v", err)
		fail(w, http.StatusInternalServerError, "internal error")
		return e, false
	}
	if !ok {
		fail(w, http.StatusNotFound, "entry not found")
	}
	return e, ok
}

func (s *server) list(w http.ResponseWriter, r *http.Request) {
	rows, err := s.db.Query(`SELECT id, title FROM entries ORDER BY created_at, title`)
	if err != nil {
		fail(w, http.StatusInternalServerError, "internal error")
		return
	}
	defer rows.Close()
	var all []entry
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.ID, &e.Title); err != nil {
			fail(w, http.StatusInternalServerError, "internal error")
			return
		}
		all = append(all, e)
	}
	render(w, "list", all)
}

func (s *server) create(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Title     *string `json:"title"`
		Content   *string `json:"content"`
		CreatedBy *string `json:"createdBy"`
	}
	if err := decode(w, r, &req); err != nil || req.Title == nil || req.Content == nil || req.CreatedBy == nil ||
		strings.TrimSpace(*req.Title) == "" || strings.TrimSpace(*req.CreatedBy) == "" {
		fail(w, http.StatusBadRequest, "title, content and createdBy are required")
		return
	}
	e := entry{ID: uuid.NewString(), Title: *req.Title, Content: *req.Content, LastModifiedBy: *req.CreatedBy, LastModifiedAt: now()}
	_, err := s.db.Exec(`INSERT INTO entries (id, title, content, created_by, created_at, last_modified_by, last_modified_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, e.ID, e.Title, e.Content, e.LastModifiedBy, e.LastModifiedAt, e.LastModifiedBy, e.LastModifiedAt)
	if err != nil {
		log.Printf("create entry: %v", err)
		fail(w, http.StatusInternalServerError, "internal error")
		return
	}
	writeJSON(w, http.StatusCreated, e)
}

func (s *server) show(w http.ResponseWriter, r *http.Request) {
	e, ok := s.lookup(w, r.PathValue("id"))
	if !ok {
		return
	}
	rows, err := s.db.Query(`SELECT who FROM (
		SELECT created_by AS who, 0 AS seq FROM entries WHERE id = ?
		UNION ALL SELECT modified_by, seq FROM edits WHERE entry_id = ?) ORDER BY seq`, e.ID, e.ID)
	if err != nil {
		fail(w, http.StatusInternalServerError, "internal error")
		return
	}
	defer rows.Close()
	var contributors []string
	seen := map[string]bool{}
	for rows.Next() {
		var who string
		if err := rows.Scan(&who); err != nil {
			fail(w, http.StatusInternalServerError, "internal error")
			return
		}
		if !seen[who] {
			seen[who] = true
			contributors = append(contributors, who)
		}
	}
	render(w, "entry", map[string]any{"Entry": e, "Contributors": contributors})
}

func (s *server) update(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Content    *string `json:"content"`
		ModifiedBy *string `json:"modifiedBy"`
		Summary    *string `json:"summary"`
	}
	if err := decode(w, r, &req); err != nil || req.Content == nil || req.ModifiedBy == nil || req.Summary == nil ||
		strings.TrimSpace(*req.ModifiedBy) == "" {
		fail(w, http.StatusBadRequest, "content, modifiedBy and summary are required")
		return
	}
	e, ok := s.lookup(w, r.PathValue("id"))
	if !ok {
		return
	}
	at := now()
	tx, err := s.db.Begin()
	if err != nil {
		fail(w, http.StatusInternalServerError, "internal error")
		return
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`INSERT INTO edits (entry_id, old_content, new_content, modified_by, summary, modified_at)
		VALUES (?, ?, ?, ?, ?, ?)`, e.ID, e.Content, *req.Content, *req.ModifiedBy, *req.Summary, at); err != nil {
		fail(w, http.StatusInternalServerError, "internal error")
		return
	}
	if _, err := tx.Exec(`UPDATE entries SET content = ?, last_modified_by = ?, last_modified_at = ? WHERE id = ?`,
		*req.Content, *req.ModifiedBy, at, e.ID); err != nil {
		fail(w, http.StatusInternalServerError, "internal error")
		return
	}
	if err := tx.Commit(); err != nil {
		fail(w, http.StatusInternalServerError, "internal error")
		return
	}
	e.Content, e.LastModifiedBy, e.LastModifiedAt = *req.Content, *req.ModifiedBy, at
	writeJSON(w, http.StatusOK, e)
}

func (s *server) history(w http.ResponseWriter, r *http.Request) {
	e, ok := s.lookup(w, r.PathValue("id"))
	if !ok {
		return
	}
	rows, err := s.db.Query(`SELECT old_content, new_content, modified_by, summary, modified_at FROM edits
		WHERE entry_id = ? ORDER BY seq`, e.ID)
	if err != nil {
		fail(w, http.StatusInternalServerError, "internal error")
		return
	}
	defer rows.Close()
	var edits []edit
	for rows.Next() {
		var before, after string
		var ed edit
		if err := rows.Scan(&before, &after, &ed.ModifiedBy, &ed.Summary, &ed.ModifiedAt); err != nil {
			fail(w, http.StatusInternalServerError, "internal error")
			return
		}
		ed.Diff = lineDiff(before, after)
		edits = append(edits, ed)
	}
	render(w, "edits", map[string]any{"Entry": e, "Edits": edits})
}

func main() {
	db, err := sql.Open("sqlite3", "db.sqlite3?_busy_timeout=5000")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := db.Exec(schema); err != nil {
		log.Fatal(err)
	}
	s := &server{db: db}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /entries", s.list)
	mux.HandleFunc("POST /entries", s.create)
	mux.HandleFunc("GET /entries/{id}", s.show)
	mux.HandleFunc("PUT /entries/{id}", s.update)
	mux.HandleFunc("GET /entries/{id}/edits", s.history)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
