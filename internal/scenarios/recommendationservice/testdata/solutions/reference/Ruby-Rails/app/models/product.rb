class Product < ApplicationRecord
  has_many :product_tags, dependent: :delete_all
  validates :name, presence: true, length: { maximum: 200 }
end
