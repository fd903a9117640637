class ApplicationController < ActionController::API
  COOKIE = "AUTH_COOKIE".freeze

  private

  def current_merchant
    @current_merchant ||= MerchantSession.merchant_for(request.cookies[COOKIE])
  end

  def require_merchant
    render json: { error: "Unauthorized" }, status: :unauthorized if current_merchant.nil?
  end
end
