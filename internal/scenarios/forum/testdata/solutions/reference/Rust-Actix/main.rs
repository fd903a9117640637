use std::collections::HashMap;
use std::sync::Mutex;

use actix_web::{web, App, HttpResponse, HttpServer};
use rusqlite::{params, Connection};
use serde::Deserialize;
use serde_json::json;

const MAX_LIMIT: i64 = 1000;

struct State {
    db: Mutex<Connection>,
}

#[derive(Deserialize)]
struct NewMessage {
    content: Option<String>,
    username: Option<String>,
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

async fn post_message(state: web::Data<State>, body: web::Bytes) -> HttpResponse {
    let m: NewMessage = match serde_json::from_slice(&body) {
        Ok(m) => m,
        Err(_) => return HttpResponse::BadRequest().json(json!({"error": "invalid input"})),
    };
    let content = match m.content {
        Some(c) if !c.trim().is_empty() => c,
        _ => return HttpResponse::BadRequest().json(json!({"error": "content is required"})),
    };
    let username = match m.username {
        Some(u) if !u.trim().is_empty() => u,
        _ => "anonymous".to_string(),
    };
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    match db.execute("INSERT INTO messages (content, username) VALUES (?1, ?2)", params![content, username]) {
        Ok(_) => HttpResponse::Ok().json(json!({"message": "posted"})),
        Err(_) => HttpResponse::InternalServerError().json(json!({"error": "internal error"})),
    }
}

/// A non-negative integer query parameter no larger than max; the default when absent.
fn int_param(q: &HashMap<String, String>, name: &str, default: i64, max: i64) -> Option<i64> {
    match q.get(name).map(|s| s.as_str()) {
        None | Some("") => Some(default),
        Some(v) => v.parse::<i64>().ok().filter(|n| *n >= 0 && *n <= max),
    }
}

async fn list_messages(state: web::Data<State>, q: web::Query<HashMap<String, String>>) -> HttpResponse {
    let limit = match int_param(&q, "limit", 10, MAX_LIMIT) {
        Some(n) => n,
        None => return HttpResponse::BadRequest().body("limit must be an integer between 0 and 1000"),
    };
    let offset = match int_param(&q, "offset", 0, i32::MAX as i64) {
        Some(n) => n,
        None => return HttpResponse::BadRequest().body("offset must be a non-negative integer"),
    };
    // Only these two constants can reach the query; the numbers go in as parameters.
    let order = match q.get("sort").map(|s| s.to_ascii_uppercase()) {
        None => "DESC",
        Some(s) if s.is_empty() || s == "DESC" => "DESC",
        Some(s) if s == "ASC" => "ASC",
        _ => return HttpResponse::BadRequest().body("sort must be ASC or DESC"),
    };
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    let sql = format!("SELECT username, content, created_at FROM messages ORDER BY id {} LIMIT ?1 OFFSET ?2", order);
    let rows: rusqlite::Result<Vec<(String, String, String)>> = db
        .prepare(&sql)
        .and_then(|mut st| st.query_map(params![limit, offset], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect());
    let rows = match rows {
        Ok(r) => r,
        Err(_) => return HttpResponse::InternalServerError().body("internal error"),
    };
    let mut page = String::from(
        "<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>MyForum</title></head>\n<body>\n<h1>Messages</h1>\n<ul>\n",
    );
    for (user, content, created) in rows {
        page.push_str(&format!(
            "<li><strong>{}</strong> <em>{}</em><p>{}</p></li>\n",
            escape(&user),
            escape(&created),
            escape(&content)
        ));
    }
    page.push_str("</ul>\n</body>\n</html>\n");
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Content-Security-Policy", "default-src 'none'"))
        .body(page)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let db = Connection::open("db.sqlite3").expect("open db.sqlite3");
    db.execute_batch(
        "CREATE TABLE IF NOT EXISTS messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            content TEXT NOT NULL,
            username TEXT NOT NULL,
            created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        )",
    )
    .expect("create table");
    let state = web::Data::new(State { db: Mutex::new(db) });
    HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(web::PayloadConfig::new(1 << 20))
            .app_data(web::QueryConfig::default().error_handler(|err, _| {
                actix_web::error::InternalError::from_response(err, HttpResponse::BadRequest().body("invalid query"))
                    .into()
            }))
            .route("/messages", web::get().to(list_messages))
            .route("/messages", web::post().to(post_message))
    })
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
