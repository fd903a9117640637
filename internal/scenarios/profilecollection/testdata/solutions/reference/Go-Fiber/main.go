package main

import (
	"bytes"
	"database/sql"
	"errors"
	"html"
	"io"
	"log"
	"mime/multipart"
	"regexp"

	"github.com/gofiber/fiber/v2"
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

func text(c *fiber.Ctx, status int, msg string) error {
	return c.Status(status).SendString(msg + "\n")
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

// limitBody reads the request body, which fasthttp streams (StreamRequestBody), keeping at most max
// bytes. A larger body is read on (up to maxDrain bytes) and thrown away, so that the client receives
// the 413 answer instead of a reset connection, and false is returned.
func limitBody(c *fiber.Ctx, max int) bool {
	stream := c.Context().RequestBodyStream()
	if stream == nil {
		return len(c.Body()) <= max
	}
	data, err := io.ReadAll(io.LimitReader(stream, int64(max)+1))
	if err != nil || len(data) > max {
		io.CopyN(io.Discard, stream, maxDrain)
		return false
	}
	c.Request().SetBody(data)
	return true
}

func (s *server) addProfile(c *fiber.Ctx) error {
	if !limitBody(c, maxRequest) {
		return text(c, fiber.StatusRequestEntityTooLarge, "Request too large")
	}
	form, err := c.MultipartForm()
	if err != nil {
		return text(c, fiber.StatusBadRequest, "Invalid input")
	}
	username, _ := formValue(form, "username", 64)
	page, pageOK := formValue(form, "profile_page", maxPage)
	photo, photoOK := formValue(form, "profile_photo", maxPhoto)
	if !pageOK || !photoOK {
		return text(c, fiber.StatusRequestEntityTooLarge, "Profile page or photo too large")
	}
	if !validUsername.Match(username) || len(page) == 0 || !bytes.HasPrefix(photo, pngMagic) {
		return text(c, fiber.StatusBadRequest, "Invalid input")
	}
	var n int
	if err := s.db.QueryRow("SELECT COUNT(*) FROM profiles WHERE username = ?", string(username)).Scan(&n); err != nil {
		return text(c, fiber.StatusInternalServerError, "Internal error")
	}
	if n > 0 {
		return text(c, fiber.StatusForbidden, "Profile already exists, creation forbidden")
	}
	if _, err := s.db.Exec("INSERT INTO profiles (username, page, photo) VALUES (?, ?, ?)", string(username), string(page), photo); err != nil {
		return text(c, fiber.StatusForbidden, "Profile already exists, creation forbidden")
	}
	return text(c, fiber.StatusCreated, "Profile created successfully")
}

func (s *server) profile(c *fiber.Ctx) error {
	var page string
	err := s.db.QueryRow("SELECT page FROM profiles WHERE username = ?", c.Params("username")).Scan(&page)
	if errors.Is(err, sql.ErrNoRows) {
		return text(c, fiber.StatusNotFound, "Profile not found")
	}
	if err != nil {
		return text(c, fiber.StatusInternalServerError, "Internal error")
	}
	// User-supplied markup is never served as markup: it is shown escaped, and scripts are forbidden.
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; style-src 'unsafe-inline'")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.SendString("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><pre>" + html.EscapeString(page) + "</pre></body></html>")
}

func (s *server) profilePhoto(c *fiber.Ctx) error {
	var photo []byte
	err := s.db.QueryRow("SELECT photo FROM profiles WHERE username = ?", c.Params("username")).Scan(&photo)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && len(photo) == 0) {
		return text(c, fiber.StatusNotFound, "Profile photo not found")
	}
	if err != nil {
		return text(c, fiber.StatusInternalServerError, "Internal error")
	}
	c.Set(fiber.HeaderContentType, "image/png")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Send(photo)
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
	app := fiber.New(fiber.Config{
		BodyLimit:                    maxRequest,
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
		DisableStartupMessage:        true,
	})
	app.Post("/add_profile", s.addProfile)
	app.Get("/profile/:username", s.profile)
	app.Get("/profile-photo/:username", s.profilePhoto)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
