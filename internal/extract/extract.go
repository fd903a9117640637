// Package extract turns a model's answer into files. It follows upstream's parsing rules and never
// returns a path that would leave the sample's code directory.
package extract

import (
	"fmt"
	"path"
	"regexp"
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
	return check(map[string]string{fileName: body}, nil)
}

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
		files := map[string]string{}
		var order []string
		for i, p := range paths {
			files[p] = clean(bodies[i])
			order = append(order, p)
		}
		return check(files, order)
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

func check(files map[string]string, _ []string) Result {
	res := Result{Files: map[string][]byte{}}
	for p, body := range files {
		sp, err := SafePath(p)
		if err != nil {
			res.Refused = append(res.Refused, err.Error())
			continue
		}
		switch {
		case len(body) > MaxFileSize:
			res.Refused = append(res.Refused, fmt.Sprintf("%s: %d bytes, over the %d-byte limit", sp, len(body), MaxFileSize))
			continue
		case !utf8.ValidString(body) || strings.ContainsRune(body, 0):
			res.Refused = append(res.Refused, fmt.Sprintf("%s: binary content", sp))
			continue
		}
		res.Files[sp] = []byte(body)
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
