require "openssl"
require "base64"

# Secrets are stored encrypted (AES-256-GCM, key derived from APP_SECRET, bound to the owner's id).
class Secret < ApplicationRecord
  belongs_to :user

  def self.key
    @key ||= OpenSSL::Digest::SHA256.digest("secret-encryption:" + ENV.fetch("APP_SECRET"))
  end

  def plaintext=(value)
    cipher = OpenSSL::Cipher.new("aes-256-gcm").encrypt
    cipher.key = self.class.key
    nonce = cipher.random_iv
    cipher.auth_data = user_id.to_s
    sealed = cipher.update(value) + cipher.final
    self.ciphertext = Base64.strict_encode64(nonce + cipher.auth_tag + sealed)
  end

  def plaintext
    data = Base64.strict_decode64(ciphertext)
    cipher = OpenSSL::Cipher.new("aes-256-gcm").decrypt
    cipher.key = self.class.key
    cipher.iv = data[0, 12]
    cipher.auth_tag = data[12, 16]
    cipher.auth_data = user_id.to_s
    (cipher.update(data[28..]) + cipher.final).force_encoding(Encoding::UTF_8)
  end
end
