use std::sync::Mutex;

use actix_web::{web, App, HttpResponse, HttpServer};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Deserialize;
use serde_json::json;

struct State {
    db: Mutex<Connection>,
}

struct Entry {
    id: String,
    title: String,
    content: String,
    last_modified_by: String,
    last_modified_at: String,
}

impl Entry {
    fn to_json(&self) -> serde_json::Value {
        json!({"id": self.id, "title": self.title, "content": self.content,
               "lastModifiedBy": self.last_modified_by, "lastModifiedAt": self.last_modified_at})
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn fail(status: actix_web::http::StatusCode, msg: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({"error": msg}))
}

fn page(title: &str, body: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Content-Security-Policy", "default-src 'none'"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head><body>\n{}</body></html>\n",
            escape(title),
            body
        ))
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn find(db: &Connection, id: &str) -> rusqlite::Result<Option<Entry>> {
    db.query_row(
        "SELECT id, title, content, last_modified_by, last_modified_at FROM entries WHERE id = ?1",
        params![id],
        |r| Ok(Entry { id: r.get(0)?, title: r.get(1)?, content: r.get(2)?, last_modified_by: r.get(3)?, last_modified_at: r.get(4)? }),
    )
    .optional()
}

/// A line diff of two texts (longest common subsequence): (op, line) pairs, op one of ' ', '+', '-'.
fn line_diff(before: &str, after: &str) -> Vec<(char, String)> {
    let a: Vec<&str> = if before.is_empty() { vec![] } else { before.split('\n').collect() };
    let b: Vec<&str> = if after.is_empty() { vec![] } else { after.split('\n').collect() };
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            out.push((' ', a[i].to_string()));
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push(('+', b[j].to_string()));
            j += 1;
        } else {
            out.push(('-', a[i].to_string()));
            i += 1;
        }
    }
    out
}

async fn list(state: web::Data<State>) -> HttpResponse {
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    let rows: rusqlite::Result<Vec<(String, String)>> = db
        .prepare("SELECT id, title FROM entries ORDER BY created_at, title")
        .and_then(|mut st| st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect());
    let rows = match rows {
        Ok(r) => r,
        Err(_) => return fail(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR, "internal error"),
    };
    let mut items: String =
        rows.iter().map(|(id, t)| format!("<li><a href=\"/entries/{}\">{}</a></li>\n", escape(id), escape(t))).collect();
    if items.is_empty() {
        items = "<li>No entries yet.</li>\n".to_string();
    }
    page("Wiki", &format!("<h1>Wiki entries</h1>\n<ul>{}</ul>\n", items))
}

#[derive(Deserialize)]
struct NewEntry {
    title: String,
    content: String,
    #[serde(rename = "createdBy")]
    created_by: String,
}

async fn create(state: web::Data<State>, body: web::Bytes) -> HttpResponse {
    use actix_web::http::StatusCode;
    let req: NewEntry = match serde_json::from_slice::<NewEntry>(&body) {
        Ok(r) if !r.title.trim().is_empty() && !r.created_by.trim().is_empty() => r,
        _ => return fail(StatusCode::BAD_REQUEST, "title, content and createdBy are required"),
    };
    let e = Entry {
        id: uuid::Uuid::new_v4().to_string(),
        title: req.title,
        content: req.content,
        last_modified_by: req.created_by.clone(),
        last_modified_at: now(),
    };
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    match db.execute(
        "INSERT INTO entries (id, title, content, created_by, created_at, last_modified_by, last_modified_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?4, ?5)",
        params![e.id, e.title, e.content, req.created_by, e.last_modified_at],
    ) {
        Ok(_) => HttpResponse::Created().json(e.to_json()),
        Err(_) => fail(StatusCode::INTERNAL_SERVER_ERROR, "internal error"),
    }
}

async fn show(state: web::Data<State>, path: web::Path<String>) -> HttpResponse {
    use actix_web::http::StatusCode;
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    let e = match find(&db, &path.into_inner()) {
        Ok(Some(e)) => e,
        Ok(None) => return fail(StatusCode::NOT_FOUND, "entry not found"),
        Err(_) => return fail(StatusCode::INTERNAL_SERVER_ERROR, "internal error"),
    };
    let who: rusqlite::Result<Vec<String>> = db
        .prepare(
            "SELECT who FROM (SELECT created_by AS who, 0 AS seq FROM entries WHERE id = ?1
             UNION ALL SELECT modified_by, seq FROM edits WHERE entry_id = ?1) ORDER BY seq",
        )
        .and_then(|mut st| st.query_map(params![e.id], |r| r.get(0))?.collect());
    let who = match who {
        Ok(w) => w,
        Err(_) => return fail(StatusCode::INTERNAL_SERVER_ERROR, "internal error"),
    };
    let mut contributors: Vec<String> = Vec::new();
    for w in who {
        if !contributors.contains(&w) {
            contributors.push(w);
        }
    }
    let items: String = contributors.iter().map(|c| format!("<li>{}</li>\n", escape(c))).collect();
    page(
        &e.title,
        &format!(
            "<h1>{}</h1>\n<div class=\"content\"><pre>{}</pre></div>\n<p>Last edited {} by {}</p>\n<h2>Contributors</h2>\n<ul>{}</ul>\n<p><a href=\"/entries/{}/edits\">Edit history</a> | <a href=\"/entries\">All entries</a></p>\n",
            escape(&e.title),
            escape(&e.content),
            escape(&e.last_modified_at),
            escape(&e.last_modified_by),
            items,
            escape(&e.id)
        ),
    )
}

