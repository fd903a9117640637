class ImagesController < ApplicationController
  MAX_UPLOAD = 20 << 20

  def upload
    return fail_with(:payload_too_large, "the upload is too large") if request.content_length.to_i > MAX_UPLOAD
    file = params[:file]
    return fail_with(:bad_request, "a multipart form with a file is required") unless file.respond_to?(:read)
    image = Image.store(file.original_filename, file.read)
    render json: { id: image.public_id }, status: :ok
  end

  def show
    image = Image.lookup(params[:id])
    return fail_with(:not_found, "image not found") if image.nil? || !File.file?(image.path)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if image.inline?
      send_file image.path, type: image.media_type, disposition: "inline"
    else
      # Not an image a browser can show safely (HTML, SVG, scripts ...): offer it as a download.
      send_file image.path, type: "application/octet-stream", disposition: "attachment"
    end
  end

  private

  def fail_with(status, message)
    render json: { error: message }, status: status
  end
end
