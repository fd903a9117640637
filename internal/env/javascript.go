package env

import (
	"embed"
	"encoding/base64"
	"io/fs"
	"sort"
	"strings"
)

// JavaScript environments. Upstream builds on a node:22.12 registry image; no registry image can be
// pulled here, so Node.js and npm are Debian trixie's packages (Node 20). The npm packages come from
// the npm registry with upstream's exact manifests. Upstream ships no lockfile for express, koa and
// fastify, so npm resolves transitive dependencies when the dependency layer is built.

// Versions measured in the built dependency layers (node --version, npm --version). Versions records
// the runtime under the language's name too ("javascript"), as every environment does.
const (
	nodeVersion = "20.19.2"
	npmVersion  = "9.2.0"
)

// npmPin is one "name": "version" entry of a package.json map.
type npmPin struct{ name, version string }

// packageJSON renders a package.json like upstream's: two-space indentation, the maps in the given
// order, a leading empty line and a trailing newline (this text is also the allowed-packages text).
func packageJSON(sections ...npmSection) string {
	var b strings.Builder
	b.WriteString("\n{\n")
	for i, s := range sections {
		b.WriteString("  \"" + s.key + "\": {\n")
		for j, p := range s.pins {
			b.WriteString("    \"" + p.name + "\": \"" + p.version + "\"")
			if j < len(s.pins)-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString("  }")
		if i < len(sections)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("}\n")
	return b.String()
}

type npmSection struct {
	key  string
	pins []npmPin
}

// pins turns alternating names and versions into pins.
func pins(kv ...string) []npmPin {
	var out []npmPin
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, npmPin{kv[i], kv[i+1]})
	}
	return out
}

// jsToolchain installs Node.js, npm and what the native modules (bcrypt, sqlite3) need to compile from
// source without network access beyond the npm registry: their prebuilt binaries live on GitHub, which
// is unreachable, so the downloads are skipped (npm_config_build_from_source) and node-gyp uses the
// local Node headers (npm_config_nodedir) instead of fetching them. node-gyp needs distutils, which
// Python 3.13 only has through python3-setuptools. npm trusts the host CA through NODE_EXTRA_CA_CERTS.
const jsToolchain = `ENV DEBIAN_FRONTEND=noninteractive
COPY host-ca.crt /etc/ssl/certs/baxbench-host-ca.crt
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates nodejs npm node-gyp libnode-dev g++ make python3 python3-setuptools sqlite3 procps coreutils
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/baxbench-host-ca.crt SSL_CERT_FILE=/etc/ssl/certs/baxbench-host-ca.crt npm_config_nodedir=/usr npm_config_build_from_source=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
RUN node --version && npm --version
`

// jsDepsDockerfile: the dependency layer of express, koa and fastify: upstream's steps 1-6 without the
// scenario's commands: the work directory, the manifest and one npm install.
const jsDepsDockerfile = `FROM {{.Base}}
` + jsToolchain + `RUN mkdir -p /app
WORKDIR /app
COPY package.json package.json
RUN npm install
RUN npm ls --depth=0 || true
`

// jsSampleDockerfile: the rest of upstream's steps on top of the dependency layer. The layer's work
// directory is /app and holds the manifest, so the scenario's commands run where upstream runs them
// (after the manifest is copied, before npm install). npm install runs again only when there were such
// commands: otherwise it has nothing left to do.
const jsSampleDockerfile = `FROM {{.Deps}}
{{.Extra}}
WORKDIR /app
{{if .Extra}}RUN npm install
{{end}}COPY * /app/
ENV APP_SECRET={{.Secret}}
ENTRYPOINT {{.Entrypoint}}
`

const jsSingleFileInstructions = `You must write the whole app in one file, app.js. Do not create any other files.`

func jsEnv(id, framework string, deps []npmPin) *Env {
	manifest := packageJSON(npmSection{"dependencies", deps})
	versions := map[string]string{"javascript": nodeVersion, "node": nodeVersion, "npm": npmVersion}
	for _, p := range deps {
		versions[p.name] = p.version
	}
	return &Env{
		Registries:       npmRegistries(),
		ID:               id,
		Language:         "JavaScript",
		Framework:        framework,
		Extension:        "js",
		CodeFiles:        []string{"app.js"},
		Manifests:        []File{{Name: "package.json", Content: manifest}},
		AllowedPackages:  manifest,
		Instructions:     jsSingleFileInstructions,
		Entrypoint:       "node app.js",
		DepsDockerfile:   jsDepsDockerfile,
		SampleDockerfile: jsSampleDockerfile,
		Versions:         versions,
		Substitutes:      []string{"Node.js 20 and npm 9 from Debian trixie instead of the node:22.12 image; upstream's exact package versions from the npm registry, native modules compiled from source"},
	}
}

func jsExpress() *Env {
	return jsEnv("JavaScript-express", "express", pins(
		"bcrypt", "5.1.1",
		"dotenv", "16.4.7",
		"express", "4.21.2",
		"uuid", "11.0.3",
		"sqlite3", "5.1.7",
		"multer", "1.4.5-lts.1",
		"jsonwebtoken", "9.0.2",
		"cookie-parser", "1.4.7",
	))
}

func jsKoa() *Env {
	return jsEnv("JavaScript-koa", "koa", pins(
		"bcrypt", "5.1.1",
		"dotenv", "16.4.7",
		"koa", "2.15.3",
		"koa-bodyparser", "4.4.1",
		"koa-router", "13.0.1",
		"uuid", "11.0.3",
		"sqlite3", "5.1.7",
		"@koa/multer", "3.0.2",
		"jsonwebtoken", "9.0.2",
		"koa-session", "7.0.2",
	))
}

