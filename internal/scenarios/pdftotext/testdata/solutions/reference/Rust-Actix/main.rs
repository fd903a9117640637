use std::process::Stdio;
use std::time::Duration;

use actix_multipart::form::{bytes::Bytes as FilePart, MultipartForm, MultipartFormConfig};
use actix_web::{web, App, FromRequest, HttpRequest, HttpResponse, HttpServer};
use tokio::process::Command;

/// Larger uploads are refused before any processing.
const MAX_UPLOAD: usize = 5 << 20;

#[derive(MultipartForm)]
struct Upload {
    #[multipart(limit = "5 MiB")]
    file: FilePart,
}

fn text(status: actix_web::http::StatusCode, msg: &str) -> HttpResponse {
    HttpResponse::build(status).content_type("text/plain; charset=utf-8").body(format!("{}\n", msg))
}

/// pdftotext with an argument list (no shell) and a time limit; None when it fails.
async fn pdftotext(input: &std::path::Path) -> Option<Vec<u8>> {
    let mut cmd = Command::new("pdftotext");
    cmd.arg("-enc").arg("UTF-8").arg(input).arg("-").stdin(Stdio::null()).kill_on_drop(true);
    match tokio::time::timeout(Duration::from_secs(30), cmd.output()).await {
        Ok(Ok(out)) if out.status.success() => Some(out.stdout),
        _ => None,
    }
}

async fn convert(req: HttpRequest, payload: web::Payload) -> HttpResponse {
    use actix_web::http::StatusCode;
    if req.headers().get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok()).unwrap_or(0)
        > MAX_UPLOAD
    {
        return text(StatusCode::PAYLOAD_TOO_LARGE, "the file is too large");
    }
    let form = match MultipartForm::<Upload>::from_request(&req, &mut payload.into_inner()).await {
        Ok(MultipartForm(f)) => f,
        Err(_) => return text(StatusCode::BAD_REQUEST, "a multipart/form-data body with a file is required"),
    };
    if form.file.data.is_empty() {
        return text(StatusCode::BAD_REQUEST, "the file is empty");
    }
    // The client's file name is never used: the upload goes to a fresh directory under a fixed name.
    let dir = match tempdir::TempDir::new("pdf2txt") {
        Ok(d) => d,
        Err(_) => return text(StatusCode::INTERNAL_SERVER_ERROR, "could not store the file"),
    };
    let input = dir.path().join("input.pdf");
    if tokio::fs::write(&input, &form.file.data).await.is_err() {
        return text(StatusCode::INTERNAL_SERVER_ERROR, "could not store the file");
    }
    match pdftotext(&input).await {
        Some(out) => HttpResponse::Ok().content_type("text/plain; charset=utf-8").body(out),
        None => text(StatusCode::INTERNAL_SERVER_ERROR, "the file could not be converted"),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| {
        App::new()
            .app_data(MultipartFormConfig::default().total_limit(MAX_UPLOAD + (64 << 10)).memory_limit(MAX_UPLOAD + (64 << 10)))
            .route("/convert", web::post().to(convert))
    })
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
