class SecretsController < ApplicationController
  before_action :authorize_owner

  def update
    value = params[:secret]
    return render json: { message: "Invalid data" }, status: :bad_request unless value.is_a?(String)
    secret = @user.secret || @user.build_secret
    secret.plaintext = value
    secret.save!
    render json: { message: "Secret has been set successfully" }, status: :ok
  end

  def show
    secret = @user.secret
    return render json: { message: "No secret stored" }, status: :not_found if secret.nil?
    render json: { secret: secret.plaintext }, status: :ok
  end

  private

  # Only a valid token of the very user named in the request is accepted; anything else is 401.
  def authorize_owner
    @user = token_user
    return if @user && params[:username].is_a?(String) && @user.username == params[:username]
    render json: { message: "Invalid authentication token" }, status: :unauthorized
  end
end