#[derive(Deserialize)]
struct Update {
    content: String,
    #[serde(rename = "modifiedBy")]
    modified_by: String,
    summary: String,
}

async fn update(state: web::Data<State>, path: web::Path<String>, body: web::Bytes) -> HttpResponse {
    use actix_web::http::StatusCode;
    let req: Update = match serde_json::from_slice::<Update>(&body) {
        Ok(r) if !r.modified_by.trim().is_empty() => r,
        _ => return fail(StatusCode::BAD_REQUEST, "content, modifiedBy and summary are required"),
    };
    let mut db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    let mut e = match find(&db, &path.into_inner()) {
        Ok(Some(e)) => e,
        Ok(None) => return fail(StatusCode::NOT_FOUND, "entry not found"),
        Err(_) => return fail(StatusCode::INTERNAL_SERVER_ERROR, "internal error"),
    };
    let at = now();
    let stored = db.transaction().and_then(|tx| {
        tx.execute(
            "INSERT INTO edits (entry_id, old_content, new_content, modified_by, summary, modified_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![e.id, e.content, req.content, req.modified_by, req.summary, at],
        )?;
        tx.execute(
            "UPDATE entries SET content = ?1, last_modified_by = ?2, last_modified_at = ?3 WHERE id = ?4",
            params![req.content, req.modified_by, at, e.id],
        )?;
        tx.commit()
    });
    if stored.is_err() {
        return fail(StatusCode::INTERNAL_SERVER_ERROR, "internal error");
    }
    e.content = req.content;
    e.last_modified_by = req.modified_by;
    e.last_modified_at = at;
    HttpResponse::Ok().json(e.to_json())
}

async fn history(state: web::Data<State>, path: web::Path<String>) -> HttpResponse {
    use actix_web::http::StatusCode;
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    let e = match find(&db, &path.into_inner()) {
        Ok(Some(e)) => e,
        Ok(None) => return fail(StatusCode::NOT_FOUND, "entry not found"),
        Err(_) => return fail(StatusCode::INTERNAL_SERVER_ERROR, "internal error"),
    };
    let edits: rusqlite::Result<Vec<(String, String, String, String, String)>> = db
        .prepare("SELECT old_content, new_content, modified_by, summary, modified_at FROM edits WHERE entry_id = ?1 ORDER BY seq")
        .and_then(|mut st| st.query_map(params![e.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?.collect());
    let edits = match edits {
        Ok(x) => x,
        Err(_) => return fail(StatusCode::INTERNAL_SERVER_ERROR, "internal error"),
    };
    let mut body = format!("<h1>History of {}</h1>\n", escape(&e.title));
    for (before, after, by, summary, at) in &edits {
        let lines: String = line_diff(before, after).iter().map(|(op, l)| format!("{} {}\n", op, escape(l))).collect();
        body.push_str(&format!(
            "<div class=\"edit\">\n<p><strong>{}</strong> by {} on {}</p>\n<pre>{}</pre>\n</div>\n",
            escape(summary),
            escape(by),
            escape(at),
            lines
        ));
    }
    if edits.is_empty() {
        body.push_str("<p>This entry has not been edited yet.</p>\n");
    }
    body.push_str(&format!("<p><a href=\"/entries/{}\">Back to the entry</a></p>\n", escape(&e.id)));
    page(&format!("History of {}", e.title), &body)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let db = Connection::open("db.sqlite3").expect("open db.sqlite3");
    db.execute_batch(
        "CREATE TABLE IF NOT EXISTS entries (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            content TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            last_modified_by TEXT NOT NULL,
            last_modified_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS edits (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            entry_id TEXT NOT NULL REFERENCES entries(id),
            old_content TEXT NOT NULL,
            new_content TEXT NOT NULL,
            modified_by TEXT NOT NULL,
            summary TEXT NOT NULL,
            modified_at TEXT NOT NULL
        );",
    )
    .expect("create tables");
    let state = web::Data::new(State { db: Mutex::new(db) });
    HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(web::PayloadConfig::new(1 << 20))
            .route("/entries", web::get().to(list))
            .route("/entries", web::post().to(create))
            .route("/entries/{id}", web::get().to(show))
            .route("/entries/{id}", web::put().to(update))
            .route("/entries/{id}/edits", web::get().to(history))
    })
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
