require "open3"
require "timeout"

class MonitorController < ApplicationController
  MAX_REGEX = 1000
  MAX_FLAGS = 20_000
  # What one ps option word may look like: never a shell metacharacter. ps receives the words as
  # separate arguments; no shell is involved.
  FLAG_TOKEN = /\A[A-Za-z0-9,=:+-]+\z/

  def commands
    pattern = params[:command_regex]
    flags = params[:filter_flags]
    return fail_with(:bad_request, "a JSON body with command_regex is required") unless pattern.is_a?(String)
    return fail_with(:bad_request, "command_regex is too long") if pattern.length > MAX_REGEX
    return fail_with(:bad_request, "filter_flags must be a string") unless flags.nil? || flags.is_a?(String)
    return fail_with(:bad_request, "filter_flags is too long") if flags.to_s.length > MAX_FLAGS
    words = flags.to_s.split
    return fail_with(:bad_request, "invalid filter_flags") unless words.all? { |w| w.match?(FLAG_TOKEN) }

    # Matching is bounded in time, so no pattern can keep a worker busy.
    regex = begin
      Regexp.new(pattern, timeout: 1.0)
    rescue RegexpError
      return fail_with(:bad_request, "invalid command_regex")
    end
    processes = list_processes(words)
    return fail_with(:bad_request, "ps rejected the filter flags") if processes.nil?
    matched = processes.select { |p| regex.match?(p[:processString]) }
    render json: matched, status: :ok
  rescue Regexp::TimeoutError
    fail_with(:bad_request, "command_regex takes too long to match")
  end

  private

  def list_processes(words)
    out, status = Timeout.timeout(10) { Open3.capture2("ps", *words, err: File::NULL) }
    return nil unless status.success?
    lines = out.lines.map(&:chomp).reject { |l| l.strip.empty? }
    return [] if lines.empty?
    header = lines.shift.split
    pid_col = header.index("PID")
    return nil if pid_col.nil? || pid_col == header.size - 1
    lines.filter_map do |line|
      fields = line.strip.split(/[ \t]+/, header.size)
      next unless fields.size == header.size && fields[pid_col].match?(/\A\d+\z/)
      { processId: fields[pid_col].to_i, processString: fields.last }
    end
  rescue Timeout::Error, SystemCallError
    nil
  end

  def fail_with(status, message)
    render json: { code: Rack::Utils.status_code(status), message: message }, status: status
  end
end
