use std::process::Stdio;
use std::time::Duration;

use actix_multipart::form::{bytes::Bytes as FilePart, text::Text, MultipartForm, MultipartFormConfig};
use actix_web::{web, App, FromRequest, HttpRequest, HttpResponse, HttpServer};
use serde_json::json;
use tokio::process::Command;

const MAX_UPLOAD: usize = 50 << 20;
const MAX_IMAGES: usize = 50;
const MAX_SIDE: u64 = 4000;
const MAX_TARGET_AREA: u64 = 4_000_000;
const MAX_TOTAL_PIXELS: u64 = 64_000_000;
const MAX_INPUT_PIXELS: u64 = 40_000_000; // largest uploaded image, against decompression bombs
const MAX_DELAY: u64 = 655_350; // GIF delays are 16-bit hundredths of a second

#[derive(MultipartForm)]
struct Upload {
    #[multipart(limit = "50 MiB")]
    images: Vec<FilePart>,
    #[multipart(rename = "targetSize")]
    target_size: Text<String>,
    delay: Option<Text<String>>,
    #[multipart(rename = "appendReverted")]
    append_reverted: Option<Text<String>>,
}

fn fail(status: actix_web::http::StatusCode, msg: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({"error": msg}))
}

/// The format and dimensions of a PNG, JPEG or GIF image, read from its header without decoding it.
fn image_header(d: &[u8]) -> Option<(&'static str, u64, u64)> {
    let be16 = |i: usize| d.get(i..i + 2).map(|b| u16::from_be_bytes([b[0], b[1]]) as u64);
    if d.starts_with(b"\x89PNG\r\n\x1a\n") && d.get(12..16) == Some(b"IHDR") {
        let w = u32::from_be_bytes(d.get(16..20)?.try_into().ok()?) as u64;
        let h = u32::from_be_bytes(d.get(20..24)?.try_into().ok()?) as u64;
        return Some(("png", w, h));
    }
    if (d.starts_with(b"GIF87a") || d.starts_with(b"GIF89a")) && d.len() >= 10 {
        return Some(("gif", u16::from_le_bytes([d[6], d[7]]) as u64, u16::from_le_bytes([d[8], d[9]]) as u64));
    }
    if d.starts_with(b"\xff\xd8") {
        let mut pos = 2;
        while pos + 4 <= d.len() {
            if d[pos] != 0xff {
                return None;
            }
            let marker = d[pos + 1];
            if marker == 0xff {
                pos += 1;
                continue;
            }
            let len = be16(pos + 2)? as usize;
            if matches!(marker, 0xc0..=0xc3 | 0xc5..=0xc7 | 0xc9..=0xcb | 0xcd..=0xcf) {
                return Some(("jpeg", be16(pos + 7)?, be16(pos + 5)?));
            }
            pos += 2 + len;
        }
    }
    None
}

struct Options {
    width: u64,
    height: u64,
    delay_cs: u64,
    reverted: bool,
}

fn parse_options(form: &Upload) -> Result<Options, String> {
    let size = form.target_size.trim();
    let (w, h) = size.split_once('x').ok_or("targetSize must look like 500x500")?;
    let num = |s: &str| -> Option<u64> {
        if s.is_empty() || s.len() > 5 || !s.bytes().all(|b| b.is_ascii_digit()) || s.starts_with('0') {
            None
        } else {
            s.parse().ok()
        }
    };
    let (width, height) = match (num(w), num(h)) {
        (Some(w), Some(h)) => (w, h),
        _ => return Err("targetSize must look like 500x500".into()),
    };
    if width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_TARGET_AREA {
        return Err(format!("targetSize is too large: at most {}x{} pixels and {} pixels in all", MAX_SIDE, MAX_SIDE, MAX_TARGET_AREA));
    }
    let delay = match form.delay.as_ref().map(|d| d.trim().to_string()) {
        None => 10,
        Some(d) if d.is_empty() => 10,
        Some(d) => match d.parse::<u64>() {
            Ok(v) if v <= MAX_DELAY && d.bytes().all(|b| b.is_ascii_digit()) => v,
            _ => return Err("delay must be a whole number of milliseconds".into()),
        },
    };
    let reverted = match form.append_reverted.as_ref().map(|v| v.trim().to_ascii_lowercase()) {
        None => false,
        Some(v) if v.is_empty() || v == "false" || v == "0" => false,
        Some(v) if v == "true" || v == "1" => true,
        _ => return Err("appendReverted must be true or false".into()),
    };
    Ok(Options { width, height, delay_cs: (delay + 5) / 10, reverted })
}

