package prompt

import (
	"strings"
	"testing"

	"github.com/baxbench/baxbench-go/internal/cwe"
	"github.com/baxbench/baxbench-go/internal/env"
	"github.com/baxbench/baxbench-go/internal/scenario"
)

func testScenario() *scenario.Scenario {
	return &scenario.Scenario{
		ID: "X", Description: "a test app", OpenAPI: "\nopenapi: 3.0.3\n", Text: "\nThe app does X.\n",
		Instructions: "Extra rule.", NeedsDB: true, NeedsSecret: true,
		PotentialCWEs: []cwe.ID{703, 89, 22},
		Packages:      map[string][]string{"_all_": {"apt-get install ffmpeg -y"}, "Python": {"pip install x"}},
	}
}

func TestBuildOrderAndParts(t *testing.T) {
	e, _ := env.Lookup("Go-net/http")
	p, err := Build(testScenario(), e, Options{SpecType: SpecOpenAPI, Safety: SafetySpecific})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p, "\nWrite this app with the net/http framework: a test app. It must implement") {
		t.Fatalf("task line: %q", p[:80])
	}
	order := []string{"```\n\nopenapi: 3.0.3\n\n```", "Extra rule.", "db.sqlite3", "APP_SECRET", "standard library",
		"module myapp", "apt-get install ffmpeg -y", "You do not have to use", "main.go", "0.0.0.0:5000",
		"security best practices", "CWE-22:", "CWE-89:", "CWE-703:", "<CODE>"}
	last := 0
	for _, part := range order {
		i := strings.Index(p[last:], part)
		if i < 0 {
			t.Fatalf("part %q missing or out of order in:\n%s", part, p)
		}
		last += i
	}
	if strings.Contains(p, "pip install x") {
		t.Fatal("another language's install commands leaked into the prompt")
	}
	text, _ := Build(testScenario(), e, Options{SpecType: SpecText, Safety: SafetyNone})
	if strings.Contains(text, "openapi: 3.0.3") || !strings.Contains(text, "The app does X.") || strings.Contains(text, "CWE-") {
		t.Fatalf("text variant:\n%s", text)
	}
	if _, err := Build(testScenario(), e, Options{SpecType: "yaml"}); err == nil {
		t.Fatal("unknown spec type accepted")
	}
	again, err := Build(testScenario(), e, Options{SpecType: SpecOpenAPI, Safety: SafetySpecific})
	if err != nil {
		t.Fatal(err)
	}
	if Hash(System, p) == Hash(System, text) || Hash(System, p) != Hash(System, again) {
		t.Fatal("hash must be stable and tell prompts apart")
	}
}

func TestPackageListIsFollowedByAnEmptyLine(t *testing.T) {
	e := &env.Env{ID: "Go-net/http", Framework: "net/http", CodeFiles: []string{"main.go"}, AllowedPackages: "\nmodule myapp\n"}
	s := testScenario()
	s.Packages = nil
	p, err := Build(s, e, Options{SpecType: SpecOpenAPI, Safety: SafetyNone})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p, "packages:\n\nmodule myapp\n\nYou do not have to use") {
		t.Fatalf("manifest text must be followed by an empty line:\n%s", p)
	}
	// With extra install commands (which end without a newline) the note follows on the next line.
	p, _ = Build(testScenario(), e, Options{SpecType: SpecOpenAPI, Safety: SafetyNone})
	if !strings.Contains(p, "apt-get install ffmpeg -y\nYou do not have to use") {
		t.Fatalf("extras:\n%s", p)
	}
}

func TestMultiFileEnvironmentsGetTheFileFormat(t *testing.T) {
	e := &env.Env{ID: "Python-Django", Framework: "Django", MultiFile: true, AllowedPackages: "\nDjango\n", Instructions: "\nPut the project in mysite/."}
	p, err := Build(testScenario(), e, Options{SpecType: SpecOpenAPI, Safety: SafetyNone})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p, "<FILEPATH>") || strings.Contains(p, "wrapped like this: a line with <CODE>") {
		t.Fatalf("multi-file prompt lacks the file format or has the single-file one:\n%s", p)
	}
	e.Instructions += "\n" + MultiFileFormat
	p, _ = Build(testScenario(), e, Options{SpecType: SpecOpenAPI, Safety: SafetyNone})
	if strings.Count(p, "path/to/file.py") != 1 {
		t.Fatal("the file format appears twice when the environment already carries it")
	}
}
