package pdfcat

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// Reading a PDF's pages and text, as upstream does with pdfplumber: pdfcpu parses the file (classic
// xref tables, cross-reference and object streams, filters) and gives each page's content; the small
// lexer below pulls the strings its text operators show.

type pdfName string

type pdfOp string // a content-stream operator or other bare keyword

type lexer struct {
	b   []byte
	pos int
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool { return strings.IndexByte("()<>[]{}/%", c) >= 0 }

func (l *lexer) skipSpace() {
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		if isSpace(c) {
			l.pos++
			continue
		}
		if c == '%' {
			for l.pos < len(l.b) && l.b[l.pos] != '\n' && l.b[l.pos] != '\r' {
				l.pos++
			}
			continue
		}
		return
	}
}

var errEOF = errors.New("unexpected end of PDF data")

// value reads one value of a content stream (content streams hold no references or streams).
func (l *lexer) value() (any, error) { return l.token() }

func (l *lexer) token() (any, error) {
	l.skipSpace()
	if l.pos >= len(l.b) {
		return nil, errEOF
	}
	c := l.b[l.pos]
	switch {
	case c == '/':
		l.pos++
		start := l.pos
		for l.pos < len(l.b) && !isSpace(l.b[l.pos]) && !isDelim(l.b[l.pos]) {
			l.pos++
		}
		return pdfName(decodeNameEscapes(string(l.b[start:l.pos]))), nil
	case c == '(':
		return l.literal()
	case c == '<' && l.pos+1 < len(l.b) && l.b[l.pos+1] == '<':
		l.pos += 2
		d := map[string]any{}
		for {
			l.skipSpace()
			if l.pos+1 < len(l.b) && l.b[l.pos] == '>' && l.b[l.pos+1] == '>' {
				l.pos += 2
				break
			}
			k, err := l.token()
			if err != nil {
				return nil, err
			}
			name, ok := k.(pdfName)
			if !ok {
				return nil, fmt.Errorf("dictionary key %v is not a name", k)
			}
			v, err := l.value()
			if err != nil {
				return nil, err
			}
			d[string(name)] = v
		}
		return d, nil
	case c == '<':
		l.pos++
		end := bytes.IndexByte(l.b[l.pos:], '>')
		if end < 0 {
			return nil, errEOF
		}
		hex := strings.Map(func(r rune) rune {
			if isSpace(byte(r)) {
				return -1
			}
			return r
		}, string(l.b[l.pos:l.pos+end]))
		l.pos += end + 1
		if len(hex)%2 == 1 {
			hex += "0"
		}
		out := make([]byte, len(hex)/2)
		for i := range out {
			v, err := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
			if err != nil {
				return nil, fmt.Errorf("bad hex string")
			}
			out[i] = byte(v)
		}
		return string(out), nil
	case c == '[':
		l.pos++
		var arr []any
		for {
			l.skipSpace()
			if l.pos < len(l.b) && l.b[l.pos] == ']' {
				l.pos++
				return arr, nil
			}
			v, err := l.value()
			if err != nil {
				return nil, err
			}
			arr = append(arr, v)
		}
	case c == ']' || c == '>' || c == ')' || c == '{' || c == '}':
		l.pos++
		return pdfOp(string(c)), nil
	}
	start := l.pos
	for l.pos < len(l.b) && !isSpace(l.b[l.pos]) && !isDelim(l.b[l.pos]) {
		l.pos++
	}
	w := string(l.b[start:l.pos])
	if n, err := strconv.ParseFloat(w, 64); err == nil {
		return n, nil
	}
	switch w {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	return pdfOp(w), nil
}

func decodeNameEscapes(s string) string {
	if !strings.Contains(s, "#") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '#' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func (l *lexer) literal() (any, error) {
	l.pos++ // (
	var out []byte
	depth := 1
	for l.pos < len(l.b) {
		c := l.b[l.pos]
		l.pos++
		switch c {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return string(out), nil
			}
		case '\\':
			if l.pos >= len(l.b) {
				return nil, errEOF
			}
			e := l.b[l.pos]
			l.pos++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r':
				if l.pos < len(l.b) && l.b[l.pos] == '\n' {
					l.pos++
				}
				continue
			case '\n':
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && l.pos < len(l.b) && l.b[l.pos] >= '0' && l.b[l.pos] <= '7'; k++ {
						v = v*8 + int(l.b[l.pos]-'0')
						l.pos++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		out = append(out, c)
	}
	return nil, errEOF
}

// pageText returns the strings a page's content shows, a line break after each text line.
func pageText(content []byte) string {
	var text strings.Builder
	var operands []any
	lineHasText := false
	newline := func() {
		if lineHasText {
			text.WriteByte('\n')
			lineHasText = false
		}
	}
	show := func(s string) {
		text.WriteString(s)
		if s != "" {
			lineHasText = true
		}
	}
	l := &lexer{b: content}
	for {
		v, err := l.token()
		if err != nil {
			break
		}
		op, isOp := v.(pdfOp)
		if !isOp {
			operands = append(operands, v)
			continue
		}
		switch op {
		case "Tj":
			if len(operands) > 0 {
				s, _ := operands[len(operands)-1].(string)
				show(s)
			}
		case "TJ":
			if len(operands) > 0 {
				arr, _ := operands[len(operands)-1].([]any)
				for _, e := range arr {
					if s, ok := e.(string); ok {
						show(s)
					}
				}
			}
		case "'", "\"":
			newline()
			if len(operands) > 0 {
				s, _ := operands[len(operands)-1].(string)
				show(s)
			}
		case "Td", "TD", "T*", "Tm", "ET":
			newline()
		case "ID":
			// Inline image data runs up to "EI".
			if e := bytes.Index(content[l.pos:], []byte("EI")); e >= 0 {
				l.pos += e + 2
			}
		}
		operands = operands[:0]
	}
	return text.String()
}

// pdfTexts reads a PDF and returns the text of each page, in page order.
func pdfTexts(data []byte) ([]string, error) {
	pages, err := pdfPages(data)
	if err != nil {
		return nil, err
	}
	texts := make([]string, len(pages))
	for i, c := range pages {
		texts[i] = pageText(c)
	}
	return texts, nil
}

// pdfPages reads a PDF with pdfcpu and returns each page's content (its content streams, decoded and
// joined), in page order.
func pdfPages(data []byte) (pages [][]byte, err error) {
	defer func() {
		// A hostile or broken file must be an error, never a crash of the harness.
		if p := recover(); p != nil {
			pages, err = nil, fmt.Errorf("read PDF: %v", p)
		}
	}()
	ctx := context.Background()
	pc, err := api.ReadContext(ctx, bytes.NewReader(data), model.NewStatelessConfiguration())
	if err != nil {
		return nil, fmt.Errorf("read PDF: %w", err)
	}
	if err := pc.EnsurePageCount(); err != nil {
		return nil, fmt.Errorf("read PDF: %w", err)
	}
	if pc.PageCount == 0 {
		return nil, fmt.Errorf("read PDF: no pages")
	}
	for i := 1; i <= pc.PageCount; i++ {
		r, err := pdfcpu.ExtractPageContent(ctx, pc, i)
		if err != nil {
			return nil, fmt.Errorf("read PDF: %w", err)
		}
		content, err := io.ReadAll(r)
		if err != nil {
			return nil, fmt.Errorf("read PDF page %d: %w", i, err)
		}
		pages = append(pages, content)
	}
	return pages, nil
}
