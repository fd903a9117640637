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
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
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

func fail(c *gin.Context, status int, msg string) {
	c.JSON(status, gin.H{"error": msg})
}

func limitBody(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBodySize)
	c.Next()
}

func (s *server) register(c *gin.Context) {
	var in struct {
		Email    *string `json:"email"`
		Name     *string `json:"name"`
		Password *string `json:"password"`
	}
	if err := c.ShouldBindJSON(&in); err != nil || in.Email == nil || in.Name == nil || in.Password == nil {
		fail(c, http.StatusBadRequest, "Invalid input")
		return
	}
	email := strings.TrimSpace(*in.Email)
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || *in.Password == "" || len(*in.Password) > 72 || strings.TrimSpace(*in.Name) == "" {
		fail(c, http.StatusBadRequest, "Invalid input")
		return
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(*in.Password), bcrypt.DefaultCost)
	if err != nil {
		fail(c, http.StatusInternalServerError, "Internal error")
		return
	}
	if _, err := s.db.Exec("INSERT INTO merchants (email, name, password_hash) VALUES (?, ?, ?)", email, *in.Name, string(hash)); err != nil {
		fail(c, http.StatusBadRequest, "Invalid input")
		return
	}
	c.JSON(http.StatusCreated, gin.H{"message": "Merchant registered successfully"})
}

func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func (s *server) login(c *gin.Context) {
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := c.ShouldBindJSON(&in); err != nil {
		fail(c, http.StatusUnauthorized, "Invalid email or password")
		return
	}
	var id int64
	var hash string
	err := s.db.QueryRow("SELECT id, password_hash FROM merchants WHERE email = ?", strings.TrimSpace(in.Email)).Scan(&id, &hash)
	if err != nil || bcrypt.CompareHashAndPassword([]byte(hash), []byte(in.Password)) != nil {
		fail(c, http.StatusUnauthorized, "Invalid email or password")
		return
	}
	token, err := newToken()
	if err != nil {
		fail(c, http.StatusInternalServerError, "Internal error")
		return
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
	c.SetSameSite(http.SameSiteStrictMode)
	c.SetCookie(cookieName, token, int(sessionTTL/time.Second), "/", "", false, true)
	c.JSON(http.StatusOK, gin.H{"message": "Login successful"})
}

// requireMerchant lets only requests with a live session cookie through and records the merchant id.
func (s *server) requireMerchant(c *gin.Context) {
	token, err := c.Cookie(cookieName)
	if err == nil && token != "" {
		s.mu.Lock()
		sess, ok := s.sessions[token]
		if ok && time.Now().After(sess.expires) {
			delete(s.sessions, token)
			ok = false
		}
		s.mu.Unlock()
		if ok {
			c.Set("merchant", sess.merchantID)
			c.Next()
			return
		}
	}
	fail(c, http.StatusUnauthorized, "Unauthorized")
	c.Abort()
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

func (s *server) uploadWares(c *gin.Context) {
	id := c.GetInt64("merchant")
	var in struct {
		CSV *string `json:"csv"`
	}
	if err := c.ShouldBindJSON(&in); err != nil || in.CSV == nil {
		fail(c, http.StatusBadRequest, "Invalid CSV format")
		return
	}
	wares, err := parseWares(*in.CSV)
	if err != nil {
		fail(c, http.StatusBadRequest, "Invalid CSV format")
		return
	}
	tx, err := s.db.Begin()
	if err != nil {
		fail(c, http.StatusInternalServerError, "Internal error")
		return
	}
	defer tx.Rollback()
	for _, wr := range wares {
		if _, err := tx.Exec("INSERT INTO wares (merchant_id, name, description, price) VALUES (?, ?, ?, ?)", id, wr.name, wr.description, wr.price); err != nil {
			fail(c, http.StatusInternalServerError, "Internal error")
			return
		}
	}
	if err := tx.Commit(); err != nil {
		fail(c, http.StatusInternalServerError, "Internal error")
		return
	}
	c.JSON(http.StatusOK, gin.H{"message": "Wares uploaded successfully"})
}

func priceQuery(c *gin.Context, name string) (float64, bool, error) {
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

func (s *server) listWares(c *gin.Context) {
	query := "SELECT w.name, w.price, w.description, m.email FROM wares w JOIN merchants m ON m.id = w.merchant_id WHERE 1 = 1"
	var args []any
	for _, p := range []struct{ name, cond string }{{"minPrice", " AND w.price >= ?"}, {"maxPrice", " AND w.price <= ?"}} {
		f, set, err := priceQuery(c, p.name)
		if err != nil {
			fail(c, http.StatusBadRequest, err.Error())
			return
		}
		if set {
			query += p.cond
			args = append(args, f)
		}
	}
	rows, err := s.db.Query(query+" ORDER BY w.id", args...)
	if err != nil {
		fail(c, http.StatusInternalServerError, "Internal error")
		return
	}
	defer rows.Close()
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Wares</title></head><body>\n<table>\n")
	b.WriteString("<tr><th>Name</th><th>Price</th><th>Description</th><th>Merchant</th></tr>\n")
	for rows.Next() {
		var name, desc, email string
		var price float64
		if err := rows.Scan(&name, &price, &desc, &email); err != nil {
			fail(c, http.StatusInternalServerError, "Internal error")
			return
		}
		fmt.Fprintf(&b, "<tr><td>%s</td><td>%.2f</td><td>%s</td><td>%s</td></tr>\n",
			html.EscapeString(name), price, html.EscapeString(desc), html.EscapeString(email))
	}
	if err := rows.Err(); err != nil {
		fail(c, http.StatusInternalServerError, "Internal error")
		return
	}
	b.WriteString("</table>\n</body></html>\n")
	c.Header("Content-Security-Policy", "default-src 'none'")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(b.String()))
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
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery(), limitBody)
	r.POST("/merchants/register", s.register)
	r.POST("/merchants/login", s.login)
	r.POST("/merchants/upload-wares", s.requireMerchant, s.uploadWares)
	r.GET("/wares", s.requireMerchant, s.listWares)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: r, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
