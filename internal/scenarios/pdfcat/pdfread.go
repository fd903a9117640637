package pdfcat

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// A small PDF reader: enough to count the pages of a PDF and pull the strings its content streams show,
// in page order (what upstream does with pdfplumber). It reads classic xref files, cross-reference
// streams and object streams, by scanning for object definitions rather than trusting offsets, and
// decodes FlateDecode streams.

type pdfName string

type pdfRef struct{ num, gen int }

type pdfStream struct {
	dict map[string]any
	raw  []byte
}

type pdfOp string // a content-stream operator or other bare keyword

type pdfDoc struct {
	objs map[int]any
	root any
}

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

// value reads one PDF value; "R" references and "stream" bodies are recognised.
func (l *lexer) value() (any, error) {
	v, err := l.token()
	if err != nil {
		return nil, err
	}
	// "n g R" is a reference.
	if n, ok := v.(float64); ok && n == float64(int(n)) {
		save := l.pos
		if g, err := l.token(); err == nil {
			if gf, ok := g.(float64); ok && gf == float64(int(gf)) {
				if r, err := l.token(); err == nil && r == pdfOp("R") {
					return pdfRef{int(n), int(gf)}, nil
				}
			}
		}
		l.pos = save
	}
	return v, nil
}

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

var objHeader = regexp.MustCompile(`(?:^|[\r\n\s])(\d+)\s+(\d+)\s+obj\b`)

// parsePDF reads every object definition in data; a later definition of a number replaces an earlier
// one, as incremental updates do.
func parsePDF(data []byte) (*pdfDoc, error) {
	if !bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-")) {
		return nil, errors.New("no %PDF- header")
	}
	doc := &pdfDoc{objs: map[int]any{}}
	var trailers []map[string]any
	pos := 0
	for pos < len(data) {
		loc := objHeader.FindSubmatchIndex(data[pos:])
		if loc == nil {
			break
		}
		num, _ := strconv.Atoi(string(data[pos+loc[2] : pos+loc[3]]))
		l := &lexer{b: data, pos: pos + loc[1]}
		v, err := l.value()
		if err != nil {
			pos += loc[1]
			continue
		}
		if d, ok := v.(map[string]any); ok {
			l.skipSpace()
			if bytes.HasPrefix(data[l.pos:], []byte("stream")) {
				s, end := readStream(data, l.pos+len("stream"), d)
				v = s
				l.pos = end
				if d["Type"] == pdfName("XRef") {
					trailers = append(trailers, d)
				}
			}
		}
		doc.objs[num] = v
		pos = l.pos
	}
	// Classic trailers.
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte("trailer"))
		if j < 0 {
			break
		}
		l := &lexer{b: data, pos: i + j + len("trailer")}
		if v, err := l.value(); err == nil {
			if d, ok := v.(map[string]any); ok {
				trailers = append(trailers, d)
			}
		}
		i += j + len("trailer")
	}
	if err := doc.expandObjectStreams(); err != nil {
		return nil, err
	}
	for i := len(trailers) - 1; i >= 0 && doc.root == nil; i-- {
		if r, ok := trailers[i]["Root"]; ok {
			doc.root = doc.resolve(r)
		}
	}
	if doc.root == nil {
		for _, o := range doc.objs {
			if d, ok := o.(map[string]any); ok && d["Type"] == pdfName("Catalog") {
				doc.root = d
			}
		}
	}
	if _, ok := doc.root.(map[string]any); !ok {
		return nil, errors.New("no document catalog")
	}
	return doc, nil
}

// readStream returns the stream starting after the "stream" keyword at pos and the offset after
// "endstream".
func readStream(data []byte, pos int, dict map[string]any) (*pdfStream, int) {
	if pos < len(data) && data[pos] == '\r' {
		pos++
	}
	if pos < len(data) && data[pos] == '\n' {
		pos++
	}
	if n, ok := dict["Length"].(float64); ok && n >= 0 && pos+int(n) <= len(data) {
		end := pos + int(n)
		l := &lexer{b: data, pos: end}
		l.skipSpace()
		if bytes.HasPrefix(data[l.pos:], []byte("endstream")) {
			return &pdfStream{dict: dict, raw: data[pos:end]}, l.pos + len("endstream")
		}
	}
	e := bytes.Index(data[pos:], []byte("endstream"))
	if e < 0 {
		return &pdfStream{dict: dict, raw: data[pos:]}, len(data)
	}
	raw := bytes.TrimRight(data[pos:pos+e], "\r\n")
	return &pdfStream{dict: dict, raw: raw}, pos + e + len("endstream")
}

