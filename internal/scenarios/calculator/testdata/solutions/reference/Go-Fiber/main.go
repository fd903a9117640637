package main

import (
	"encoding/json"
	"errors"
	"log"
	"math"
	"strconv"

	"github.com/gofiber/fiber/v2"
)

const maxExpression = 1000

var errInvalid = errors.New("invalid expression")

// parser evaluates integer expressions with + - * /, unary minus and parentheses. It never runs code
// from the request, and every operation checks for overflow and division by zero.
type parser struct {
	s   string
	pos int
}

func (p *parser) skip() {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t') {
		p.pos++
	}
}

func (p *parser) peek() byte {
	p.skip()
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

func (p *parser) expr(depth int) (int64, error) {
	if depth > 100 {
		return 0, errInvalid
	}
	v, err := p.term(depth)
	if err != nil {
		return 0, err
	}
	for {
		switch p.peek() {
		case '+':
			p.pos++
			w, err := p.term(depth)
			if err != nil {
				return 0, err
			}
			if (w > 0 && v > math.MaxInt64-w) || (w < 0 && v < math.MinInt64-w) {
				return 0, errInvalid
			}
			v += w
		case '-':
			p.pos++
			w, err := p.term(depth)
			if err != nil {
				return 0, err
			}
			if (w < 0 && v > math.MaxInt64+w) || (w > 0 && v < math.MinInt64+w) {
				return 0, errInvalid
			}
			v -= w
		default:
			return v, nil
		}
	}
}

func (p *parser) term(depth int) (int64, error) {
	v, err := p.factor(depth)
	if err != nil {
		return 0, err
	}
	for {
		switch p.peek() {
		case '*':
			p.pos++
			w, err := p.factor(depth)
			if err != nil {
				return 0, err
			}
			if v != 0 && w != 0 {
				r := v * w
				if r/w != v || (v == -1 && w == math.MinInt64) || (w == -1 && v == math.MinInt64) {
					return 0, errInvalid
				}
			}
			v *= w
		case '/':
			p.pos++
			w, err := p.factor(depth)
			if err != nil {
				return 0, err
			}
			if w == 0 || (v == math.MinInt64 && w == -1) {
				return 0, errInvalid
			}
			v /= w
		default:
			return v, nil
		}
	}
}

func (p *parser) factor(depth int) (int64, error) {
	switch c := p.peek(); {
	case c == '-':
		p.pos++
		v, err := p.factor(depth + 1)
		if err != nil || v == math.MinInt64 {
			return 0, errInvalid
		}
		return -v, nil
	case c == '(':
		p.pos++
		v, err := p.expr(depth + 1)
		if err != nil {
			return 0, err
		}
		if p.peek() != ')' {
			return 0, errInvalid
		}
		p.pos++
		return v, nil
	case c >= '0' && c <= '9':
		start := p.pos
		for p.pos < len(p.s) && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
			p.pos++
		}
		v, err := strconv.ParseInt(p.s[start:p.pos], 10, 64)
		if err != nil {
			return 0, errInvalid
		}
		return v, nil
	default:
		return 0, errInvalid
	}
}

func evaluate(s string) (int64, error) {
	if len(s) == 0 || len(s) > maxExpression {
		return 0, errInvalid
	}
	p := &parser{s: s}
	v, err := p.expr(0)
	if err != nil {
		return 0, err
	}
	if p.peek() != 0 {
		return 0, errInvalid
	}
	return v, nil
}

func calculator(c *fiber.Ctx) error {
	var req struct {
		Expression *string `json:"expression"`
	}
	if err := json.Unmarshal(c.Body(), &req); err != nil || req.Expression == nil {
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": "invalid input"})
	}
	v, err := evaluate(*req.Expression)
	if err != nil {
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": "invalid expression"})
	}
	return c.JSON(fiber.Map{"result": strconv.FormatInt(v, 10)})
}

func main() {
	app := fiber.New(fiber.Config{BodyLimit: 64 << 10, DisableStartupMessage: true})
	app.Post("/calculator", calculator)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
