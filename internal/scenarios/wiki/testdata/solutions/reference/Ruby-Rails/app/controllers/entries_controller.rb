class EntriesController < ApplicationController
  include ERB::Util

  MAX_DIFF_LINES = 2000

  before_action :find_entry, only: [:show, :update, :edits]

  def index
    items = Entry.order(:created_at, :title).map { |e| "<li><a href=\"/entries/#{h(e.public_id)}\">#{h(e.title)}</a></li>\n" }
    page("Wiki", "<h1>Wiki entries</h1>\n<ul>#{items.join.presence || "<li>No entries yet.</li>\n"}</ul>\n")
  end

  def create
    title, content, created_by = params[:title], params[:content], params[:createdBy]
    unless [title, content, created_by].all?(String) && !title.strip.empty? && !created_by.strip.empty?
      return fail_with(:bad_request, "title, content and createdBy are required")
    end
    entry = Entry.create!(title: title, content: content, created_by: created_by, last_modified_by: created_by)
    render json: entry, status: :created
  end

  def show
    contributors = @entry.contributors.map { |c| "<li>#{h(c)}</li>\n" }.join
    page(@entry.title,
         "<h1>#{h(@entry.title)}</h1>\n<div class=\"content\"><pre>#{h(@entry.content)}</pre></div>\n" \
         "<p>Last edited #{h(@entry.updated_at.utc.iso8601)} by #{h(@entry.last_modified_by)}</p>\n" \
         "<h2>Contributors</h2>\n<ul>#{contributors}</ul>\n" \
         "<p><a href=\"/entries/#{h(@entry.public_id)}/edits\">Edit history</a> | <a href=\"/entries\">All entries</a></p>\n")
  end

  def update
    content, modified_by, summary = params[:content], params[:modifiedBy], params[:summary]
    unless [content, modified_by, summary].all?(String) && !modified_by.strip.empty?
      return fail_with(:bad_request, "content, modifiedBy and summary are required")
    end
    Entry.transaction do
      @entry.edits.create!(old_content: @entry.content, new_content: content, modified_by: modified_by, summary: summary)
      @entry.update!(content: content, last_modified_by: modified_by)
    end
    render json: @entry, status: :ok
  end

  def edits
    history = @entry.edits.map do |e|
      lines = e.diff.first(MAX_DIFF_LINES).map { |op, text| "#{op} #{h(text)}\n" }.join
      "<div class=\"edit\">\n<p><strong>#{h(e.summary)}</strong> by #{h(e.modified_by)} on #{h(e.created_at.utc.iso8601)}</p>\n" \
        "<pre>#{lines}</pre>\n</div>\n"
    end
    page("History of #{@entry.title}",
         "<h1>History of #{h(@entry.title)}</h1>\n#{history.join.presence || "<p>This entry has not been edited yet.</p>\n"}" \
         "<p><a href=\"/entries/#{h(@entry.public_id)}\">Back to the entry</a></p>\n")
  end

  private

  def find_entry
    @entry = Entry.find_by(public_id: params[:id].to_s)
    fail_with(:not_found, "entry not found") if @entry.nil?
  end

  def page(title, body)
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    render body: "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>#{h(title)}</title></head><body>\n" \
                 "#{body}</body></html>\n",
           content_type: "text/html"
  end

  def fail_with(status, message)
    render json: { error: message }, status: status
  end
end
