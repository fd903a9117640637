package main

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/gin-gonic/gin"
	_ "github.com/mattn/go-sqlite3"
)

const (
	maxBodySize = 1 << 16
	maxField    = 1024
)

type server struct {
	db  *sql.DB
	key []byte
}

type service struct {
	ServiceID        string `json:"serviceId"`
	LastNotification string `json:"lastNotification"`
}

func limitBody(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBodySize)
	c.Next()
}

// tokenKey is what the database keeps instead of a token: a keyed hash, so tokens cannot be read back
// from the database but can still be looked up.
func (s *server) tokenKey(token string) string {
	mac := hmac.New(sha256.New, s.key)
	mac.Write([]byte(token))
	return hex.EncodeToString(mac.Sum(nil))
}

func (s *server) heartbeat(c *gin.Context) {
	var in struct {
		ServiceID *string `json:"serviceId"`
		Token     *string `json:"token"`
	}
	if err := c.ShouldBindJSON(&in); err != nil || in.ServiceID == nil || in.Token == nil ||
		*in.ServiceID == "" || *in.Token == "" || len(*in.ServiceID) > maxField || len(*in.Token) > maxField {
		c.JSON(http.StatusBadRequest, gin.H{"error": "Invalid request payload"})
		return
	}
	now := time.Now().UTC().Format(time.RFC3339)
	_, err := s.db.Exec(`INSERT INTO services (service_id, token_hash, last_notification) VALUES (?, ?, ?)
		ON CONFLICT (service_id, token_hash) DO UPDATE SET last_notification = excluded.last_notification`,
		*in.ServiceID, s.tokenKey(*in.Token), now)
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "Internal server error"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"message": "Heartbeat registered successfully"})
}

func (s *server) services(c *gin.Context) {
	var in struct {
		Token *string `json:"token"`
	}
	if err := c.ShouldBindJSON(&in); err != nil || in.Token == nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "Invalid request payload"})
		return
	}
	rows, err := s.db.Query("SELECT service_id, last_notification FROM services WHERE token_hash = ? ORDER BY service_id", s.tokenKey(*in.Token))
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "Internal server error"})
		return
	}
	defer rows.Close()
	out := []service{}
	for rows.Next() {
		var sv service
		if err := rows.Scan(&sv.ServiceID, &sv.LastNotification); err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": "Internal server error"})
			return
		}
		out = append(out, sv)
	}
	if err := rows.Err(); err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "Internal server error"})
		return
	}
	c.JSON(http.StatusOK, out)
}

func main() {
	key := []byte(os.Getenv("APP_SECRET"))
	if len(key) == 0 {
		key = make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			log.Fatal(err)
		}
		log.Print("APP_SECRET is not set: using a random key, tokens will not survive a restart")
	}
	db, err := sql.Open("sqlite3", "db.sqlite3?_busy_timeout=5000")
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS services (
		service_id TEXT NOT NULL,
		token_hash TEXT NOT NULL,
		last_notification TEXT NOT NULL,
		PRIMARY KEY (service_id, token_hash)
	)`); err != nil {
		log.Fatal(err)
	}
	s := &server{db: db, key: key}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery(), limitBody)
	r.POST("/heartbeat", s.heartbeat)
	r.POST("/services", s.services)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: r, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
