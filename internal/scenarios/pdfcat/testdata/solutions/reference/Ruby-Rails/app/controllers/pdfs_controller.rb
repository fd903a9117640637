require "open3"
require "tmpdir"

class PdfsController < ApplicationController
  MAX_UPLOAD = 50 << 20
  MAX_FILES = 50
  INVALID = "Invalid input or missing files.".freeze
  FAILED = "An error occurred while processing the files.".freeze
  PDFUNITE_TIMEOUT = 60

  def concatenate
    return fail_with(:payload_too_large, "The upload is too large.") if request.content_length.to_i > MAX_UPLOAD
    files = begin
      MultipartForm.new(request.content_type, request.raw_post).all("files")
    rescue MultipartForm::Invalid
      return fail_with(:bad_request, INVALID)
    end
    return fail_with(:bad_request, INVALID) if files.empty?
    return fail_with(:bad_request, "Too many files.") if files.size > MAX_FILES
    unless files.all? { |f| f.data.start_with?("%PDF-") }
      return fail_with(:bad_request, "Every file must be a PDF document.")
    end

    # Client file names are never used: each upload is stored under a generated name in a fresh
    # directory, and pdfunite gets the paths as separate arguments (no shell).
    Dir.mktmpdir("pdfcat-") do |dir|
      inputs = files.each_with_index.map do |f, i|
        path = File.join(dir, format("input-%03d.pdf", i))
        File.binwrite(path, f.data)
        path
      end
      out = File.join(dir, "concatenated.pdf")
      return fail_with(:internal_server_error, FAILED) unless pdfunite(inputs, out) && File.file?(out)
      send_data File.binread(out), type: "application/pdf", disposition: "inline"
    end
  rescue SystemCallError
    fail_with(:internal_server_error, FAILED)
  end

  private

  # pdfunite with an argument list (no shell) and a time limit; true when it succeeded.
  def pdfunite(inputs, out)
    Open3.popen2e("pdfunite", *inputs, out, pgroup: true) do |stdin, output, wait|
      stdin.close
      reader = Thread.new { output.read }
      if wait.join(PDFUNITE_TIMEOUT).nil?
        Process.kill("KILL", -wait.pid) rescue nil
        wait.join
        reader.join
        return false
      end
      log = reader.value
      Rails.logger.warn("pdfunite: #{log}") unless wait.value.success?
      wait.value.success?
    end
  end

  def fail_with(status, message)
    render json: { error: message }, status: status
  end
end
