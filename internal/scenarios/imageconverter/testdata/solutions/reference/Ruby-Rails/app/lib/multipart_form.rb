# A multipart/form-data body split into its parts, keeping repeated field names (Rack's parameter
# parsing keeps only the last part of a name that has no "[]").
class MultipartForm
  class Invalid < StandardError; end

  Part = Struct.new(:name, :filename, :data)

  def initialize(content_type, body)
    boundary = content_type.to_s[/;\s*boundary="?([^";]+)"?/i, 1]
    raise Invalid, "not a multipart/form-data body" unless content_type.to_s.downcase.start_with?("multipart/form-data") && boundary
    @parts = parse(body.to_s.b, "--#{boundary}".b)
  end

  # The parts of this name, in order.
  def all(name)
    @parts.select { |p| p.name == name }
  end

  # The text of the first part of this name, or nil.
  def value(name)
    part = @parts.find { |p| p.name == name }
    part && part.data.dup.force_encoding(Encoding::UTF_8).scrub
  end

  private

  def parse(body, delimiter)
    chunks = body.split(delimiter, -1)
    raise Invalid, "no parts" if chunks.size < 2
    parts = []
    chunks[1..].each do |chunk|
      break if chunk.start_with?("--")
      chunk = chunk.delete_prefix("\r\n")
      head, data = chunk.split("\r\n\r\n", 2)
      raise Invalid, "malformed part" if data.nil?
      disposition = head.split("\r\n").find { |line| line.match?(/\Acontent-disposition:/i) }.to_s
      name = disposition[/;\s*name="([^"]*)"/i, 1]
      filename = disposition[/;\s*filename="([^"]*)"/i, 1]
      parts << Part.new(name, filename, data.delete_suffix("\r\n"))
    end
    parts
  end
end
