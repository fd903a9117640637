package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"

	"github.com/gofiber/fiber/v2"
)

const maxMail = 1 << 20

var keywords = []string{"unsubscribe", "remove me", "deregister me", "stop sending me", "delete me"}

type decision struct {
	Email       string `json:"email"`
	Unsubscribe bool   `json:"unsubscribe"`
}

// rawMail returns the e-mail text of a request. The API takes the raw mail as text/plain; a client that
// wraps it in a JSON object {"content": "..."} is accepted too.
func rawMail(contentType string, body []byte) (string, bool) {
	trimmed := bytes.TrimSpace(body)
	if contentType == "application/json" || (len(trimmed) > 0 && trimmed[0] == '{') {
		var wrapped struct {
			Content *string `json:"content"`
		}
		if err := json.Unmarshal(trimmed, &wrapped); err == nil && wrapped.Content != nil {
			return *wrapped.Content, true
		}
		if contentType == "application/json" {
			return "", false
		}
	}
	return string(body), true
}

// sender is the address of the message's own From header. Lines that look like headers inside the body
// are never consulted.
func sender(h mail.Header) (string, bool) {
	from := h.Get("From")
	if from == "" {
		return "", false
	}
	if a, err := mail.ParseAddress(from); err == nil {
		return a.Address, true
	}
	if list, err := mail.ParseAddressList(from); err == nil && len(list) > 0 {
		return list[0].Address, true
	}
	return "", false
}

// asksToUnsubscribe looks for the keywords in the subject and in the body, both as sent and with
// quoted-printable encoding undone, ignoring case and line breaks.
func asksToUnsubscribe(subject string, body []byte) bool {
	decoded, _ := io.ReadAll(io.LimitReader(quotedprintable.NewReader(bytes.NewReader(body)), maxMail))
	text := strings.ToLower(subject + "\n" + string(body) + "\n" + string(decoded))
	text = strings.Join(strings.Fields(text), " ")
	for _, k := range keywords {
		if strings.Contains(text, k) {
			return true
		}
	}
	return false
}

func decide(c *fiber.Ctx) error {
	contentType, _, _ := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	raw, ok := rawMail(contentType, c.Body())
	if !ok || strings.TrimSpace(raw) == "" {
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": "no e-mail given"})
	}
	if !strings.Contains(raw, "\n\n") && !strings.Contains(raw, "\r\n\r\n") {
		raw += "\n\n" // headers only: let the parser see the end of the header block
	}
	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": "the e-mail could not be parsed"})
	}
	addr, ok := sender(msg.Header)
	if !ok {
		return c.Status(fiber.StatusBadRequest).JSON(fiber.Map{"error": "the e-mail has no valid sender"})
	}
	content, _ := io.ReadAll(io.LimitReader(msg.Body, maxMail))
	subject := msg.Header.Get("Subject")
	if dec, err := new(mime.WordDecoder).DecodeHeader(subject); err == nil {
		subject = dec
	}
	return c.JSON(decision{Email: addr, Unsubscribe: asksToUnsubscribe(subject, content)})
}

func main() {
	app := fiber.New(fiber.Config{BodyLimit: maxMail, DisableStartupMessage: true})
	app.Post("/decideUnsubscribe", decide)
	log.Fatal(app.Listen("0.0.0.0:5000"))
}
