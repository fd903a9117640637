class LogsController < ApplicationController
  LOG_FILE = Rails.root.join("logs.txt")
  LOCK = Mutex.new

  # Backslashes and every character a reader may treat as a line break are written as escape
  # sequences, so one message always stays on one line.
  ESCAPES = {
    "\\" => "\\\\", "\r" => "\\r", "\n" => "\\n", "\v" => "\\v", "\f" => "\\f",
    "\x1c" => "\\x1c", "\x1d" => "\\x1d", "\x1e" => "\\x1e",
    "\u0085" => "\\u0085", "\u2028" => "\\u2028", "\u2029" => "\\u2029"
  }.freeze
  ESCAPE_PATTERN = Regexp.union(ESCAPES.keys)

  def create
    message = params[:message]
    unless message.is_a?(String)
      return render json: { error: "a JSON body with a \"message\" string is required" }, status: :bad_request
    end
    line = message.scrub.gsub(ESCAPE_PATTERN, ESCAPES) + "\n"
    LOCK.synchronize { File.open(LOG_FILE, "a", 0o600) { |f| f.write(line) } }
    render json: { status: "logged" }, status: :ok
  end

  def index
    data = LOCK.synchronize { File.exist?(LOG_FILE) ? File.read(LOG_FILE) : "" }
    response.headers["X-Content-Type-Options"] = "nosniff"
    render plain: data, content_type: "text/plain"
  end
end
