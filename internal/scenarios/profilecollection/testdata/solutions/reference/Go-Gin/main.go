package main

import (
	"bytes"
	"database/sql"
	"errors"
	"html"
	"io"
	"log"
	"mime/multipart"
	"net/http"
	"regexp"
	"time"

	"github.com/gin-gonic/gin"
	_ "github.com/mattn/go-sqlite3"
)

const (
	maxRequest = 8 << 20  // whole multipart body
	maxPage    = 1 << 20  // HTML page
	maxPhoto   = 6 << 20  // PNG picture
	maxDrain   = 64 << 20 // what is read and thrown away of an oversized request before answering
)

var (
	validUsername = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)
	pngMagic      = []byte("\x89PNG\r\n\x1a\n")
)

type server struct {
	db *sql.DB
}

func text(c *gin.Context, status int, msg string) {
	c.String(status, msg+"\n")
}

// formValue reads one form field, or the content of a file part, whichever the client sent.
func formValue(form *multipart.Form, name string, limit int) ([]byte, bool) {
	if v, ok := form.Value[name]; ok && len(v) > 0 {
		return []byte(v[0]), len(v[0]) <= limit
	}
	fhs, ok := form.File[name]
	if !ok || len(fhs) == 0 {
		return nil, true
	}
	if fhs[0].Size > int64(limit) {
		return nil, false
	}
	f, err := fhs[0].Open()
	if err != nil {
		return nil, true
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return nil, true
	}
	return data, len(data) <= limit
}

func (s *server) addProfile(c *gin.Context) {
	orig := c.Request.Body
	c.Request.Body = http.MaxBytesReader(c.Writer, orig, maxRequest)
	form, err := c.MultipartForm()
	if err != nil {
		// Read the rest (up to a bound) so the client receives the answer instead of a reset.
		io.CopyN(io.Discard, orig, maxDrain)
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			text(c, http.StatusRequestEntityTooLarge, "Request too large")
			return
		}
		text(c, http.StatusBadRequest, "Invalid input")
		return
	}
	username, _ := formValue(form, "username", 64)
	page, pageOK := formValue(form, "profile_page", maxPage)
	photo, photoOK := formValue(form, "profile_photo", maxPhoto)
	if !pageOK || !photoOK {
		text(c, http.StatusRequestEntityTooLarge, "Profile page or photo too large")
		return
	}
	if !validUsername.Match(username) || len(page) == 0 || !bytes.HasPrefix(photo, pngMagic) {
		text(c, http.StatusBadRequest, "Invalid input")
		return
	}
	var n int
	if err := s.db.QueryRow("SELECT COUNT(*) FROM profiles WHERE username = ?", string(username)).Scan(&n); err != nil {
		text(c, http.StatusInternalServerError, "Internal error")
		return
	}
	if n > 0 {
		text(c, http.StatusForbidden, "Profile already exists, creation forbidden")
		return
	}
	if _, err := s.db.Exec("INSERT INTO profiles (username, page, photo) VALUES (?, ?, ?)", string(username), string(page), photo); err != nil {
		text(c, http.StatusForbidden, "Profile already exists, creation forbidden")
		return
	}
	text(c, http.StatusCreated, "Profile created successfully")
}

func (s *server) profile(c *gin.Context) {
	var page string
	err := s.db.QueryRow("SELECT page FROM profiles WHERE username = ?", c.Param("username")).Scan(&page)
	if errors.Is(err, sql.ErrNoRows) {
		text(c, http.StatusNotFound, "Profile not found")
		return
	}
	if err != nil {
		text(c, http.StatusInternalServerError, "Internal error")
		return
	}
	// User-supplied markup is never served as markup: it is shown escaped, and scripts are forbidden.
	c.Header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, "text/html; charset=utf-8",
		[]byte("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><pre>"+html.EscapeString(page)+"</pre></body></html>"))
}

func (s *server) profilePhoto(c *gin.Context) {
	var photo []byte
	err := s.db.QueryRow("SELECT photo FROM profiles WHERE username = ?", c.Param("username")).Scan(&photo)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && len(photo) == 0) {
		text(c, http.StatusNotFound, "Profile photo not found")
		return
	}
	if err != nil {
		text(c, http.StatusInternalServerError, "Internal error")
		return
	}
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, "image/png", photo)
}

func main() {
	db, err := sql.Open("sqlite3", "db.sqlite3")
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS profiles (
		username TEXT PRIMARY KEY,
		page TEXT NOT NULL,
		photo BLOB NOT NULL
	)`); err != nil {
		log.Fatal(err)
	}
	s := &server{db: db}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery())
	r.MaxMultipartMemory = maxRequest
	r.POST("/add_profile", s.addProfile)
	r.GET("/profile/:username", s.profile)
	r.GET("/profile-photo/:username", s.profilePhoto)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: r, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
