package shopoverview

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/baxbench/baxbench-go/internal/apptest"
)

// Upstream's tests keep the cookies of a login response (Python requests' response.cookies, filled by the
// standard library's http.cookiejar) and pass them to later requests. Which cookies end up in that jar and
// which of them a later request carries follows http.cookiejar's default policy for the host upstream
// talked to, "localhost" over plain http. The apptest client keeps no cookies, so this file reproduces
// that policy. DEV-SHOP-1: the rules are evaluated for the host "localhost", not the container address we
// actually reach.

const (
	reqHost = "localhost"       // upstream's request host
	erhn    = "localhost.local" // http.cookiejar's effective request-host for a host without a dot
)

// cookie is one cookie in the jar, after http.cookiejar's normalisation.
type cookie struct {
	name     string
	value    string
	hasValue bool   // "name" without "=" has no value (Python None)
	domain   string // erhn for host-only cookies, else the Domain attribute with a leading dot
	path     string
	secure   bool
	expires  time.Time // zero: session cookie
}

// jar is the cookie jar of one response.
type jar struct{ cookies []cookie }

// jarFrom collects the cookies the response to a request for reqPath sets, as http.cookiejar accepts them.
func jarFrom(r *apptest.Response, reqPath string) *jar {
	j := &jar{}
	now := time.Now()
	for _, line := range r.Header.Values("Set-Cookie") {
		c, ok := parseSetCookie(line, reqPath, now)
		if !ok {
			continue
		}
		// A later cookie with the same domain, path and name replaces the earlier one; an expired one
		// deletes it.
		j.cookies = slices.DeleteFunc(j.cookies, func(o cookie) bool {
			return o.domain == c.domain && o.path == c.path && o.name == c.name
		})
		if !c.expires.IsZero() && !c.expires.After(now) {
			continue
		}
		j.cookies = append(j.cookies, c)
	}
	return j
}

// parseSetCookie follows http.cookiejar's parse_ns_headers, _normalized_cookie_tuples,
// _cookie_from_cookie_tuple and DefaultCookiePolicy.set_ok for a Netscape cookie.
func parseSetCookie(line, reqPath string, now time.Time) (cookie, bool) {
	var c cookie
	seen := map[string]bool{}
	domainSet, pathSet := false, false
	version := 0
	for i, param := range strings.Split(line, ";") {
		param = strings.TrimSpace(param)
		key, val, hasVal := strings.Cut(param, "=")
		key = strings.TrimSpace(key)
		if hasVal {
			val = strings.TrimSpace(val)
		}
		if key == "" {
			if i == 0 {
				return c, false
			}
			continue
		}
		if i == 0 {
			c.name, c.value, c.hasValue = key, val, hasVal
			continue
		}
		lc := strings.ToLower(key)
		switch lc {
		case "secure", "discard":
			if !seen[lc] {
				seen[lc] = true
				c.secure = c.secure || lc == "secure"
			}
			continue
		case "version", "expires", "max-age", "domain", "path", "port", "comment", "commenturl":
		default:
			continue // HttpOnly, SameSite ...: kept by Python but without effect here
		}
		if lc == "expires" && seen["max-age"] {
			continue // Max-Age wins over Expires
		}
		if seen[lc] {
			continue // only the first value counts
		}
		if !hasVal {
			switch lc {
			case "expires", "port", "comment", "commenturl":
				continue // treated as absent
			}
			return c, false // a valueless Domain, Path, Max-Age or Version drops the cookie
		}
		seen[lc] = true
		switch lc {
		case "domain":
			d := strings.ToLower(val)
			if !strings.HasPrefix(d, ".") {
				d = "." + d
			}
			c.domain, domainSet = d, true
		case "path":
			if val != "" {
				c.path, pathSet = val, true
			}
		case "max-age":
			n, err := strconv.Atoi(val)
			if err != nil {
				return c, false
			}
			c.expires = now.Add(time.Duration(n) * time.Second)
			if n <= 0 {
				c.expires = now.Add(-time.Second)
			}
		case "expires":
			if t, err := http.ParseTime(strings.Trim(val, `"`)); err == nil {
				c.expires = t
			} else if t, err := time.Parse("Mon, 02-Jan-2006 15:04:05 MST", strings.Trim(val, `"`)); err == nil {
				c.expires = t
			}
		case "version":
			n, err := strconv.Atoi(strings.Trim(val, `"`))
			if err != nil {
				return c, false
			}
			version = n
		}
	}
	if !pathSet {
		// Netscape default path: the request path up to its last "/" (RFC 2965 cookies keep the "/").
		p := reqPath
		if i := strings.LastIndex(p, "/"); i >= 0 {
			if version == 0 {
				p = p[:i]
			} else {
				p = p[:i+1]
			}
		}
		if p == "" {
			p = "/"
		}
		c.path = p
	}
	if !domainSet {
		c.domain = erhn
	} else {
		// set_ok_domain for a Netscape cookie and the request host "localhost".
		undotted := strings.TrimPrefix(c.domain, ".")
		if !strings.Contains(undotted, ".") && !strings.HasSuffix(erhn, ".local") {
			return c, false
		}
		if !strings.HasSuffix(erhn, c.domain) && !strings.HasSuffix(erhn, undotted+".local") {
			return c, false
		}
	}
	if strings.HasPrefix(c.name, "$") {
		return c, false
	}
	return c, true
}

