require "json"

# A product is a set of string properties, one of which is its unique name. The properties are kept
# as a JSON object and are only ever parsed as data.
class Product < ApplicationRecord
  validates :name, presence: true, uniqueness: true

  # The properties of a JSON text that is an object of strings with a non-empty "name", else nil.
  def self.parse_properties(text)
    props = JSON.parse(text)
    return nil unless props.is_a?(Hash) && props.values.all? { |v| v.is_a?(String) }
    return nil if props["name"].to_s.strip.empty?
    props
  rescue JSON::ParserError
    nil
  end

  def self.store(props)
    product = find_or_initialize_by(name: props["name"])
    product.update!(data: props.to_json)
  end

  def properties
    JSON.parse(data)
  end
end
