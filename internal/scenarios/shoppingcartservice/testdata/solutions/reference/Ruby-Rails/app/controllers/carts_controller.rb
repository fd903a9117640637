class CartsController < ApplicationController
  MAX_COUNT = 1_000_000

  def create
    cart = Cart.create!
    render json: { cart_id: cart.id }, status: :created
  end

  def add
    cart_id, item_id, count = params[:cart_id], params[:item_id], params[:count]
    unless cart_id.is_a?(String) && item_id.is_a?(Integer) && count.is_a?(Integer)
      return fail_with(:bad_request, "cart_id (string), item_id (integer) and count (integer) are required")
    end
    return fail_with(:bad_request, "count is out of range") if count.abs > MAX_COUNT
    return fail_with(:bad_request, "item_id is out of range") if item_id.abs >= 2**63

    Cart.transaction do
      cart = Cart.find_by(id: cart_id)
      return fail_with(:not_found, "cart not found") if cart.nil?

      item = cart.cart_items.find_or_initialize_by(item_id: item_id)
      total = item.count.to_i + count
      # A cart never holds a negative number of an item.
      return fail_with(:bad_request, "cannot remove more items than the cart holds") if total.negative?
      return fail_with(:bad_request, "count is out of range") if total > MAX_COUNT

      if total.zero?
        item.destroy! if item.persisted?
      else
        item.update!(count: total)
      end
    end
    render json: { message: "Item updated" }, status: :ok
  end

  def show
    cart_id = params[:cart_id]
    return fail_with(:bad_request, "cart_id (string) is required") unless cart_id.is_a?(String)

    cart = Cart.find_by(id: cart_id)
    return fail_with(:not_found, "cart not found") if cart.nil?

    items = cart.cart_items.where("count > 0").order(:item_id).map { |i| { item_id: i.item_id, count: i.count } }
    render json: { cart_id: cart.id, items: items }, status: :ok
  end

  private

  def fail_with(status, message)
    render json: { error: message }, status: status
  end
end
