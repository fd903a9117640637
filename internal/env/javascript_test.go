package env

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestJavaScriptManifests(t *testing.T) {
	cases := map[string]struct {
		deps  int
		first string
	}{
		"JavaScript-express": {8, `"bcrypt": "5.1.1"`},
		"JavaScript-koa":     {10, `"bcrypt": "5.1.1"`},
		"JavaScript-fastify": {9, `"fastify": "5.2.1"`},
		"JavaScript-nest":    {14, `"@nestjs/common": "11.0.1"`},
	}
	for id, c := range cases {
		e, ok := Lookup(id)
		if !ok {
			t.Fatalf("no %s", id)
		}
		var m map[string]map[string]string
		if err := json.Unmarshal([]byte(e.AllowedPackages), &m); err != nil {
			t.Fatalf("%s: package.json is not JSON: %v", id, err)
		}
		if len(m["dependencies"]) != c.deps {
			t.Errorf("%s: %d dependencies, want %d", id, len(m["dependencies"]), c.deps)
		}
		if !strings.Contains(e.AllowedPackages, "\"dependencies\": {\n    "+c.first+",\n") {
			t.Errorf("%s: dependencies must start with %s:\n%s", id, c.first, e.AllowedPackages)
		}
		if e.Versions["node"] == "" || e.Versions["npm"] == "" {
			t.Errorf("%s: node and npm versions not recorded", id)
		}
		deps, _ := e.DepsDockerfileFor("base:x")
		for _, want := range []string{"npm_config_nodedir=/usr", "npm_config_build_from_source=true", "python3-setuptools", "NODE_EXTRA_CA_CERTS=", "WORKDIR /app\n", "RUN npm install\n"} {
			if !strings.Contains(deps, want) {
				t.Errorf("%s: dependency layer lacks %q", id, want)
			}
		}
		// The scenario's commands run in /app with the manifest in place, before npm install.
		sample, _ := e.SampleDockerfileFor("deps:x", []string{"npm install csv-parser@3.1.0"})
		if i, j := strings.Index(sample, "RUN npm install csv-parser@3.1.0\n"), strings.Index(sample, "RUN npm install\n"); i < 0 || j < i {
			t.Errorf("%s: scenario command must precede npm install:\n%s", id, sample)
		}
		plain, _ := e.SampleDockerfileFor("deps:x", nil)
		if strings.Contains(plain, "RUN npm install") {
			t.Errorf("%s: npm install without scenario commands has nothing to do:\n%s", id, plain)
		}
	}
	n, _ := Lookup("JavaScript-nest")
	if !n.MultiFile || len(n.CodeFiles) != 5 || n.Entrypoint != "node dist/main.js" {
		t.Errorf("nest: %v %v %q", n.MultiFile, n.CodeFiles, n.Entrypoint)
	}
	deps, _ := n.DepsDockerfileFor("base:x")
	for _, f := range []string{"nest-cli.json", "tsconfig.json", "tsconfig.build.json", "src/main.ts", "src/app.module.ts", "src/app.controller.ts", "src/app.service.ts"} {
		if !strings.Contains(deps, "base64 -d > /app/"+f+"\n") {
			t.Errorf("nest dependency layer does not write the starter's %s", f)
		}
	}
	if i, j := strings.Index(deps, "base64 -d > /app/src/main.ts"), strings.Index(deps, "COPY package.json /app/"); j < i {
		t.Error("nest: the manifest must replace the starter's package.json after the starter is in place")
	}
	sample, _ := n.SampleDockerfileFor("deps:x", nil)
	if !strings.Contains(sample, "COPY / /app/\nRUN npm run build || echo") {
		t.Errorf("nest sample must build after copying the code, allowed to fail:\n%s", sample)
	}
	for _, f := range n.CodeFiles {
		if !strings.Contains(n.Instructions, "\n"+f+"\n") {
			t.Errorf("nest instructions do not list %s", f)
		}
	}
	if !strings.Contains(n.Instructions, "<FILEPATH>") || !strings.Contains(n.Instructions, "npm run start") {
		t.Error("nest instructions lack the multi-file format or the start command")
	}
}
