class ConvertController < ApplicationController
  MAX_UPLOAD = 10 << 20
  MAX_OUTPUT = 10 << 20
  MAX_MEMBERS = 1000

  def create
    return fail_with(:payload_too_large, "the upload is too large") if request.content_length.to_i > MAX_UPLOAD + (64 << 10)
    upload = params[:file]
    return fail_with(:bad_request, "a multipart/form-data body with a zip file is required") unless upload.respond_to?(:read)
    return fail_with(:payload_too_large, "the upload is too large") if upload.size > MAX_UPLOAD

    archive = ZipArchive.new(upload.read, max_members: MAX_MEMBERS)
    # Only the .txt members are read, in memory, with the total output bounded.
    out = +"".b
    archive.members.each do |m|
      next if m.directory || !m.name.downcase.end_with?(".txt")
      out << archive.read(m, MAX_OUTPUT - out.bytesize)
      out << "\n" unless out.empty? || out.end_with?("\n")
    end
    render plain: out.force_encoding(Encoding::UTF_8).scrub, content_type: "text/plain"
  rescue ZipArchive::TooLarge
    fail_with(:payload_too_large, "the archive expands to too much text")
  rescue ZipArchive::Error
    fail_with(:bad_request, "the file is not a valid zip archive")
  end

  private

  def fail_with(status, message)
    render plain: "#{message}\n", status: status
  end
end
