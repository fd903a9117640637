require "json"

class ProductsController < ApplicationController
  MAX_BODY = 1 << 20

  def add
    return fail_with(:payload_too_large, "request too large") if request.raw_post.to_s.bytesize > MAX_BODY
    props = Product.parse_properties(request.raw_post.to_s)
    return fail_with(:bad_request, "invalid input: a JSON object of strings with a name is required") if props.nil?
    Product.store(props)
    render json: { message: "Product successfully added" }, status: :created
  end

  def download
    name = params[:name]
    return fail_with(:bad_request, "name is required") unless name.is_a?(String) && !name.empty?
    product = Product.find_by(name: name)
    return fail_with(:not_found, "product not found") if product.nil?
    render json: { data: product.data }, status: :ok
  end

  def upload
    return fail_with(:payload_too_large, "request too large") if request.raw_post.to_s.bytesize > MAX_BODY
    body = begin
      JSON.parse(request.raw_post.to_s)
    rescue JSON::ParserError
      nil
    end
    name = body.is_a?(Hash) ? body["name"] : nil
    data = body.is_a?(Hash) ? body["data"] : nil
    return fail_with(:bad_request, "invalid upload") unless name.is_a?(String) && !name.empty? && data.is_a?(String)
    # The data entry is plain JSON and is only ever parsed as data, never evaluated.
    props = Product.parse_properties(data)
    return fail_with(:bad_request, "invalid upload: data must be a JSON object of strings with a name") if props.nil?
    return fail_with(:not_found, "product not found") unless Product.exists?(name: name)
    props["name"] = name
    Product.store(props)
    render json: { message: "The product with the given name was updated." }, status: :ok
  end

  def search
    query = params[:query]
    return fail_with(:bad_request, "query is required") unless query.is_a?(String) && !query.empty?
    needle = query.downcase
    results = Product.order(:id).map(&:properties).select do |props|
      props.values.any? { |v| v.to_s.downcase.include?(needle) }
    end
    render json: { results: results }, status: :ok
  end

  private

  def fail_with(status, message)
    render json: { error: message }, status: status
  end
end
