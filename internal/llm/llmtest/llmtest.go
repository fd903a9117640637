// Package llmtest is a fake model provider on loopback for tests. It speaks OpenAI's
// /v1/chat/completions and Anthropic's /v1/messages (plain and streaming), and misbehaves on command:
// delays, 429 with Retry-After, 5xx, truncated answers, dropped connections and streams, malformed
// bodies, empty answers.
package llmtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Kind is what the server does with one request.
type Kind int

// Kinds of behaviour.
const (
	OK          Kind = iota // a normal answer
	Throttle                // 429 with Retry-After (and retry-after-ms when RetryAfterMS is set)
	ServerError             // Status, default 500
	Truncate                // half the answer, finish_reason length / stop_reason max_tokens
	Drop                    // the connection is cut in the middle of the body or stream
	EndEarly                // a stream that ends cleanly but without message_stop
	Malformed               // 200 with a body that is not valid JSON (or a broken stream event)
	Empty                   // 200 with empty content
	Hang                    // no answer until the client gives up
)

// Fault is one scripted behaviour; requests consume the script in order, then get OK.
type Fault struct {
	Kind         Kind
	Status       int
	RetryAfter   string // Retry-After header value; "1" when empty for Throttle
	RetryAfterMS int    // retry-after-ms header, when > 0
	Delay        time.Duration
}

// Call is one request as the server saw it.
type Call struct {
	Path            string
	Model           string
	N               int
	MaxTokensField  string // "max_tokens" or "max_completion_tokens"
	MaxTokens       int
	Stream          bool
	Temperature     *float64
	ReasoningEffort string
	ThinkingBudget  int
	SystemRole      string // system, developer, or "" when absent
	System          string
	User            string
	Body            map[string]any
	Header          http.Header
	Kind            Kind
}

// Server is the fake.
type Server struct {
	*httptest.Server
	// Answer returns the text of one completion; serial is unique per completion served. Set it
	// before the first request.
	Answer func(c Call, serial int) string
	// Thinking, when set, adds visible reasoning to answers.
	Thinking string

	mu       sync.Mutex
	script   []Fault
	calls    []Call
	serial   int
	served   int
	inFlight int
	peak     int
}

// DefaultAnswer is a single-file answer naming its serial.
func DefaultAnswer(_ Call, serial int) string {
	return fmt.Sprintf("Here you go.\n<CODE>\npackage main\n\n// answer %d\nfunc main() {}\n</CODE>\n", serial)
}

// New starts a server on loopback, closed when the test ends.
func New(t testing.TB) *Server {
	s := &Server{Answer: DefaultAnswer}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", s.counted(s.openai))
	mux.HandleFunc("POST /v1/messages", s.counted(s.anthropic))
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func (s *Server) counted(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.inFlight++
		s.peak = max(s.peak, s.inFlight)
		s.mu.Unlock()
		defer func() {
			s.mu.Lock()
			s.inFlight--
			s.mu.Unlock()
		}()
		h(w, r)
	}
}

// PeakInFlight is the largest number of requests the server handled at once.
func (s *Server) PeakInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak
}

// BaseURL is the OpenAI-style base URL (ending in /v1).
func (s *Server) BaseURL() string { return s.URL + "/v1" }

// Push appends faults to the script.
func (s *Server) Push(f ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = append(s.script, f...)
}

// Calls returns the requests seen so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// Served is the number of completions delivered in full.
func (s *Server) Served() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.served
}

func (s *Server) next(c *Call) (Fault, []int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := Fault{}
	if len(s.script) > 0 {
		f, s.script = s.script[0], s.script[1:]
	}
	c.Kind = f.Kind
	s.calls = append(s.calls, *c)
	var serials []int
	for range max(c.N, 1) {
		s.serial++
		serials = append(serials, s.serial)
	}
	return f, serials
}

func (s *Server) delivered(n int) {
	s.mu.Lock()
	s.served += n
	s.mu.Unlock()
}

// wait applies the fault's delay; it reports false when the client went away.
func wait(r *http.Request, f Fault) bool {
	if f.Kind == Hang {
		<-r.Context().Done()
		return false
	}
	if f.Delay > 0 {
		select {
		case <-time.After(f.Delay):
		case <-r.Context().Done():
			return false
		}
	}
	return true
}

func readBody(w http.ResponseWriter, r *http.Request) (map[string]any, bool) {
	b, err := io.ReadAll(r.Body)
	var body map[string]any
	if err == nil {
		err = json.Unmarshal(b, &body)
	}
	if err != nil {
		http.Error(w, `{"error":{"message":"bad request body"}}`, http.StatusBadRequest)
		return nil, false
	}
	return body, true
}

