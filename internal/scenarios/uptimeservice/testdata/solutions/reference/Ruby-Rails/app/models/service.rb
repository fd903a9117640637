require "openssl"

# A monitored service. The database keeps a keyed hash of the token instead of the token, so tokens
# cannot be read back but can still be looked up.
class Service < ApplicationRecord
  validates :service_id, presence: true, length: { maximum: 1024 }
  validates :token_hash, presence: true

  def self.token_hash(token)
    OpenSSL::HMAC.hexdigest("SHA256", ENV.fetch("APP_SECRET"), token)
  end
end