func jsFastify() *Env {
	// @koa/multer is in upstream's fastify manifest too.
	return jsEnv("JavaScript-fastify", "fastify", pins(
		"fastify", "5.2.1",
		"@fastify/multipart", "9.0.3",
		"@fastify/cookie", "11.0.2",
		"bcrypt", "5.1.1",
		"dotenv", "16.4.7",
		"uuid", "11.0.3",
		"sqlite3", "5.1.7",
		"@koa/multer", "3.0.2",
		"jsonwebtoken", "9.0.2",
	))
}

// nestStarter holds the files of a project made by `nest new` that upstream gets by cloning the
// NestJS typescript-starter from GitHub (unreachable here): configuration and the default sources.
//
//go:embed nest
var nestStarter embed.FS

// nestFiles are the files the model writes for NestJS, in upstream's order.
var nestFiles = []string{
	"src/app.controller.spec.ts",
	"src/app.controller.ts",
	"src/app.module.ts",
	"src/app.service.ts",
	"src/main.ts",
}

// nestStarterSteps writes the starter files into /app. They are part of the dependency layer, not
// manifests, so a generated file with the same path replaces the starter's, as in upstream's image.
func nestStarterSteps() string {
	var names []string
	err := fs.WalkDir(nestStarter, "nest", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, p)
		}
		return err
	})
	if err != nil {
		panic("env: NestJS starter files: " + err.Error())
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("RUN mkdir -p /app/src\n")
	for _, n := range names {
		data, err := nestStarter.ReadFile(n)
		if err != nil {
			panic("env: NestJS starter files: " + err.Error())
		}
		dst := "/app/" + strings.TrimPrefix(n, "nest/")
		b.WriteString("RUN echo " + base64.StdEncoding.EncodeToString(data) + " | base64 -d > " + dst + "\n")
	}
	return b.String()
}

// nestDepsDockerfile: upstream's steps 1-6 without the scenario's commands: the starter project in
// /app, the manifest replacing the starter's package.json, and one npm install.
func nestDepsDockerfile() string {
	return `FROM {{.Base}}
` + jsToolchain + nestStarterSteps() + `WORKDIR /app
COPY package.json /app/
RUN npm install
RUN npm ls --depth=0 || true
`
}

// nestSampleDockerfile: upstream's steps 7-10 (the build is allowed to fail; the app then cannot start).
const nestSampleDockerfile = `FROM {{.Deps}}
{{.Extra}}
WORKDIR /app
{{if .Extra}}RUN npm install
{{end}}COPY / /app/
RUN npm run build || echo "npm run build failed"
ENV APP_SECRET={{.Secret}}
ENTRYPOINT {{.Entrypoint}}
`

func nestInstructions() string {
	var b strings.Builder
	b.WriteString("\nThe NestJS project already exists, as `nest new` creates it. Write its source files; these are the files to populate:\n")
	for _, f := range nestFiles {
		b.WriteString(f + "\n")
	}
	b.WriteString(MultiFileFormat)
	b.WriteString("The command `npm run start` must start the app.")
	return b.String()
}

func jsNest() *Env {
	deps := pins(
		"@nestjs/common", "11.0.1",
		"@nestjs/core", "11.0.1",
		"@nestjs/platform-express", "11.0.1",
		"reflect-metadata", "0.2.2",
		"rxjs", "7.8.1",
		"bcrypt", "5.1.1",
		"dotenv", "16.4.7",
		"express", "4.21.2",
		"uuid", "11.0.3",
		"sqlite", "5.1.1",
		"sqlite3", "5.1.7",
		"multer", "1.4.5-lts.1",
		"cookie-parser", "1.4.7",
		"jsonwebtoken", "9.0.2",
	)
	dev := pins(
		"@nestjs/cli", "11.0.0",
		"@nestjs/schematics", "11.0.0",
		"@swc/cli", "0.6.0",
		"@swc/core", "1.10.8",
		"@types/express", "5.0.0",
		"@types/multer", "1.4.12",
		"@types/node", "22.10.7",
		"prettier", "3.4.2",
		"source-map-support", "0.5.21",
		"supertest", "7.0.0",
		"ts-loader", "9.5.2",
		"ts-node", "10.9.2",
		"typescript", "5.7.3",
	)
	manifest := packageJSON(
		npmSection{"scripts", pins("build", "nest build", "start", "nest start")},
		npmSection{"engines", pins("npm", ">=10.0.0", "node", ">=20.0.0")},
		npmSection{"dependencies", deps},
		npmSection{"devDependencies", dev},
	)
	versions := map[string]string{"javascript": nodeVersion, "node": nodeVersion, "npm": npmVersion}
	for _, p := range append(deps, dev...) {
		versions[p.name] = p.version
	}
	return &Env{
		Registries:       npmRegistries(),
		ID:               "JavaScript-nest",
		Language:         "JavaScript",
		Framework:        "nest",
		Extension:        "ts",
		CodeFiles:        nestFiles,
		MultiFile:        true,
		Manifests:        []File{{Name: "package.json", Content: manifest}},
		AllowedPackages:  manifest,
		Instructions:     nestInstructions(),
		Entrypoint:       "node dist/main.js",
		DepsDockerfile:   nestDepsDockerfile(),
		SampleDockerfile: nestSampleDockerfile,
		Versions:         versions,
		Substitutes:      []string{"Node.js 20 and npm 9 from Debian trixie instead of the node:22.12 image; upstream's exact package versions from the npm registry, native modules compiled from source"},
	}
}
