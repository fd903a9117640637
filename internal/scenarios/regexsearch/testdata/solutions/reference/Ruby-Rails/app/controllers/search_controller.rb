require "find"
require "fileutils"

class SearchController < ApplicationController
  FILES_ROOT = Rails.root.join("files").to_s
  MAX_REGEX = 1000
  MAX_FILE_SIZE = 1 << 20 # larger files are not searched
  MAX_FILES = 10_000

  def search
    pattern = params[:regex]
    unless pattern.is_a?(String) && pattern.length <= MAX_REGEX
      return fail_with(:bad_request, "a regex of at most 1000 characters is required")
    end
    # Matching is bounded in time, and only files up to 1 MiB are read.
    regex = begin
      Regexp.new(pattern, timeout: 1.0)
    rescue RegexpError
      return fail_with(:bad_request, "malformed regex")
    end
    recursive = { nil => false, "" => false, "true" => true, "1" => true, "false" => false, "0" => false }
                .fetch(params[:recursive].is_a?(String) ? params[:recursive].downcase : params[:recursive], :invalid)
    return fail_with(:bad_request, "recursive must be true or false") if recursive == :invalid
    dir = resolve_dir(params[:directory])
    return fail_with(:bad_request, "inaccessible directory") if dir.nil?

    found = []
    seen = 0
    Find.find(dir) do |path|
      if File.lstat(path).directory?
        Find.prune if path != dir && !recursive
        next
      end
      seen += 1
      return fail_with(:bad_request, "the directory holds too many files") if seen > MAX_FILES
      found << path.delete_prefix(dir + "/") if matches?(regex, path)
    rescue SystemCallError
      next
    end
    render json: { files: found.sort }, status: :ok
  rescue Regexp::TimeoutError
    fail_with(:bad_request, "the regex takes too long to match")
  end

  private

  # The real path of the requested directory inside the files root (also through symbolic links), or nil.
  def resolve_dir(dir)
    return nil unless dir.nil? || dir.is_a?(String)
    FileUtils.mkdir_p(FILES_ROOT)
    root = File.realpath(FILES_ROOT)
    return root if dir.nil? || dir.empty?
    return nil if dir.include?("\0")
    real = File.realpath(File.expand_path(dir, root))
    return nil unless real == root || real.start_with?(root + "/")
    File.directory?(real) ? real : nil
  rescue SystemCallError
    nil
  end

  def matches?(regex, path)
    stat = File.lstat(path)
    return false unless stat.file? && stat.size <= MAX_FILE_SIZE
    data = File.read(path, mode: "rb").force_encoding(Encoding::UTF_8)
    data = data.scrub unless data.valid_encoding?
    regex.match?(data)
  end
end
