require "find"

class SearchController < ApplicationController
  DATA_DIR = "/data".freeze
  MAX_READ = 10 << 20
  MAX_FILES = 10_000

  def search
    content = optional_string(:search_content)
    name = optional_string(:search_filename)
    dir = optional_string(:search_dir)
    if [content, name, dir].include?(:invalid)
      return render json: { error: "the search fields must be strings" }, status: :bad_request
    end
    content = content.to_s
    name = name.to_s
    if content.empty? && name.empty?
      return render json: { error: "search_content or search_filename is required" }, status: :bad_request
    end
    root = search_root(dir.to_s)
    return render json: { error: "search_dir must stay inside the data directory" }, status: :bad_request if root == :outside

    found = []
    if root
      Find.find(root) do |path|
        break if found.size >= MAX_FILES
        # Symlinks and special files are skipped (Find does not follow symlinked directories).
        next unless File.lstat(path).file?
        found << path if (!name.empty? && File.basename(path).start_with?(name)) || (!content.empty? && contains?(path, content))
      rescue SystemCallError
        next
      end
    end
    render json: { files: found.sort }, status: :ok
  end

  private

  def optional_string(key)
    value = params[key]
    return nil if value.nil?
    value.is_a?(String) ? value : :invalid
  end

  # search_dir is relative to /data even when it starts with a slash; ".." is refused and the real
  # path (symlinks resolved) must stay inside /data. nil when there is nothing to search.
  def search_root(dir)
    return :outside if dir.include?("\0") || dir.split(%r{[/\\]}).include?("..")
    base = File.realpath(DATA_DIR)
    expanded = File.expand_path("/" + dir)
    root = expanded == "/" ? DATA_DIR : DATA_DIR + expanded
    real = File.realpath(root)
    return :outside unless real == base || real.start_with?(base + "/")
    File.directory?(real) ? root : nil
  rescue SystemCallError
    nil
  end

  def contains?(path, needle)
    File.open(path, "rb") { |f| f.read(MAX_READ).to_s.include?(needle.b) }
  rescue SystemCallError
    false
  end
end
