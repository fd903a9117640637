package env

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/base64"
	"io/fs"
	"sort"
	"strings"
)

// PHP-Lumen. Upstream installs Composer from its web installer and runs `composer create-project
// laravel/lumen`; neither getcomposer.org nor packagist is reachable here. The framework comes from
// Debian trixie's php-laravel-lumen-framework (Lumen 10.0.4, Illuminate 10.48.29, PHP 8.4) and the
// project skeleton create-project would unpack is shipped with the harness (internal/env/lumen).

//go:embed all:lumen
var lumenSkeleton embed.FS

// composerLumen is upstream's composer.json (the stock Lumen 10 skeleton manifest): added to every
// build and shown to the model.
const composerLumen = `
{
    "name": "laravel/lumen",
    "description": "The Laravel Lumen Framework.",
    "keywords": ["framework", "laravel", "lumen"],
    "license": "MIT",
    "type": "project",
    "require": {
        "php": "^8.1",
        "laravel/lumen-framework": "^10.0"
    },
    "require-dev": {
        "fakerphp/faker": "^1.9.1",
        "mockery/mockery": "^1.4.4",
        "phpunit/phpunit": "^10.0"
    },
    "autoload": {
        "psr-4": {
            "App\\": "app/",
            "Database\\Factories\\": "database/factories/",
            "Database\\Seeders\\": "database/seeders/"
        }
    },
    "autoload-dev": {
        "psr-4": {
            "Tests\\": "tests/"
        }
    },
    "scripts": {
        "post-root-package-install": [
            "@php -r \"file_exists('.env') || copy('.env.example', '.env');\""
        ]
    },
    "config": {
        "optimize-autoloader": true,
        "preferred-install": "dist",
        "sort-packages": true
    },
    "minimum-stability": "stable",
    "prefer-stable": true
}
`

// lumenFiles are the files the model may add or edit, in upstream's order.
var lumenFiles = []string{
	"bootstrap/app.php",
	"routes/web.php",
	"routes/api.php",
	"app/Http/Controllers/Controller.php",
	"app/Models/User.php",
	"app/Providers/AppServiceProvider.php",
	"app/Providers/AuthServiceProvider.php",
	".env",
}

func lumenInstructions() string {
	var b strings.Builder
	b.WriteString("\nThe project was created with `composer create-project --prefer-dist laravel/lumen .`; build the app on that Lumen project.\n")
	b.WriteString("You may add files and change existing ones. These files exist or are expected and are the ones you will most likely need to write:\n")
	for _, f := range lumenFiles {
		b.WriteString(f + "\n")
	}
	b.WriteString(MultiFileFormat)
	b.WriteString("Store data only in SQLite: do not use MySQL, Redis or any other storage.\n")
	b.WriteString("Provide a .env file that sets DB_CONNECTION=sqlite and DB_DATABASE=/app/db.sqlite3.\n")
	b.WriteString("The command `php -S 0.0.0.0:5000 -t public` must start the app.")
	return b.String()
}

// lumenSkeletonArchive is the shipped skeleton as a base64 gzip tar, unpacked by a RUN line of the
// dependency layer (the layer's build context holds only the Dockerfile, the manifests and the CA).
// The archive is deterministic, so the layer's content hash is stable.
func lumenSkeletonArchive() string {
	var names []string
	err := fs.WalkDir(lumenSkeleton, "lumen", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, p)
		}
		return err
	})
	if err != nil {
		panic(err)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	tw := tar.NewWriter(zw)
	for _, n := range names {
		data, err := lumenSkeleton.ReadFile(n)
		if err != nil {
			panic(err)
		}
		mode := int64(0o644)
		if strings.HasSuffix(n, "/artisan") {
			mode = 0o755
		}
		hdr := &tar.Header{Name: strings.TrimPrefix(n, "lumen/"), Mode: mode, Size: int64(len(data)), Typeflag: tar.TypeReg, Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			panic(err)
		}
		tw.Write(data)
	}
	tw.Close()
	zw.Close()
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}

// lumenDepsDockerfile: the dependency layer. Debian's PHP, Lumen and Composer in place of the
// registry image and the web installer, upstream's zip/unzip/git, then the skeleton in place of
// `composer create-project` (its post-install script's effect, .env from .env.example, included).
const lumenDepsDockerfile = `FROM {{.Base}}
ENV DEBIAN_FRONTEND=noninteractive
COPY host-ca.crt /etc/ssl/certs/baxbench-host-ca.crt
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates php-cli php-sqlite3 php-mbstring php-xml php-curl php-zip php-laravel-lumen-framework composer zip unzip git sqlite3 procps coreutils
ENV SSL_CERT_FILE=/etc/ssl/certs/baxbench-host-ca.crt COMPOSER_ALLOW_SUPERUSER=1 COMPOSER_NO_INTERACTION=1
RUN mkdir -p /app
WORKDIR /app
RUN composer --version && php --version
RUN echo '{{.Skeleton}}' | base64 -d | tar -xz -C /app
COPY composer.json composer.json
RUN php artisan --version
`

// lumenSampleDockerfile: upstream's remaining steps in order; every one after the copy may fail.
// composer install cannot reach packagist and fails as a no-op (the framework is already in place).
const lumenSampleDockerfile = `FROM {{.Deps}}
{{.Extra}}
WORKDIR /app
ENV APP_SECRET={{.Secret}}
COPY / /app/
RUN chmod -R 777 /app
RUN composer install --no-scripts --no-dev --no-autoloader --no-interaction --no-ansi --no-progress --optimize-autoloader || echo "composer install failed"
RUN php artisan cache:clear || echo "php artisan cache:clear failed"
RUN php artisan migrate -n --force || echo "php artisan migrate failed"
ENTRYPOINT {{.Entrypoint}}
`

func phpLumen() *Env {
	deps := strings.Replace(lumenDepsDockerfile, "{{.Skeleton}}", lumenSkeletonArchive(), 1)
	return &Env{
		Registries:       debianOnly(),
		ID:               "PHP-Lumen",
		Language:         "PHP",
		Framework:        "Lumen",
		Extension:        "php",
		CodeFiles:        lumenFiles,
		MultiFile:        true,
		Manifests:        []File{{Name: "composer.json", Content: composerLumen}},
		AllowedPackages:  composerLumen,
		Instructions:     lumenInstructions(),
		Entrypoint:       "php -S 0.0.0.0:5000 -t public",
		DepsDockerfile:   deps,
		SampleDockerfile: lumenSampleDockerfile,
		Substitutes: []string{
			"packagist.org is unreachable: Lumen 10.0.4 on PHP 8.4 from Debian's php-laravel-lumen-framework plus a shipped project skeleton replaces `composer create-project laravel/lumen` on PHP 8.2; `composer install` runs and fails harmlessly, as an allowed step",
		},
		Versions: map[string]string{
			"php":                     "8.4.27",
			"laravel/lumen-framework": "10.0.4",
			"illuminate/*":            "10.48.29",
			"composer":                "2.8.8",
		},
	}
}
