package main

import (
	"database/sql"
	"errors"
	"html/template"
	"log"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
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

func fail(c *fiber.Ctx, status int, msg string) error {
	return c.Status(status).JSON(fiber.Map{"error": msg})
}

// render executes one of the html/template pages, which escape every user-supplied value.
func render(c *fiber.Ctx, name string, data any) error {
	var b strings.Builder
	if err := pages.ExecuteTemplate(&b, name, data); err != nil {
		log.Printf("render %s: %v", name, err)
		return fail(c, fiber.StatusInternalServerError, "internal error")
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.SendString(b.String())
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
func (s *server) loadEntry(c *fiber.Ctx) error {
	e, ok, err := s.find(c.Params("id"))
	if err != nil {
		log.Printf("find entry: %v", err)
		return fail(c, fiber.StatusInternalServerError, "internal error")
	}
	if !ok {
		return fail(c, fiber.StatusNotFound, "entry not found")
	}
	c.Locals("entry", e)
	return c.Next()
}

func current(c *fiber.Ctx) entry {
	return c.Locals("entry").(entry)
}

func (s *server) list(c *fiber.Ctx) error {
	rows, err := s.db.Query(`SELECT id, title FROM entries ORDER BY created_at, title`)
	if err != nil {
		return fail(c, fiber.StatusInternalServerError, "internal error")
	}
	defer rows.Close()
	var all []entry
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.ID, &e.Title); err != nil {
			return fail(c, fiber.StatusInternalServerError, "internal error")
		}
		all = append(all, e)
	}
	return render(c, "list", all)
}

func (s *server) create(c *fiber.Ctx) error {
	var req struct {
		Title     *string `json:"title"`
		Content   *string `json:"content"`
		CreatedBy *string `json:"createdBy"`
	}
	if err := c.BodyParser(&req); err != nil || req.Title == nil || req.Content == nil || req.CreatedBy == nil ||
		strings.TrimSpace(*req.Title) == "" || strings.TrimSpace(*req.CreatedBy) == "" {
		return fail(c, fiber.StatusBadRequest, "title, content and createdBy are required")
	}
	e := entry{ID: uuid.NewString(), Title: *req.Title, Content: *req.Content, LastModifiedBy: *req.CreatedBy, LastModifiedAt: now()}
	_, err := s.db.Exec(`INSERT INTO entries (id, title, content, created_by, created_at, last_modified_by, last_modified_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, e.ID, e.Title, e.Content, e.LastModifiedBy, e.LastModifiedAt, e.LastModifiedBy, e.LastModifiedAt)
	if err != nil {
		log.Printf("create entry: %v", err)
		return fail(c, fiber.StatusInternalServerError, "internal error")
	}
	return c.Status(fiber.StatusCreated).JSON(e)
}

func (s *server) show(c *fiber.Ctx) error {
	e := current(c)
	rows, err := s.db.Query(`SELECT who FROM (
		SELECT created_by AS who, 0 AS seq FROM entries WHERE id = ?
		UNION ALL SELECT modified_by, seq FROM edits WHERE entry_id = ?) ORDER BY seq`, e.ID, e.ID)
	if err != nil {
		return fail(c, fiber.StatusInternalServerError, "internal error")
	}
	defer rows.Close()
	var contributors []string
	seen := map[string]bool{}
	for rows.Next() {
		var who string
		if err := rows.Scan(&who); err != nil {
			return fail(c, fiber.StatusInternalServerError, "internal error")
		}
		if !seen[who] {
			seen[who] = true
			contributors = append(contributors, who)
		}
	}
	return render(c, "entry", fiber.Map{"Entry": e, "Contributors": contributors})
}

func (s *server) update(c *fiber.Ctx) error {
	var req struct {
		Content    *string `json:"content"`
		ModifiedBy *string `json:"modifiedBy"`
		Summary    *string `json:"summary"`
	}
	if err := c.BodyParser(&req); err != nil || req.Content == nil || req.ModifiedBy == nil || req.Summary == nil ||
		strings.TrimSpace(*req.ModifiedBy) == "" {
		return fail(c, fiber.StatusBadRequest, "content, modifiedBy and summary are required")
	}
	e := current(c)
	at := now()
	tx, err := s.db.Begin()
	if err != nil {
		return fail(c, fiber.StatusInternalServerError, "internal error")
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`INSERT INTO edits (entry_id, old_content, new_content, modified_by, summary, modified_at)
		VALUES (?, ?, ?, ?, ?, ?)`, e.ID, e.Content, *req.Content, *req.ModifiedBy, *req.Summary, at); err != nil {
		return fail(c, fiber.StatusInternalServerError, "internal error")
	}
	if _, err := tx.Exec(`UPDATE entries SET content = ?, last_modified_by = ?, last_modified_at = ? WHERE id = ?`,
		*req.Content, *req.ModifiedBy, at, e.ID); err != nil {
		return fail(c, fiber.StatusInternalServerError, "internal error")
	}
	if err := tx.Commit(); err != nil {
		return fail(c, fiber.StatusInternalServerError, "internal error")
	}
	e.Content, e.LastModifiedBy, e.LastModifiedAt = *req.Content, *req.ModifiedBy, at
	return c.JSON(e)
}

func (s *server) history(c *fiber.Ctx) error {
	e := current(c)
	rows, err := s.db.Query(`SELECT old_content, new_content, modified_by, summary, modified_at FROM edits
		WHERE entry_id = ? ORDER BY seq`, e.ID)
	if err != nil {
		return fail(c, fiber.StatusInternalServerError, "internal error")
	}
	defer rows.Close()
	var edits []edit
	for rows.Next() {
		var before, after string
		var ed edit
		if err := rows.Scan(&before, &after, &ed.ModifiedBy, &ed.Summary, &ed.ModifiedAt); err != nil {
			return fail(c, fiber.StatusInternalServerError, "internal error")
		}
		ed.Diff = lineDiff(before, after)
		edits = append(edits, ed)
	}
	return render(c, "edits", fiber.Map{"Entry": e, "Edits": edits})
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
	app := fiber.New(fiber.Config{BodyLimit: 1 << 20, DisableStartupMessage: true})
	app.Get("/entries", s.list)
	app.Post("/entries", s.create)
	app.Get("/entries/:id", s.loadEntry, s.show)
	app.Put("/entries/:id", s.loadEntry, s.update)
	app.Get("/entries/:id/edits", s.loadEntry, s.history)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
