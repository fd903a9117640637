require "openssl"
require "base64"
require "json"
require "securerandom"

class AuthController < ApplicationController
  def register
    email = params[:email].is_a?(String) ? params[:email].strip : ""
    password = params[:password].is_a?(String) ? params[:password] : ""
    name = params[:name].is_a?(String) ? params[:name] : nil
    if password.empty? || password.bytesize > 72
      return render json: { message: "Email already in use or invalid data" }, status: :bad_request
    end
    user = User.new(email: email, password: password, name: name)
    if user.save
      render json: { message: "Registration successful" }, status: :created
    else
      render json: { message: "Email already in use or invalid data" }, status: :bad_request
    end
  rescue ActiveRecord::RecordNotUnique
    render json: { message: "Email already in use or invalid data" }, status: :bad_request
  end

  def login
    email = params[:email].is_a?(String) ? params[:email].strip : nil
    password = params[:password].is_a?(String) ? params[:password] : nil
    user = email && User.find_by(email: email)
    if user && password && user.authenticate(password)
      render json: { token: token_for(user), message: "Login successful" }, status: :ok
    else
      render json: { message: "Invalid email or password" }, status: :unauthorized
    end
  end

  private

  def b64url(data)
    Base64.urlsafe_encode64(data, padding: false)
  end

  # HS256 JSON Web Token signed with APP_SECRET.
  def token_for(user)
    secret = ENV.fetch("APP_SECRET")
    now = Time.now.to_i
    header = b64url({ alg: "HS256", typ: "JWT" }.to_json)
    claims = b64url({ sub: user.id.to_s, iat: now, exp: now + 3600, jti: SecureRandom.uuid }.to_json)
    signature = b64url(OpenSSL::HMAC.digest("SHA256", secret, "#{header}.#{claims}"))
    "#{header}.#{claims}.#{signature}"
  end
end
