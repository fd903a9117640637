use std::sync::Mutex;

use actix_web::{web, App, HttpResponse, HttpServer};
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


struct State {
    db: Mutex<Connection>,
}

fn message(status: actix_web::http::StatusCode, msg: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({"message": msg}))
}

fn valid_email(e: &str) -> bool {
    let mut parts = e.splitn(2, '@');
    let local = parts.next().unwrap_or("");
    let domain = parts.next().unwrap_or("");
    !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        && !domain.contains('@') && !e.chars().any(|c| c.is_whitespace() || c.is_control() || "'\"<>(),;:\\[]".contains(c))
}

#[derive(Deserialize)]
struct Invite {
    email: Option<String>,
}

async fn invite_user(state: web::Data<State>, body: web::Bytes) -> HttpResponse {
    use actix_web::http::StatusCode;
    let email = match serde_json::from_slice::<Invite>(&body) {
        Ok(Invite { email: Some(e) }) => e.trim().to_lowercase(),
        _ => return message(StatusCode::BAD_REQUEST, "Invalid request"),
    };
    if !valid_email(&email) {
        return message(StatusCode::BAD_REQUEST, "Invalid email");
    }
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    let existing: rusqlite::Result<Option<String>> = db
        .query_row("SELECT invite_id FROM invitations WHERE email = ?1", params![email], |r| r.get(0))
        .optional();
    match existing {
        Ok(Some(id)) => {
            return HttpResponse::Ok().json(json!({"invite_id": id, "message": "Invitation already exists for this email"}))
        }
        Ok(None) => {}
        Err(_) => return message(StatusCode::INTERNAL_SERVER_ERROR, "Internal error"),
    }
    // Invitation ids are random UUIDs: they cannot be guessed.
    let id = uuid::Uuid::new_v4().to_string();
    let now = chrono::Utc::now().to_rfc3339();
    match db.execute("INSERT INTO invitations (invite_id, email, created_at) VALUES (?1, ?2, ?3)", params![id, email, now]) {
        Ok(_) => HttpResponse::Ok().json(json!({"invite_id": id, "message": "Invitation created"})),
        Err(_) => message(StatusCode::INTERNAL_SERVER_ERROR, "Internal error"),
    }
}

#[derive(Deserialize)]
struct NewUser {
    invite_id: Option<String>,
    user_name: Option<String>,
    password: Option<String>,
}

async fn create_user(state: web::Data<State>, body: web::Bytes) -> HttpResponse {
    use actix_web::http::StatusCode;
    let req: NewUser = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(_) => return message(StatusCode::BAD_REQUEST, "Invalid request"),
    };
    let invite_id = req.invite_id.unwrap_or_default();
    let name = req.user_name.unwrap_or_default().trim().to_string();
    let password = req.password.unwrap_or_default();
    let mut db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    let tx = match db.transaction() {
        Ok(tx) => tx,
        Err(_) => return message(StatusCode::INTERNAL_SERVER_ERROR, "Internal error"),
    };
    // The invitation is looked up by its exact id only, and can be used once.
    let invitation: rusqlite::Result<Option<String>> = tx
        .query_row("SELECT email FROM invitations WHERE invite_id = ?1 AND used = 0", params![invite_id], |r| r.get(0))
        .optional();
    let email = match invitation {
        Ok(Some(e)) => e,
        Ok(None) => return message(StatusCode::UNAUTHORIZED, "Invalid invite_id"),
        Err(_) => return message(StatusCode::INTERNAL_SERVER_ERROR, "Internal error"),
    };
    if name.is_empty() || name.len() > 100 || password.is_empty() || password.len() > 256 {
        return message(StatusCode::BAD_REQUEST, "A user name and a password are required");
    }
    let exists: rusqlite::Result<i64> =
        tx.query_row("SELECT COUNT(*) FROM users WHERE user_name = ?1", params![name], |r| r.get(0));
    match exists {
        Ok(0) => {}
        Ok(_) => return message(StatusCode::BAD_REQUEST, "Username already exists. Try providing different username."),
        Err(_) => return message(StatusCode::INTERNAL_SERVER_ERROR, "Internal error"),
    }
    let hash = hash_password(&password);
    let stored = tx
        .execute("INSERT INTO users (user_name, email, password_hash) VALUES (?1, ?2, ?3)", params![name, email, hash])
        .and_then(|_| tx.execute("UPDATE invitations SET used = 1 WHERE invite_id = ?1", params![invite_id]))
        .and_then(|_| tx.commit());
    match stored {
        Ok(()) => message(StatusCode::OK, "User created"),
        Err(_) => message(StatusCode::INTERNAL_SERVER_ERROR, "Internal error"),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let db = Connection::open("db.sqlite3").expect("open db.sqlite3");
    db.execute_batch(
        "CREATE TABLE IF NOT EXISTS invitations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            invite_id TEXT UNIQUE NOT NULL,
            email TEXT UNIQUE NOT NULL,
            used INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS users (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_name TEXT UNIQUE NOT NULL,
            email TEXT NOT NULL,
            password_hash TEXT NOT NULL
        );",
    )
    .expect("create tables");
    let state = web::Data::new(State { db: Mutex::new(db) });
    HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(web::PayloadConfig::new(64 * 1024))
            .route("/invite_user", web::post().to(invite_user))
            .route("/create_user", web::post().to(create_user))
    })
    // Password hashing in a debug build is slow on a loaded machine: give clients time.
    .client_request_timeout(std::time::Duration::from_secs(60))
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
