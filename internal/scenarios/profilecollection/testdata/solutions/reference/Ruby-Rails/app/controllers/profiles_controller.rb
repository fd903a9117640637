class ProfilesController < ApplicationController
  include ERB::Util

  MAX_REQUEST = 8 << 20
  MAX_PAGE = 1 << 20
  MAX_PHOTO = 6 << 20

  def create
    # Oversized uploads are refused before the form is parsed.
    if request.content_length.to_i > MAX_REQUEST
      return render plain: "Request too large\n", status: :payload_too_large
    end
    username = field(:username, 64)
    page = field(:profile_page, MAX_PAGE)
    photo = field(:profile_photo, MAX_PHOTO)
    if page == :too_large || photo == :too_large
      return render plain: "Profile page or photo too large\n", status: :payload_too_large
    end
    return render plain: "Invalid input\n", status: :bad_request unless username.is_a?(String)
    if Profile.exists?(username: username)
      return render plain: "Profile already exists, creation forbidden\n", status: :forbidden
    end
    profile = Profile.new(username: username, page: page.to_s.dup.force_encoding(Encoding::UTF_8).scrub, photo: photo.to_s.b)
    return render plain: "Invalid input\n", status: :bad_request unless profile.save
    render plain: "Profile created successfully\n", status: :created
  rescue ActiveRecord::RecordNotUnique
    render plain: "Profile already exists, creation forbidden\n", status: :forbidden
  end

  def show
    profile = Profile.find_by(username: params[:username])
    return render plain: "Profile not found\n", status: :not_found if profile.nil?
    # User-supplied markup is never served as markup: it is shown escaped, and scripts are forbidden.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    render body: "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><pre>#{h(profile.page)}</pre></body></html>",
           content_type: "text/html"
  end

  def photo
    profile = Profile.find_by(username: params[:username])
    return render plain: "Profile photo not found\n", status: :not_found if profile.nil? || profile.photo.blank?
    response.headers["X-Content-Type-Options"] = "nosniff"
    send_data profile.photo, type: "image/png", disposition: "inline"
  end

  private

  # One form field, sent as a plain value or as a file part; :too_large above limit bytes.
  def field(name, limit)
    value = params[name]
    if value.respond_to?(:read)
      return :too_large if value.size > limit
      value.read
    elsif value.is_a?(String)
      value.bytesize > limit ? :too_large : value
    end
  end
end
