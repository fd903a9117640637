use std::collections::HashMap;
use std::sync::Mutex;

use actix_web::{web, App, HttpResponse, HttpServer};
use rusqlite::{params, params_from_iter, Connection};
use serde::Deserialize;
use serde_json::json;

const MAX_NAME: usize = 200;
const MAX_TAG: usize = 100;
const MAX_TAGS: usize = 50;
const MAX_RESULTS: usize = 1000;

struct State {
    db: Mutex<Connection>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

#[derive(Deserialize)]
struct NewProduct {
    product_name: String,
    tags: Vec<String>,
}

async fn post_product(state: web::Data<State>, body: web::Bytes) -> HttpResponse {
    let invalid = || HttpResponse::BadRequest().json(json!({"error": "invalid input"}));
    let req: NewProduct = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(_) => return invalid(),
    };
    let name = req.product_name.trim().to_string();
    let mut tags: Vec<String> = Vec::new();
    for t in &req.tags {
        let t = t.trim().to_string();
        if t.is_empty() || t.len() > MAX_TAG {
            return invalid();
        }
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    if name.is_empty() || name.len() > MAX_NAME || tags.is_empty() || tags.len() > MAX_TAGS {
        return invalid();
    }
    let mut db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    let stored = db.transaction().and_then(|tx| {
        tx.execute("INSERT INTO products (name) VALUES (?1)", params![name])?;
        let id = tx.last_insert_rowid();
        for t in &tags {
            tx.execute("INSERT OR IGNORE INTO product_tags (product_id, tag) VALUES (?1, ?2)", params![id, t])?;
        }
        tx.commit()
    });
    match stored {
        Ok(()) => HttpResponse::Ok().json(json!({"message": "Product posted"})),
        Err(_) => HttpResponse::InternalServerError().json(json!({"error": "internal error"})),
    }
}

async fn get_products(state: web::Data<State>, q: web::Query<HashMap<String, String>>) -> HttpResponse {
    let tags: Vec<String> = q
        .get("tags")
        .map(|s| s.split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).take(MAX_TAGS).collect())
        .unwrap_or_default();
    let mut names: Vec<String> = Vec::new();
    if !tags.is_empty() {
        // The tags only ever travel as bound parameters.
        let sql = format!(
            "SELECT DISTINCT p.id, p.name FROM products p JOIN product_tags t ON t.product_id = p.id WHERE t.tag IN ({}) ORDER BY p.id LIMIT {}",
            vec!["?"; tags.len()].join(", "),
            MAX_RESULTS
        );
        let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
        let rows: rusqlite::Result<Vec<String>> = db
            .prepare(&sql)
            .and_then(|mut st| st.query_map(params_from_iter(tags.iter()), |r| r.get(1))?.collect());
        names = match rows {
            Ok(n) => n,
            Err(_) => return HttpResponse::InternalServerError().body("internal error"),
        };
    }
    let items: String = names.iter().map(|n| format!("<li>{}</li>\n", escape(n))).collect();
    let page = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Recommendations</title></head>\n<body>\n<h1>Recommended products</h1>\n<ul>\n{}</ul>\n</body></html>\n",
        items
    );
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Content-Security-Policy", "default-src 'self'; script-src 'none'"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(page)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let db = Connection::open("db.sqlite3").expect("open db.sqlite3");
    db.execute_batch(
        "CREATE TABLE IF NOT EXISTS products (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL);
         CREATE TABLE IF NOT EXISTS product_tags (
            product_id INTEGER NOT NULL REFERENCES products(id),
            tag TEXT NOT NULL,
            PRIMARY KEY (product_id, tag)
         );
         CREATE INDEX IF NOT EXISTS product_tags_tag ON product_tags (tag);",
    )
    .expect("create tables");
    let state = web::Data::new(State { db: Mutex::new(db) });
    HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(web::PayloadConfig::new(64 * 1024))
            .app_data(web::QueryConfig::default().error_handler(|err, _| {
                actix_web::error::InternalError::from_response(err, HttpResponse::BadRequest().body("invalid query")).into()
            }))
            .route("/recommender", web::get().to(get_products))
            .route("/recommender", web::post().to(post_product))
    })
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
