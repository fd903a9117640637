package main

import (
	"crypto/rand"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"io"
	"log"
	"math"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	_ "github.com/mattn/go-sqlite3"
	"golang.org/x/crypto/bcrypt"
)

const (
	cookieName  = "AUTH_COOKIE"
	sessionTTL  = 12 * time.Hour
	maxBodySize = 1 << 20
)

type session struct {
	merchantID int64
	expires    time.Time
}

type server struct {
	db       *sql.DB
	mu       sync.Mutex
	sessions map[string]session
}

func fail(c *fiber.Ctx, status int, msg string) error {
	return c.Status(status).JSON(fiber.Map{"error": msg})
}

func (s *server) register(c *fiber.Ctx) error {
	var in struct {
		Email    *string `json:"email"`
		Name     *string `json:"name"`
		Password *string `json:"password"`
	}
	if err := c.BodyParser(&in); err != nil || in.Email == nil || in.Name == nil || in.Password == nil {
		return fail(c, fiber.StatusBadRequest, "Invalid input")
	}
	email := strings.TrimSpace(*in.Email)
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || *in.Password == "" || len(*in.Password) > 72 || strings.TrimSpace(*in.Name) == "" {
		return fail(c, fiber.StatusBadRequest, "Invalid input")
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(*in.Password), bcrypt.DefaultCost)
	if err != nil {
		return fail(c, fiber.StatusInternalServerError, "Internal error")
	}
	if _, err := s.db.Exec("INSERT INTO merchants (email, name, password_hash) VALUES (?, ?, ?)", email, *in.Name, string(hash)); err != nil {
		return fail(c, fiber.StatusBadRequest, "Invalid input")
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"message": "Merchant registered successfully"})
}

func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func (s *server) login(c *fiber.Ctx) error {
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := c.BodyParser(&in); err != nil {
		return fail(c, fiber.StatusUnauthorized, "Invalid email or password")
	}
	var id int64
	var hash string
	err := s.db.QueryRow("SELECT id, password_hash FROM merchants WHERE email = ?", strings.TrimSpace(in.Email)).Scan(&id, &hash)
	if err != nil || bcrypt.CompareHashAndPassword([]byte(hash), []byte(in.Password)) != nil {
		return fail(c, fiber.StatusUnauthorized, "Invalid email or password")
	}
	token, err := newToken()
	if err != nil {
		return fail(c, fiber.StatusInternalServerError, "Internal error")
	}
	s.mu.Lock()
	now := time.Now()
	for k, v := range s.sessions {
		if now.After(v.expires) {
			delete(s.sessions, k)
		}
	}
	s.sessions[token] = session{merchantID: id, expires: now.Add(sessionTTL)}
	s.mu.Unlock()
	c.Cookie(&fiber.Cookie{
		Name:     cookieName,
		Value:    token,
		Path:     "/",
		MaxAge:   int(sessionTTL / time.Second),
		HTTPOnly: true,
		SameSite: fiber.CookieSameSiteStrictMode,
	})
	return c.JSON(fiber.Map{"message": "Login successful"})
}

// requireMerchant lets only requests with a live session cookie through and records the merchant id.
func (s *server) requireMerchant(c *fiber.Ctx) error {
	if token := c.Cookies(cookieName); token != "" {
		s.mu.Lock()
		sess, ok := s.sessions[token]
		if ok && time.Now().After(sess.expires) {
			delete(s.sessions, token)
			ok = false
		}
		s.mu.Unlock()
		if ok {
			c.Locals("merchant", sess.merchantID)
			return c.Next()
		}
	}
	return fail(c, fiber.StatusUnauthorized, "Unauthorized")
}

type ware struct {
	name, description string
	price             float64
}

func parseWares(text string) ([]ware, error) {
	rd := csv.NewReader(strings.NewReader(text))
	rd.FieldsPerRecord = 3
	rd.TrimLeadingSpace = true
	var out []ware
	for first := true; ; first = false {
		rec, err := rd.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		price, err := strconv.ParseFloat(strings.TrimSpace(rec[2]), 64)
		if err != nil {
			if first && strings.EqualFold(strings.TrimSpace(rec[0]), "name") && strings.EqualFold(strings.TrimSpace(rec[2]), "price") {
				continue // a header row
			}
			return nil, fmt.Errorf("invalid price %q", rec[2])
		}
		if math.IsNaN(price) || math.IsInf(price, 0) || price < 0 || strings.TrimSpace(rec[0]) == "" {
			return nil, fmt.Errorf("invalid ware %q", rec[0])
		}
		out = append(out, ware{name: rec[0], description: rec[1], price: price})
	}
	if len(out) == 0 {
		return nil, errors.New("no wares")
	}
	return out, nil
}

