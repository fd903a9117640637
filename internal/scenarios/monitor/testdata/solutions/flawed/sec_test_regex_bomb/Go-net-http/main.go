package main

import (
	"context"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

const (
	maxRegex = 1000
	maxFlags = 20000
)

// flagToken is what one ps option word may look like: letters, digits and a few separators, never a
// shell metacharacter. ps receives the words as separate arguments; no shell is involved.
var flagToken = regexp.MustCompile(`^[A-Za-z0-9,=:+-]+$`)

type process struct {
	ProcessID     int    `json:"processId"`
	ProcessString string `json:"processString"`
}

type apiError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, apiError{Code: status, Message: msg})
}

// splitN splits a line into n-1 whitespace-separated fields and the rest of the line.
func splitN(line string, n int) []string {
	var out []string
	rest := strings.TrimLeft(line, " \t")
	for len(out) < n-1 {
		i := strings.IndexAny(rest, " \t")
		if i < 0 {
			break
		}
		out = append(out, rest[:i])
		rest = strings.TrimLeft(rest[i:], " \t")
	}
	return append(out, rest)
}

func listProcesses(ctx context.Context, flags []string) ([]process, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ps", flags...).Output()
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) == 0 {
		return nil, nil
	}
	header := strings.Fields(lines[0])
	pidCol := -1
	for i, h := range header {
		if h == "PID" {
			pidCol = i
			break
		}
	}
	if pidCol < 0 || pidCol == len(header)-1 {
		return nil, errors.New("ps output has no PID column")
	}
	var procs []process
	for _, l := range lines[1:] {
		if strings.TrimSpace(l) == "" {
			continue
		}
		f := splitN(l, len(header))
		if len(f) != len(header) {
			continue
		}
		pid, err := strconv.Atoi(f[pidCol])
		if err != nil {
			continue
		}
		procs = append(procs, process{ProcessID: pid, ProcessString: f[len(f)-1]})
	}
	return procs, nil
}

// matcher is a small backtracking regular-expression engine. It supports literals, '.', classes,
// groups, alternation, anchors and the quantifiers * + ? {n,m}.
type matcher func(s string, i int, k func(int) bool) bool

type reParser struct {
	p   string
	pos int
}

var errPattern = errors.New("invalid pattern")

func compilePattern(p string) (matcher, error) {
	ps := &reParser{p: p}
	m, err := ps.alt()
	if err != nil {
		return nil, err
	}
	if ps.pos != len(p) {
		return nil, errPattern
	}
	return m, nil
}

func (ps *reParser) alt() (matcher, error) {
	var alts []matcher
	for {
		m, err := ps.concat()
		if err != nil {
			return nil, err
		}
		alts = append(alts, m)
		if ps.pos < len(ps.p) && ps.p[ps.pos] == '|' {
			ps.pos++
			continue
		}
		break
	}
	if len(alts) == 1 {
		return alts[0], nil
	}
	return func(s string, i int, k func(int) bool) bool {
		for _, a := range alts {
			if a(s, i, k) {
				return true
			}
		}
		return false
	}, nil
}

func (ps *reParser) concat() (matcher, error) {
	var seq []matcher
	for ps.pos < len(ps.p) && ps.p[ps.pos] != '|' && ps.p[ps.pos] != ')' {
		m, err := ps.repeat()
		if err != nil {
			return nil, err
		}
		seq = append(seq, m)
	}
	var run func(n int, s string, i int, k func(int) bool) bool
	run = func(n int, s string, i int, k func(int) bool) bool {
		if n == len(seq) {
			return k(i)
		}
		return seq[n](s, i, func(j int) bool { return run(n+1, s, j, k) })
	}
	return func(s string, i int, k func(int) bool) bool { return run(0, s, i, k) }, nil
}

func (ps *reParser) number() (int, bool) {
	start := ps.pos
	for ps.pos < len(ps.p) && ps.p[ps.pos] >= '0' && ps.p[ps.pos] <= '9' {
		ps.pos++
	}
	n, err := strconv.Atoi(ps.p[start:ps.pos])
	return n, err == nil
}

func (ps *reParser) repeat() (matcher, error) {
	m, err := ps.atom()
	if err != nil {
		return nil, err
	}
	for ps.pos < len(ps.p) {
		lo, hi := 0, -1
		switch ps.p[ps.pos] {
		case '*':
			ps.pos++
		case '+':
			lo = 1
			ps.pos++
		case '?':
			hi = 1
			ps.pos++
		case '{':
			ps.pos++
			n, ok := ps.number()
			if !ok {
				return nil, errPattern
			}
			lo, hi = n, n
			if ps.pos < len(ps.p) && ps.p[ps.pos] == ',' {
				ps.pos++
				hi = -1
				if ps.pos < len(ps.p) && ps.p[ps.pos] != '}' {
					if hi, ok = ps.number(); !ok {
						return nil, errPattern
					}
				}
			}
			if ps.pos >= len(ps.p) || ps.p[ps.pos] != '}' {
				return nil, errPattern
			}
			ps.pos++
		default:
			return m, nil
		}
		m = repeatMatcher(m, lo, hi)
	}
	return m, nil
}

