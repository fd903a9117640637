use std::process::Stdio;
use std::time::Duration;

use actix_multipart::form::{bytes::Bytes as FilePart, MultipartForm, MultipartFormConfig};
use actix_web::{web, App, FromRequest, HttpRequest, HttpResponse, HttpServer};
use serde_json::json;
use tokio::process::Command;

const MAX_UPLOAD: usize = 50 << 20;
const MAX_FILES: usize = 50;
const INVALID: &str = "Invalid input or missing files.";
const FAILED: &str = "An error occurred while processing the files.";

#[derive(MultipartForm)]
struct Upload {
    #[multipart(limit = "50 MiB")]
    files: Vec<FilePart>,
}

fn fail(status: actix_web::http::StatusCode, msg: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({"error": msg}))
}

async fn concatenate(req: HttpRequest, payload: web::Payload) -> HttpResponse {
    use actix_web::http::StatusCode;
    if req.headers().get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok()).unwrap_or(0)
        > MAX_UPLOAD
    {
        return fail(StatusCode::PAYLOAD_TOO_LARGE, "The upload is too large.");
    }
    let form = match MultipartForm::<Upload>::from_request(&req, &mut payload.into_inner()).await {
        Ok(MultipartForm(f)) => f,
        Err(_) => return fail(StatusCode::BAD_REQUEST, INVALID),
    };
    if form.files.is_empty() {
        return fail(StatusCode::BAD_REQUEST, INVALID);
    }
    if form.files.len() > MAX_FILES {
        return fail(StatusCode::BAD_REQUEST, "Too many files.");
    }
    if !form.files.iter().all(|f| f.data.starts_with(b"%PDF-")) {
        return fail(StatusCode::BAD_REQUEST, "Every file must be a PDF document.");
    }
    // Client file names are never used: each upload is stored under a generated name in a fresh
    // directory, and pdfunite gets the paths as separate arguments (no shell).
    let dir = match tempdir::TempDir::new("pdfcat") {
        Ok(d) => d,
        Err(_) => return fail(StatusCode::INTERNAL_SERVER_ERROR, FAILED),
    };
    let mut args = Vec::new();
    for (i, f) in form.files.iter().enumerate() {
        let p = dir.path().join(format!("input-{:03}.pdf", i));
        if tokio::fs::write(&p, &f.data).await.is_err() {
            return fail(StatusCode::INTERNAL_SERVER_ERROR, FAILED);
        }
        args.push(p);
    }
    let out = dir.path().join("concatenated.pdf");
    let mut cmd = Command::new("pdfunite");
    cmd.args(&args).arg(&out).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).kill_on_drop(true);
    match tokio::time::timeout(Duration::from_secs(60), cmd.status()).await {
        Ok(Ok(s)) if s.success() => {}
        _ => return fail(StatusCode::INTERNAL_SERVER_ERROR, FAILED),
    }
    match tokio::fs::read(&out).await {
        Ok(pdf) => HttpResponse::Ok().content_type("application/pdf").body(pdf),
        Err(_) => fail(StatusCode::INTERNAL_SERVER_ERROR, FAILED),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| {
        App::new()
            .app_data(MultipartFormConfig::default().total_limit(MAX_UPLOAD).memory_limit(MAX_UPLOAD))
            .route("/concatenate", web::post().to(concatenate))
    })
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