func num(v any) int {
	f, _ := v.(float64)
	return int(f)
}

// textOf flattens a content value: a string or a list of {type: text, text} blocks.
func textOf(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		var b strings.Builder
		for _, e := range x {
			if m, ok := e.(map[string]any); ok {
				if t, ok := m["text"].(string); ok {
					b.WriteString(t)
				}
			}
		}
		return b.String()
	}
	return ""
}

// errorReply writes the fault's error status, if it is one.
func errorReply(w http.ResponseWriter, f Fault, anthropic bool) bool {
	status, typ := 0, ""
	switch f.Kind {
	case Throttle:
		status, typ = http.StatusTooManyRequests, "rate_limit_error"
		ra := f.RetryAfter
		if ra == "" {
			ra = "1"
		}
		w.Header().Set("Retry-After", ra)
		if f.RetryAfterMS > 0 {
			w.Header().Set("retry-after-ms", fmt.Sprint(f.RetryAfterMS))
		}
	case ServerError:
		status, typ = f.Status, "api_error"
		if status == 0 {
			status = http.StatusInternalServerError
		}
	default:
		return false
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if anthropic {
		fmt.Fprintf(w, `{"type":"error","error":{"type":%q,"message":"fake %d"}}`, typ, status)
	} else {
		fmt.Fprintf(w, `{"error":{"type":%q,"message":"fake %d","code":null,"param":null}}`, typ, status)
	}
	return true
}

// drop cuts the connection after writing part of a body.
func drop(w http.ResponseWriter, partial []byte) {
	if f, ok := w.(http.Flusher); ok {
		w.Write(partial)
		f.Flush()
	}
	panic(http.ErrAbortHandler)
}

func tokens(s string) int { return len(s)/4 + 1 }

func (s *Server) openai(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	c := Call{Path: r.URL.Path, Body: body, Header: r.Header.Clone(), N: 1}
	c.Model, _ = body["model"].(string)
	if n := num(body["n"]); n > 0 {
		c.N = n
	}
	for _, k := range []string{"max_completion_tokens", "max_tokens"} {
		if v, ok := body[k]; ok {
			c.MaxTokensField, c.MaxTokens = k, num(v)
		}
	}
	if t, ok := body["temperature"].(float64); ok {
		c.Temperature = &t
	}
	c.ReasoningEffort, _ = body["reasoning_effort"].(string)
	c.Stream, _ = body["stream"].(bool)
	msgs, _ := body["messages"].([]any)
	for _, m := range msgs {
		mm, _ := m.(map[string]any)
		role, _ := mm["role"].(string)
		switch role {
		case "system", "developer":
			c.SystemRole, c.System = role, textOf(mm["content"])
		case "user":
			c.User = textOf(mm["content"])
		}
	}
	f, serials := s.next(&c)
	if !wait(r, f) || errorReply(w, f, false) {
		return
	}
	type choice struct {
		Index        int            `json:"index"`
		Message      map[string]any `json:"message"`
		FinishReason string         `json:"finish_reason"`
	}
	var choices []choice
	out := 0
	for i, serial := range serials {
		text, finish := s.Answer(c, serial), "stop"
		switch f.Kind {
		case Truncate:
			text, finish = text[:len(text)/2], "length"
		case Empty:
			text = ""
		}
		out += tokens(text)
		msg := map[string]any{"role": "assistant", "content": text}
		if s.Thinking != "" {
			msg["reasoning_content"] = s.Thinking
		}
		choices = append(choices, choice{Index: i, Message: msg, FinishReason: finish})
	}
	resp, _ := json.Marshal(map[string]any{
		"id": fmt.Sprintf("chatcmpl-%d", serials[0]), "object": "chat.completion", "created": 1700000000,
		"model": c.Model, "choices": choices,
		"usage": map[string]any{"prompt_tokens": tokens(c.System + c.User), "completion_tokens": out, "total_tokens": tokens(c.System+c.User) + out},
	})
	w.Header().Set("Content-Type", "application/json")
	switch f.Kind {
	case Malformed:
		w.Write(resp[:len(resp)/2])
		return
	case Drop:
		w.Header().Set("Content-Length", fmt.Sprint(len(resp)))
		drop(w, resp[:len(resp)/2])
	}
	w.Write(resp)
	s.delivered(len(serials))
}

func (s *Server) anthropic(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	c := Call{Path: r.URL.Path, Body: body, Header: r.Header.Clone(), N: 1, MaxTokensField: "max_tokens"}
	c.Model, _ = body["model"].(string)
	c.MaxTokens = num(body["max_tokens"])
	c.Stream, _ = body["stream"].(bool)
	if t, ok := body["temperature"].(float64); ok {
		c.Temperature = &t
	}
	if th, ok := body["thinking"].(map[string]any); ok {
		c.ThinkingBudget = num(th["budget_tokens"])
	}
	if sys, ok := body["system"]; ok {
		c.SystemRole, c.System = "system", textOf(sys)
	}
	msgs, _ := body["messages"].([]any)
	for _, m := range msgs {
		mm, _ := m.(map[string]any)
		if mm["role"] == "user" {
			c.User = textOf(mm["content"])
		}
	}
	f, serials := s.next(&c)
	if !wait(r, f) || errorReply(w, f, true) {
		return
	}
	text, stop := s.Answer(c, serials[0]), "end_turn"
	switch f.Kind {
	case Truncate:
		text, stop = text[:len(text)/2], "max_tokens"
	case Empty:
		text = ""
	}
	thinking := ""
	if c.ThinkingBudget > 0 {
		thinking = s.Thinking
		if thinking == "" {
			thinking = "Let me think about the API first."
		}
	}
	id := fmt.Sprintf("msg_%d", serials[0])
	usage := map[string]any{"input_tokens": tokens(c.System + c.User), "output_tokens": tokens(thinking + text)}
	if !c.Stream {
		var content []map[string]any
		if thinking != "" {
			content = append(content, map[string]any{"type": "thinking", "thinking": thinking, "signature": "sig"})
		}
		content = append(content, map[string]any{"type": "text", "text": text})
		resp, _ := json.Marshal(map[string]any{"id": id, "type": "message", "role": "assistant", "model": c.Model,
			"content": content, "stop_reason": stop, "stop_sequence": nil, "usage": usage})
		w.Header().Set("Content-Type", "application/json")
		switch f.Kind {
		case Malformed:
			w.Write(resp[:len(resp)/2])
			return
		case Drop:
			w.Header().Set("Content-Length", fmt.Sprint(len(resp)))
			drop(w, resp[:len(resp)/2])
		}
		w.Write(resp)
		s.delivered(1)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	fl, _ := w.(http.Flusher)
	send := func(event string, data any) {
		b, _ := json.Marshal(data)
		fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b)
		if fl != nil {
			fl.Flush()
		}
	}
	send("message_start", map[string]any{"type": "message_start", "message": map[string]any{
		"id": id, "type": "message", "role": "assistant", "model": c.Model, "content": []any{},
		"stop_reason": nil, "stop_sequence": nil, "usage": map[string]any{"input_tokens": usage["input_tokens"], "output_tokens": 1}}})
	idx := 0
	if thinking != "" {
		send("content_block_start", map[string]any{"type": "content_block_start", "index": idx, "content_block": map[string]any{"type": "thinking", "thinking": "", "signature": ""}})
		send("content_block_delta", map[string]any{"type": "content_block_delta", "index": idx, "delta": map[string]any{"type": "thinking_delta", "thinking": thinking}})
		send("content_block_delta", map[string]any{"type": "content_block_delta", "index": idx, "delta": map[string]any{"type": "signature_delta", "signature": "sig"}})
		send("content_block_stop", map[string]any{"type": "content_block_stop", "index": idx})
		idx++
	}
	send("content_block_start", map[string]any{"type": "content_block_start", "index": idx, "content_block": map[string]any{"type": "text", "text": ""}})
	send("ping", map[string]any{"type": "ping"})
	// The text arrives in several deltas, so a cut stream loses part of it.
	chunks := splitN(text, 4)
	for i, ch := range chunks {
		if i == len(chunks)/2 {
			switch f.Kind {
			case Drop:
				drop(w, nil)
			case EndEarly:
				return
			case Malformed:
				fmt.Fprint(w, "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":\n\n")
				return
			}
		}
		send("content_block_delta", map[string]any{"type": "content_block_delta", "index": idx, "delta": map[string]any{"type": "text_delta", "text": ch}})
	}
	send("content_block_stop", map[string]any{"type": "content_block_stop", "index": idx})
	send("message_delta", map[string]any{"type": "message_delta", "delta": map[string]any{"stop_reason": stop, "stop_sequence": nil},
		"usage": map[string]any{"output_tokens": usage["output_tokens"]}})
	send("message_stop", map[string]any{"type": "message_stop"})
	s.delivered(1)
}

func splitN(s string, n int) []string {
	r := []rune(s)
	out := make([]string, n)
	size := len(r) / n
	for i := range n {
		end := (i + 1) * size
		if i == n-1 {
			end = len(r)
		}
		out[i] = string(r[i*size : end])
	}
	return out
}
