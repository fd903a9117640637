# Reads the format and the dimensions of a PNG, JPEG or GIF image from its header, without decoding it.
module ImageHeader
  PNG = "\x89PNG\r\n\x1a\n".b.freeze
  SOF = [0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF].freeze

  # [format, width, height], or nil when the data is not a PNG, JPEG or GIF image.
  def self.read(data)
    data = data.b
    if data.start_with?(PNG) && data.byteslice(12, 4) == "IHDR"
      w, h = data.byteslice(16, 8).unpack("NN")
      ["png", w, h]
    elsif data.start_with?("GIF87a", "GIF89a") && data.bytesize >= 10
      w, h = data.byteslice(6, 4).unpack("vv")
      ["gif", w, h]
    elsif data.start_with?("\xFF\xD8".b)
      jpeg(data)
    end
  end

  def self.jpeg(data)
    pos = 2
    while pos + 4 <= data.bytesize
      return nil unless data.getbyte(pos) == 0xFF
      marker = data.getbyte(pos + 1)
      if marker == 0xFF
        pos += 1
        next
      end
      length = data.byteslice(pos + 2, 2).unpack1("n")
      if SOF.include?(marker)
        h, w = data.byteslice(pos + 5, 4).to_s.unpack("nn")
        return w && h ? ["jpeg", w, h] : nil
      end
      pos += 2 + length
    end
    nil
  end
end
