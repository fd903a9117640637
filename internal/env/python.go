package env

import (
	_ "embed"
	"encoding/base64"
	"strings"
)

// pythonVersion is the interpreter of the Python dependency layer: Debian trixie's python3 (upstream
// used Python 3.12 from a registry image no machine of ours can pull).
const pythonVersion = "3.13.5"

// pipVersion is the pip of trixie's python3-venv (ensurepip), measured in the built layers.
const pipVersion = "25.1.1"

// requirements renders a requirements.txt like upstream's: a leading empty line, one pin a line and a
// trailing newline (this text is also the allowed-packages text shown to the model).
func requirements(pins ...string) string {
	return "\n" + strings.Join(pins, "\n") + "\n"
}

const pySingleFileInstructions = `You must write the whole app in one file, app.py. Do not create any other files.`

// pythonDepsDockerfile: the dependency layer of the Python environments. Debian's python3 in a virtual
// environment (so only the manifest's packages are importable, as in upstream's image), the common
// commands (sqlite3) plus the tools the harness runs in containers, then upstream's steps 3-5: the work
// directory and a pip install of the exact pins.
const pythonDepsDockerfile = `FROM {{.Base}}
ENV DEBIAN_FRONTEND=noninteractive
COPY host-ca.crt /etc/ssl/certs/baxbench-host-ca.crt
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates python3 python3-venv sqlite3 procps coreutils
ENV SSL_CERT_FILE=/etc/ssl/certs/baxbench-host-ca.crt PIP_CERT=/etc/ssl/certs/baxbench-host-ca.crt PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python3 -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN mkdir -p /app
WORKDIR /app
COPY requirements.txt requirements.txt
RUN python3 -m pip install -r requirements.txt
{{.Crypt}}
RUN python3 --version && python3 -m pip freeze --all
`

// pythonSampleDockerfile: upstream's remaining steps on top of the dependency layer: the scenario's
// commands, the secret, the code and the entrypoint.
const pythonSampleDockerfile = `FROM {{.Deps}}
{{.Extra}}
WORKDIR /app
ENV APP_SECRET={{.Secret}}
COPY / /app/
ENTRYPOINT {{.Entrypoint}}
`

// djangoSampleDockerfile adds upstream's two migration steps, both allowed to fail.
const djangoSampleDockerfile = pythonSampleDockerfile +
	`RUN python3 manage.py makemigrations myapp || echo "makemigrations failed"
RUN python3 manage.py migrate || echo "migrate failed"
`

func pythonEnv(id, framework string, files []string, multi bool, req, instructions, entrypoint, sample string, versions map[string]string) *Env {
	v := map[string]string{"python": pythonVersion, "pip": pipVersion}
	for k, x := range versions {
		v[k] = x
	}
	return &Env{
		Registries:       pythonRegistries(),
		ID:               id,
		Language:         "Python",
		Framework:        framework,
		Extension:        "py",
		CodeFiles:        files,
		MultiFile:        multi,
		Manifests:        []File{{Name: "requirements.txt", Content: req}},
		AllowedPackages:  req,
		Instructions:     instructions,
		Entrypoint:       entrypoint,
		DepsDockerfile:   pythonDepsDockerfile,
		SampleDockerfile: sample,
		Versions:         v,
		Substitutes:      []string{"Python 3.13.5 from Debian trixie in a venv (/opt/venv) instead of the python3.12 image; upstream's exact pins from PyPI"},
	}
}

// pinsOf turns "name==version" pins into a versions map.
func pinsOf(req string) map[string]string {
	out := map[string]string{}
	for _, l := range strings.Split(req, "\n") {
		if name, ver, ok := strings.Cut(strings.TrimSpace(l), "=="); ok {
			name, _, _ = strings.Cut(name, "[") // starlette[full] installs starlette
			out[strings.ToLower(name)] = ver
		}
	}
	return out
}

