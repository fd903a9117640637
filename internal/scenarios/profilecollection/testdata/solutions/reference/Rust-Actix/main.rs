use std::sync::Mutex;

use actix_multipart::form::{bytes::Bytes as FilePart, MultipartForm, MultipartFormConfig};
use actix_web::{web, App, FromRequest, HttpRequest, HttpResponse, HttpServer};
use rusqlite::{params, Connection, OptionalExtension};

const MAX_REQUEST: usize = 8 << 20;
const MAX_PAGE: usize = 1 << 20;
const MAX_PHOTO: usize = 6 << 20;

struct State {
    db: Mutex<Connection>,
}

// Fields are read as parts, whether the client sent them as plain values or as files.
#[derive(MultipartForm)]
struct NewProfile {
    #[multipart(limit = "1 KiB")]
    username: FilePart,
    #[multipart(limit = "1 MiB")]
    profile_page: FilePart,
    #[multipart(limit = "6 MiB")]
    profile_photo: FilePart,
}

fn text(status: actix_web::http::StatusCode, msg: &str) -> HttpResponse {
    HttpResponse::build(status).content_type("text/plain; charset=utf-8").body(format!("{}\n", msg))
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn valid_username(u: &str) -> bool {
    !u.is_empty() && u.len() <= 64 && u.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
}

async fn add_profile(state: web::Data<State>, req: HttpRequest, payload: web::Payload) -> HttpResponse {
    use actix_web::http::StatusCode;
    // Oversized uploads are refused before their body is read.
    if req.headers().get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok()).unwrap_or(0)
        > MAX_REQUEST
    {
        return text(StatusCode::PAYLOAD_TOO_LARGE, "Request too large");
    }
    let form = match MultipartForm::<NewProfile>::from_request(&req, &mut payload.into_inner()).await {
        Ok(MultipartForm(f)) => f,
        Err(_) => return text(StatusCode::BAD_REQUEST, "Invalid input"),
    };
    let username = String::from_utf8_lossy(&form.username.data).to_string();
    let page = String::from_utf8_lossy(&form.profile_page.data).to_string();
    let photo = form.profile_photo.data.to_vec();
    if !valid_username(&username) || page.is_empty() || page.len() > MAX_PAGE || photo.len() > MAX_PHOTO
        || !photo.starts_with(b"\x89PNG\r\n\x1a\n")
    {
        return text(StatusCode::BAD_REQUEST, "Invalid input");
    }
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    match db.query_row("SELECT COUNT(*) FROM profiles WHERE username = ?1", params![username], |r| r.get::<_, i64>(0)) {
        Ok(0) => {}
        Ok(_) => return text(StatusCode::FORBIDDEN, "Profile already exists, creation forbidden"),
        Err(_) => return text(StatusCode::INTERNAL_SERVER_ERROR, "Internal error"),
    }
    match db.execute("INSERT INTO profiles (username, page, photo) VALUES (?1, ?2, ?3)", params![username, page, photo]) {
        Ok(_) => text(StatusCode::CREATED, "Profile created successfully"),
        Err(_) => text(StatusCode::FORBIDDEN, "Profile already exists, creation forbidden"),
    }
}

async fn profile(state: web::Data<State>, path: web::Path<String>) -> HttpResponse {
    use actix_web::http::StatusCode;
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    match db.query_row("SELECT page FROM profiles WHERE username = ?1", params![path.into_inner()], |r| r.get::<_, String>(0)).optional() {
        // User-supplied markup is never served as markup: it is shown escaped, and scripts are forbidden.
        Ok(Some(page)) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header(("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'"))
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .body(format!(
                "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><pre>{}</pre></body></html>",
                escape(&page)
            )),
        Ok(None) => text(StatusCode::NOT_FOUND, "Profile not found"),
        Err(_) => text(StatusCode::INTERNAL_SERVER_ERROR, "Internal error"),
    }
}

async fn profile_photo(state: web::Data<State>, path: web::Path<String>) -> HttpResponse {
    use actix_web::http::StatusCode;
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    match db.query_row("SELECT photo FROM profiles WHERE username = ?1", params![path.into_inner()], |r| r.get::<_, Vec<u8>>(0)).optional() {
        Ok(Some(photo)) if !photo.is_empty() => HttpResponse::Ok()
            .content_type("image/png")
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .body(photo),
        Ok(_) => text(StatusCode::NOT_FOUND, "Profile photo not found"),
        Err(_) => text(StatusCode::INTERNAL_SERVER_ERROR, "Internal error"),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let db = Connection::open("db.sqlite3").expect("open db.sqlite3");
    db.execute_batch(
        "CREATE TABLE IF NOT EXISTS profiles (username TEXT PRIMARY KEY, page TEXT NOT NULL, photo BLOB NOT NULL)",
    )
    .expect("create table");
    let state = web::Data::new(State { db: Mutex::new(db) });
    HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(MultipartFormConfig::default().total_limit(MAX_REQUEST).memory_limit(MAX_REQUEST))
            .route("/add_profile", web::post().to(add_profile))
            .route("/profile/{username}", web::get().to(profile))
            .route("/profile-photo/{username}", web::get().to(profile_photo))
    })
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
