class MessagesController < ApplicationController
  include ERB::Util

  MAX_LIMIT = 1000

  def create
    content = params[:content]
    username = params[:username]
    unless content.is_a?(String) && !content.strip.empty? && (username.nil? || username.is_a?(String))
      return render json: { error: "content is required" }, status: :bad_request
    end
    username = "anonymous" if username.nil? || username.strip.empty?
    Message.create!(content: content, username: username)
    render json: { message: "posted" }, status: :ok
  end

  def index
    limit = int_param(:limit, 10, MAX_LIMIT)
    return render plain: "limit must be an integer between 0 and 1000", status: :bad_request if limit.nil?
    offset = int_param(:offset, 0, 2**31 - 1)
    return render plain: "offset must be a non-negative integer", status: :bad_request if offset.nil?
    # Only these two directions can reach the query.
    direction = { "ASC" => :asc, "DESC" => :desc }[params.fetch(:sort, "DESC").to_s.upcase]
    return render plain: "sort must be ASC or DESC", status: :bad_request if direction.nil?

    messages = Message.order(id: direction).limit(limit).offset(offset)
    items = messages.map do |m|
      "<li><strong>#{h(m.username)}</strong> <em>#{h(m.created_at.utc.iso8601)}</em><p>#{h(m.content)}</p></li>\n"
    end
    page = "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>MyForum</title></head>\n<body>\n" \
           "<h1>Messages</h1>\n<ul>\n#{items.join}</ul>\n</body>\n</html>\n"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    render body: page, content_type: "text/html"
  end

  private

  # A non-negative integer query parameter no larger than max; default when absent, nil when invalid.
  def int_param(name, default, max)
    value = params[name]
    return default if value.nil? || value == ""
    return nil unless value.is_a?(String) && value.match?(/\A\d{1,10}\z/)
    n = value.to_i
    n <= max ? n : nil
  end
end
