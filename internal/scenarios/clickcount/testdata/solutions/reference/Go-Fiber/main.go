package main

import (
	"database/sql"
	"log"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	_ "github.com/mattn/go-sqlite3"
)

type server struct {
	db *sql.DB
}

type click struct {
	ID        string `json:"id"`
	Timestamp string `json:"timestamp"`
}

// operators maps the accepted directions to SQL comparison operators; nothing else reaches the query.
var operators = map[string]string{"<": "<", ">": ">", "<=": "<=", ">=": ">="}

const stampLayout = "2006-01-02T15:04:05.000000Z"

func (s *server) addClick(c *fiber.Ctx) error {
	id := uuid.NewString()
	now := time.Now().UTC().Format(stampLayout)
	if _, err := s.db.Exec("INSERT INTO clicks (id, timestamp) VALUES (?, ?)", id, now); err != nil {
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": "could not record the click"})
	}
	return c.Status(fiber.StatusCreated).JSON(click{ID: id, Timestamp: now})
}

func (s *server) listClicks(c *fiber.Ctx) error {
	op, ok := operators[c.Query("direction")]
	if !ok {
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": "direction must be one of <, >, <=, >="})
	}
	day, err := time.Parse("2006-01-02", c.Query("date"))
	if err != nil {
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": "date must look like 2022-01-01"})
	}
	// A click on the given day counts as on the date: "<" is before it starts, ">" after it ends.
	bound := day.Format(stampLayout)
	if op == ">" || op == "<=" {
		bound = day.Add(24*time.Hour - time.Microsecond).Format(stampLayout)
	}
	rows, err := s.db.Query("SELECT id, timestamp FROM clicks WHERE timestamp "+op+" ? ORDER BY timestamp", bound)
	if err != nil {
		return c.Status(fiber.StatusInternalServerError).JSON(fiber.Map{"error": "internal error"})
	}
	defer rows.Close()
	list := []click{}
	for rows.Next() {
		var k click
		if err := rows.Scan(&k.ID, &k.Timestamp); err != nil {
			return c.Status(fiber.StatusInternalServerError).JSON(fiber.Map{"error": "internal error"})
		}
		list = append(list, k)
	}
	if err := rows.Err(); err != nil {
		return c.Status(fiber.StatusInternalServerError).JSON(fiber.Map{"error": "internal error"})
	}
	if len(list) == 0 {
		return c.Status(fiber.StatusNotFound).JSON(fiber.Map{"error": "no clicks found"})
	}
	return c.Status(fiber.StatusOK).JSON(list)
}

func main() {
	db, err := sql.Open("sqlite3", "db.sqlite3")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS clicks (
		id TEXT PRIMARY KEY,
		timestamp TEXT NOT NULL
	)`); err != nil {
		log.Fatal(err)
	}
	s := &server{db: db}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Post("/click", s.addClick)
	app.Get("/clicks", s.listClicks)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
