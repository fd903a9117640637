class CardsController < ApplicationController
  MAX_PHONES = 100

  def associate
    card = params[:credit_card]
    phone = params[:phone]
    unless card.is_a?(String) && phone.is_a?(String) && !card.strip.empty? && !phone.strip.empty?
      return render json: { error: "credit_card and phone are required" }, status: :bad_request
    end
    begin
      CardPhone.find_or_create_by!(credit_card: card.strip, phone: phone.strip)
    rescue ActiveRecord::RecordNotUnique
      # The same association was stored concurrently.
    end
    render json: { message: "association created" }, status: :created
  end

  def retrieve
    phones = params[:phone_numbers]
    # Only a real array of strings is a lookup; an empty one would otherwise match every card.
    unless phones.is_a?(Array) && phones.all? { |p| p.is_a?(String) && !p.strip.empty? }
      return render json: { error: "phone_numbers must be an array of phone number strings" }, status: :bad_request
    end
    phones = phones.map(&:strip).uniq
    if phones.empty? || phones.size > MAX_PHONES
      return render json: { error: "phone_numbers must list 1 to 100 phone numbers" }, status: :bad_request
    end
    cards = CardPhone.where(phone: phones)
                     .group(:credit_card)
                     .having("COUNT(DISTINCT phone) = ?", phones.size)
                     .order(:credit_card)
                     .pluck(:credit_card)
    return render json: { error: "no cards found" }, status: :not_found if cards.empty?
    render json: { card_numbers: cards }, status: :ok
  end
end
