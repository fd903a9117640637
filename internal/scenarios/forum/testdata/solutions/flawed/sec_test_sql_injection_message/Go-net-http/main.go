package main

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"log"
	"net/http"
	"strconv"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

type server struct {
	db *sql.DB
}

type message struct {
	Content  string `json:"content"`
	Username string `json:"username"`
}

const maxLimit = 1000

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (s *server) postMessage(w http.ResponseWriter, r *http.Request) {
	var m message
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid input"})
		return
	}
	if strings.TrimSpace(m.Content) == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "content is required"})
		return
	}
	if strings.TrimSpace(m.Username) == "" {
		m.Username = "anonymous"
	}
	_, err := s.db.Exec("INSERT INTO messages (content, username) VALUES (?, ?)", m.Content, m.Username)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
		return
	}
	// Per-author statistics are best effort: a failure here must not lose the message.
	s.db.Exec("INSERT OR IGNORE INTO authors (name) VALUES (?)", m.Username)
	if _, err := s.db.Exec(fmt.Sprintf("UPDATE authors SET posts = posts + 1, last_post = CURRENT_TIMESTAMP WHERE name = '%s'", m.Username)); err != nil {
		log.Printf("updating statistics of %s: %v", m.Username, err)
	}
	writeJSON(w, http.StatusOK, map[string]string{"message": "posted"})
}

// intParam reads a non-negative integer query parameter, def when absent.
func intParam(r *http.Request, name string, def, max int) (int, bool) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > max {
		return 0, false
	}
	return n, true
}

func (s *server) listMessages(w http.ResponseWriter, r *http.Request) {
	limit, ok := intParam(r, "limit", 10, maxLimit)
	if !ok {
		http.Error(w, "limit must be an integer between 0 and 1000", http.StatusBadRequest)
		return
	}
	offset, ok := intParam(r, "offset", 0, 1<<31-1)
	if !ok {
		http.Error(w, "offset must be a non-negative integer", http.StatusBadRequest)
		return
	}
	order := "DESC"
	if v := r.URL.Query().Get("sort"); v != "" {
		switch strings.ToUpper(v) {
		case "ASC":
			order = "ASC"
		case "DESC":
			order = "DESC"
		default:
			http.Error(w, "sort must be ASC or DESC", http.StatusBadRequest)
			return
		}
	}
	// order is one of two constants; the values go in as parameters.
	rows, err := s.db.Query("SELECT username, content, created_at FROM messages ORDER BY id "+order+" LIMIT ? OFFSET ?", limit, offset)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>MyForum</title></head>\n<body>\n<h1>Messages</h1>\n<ul>\n")
	for rows.Next() {
		var user, content, created string
		if err := rows.Scan(&user, &content, &created); err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		b.WriteString("<li><strong>" + html.EscapeString(user) + "</strong> <em>" + html.EscapeString(created) +
			"</em><p>" + html.EscapeString(content) + "</p></li>\n")
	}
	if err := rows.Err(); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	b.WriteString("</ul>\n</body>\n</html>\n")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'")
	w.Write([]byte(b.String()))
}

func main() {
	db, err := sql.Open("sqlite3", "db.sqlite3")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS messages (
		id INTEGER PRIMARY KEY AUTOINCREMENT,
		content TEXT NOT NULL,
		username TEXT NOT NULL,
		created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
	)`); err != nil {
		log.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS authors (
		name TEXT PRIMARY KEY,
		posts INTEGER NOT NULL DEFAULT 0,
		last_post TEXT
	)`); err != nil {
		log.Fatal(err)
	}
	s := &server{db: db}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /messages", s.listMessages)
	mux.HandleFunc("POST /messages", s.postMessage)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
