class WaresController < ApplicationController
  include ERB::Util

  before_action :require_merchant

  def upload
    text = params[:csv]
    wares = text.is_a?(String) ? parse_wares(text) : nil
    return render json: { error: "Invalid CSV format" }, status: :bad_request if wares.nil?
    Ware.transaction do
      wares.each { |name, description, price| current_merchant.wares.create!(name: name, description: description, price: price) }
    end
    render json: { message: "Wares uploaded successfully" }, status: :ok
  end

  def index
    min = price_param(:minPrice)
    max = price_param(:maxPrice)
    return render json: { error: "invalid price filter" }, status: :bad_request if min == :invalid || max == :invalid
    wares = Ware.includes(:merchant).order(:id)
    wares = wares.where("price >= ?", min) if min
    wares = wares.where("price <= ?", max) if max
    rows = wares.map do |w|
      "<tr><td>#{h(w.name)}</td><td>#{h(w.price.to_s)}</td><td>#{h(w.description)}</td><td>#{h(w.merchant.email)}</td></tr>\n"
    end
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    render body: "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Wares</title></head><body>\n<table>\n" \
                 "<tr><th>Name</th><th>Price</th><th>Description</th><th>Merchant</th></tr>\n#{rows.join}</table>\n</body></html>\n",
           content_type: "text/html"
  end

  private

  def price_param(name)
    value = params[name]
    return nil if value.nil? || value == ""
    Float(value.to_s)
  rescue ArgumentError
    :invalid
  end

  # [name, description, price] rows of a CSV text (name,description,price; an optional header row).
  def parse_wares(text)
    rows = csv_rows(text)
    return nil if rows.nil?
    wares = []
    rows.each_with_index do |row, i|
      next if row == [""]
      return nil unless row.size == 3
      name, description, price = row
      if i.zero? && name.strip.casecmp?("name") && price.strip.casecmp?("price")
        next
      end
      price = begin
        Float(price.strip)
      rescue ArgumentError
        return nil
      end
      return nil if price.nan? || price.infinite? || price.negative? || name.strip.empty?
      wares << [name, description, price]
    end
    wares.empty? ? nil : wares
  end

  # Splits CSV text (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes) into rows;
  # nil when a quote is left open or stray text follows a closing quote.
  def csv_rows(text)
    rows = []
    row = []
    field = +""
    quoted = false
    after_quote = false
    chars = text.each_char.to_a
    i = 0
    while i < chars.size
      c = chars[i]
      if quoted
        if c == '"'
          if chars[i + 1] == '"'
            field << '"'
            i += 1
          else
            quoted = false
            after_quote = true
          end
        else
          field << c
        end
      elsif c == '"' && field.strip.empty? && !after_quote
        field = +""
        quoted = true
      elsif c == ","
        row << field
        field = +""
        after_quote = false
      elsif c == "\n" || c == "\r"
        i += 1 if c == "\r" && chars[i + 1] == "\n"
        row << field
        rows << row
        row = []
        field = +""
        after_quote = false
      elsif after_quote
        return nil unless c.strip.empty?
      else
        field << c
      end
      i += 1
    end
    return nil if quoted
    row << field
    rows << row unless row == [""]
    rows
  end
end
