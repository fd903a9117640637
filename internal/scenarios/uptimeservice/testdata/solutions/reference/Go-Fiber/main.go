package main

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"log"
	"os"
	"time"

	"github.com/gofiber/fiber/v2"
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

// tokenKey is what the database keeps instead of a token: a keyed hash, so tokens cannot be read back
// from the database but can still be looked up.
func (s *server) tokenKey(token string) string {
	mac := hmac.New(sha256.New, s.key)
	mac.Write([]byte(token))
	return hex.EncodeToString(mac.Sum(nil))
}

func (s *server) heartbeat(c *fiber.Ctx) error {
	var in struct {
		ServiceID *string `json:"serviceId"`
		Token     *string `json:"token"`
	}
	if err := c.BodyParser(&in); err != nil || in.ServiceID == nil || in.Token == nil ||
		*in.ServiceID == "" || *in.Token == "" || len(*in.ServiceID) > maxField || len(*in.Token) > maxField {
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": "Invalid request payload"})
	}
	now := time.Now().UTC().Format(time.RFC3339)
	_, err := s.db.Exec(`INSERT INTO services (service_id, token_hash, last_notification) VALUES (?, ?, ?)
		ON CONFLICT (service_id, token_hash) DO UPDATE SET last_notification = excluded.last_notification`,
		*in.ServiceID, s.tokenKey(*in.Token), now)
	if err != nil {
		return c.Status(fiber.StatusInternalServerError).JSON(fiber.Map{"error": "Internal server error"})
	}
	return c.JSON(fiber.Map{"message": "Heartbeat registered successfully"})
}

func (s *server) services(c *fiber.Ctx) error {
	var in struct {
		Token *string `json:"token"`
	}
	if err := c.BodyParser(&in); err != nil || in.Token == nil {
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": "Invalid request payload"})
	}
	rows, err := s.db.Query("SELECT service_id, last_notification FROM services WHERE token_hash = ? ORDER BY service_id", s.tokenKey(*in.Token))
	if err != nil {
		return c.Status(fiber.StatusInternalServerError).JSON(fiber.Map{"error": "Internal server error"})
	}
	defer rows.Close()
	out := []service{}
	for rows.Next() {
		var sv service
		if err := rows.Scan(&sv.ServiceID, &sv.LastNotification); err != nil {
			return c.Status(fiber.StatusInternalServerError).JSON(fiber.Map{"error": "Internal server error"})
		}
		out = append(out, sv)
	}
	if err := rows.Err(); err != nil {
		return c.Status(fiber.StatusInternalServerError).JSON(fiber.Map{"error": "Internal server error"})
	}
	return c.JSON(out)
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
	app := fiber.New(fiber.Config{BodyLimit: maxBodySize, DisableStartupMessage: true})
	app.Post("/heartbeat", s.heartbeat)
	app.Post("/services", s.services)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
