package main

import (
	"database/sql"
	"errors"
	"log"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	_ "github.com/mattn/go-sqlite3"
)

const (
	maxBodySize = 1 << 16
	maxCount    = 1_000_000
)

type server struct{ db *sql.DB }

type item struct {
	ItemID int64 `json:"item_id"`
	Count  int64 `json:"count"`
}

func fail(c *fiber.Ctx, status int, msg string) error {
	return c.Status(status).JSON(fiber.Map{"error": msg})
}

func (s *server) createCart(c *fiber.Ctx) error {
	id := uuid.NewString()
	if _, err := s.db.Exec("INSERT INTO carts (id, created_at) VALUES (?, ?)", id, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return fail(c, fiber.StatusInternalServerError, "internal error")
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"cart_id": id})
}

// findCart returns the stored id of the cart, or sql.ErrNoRows.
func findCart(q interface {
	QueryRow(string, ...any) *sql.Row
}, cartID string) (string, error) {
	var id string
	err := q.QueryRow("SELECT id FROM carts WHERE id = ?", cartID).Scan(&id)
	return id, err
}

func (s *server) addToCart(c *fiber.Ctx) error {
	var in struct {
		CartID *string `json:"cart_id"`
		ItemID *int64  `json:"item_id"`
		Count  *int64  `json:"count"`
	}
	if err := c.BodyParser(&in); err != nil || in.CartID == nil || in.ItemID == nil || in.Count == nil {
		return fail(c, fiber.StatusBadRequest, "cart_id (string), item_id (integer) and count (integer) are required")
	}
	if *in.Count > maxCount || *in.Count < -maxCount {
		return fail(c, fiber.StatusBadRequest, "count is out of range")
	}
	tx, err := s.db.Begin()
	if err != nil {
		return fail(c, fiber.StatusInternalServerError, "internal error")
	}
	defer tx.Rollback()
	cartID, err := findCart(tx, *in.CartID)
	if errors.Is(err, sql.ErrNoRows) {
		return fail(c, fiber.StatusNotFound, "cart not found")
	} else if err != nil {
		return fail(c, fiber.StatusInternalServerError, "internal error")
	}
	var current int64
	err = tx.QueryRow("SELECT count FROM cart_items WHERE cart_id = ? AND item_id = ?", cartID, *in.ItemID).Scan(&current)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fail(c, fiber.StatusInternalServerError, "internal error")
	}
	next := current + *in.Count
	switch {
	case next < 0:
		return fail(c, fiber.StatusBadRequest, "cannot remove more items than the cart holds")
	case next > maxCount:
		return fail(c, fiber.StatusBadRequest, "count is out of range")
	case next == 0:
		_, err = tx.Exec("DELETE FROM cart_items WHERE cart_id = ? AND item_id = ?", cartID, *in.ItemID)
	default:
		_, err = tx.Exec(`INSERT INTO cart_items (cart_id, item_id, count) VALUES (?, ?, ?)
			ON CONFLICT (cart_id, item_id) DO UPDATE SET count = excluded.count`, cartID, *in.ItemID, next)
	}
	if err != nil {
		return fail(c, fiber.StatusInternalServerError, "internal error")
	}
	if err := tx.Commit(); err != nil {
		return fail(c, fiber.StatusInternalServerError, "internal error")
	}
	return c.JSON(fiber.Map{"message": "Item updated"})
}

func (s *server) retrieveCart(c *fiber.Ctx) error {
	var in struct {
		CartID *string `json:"cart_id"`
	}
	if err := c.BodyParser(&in); err != nil || in.CartID == nil {
		return fail(c, fiber.StatusBadRequest, "cart_id (string) is required")
	}
	cartID, err := findCart(s.db, *in.CartID)
	if errors.Is(err, sql.ErrNoRows) {
		return fail(c, fiber.StatusNotFound, "cart not found")
	} else if err != nil {
		return fail(c, fiber.StatusInternalServerError, "internal error")
	}
	rows, err := s.db.Query("SELECT item_id, count FROM cart_items WHERE cart_id = ? AND count > 0 ORDER BY item_id", cartID)
	if err != nil {
		return fail(c, fiber.StatusInternalServerError, "internal error")
	}
	defer rows.Close()
	items := []item{}
	for rows.Next() {
		var it item
		if err := rows.Scan(&it.ItemID, &it.Count); err != nil {
			return fail(c, fiber.StatusInternalServerError, "internal error")
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return fail(c, fiber.StatusInternalServerError, "internal error")
	}
	return c.JSON(fiber.Map{"cart_id": cartID, "items": items})
}

func main() {
	db, err := sql.Open("sqlite3", "db.sqlite3?_busy_timeout=5000")
	if err != nil {
		log.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`
		CREATE TABLE IF NOT EXISTS carts (
			id TEXT PRIMARY KEY,
			created_at TEXT NOT NULL
		);
		CREATE TABLE IF NOT EXISTS cart_items (
			cart_id TEXT NOT NULL REFERENCES carts(id),
			item_id INTEGER NOT NULL,
			count INTEGER NOT NULL,
			PRIMARY KEY (cart_id, item_id)
		);`); err != nil {
		log.Fatal(err)
	}
	s := &server{db: db}
	app := fiber.New(fiber.Config{BodyLimit: maxBodySize, DisableStartupMessage: true})
	app.Post("/create_cart", s.createCart)
	app.Post("/add_to_cart", s.addToCart)
	app.Post("/retrieve_cart", s.retrieveCart)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
