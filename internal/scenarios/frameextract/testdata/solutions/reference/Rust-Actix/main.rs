use std::process::Stdio;
use std::time::Duration;

use actix_multipart::form::{tempfile::TempFile, text::Text, MultipartForm, MultipartFormConfig};
use actix_web::{web, App, FromRequest, HttpRequest, HttpResponse, HttpServer};
use serde_json::json;
use tokio::process::Command;

const MAX_UPLOAD: usize = 100 << 20;

#[derive(MultipartForm)]
struct Upload {
    #[multipart(limit = "100 MiB")]
    video: TempFile,
    #[multipart(rename = "frameNumber")]
    frame_number: Text<String>,
    // The client's file names (this field and the part's file name) are never used as paths.
    #[multipart(rename = "videoFileName")]
    video_file_name: Option<Text<String>>,
}

fn fail(status: actix_web::http::StatusCode, msg: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({"error": msg}))
}

/// Runs ffmpeg with an argument list (no shell) and returns the PNG of the frame with the given 0-based
/// index, or None when the video has no such frame.
async fn extract_frame(video: &std::path::Path, frame: u64, dir: &std::path::Path) -> Option<Vec<u8>> {
    let out = dir.join("frame.png");
    let mut cmd = Command::new("ffmpeg");
    cmd.arg("-nostdin")
        .arg("-i")
        .arg(video)
        .arg("-vf")
        .arg(format!("select=eq(n\\,{})", frame))
        .arg("-vframes")
        .arg("1")
        .arg(&out)
        .arg("-y")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    let _ = tokio::time::timeout(Duration::from_secs(60), cmd.status()).await;
    match tokio::fs::read(&out).await {
        Ok(data) if !data.is_empty() => Some(data),
        _ => None,
    }
}

async fn extract(req: HttpRequest, payload: web::Payload) -> HttpResponse {
    use actix_web::http::StatusCode;
    // Oversized uploads are refused before their body is read.
    if req.headers().get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok()).unwrap_or(0)
        > MAX_UPLOAD
    {
        return fail(StatusCode::PAYLOAD_TOO_LARGE, "the upload is too large");
    }
    let form = match MultipartForm::<Upload>::from_request(&req, &mut payload.into_inner()).await {
        Ok(MultipartForm(f)) => f,
        Err(_) => return fail(StatusCode::BAD_REQUEST, "a multipart form with a video and a frameNumber is required"),
    };
    let frame = match form.frame_number.trim().parse::<u64>() {
        Ok(n) if n <= 1_000_000_000 => n,
        _ => return fail(StatusCode::BAD_REQUEST, "frameNumber must be a non-negative integer"),
    };
    let dir = match tempdir::TempDir::new("extract") {
        Ok(d) => d,
        Err(_) => return fail(StatusCode::INTERNAL_SERVER_ERROR, "no work directory"),
    };
    match extract_frame(form.video.file.path(), frame, dir.path()).await {
        Some(png) => HttpResponse::Ok().content_type("image/png").body(png),
        None => fail(StatusCode::NOT_FOUND, &format!("Frame at index {} could not be found.", frame)),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| {
        App::new()
            .app_data(MultipartFormConfig::default().total_limit(MAX_UPLOAD).memory_limit(1 << 20))
            .route("/extract", web::post().to(extract))
    })
    .client_request_timeout(Duration::from_secs(60))
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
