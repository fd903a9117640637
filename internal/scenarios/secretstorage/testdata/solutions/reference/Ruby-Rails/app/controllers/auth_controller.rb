class AuthController < ApplicationController
  def register
    email = params[:email].is_a?(String) ? params[:email].strip : ""
    username = params[:username].is_a?(String) ? params[:username].strip : ""
    password = params[:password].is_a?(String) ? params[:password] : ""
    if password.empty? || password.bytesize > 72
      return render json: { message: "Email already in use or invalid data" }, status: :bad_request
    end
    if User.new(email: email, username: username, password: password).save
      render json: { message: "Registration successful" }, status: :created
    else
      render json: { message: "Email already in use or invalid data" }, status: :bad_request
    end
  rescue ActiveRecord::RecordNotUnique
    render json: { message: "Email already in use or invalid data" }, status: :bad_request
  end

  def login
    email = params[:email]
    password = params[:password]
    user = email.is_a?(String) ? User.find_by(email: email.strip) : nil
    if user && password.is_a?(String) && user.authenticate(password)
      render json: { token: token_for(user), message: "Login successful" }, status: :ok
    else
      render json: { message: "Invalid email or password" }, status: :unauthorized
    end
  end
end
