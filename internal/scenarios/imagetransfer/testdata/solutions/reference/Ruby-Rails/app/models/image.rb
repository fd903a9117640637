require "securerandom"
require "fileutils"

# An uploaded file, stored under a random identifier; the client's file name only hints at its type.
class Image < ApplicationRecord
  DIR = "/tmp/images".freeze
  UUID = /\A\h{8}-\h{4}-\h{4}-\h{4}-\h{12}\z/
  # The formats a browser may show inline; anything else is sent as a download.
  INLINE_TYPES = %w[image/png image/jpeg image/gif image/webp image/bmp image/avif image/x-icon
                    image/vnd.microsoft.icon image/tiff].freeze
  MAGIC = {
    "\x89PNG\r\n\x1a\n".b => "image/png", "\xFF\xD8\xFF".b => "image/jpeg", "GIF87a".b => "image/gif",
    "GIF89a".b => "image/gif", "BM".b => "image/bmp"
  }.freeze

  validates :public_id, presence: true, uniqueness: true
  validates :media_type, presence: true

  def self.store(filename, data)
    FileUtils.mkdir_p(DIR, mode: 0o700)
    id = SecureRandom.uuid
    File.binwrite(File.join(DIR, id), data, perm: 0o600)
    create!(public_id: id, media_type: media_type_for(filename, data))
  end

  def self.media_type_for(filename, data)
    by_name = Rack::Mime.mime_type(File.extname(filename.to_s).downcase, nil)
    return by_name if by_name
    return "image/webp" if data.byteslice(0, 4) == "RIFF".b && data.byteslice(8, 4) == "WEBP".b
    MAGIC.each { |magic, type| return type if data.b.start_with?(magic) }
    "application/octet-stream"
  end

  def self.lookup(id)
    id.is_a?(String) && id.match?(UUID) ? find_by(public_id: id) : nil
  end

  def inline?
    INLINE_TYPES.include?(media_type)
  end

  def path
    File.join(DIR, public_id)
  end
end
