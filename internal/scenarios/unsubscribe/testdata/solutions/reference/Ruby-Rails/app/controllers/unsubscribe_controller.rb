require "json"

class UnsubscribeController < ApplicationController
  MAX_MAIL = 1 << 20
  KEYWORDS = ["unsubscribe", "remove me", "deregister me", "stop sending me", "delete me"].freeze
  ADDRESS = /\A[^\s@<>()",;:]+@[^\s@<>()",;:]+\z/

  def decide
    body = request.raw_post.to_s
    return render json: { error: "the e-mail is too large" }, status: :payload_too_large if body.bytesize > MAX_MAIL
    raw = raw_mail(body)
    return render json: { error: "no e-mail given" }, status: :bad_request if raw.nil? || raw.strip.empty?

    headers, content = split_message(raw)
    address = sender(headers)
    return render json: { error: "the e-mail has no valid sender" }, status: :bad_request if address.nil?

    render json: { email: address, unsubscribe: asks_to_unsubscribe?(headers["subject"].to_s, content) }, status: :ok
  end

  private

  # The API takes the raw mail as text/plain; a client that wraps it in a JSON object
  # {"content": "..."} is accepted too.
  def raw_mail(body)
    json_type = request.media_type == "application/json"
    if json_type || body.lstrip.start_with?("{")
      begin
        wrapped = JSON.parse(body)
        return wrapped["content"] if wrapped.is_a?(Hash) && wrapped["content"].is_a?(String)
      rescue JSON::ParserError
        nil
      end
      return nil if json_type
    end
    body
  end

  # The header block ends at the first empty line; lines that look like headers in the body are never
  # consulted. Folded header lines are joined; the first occurrence of a header wins.
  def split_message(raw)
    text = raw.scrub.gsub("\r\n", "\n")
    head, content = text.split(/\n\n/, 2)
    headers = {}
    current = nil
    head.to_s.each_line(chomp: true) do |line|
      if line.start_with?(" ", "\t") && current
        headers[current] += " " + line.strip if headers[current]
        next
      end
      name, value = line.split(":", 2)
      next if value.nil?
      current = name.strip.downcase
      if headers.key?(current)
        current = nil
      else
        headers[current] = value.strip
      end
    end
    [headers, content.to_s]
  end

  # The address of the message's own From header: the one in angle brackets, else the bare value.
  def sender(headers)
    from = headers["from"]
    return nil if from.nil? || from.empty?
    candidate = from[/<([^<>]*)>/, 1] || from.split(",").first.to_s
    candidate = candidate.strip
    candidate.match?(ADDRESS) ? candidate : nil
  end

  # The keywords are searched in the subject and in the body, both as sent and with quoted-printable
  # encoding undone, ignoring case and line breaks.
  def asks_to_unsubscribe?(subject, content)
    decoded = content.unpack1("M").to_s.force_encoding(Encoding::UTF_8).scrub
    text = [subject, content, decoded].join("\n").downcase.split.join(" ")
    KEYWORDS.any? { |k| text.include?(k) }
  end
end