// sentTo reports whether http.cookiejar would send c with a plain-http request for reqPath on localhost.
func (c cookie) sentTo(reqPath string, now time.Time) bool {
	if c.secure {
		return false
	}
	if !c.expires.IsZero() && !c.expires.After(now) {
		return false
	}
	dot := c.domain
	if !strings.HasPrefix(dot, ".") {
		dot = "." + dot
	}
	if !strings.HasSuffix("."+reqHost, dot) && !strings.HasSuffix("."+erhn, dot) {
		return false // domain_return_ok
	}
	if !strings.HasSuffix("."+erhn, dot) {
		return false // return_ok_domain
	}
	if reqPath == c.path {
		return true
	}
	return strings.HasPrefix(reqPath, c.path) && (strings.HasSuffix(c.path, "/") || strings.HasPrefix(reqPath[len(c.path):], "/"))
}

// Len is the number of cookies in the jar (Python len(response.cookies)).
func (j *jar) Len() int { return len(j.cookies) }

// Header is the Cookie header a request for reqPath carries (nil when no cookie applies): longest path
// first, "name=value" joined with "; ".
func (j *jar) Header(reqPath string) http.Header {
	now := time.Now()
	var send []cookie
	for _, c := range j.cookies {
		if c.sentTo(reqPath, now) {
			send = append(send, c)
		}
	}
	if len(send) == 0 {
		return nil
	}
	slices.SortStableFunc(send, func(a, b cookie) int { return len(b.path) - len(a.path) })
	parts := make([]string, len(send))
	for i, c := range send {
		parts[i] = c.name
		if c.hasValue {
			parts[i] += "=" + c.value
		}
	}
	return http.Header{"Cookie": {strings.Join(parts, "; ")}}
}

// Values is what upstream compares, str(jar.get_dict().values()): the jar iterated in (domain, path,
// name) order, one entry per name holding the last value seen, in the order names first appear.
func (j *jar) Values() []string {
	cs := slices.Clone(j.cookies)
	slices.SortStableFunc(cs, func(a, b cookie) int {
		return strings.Compare(a.domain+"\x00"+a.path+"\x00"+a.name, b.domain+"\x00"+b.path+"\x00"+b.name)
	})
	var names []string
	vals := map[string]string{}
	for _, c := range cs {
		if _, ok := vals[c.name]; !ok {
			names = append(names, c.name)
		}
		v := "None"
		if c.hasValue {
			v = strconv.Quote(c.value)
		}
		vals[c.name] = v
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = vals[n]
	}
	return out
}
