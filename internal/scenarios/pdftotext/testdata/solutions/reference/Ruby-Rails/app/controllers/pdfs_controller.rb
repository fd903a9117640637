require "open3"
require "tmpdir"

class PdfsController < ApplicationController
  # Larger uploads are refused before any processing.
  MAX_UPLOAD = 5 << 20
  TIMEOUT = 30

  def convert
    return fail_with(:payload_too_large, "the file is too large") if request.content_length.to_i > MAX_UPLOAD
    upload = request.media_type == "multipart/form-data" ? params[:file] : nil
    return fail_with(:bad_request, "a multipart/form-data body with a file is required") unless upload.respond_to?(:read)
    return fail_with(:payload_too_large, "the file is too large") if upload.size > MAX_UPLOAD
    return fail_with(:bad_request, "the file is empty") if upload.size.zero?

    # The client's file name is never used: the upload goes to a fresh directory under a fixed name.
    Dir.mktmpdir("pdf2txt-") do |dir|
      input = File.join(dir, "input.pdf")
      IO.copy_stream(upload, input)
      text = pdftotext(input)
      return fail_with(:internal_server_error, "the file could not be converted") if text.nil?
      render plain: text.force_encoding(Encoding::UTF_8).scrub, content_type: "text/plain"
    end
  end

  private

  # pdftotext with an argument list (no shell) and a time limit; nil when it fails.
  def pdftotext(input)
    Open3.popen3("pdftotext", "-enc", "UTF-8", input, "-", pgroup: true) do |stdin, out, err, wait|
      stdin.close
      reader = Thread.new { out.read }
      errors = Thread.new { err.read }
      if wait.join(TIMEOUT).nil?
        Process.kill("KILL", -wait.pid) rescue nil
        wait.join
        reader.join
        errors.join
        return nil
      end
      text = reader.value
      errors.join
      wait.value.success? ? text : nil
    end
  end

  def fail_with(status, message)
    render plain: "#{message}\n", status: status
  end
end
