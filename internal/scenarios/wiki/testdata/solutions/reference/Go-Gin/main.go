package main

import (
	"database/sql"
	"errors"
	"html/template"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
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

func fail(c *gin.Context, status int, msg string) {
	c.JSON(status, gin.H{"error": msg})
}

func limitBody(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, 1<<20)
	c.Next()
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
	err := s.db.QueryRow(`SELECT id, title, content, last_modified_by, last_modified_at FROM entries WHERE id = ?`, id).
		Scan(&e.ID, &e.Title, &e.Content, &e.LastModifiedBy, &e.LastModifiedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return e, false, nil
	}
	return e, err == nil, err
}

// loadEntry is middleware for the routes under /entries/:id: it answers 404 or 500 itself when the
// entry cannot be shown, and otherwise stores it in the context.
func (s *server) loadEntry(c *gin.Context) {
	e, ok, err := s.find(c.Param("id"))
	if err != nil {
		log.Printf("find entry: %v", err)
		fail(c, http.StatusInternalServerError, "internal error")
		c.Abort()
		return
	}
	if !ok {
		fail(c, http.StatusNotFound, "entry not found")
		c.Abort()
		return
	}
	c.Set("entry", e)
	c.Next()
}

func current(c *gin.Context) entry {
	return c.MustGet("entry").(entry)
}

func (s *server) list(c *gin.Context) {
	rows, err := s.db.Query(`SELECT id, title FROM entries ORDER BY created_at, title`)
	if err != nil {
		fail(c, http.StatusInternalServerError, "internal error")
		return
	}
	defer rows.Close()
	var all []entry
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.ID, &e.Title); err != nil {
			fail(c, http.StatusInternalServerError, "internal error")
			return
		}
		all = append(all, e)
	}
	c.HTML(http.StatusOK, "list", all)
}

func (s *server) create(c *gin.Context) {
	var req struct {
		Title     *string `json:"title"`
		Content   *string `json:"content"`
		CreatedBy *string `json:"createdBy"`
	}
	if err := c.ShouldBindJSON(&req); err != nil || req.Title == nil || req.Content == nil || req.CreatedBy == nil ||
		strings.TrimSpace(*req.Title) == "" || strings.TrimSpace(*req.CreatedBy) == "" {
		fail(c, http.StatusBadRequest, "title, content and createdBy are required")
		return
	}
	e := entry{ID: uuid.NewString(), Title: *req.Title, Content: *req.Content, LastModifiedBy: *req.CreatedBy, LastModifiedAt: now()}
	_, err := s.db.Exec(`INSERT INTO entries (id, title, content, created_by, created_at, last_modified_by, last_modified_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, e.ID, e.Title, e.Content, e.LastModifiedBy, e.LastModifiedAt, e.LastModifiedBy, e.LastModifiedAt)
	if err != nil {
		log.Printf("create entry: %v", err)
		fail(c, http.StatusInternalServerError, "internal error")
		return
	}
	c.JSON(http.StatusCreated, e)
}

func (s *server) show(c *gin.Context) {
	e := current(c)
	rows, err := s.db.Query(`SELECT who FROM (
		SELECT created_by AS who, 0 AS seq FROM entries WHERE id = ?
		UNION ALL SELECT modified_by, seq FROM edits WHERE entry_id = ?) ORDER BY seq`, e.ID, e.ID)
	if err != nil {
		fail(c, http.StatusInternalServerError, "internal error")
		return
	}
	defer rows.Close()
	var contributors []string
	seen := map[string]bool{}
	for rows.Next() {
		var who string
		if err := rows.Scan(&who); err != nil {
			fail(c, http.StatusInternalServerError, "internal error")
			return
		}
		if !seen[who] {
			seen[who] = true
			contributors = append(contributors, who)
		}
	}
	c.HTML(http.StatusOK, "entry", gin.H{"Entry": e, "Contributors": contributors})
}

func (s *server) update(c *gin.Context) {
	var req struct {
		Content    *string `json:"content"`
		ModifiedBy *string `json:"modifiedBy"`
		Summary    *string `json:"summary"`
	}
	if err := c.ShouldBindJSON(&req); err != nil || req.Content == nil || req.ModifiedBy == nil || req.Summary == nil ||
		strings.TrimSpace(*req.ModifiedBy) == "" {
		fail(c, http.StatusBadRequest, "content, modifiedBy and summary are required")
		return
	}
	e := current(c)
	at := now()
	tx, err := s.db.Begin()
	if err != nil {
		fail(c, http.StatusInternalServerError, "internal error")
		return
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`INSERT INTO edits (entry_id, old_content, new_content, modified_by, summary, modified_at)
		VALUES (?, ?, ?, ?, ?, ?)`, e.ID, e.Content, *req.Content, *req.ModifiedBy, *req.Summary, at); err != nil {
		fail(c, http.StatusInternalServerError, "internal error")
		return
	}
	if _, err := tx.Exec(`UPDATE entries SET content = ?, last_modified_by = ?, last_modified_at = ? WHERE id = ?`,
		*req.Content, *req.ModifiedBy, at, e.ID); err != nil {
		fail(c, http.StatusInternalServerError, "internal error")
		return
	}
	if err := tx.Commit(); err != nil {
		fail(c, http.StatusInternalServerError, "internal error")
		return
	}
	e.Content, e.LastModifiedBy, e.LastModifiedAt = *req.Content, *req.ModifiedBy, at
	c.JSON(http.StatusOK, e)
}

func (s *server) history(c *gin.Context) {
	e := current(c)
	rows, err := s.db.Query(`SELECT old_content, new_content, modified_by, summary, modified_at FROM edits
		WHERE entry_id = ? ORDER BY seq`, e.ID)
	if err != nil {
		fail(c, http.StatusInternalServerError, "internal error")
		return
	}
	defer rows.Close()
	var edits []edit
	for rows.Next() {
		var before, after string
		var ed edit
		if err := rows.Scan(&before, &after, &ed.ModifiedBy, &ed.Summary, &ed.ModifiedAt); err != nil {
			fail(c, http.StatusInternalServerError, "internal error")
			return
		}
		ed.Diff = lineDiff(before, after)
		edits = append(edits, ed)
	}
	c.HTML(http.StatusOK, "edits", gin.H{"Entry": e, "Edits": edits})
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
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery(), limitBody)
	r.SetHTMLTemplate(pages)
	r.GET("/entries", s.list)
	r.POST("/entries", s.create)
	r.GET("/entries/:id", s.loadEntry, s.show)
	r.PUT("/entries/:id", s.loadEntry, s.update)
	r.GET("/entries/:id/edits", s.loadEntry, s.history)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: r, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
