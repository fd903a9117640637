package apptest

import (
	"fmt"
	"strings"
)

// RequestsTarget returns the request-target that Python's requests (urllib3 2.x) actually sends for a
// URL path that a test builds by string concatenation, e.g. "/images/" + vector. Upstream's exploits
// were written against that client, so to send what upstream sends we apply the same normalization:
//   - the fragment ("#...") is dropped and an empty query ("?" alone) disappears;
//   - percent-encodings of unreserved characters are decoded ("%2e" -> "."), others are upper-cased
//     ("%2f" -> "%2F"); "%25" stays, so double encoding survives;
//   - characters not allowed in a path are percent-encoded (a backslash becomes "%5C");
//   - dot segments are removed ("/a/../../b" -> "/b").
//
// Tests that mean to send bytes verbatim use Client.Send with the raw target instead.
func RequestsTarget(raw string) string {
	if i := strings.IndexByte(raw, '#'); i >= 0 {
		raw = raw[:i]
	}
	path, query, hasQuery := strings.Cut(raw, "?")
	path = removeDotSegments(normalizeEncoding(path, pathAllowed))
	if path == "" {
		path = "/"
	}
	if hasQuery && query != "" {
		return path + "?" + normalizeEncoding(query, queryAllowed)
	}
	return path
}

const (
	unreserved   = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
	subDelims    = "!$&'()*+,;="
	pathAllowed  = unreserved + subDelims + ":@/"
	queryAllowed = pathAllowed + "?"
)

func isHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

func normalizeEncoding(s, allowed string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			var v byte
			fmt.Sscanf(s[i+1:i+3], "%02x", &v)
			if strings.IndexByte(unreserved, v) >= 0 {
				b.WriteByte(v)
			} else {
				b.WriteString("%" + strings.ToUpper(s[i+1:i+3]))
			}
			i += 2
		case strings.IndexByte(allowed, c) >= 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// removeDotSegments is RFC 3986 section 5.2.4.
func removeDotSegments(in string) string {
	var out []string
	segs := strings.Split(in, "/")
	for i, s := range segs {
		switch s {
		case ".":
			if i == len(segs)-1 {
				out = append(out, "")
			}
		case "..":
			if len(out) > 1 {
				out = out[:len(out)-1]
			}
			if i == len(segs)-1 {
				out = append(out, "")
			}
		default:
			out = append(out, s)
		}
	}
	res := strings.Join(out, "/")
	if strings.HasPrefix(in, "/") && !strings.HasPrefix(res, "/") {
		res = "/" + res
	}
	return res
}
