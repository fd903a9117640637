class InvitationsController < ApplicationController
  def create
    email = params[:email].is_a?(String) ? params[:email].strip.downcase : ""
    unless email.match?(URI::MailTo::EMAIL_REGEXP)
      return render json: { message: "Invalid email" }, status: :bad_request
    end
    invitation = Invitation.find_by(email: email)
    if invitation
      return render json: { invite_id: invitation.invite_id, message: "Invitation already exists for this email" }
    end
    invitation = Invitation.create!(email: email)
    render json: { invite_id: invitation.invite_id, message: "Invitation created" }
  rescue ActiveRecord::RecordNotUnique, ActiveRecord::RecordInvalid
    invitation = Invitation.find_by(email: email)
    return render json: { message: "Internal error" }, status: :internal_server_error if invitation.nil?
    render json: { invite_id: invitation.invite_id, message: "Invitation already exists for this email" }
  end
end
