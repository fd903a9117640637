class Profile < ApplicationRecord
  PNG_MAGIC = "\x89PNG\r\n\x1a\n".b.freeze

  validates :username, presence: true, uniqueness: true, format: { with: /\A[A-Za-z0-9_.-]{1,64}\z/ }
  validates :page, presence: true, length: { maximum: 1 << 20 }
  validate :photo_is_png

  private

  def photo_is_png
    errors.add(:photo, "must be a PNG picture") unless photo.to_s.b.start_with?(PNG_MAGIC)
  end
end