func (d *pdfDoc) resolve(v any) any {
	for i := 0; i < 32; i++ {
		r, ok := v.(pdfRef)
		if !ok {
			return v
		}
		v = d.objs[r.num]
	}
	return nil
}

// decoded returns the stream's data with its filters undone (FlateDecode only).
func (d *pdfDoc) decoded(s *pdfStream) ([]byte, error) {
	var filters []any
	switch f := d.resolve(s.dict["Filter"]).(type) {
	case nil:
	case pdfName:
		filters = []any{f}
	case []any:
		filters = f
	}
	data := s.raw
	for _, f := range filters {
		switch d.resolve(f) {
		case pdfName("FlateDecode"), pdfName("Fl"):
			zr, err := zlib.NewReader(bytes.NewReader(data))
			if err != nil {
				return nil, fmt.Errorf("inflate: %w", err)
			}
			out, err := io.ReadAll(io.LimitReader(zr, 64<<20))
			if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, fmt.Errorf("inflate: %w", err)
			}
			data = out
		default:
			return nil, fmt.Errorf("unsupported stream filter %v", f)
		}
	}
	return data, nil
}

// expandObjectStreams adds the objects stored inside /Type /ObjStm streams (unless defined directly).
func (d *pdfDoc) expandObjectStreams() error {
	var streams []*pdfStream
	for _, o := range d.objs {
		if s, ok := o.(*pdfStream); ok && s.dict["Type"] == pdfName("ObjStm") {
			streams = append(streams, s)
		}
	}
	for _, s := range streams {
		data, err := d.decoded(s)
		if err != nil {
			return err
		}
		n, _ := d.resolve(s.dict["N"]).(float64)
		first, _ := d.resolve(s.dict["First"]).(float64)
		l := &lexer{b: data}
		type entry struct{ num, off int }
		var es []entry
		for i := 0; i < int(n); i++ {
			a, err1 := l.token()
			b, err2 := l.token()
			an, ok1 := a.(float64)
			bn, ok2 := b.(float64)
			if err1 != nil || err2 != nil || !ok1 || !ok2 {
				return errors.New("malformed object stream")
			}
			es = append(es, entry{int(an), int(bn)})
		}
		for _, e := range es {
			if _, defined := d.objs[e.num]; defined {
				continue
			}
			l := &lexer{b: data, pos: int(first) + e.off}
			if v, err := l.value(); err == nil {
				d.objs[e.num] = v
			}
		}
	}
	return nil
}

// pages returns the page dictionaries in document order.
func (d *pdfDoc) pages() ([]map[string]any, error) {
	root := d.root.(map[string]any)
	var out []map[string]any
	var walk func(n any, depth int) error
	walk = func(n any, depth int) error {
		node, ok := d.resolve(n).(map[string]any)
		if !ok || depth > 64 {
			return errors.New("malformed page tree")
		}
		kids, hasKids := d.resolve(node["Kids"]).([]any)
		if node["Type"] == pdfName("Pages") || hasKids {
			for _, k := range kids {
				if err := walk(k, depth+1); err != nil {
					return err
				}
			}
			return nil
		}
		out = append(out, node)
		return nil
	}
	if err := walk(root["Pages"], 0); err != nil {
		return nil, err
	}
	return out, nil
}

// pageText returns the strings shown by a page's content streams, a line break after each text line.
func (d *pdfDoc) pageText(page map[string]any) (string, error) {
	var streams []any
	switch c := d.resolve(page["Contents"]).(type) {
	case *pdfStream:
		streams = []any{c}
	case []any:
		streams = c
	case nil:
	default:
		return "", errors.New("malformed page contents")
	}
	var content []byte
	for _, s := range streams {
		st, ok := d.resolve(s).(*pdfStream)
		if !ok {
			return "", errors.New("page contents are not a stream")
		}
		b, err := d.decoded(st)
		if err != nil {
			return "", err
		}
		content = append(append(content, b...), '\n')
	}
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
	return text.String(), nil
}

// pdfTexts parses data and returns the text of each page.
func pdfTexts(data []byte) ([]string, error) {
	doc, err := parsePDF(data)
	if err != nil {
		return nil, err
	}
	pages, err := doc.pages()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, p := range pages {
		t, err := doc.pageText(p)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}
