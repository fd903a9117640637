use std::sync::Mutex;

use actix_web::{web, App, HttpResponse, HttpServer};
use chrono::{Duration, NaiveDate, Utc};
use rusqlite::{params, Connection};
use serde::Deserialize;
use serde_json::json;

struct State {
    db: Mutex<Connection>,
}

#[derive(Deserialize)]
struct Query {
    date: Option<String>,
    direction: Option<String>,
}

/// Timestamps are stored in a fixed-width UTC layout, so text order is time order.
const STAMP: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";

async fn add_click(state: web::Data<State>) -> HttpResponse {
    let id = uuid::Uuid::new_v4().to_string();
    let now = Utc::now().format(STAMP).to_string();
    let db = match state.db.lock() {
        Ok(db) => db,
        Err(_) => return HttpResponse::InternalServerError().json(json!({"error": "internal error"})),
    };
    match db.execute("INSERT INTO clicks (id, timestamp) VALUES (?1, ?2)", params![id, now]) {
        Ok(_) => HttpResponse::Created().json(json!({"id": id, "timestamp": now})),
        Err(_) => HttpResponse::BadRequest().json(json!({"error": "could not record the click"})),
    }
}

async fn list_clicks(state: web::Data<State>, q: web::Query<Query>) -> HttpResponse {
    // Only these four operators can reach the query; the date is a bound parameter.
    let op = match q.direction.as_deref() {
        Some("<") => "<",
        Some(">") => ">",
        Some("<=") => "<=",
        Some(">=") => ">=",
        _ => return HttpResponse::BadRequest().json(json!({"error": "direction must be one of <, >, <=, >="})),
    };
    let day = match q.date.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) {
        Some(d) => d,
        None => return HttpResponse::BadRequest().json(json!({"error": "date must look like 2022-01-01"})),
    };
    // A click on the given day counts as on the date: "<" is before it starts, ">" after it ends.
    let start = day.and_hms_opt(0, 0, 0).unwrap();
    let bound = if op == ">" || op == "<=" {
        start + Duration::days(1) - Duration::microseconds(1)
    } else {
        start
    };
    let bound = bound.format(STAMP).to_string();
    let db = match state.db.lock() {
        Ok(db) => db,
        Err(_) => return HttpResponse::InternalServerError().json(json!({"error": "internal error"})),
    };
    let sql = format!("SELECT id, timestamp FROM clicks WHERE timestamp {} ?1 ORDER BY timestamp", op);
    let mut stmt = match db.prepare(&sql) {
        Ok(s) => s,
        Err(_) => return HttpResponse::InternalServerError().json(json!({"error": "internal error"})),
    };
    let rows = stmt.query_map(params![bound], |r| {
        Ok(json!({"id": r.get::<_, String>(0)?, "timestamp": r.get::<_, String>(1)?}))
    });
    let list: Vec<serde_json::Value> = match rows.and_then(|it| it.collect()) {
        Ok(l) => l,
        Err(_) => return HttpResponse::InternalServerError().json(json!({"error": "internal error"})),
    };
    if list.is_empty() {
        return HttpResponse::NotFound().json(json!({"error": "no clicks found"}));
    }
    HttpResponse::Ok().json(list)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let db = Connection::open("db.sqlite3").expect("open db.sqlite3");
    db.execute_batch("CREATE TABLE IF NOT EXISTS clicks (id TEXT PRIMARY KEY, timestamp TEXT NOT NULL)")
        .expect("create table");
    let state = web::Data::new(State { db: Mutex::new(db) });
    HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(web::QueryConfig::default().error_handler(|err, _| {
                actix_web::error::InternalError::from_response(
                    err,
                    HttpResponse::BadRequest().json(json!({"error": "invalid query"})),
                )
                .into()
            }))
            .route("/click", web::post().to(add_click))
            .route("/clicks", web::get().to(list_clicks))
    })
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
