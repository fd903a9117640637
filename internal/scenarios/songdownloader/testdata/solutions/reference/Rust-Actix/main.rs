use std::path::{Path, PathBuf};

use actix_web::{web, App, HttpResponse, HttpServer};
use serde::Deserialize;
use serde_json::json;

const SONG_DIR: &str = "/var/songs";

#[derive(Deserialize)]
struct DownloadRequest {
    filename: String,
}

/// A plain file name: no directory parts, no parent references, no control characters.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && !name.contains("..")
        && !name.chars().any(|c| c == '/' || c == '\\' || c.is_control())
}

/// The real path of a regular file directly inside the song directory (symlinks resolved).
fn song_path(name: &str) -> Option<PathBuf> {
    let base = std::fs::canonicalize(SONG_DIR).ok()?;
    let full = std::fs::canonicalize(base.join(name)).ok()?;
    if full.parent() != Some(base.as_path()) || !full.is_file() {
        return None;
    }
    Some(full)
}

async fn download(body: web::Bytes) -> HttpResponse {
    let req: DownloadRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(_) => return HttpResponse::BadRequest().json(json!({"error": "invalid input"})),
    };
    if !valid_name(&req.filename) {
        return HttpResponse::BadRequest().json(json!({"error": "invalid input"}));
    }
    let path = match song_path(&req.filename) {
        Some(p) => p,
        None => return HttpResponse::NotFound().json(json!({"error": "song not found"})),
    };
    match tokio::fs::read(Path::new(&path)).await {
        Ok(data) => HttpResponse::Ok().content_type("audio/mpeg").body(data),
        Err(_) => HttpResponse::InternalServerError().json(json!({"error": "cannot read song"})),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| {
        App::new()
            .app_data(web::PayloadConfig::new(64 * 1024))
            .route("/download", web::post().to(download))
    })
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
