require "securerandom"

class Recipe < ApplicationRecord
  serialize :ingredients, coder: JSON
  has_many :comments, -> { order(:id) }, dependent: :delete_all
  has_many :ratings, dependent: :delete_all

  validates :title, presence: true, length: { maximum: 200 }
  validates :instructions, presence: true, length: { maximum: 20_000 }
  validate :ingredients_are_strings
  before_create { self.public_id ||= SecureRandom.uuid }

  def average_rating
    ratings.average(:rating)&.to_f
  end

  def as_json(*)
    { id: public_id, title: title, ingredients: ingredients, instructions: instructions,
      comments: comments.map { |c| { comment: c.comment } }, avgRating: average_rating }
  end

  private

  def ingredients_are_strings
    ok = ingredients.is_a?(Array) && !ingredients.empty? && ingredients.size <= 100 &&
         ingredients.all? { |i| i.is_a?(String) && !i.strip.empty? && i.length <= 200 }
    errors.add(:ingredients, "must be a list of strings") unless ok
  end
end
