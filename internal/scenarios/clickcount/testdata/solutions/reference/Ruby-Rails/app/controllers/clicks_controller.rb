require "securerandom"
require "date"

class ClicksController < ApplicationController
  # Only these four operators can reach the query; the date is a bound parameter.
  OPERATORS = { "<" => "<", ">" => ">", "<=" => "<=", ">=" => ">=" }.freeze
  # Timestamps are stored in a fixed-width UTC layout, so text order is time order.
  STAMP = "%Y-%m-%dT%H:%M:%S.%6NZ".freeze

  def create
    click = Click.create!(id: SecureRandom.uuid, timestamp: Time.now.utc.strftime(STAMP))
    render json: { id: click.id, timestamp: click.timestamp }, status: :created
  end

  def index
    op = OPERATORS[params[:direction].to_s]
    return render json: { error: "direction must be one of <, >, <=, >=" }, status: :bad_request if op.nil?
    day = begin
      Date.strptime(params[:date].to_s, "%Y-%m-%d")
    rescue ArgumentError
      nil
    end
    return render json: { error: "date must look like 2022-01-01" }, status: :bad_request if day.nil?
    # A click on the given day counts as on the date: "<" is before it starts, ">" after it ends.
    start = Time.utc(day.year, day.month, day.day)
    bound = (op == ">" || op == "<=") ? start + 86_400 - Rational(1, 1_000_000) : start
    clicks = Click.where("timestamp #{op} ?", bound.strftime(STAMP)).order(:timestamp)
    return render json: { error: "no clicks found" }, status: :not_found if clicks.empty?
    render json: clicks.map { |c| { id: c.id, timestamp: c.timestamp } }, status: :ok
  end
end
