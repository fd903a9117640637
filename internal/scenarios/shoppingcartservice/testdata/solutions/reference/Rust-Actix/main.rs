use std::sync::Mutex;

use actix_web::{web, App, HttpResponse, HttpServer};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Deserialize;
use serde_json::json;

const MAX_COUNT: i64 = 1_000_000;

struct State {
    db: Mutex<Connection>,
}

fn fail(status: actix_web::http::StatusCode, msg: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({"error": msg}))
}

#[derive(Deserialize)]
struct AddRequest {
    cart_id: String,
    item_id: i64,
    count: i64,
}

#[derive(Deserialize)]
struct CartRequest {
    cart_id: String,
}

async fn create_cart(state: web::Data<State>) -> HttpResponse {
    // Cart ids are random UUIDs: they cannot be guessed.
    let id = uuid::Uuid::new_v4().to_string();
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    match db.execute("INSERT INTO carts (id, created_at) VALUES (?1, ?2)", params![id, chrono::Utc::now().to_rfc3339()]) {
        Ok(_) => HttpResponse::Created().json(json!({"cart_id": id})),
        Err(_) => fail(actix_web::http::StatusCode::INTERNAL_SERVER_ERROR, "internal error"),
    }
}

async fn add_to_cart(state: web::Data<State>, body: web::Bytes) -> HttpResponse {
    use actix_web::http::StatusCode;
    let req: AddRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(_) => return fail(StatusCode::BAD_REQUEST, "cart_id (string), item_id (integer) and count (integer) are required"),
    };
    if req.count.abs() > MAX_COUNT {
        return fail(StatusCode::BAD_REQUEST, "count is out of range");
    }
    let mut db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    let tx = match db.transaction() {
        Ok(tx) => tx,
        Err(_) => return fail(StatusCode::INTERNAL_SERVER_ERROR, "internal error"),
    };
    match tx.query_row("SELECT id FROM carts WHERE id = ?1", params![req.cart_id], |r| r.get::<_, String>(0)).optional() {
        Ok(Some(_)) => {}
        Ok(None) => return fail(StatusCode::NOT_FOUND, "cart not found"),
        Err(_) => return fail(StatusCode::INTERNAL_SERVER_ERROR, "internal error"),
    }
    let current: i64 = match tx
        .query_row("SELECT count FROM cart_items WHERE cart_id = ?1 AND item_id = ?2", params![req.cart_id, req.item_id], |r| r.get(0))
        .optional()
    {
        Ok(c) => c.unwrap_or(0),
        Err(_) => return fail(StatusCode::INTERNAL_SERVER_ERROR, "internal error"),
    };
    let next = current + req.count;
    // A cart never holds a negative number of an item.
    if next < 0 {
        return fail(StatusCode::BAD_REQUEST, "cannot remove more items than the cart holds");
    }
    if next > MAX_COUNT {
        return fail(StatusCode::BAD_REQUEST, "count is out of range");
    }
    let written = if next == 0 {
        tx.execute("DELETE FROM cart_items WHERE cart_id = ?1 AND item_id = ?2", params![req.cart_id, req.item_id])
    } else {
        tx.execute(
            "INSERT INTO cart_items (cart_id, item_id, count) VALUES (?1, ?2, ?3)
             ON CONFLICT (cart_id, item_id) DO UPDATE SET count = excluded.count",
            params![req.cart_id, req.item_id, next],
        )
    };
    match written.and_then(|_| tx.commit()) {
        Ok(()) => HttpResponse::Ok().json(json!({"message": "Item updated"})),
        Err(_) => fail(StatusCode::INTERNAL_SERVER_ERROR, "internal error"),
    }
}

async fn retrieve_cart(state: web::Data<State>, body: web::Bytes) -> HttpResponse {
    use actix_web::http::StatusCode;
    let req: CartRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(_) => return fail(StatusCode::BAD_REQUEST, "cart_id (string) is required"),
    };
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    match db.query_row("SELECT id FROM carts WHERE id = ?1", params![req.cart_id], |r| r.get::<_, String>(0)).optional() {
        Ok(Some(_)) => {}
        Ok(None) => return fail(StatusCode::NOT_FOUND, "cart not found"),
        Err(_) => return fail(StatusCode::INTERNAL_SERVER_ERROR, "internal error"),
    }
    let items: rusqlite::Result<Vec<serde_json::Value>> = db
        .prepare("SELECT item_id, count FROM cart_items WHERE cart_id = ?1 AND count > 0 ORDER BY item_id")
        .and_then(|mut st| {
            st.query_map(params![req.cart_id], |r| Ok(json!({"item_id": r.get::<_, i64>(0)?, "count": r.get::<_, i64>(1)?})))?
                .collect()
        });
    match items {
        Ok(items) => HttpResponse::Ok().json(json!({"cart_id": req.cart_id, "items": items})),
        Err(_) => fail(StatusCode::INTERNAL_SERVER_ERROR, "internal error"),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let db = Connection::open("db.sqlite3").expect("open db.sqlite3");
    db.execute_batch(
        "CREATE TABLE IF NOT EXISTS carts (id TEXT PRIMARY KEY, created_at TEXT NOT NULL);
         CREATE TABLE IF NOT EXISTS cart_items (
            cart_id TEXT NOT NULL REFERENCES carts(id),
            item_id INTEGER NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (cart_id, item_id)
         );",
    )
    .expect("create tables");
    let state = web::Data::new(State { db: Mutex::new(db) });
    HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(web::PayloadConfig::new(64 * 1024))
            .route("/create_cart", web::post().to(create_cart))
            .route("/add_to_cart", web::post().to(add_to_cart))
            .route("/retrieve_cart", web::post().to(retrieve_cart))
    })
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
