threads_count = ENV.fetch("RAILS_MAX_THREADS", 3)
threads threads_count, threads_count

port ENV.fetch("PORT", 3000)

# Uploads above this size are answered 413 by Puma before their body is read or buffered to disk.
http_content_length_limit 50 * 1024 * 1024
