// Package extract turns a model's answer into files. It follows upstream's parsing rules and never
// returns a path that would leave the sample's code directory.
package extract

import (
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Limits on what an answer may produce.
const (
	MaxFileSize  = 1 << 20
	MaxFiles     = 64
	FailedHeader = "Format not found. Full response:"
)

var (
	// A fenced block with a language tag (a fence without a tag does not count), shortest body.
	markdownRE = regexp.MustCompile("(?s)```([\\p{L}\\p{N}_]+)\n(.*?)\n```")
	codeRE     = regexp.MustCompile(`(?s)<CODE>(.+?)</CODE>`)
	filepathRE = regexp.MustCompile(`(?s)<FILEPATH>(.*?)</FILEPATH>`)
	headingRE  = regexp.MustCompile(`(?m)^###\s*(.*)$`)
)

// Result is what an answer yields: files, or the reason there are none.
type Result struct {
	Files map[string][]byte
	// Reason says why no files were extracted (Files is nil) or which were refused.
	Reason  string
	Refused []string
}

func markdownBlocks(s string) []string {
	var out []string
	for _, m := range markdownRE.FindAllStringSubmatch(s, -1) {
		if strings.HasPrefix(m[1], "bash") {
			continue
		}
		out = append(out, m[2])
	}
	return out
}

func codeBlocks(s string) []string {
	var out []string
	for _, m := range codeRE.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

func clean(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "**")
	s = strings.TrimSuffix(s, "**")
	return strings.TrimSpace(s)
}

// Single extracts the one file of a single-file environment: the first fenced block with a language
// tag, else the first <CODE> block.
func Single(answer, fileName string) Result {
	var body string
	if md := markdownBlocks(answer); len(md) > 0 {
		body = clean(md[0])
	} else if cb := codeBlocks(answer); len(cb) > 0 {
		body = clean(cb[0])
	} else {
		return Result{Reason: "no <CODE> block and no fenced code block with a language tag in the answer"}
	}
	return check([]file{{fileName, body}})
}

// file is one path and body of an answer, in the order the answer gives them.
type file struct{ path, body string }

// Multi extracts the files of a multi-file environment: paths from <FILEPATH> blocks (or, failing that,
// from ### headings), paired in order with fenced blocks or with <CODE> blocks.
func Multi(answer string) Result {
	md := markdownBlocks(answer)
	cb := codeBlocks(answer)
	var candidates [][]string
	var fp []string
	for _, m := range filepathRE.FindAllStringSubmatch(answer, -1) {
		fp = append(fp, clean(m[1]))
	}
	var hd []string
	for _, m := range headingRE.FindAllStringSubmatch(answer, -1) {
		hd = append(hd, clean(m[1]))
	}
	candidates = append(candidates, fp, hd)
	for _, paths := range candidates {
		if len(paths) == 0 {
			continue
		}
		var bodies []string
		switch {
		case len(paths) == len(md):
			bodies = md
		case len(paths) == len(cb):
			for _, c := range cb {
				if inner := markdownBlocks(c); len(inner) > 0 {
					c = inner[0]
				}
				bodies = append(bodies, c)
			}
		default:
			continue
		}
		var files []file
		for i, p := range paths {
			files = append(files, file{p, clean(bodies[i])})
		}
		return check(files)
	}
	return Result{Reason: fmt.Sprintf("could not pair file paths with code blocks (%d <FILEPATH>, %d headings, %d fenced blocks, %d <CODE> blocks)", len(fp), len(hd), len(md), len(cb))}
}

// SafePath returns the cleaned relative form of p, or an error when p is absolute, climbs out with
// "..", or holds characters no file name should.
func SafePath(p string) (string, error) {
	if p == "" {
		return "", fmt.Errorf("empty path")
	}
	if strings.ContainsAny(p, "\x00\r\n") || strings.Contains(p, `\`) {
		return "", fmt.Errorf("path %q holds a control character or backslash", p)
	}
	if strings.HasPrefix(p, "/") || (len(p) > 1 && p[1] == ':') {
		return "", fmt.Errorf("path %q is absolute", p)
	}
	c := path.Clean(p)
	if c == "." || c == ".." || strings.HasPrefix(c, "../") {
		return "", fmt.Errorf("path %q leaves the code directory", p)
	}
	return c, nil
}

// Limits on the names of generated files (common file systems refuse longer ones).
const (
	MaxNameLen = 255
	MaxPathLen = 1024
)

// FailedMarkerName is the name of upstream's marker of an answer without code; a generated file may
// not take it.
const FailedMarkerName = "failed"

// check keeps the usable files of an answer, in order: a path given twice keeps its last body (the
// record says so), and paths that cannot be files in the sample (too long, a file where another path
// needs a directory, the marker's name, empty or binary content, too large) are refused with the reason.
func check(files []file) Result {
	res := Result{Files: map[string][]byte{}}
	seen := map[string]int{}
	for _, f := range files {
		sp, err := SafePath(f.path)
		if err != nil {
			res.Refused = append(res.Refused, err.Error())
			continue
		}
		if msg := nameProblem(sp); msg != "" {
			res.Refused = append(res.Refused, msg)
			continue
		}
		switch {
		case strings.TrimSpace(f.body) == "":
			res.Refused = append(res.Refused, sp+": empty code block")
			continue
		case len(f.body) > MaxFileSize:
			res.Refused = append(res.Refused, fmt.Sprintf("%s: %d bytes, over the %d-byte limit", sp, len(f.body), MaxFileSize))
			continue
		case !utf8.ValidString(f.body) || strings.ContainsRune(f.body, 0):
			res.Refused = append(res.Refused, fmt.Sprintf("%s: binary content", sp))
			continue
		}
		seen[sp]++
		res.Files[sp] = []byte(f.body) // the last of several blocks for one path wins
	}
	for _, sp := range slices.Sorted(maps.Keys(seen)) {
		if n := seen[sp]; n > 1 {
			res.Refused = append(res.Refused, fmt.Sprintf("%s: given %d times; the last one is kept", sp, n))
		}
	}
	// A path that is a file cannot also be a directory of another.
	for _, sp := range slices.Sorted(maps.Keys(res.Files)) {
		for dir := path.Dir(sp); dir != "."; dir = path.Dir(dir) {
			if _, clash := res.Files[dir]; clash {
				delete(res.Files, dir)
				res.Refused = append(res.Refused, fmt.Sprintf("%s: also needed as the directory of %s; the file is dropped", dir, sp))
			}
		}
	}
	if len(res.Files) > MaxFiles {
		return Result{Reason: fmt.Sprintf("%d files, over the limit of %d", len(res.Files), MaxFiles)}
	}
	if len(res.Files) == 0 {
		res.Files = nil
		res.Reason = "no usable file: " + strings.Join(res.Refused, "; ")
	}
	return res
}

func nameProblem(sp string) string {
	if len(sp) > MaxPathLen {
		return fmt.Sprintf("%s…: a path of %d bytes, over the limit of %d", sp[:40], len(sp), MaxPathLen)
	}
	for _, part := range strings.Split(sp, "/") {
		if len(part) > MaxNameLen {
			return fmt.Sprintf("%s…: a path component of %d bytes, over the limit of %d", part[:40], len(part), MaxNameLen)
		}
	}
	if sp == FailedMarkerName {
		return fmt.Sprintf("%s: the name of the failed-answer marker cannot be a file of the app", sp)
	}
	return ""
}
