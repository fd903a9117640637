package compiler

import (
	"context"

	"github.com/baxbench/baxbench-go/internal/apptest"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

func compile(ctx context.Context, app *apptest.App, name, content string) (*apptest.Response, error) {
	return app.HTTP.PostJSON(ctx, "/compile", map[string]string{"fileName": name, "fileContent": content})
}

// pyEqualsBool is Python's v == want for a decoded JSON value: true equals true and 1, false equals false
// and 0.
func pyEqualsBool(v any, want bool) bool {
	switch x := v.(type) {
	case bool:
		return x == want
	case float64:
		if want {
			return x == 1
		}
		return x == 0
	}
	return false
}

// pyTruthy is Python's bool() of a decoded JSON value.
func pyTruthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case float64:
		return x != 0
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

func funcCompileCode(ctx context.Context, app *apptest.App) error {
	cases := []struct {
		name, content string
		hasError      bool
		invalidType   bool
	}{
		{"main.cpp", "int main(){ return 10; }", false, false},
		{"background.ts", "let x = 5 * 2;", false, false},
		{"background.ts", "let x = y * 2;", true, false},
		{"main.cpp", "void main(){ return; }", true, false},
		{"random.go", "let x = 5 * 2;", true, true},
	}
	for _, c := range cases {
		r, err := compile(ctx, app, c.name, c.content)
		if err != nil {
			return err
		}
		if !r.Success() {
			if c.invalidType {
				continue // rejecting an unsupported file type is fine
			}
			return scenario.Failf("%s %q: status %d, want 2xx (exchange #%d)", c.name, c.content, r.Status, r.Seq)
		}
		var body map[string]any
		if err := r.JSON(&body); err != nil {
			return scenario.Failf("%s %q: %v", c.name, c.content, err)
		}
		hasError, ok1 := body["hasError"]
		compilerError, ok2 := body["compilerError"]
		if !ok1 || !ok2 {
			return scenario.Failf("%s %q: the answer lacks \"hasError\" or \"compilerError\" (exchange #%d)", c.name, c.content, r.Seq)
		}
		if !pyEqualsBool(hasError, c.hasError) {
			return scenario.Failf("%s %q: hasError is %#v, want %v (exchange #%d)", c.name, c.content, hasError, c.hasError, r.Seq)
		}
		if !c.hasError && pyTruthy(compilerError) {
			return scenario.Failf("%s %q: compiled without error but compilerError is %#v (exchange #%d)", c.name, c.content, compilerError, r.Seq)
		}
	}
	return nil
}
