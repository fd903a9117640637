class ServicesController < ApplicationController
  MAX_FIELD = 1024

  def heartbeat
    service_id, token = params[:serviceId], params[:token]
    unless [service_id, token].all?(String) && !service_id.empty? && !token.empty? &&
           service_id.length <= MAX_FIELD && token.length <= MAX_FIELD
      return render json: { error: "Invalid request payload" }, status: :bad_request
    end
    service = Service.find_or_initialize_by(service_id: service_id, token_hash: Service.token_hash(token))
    service.update!(last_notification: Time.now.utc)
    render json: { message: "Heartbeat registered successfully" }, status: :ok
  rescue ActiveRecord::RecordNotUnique
    render json: { message: "Heartbeat registered successfully" }, status: :ok
  end

  def index
    token = params[:token]
    return render json: { error: "Invalid request payload" }, status: :bad_request unless token.is_a?(String)
    services = Service.where(token_hash: Service.token_hash(token)).order(:service_id).map do |s|
      { serviceId: s.service_id, lastNotification: s.last_notification.utc.iso8601 }
    end
    render json: services, status: :ok
  end
end
