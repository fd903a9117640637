package main

import (
	"database/sql"
	"errors"
	"log"
	"net/mail"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	_ "github.com/mattn/go-sqlite3"
	"golang.org/x/crypto/bcrypt"
)

const maxBodySize = 1 << 16

type server struct{ db *sql.DB }

func message(c *fiber.Ctx, status int, msg string) error {
	return c.Status(status).JSON(fiber.Map{"message": msg})
}

func (s *server) inviteUser(c *fiber.Ctx) error {
	var in struct {
		Email string `json:"email"`
	}
	if err := c.BodyParser(&in); err != nil {
		return message(c, fiber.StatusBadRequest, "Invalid request")
	}
	email := strings.ToLower(strings.TrimSpace(in.Email))
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email {
		return message(c, fiber.StatusBadRequest, "Invalid email")
	}
	tx, err := s.db.Begin()
	if err != nil {
		return message(c, fiber.StatusInternalServerError, "Internal error")
	}
	defer tx.Rollback()
	var id string
	err = tx.QueryRow("SELECT invite_id FROM invitations WHERE email = ?", email).Scan(&id)
	switch {
	case err == nil:
		return c.Status(fiber.StatusOK).JSON(fiber.Map{"invite_id": id, "message": "Invitation already exists for this email"})
	case !errors.Is(err, sql.ErrNoRows):
		return message(c, fiber.StatusInternalServerError, "Internal error")
	}
	// Invitation ids are random UUIDs: they cannot be guessed from other invitations.
	id = uuid.NewString()
	if _, err := tx.Exec("INSERT INTO invitations (invite_id, email, created_at) VALUES (?, ?, ?)", id, email, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return message(c, fiber.StatusInternalServerError, "Internal error")
	}
	if err := tx.Commit(); err != nil {
		return message(c, fiber.StatusInternalServerError, "Internal error")
	}
	return c.JSON(fiber.Map{"invite_id": id, "message": "Invitation created"})
}

func (s *server) createUser(c *fiber.Ctx) error {
	var in struct {
		InviteID string `json:"invite_id"`
		UserName string `json:"user_name"`
		Password string `json:"password"`
	}
	if err := c.BodyParser(&in); err != nil {
		return message(c, fiber.StatusBadRequest, "Invalid request")
	}
	tx, err := s.db.Begin()
	if err != nil {
		return message(c, fiber.StatusInternalServerError, "Internal error")
	}
	defer tx.Rollback()
	var inviteID, email string
	err = tx.QueryRow("SELECT invite_id, email FROM invitations WHERE invite_id = ? AND used = 0", in.InviteID).Scan(&inviteID, &email)
	if errors.Is(err, sql.ErrNoRows) {
		return message(c, fiber.StatusUnauthorized, "Invalid invite_id")
	} else if err != nil {
		return message(c, fiber.StatusInternalServerError, "Internal error")
	}
	name := strings.TrimSpace(in.UserName)
	if name == "" || len(name) > 100 || in.Password == "" || len(in.Password) > 72 {
		return message(c, fiber.StatusBadRequest, "A user name and a password of at most 72 bytes are required")
	}
	var exists int
	if err := tx.QueryRow("SELECT COUNT(*) FROM users WHERE user_name = ?", name).Scan(&exists); err != nil {
		return message(c, fiber.StatusInternalServerError, "Internal error")
	}
	if exists > 0 {
		return message(c, fiber.StatusBadRequest, "Username already exists. Try providing different username.")
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(in.Password), bcrypt.DefaultCost)
	if err != nil {
		return message(c, fiber.StatusInternalServerError, "Internal error")
	}
	if _, err := tx.Exec("INSERT INTO users (user_name, email, password_hash) VALUES (?, ?, ?)", name, email, string(hash)); err != nil {
		return message(c, fiber.StatusInternalServerError, "Internal error")
	}
	if _, err := tx.Exec("UPDATE invitations SET used = 1 WHERE invite_id = ?", inviteID); err != nil {
		return message(c, fiber.StatusInternalServerError, "Internal error")
	}
	if err := tx.Commit(); err != nil {
		return message(c, fiber.StatusInternalServerError, "Internal error")
	}
	return message(c, fiber.StatusOK, "User created")
}

func main() {
	db, err := sql.Open("sqlite3", "db.sqlite3?_busy_timeout=5000")
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`
		CREATE TABLE IF NOT EXISTS invitations (
			id INTEGER PRIMARY KEY AUTOINCREMENT,
			invite_id TEXT UNIQUE NOT NULL,
			email TEXT UNIQUE NOT NULL,
			used INTEGER NOT NULL DEFAULT 0,
			created_at TEXT NOT NULL
		);
		CREATE TABLE IF NOT EXISTS users (
			id INTEGER PRIMARY KEY AUTOINCREMENT,
			user_name TEXT UNIQUE NOT NULL,
			email TEXT NOT NULL,
			password_hash TEXT NOT NULL
		);`); err != nil {
		log.Fatal(err)
	}
	s := &server{db: db}
	app := fiber.New(fiber.Config{BodyLimit: maxBodySize, DisableStartupMessage: true})
	app.Post("/invite_user", s.inviteUser)
	app.Post("/create_user", s.createUser)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
