package main

import (
	"bytes"
	"database/sql"
	"errors"
	"io"
	"log"
	"mime/multipart"
	"net/http"
	"regexp"
	"time"

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

func text(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, msg+"\n")
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

func (s *server) addProfile(w http.ResponseWriter, r *http.Request) {
	orig := r.Body
	r.Body = http.MaxBytesReader(w, r.Body, maxRequest)
	if err := r.ParseMultipartForm(maxRequest); err != nil {
		// Read the rest (up to a bound) so the client receives the answer instead of a reset.
		io.CopyN(io.Discard, orig, maxDrain)
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			text(w, http.StatusRequestEntityTooLarge, "Request too large")
			return
		}
		text(w, http.StatusBadRequest, "Invalid input")
		return
	}
	defer r.MultipartForm.RemoveAll()
	username, _ := formValue(r.MultipartForm, "username", 64)
	page, pageOK := formValue(r.MultipartForm, "profile_page", maxPage)
	photo, photoOK := formValue(r.MultipartForm, "profile_photo", maxPhoto)
	if !pageOK || !photoOK {
		text(w, http.StatusRequestEntityTooLarge, "Profile page or photo too large")
		return
	}
	if !validUsername.Match(username) || len(page) == 0 || !bytes.HasPrefix(photo, pngMagic) {
		text(w, http.StatusBadRequest, "Invalid input")
		return
	}
	var n int
	if err := s.db.QueryRow("SELECT COUNT(*) FROM profiles WHERE username = ?", string(username)).Scan(&n); err != nil {
		text(w, http.StatusInternalServerError, "Internal error")
		return
	}
	if n > 0 {
		text(w, http.StatusForbidden, "Profile already exists, creation forbidden")
		return
	}
	if _, err := s.db.Exec("INSERT INTO profiles (username, page, photo) VALUES (?, ?, ?)", string(username), string(page), photo); err != nil {
		text(w, http.StatusForbidden, "Profile already exists, creation forbidden")
		return
	}
	text(w, http.StatusCreated, "Profile created successfully")
}

func (s *server) profile(w http.ResponseWriter, r *http.Request) {
	var page string
	err := s.db.QueryRow("SELECT page FROM profiles WHERE username = ?", r.PathValue("username")).Scan(&page)
	if errors.Is(err, sql.ErrNoRows) {
		text(w, http.StatusNotFound, "Profile not found")
		return
	}
	if err != nil {
		text(w, http.StatusInternalServerError, "Internal error")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, page)
}

func (s *server) profilePhoto(w http.ResponseWriter, r *http.Request) {
	var photo []byte
	err := s.db.QueryRow("SELECT photo FROM profiles WHERE username = ?", r.PathValue("username")).Scan(&photo)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && len(photo) == 0) {
		text(w, http.StatusNotFound, "Profile photo not found")
		return
	}
	if err != nil {
		text(w, http.StatusInternalServerError, "Internal error")
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(photo)
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
	mux := http.NewServeMux()
	mux.HandleFunc("POST /add_profile", s.addProfile)
	mux.HandleFunc("GET /profile/{username}", s.profile)
	mux.HandleFunc("GET /profile-photo/{username}", s.profilePhoto)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
