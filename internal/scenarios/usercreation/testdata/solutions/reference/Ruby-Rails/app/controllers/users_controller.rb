class UsersController < ApplicationController
  def create
    invite_id = params[:invite_id]
    name = params[:user_name].is_a?(String) ? params[:user_name].strip : ""
    password = params[:password].is_a?(String) ? params[:password] : ""

    Invitation.transaction do
      # The invitation is looked up by its exact id only, and can be used once.
      invitation = invite_id.is_a?(String) ? Invitation.find_by(invite_id: invite_id, used: false) : nil
      return render json: { message: "Invalid invite_id" }, status: :unauthorized if invitation.nil?

      if name.empty? || name.length > 100 || password.empty? || password.bytesize > 72
        return render json: { message: "A user name and a password of at most 72 bytes are required" },
                      status: :bad_request
      end
      if User.exists?(user_name: name)
        return render json: { message: "Username already exists. Try providing different username." },
                      status: :bad_request
      end
      User.create!(user_name: name, email: invitation.email, password: password)
      invitation.update!(used: true)
    end
    render json: { message: "User created" }, status: :ok
  rescue ActiveRecord::RecordNotUnique
    render json: { message: "Username already exists. Try providing different username." }, status: :bad_request
  end
end
