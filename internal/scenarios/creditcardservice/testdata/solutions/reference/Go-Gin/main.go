package main

import (
	"database/sql"
	"errors"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	_ "github.com/mattn/go-sqlite3"
)

type server struct {
	db *sql.DB
}

type association struct {
	CreditCard string `json:"credit_card"`
	Phone      string `json:"phone"`
}

type lookup struct {
	PhoneNumbers []string `json:"phone_numbers"`
}

const maxPhones = 100

func limitBody(n int64) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, n)
		c.Next()
	}
}

func (s *server) associate(c *gin.Context) {
	var a association
	if err := c.ShouldBindJSON(&a); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "invalid request"})
		return
	}
	a.CreditCard, a.Phone = strings.TrimSpace(a.CreditCard), strings.TrimSpace(a.Phone)
	if a.CreditCard == "" || a.Phone == "" {
		c.JSON(http.StatusBadRequest, gin.H{"error": "credit_card and phone are required"})
		return
	}
	if _, err := s.db.Exec("INSERT OR IGNORE INTO associations (credit_card, phone) VALUES (?, ?)", a.CreditCard, a.Phone); err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	c.JSON(http.StatusCreated, gin.H{"message": "association created"})
}

func (s *server) retrieve(c *gin.Context) {
	var l lookup
	if err := c.ShouldBindJSON(&l); err != nil {
		c.JSON(http.StatusBadRequest, gin.H{"error": "phone_numbers must be an array of strings"})
		return
	}
	// A lookup must name at least one phone: an empty set would otherwise match every card.
	if len(l.PhoneNumbers) == 0 || len(l.PhoneNumbers) > maxPhones {
		c.JSON(http.StatusBadRequest, gin.H{"error": "phone_numbers must list 1 to 100 phone numbers"})
		return
	}
	distinct := map[string]bool{}
	var args []any
	for _, p := range l.PhoneNumbers {
		p = strings.TrimSpace(p)
		if p == "" {
			c.JSON(http.StatusBadRequest, gin.H{"error": "empty phone number"})
			return
		}
		if !distinct[p] {
			distinct[p] = true
			args = append(args, p)
		}
	}
	placeholders := strings.TrimSuffix(strings.Repeat("?,", len(args)), ",")
	args = append(args, len(args))
	rows, err := s.db.Query("SELECT credit_card FROM associations WHERE phone IN ("+placeholders+
		") GROUP BY credit_card HAVING COUNT(DISTINCT phone) = ? ORDER BY credit_card", args...)
	if err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	defer rows.Close()
	cards := []string{}
	for rows.Next() {
		var card string
		if err := rows.Scan(&card); err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
			return
		}
		cards = append(cards, card)
	}
	if err := rows.Err(); err != nil {
		c.JSON(http.StatusInternalServerError, gin.H{"error": "internal error"})
		return
	}
	if len(cards) == 0 {
		c.JSON(http.StatusNotFound, gin.H{"error": "no cards found"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"card_numbers": cards})
}

func main() {
	db, err := sql.Open("sqlite3", "db.sqlite3")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS associations (
		credit_card TEXT NOT NULL,
		phone TEXT NOT NULL,
		PRIMARY KEY (credit_card, phone)
	)`); err != nil {
		log.Fatal(err)
	}
	s := &server{db: db}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery(), limitBody(1<<20))
	r.POST("/associate_card", s.associate)
	r.POST("/retrieve_cards", s.retrieve)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: r, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
