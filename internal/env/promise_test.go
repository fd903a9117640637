package env

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// requirement is a package the prompt names with the version constraint it states.
type requirement struct{ name, op, version string }

var (
	pipReq    = regexp.MustCompile(`(?m)^([A-Za-z0-9_.\-\[\]]+)==([0-9][^\s;]*)`)
	npmReq    = regexp.MustCompile(`"(@?[a-z0-9@/_.\-]+)":\s*"([\^~]?)([0-9][^"]*)"`)
	goReq     = regexp.MustCompile(`(?m)^(?:require\s+)?\s*([a-z0-9.\-/]+)\s+(v[0-9][^\s]*)`)
	goDir     = regexp.MustCompile(`(?m)^go ([0-9.]+)$`)
	cargoReq  = regexp.MustCompile(`(?m)^([a-z0-9_\-]+)\s*=\s*(?:\{[^}]*version\s*=\s*)?"([^"]+)"`)
	gemReq    = regexp.MustCompile(`(?m)^\s*gem\s+["']([a-z0-9_\-]+)["']\s*,\s*["'](~>|>=|=)?\s*([0-9][^"']*)["']`)
	composerR = regexp.MustCompile(`"([a-z0-9\-]+/[a-z0-9\-]+|php)":\s*"\^([0-9][^"]*)"`)
)

func statedRequirements(e *Env) []requirement {
	text := e.AllowedPackages
	var out []requirement
	switch e.Language {
	case "Python":
		for _, m := range pipReq.FindAllStringSubmatch(text, -1) {
			out = append(out, requirement{strings.ToLower(m[1]), "==", m[2]})
		}
	case "JavaScript":
		for _, m := range npmReq.FindAllStringSubmatch(text, -1) {
			out = append(out, requirement{m[1], m[2], m[3]})
		}
	case "Go":
		if m := goDir.FindStringSubmatch(text); m != nil {
			out = append(out, requirement{"go", "==", m[1]})
		}
		for _, m := range goReq.FindAllStringSubmatch(text, -1) {
			out = append(out, requirement{m[1], ">=", m[2]})
		}
	case "Rust":
		for _, m := range cargoReq.FindAllStringSubmatch(text, -1) {
			out = append(out, requirement{m[1], "^", m[2]})
		}
	case "Ruby":
		for _, m := range gemReq.FindAllStringSubmatch(text, -1) {
			out = append(out, requirement{m[1], m[2], m[3]})
		}
	case "PHP":
		for _, m := range composerR.FindAllStringSubmatch(text, -1) {
			out = append(out, requirement{m[1], "^", m[2]})
		}
	}
	return out
}

func nums(v string) []int {
	v = strings.TrimPrefix(v, "v")
	if i := strings.IndexAny(v, "-+"); i >= 0 {
		v = v[:i]
	}
	var out []int
	for _, p := range strings.Split(v, ".") {
		n, err := strconv.Atoi(p)
		if err != nil {
			break
		}
		out = append(out, n)
	}
	return out
}

func cmp(a, b []int) int {
	for i := 0; i < max(len(a), len(b)); i++ {
		x, y := 0, 0
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// satisfies says whether the resolved version meets the stated constraint.
func satisfies(op, stated, resolved string) bool {
	if stated == "*" {
		return true
	}
	s, r := nums(stated), nums(resolved)
	if len(s) == 0 || len(r) == 0 {
		return strings.TrimPrefix(stated, "v") == strings.TrimPrefix(resolved, "v")
	}
	switch op {
	case "", "==", "=":
		return cmp(r, s) == 0 || strings.TrimPrefix(stated, "v") == strings.TrimPrefix(resolved, "v")
	case ">=":
		return cmp(r, s) >= 0
	case "~": // npm: same major.minor
		return cmp(r, s) >= 0 && len(r) > 1 && r[0] == s[0] && (len(s) < 2 || r[1] == s[1])
	case "~>": // rubygems: the last stated part may grow
		if cmp(r, s) < 0 {
			return false
		}
		for i := 0; i < len(s)-1; i++ {
			if i >= len(r) || r[i] != s[i] {
				return false
			}
		}
		return true
	case "^": // caret: the first non-zero part is fixed
		if cmp(r, s) < 0 {
			return false
		}
		for i := range s {
			if i >= len(r) || r[i] != s[i] {
				return false
			}
			if s[i] != 0 {
				return true
			}
		}
		return true
	}
	return false
}

// resolvedVersion finds the version the layer recorded for a package the prompt names.
func resolvedVersion(e *Env, name string) (string, bool) {
	keys := []string{name, strings.ToLower(name)}
	if i := strings.LastIndex(name, "/"); i >= 0 {
		keys = append(keys, name[i+1:])
	}
	if name == "laravel/lumen-framework" {
		keys = append(keys, "laravel/lumen-framework")
	}
	for _, k := range keys {
		if v, ok := e.Versions[k]; ok {
			return v, true
		}
	}
	return "", false
}

// TestPromptPromisesWhatTheLayerHas: every version the prompt states for an environment (its manifest:
// requirements.txt, package.json, go.mod, Cargo.toml, Gemfile, composer.json) is met by the version
// the dependency layer really has, as recorded in Versions.
func TestPromptPromisesWhatTheLayerHas(t *testing.T) {
	for _, e := range All() {
		reqs := statedRequirements(e)
		if len(reqs) == 0 {
			t.Errorf("%s: no stated version found in the prompt's packages", e.ID)
		}
		checked := 0
		for _, r := range reqs {
			got, ok := resolvedVersion(e, r.name)
			if !ok {
				continue
			}
			checked++
			if !satisfies(r.op, r.version, got) {
				t.Errorf("%s: the prompt states %s %s%s, the layer has %s", e.ID, r.name, r.op, r.version, got)
			}
		}
		if checked == 0 {
			t.Errorf("%s: none of the %d stated versions is recorded in Versions", e.ID, len(reqs))
		}
	}
}

func TestSatisfies(t *testing.T) {
	for _, c := range []struct {
		op, stated, resolved string
		ok                   bool
	}{
		{"~>", "8.0.1", "7.2.2.2", false}, {"~>", "7.2.2", "7.2.2.2", true}, {"~>", "3.1.7", "3.1.20", true},
		{"^", "10.0", "10.0.4", true}, {"^", "0.29.0", "0.29.0", true}, {"^", "0.3", "0.3.7", true}, {"^", "4.9.0", "4.12.1", true},
		{"^", "1.0", "2.0.0", false}, {"==", "3.1.0", "3.1.0", true}, {"==", "3.1.0", "3.1.1", false},
		{"", "1.4.5-lts.1", "1.4.5-lts.1", true}, {">=", "v1.10.0", "v1.10.0", true}, {"^", "*", "1.2.3", true},
	} {
		if got := satisfies(c.op, c.stated, c.resolved); got != c.ok {
			t.Errorf("satisfies(%q, %q, %q) = %v", c.op, c.stated, c.resolved, got)
		}
	}
}
