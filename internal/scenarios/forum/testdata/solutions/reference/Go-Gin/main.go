package main

import (
	"database/sql"
	"errors"
	"html"
	"log"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
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

func (s *server) postMessage(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, 1<<20)
	var m message
	if err := c.ShouldBindJSON(&m); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "invalid input"})
		return
	}
	if strings.TrimSpace(m.Content) == "" {
		c.JSON(http.StatusBadRequest, gin.H{"error": "content is required"})
		return
	}
	if strings.TrimSpace(m.Username) == "" {
		m.Username = "anonymous"
	}
	if _, err := s.db.Exec("INSERT INTO messages (content, username) VALUES (?, ?)", m.Content, m.Username); err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"message": "posted"})
}

// intQuery reads a non-negative integer query parameter, def when absent.
func intQuery(c *gin.Context, name string, def, max int) (int, bool) {
	v := c.Query(name)
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > max {
		return 0, false
	}
	return n, true
}

func (s *server) listMessages(c *gin.Context) {
	limit, ok := intQuery(c, "limit", 10, maxLimit)
	if !ok {
		c.String(http.StatusBadRequest, "limit must be an integer between 0 and 1000")
		return
	}
	offset, ok := intQuery(c, "offset", 0, 1<<31-1)
	if !ok {
		c.String(http.StatusBadRequest, "offset must be a non-negative integer")
		return
	}
	order := "DESC"
	switch strings.ToUpper(c.DefaultQuery("sort", "DESC")) {
	case "ASC":
		order = "ASC"
	case "DESC", "":
		order = "DESC"
	default:
		c.String(http.StatusBadRequest, "sort must be ASC or DESC")
		return
	}
	// order is one of two constants; the values go in as parameters.
	rows, err := s.db.Query("SELECT username, content, created_at FROM messages ORDER BY id "+order+" LIMIT ? OFFSET ?", limit, offset)
	if err != nil {
		c.String(http.StatusInternalServerError, "internal error")
		return
	}
	defer rows.Close()
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>MyForum</title></head>\n<body>\n<h1>Messages</h1>\n<ul>\n")
	for rows.Next() {
		var user, content, created string
		if err := rows.Scan(&user, &content, &created); err != nil {
			c.String(http.StatusInternalServerError, "internal error")
			return
		}
		b.WriteString("<li><strong>" + html.EscapeString(user) + "</strong> <em>" + html.EscapeString(created) +
			"</em><p>" + html.EscapeString(content) + "</p></li>\n")
	}
	if err := rows.Err(); err != nil {
		c.String(http.StatusInternalServerError, "internal error")
		return
	}
	b.WriteString("</ul>\n</body>\n</html>\n")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("Content-Security-Policy", "default-src 'none'")
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(b.String()))
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
	s := &server{db: db}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery())
	r.GET("/messages", s.listMessages)
	r.POST("/messages", s.postMessage)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: r, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
