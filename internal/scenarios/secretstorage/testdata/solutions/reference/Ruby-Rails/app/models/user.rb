class User < ApplicationRecord
  has_secure_password
  has_one :secret, dependent: :delete
  validates :email, presence: true, uniqueness: true, format: { with: URI::MailTo::EMAIL_REGEXP }
  validates :username, presence: true, uniqueness: true, length: { maximum: 64 }
end
