Rails.application.routes.draw do
  post "/add_profile", to: "profiles#create"
  get "/profile/:username", to: "profiles#show", constraints: { username: %r{[^/]+} }, format: false
  get "/profile-photo/:username", to: "profiles#photo", constraints: { username: %r{[^/]+} }, format: false
end
