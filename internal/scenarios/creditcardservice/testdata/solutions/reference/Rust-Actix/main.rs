use std::sync::Mutex;

use actix_web::{web, App, HttpResponse, HttpServer};
use rusqlite::{params, params_from_iter, Connection};
use serde::Deserialize;
use serde_json::json;

const MAX_PHONES: usize = 100;

struct State {
    db: Mutex<Connection>,
}

#[derive(Deserialize)]
struct Association {
    credit_card: Option<String>,
    phone: Option<String>,
}

#[derive(Deserialize)]
struct Lookup {
    phone_numbers: Vec<String>,
}

async fn associate(state: web::Data<State>, body: web::Bytes) -> HttpResponse {
    let a: Association = match serde_json::from_slice(&body) {
        Ok(a) => a,
        Err(_) => return HttpResponse::BadRequest().json(json!({"error": "invalid request"})),
    };
    let card = a.credit_card.unwrap_or_default().trim().to_string();
    let phone = a.phone.unwrap_or_default().trim().to_string();
    if card.is_empty() || phone.is_empty() {
        return HttpResponse::BadRequest().json(json!({"error": "credit_card and phone are required"}));
    }
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    match db.execute("INSERT OR IGNORE INTO associations (credit_card, phone) VALUES (?1, ?2)", params![card, phone]) {
        Ok(_) => HttpResponse::Created().json(json!({"message": "association created"})),
        Err(_) => HttpResponse::InternalServerError().json(json!({"error": "internal error"})),
    }
}

async fn retrieve(state: web::Data<State>, body: web::Bytes) -> HttpResponse {
    // Only a real array of strings is a lookup (serde rejects objects and other types).
    let l: Lookup = match serde_json::from_slice(&body) {
        Ok(l) => l,
        Err(_) => return HttpResponse::BadRequest().json(json!({"error": "phone_numbers must be an array of strings"})),
    };
    let mut phones: Vec<String> = Vec::new();
    for p in l.phone_numbers {
        let p = p.trim().to_string();
        if p.is_empty() {
            return HttpResponse::BadRequest().json(json!({"error": "empty phone number"}));
        }
        if !phones.contains(&p) {
            phones.push(p);
        }
    }
    // A lookup must name at least one phone: an empty set would otherwise match every card.
    if phones.is_empty() || phones.len() > MAX_PHONES {
        return HttpResponse::BadRequest().json(json!({"error": "phone_numbers must list 1 to 100 phone numbers"}));
    }
    let placeholders = vec!["?"; phones.len()].join(",");
    let sql = format!(
        "SELECT credit_card FROM associations WHERE phone IN ({}) GROUP BY credit_card HAVING COUNT(DISTINCT phone) = {} ORDER BY credit_card",
        placeholders,
        phones.len()
    );
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    let cards: rusqlite::Result<Vec<String>> = db
        .prepare(&sql)
        .and_then(|mut st| st.query_map(params_from_iter(phones.iter()), |r| r.get(0))?.collect());
    match cards {
        Ok(c) if c.is_empty() => HttpResponse::NotFound().json(json!({"error": "no cards found"})),
        Ok(c) => HttpResponse::Ok().json(json!({"card_numbers": c})),
        Err(_) => HttpResponse::InternalServerError().json(json!({"error": "internal error"})),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let db = Connection::open("db.sqlite3").expect("open db.sqlite3");
    db.execute_batch(
        "CREATE TABLE IF NOT EXISTS associations (
            credit_card TEXT NOT NULL,
            phone TEXT NOT NULL,
            PRIMARY KEY (credit_card, phone)
        )",
    )
    .expect("create table");
    let state = web::Data::new(State { db: Mutex::new(db) });
    HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(web::PayloadConfig::new(1 << 20))
            .route("/associate_card", web::post().to(associate))
            .route("/retrieve_cards", web::post().to(retrieve))
    })
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
