package main

import (
	"encoding/json"
	"errors"
	"io/fs"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

const (
	filesRoot = "files"
	maxRegex  = 1000
	maxFiles  = 10000
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// resolveDir maps the requested directory to a path inside the files root, or fails if it would leave
// the root (also through symbolic links).
func resolveDir(root, dir string) (string, error) {
	target := filepath.Join(root, dir)
	rel, err := filepath.Rel(root, target)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", errors.New("directory outside the files root")
	}
	real, err := filepath.EvalSymlinks(target)
	if err != nil {
		return "", err
	}
	rel, err = filepath.Rel(root, real)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", errors.New("directory outside the files root")
	}
	st, err := os.Stat(real)
	if err != nil || !st.IsDir() {
		return "", errors.New("not a directory")
	}
	return real, nil
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

// find reports whether the pattern matches some part of s.
func (m matcher) find(s string) bool {
	for i := 0; i <= len(s); i++ {
		if m(s, i, func(int) bool { return true }) {
			return true
		}
	}
	return false
}

// matches reports whether a regular file's content matches.
func matches(re matcher, path string, d fs.DirEntry) bool {
	if !d.Type().IsRegular() {
		return false
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	return re.find(string(data))
}

func search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	pattern := q.Get("regex")
	if !q.Has("regex") || len(pattern) > maxRegex {
		fail(w, http.StatusBadRequest, "a regex of at most 1000 characters is required")
		return
	}
	re, err := compilePattern(pattern)
	if err != nil {
		fail(w, http.StatusBadRequest, "malformed regex")
		return
	}
	recursive := false
	if s := q.Get("recursive"); s != "" {
		if recursive, err = strconv.ParseBool(s); err != nil {
			fail(w, http.StatusBadRequest, "recursive must be true or false")
			return
		}
	}
	root, err := filepath.Abs(filesRoot)
	if err == nil {
		root, err = filepath.EvalSymlinks(root)
	}
	if err != nil {
		fail(w, http.StatusInternalServerError, "the files root is not available")
		return
	}
	dir, err := resolveDir(root, q.Get("directory"))
	if err != nil {
		fail(w, http.StatusBadRequest, "inaccessible directory")
		return
	}
	found := []string{}
	seen := 0
	walkErr := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if path != dir && !recursive {
				return filepath.SkipDir
			}
			return nil
		}
		if seen++; seen > maxFiles {
			return errors.New("too many files")
		}
		if matches(re, path, d) {
			rel, err := filepath.Rel(dir, path)
			if err == nil {
				found = append(found, filepath.ToSlash(rel))
			}
		}
		return nil
	})
	if walkErr != nil {
		fail(w, http.StatusBadRequest, "the directory holds too many files")
		return
	}
	writeJSON(w, http.StatusOK, map[string][]string{"files": found})
}

func main() {
	if err := os.MkdirAll(filesRoot, 0o755); err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /search", search)
	srv := &http.Server{Addr: "0.0.0.0:5000", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}
