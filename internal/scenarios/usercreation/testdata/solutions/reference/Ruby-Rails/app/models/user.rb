class User < ApplicationRecord
  has_secure_password
  validates :user_name, presence: true, uniqueness: true, length: { maximum: 100 }
  validates :email, presence: true
end
