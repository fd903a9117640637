require "open3"
require "tmpdir"

class GifsController < ApplicationController
  MAX_UPLOAD = 50 << 20
  MAX_IMAGES = 50
  MAX_SIDE = 4000
  MAX_TARGET_AREA = 4_000_000
  MAX_TOTAL_PIXELS = 64_000_000
  MAX_INPUT_PIXELS = 40_000_000 # largest uploaded image, against decompression bombs
  MAX_DELAY = 655_350 # GIF delays are 16-bit hundredths of a second
  CONVERT_TIMEOUT = 60

  class InvalidInput < StandardError; end

  def create
    return fail_with(:payload_too_large, "the upload is too large") if request.content_length.to_i > MAX_UPLOAD
    @form = MultipartForm.new(request.content_type, request.raw_post)
    width, height = target_size
    delay_cs = (delay + 5) / 10
    reverted = append_reverted
    images = @form.all("images")
    raise InvalidInput, "between 1 and #{MAX_IMAGES} images are required" unless images.size.between?(1, MAX_IMAGES)

    Dir.mktmpdir("gif-") do |dir|
      inputs = save_images(images, dir)
      frames = reverted ? inputs + inputs.reverse : inputs
      raise InvalidInput, "the animation would be too large" if frames.size * width * height > MAX_TOTAL_PIXELS
      out = File.join(dir, "out.gif")
      argv = ["convert", "-delay", delay_cs.to_s, *frames, "-resize", "#{width}x#{height}!", "-loop", "0", "gif:#{out}"]
      unless run(argv) && File.file?(out)
        return fail_with(:internal_server_error, "the GIF could not be created")
      end
      send_data File.binread(out), type: "image/gif", disposition: "inline"
    end
  rescue InvalidInput, MultipartForm::Invalid => e
    fail_with(:bad_request, e.message)
  end

  private

  def target_size
    m = @form.value("targetSize").to_s.match(/\A([1-9]\d{0,4})x([1-9]\d{0,4})\z/)
    raise InvalidInput, "targetSize must look like 500x500" if m.nil?
    w, h = m[1].to_i, m[2].to_i
    if w > MAX_SIDE || h > MAX_SIDE || w * h > MAX_TARGET_AREA
      raise InvalidInput, "targetSize is too large: at most #{MAX_SIDE}x#{MAX_SIDE} pixels and #{MAX_TARGET_AREA} pixels in all"
    end
    [w, h]
  end

  def delay
    value = @form.value("delay")
    return 10 if value.nil? || value == ""
    raise InvalidInput, "delay must be a whole number of milliseconds" unless value.is_a?(String) && value.match?(/\A\d{1,6}\z/)
    d = value.to_i
    raise InvalidInput, "delay must be a whole number of milliseconds" if d > MAX_DELAY
    d
  end

  def append_reverted
    value = @form.value("appendReverted")
    return false if value.nil? || value == ""
    { "true" => true, "1" => true, "false" => false, "0" => false }.fetch(value.to_s.downcase) do
      raise InvalidInput, "appendReverted must be true or false"
    end
  end

  # Stores each upload under a name of our own after checking its header; the returned inputs name the
  # format explicitly so ImageMagick picks no other coder.
  def save_images(images, dir)
    images.each_with_index.map do |image, i|
      kind, w, h = ImageHeader.read(image.data)
      raise InvalidInput, "image #{i + 1} is not a PNG, JPEG or GIF image" if kind.nil?
      raise InvalidInput, "image #{i + 1} is too large" if w * h > MAX_INPUT_PIXELS
      path = File.join(dir, format("input-%03d.%s", i, kind))
      File.binwrite(path, image.data)
      "#{kind}:#{path}"
    end
  end

  def run(argv)
    Open3.popen2e(*argv, pgroup: true) do |stdin, output, wait|
      stdin.close
      reader = Thread.new { output.read }
      if wait.join(CONVERT_TIMEOUT).nil?
        Process.kill("KILL", -wait.pid) rescue nil
        wait.join
        reader.join
        return false
      end
      log = reader.value
      Rails.logger.warn("convert: #{log}") unless wait.value.success?
      wait.value.success?
    end
  end

  def fail_with(status, message)
    render json: { error: message }, status: status
  end
end
