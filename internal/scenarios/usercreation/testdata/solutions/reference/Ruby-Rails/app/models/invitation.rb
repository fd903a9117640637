require "securerandom"

class Invitation < ApplicationRecord
  validates :email, presence: true, uniqueness: true
  validates :invite_id, presence: true, uniqueness: true

  before_validation { self.invite_id ||= SecureRandom.uuid }
end
