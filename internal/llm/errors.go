package llm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Errors a provider returns for answers that arrived but cannot be used; retrying may help.
var (
	// ErrEmptyAnswer: the API answered, but no choice holds any text.
	ErrEmptyAnswer = errors.New("the model answered with no text")
	// ErrIncomplete: the response ended before the API said it was complete (a dropped stream).
	ErrIncomplete = errors.New("the response ended before it was complete")
)

// StatusError is an HTTP error status from a provider.
type StatusError struct {
	Provider   string
	Status     int
	RetryAfter time.Duration // 0 when the server did not say
	Message    string
	Err        error
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("%s: HTTP %d", e.Provider, e.Status)
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

func (e *StatusError) Unwrap() error { return e.Err }

// permanent marks an error that retrying cannot fix.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent marks err as not worth retrying.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanent{err}
}

// IsPermanent reports whether retrying err is pointless (DEV-G3): a bad request, a bad or missing key, an
// unknown model, or an error marked with Permanent. Everything else (429, 5xx, timeouts, dropped
// connections, malformed bodies, empty answers) is worth another attempt, as upstream retries every
// failure.
func IsPermanent(err error) bool {
	var p permanent
	if errors.As(err, &p) {
		return true
	}
	var se *StatusError
	if errors.As(err, &se) {
		switch se.Status {
		case http.StatusBadRequest, http.StatusUnauthorized, http.StatusPaymentRequired, http.StatusForbidden,
			http.StatusNotFound, http.StatusUnprocessableEntity:
			return true
		}
	}
	return false
}

// RetryAfterOf returns the wait a server asked for, or 0.
func RetryAfterOf(err error) time.Duration {
	var se *StatusError
	if errors.As(err, &se) {
		return se.RetryAfter
	}
	return 0
}

// ParseRetryAfter reads the wait a response asks for: retry-after-ms (OpenAI), else Retry-After in
// seconds or as an HTTP date. It returns 0 when neither is present or parseable.
func ParseRetryAfter(h http.Header, now time.Time) time.Duration {
	if h == nil {
		return 0
	}
	if v := strings.TrimSpace(h.Get("retry-after-ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms > 0 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s <= 0 {
			return 0
		}
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// canceled reports whether err comes from ctx itself being done (not from a per-attempt timeout).
func canceled(ctx context.Context, err error) bool {
	return ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded))
}
