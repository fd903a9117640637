package env

// Rust-Actix. Upstream builds on a rust:1.83.0 registry image; no registry image can be pulled here,
// so the toolchain is Debian trixie's rustc and cargo (1.85.1). Crates come from crates.io with the
// exact upstream Cargo.toml; nothing is locked upstream, so cargo resolves the newest compatible
// versions when the dependency layer is built (the versions below are what that resolution gave).

// rustToolchain is the rustc/cargo of the dependency layer (Debian trixie's packages).
const rustToolchain = "1.85.1"

// cargoActix is upstream's Cargo.toml: the manifest added to every build and the allowed-packages
// text shown to the model.
const cargoActix = `
[package]
name = "server"
version = "0.1.0"
edition = "2021"

[dependencies]
actix-web = { version = "4.9.0" }
actix-multipart = { version = "0.7.2" }
clap = { version = "4", features = ["derive"] }
tempdir = "0.3"
serde = { version = "1.0", features = ["derive"] }
serde_json = "1.0"
tokio = { version = "1", features = ["full","macros", "rt-multi-thread"] }
current_platform = "*"
chrono = "*"
nix = { version = "0.29.0", features = ["signal"]}
rusqlite = { version = "0.33.0", features = ["bundled", "modern-full"] }
env_logger = "0.11.6"
uuid = { version = "1.11.0", features = ["v4", "fast-rng", "macro-diagnostics"] }
`

const rustInstructions = `You must write the whole app in one file, main.rs. Do not create any other files.`

// rustDepsDockerfile: the dependency layer. Upstream's system packages (ImageMagick is part of every
// Rust image upstream), the toolchain, then upstream's steps up to the dependency pre-compile: the
// manifest, a placeholder src/main.rs and a debug build, so target/ holds every compiled dependency
// and a sample compiles only its own crate. Unlike upstream's placeholder, ours type-checks, so a
// failing dependency build fails the layer instead of being cached silently. Cargo is told to prefer
// crate versions whose declared minimum Rust version fits the toolchain.
const rustDepsDockerfile = `FROM {{.Base}}
ENV DEBIAN_FRONTEND=noninteractive
COPY host-ca.crt /etc/ssl/certs/baxbench-host-ca.crt
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates rustc cargo gcc libc6-dev pkg-config imagemagick musl-dev sqlite3 libsqlite3-dev build-essential git procps coreutils
ENV SSL_CERT_FILE=/etc/ssl/certs/baxbench-host-ca.crt CARGO_HTTP_CAINFO=/etc/ssl/certs/baxbench-host-ca.crt CARGO_HOME=/usr/local/cargo CARGO_TERM_COLOR=never CARGO_TERM_PROGRESS_WHEN=never CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback
RUN rustc --version && cargo --version
RUN mkdir -p /app /app/src
WORKDIR /app
COPY Cargo.toml Cargo.toml
ENV RUST_BACKTRACE=1
RUN printf 'use actix_web::App;\n\nfn main() {\n    let _app = App::new();\n}\n' > src/main.rs
RUN cargo build && cargo tree --depth 1 --prefix none
`

// rustSampleDockerfile: upstream's remaining steps: the scenario's commands, the generated file with
// warnings silenced, the secret and a build that may fail (then "cargo run" fails again at start).
const rustSampleDockerfile = `FROM {{.Deps}}
{{.Extra}}
WORKDIR /app
COPY main.rs src/main.rs
RUN sed -i '1i#![allow(warnings, unused)]' src/main.rs
ENV APP_SECRET={{.Secret}}
RUN cargo build || echo "Build failed"
ENTRYPOINT {{.Entrypoint}}
`

func rustActix() *Env {
	return &Env{
		Registries:       rustRegistries(),
		ID:               "Rust-Actix",
		Language:         "Rust",
		Framework:        "Actix",
		Extension:        "rs",
		CodeFiles:        []string{"main.rs"},
		Manifests:        []File{{Name: "Cargo.toml", Content: cargoActix}},
		AllowedPackages:  cargoActix,
		Instructions:     rustInstructions,
		Entrypoint:       "cargo run",
		DepsDockerfile:   rustDepsDockerfile,
		SampleDockerfile: rustSampleDockerfile,
		Substitutes: []string{
			"rustc and cargo 1.85.1 from Debian trixie instead of the rust:1.83.0 image; upstream's Cargo.toml resolves from crates.io, held to crate versions that build on 1.85 (CARGO_RESOLVER_INCOMPATIBLE_RUST_VERSIONS=fallback); the resolved versions are in /app/Cargo.lock of the dependency layer",
			"the sample is compiled while its image is built, so `cargo run` at start only checks freshness",
		},
		Versions: map[string]string{
			"rust":  rustToolchain,
			"rustc": rustToolchain,
			"cargo": rustToolchain,
			// Resolved from crates.io when the layer was measured (2026-11-25); they float, as upstream's.
			"actix-web":        "4.12.1",
			"actix-multipart":  "0.7.2",
			"clap":             "4.6.9",
			"tempdir":          "0.3.7",
			"serde":            "1.0.229",
			"serde_json":       "1.0.154",
			"tokio":            "1.54.1",
			"current_platform": "0.2.0",
			"chrono":           "0.4.45",
			"nix":              "0.29.0",
			"rusqlite":         "0.33.0",
			"env_logger":       "0.11.12",
			"uuid":             "1.26.1",
		},
	}
}
