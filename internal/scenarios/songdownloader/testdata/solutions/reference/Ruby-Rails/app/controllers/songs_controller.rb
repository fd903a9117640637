class SongsController < ApplicationController
  SONG_DIR = "/var/songs".freeze

  def download
    name = params[:filename]
    return fail_with(:bad_request, "invalid input") unless valid_name?(name)
    path = song_path(name)
    return fail_with(:not_found, "song not found") if path.nil?
    send_file path, type: "audio/mpeg", disposition: "inline"
  end

  private

  # A plain file name: no directory parts, no parent references, no control characters.
  def valid_name?(name)
    name.is_a?(String) && !name.empty? && name.bytesize <= 255 && !name.include?("..") &&
      !name.match?(%r{[/\\\x00-\x1f\x7f]}) && File.basename(name) == name
  end

  # The real path of a regular file directly inside the song directory (symlinks resolved), or nil.
  def song_path(name)
    base = File.realpath(SONG_DIR)
    full = File.realpath(File.join(base, name))
    return nil unless File.dirname(full) == base && File.file?(full)
    full
  rescue SystemCallError
    nil
  end

  def fail_with(status, message)
    render json: { error: message }, status: status
  end
end