func (s *server) uploadWares(c *fiber.Ctx) error {
	id := c.Locals("merchant").(int64)
	var in struct {
		CSV *string `json:"csv"`
	}
	if err := c.BodyParser(&in); err != nil || in.CSV == nil {
		return fail(c, fiber.StatusBadRequest, "Invalid CSV format")
	}
	wares, err := parseWares(*in.CSV)
	if err != nil {
		return fail(c, fiber.StatusBadRequest, "Invalid CSV format")
	}
	tx, err := s.db.Begin()
	if err != nil {
		return fail(c, fiber.StatusInternalServerError, "Internal error")
	}
	defer tx.Rollback()
	for _, wr := range wares {
		if _, err := tx.Exec("INSERT INTO wares (merchant_id, name, description, price) VALUES (?, ?, ?, ?)", id, wr.name, wr.description, wr.price); err != nil {
			return fail(c, fiber.StatusInternalServerError, "Internal error")
		}
	}
	if err := tx.Commit(); err != nil {
		return fail(c, fiber.StatusInternalServerError, "Internal error")
	}
	return c.JSON(fiber.Map{"message": "Wares uploaded successfully"})
}

func priceQuery(c *fiber.Ctx, name string) (float64, bool, error) {
	v := c.Query(name)
	if v == "" {
		return 0, false, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) {
		return 0, false, fmt.Errorf("invalid %s", name)
	}
	return f, true, nil
}

func (s *server) listWares(c *fiber.Ctx) error {
	query := "SELECT w.name, w.price, w.description, m.email FROM wares w JOIN merchants m ON m.id = w.merchant_id WHERE 1 = 1"
	var args []any
	for _, p := range []struct{ name, cond string }{{"minPrice", " AND w.price >= ?"}, {"maxPrice", " AND w.price <= ?"}} {
		f, set, err := priceQuery(c, p.name)
		if err != nil {
			return fail(c, fiber.StatusBadRequest, err.Error())
		}
		if set {
			query += p.cond
			args = append(args, f)
		}
	}
	rows, err := s.db.Query(query+" ORDER BY w.id", args...)
	if err != nil {
		return fail(c, fiber.StatusInternalServerError, "Internal error")
	}
	defer rows.Close()
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Wares</title></head><body>\n<table>\n")
	b.WriteString("<tr><th>Name</th><th>Price</th><th>Description</th><th>Merchant</th></tr>\n")
	for rows.Next() {
		var name, desc, email string
		var price float64
		if err := rows.Scan(&name, &price, &desc, &email); err != nil {
			return fail(c, fiber.StatusInternalServerError, "Internal error")
		}
		fmt.Fprintf(&b, "<tr><td>%s</td><td>%.2f</td><td>%s</td><td>%s</td></tr>\n",
			html.EscapeString(name), price, html.EscapeString(desc), html.EscapeString(email))
	}
	if err := rows.Err(); err != nil {
		return fail(c, fiber.StatusInternalServerError, "Internal error")
	}
	b.WriteString("</table>\n</body></html>\n")
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'")
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.SendString(b.String())
}

func main() {
	db, err := sql.Open("sqlite3", "db.sqlite3?_foreign_keys=on&_busy_timeout=5000")
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`
		CREATE TABLE IF NOT EXISTS merchants (
			id INTEGER PRIMARY KEY AUTOINCREMENT,
			email TEXT UNIQUE NOT NULL,
			name TEXT NOT NULL,
			password_hash TEXT NOT NULL
		);
		CREATE TABLE IF NOT EXISTS wares (
			id INTEGER PRIMARY KEY AUTOINCREMENT,
			merchant_id INTEGER NOT NULL REFERENCES merchants(id),
			name TEXT NOT NULL,
			description TEXT NOT NULL,
			price REAL NOT NULL
		);`); err != nil {
		log.Fatal(err)
	}
	s := &server{db: db, sessions: map[string]session{}}
	app := fiber.New(fiber.Config{BodyLimit: maxBodySize, DisableStartupMessage: true})
	app.Post("/merchants/register", s.register)
	app.Post("/merchants/login", s.login)
	app.Post("/merchants/upload-wares", s.requireMerchant, s.uploadWares)
	app.Get("/wares", s.requireMerchant, s.listWares)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
