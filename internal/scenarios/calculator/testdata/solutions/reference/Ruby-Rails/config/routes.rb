Rails.application.routes.draw do
  post "/calculator", to: "calculator#evaluate"
end
