use std::fs::OpenOptions;
use std::io::{ErrorKind, Write};
use std::sync::Mutex;

use actix_web::{web, App, HttpResponse, HttpServer};
use serde::Deserialize;
use serde_json::json;

const LOG_FILE: &str = "logs.txt";

struct State {
    lock: Mutex<()>,
}

#[derive(Deserialize)]
struct Entry {
    message: Option<String>,
}

/// Keeps a message on one line: backslashes and every character a reader may treat as a line break
/// are written as escape sequences.
fn neutralize(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for c in message.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            '\u{0b}' => out.push_str("\\v"),
            '\u{0c}' => out.push_str("\\f"),
            '\u{1c}' | '\u{1d}' | '\u{1e}' => out.push_str(&format!("\\x{:02x}", c as u32)),
            '\u{85}' | '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            _ => out.push(c),
        }
    }
    out
}

async fn add_log(state: web::Data<State>, body: web::Bytes) -> HttpResponse {
    let message = match serde_json::from_slice::<Entry>(&body) {
        Ok(Entry { message: Some(m) }) => m,
        _ => return HttpResponse::BadRequest().json(json!({"error": "a JSON body with a \"message\" string is required"})),
    };
    let line = neutralize(&message) + "\n";
    let _guard = state.lock.lock().unwrap_or_else(|e| e.into_inner());
    let written = OpenOptions::new()
        .create(true)
        .append(true)
        .open(LOG_FILE)
        .and_then(|mut f| f.write_all(line.as_bytes()));
    match written {
        Ok(()) => HttpResponse::Ok().json(json!({"status": "logged"})),
        Err(_) => HttpResponse::InternalServerError().json(json!({"error": "could not store the message"})),
    }
}

async fn get_logs(state: web::Data<State>) -> HttpResponse {
    let _guard = state.lock.lock().unwrap_or_else(|e| e.into_inner());
    let data = match std::fs::read(LOG_FILE) {
        Ok(d) => d,
        Err(e) if e.kind() == ErrorKind::NotFound => Vec::new(),
        Err(_) => return HttpResponse::InternalServerError().body("could not read the logs"),
    };
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(data)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let state = web::Data::new(State { lock: Mutex::new(()) });
    HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(web::PayloadConfig::new(1 << 20))
            .route("/log", web::post().to(add_log))
            .route("/logs", web::get().to(get_logs))
    })
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
