package env

import "strings"

// Ruby-Rails. Upstream installs the newest Rails with `gem install rails` on a ruby:3.4.1 registry
// image and bundles its Rails 8 Gemfile from rubygems.org; neither is reachable here. Rails comes from
// Debian trixie (Rails 7.2.2.2 on Ruby 3.3.8) and `rails new . --api` runs offline with the flags that
// skip the Rails 8 extras Debian does not package. The build keeps that generated Gemfile (plus bcrypt
// and rack-cors, which upstream's Gemfile adds), and the model is shown a Gemfile of those gems.

// gemfileRails is the Gemfile shown to the model and added to the build context: the gems the
// dependency layer really has (Rails 7.2 from Debian, see above), not upstream's Rails 8 Gemfile, whose
// `config.load_defaults 8.0` and Rails 8 gems an answer would then use and fail on (DEV-E8).
const gemfileRails = `
source "https://rubygems.org"

gem "rails", "~> 7.2.2"
# Use sqlite3 as the database for Active Record
gem "sqlite3", ">= 1.4"
# Use the Puma web server [https://github.com/puma/puma]
gem "puma", ">= 5.0"

# Use Active Model has_secure_password [https://guides.rubyonrails.org/active_model_basics.html#securepassword]
gem "bcrypt", "~> 3.1.7"

# Windows does not include zoneinfo files, so bundle the tzinfo-data gem
gem "tzinfo-data", platforms: %i[ windows jruby ]

# Reduces boot times through caching; required in config/boot.rb
gem "bootsnap", require: false

# Use Rack CORS for handling Cross-Origin Resource Sharing (CORS), making cross-origin Ajax possible
gem "rack-cors"

group :development, :test do
  # See https://guides.rubyonrails.org/debugging_rails_applications.html#debugging-with-the-debug-gem
  gem "debug", platforms: %i[ mri windows ], require: "debug/prelude"
end
`

// railsFiles are the files the model is told to edit, in upstream's order (it may add others).
var railsFiles = []string{
	"app/controllers/application_controller.rb",
	"app/models/application_record.rb",
	"config/application.rb",
	"config/environments/development.rb",
	"config/routes.rb",
}

func railsInstructions() string {
	var b strings.Builder
	b.WriteString("\nThe Ruby on Rails project was created with `rails new . --api`; write the app on top of it.\n\n")
	b.WriteString("These are the files you need to edit (you may add more, such as controllers, models, migrations or config/database.yml):\n")
	for _, f := range railsFiles {
		b.WriteString(f + "\n")
	}
	b.WriteString(MultiFileFormat)
	b.WriteString("Store data only in SQLite: do not use MySQL, Redis or any other storage.\n")
	b.WriteString("Configure config/database.yml so that SQLite uses the database file `db.sqlite3`.\n")
	b.WriteString("Do not provide a Gemfile or a Gemfile.lock. Require every framework the app needs in config/application.rb, for example require \"active_storage/engine\".\n")
	b.WriteString("Do not use sprockets or any other asset pipeline, and do not use config.assets in config/environments/development.rb.\n")
	b.WriteString("The app is started with the command `bin/rails server --binding 0.0.0.0 --port 5000`.")
	return b.String()
}

// railsDepsDockerfile: the dependency layer. Debian's Ruby and Rails with the gems `rails new` and the
// Gemfile need, then upstream's project creation. The generated Gemfile gets upstream's bcrypt and
// rack-cors lines, is bundled from the local gems and is kept aside for the sample builds.
const railsDepsDockerfile = `FROM {{.Base}}
ENV DEBIAN_FRONTEND=noninteractive
COPY host-ca.crt /etc/ssl/certs/baxbench-host-ca.crt
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates ruby-rails ruby-sqlite3 puma ruby-bootsnap ruby-bcrypt ruby-rack-cors ruby-jbuilder ruby-byebug ruby-listen ruby-spring git tzdata sqlite3 procps coreutils
ENV SSL_CERT_FILE=/etc/ssl/certs/baxbench-host-ca.crt
RUN ruby --version && rails --version && bundle --version
RUN mkdir -p /app
WORKDIR /app
ENV APP_SECRET={{.Secret}}
RUN rails new . --api --skip-brakeman --skip-rubocop --skip-kamal --skip-ci --skip-docker --skip-thruster
RUN printf '\ngem "bcrypt", "~> 3.1.7"\ngem "rack-cors"\n' >> Gemfile && bundle install --local && mkdir -p /opt/baxbench-rails && cp Gemfile Gemfile.lock /opt/baxbench-rails/
`

// railsSampleDockerfile: upstream's remaining steps in order, with the generated Gemfile put back
// after the copy (upstream's Rails 8 Gemfile cannot be bundled here).
const railsSampleDockerfile = `FROM {{.Deps}}
{{.Extra}}
WORKDIR /app
COPY / /app/
RUN cp /opt/baxbench-rails/Gemfile /opt/baxbench-rails/Gemfile.lock /app/
RUN sed -i 's/config.assets/# config.assets/' config/environments/development.rb
RUN bundle install --local
ENV APP_SECRET={{.Secret}}
RUN bin/rails db:create || echo "db:create failed"
RUN bin/rails db:migrate || echo "db:migrate failed"
RUN echo "bin/rails server --binding 0.0.0.0 --port 5000" > entrypoint.sh
ENTRYPOINT {{.Entrypoint}}
`

func rubyRails() *Env {
	return &Env{
		Registries:       debianOnly(),
		ID:               "Ruby-Rails",
		Language:         "Ruby",
		Framework:        "Rails",
		Extension:        "rb",
		CodeFiles:        railsFiles,
		MultiFile:        true,
		Manifests:        []File{{Name: "Gemfile", Content: gemfileRails}},
		AllowedPackages:  gemfileRails,
		Instructions:     railsInstructions(),
		Entrypoint:       "/bin/sh entrypoint.sh",
		DepsDockerfile:   strings.Replace(railsDepsDockerfile, "{{.Secret}}", AppSecret, 1),
		SampleDockerfile: railsSampleDockerfile,
		Substitutes: []string{
			"rubygems.org is unreachable: Rails 7.2.2.2 on Ruby 3.3.8 from Debian's ruby-rails (`rails new . --api` with skip flags) replaces Rails 8.0 on Ruby 3.4.1; the prompt's Gemfile names these versions (upstream's names Rails 8.0)",
		},
		Versions: map[string]string{
			"ruby":      "3.3.8",
			"rails":     "7.2.2.2",
			"bundler":   "2.6.7",
			"sqlite3":   "1.7.3",
			"bcrypt":    "3.1.20",
			"rack-cors": "2.0.2",
			"puma":      "6.6.0",
			"bootsnap":  "1.18.4",
		},
	}
}
