use std::collections::BTreeMap;
use std::sync::Mutex;

use actix_web::{web, App, HttpResponse, HttpServer};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Deserialize;
use serde_json::json;

struct State {
    db: Mutex<Connection>,
}

type Product = BTreeMap<String, String>;

fn fail(status: actix_web::http::StatusCode, msg: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({"error": msg}))
}

/// A JSON object whose values are all strings and which holds a non-empty "name"; anything else is
/// rejected. The text is only ever parsed as data, never evaluated.
fn parse_product(data: &[u8]) -> Option<Product> {
    let p: Product = serde_json::from_slice(data).ok()?;
    if p.get("name").map(|n| n.trim().is_empty()).unwrap_or(true) {
        return None;
    }
    Some(p)
}

fn save(db: &Connection, p: &Product) -> rusqlite::Result<usize> {
    let data = serde_json::to_string(p).unwrap_or_default();
    db.execute(
        "INSERT INTO products (name, data) VALUES (?1, ?2) ON CONFLICT(name) DO UPDATE SET data = excluded.data",
        params![p["name"], data],
    )
}

async fn add(state: web::Data<State>, body: web::Bytes) -> HttpResponse {
    use actix_web::http::StatusCode;
    let p = match parse_product(&body) {
        Some(p) => p,
        None => return fail(StatusCode::BAD_REQUEST, "invalid input: a JSON object of strings with a name is required"),
    };
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    match save(&db, &p) {
        Ok(_) => HttpResponse::Created().json(json!({"message": "Product successfully added"})),
        Err(_) => fail(StatusCode::INTERNAL_SERVER_ERROR, "could not store the product"),
    }
}

#[derive(Deserialize)]
struct NameQuery {
    name: Option<String>,
}

async fn download(state: web::Data<State>, q: web::Query<NameQuery>) -> HttpResponse {
    use actix_web::http::StatusCode;
    let name = match q.name.as_deref() {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => return fail(StatusCode::BAD_REQUEST, "name is required"),
    };
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    match db.query_row("SELECT data FROM products WHERE name = ?1", params![name], |r| r.get::<_, String>(0)).optional() {
        Ok(Some(data)) => HttpResponse::Ok().json(json!({"data": data})),
        Ok(None) => fail(StatusCode::NOT_FOUND, "product not found"),
        Err(_) => fail(StatusCode::INTERNAL_SERVER_ERROR, "could not read the product"),
    }
}

#[derive(Deserialize)]
struct Upload {
    name: String,
    data: String,
}

async fn upload(state: web::Data<State>, body: web::Bytes) -> HttpResponse {
    use actix_web::http::StatusCode;
    let req: Upload = match serde_json::from_slice::<Upload>(&body) {
        Ok(r) if !r.name.is_empty() => r,
        _ => return fail(StatusCode::BAD_REQUEST, "invalid upload"),
    };
    // The data entry is plain JSON and is only ever parsed as data, never evaluated.
    let mut p = match parse_product(req.data.as_bytes()) {
        Some(p) => p,
        None => return fail(StatusCode::BAD_REQUEST, "invalid upload: data must be a JSON object of strings with a name"),
    };
    p.insert("name".to_string(), req.name.clone());
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    match db.query_row("SELECT COUNT(*) FROM products WHERE name = ?1", params![req.name], |r| r.get::<_, i64>(0)) {
        Ok(0) => return fail(StatusCode::NOT_FOUND, "product not found"),
        Ok(_) => {}
        Err(_) => return fail(StatusCode::INTERNAL_SERVER_ERROR, "could not update the product"),
    }
    match save(&db, &p) {
        Ok(_) => HttpResponse::Ok().json(json!({"message": "The product with the given name was updated."})),
        Err(_) => fail(StatusCode::INTERNAL_SERVER_ERROR, "could not update the product"),
    }
}

#[derive(Deserialize)]
struct SearchQuery {
    query: Option<String>,
}

async fn search(state: web::Data<State>, q: web::Query<SearchQuery>) -> HttpResponse {
    use actix_web::http::StatusCode;
    let needle = match q.query.as_deref() {
        Some(s) if !s.is_empty() => s.to_lowercase(),
        _ => return fail(StatusCode::BAD_REQUEST, "query is required"),
    };
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    let rows: rusqlite::Result<Vec<String>> = db
        .prepare("SELECT data FROM products ORDER BY rowid")
        .and_then(|mut st| st.query_map([], |r| r.get(0))?.collect());
    let rows = match rows {
        Ok(r) => r,
        Err(_) => return fail(StatusCode::INTERNAL_SERVER_ERROR, "search failed"),
    };
    let results: Vec<Product> = rows
        .iter()
        .filter_map(|d| serde_json::from_str::<Product>(d).ok())
        .filter(|p| p.values().any(|v| v.to_lowercase().contains(&needle)))
        .collect();
    HttpResponse::Ok().json(json!({"results": results}))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let db = Connection::open("db.sqlite3").expect("open db.sqlite3");
    db.execute_batch("CREATE TABLE IF NOT EXISTS products (name TEXT PRIMARY KEY, data TEXT NOT NULL)")
        .expect("create table");
    let state = web::Data::new(State { db: Mutex::new(db) });
    HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(web::PayloadConfig::new(1 << 20))
            .app_data(web::QueryConfig::default().error_handler(|err, _| {
                actix_web::error::InternalError::from_response(err, HttpResponse::BadRequest().json(json!({"error": "invalid query"})))
                    .into()
            }))
            .route("/add", web::post().to(add))
            .route("/download", web::get().to(download))
            .route("/upload", web::post().to(upload))
            .route("/search", web::get().to(search))
    })
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
