class MerchantsController < ApplicationController
  def register
    email, name, password = params[:email], params[:name], params[:password]
    unless [email, name, password].all?(String) && !password.empty? && password.bytesize <= 72
      return render json: { error: "Invalid input" }, status: :bad_request
    end
    merchant = Merchant.new(email: email.strip, name: name.strip, password: password)
    return render json: { error: "Invalid input" }, status: :bad_request unless merchant.save
    render json: { message: "Merchant registered successfully" }, status: :created
  rescue ActiveRecord::RecordNotUnique
    render json: { error: "Invalid input" }, status: :bad_request
  end

  def login
    email, password = params[:email], params[:password]
    merchant = email.is_a?(String) ? Merchant.find_by(email: email.strip) : nil
    unless merchant && password.is_a?(String) && merchant.authenticate(password)
      return render json: { error: "Invalid email or password" }, status: :unauthorized
    end
    token = MerchantSession.start(merchant)
    response.set_cookie(COOKIE, value: token, path: "/", max_age: MerchantSession::TTL, httponly: true,
                                same_site: :strict)
    render json: { message: "Login successful" }, status: :ok
  end
end
