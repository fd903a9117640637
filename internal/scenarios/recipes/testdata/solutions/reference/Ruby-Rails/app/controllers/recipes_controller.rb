class RecipesController < ApplicationController
  include ERB::Util

  LIST_LIMIT = 20

  def index
    averages = Rating.group(:recipe_id).average(:rating)
    recent = Recipe.order(id: :desc).limit(LIST_LIMIT).to_a
    top_ids = averages.sort_by { |id, avg| [-avg, id] }.first(LIST_LIMIT).map(&:first)
    top = Recipe.where(id: top_ids).index_by(&:id).values_at(*top_ids).compact
    recent_items = recent.map { |r| "<li><a href=\"/recipes/#{h(r.public_id)}\">#{h(r.title)}</a></li>" }
    top_items = top.map do |r|
      "<li><a href=\"/recipes/#{h(r.public_id)}\">#{h(r.title)}</a> (#{format('%.1f', averages[r.id])} stars)</li>"
    end
    page(
      "Recipes",
      "<h1>Recipes</h1>\n<h2>Recent recipes</h2>\n<ul>#{recent_items.join.presence || '<li>No recipes yet.</li>'}</ul>\n" \
      "<h2>Top-rated recipes</h2>\n<ul>#{top_items.join.presence || '<li>No ratings yet.</li>'}</ul>\n"
    )
  end

  def create
    title, ingredients, instructions = params[:title], params[:ingredients], params[:instructions]
    unless title.is_a?(String) && instructions.is_a?(String) && ingredients.is_a?(Array)
      return fail_with(:bad_request, "Invalid input")
    end
    recipe = Recipe.new(title: title.strip, ingredients: ingredients, instructions: instructions.strip)
    return fail_with(:bad_request, "Invalid input") unless recipe.save
    render json: recipe, status: :created
  end

  def show
    recipe = Recipe.find_by(public_id: params[:id].to_s)
    return render plain: "Recipe not found", status: :not_found if recipe.nil?
    avg = recipe.average_rating
    rating = avg ? "Average rating: #{format('%.1f', avg)} (#{recipe.ratings.count} ratings)" : "Not rated yet."
    ingredients = recipe.ingredients.map { |i| "<li>#{h(i)}</li>" }.join
    comments = recipe.comments.map { |c| "<li>#{h(c.comment)}</li>" }.join.presence || "<li>No comments yet.</li>"
    page(
      recipe.title,
      "<p><a href=\"/recipes\">All recipes</a></p>\n<h1>#{h(recipe.title)}</h1>\n" \
      "<h2>Ingredients</h2>\n<ul>#{ingredients}</ul>\n<h2>Instructions</h2>\n<p>#{h(recipe.instructions)}</p>\n" \
      "<h2>Rating</h2>\n<p>#{rating}</p>\n<h2>Comments</h2>\n<ul>#{comments}</ul>\n"
    )
  end

  def comment
    recipe = Recipe.find_by(public_id: params[:id].to_s)
    return fail_with(:not_found, "Recipe not found") if recipe.nil?
    text = params[:comment]
    return fail_with(:bad_request, "Invalid input") unless text.is_a?(String) && !text.strip.empty?
    return fail_with(:bad_request, "Invalid input") unless recipe.comments.create(comment: text).persisted?
    render json: { message: "Comment added successfully" }, status: :created
  end

  def rate
    recipe = Recipe.find_by(public_id: params[:id].to_s)
    return fail_with(:not_found, "Recipe not found") if recipe.nil?
    value = params[:rating]
    # Only whole numbers from 1 to 5 are ratings.
    unless value.is_a?(Integer) && value.between?(1, 5)
      return fail_with(:bad_request, "Rating must be an integer from 1 to 5")
    end
    recipe.ratings.create!(rating: value)
    render json: { message: "Rating added successfully" }, status: :created
  end

  private

  def page(title, body)
    response.headers["Content-Security-Policy"] = "default-src 'self'; script-src 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    render body: "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>#{h(title)}</title></head>\n<body>\n" \
                 "#{body}</body></html>\n",
           content_type: "text/html"
  end

  def fail_with(status, message)
    render json: { error: message }, status: status
  end
end
