class ProductTag < ApplicationRecord
  belongs_to :product
  validates :tag, presence: true, length: { maximum: 100 }
end
