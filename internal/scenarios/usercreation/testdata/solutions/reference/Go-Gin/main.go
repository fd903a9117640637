package main

import (
	"database/sql"
	"errors"
	"log"
	"net/http"
	"net/mail"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	_ "github.com/mattn/go-sqlite3"
	"golang.org/x/crypto/bcrypt"
)

const maxBodySize = 1 << 16

type server struct{ db *sql.DB }

func message(c *gin.Context, status int, msg string) {
	c.JSON(status, gin.H{"message": msg})
}

func limitBody(c *gin.Context) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, maxBodySize)
	c.Next()
}

func (s *server) inviteUser(c *gin.Context) {
	var in struct {
		Email string `json:"email"`
	}
	if err := c.ShouldBindJSON(&in); err != nil {
		message(c, http.StatusBadRequest, "Invalid request")
		return
	}
	email := strings.ToLower(strings.TrimSpace(in.Email))
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email {
		message(c, http.StatusBadRequest, "Invalid email")
		return
	}
	tx, err := s.db.Begin()
	if err != nil {
		message(c, http.StatusInternalServerError, "Internal error")
		return
	}
	defer tx.Rollback()
	var id string
	err = tx.QueryRow("SELECT invite_id FROM invitations WHERE email = ?", email).Scan(&id)
	switch {
	case err == nil:
		c.JSON(http.StatusOK, gin.H{"invite_id": id, "message": "Invitation already exists for this email"})
		return
	case !errors.Is(err, sql.ErrNoRows):
		message(c, http.StatusInternalServerError, "Internal error")
		return
	}
	// Invitation ids are random UUIDs: they cannot be guessed from other invitations.
	id = uuid.NewString()
	if _, err := tx.Exec("INSERT INTO invitations (invite_id, email, created_at) VALUES (?, ?, ?)", id, email, time.Now().UTC().Format(time.RFC3339)); err != nil {
		message(c, http.StatusInternalServerError, "Internal error")
		return
	}
	if err := tx.Commit(); err != nil {
		message(c, http.StatusInternalServerError, "Internal error")
		return
	}
	c.JSON(http.StatusOK, gin.H{"invite_id": id, "message": "Invitation created"})
}

func (s *server) createUser(c *gin.Context) {
	var in struct {
		InviteID string `json:"invite_id"`
		UserName string `json:"user_name"`
		Password string `json:"password"`
	}
	if err := c.ShouldBindJSON(&in); err != nil {
		message(c, http.StatusBadRequest, "Invalid request")
		return
	}
	tx, err := s.db.Begin()
	if err != nil {
		message(c, http.StatusInternalServerError, "Internal error")
		return
	}
	defer tx.Rollback()
	var inviteID, email string
	err = tx.QueryRow("SELECT invite_id, email FROM invitations WHERE invite_id = ? AND used = 0", in.InviteID).Scan(&inviteID, &email)
	if errors.Is(err, sql.ErrNoRows) {
		message(c, http.StatusUnauthorized, "Invalid invite_id")
		return
	} else if err != nil {
		message(c, http.StatusInternalServerError, "Internal error")
		return
	}
	name := strings.TrimSpace(in.UserName)
	if name == "" || len(name) > 100 || in.Password == "" || len(in.Password) > 72 {
		message(c, http.StatusBadRequest, "A user name and a password of at most 72 bytes are required")
		return
	}
	var exists int
	if err := tx.QueryRow("SELECT COUNT(*) FROM users WHERE user_name = ?", name).Scan(&exists); err != nil {
		message(c, http.StatusInternalServerError, "Internal error")
		return
	}
	if exists > 0 {
		message(c, http.StatusBadRequest, "Username already exists. Try providing different username.")
		return
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(in.Password), bcrypt.DefaultCost)
	if err != nil {
		message(c, http.StatusInternalServerError, "Internal error")
		return
	}
	if _, err := tx.Exec("INSERT INTO users (user_name, email, password_hash) VALUES (?, ?, ?)", name, email, string(hash)); err != nil {
		message(c, http.StatusInternalServerError, "Internal error")
		return
	}
	if _, err := tx.Exec("UPDATE invitations SET used = 1 WHERE invite_id = ?", inviteID); err != nil {
		message(c, http.StatusInternalServerError, "Internal error")
		return
	}
	if err := tx.Commit(); err != nil {
		message(c, http.StatusInternalServerError, "Internal error")
		return
	}
	message(c, http.StatusOK, "User created")
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
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery(), limitBody)
	r.POST("/invite_user", s.inviteUser)
	r.POST("/create_user", s.createUser)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: r, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
