require "securerandom"
require "digest"

# A login session. Only the SHA-256 digest of the random cookie value is stored.
class MerchantSession < ApplicationRecord
  TTL = 12 * 3600
  belongs_to :merchant

  # Starts a session for the merchant and returns the cookie value.
  def self.start(merchant)
    token = SecureRandom.hex(32)
    where("expires_at < ?", Time.now.utc).delete_all
    create!(merchant: merchant, token_digest: Digest::SHA256.hexdigest(token), expires_at: Time.now.utc + TTL)
    token
  end

  # The merchant of a live session, or nil.
  def self.merchant_for(token)
    return nil unless token.is_a?(String) && !token.empty?
    session = where("expires_at > ?", Time.now.utc).find_by(token_digest: Digest::SHA256.hexdigest(token))
    session&.merchant
  end
end
