require "zlib"

# Reads the members of a zip archive held in memory (stored and deflated members). Nothing is
# written to disk and nested archives are never opened.
class ZipArchive
  class Error < StandardError; end
  class TooLarge < Error; end

  EOCD = "PK\x05\x06".b
  CENTRAL = "PK\x01\x02".b
  LOCAL = "PK\x03\x04".b

  Member = Struct.new(:name, :method, :compressed_size, :offset, :directory)

  def initialize(data, max_members:)
    @data = data.b
    @members = read_central_directory(max_members)
  end

  attr_reader :members

  # The bytes of a member, at most limit bytes (TooLarge beyond, whatever its header claims).
  def read(member, limit)
    head = @data.byteslice(member.offset, 30)
    raise Error, "bad local header" unless head && head.bytesize == 30 && head.start_with?(LOCAL)
    name_len, extra_len = head.byteslice(26, 4).unpack("vv")
    start = member.offset + 30 + name_len + extra_len
    raw = @data.byteslice(start, member.compressed_size)
    raise Error, "truncated member" unless raw && raw.bytesize == member.compressed_size
    case member.method
    when 0
      raise TooLarge if raw.bytesize > limit
      raw
    when 8
      out = +"".b
      inflater = Zlib::Inflate.new(-Zlib::MAX_WBITS)
      begin
        inflater.inflate(raw) do |chunk|
          out << chunk
          raise TooLarge if out.bytesize > limit
        end
        inflater.finish
      ensure
        inflater.close
      end
      raise TooLarge if out.bytesize > limit
      out
    else
      raise Error, "unsupported compression method"
    end
  rescue Zlib::Error
    raise Error, "corrupt member"
  end

  private

  def read_central_directory(max_members)
    at = @data.rindex(EOCD, [@data.bytesize - 22, 0].max)
    raise Error, "not a zip archive" if at.nil? || @data.bytesize < at + 22
    count, _size, dir_offset = @data.byteslice(at + 10, 10).unpack("vVV")
    raise Error, "too many members" if count > max_members
    pos = dir_offset
    Array.new(count) do
      entry = @data.byteslice(pos, 46)
      raise Error, "bad central directory" unless entry && entry.bytesize == 46 && entry.start_with?(CENTRAL)
      method = entry.byteslice(10, 2).unpack1("v")
      compressed = entry.byteslice(20, 4).unpack1("V")
      name_len, extra_len, comment_len = entry.byteslice(28, 6).unpack("vvv")
      offset = entry.byteslice(42, 4).unpack1("V")
      name = @data.byteslice(pos + 46, name_len).to_s.force_encoding(Encoding::UTF_8).scrub
      pos += 46 + name_len + extra_len + comment_len
      Member.new(name, method, compressed, offset, name.end_with?("/"))
    end
  end
end
