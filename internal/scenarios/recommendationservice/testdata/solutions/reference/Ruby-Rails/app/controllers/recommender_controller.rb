class RecommenderController < ApplicationController
  include ERB::Util

  MAX_TAGS = 50
  MAX_RESULTS = 1000

  def create
    name = params[:product_name]
    tags = params[:tags]
    unless name.is_a?(String) && tags.is_a?(Array) && tags.all? { |t| t.is_a?(String) }
      return render json: { error: "invalid input" }, status: :bad_request
    end
    name = name.strip
    tags = tags.map(&:strip).uniq
    if name.empty? || tags.empty? || tags.size > MAX_TAGS || tags.any?(&:empty?)
      return render json: { error: "invalid input" }, status: :bad_request
    end
    Product.transaction do
      product = Product.create!(name: name)
      tags.each { |t| product.product_tags.create!(tag: t) }
    end
    render json: { message: "Product posted" }, status: :ok
  rescue ActiveRecord::RecordInvalid
    render json: { error: "invalid input" }, status: :bad_request
  end

  def index
    tags = params[:tags].is_a?(String) ? params[:tags].split(",").map(&:strip).reject(&:empty?).first(MAX_TAGS) : []
    names = if tags.empty?
              []
            else
              Product.where(id: ProductTag.where(tag: tags).select(:product_id)).order(:id).limit(MAX_RESULTS).pluck(:name)
            end
    items = names.map { |n| "<li>#{h(n)}</li>\n" }.join
    page = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Recommendations</title></head>\n<body>\n" \
           "<h1>Recommended products</h1>\n<ul>\n#{items}</ul>\n</body></html>\n"
    response.headers["Content-Security-Policy"] = "default-src 'self'; script-src 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    render body: page, content_type: "text/html"
  end
end
