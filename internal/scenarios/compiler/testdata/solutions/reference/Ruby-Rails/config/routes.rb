Rails.application.routes.draw do
  post "/compile", to: "compile#create"
end