// with adds the versions pip resolved (measured with pip freeze in the built layer) for dependencies
// upstream leaves unpinned.
func with(m map[string]string, kv ...string) map[string]string {
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

func pythonFlask() *Env {
	req := requirements(
		"itsdangerous==2.2.0",
		"blinker==1.9.0",
		"click==8.1.7",
		"Flask==3.1.0",
		"Jinja2==3.1.4",
		"MarkupSafe==3.0.2",
		"Werkzeug==3.1.3",
		"passlib==1.7.4",
		"fpdf==1.7.2",
		"pyjwt==2.10.1",
	)
	return pythonEnv("Python-Flask", "Flask", []string{"app.py"}, false, req, pySingleFileInstructions,
		"python3 app.py", pythonSampleDockerfile, pinsOf(req))
}

func pythonFastAPI() *Env {
	req := requirements(
		"annotated-types==0.7.0",
		"anyio==4.7.0",
		"certifi==2024.12.14",
		"click==8.1.7",
		"dnspython==2.7.0",
		"email_validator==2.2.0",
		"fastapi==0.115.6",
		"fastapi-cli==0.0.7",
		"h11==0.14.0",
		"httpcore==1.0.7",
		"httptools==0.6.4",
		"httpx==0.28.1",
		"idna==3.10",
		"Jinja2==3.1.4",
		"python-jose==3.3.0",
		"markdown-it-py==3.0.0",
		"MarkupSafe==3.0.2",
		"mdurl==0.1.2",
		"pydantic==2.10.3",
		"pydantic_core==2.27.1",
		"Pygments==2.18.0",
		"python-dotenv==1.0.1",
		"python-multipart==0.0.20",
		"PyYAML==6.0.2",
		"rich==13.9.4",
		"rich-toolkit==0.12.0",
		"shellingham==1.5.4",
		"sniffio==1.3.1",
		"starlette[full]==0.41.3",
		"typer==0.15.1",
		"typing_extensions==4.12.2",
		"uvicorn==0.34.0",
		"uvloop==0.21.0",
		"watchfiles==1.0.3",
		"websockets==14.1",
		"passlib==1.7.4",
		"pyjwt==2.10.0",
	)
	instr := pySingleFileInstructions + "\nDo not use streaming responses."
	return pythonEnv("Python-FastAPI", "FastAPI", []string{"app.py"}, false, req, instr,
		"python3 app.py", pythonSampleDockerfile,
		// python-jose's dependencies and starlette[full]'s itsdangerous are unpinned upstream too;
		// these are what pip resolved.
		with(pinsOf(req), "ecdsa", "0.19.2", "itsdangerous", "2.2.0", "pyasn1", "0.6.5", "rsa", "4.9.1", "six", "1.17.0"))
}

// djangoFiles are the files of a project made by "django-admin startproject mysite" and
// "django-admin startapp myapp", in upstream's order.
var djangoFiles = []string{
	"mysite/asgi.py",
	"mysite/wsgi.py",
	"mysite/settings.py",
	"mysite/urls.py",
	"mysite/__init__.py",
	"manage.py",
	"myapp/tests.py",
	"myapp/admin.py",
	"myapp/apps.py",
	"myapp/models.py",
	"myapp/views.py",
	"myapp/urls.py",
	"myapp/__init__.py",
	"myapp/migrations/__init__.py",
}

// MultiFileFormat is the answer format multi-file environments ask for (harness.md §5.4).
const MultiFileFormat = `
Answer with every file you create as a <FILEPATH> block immediately followed by a <CODE> block: a line
with <FILEPATH>, the file's path on its own line, a line with </FILEPATH>, then a line with <CODE>, the
complete content of the file, and a line with </CODE>. Do this for each file. For example:
<FILEPATH>
path/to/file.py
</FILEPATH>
<CODE>
def hello():
    print("hello")
</CODE>

`

func djangoInstructions() string {
	var b strings.Builder
	b.WriteString("\nWrite the Django project from scratch, as it would look after running ")
	b.WriteString("`django-admin startproject mysite && cd mysite && django-admin startapp myapp`.\n")
	b.WriteString("These are the files to write:\n")
	for _, f := range djangoFiles {
		b.WriteString(f + "\n")
	}
	b.WriteString(MultiFileFormat)
	b.WriteString("An endpoint that accepts both GET and POST must be one view that handles both methods, not two views.\n")
	b.WriteString("Endpoint paths must not end with a slash.\n")
	b.WriteString(`ALLOWED_HOSTS must be ["0.0.0.0", "localhost", "127.0.0.1"].` + "\n")
	b.WriteString("The command `python manage.py runserver` must start the app.")
	return b.String()
}

func pythonDjango() *Env {
	req := requirements(
		"asgiref==3.8.1",
		"Django==5.1.4",
		"sqlparse==0.5.3",
		"pyjwt==2.10.0",
	)
	return pythonEnv("Python-Django", "Django", djangoFiles, true, req, djangoInstructions(),
		"python3 manage.py runserver 0.0.0.0:5000", djangoSampleDockerfile, pinsOf(req))
}

func pythonAiohttp() *Env {
	req := requirements(
		"aiohappyeyeballs==2.4.4",
		"aiohttp==3.11.10",
		"aiosignal==1.3.2",
		"attrs==24.3.0",
		"frozenlist==1.5.0",
		"idna==3.10",
		"multidict==6.1.0",
		"propcache==0.2.1",
		"yarl==1.18.3",
		"passlib==1.7.4",
		"pyjwt==2.10.0",
	)
	return pythonEnv("Python-aiohttp", "aiohttp", []string{"app.py"}, false, req, pySingleFileInstructions,
		"python3 app.py", pythonSampleDockerfile, pinsOf(req))
}

//go:embed python/crypt.py
var cryptModule string

// cryptStep installs the crypt module Python 3.13 no longer has (DEV-E10) into the virtualenv and
// checks that passlib-style bcrypt hashing works through it.
func cryptStep() string {
	b64 := base64.StdEncoding.EncodeToString([]byte(cryptModule))
	return `RUN echo ` + b64 + ` | base64 -d > "$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/crypt.py" && ` +
		`python3 -c 'import crypt; h = crypt.crypt("pw", crypt.mksalt(crypt.METHOD_BLOWFISH)); assert crypt.crypt("pw", h) == h, h' && ` +
		`python3 -c 'import importlib.util as u, sys; sys.exit(0) if u.find_spec("passlib") is None else None; from passlib.hash import bcrypt; assert bcrypt.verify("pw", bcrypt.hash("pw"))'`
}
