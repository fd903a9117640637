use std::collections::HashMap;
use std::sync::Mutex;

use actix_multipart::form::{bytes::Bytes as FilePart, MultipartForm, MultipartFormConfig};
use actix_web::{web, App, HttpResponse, HttpServer};
use serde_json::json;

const MAX_UPLOAD: usize = 20 << 20;
const IMAGE_DIR: &str = "/tmp/images";

/// The formats a browser may show inline; anything else is sent as a download.
const INLINE_TYPES: [&str; 8] =
    ["image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp", "image/avif", "image/x-icon", "image/tiff"];

struct Store {
    types: Mutex<HashMap<String, String>>, // id -> media type
}

#[derive(MultipartForm)]
struct Upload {
    #[multipart(limit = "20 MiB")]
    file: FilePart,
}

/// The media type from the file name's extension, else from the content.
fn media_type(name: &str, data: &[u8]) -> String {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let by_ext = match ext.as_str() {
        "png" => Some("image/png"),
        "jpg" | "jpeg" => Some("image/jpeg"),
        "gif" => Some("image/gif"),
        "webp" => Some("image/webp"),
        "bmp" => Some("image/bmp"),
        "avif" => Some("image/avif"),
        "ico" => Some("image/x-icon"),
        "tif" | "tiff" => Some("image/tiff"),
        "svg" => Some("image/svg+xml"),
        "html" | "htm" => Some("text/html"),
        "js" => Some("text/javascript"),
        "" => None,
        _ => Some("application/octet-stream"),
    };
    if let Some(t) = by_ext {
        return t.to_string();
    }
    let sniffed = if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if data.starts_with(b"\xff\xd8\xff") {
        "image/jpeg"
    } else if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
        "image/gif"
    } else if data.len() > 12 && &data[0..4] == b"RIFF" && &data[8..12] == b"WEBP" {
        "image/webp"
    } else {
        "application/octet-stream"
    };
    sniffed.to_string()
}

async fn upload(store: web::Data<Store>, MultipartForm(form): MultipartForm<Upload>) -> HttpResponse {
    // The stored file is named by a random identifier; the client's file name only hints at the type.
    let id = uuid::Uuid::new_v4().to_string();
    let name = form.file.file_name.clone().unwrap_or_default();
    let kind = media_type(&name, &form.file.data);
    if tokio::fs::create_dir_all(IMAGE_DIR).await.is_err()
        || tokio::fs::write(format!("{}/{}", IMAGE_DIR, id), &form.file.data).await.is_err()
    {
        return HttpResponse::InternalServerError().json(json!({"error": "the file could not be stored"}));
    }
    store.types.lock().unwrap_or_else(|e| e.into_inner()).insert(id.clone(), kind);
    HttpResponse::Ok().json(json!({"id": id}))
}

async fn image(store: web::Data<Store>, path: web::Path<String>) -> HttpResponse {
    let id = path.into_inner();
    if uuid::Uuid::parse_str(&id).is_err() {
        return HttpResponse::NotFound().json(json!({"error": "image not found"}));
    }
    let kind = match store.types.lock().unwrap_or_else(|e| e.into_inner()).get(&id) {
        Some(k) => k.clone(),
        None => return HttpResponse::NotFound().json(json!({"error": "image not found"})),
    };
    let data = match tokio::fs::read(format!("{}/{}", IMAGE_DIR, id)).await {
        Ok(d) => d,
        Err(_) => return HttpResponse::InternalServerError().json(json!({"error": "the image could not be read"})),
    };
    if INLINE_TYPES.contains(&kind.as_str()) {
        HttpResponse::Ok()
            .content_type(kind)
            .insert_header(("Content-Disposition", "inline"))
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .body(data)
    } else {
        // Not an image a browser can show safely (HTML, SVG, scripts ...): offer it as a download.
        HttpResponse::Ok()
            .content_type("application/octet-stream")
            .insert_header(("Content-Disposition", "attachment"))
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .body(data)
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    std::fs::create_dir_all(IMAGE_DIR)?;
    let store = web::Data::new(Store { types: Mutex::new(HashMap::new()) });
    HttpServer::new(move || {
        App::new()
            .app_data(store.clone())
            .app_data(MultipartFormConfig::default().total_limit(MAX_UPLOAD + (1 << 20)).memory_limit(MAX_UPLOAD + (1 << 20)))
            .route("/upload", web::post().to(upload))
            .route("/images/{imageId}", web::get().to(image))
    })
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
