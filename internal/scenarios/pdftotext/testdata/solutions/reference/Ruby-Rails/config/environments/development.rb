require "active_support/core_ext/integer/time"

Rails.application.configure do
  config.enable_reloading = false
  config.eager_load = false
  # Errors are answered without details.
  config.consider_all_requests_local = false
  config.server_timing = false
  config.cache_store = :null_store
  config.active_support.deprecation = :log
  config.active_record.migration_error = false
  config.active_record.verbose_query_logs = false
  config.log_level = :info
  # The app is reached by IP address and by name in tests.
  config.hosts.clear
end