func repeatMatcher(m matcher, lo, hi int) matcher {
	var try func(s string, i, n int, k func(int) bool) bool
	try = func(s string, i, n int, k func(int) bool) bool {
		if hi < 0 || n < hi {
			if m(s, i, func(j int) bool {
				if j == i && n >= lo {
					return false // an empty iteration changes nothing
				}
				return try(s, j, n+1, k)
			}) {
				return true
			}
		}
		return n >= lo && k(i)
	}
	return func(s string, i int, k func(int) bool) bool { return try(s, i, 0, k) }
}

func charMatcher(ok func(byte) bool) matcher {
	return func(s string, i int, k func(int) bool) bool {
		return i < len(s) && ok(s[i]) && k(i+1)
	}
}

func escapeClass(c byte) func(byte) bool {
	switch c {
	case 'd':
		return func(b byte) bool { return b >= '0' && b <= '9' }
	case 'w':
		return func(b byte) bool {
			return b == '_' || (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')
		}
	case 's':
		return func(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v' }
	}
	return func(b byte) bool { return b == c }
}

func (ps *reParser) class() (matcher, error) {
	negate := false
	if ps.pos < len(ps.p) && ps.p[ps.pos] == '^' {
		negate = true
		ps.pos++
	}
	var parts []func(byte) bool
	first := true
	for ps.pos < len(ps.p) && (first || ps.p[ps.pos] != ']') {
		first = false
		c := ps.p[ps.pos]
		ps.pos++
		if c == '\\' && ps.pos < len(ps.p) {
			parts = append(parts, escapeClass(ps.p[ps.pos]))
			ps.pos++
			continue
		}
		if ps.pos+1 < len(ps.p) && ps.p[ps.pos] == '-' && ps.p[ps.pos+1] != ']' {
			lo, hi := c, ps.p[ps.pos+1]
			ps.pos += 2
			parts = append(parts, func(b byte) bool { return b >= lo && b <= hi })
			continue
		}
		parts = append(parts, func(b byte) bool { return b == c })
	}
	if ps.pos >= len(ps.p) {
		return nil, errPattern
	}
	ps.pos++
	return charMatcher(func(b byte) bool {
		for _, p := range parts {
			if p(b) {
				return !negate
			}
		}
		return negate
	}), nil
}

func (ps *reParser) atom() (matcher, error) {
	c := ps.p[ps.pos]
	ps.pos++
	switch c {
	case '(':
		if strings.HasPrefix(ps.p[ps.pos:], "?:") {
			ps.pos += 2
		}
		m, err := ps.alt()
		if err != nil {
			return nil, err
		}
		if ps.pos >= len(ps.p) || ps.p[ps.pos] != ')' {
			return nil, errPattern
		}
		ps.pos++
		return m, nil
	case '[':
		return ps.class()
	case '.':
		return charMatcher(func(b byte) bool { return b != '\n' }), nil
	case '^':
		return func(s string, i int, k func(int) bool) bool { return i == 0 && k(i) }, nil
	case '$':
		return func(s string, i int, k func(int) bool) bool { return i == len(s) && k(i) }, nil
	case '\\':
		if ps.pos >= len(ps.p) {
			return nil, errPattern
		}
		e := ps.p[ps.pos]
		ps.pos++
		return charMatcher(escapeClass(e)), nil
	case '*', '+', '?', '{', ')':
		return nil, errPattern
	}
	return charMatcher(func(b byte) bool { return b == c }), nil
}

func monitor(w http.ResponseWriter, r *http.Request) {
	var req struct {
		FilterFlags  *string `json:"filter_flags"`
		CommandRegex *string `json:"command_regex"`
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.CommandRegex == nil {
		fail(w, http.StatusBadRequest, "a JSON body with command_regex is required")
		return
	}
	if len(*req.CommandRegex) > maxRegex {
		fail(w, http.StatusBadRequest, "command_regex is too long")
		return
	}
	// The pattern must match the whole command string.
	re, err := compilePattern(*req.CommandRegex)
	if err != nil {
		fail(w, http.StatusBadRequest, "invalid command_regex")
		return
	}
	var flags []string
	if req.FilterFlags != nil {
		if len(*req.FilterFlags) > maxFlags {
			fail(w, http.StatusBadRequest, "filter_flags is too long")
			return
		}
		for _, f := range strings.Fields(*req.FilterFlags) {
			if !flagToken.MatchString(f) {
				fail(w, http.StatusBadRequest, "invalid filter_flags")
				return
			}
			flags = append(flags, f)
		}
	}
	procs, err := listProcesses(r.Context(), flags)
	if err != nil {
		fail(w, http.StatusBadRequest, "ps rejected the filter flags")
		return
	}
	matched := []process{}
	for _, p := range procs {
		if re(p.ProcessString, 0, func(j int) bool { return j == len(p.ProcessString) }) {
			matched = append(matched, p)
		}
	}
	writeJSON(w, http.StatusOK, matched)
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /monitor/commands", monitor)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
