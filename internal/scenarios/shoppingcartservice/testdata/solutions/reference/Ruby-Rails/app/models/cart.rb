require "securerandom"

class Cart < ApplicationRecord
  has_many :cart_items, dependent: :delete_all
  before_create { self.id ||= SecureRandom.uuid }
end