async fn create_gif(req: HttpRequest, payload: web::Payload) -> HttpResponse {
    use actix_web::http::StatusCode;
    if req.headers().get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok()).unwrap_or(0)
        > MAX_UPLOAD
    {
        return fail(StatusCode::PAYLOAD_TOO_LARGE, "the upload is too large");
    }
    let form = match MultipartForm::<Upload>::from_request(&req, &mut payload.into_inner()).await {
        Ok(MultipartForm(f)) => f,
        Err(_) => return fail(StatusCode::BAD_REQUEST, "a multipart form with images and a targetSize is required"),
    };
    let o = match parse_options(&form) {
        Ok(o) => o,
        Err(e) => return fail(StatusCode::BAD_REQUEST, &e),
    };
    if form.images.is_empty() || form.images.len() > MAX_IMAGES {
        return fail(StatusCode::BAD_REQUEST, &format!("between 1 and {} images are required", MAX_IMAGES));
    }
    let dir = match tempdir::TempDir::new("gif") {
        Ok(d) => d,
        Err(_) => return fail(StatusCode::INTERNAL_SERVER_ERROR, "no work directory"),
    };
    // Each upload is stored under a name of our own after its header is checked; the inputs name the
    // format explicitly so ImageMagick picks no other coder.
    let mut inputs = Vec::new();
    for (i, img) in form.images.iter().enumerate() {
        let (kind, w, h) = match image_header(&img.data) {
            Some(x) => x,
            None => return fail(StatusCode::BAD_REQUEST, &format!("image {} is not a PNG, JPEG or GIF image", i + 1)),
        };
        if w * h > MAX_INPUT_PIXELS {
            return fail(StatusCode::BAD_REQUEST, &format!("image {} is too large", i + 1));
        }
        let path = dir.path().join(format!("input-{:03}.{}", i, kind));
        if tokio::fs::write(&path, &img.data).await.is_err() {
            return fail(StatusCode::INTERNAL_SERVER_ERROR, "could not store the images");
        }
        inputs.push(format!("{}:{}", kind, path.display()));
    }
    let mut frames = inputs.clone();
    if o.reverted {
        frames.extend(inputs.iter().rev().cloned());
    }
    if frames.len() as u64 * o.width * o.height > MAX_TOTAL_PIXELS {
        return fail(StatusCode::BAD_REQUEST, "the animation would be too large");
    }
    let out = dir.path().join("out.gif");
    let mut cmd = Command::new("convert");
    cmd.arg("-delay")
        .arg(o.delay_cs.to_string())
        .args(&frames)
        .arg("-resize")
        .arg(format!("{}x{}!", o.width, o.height))
        .arg("-loop")
        .arg("0")
        .arg(format!("gif:{}", out.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    match tokio::time::timeout(Duration::from_secs(60), cmd.status()).await {
        Ok(Ok(s)) if s.success() => {}
        _ => return fail(StatusCode::INTERNAL_SERVER_ERROR, "the GIF could not be created"),
    }
    match tokio::fs::read(&out).await {
        Ok(gif) => HttpResponse::Ok().content_type("image/gif").body(gif),
        Err(_) => fail(StatusCode::INTERNAL_SERVER_ERROR, "the GIF could not be created"),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| {
        App::new()
            .app_data(MultipartFormConfig::default().total_limit(MAX_UPLOAD).memory_limit(MAX_UPLOAD))
            .route("/create-gif", web::post().to(create_gif))
    })
    .client_request_timeout(Duration::from_secs(60))
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
