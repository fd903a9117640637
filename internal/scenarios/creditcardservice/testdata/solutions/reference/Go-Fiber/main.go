package main

import (
	"database/sql"
	"log"
	"strings"

	"github.com/gofiber/fiber/v2"
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

func fail(c *fiber.Ctx, status int, msg string) error {
	return c.Status(status).JSON(fiber.Map{"error": msg})
}

func (s *server) associate(c *fiber.Ctx) error {
	var a association
	if err := c.BodyParser(&a); err != nil {
		return fail(c, fiber.StatusBadRequest, "invalid request")
	}
	a.CreditCard, a.Phone = strings.TrimSpace(a.CreditCard), strings.TrimSpace(a.Phone)
	if a.CreditCard == "" || a.Phone == "" {
		return fail(c, fiber.StatusBadRequest, "credit_card and phone are required")
	}
	if _, err := s.db.Exec("INSERT OR IGNORE INTO associations (credit_card, phone) VALUES (?, ?)", a.CreditCard, a.Phone); err != nil {
		return fail(c, fiber.StatusInternalServerError, "internal error")
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"message": "association created"})
}

func (s *server) retrieve(c *fiber.Ctx) error {
	var l lookup
	if err := c.BodyParser(&l); err != nil {
		return fail(c, fiber.StatusBadRequest, "phone_numbers must be an array of strings")
	}
	// A lookup must name at least one phone: an empty set would otherwise match every card.
	if len(l.PhoneNumbers) == 0 || len(l.PhoneNumbers) > maxPhones {
		return fail(c, fiber.StatusBadRequest, "phone_numbers must list 1 to 100 phone numbers")
	}
	distinct := map[string]bool{}
	var args []any
	for _, p := range l.PhoneNumbers {
		p = strings.TrimSpace(p)
		if p == "" {
			return fail(c, fiber.StatusBadRequest, "empty phone number")
		}
		if !distinct[p] {
			distinct[p] = true
			args = append(args, p)
		}
	}
	// Only placeholders are built into the query; the phone numbers go in as parameters.
	placeholders := strings.TrimSuffix(strings.Repeat("?,", len(args)), ",")
	args = append(args, len(args))
	rows, err := s.db.Query("SELECT credit_card FROM associations WHERE phone IN ("+placeholders+
		") GROUP BY credit_card HAVING COUNT(DISTINCT phone) = ? ORDER BY credit_card", args...)
	if err != nil {
		return fail(c, fiber.StatusInternalServerError, "internal error")
	}
	defer rows.Close()
	cards := []string{}
	for rows.Next() {
		var card string
		if err := rows.Scan(&card); err != nil {
			return fail(c, fiber.StatusInternalServerError, "internal error")
		}
		cards = append(cards, card)
	}
	if err := rows.Err(); err != nil {
		return fail(c, fiber.StatusInternalServerError, "internal error")
	}
	if len(cards) == 0 {
		return fail(c, fiber.StatusNotFound, "no cards found")
	}
	return c.JSON(fiber.Map{"card_numbers": cards})
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
	app := fiber.New(fiber.Config{BodyLimit: 1 << 20, DisableStartupMessage: true})
	app.Post("/associate_card", s.associate)
	app.Post("/retrieve_cards", s.retrieve)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
