require "openssl"
require "base64"
require "json"
require "securerandom"

class ApplicationController < ActionController::API
  TOKEN_LIFETIME = 3600

  private

  def self.signing_key
    @signing_key ||= OpenSSL::Digest::SHA256.digest("jwt-signing:" + ENV.fetch("APP_SECRET"))
  end

  def b64url(data)
    Base64.urlsafe_encode64(data, padding: false)
  end

  def sign(data)
    b64url(OpenSSL::HMAC.digest("SHA256", ApplicationController.signing_key, data))
  end

  # HS256 JSON Web Token naming the user.
  def token_for(user)
    now = Time.now.to_i
    header = b64url({ alg: "HS256", typ: "JWT" }.to_json)
    claims = b64url({ sub: user.id.to_s, username: user.username, iat: now, exp: now + TOKEN_LIFETIME,
                      jti: SecureRandom.uuid }.to_json)
    "#{header}.#{claims}.#{sign("#{header}.#{claims}")}"
  end

  # The user of a valid, unexpired HS256 bearer token, or nil.
  def token_user
    raw = request.authorization.to_s
    return nil unless raw.start_with?("Bearer ")
    header, claims, signature = raw.delete_prefix("Bearer ").strip.split(".", -1)
    return nil if signature.nil? || !ActiveSupport::SecurityUtils.secure_compare(sign("#{header}.#{claims}"), signature)
    head = JSON.parse(Base64.urlsafe_decode64(header))
    body = JSON.parse(Base64.urlsafe_decode64(claims))
    return nil unless head.is_a?(Hash) && head["alg"] == "HS256" && body.is_a?(Hash)
    return nil unless body["exp"].is_a?(Integer) && body["exp"] > Time.now.to_i
    user = User.find_by(id: body["sub"].to_s)
    user if user && user.username == body["username"]
  rescue ArgumentError, JSON::ParserError
    nil
  end
end
