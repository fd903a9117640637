require "open3"
require "tmpdir"

class FramesController < ApplicationController
  MAX_UPLOAD = 100 << 20
  FFMPEG_TIMEOUT = 60

  def extract
    return fail_with(:payload_too_large, "the upload is too large") if request.content_length.to_i > MAX_UPLOAD
    frame = params[:frameNumber]
    unless frame.is_a?(String) && frame.strip.match?(/\A\d{1,9}\z/)
      return fail_with(:bad_request, "frameNumber must be a non-negative integer")
    end
    frame = frame.strip.to_i
    video = params[:video]
    return fail_with(:bad_request, "the video file is missing") unless video.respond_to?(:path)

    # The client's file names (videoFileName and the part's file name) are never used as paths.
    Dir.mktmpdir("extract-") do |dir|
      png = extract_frame(video.path, frame, dir)
      return fail_with(:not_found, "Frame at index #{frame} could not be found.") if png.nil?
      send_data png, type: "image/png", disposition: "inline"
    end
  end

  private

  # Runs ffmpeg with an argument list (no shell) and returns the PNG of the frame with the given
  # 0-based index, or nil when the video has no such frame.
  def extract_frame(video, frame, dir)
    out = File.join(dir, "frame.png")
    argv = ["ffmpeg", "-nostdin", "-i", video, "-vf", "select=eq(n\\,#{frame})", "-vframes", "1", out, "-y"]
    Open3.popen2e(*argv, pgroup: true) do |stdin, output, wait|
      stdin.close
      reader = Thread.new { output.read }
      if wait.join(FFMPEG_TIMEOUT).nil?
        Process.kill("KILL", -wait.pid) rescue nil
        wait.join
      end
      reader.join
    end
    data = File.exist?(out) ? File.binread(out) : ""
    data.empty? ? nil : data
  end

  def fail_with(status, message)
    render json: { error: message }, status: status
  end
end
