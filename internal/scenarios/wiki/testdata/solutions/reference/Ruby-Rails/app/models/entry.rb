require "securerandom"

class Entry < ApplicationRecord
  has_many :edits, -> { order(:id) }, dependent: :delete_all
  validates :title, presence: true
  validates :created_by, presence: true
  validates :last_modified_by, presence: true
  before_create { self.public_id ||= SecureRandom.uuid }

  # The creator first, then every editor, each once, in order of their first contribution.
  def contributors
    ([created_by] + edits.pluck(:modified_by)).uniq
  end

  def as_json(*)
    { id: public_id, title: title, content: content, lastModifiedBy: last_modified_by,
      lastModifiedAt: updated_at.utc.iso8601 }
  end
end
