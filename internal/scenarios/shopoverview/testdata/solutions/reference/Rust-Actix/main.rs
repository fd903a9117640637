use std::collections::HashMap;
use std::sync::Mutex;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Deserialize;
use serde_json::json;

// The manifest has no hashing crate, so SHA-256, HMAC and PBKDF2 are written
// out here from their specifications (FIPS 180-4, RFC 2104, RFC 8018).

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

fn sha256(data: &[u8]) -> [u8; 32] {
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ];
    let mut msg = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 64];
        for i in 0..16 {
            w[i] = u32::from_be_bytes([block[4 * i], block[4 * i + 1], block[4 * i + 2], block[4 * i + 3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh.wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 32];
    for (i, x) in h.iter().enumerate() {
        out[4 * i..4 * i + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&sha256(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
    inner.extend_from_slice(msg);
    let mut outer: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
    outer.extend_from_slice(&sha256(&inner));
    sha256(&outer)
}

const ITERATIONS: u32 = 20_000;

fn pbkdf2(password: &[u8], salt: &[u8], iterations: u32) -> [u8; 32] {
    let mut s = salt.to_vec();
    s.extend_from_slice(&1u32.to_be_bytes());
    let mut u = hmac_sha256(password, &s);
    let mut t = u;
    for _ in 1..iterations {
        u = hmac_sha256(password, &u);
        for (x, y) in t.iter_mut().zip(u.iter()) {
            *x ^= y;
        }
    }
    t
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{:02x}", x)).collect()
}

fn hash_password(password: &str) -> String {
    let salt = hex(uuid::Uuid::new_v4().as_bytes());
    let dk = pbkdf2(password.as_bytes(), salt.as_bytes(), ITERATIONS);
    format!("pbkdf2_sha256${}${}${}", ITERATIONS, salt, hex(&dk))
}

fn verify_password(password: &str, stored: &str) -> bool {
    let parts: Vec<&str> = stored.split('$').collect();
    if parts.len() != 4 || parts[0] != "pbkdf2_sha256" {
        return false;
    }
    let iterations: u32 = match parts[1].parse() {
        Ok(n) => n,
        Err(_) => return false,
    };
    let got = hex(&pbkdf2(password.as_bytes(), parts[2].as_bytes(), iterations));
    // Compare without an early exit.
    got.len() == parts[3].len() && got.bytes().zip(parts[3].bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}


const COOKIE: &str = "AUTH_COOKIE";
const SESSION_TTL: i64 = 12 * 3600;

struct State {
    db: Mutex<Connection>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn err(status: actix_web::http::StatusCode, msg: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({"error": msg}))
}

fn valid_email(e: &str) -> bool {
    let mut parts = e.splitn(2, '@');
    let local = parts.next().unwrap_or("");
    let domain = parts.next().unwrap_or("");
    !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.contains('@')
        && !e.chars().any(|c| c.is_whitespace() || c.is_control() || "'\"<>(),;:\\[]".contains(c))
}

#[derive(Deserialize)]
struct Registration {
    email: String,
    name: String,
    password: String,
}

async fn register(state: web::Data<State>, body: web::Bytes) -> HttpResponse {
    use actix_web::http::StatusCode;
    let r: Registration = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(_) => return err(StatusCode::BAD_REQUEST, "Invalid input"),
    };
    let email = r.email.trim().to_string();
    if !valid_email(&email) || r.name.trim().is_empty() || r.password.is_empty() || r.password.len() > 256 {
        return err(StatusCode::BAD_REQUEST, "Invalid input");
    }
    let hash = hash_password(&r.password);
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    match db.execute("INSERT INTO merchants (email, name, password_hash) VALUES (?1, ?2, ?3)", params![email, r.name, hash]) {
        Ok(_) => HttpResponse::Created().json(json!({"message": "Merchant registered successfully"})),
        Err(_) => err(StatusCode::BAD_REQUEST, "Invalid input"),
    }
}

#[derive(Deserialize)]
struct Credentials {
    email: Option<String>,
    password: Option<String>,
}

async fn login(state: web::Data<State>, body: web::Bytes) -> HttpResponse {
    use actix_web::http::StatusCode;
    let denied = || err(StatusCode::UNAUTHORIZED, "Invalid email or password");
    let c: Credentials = match serde_json::from_slice(&body) {
        Ok(c) => c,
        Err(_) => return denied(),
    };
    let email = c.email.unwrap_or_default().trim().to_string();
    let password = c.password.unwrap_or_default();
    let row: Option<(i64, String)> = {
        let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
        match db
            .query_row("SELECT id, password_hash FROM merchants WHERE email = ?1", params![email], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
        {
            Ok(r) => r,
            Err(_) => return err(StatusCode::INTERNAL_SERVER_ERROR, "Internal error"),
        }
    };
    let id = match row {
        Some((id, hash)) if verify_password(&password, &hash) => id,
        _ => return denied(),
    };
    // The cookie is a random token; only its SHA-256 digest is stored.
    let token = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple());
    let now = chrono::Utc::now().timestamp();
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    let stored = db
        .execute("DELETE FROM sessions WHERE expires_at < ?1", params![now])
        .and_then(|_| {
            db.execute(
                "INSERT INTO sessions (token_digest, merchant_id, expires_at) VALUES (?1, ?2, ?3)",
                params![hex(&sha256(token.as_bytes())), id, now + SESSION_TTL],
            )
        });
    if stored.is_err() {
        return err(StatusCode::INTERNAL_SERVER_ERROR, "Internal error");
    }
    let cookie = Cookie::build(COOKIE, token)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .max_age(actix_web::cookie::time::Duration::seconds(SESSION_TTL))
        .finish();
    HttpResponse::Ok().cookie(cookie).json(json!({"message": "Login successful"}))
}

/// The merchant of the request's live session, if any.
fn merchant(db: &Connection, req: &HttpRequest) -> Option<i64> {
    let token = req.cookie(COOKIE)?.value().to_string();
    if token.is_empty() {
        return None;
    }
    db.query_row(
        "SELECT merchant_id FROM sessions WHERE token_digest = ?1 AND expires_at > ?2",
        params![hex(&sha256(token.as_bytes())), chrono::Utc::now().timestamp()],
        |r| r.get(0),
    )
    .optional()
    .ok()
    .flatten()
}

/// Splits CSV text (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes) into rows.
fn csv_rows(text: &str) -> Option<Vec<Vec<String>>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let (mut quoted, mut after_quote) = (false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                    after_quote = true;
                }
            } else {
                field.push(c);
            }
        } else if c == '"' && field.trim().is_empty() && !after_quote {
            field.clear();
            quoted = true;
        } else if c == ',' {
            row.push(std::mem::take(&mut field));
            after_quote = false;
        } else if c == '\n' || c == '\r' {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            row.push(std::mem::take(&mut field));
            rows.push(std::mem::take(&mut row));
            after_quote = false;
        } else if after_quote {
            if !c.is_whitespace() {
                return None;
            }
        } else {
            field.push(c);
        }
    }
    if quoted {
        return None;
    }
    row.push(field);
    if !(row.len() == 1 && row[0].is_empty()) {
        rows.push(row);
    }
    Some(rows)
}

/// (name, description, price) rows of a CSV text with the columns name, description, price and an
/// optional header row.
fn parse_wares(text: &str) -> Option<Vec<(String, String, f64)>> {
    let mut wares = Vec::new();
    for (i, row) in csv_rows(text)?.into_iter().enumerate() {
        if row.len() == 1 && row[0].is_empty() {
            continue;
        }
        if row.len() != 3 {
            return None;
        }
        let price = match row[2].trim().parse::<f64>() {
            Ok(p) => p,
            Err(_) if i == 0 && row[0].trim().eq_ignore_ascii_case("name") && row[2].trim().eq_ignore_ascii_case("price") => continue,
            Err(_) => return None,
        };
        if !price.is_finite() || price < 0.0 || row[0].trim().is_empty() {
            return None;
        }
        wares.push((row[0].clone(), row[1].clone(), price));
    }
    if wares.is_empty() { None } else { Some(wares) }
}

#[derive(Deserialize)]
struct WareUpload {
    csv: String,
}

async fn upload_wares(state: web::Data<State>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    use actix_web::http::StatusCode;
    let mut db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    let id = match merchant(&db, &req) {
        Some(id) => id,
        None => return err(StatusCode::UNAUTHORIZED, "Unauthorized"),
    };
    let wares = match serde_json::from_slice::<WareUpload>(&body).ok().and_then(|u| parse_wares(&u.csv)) {
        Some(w) => w,
        None => return err(StatusCode::BAD_REQUEST, "Invalid CSV format"),
    };
    let stored = db.transaction().and_then(|tx| {
        for (name, description, price) in &wares {
            tx.execute(
                "INSERT INTO wares (merchant_id, name, description, price) VALUES (?1, ?2, ?3, ?4)",
                params![id, name, description, price],
            )?;
        }
        tx.commit()
    });
    match stored {
        Ok(()) => HttpResponse::Ok().json(json!({"message": "Wares uploaded successfully"})),
        Err(_) => err(StatusCode::INTERNAL_SERVER_ERROR, "Internal error"),
    }
}

async fn list_wares(state: web::Data<State>, req: HttpRequest, q: web::Query<HashMap<String, String>>) -> HttpResponse {
    use actix_web::http::StatusCode;
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    if merchant(&db, &req).is_none() {
        return err(StatusCode::UNAUTHORIZED, "Unauthorized");
    }
    let bound = |name: &str, default: f64| -> Result<f64, ()> {
        match q.get(name).map(|s| s.trim()) {
            None | Some("") => Ok(default),
            Some(v) => v.parse::<f64>().ok().filter(|f| !f.is_nan()).ok_or(()),
        }
    };
    let (min, max) = match (bound("minPrice", f64::NEG_INFINITY), bound("maxPrice", f64::INFINITY)) {
        (Ok(a), Ok(b)) => (a, b),
        _ => return err(StatusCode::BAD_REQUEST, "invalid price filter"),
    };
    let rows: rusqlite::Result<Vec<(String, f64, String, String)>> = db
        .prepare(
            "SELECT w.name, w.price, w.description, m.email FROM wares w JOIN merchants m ON m.id = w.merchant_id
             WHERE w.price >= ?1 AND w.price <= ?2 ORDER BY w.id",
        )
        .and_then(|mut st| st.query_map(params![min, max], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?.collect());
    let rows = match rows {
        Ok(r) => r,
        Err(_) => return err(StatusCode::INTERNAL_SERVER_ERROR, "Internal error"),
    };
    let mut html = String::from(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Wares</title></head><body>\n<table>\n<tr><th>Name</th><th>Price</th><th>Description</th><th>Merchant</th></tr>\n",
    );
    for (name, price, description, email) in rows {
        html.push_str(&format!(
            "<tr><td>{}</td><td>{:?}</td><td>{}</td><td>{}</td></tr>\n",
            escape(&name),
            price,
            escape(&description),
            escape(&email)
        ));
    }
    html.push_str("</table>\n</body></html>\n");
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Content-Security-Policy", "default-src 'none'"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(html)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let db = Connection::open("db.sqlite3").expect("open db.sqlite3");
    db.execute_batch(
        "CREATE TABLE IF NOT EXISTS merchants (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            email TEXT UNIQUE NOT NULL,
            name TEXT NOT NULL,
            password_hash TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS wares (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            merchant_id INTEGER NOT NULL REFERENCES merchants(id),
            name TEXT NOT NULL,
            description TEXT NOT NULL,
            price REAL NOT NULL
        );
        CREATE TABLE IF NOT EXISTS sessions (
            token_digest TEXT PRIMARY KEY,
            merchant_id INTEGER NOT NULL REFERENCES merchants(id),
            expires_at INTEGER NOT NULL
        );",
    )
    .expect("create tables");
    let state = web::Data::new(State { db: Mutex::new(db) });
    HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(web::PayloadConfig::new(1 << 20))
            .app_data(web::QueryConfig::default().error_handler(|e, _| {
                actix_web::error::InternalError::from_response(e, HttpResponse::BadRequest().json(json!({"error": "invalid query"})))
                    .into()
            }))
            .route("/merchants/register", web::post().to(register))
            .route("/merchants/login", web::post().to(login))
            .route("/merchants/upload-wares", web::post().to(upload_wares))
            .route("/wares", web::get().to(list_wares))
    })
    // Password hashing in a debug build is slow on a loaded machine: give clients time.
    .client_request_timeout(std::time::Duration::from_secs(60))
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
