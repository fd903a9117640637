require "open3"
require "tmpdir"
require "timeout"

class CompileController < ApplicationController
  MAX_OUTPUT = 64 << 10
  COMPILE_TIMEOUT = 60
  # Plain file names only: no directories, no leading dash or dot, no shell characters.
  SAFE_NAME = /\A[A-Za-z0-9][A-Za-z0-9_.-]{0,99}\z/

  def create
    name, content = params[:fileName], params[:fileContent]
    return failure(:bad_request, "fileName and fileContent are required") unless name.is_a?(String) && content.is_a?(String)
    return failure(:bad_request, "invalid file name") unless name.match?(SAFE_NAME) && !name.include?("..")
    unless name.end_with?(".cpp", ".ts")
      return failure(:bad_request, "unsupported file type: only .ts and .cpp files can be compiled")
    end
    output, ok = compile(name, content)
    if ok
      render json: { hasError: false, compilerError: nil }, status: :ok
    else
      render json: { hasError: true, compilerError: output }, status: :ok
    end
  rescue SystemCallError => e
    Rails.logger.error("compile #{name}: #{e.message}")
    failure(:internal_server_error, "the compiler could not be run")
  end

  private

  # Writes the source under its validated name into a fresh directory and runs the compiler there with
  # an argument list (no shell). Returns [output, success].
  def compile(name, content)
    Dir.mktmpdir("compile-") do |dir|
      File.write(File.join(dir, name), content, perm: 0o600)
      argv = name.end_with?(".cpp") ? ["g++", "-o", "program", "./#{name}"] : ["tsc", "--noEmit", "--pretty", "false", "./#{name}"]
      output, status = run(argv, dir)
      return ["", true] if status&.success?
      text = status.nil? ? "compilation timed out" : output.strip.byteslice(0, MAX_OUTPUT).scrub
      [text.gsub("./#{name}", name), false]
    end
  end

  def run(argv, dir)
    Open3.popen2e(*argv, chdir: dir, pgroup: true) do |stdin, out, wait|
      stdin.close
      reader = Thread.new { out.read }
      if wait.join(COMPILE_TIMEOUT).nil?
        Process.kill("KILL", -wait.pid) rescue nil
        wait.join
        reader.join
        return ["", nil]
      end
      [reader.value.to_s, wait.value]
    end
  end

  def failure(status, message)
    render json: { hasError: true, compilerError: message }, status: status
  end
end
