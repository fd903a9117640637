use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Deserialize;
use serde_json::json;

// The manifest has no hashing or JWT crate, so SHA-256, HMAC, PBKDF2 and HS256 tokens are written
// out here from their specifications (FIPS 180-4, RFC 2104, RFC 8018, RFC 7519).

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

fn b64url(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = (chunk[0] as u32) << 16 | (*chunk.get(1).unwrap_or(&0) as u32) << 8 | *chunk.get(2).unwrap_or(&0) as u32;
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}


fn b64url_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        } as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

fn equal(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

const TOKEN_LIFETIME: u64 = 3600;

struct State {
    db: Mutex<Connection>,
    sign_key: [u8; 32], // signs tokens
    enc_key: [u8; 32],  // encrypts stored secrets
    mac_key: [u8; 32],  // authenticates stored secrets
}

impl State {
    fn token(&self, user_id: &str, username: &str) -> String {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        let header = b64url(br#"{"alg":"HS256","typ":"JWT"}"#);
        let claims = json!({"sub": user_id, "username": username, "iat": now, "exp": now + TOKEN_LIFETIME,
                            "jti": uuid::Uuid::new_v4().to_string()});
        let input = format!("{}.{}", header, b64url(claims.to_string().as_bytes()));
        let sig = b64url(&hmac_sha256(&self.sign_key, input.as_bytes()));
        format!("{}.{}", input, sig)
    }

    /// The (id, username) named by a valid, unexpired HS256 bearer token.
    fn token_user(&self, req: &HttpRequest) -> Option<(String, String)> {
        let raw = req.headers().get("authorization")?.to_str().ok()?.strip_prefix("Bearer ")?.trim().to_string();
        let mut parts = raw.split('.');
        let (h, c, s) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let expected = hmac_sha256(&self.sign_key, format!("{}.{}", h, c).as_bytes());
        if !equal(&expected, &b64url_decode(s)?) {
            return None;
        }
        let header: serde_json::Value = serde_json::from_slice(&b64url_decode(h)?).ok()?;
        if header.get("alg")?.as_str()? != "HS256" {
            return None;
        }
        let claims: serde_json::Value = serde_json::from_slice(&b64url_decode(c)?).ok()?;
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        if claims.get("exp")?.as_u64()? <= now {
            return None;
        }
        Some((claims.get("sub")?.as_str()?.to_string(), claims.get("username")?.as_str()?.to_string()))
    }

    /// Encrypt-then-MAC: an HMAC-SHA256 counter-mode keystream and an HMAC-SHA256 tag over nonce,
    /// owner and ciphertext. Stored as hex(nonce | ciphertext | tag).
    fn seal(&self, owner: &str, plain: &[u8]) -> String {
        let nonce = *uuid::Uuid::new_v4().as_bytes();
        let mut data = plain.to_vec();
        self.keystream(&nonce, &mut data);
        let mut out = nonce.to_vec();
        out.extend_from_slice(&data);
        let tag = self.tag(owner, &out);
        out.extend_from_slice(&tag);
        hex(&out)
    }

    fn open(&self, owner: &str, sealed: &str) -> Option<String> {
        let data = unhex(sealed)?;
        if data.len() < 48 {
            return None;
        }
        let (body, tag) = data.split_at(data.len() - 32);
        if !equal(&self.tag(owner, body), tag) {
            return None;
        }
        let (nonce, cipher) = body.split_at(16);
        let mut plain = cipher.to_vec();
        self.keystream(nonce, &mut plain);
        String::from_utf8(plain).ok()
    }

    fn keystream(&self, nonce: &[u8], data: &mut [u8]) {
        for (i, chunk) in data.chunks_mut(32).enumerate() {
            let mut block = nonce.to_vec();
            block.extend_from_slice(&(i as u64).to_be_bytes());
            let ks = hmac_sha256(&self.enc_key, &block);
            for (b, k) in chunk.iter_mut().zip(ks.iter()) {
                *b ^= k;
            }
        }
    }

    fn tag(&self, owner: &str, body: &[u8]) -> [u8; 32] {
        let mut m = (owner.len() as u64).to_be_bytes().to_vec();
        m.extend_from_slice(owner.as_bytes());
        m.extend_from_slice(body);
        hmac_sha256(&self.mac_key, &m)
    }

    /// The user id when the request carries a valid token of exactly this user; anything else is None.
    fn authorize(&self, req: &HttpRequest, username: &str) -> Option<String> {
        let (id, name) = self.token_user(req)?;
        if name.is_empty() || name != username {
            return None;
        }
        let db = self.db.lock().unwrap_or_else(|e| e.into_inner());
        let n: i64 = db
            .query_row("SELECT COUNT(*) FROM users WHERE id = ?1 AND username = ?2", params![id, name], |r| r.get(0))
            .ok()?;
        if n == 1 { Some(id) } else { None }
    }
}

fn message(status: actix_web::http::StatusCode, msg: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({"message": msg}))
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
    username: String,
    password: String,
}

async fn register(state: web::Data<State>, body: web::Bytes) -> HttpResponse {
    use actix_web::http::StatusCode;
    let invalid = || message(StatusCode::BAD_REQUEST, "Email already in use or invalid data");
    let r: Registration = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(_) => return invalid(),
    };
    let (email, username) = (r.email.trim().to_string(), r.username.trim().to_string());
    if !valid_email(&email) || username.is_empty() || username.len() > 64 || r.password.is_empty() || r.password.len() > 256 {
        return invalid();
    }
    let hash = hash_password(&r.password);
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    match db.execute(
        "INSERT INTO users (id, email, username, password_hash) VALUES (?1, ?2, ?3, ?4)",
        params![uuid::Uuid::new_v4().to_string(), email, username, hash],
    ) {
        Ok(_) => message(StatusCode::CREATED, "Registration successful"),
        Err(_) => invalid(),
    }
}

#[derive(Deserialize)]
struct Credentials {
    email: Option<String>,
    password: Option<String>,
}

async fn login(state: web::Data<State>, body: web::Bytes) -> HttpResponse {
    use actix_web::http::StatusCode;
    let denied = || message(StatusCode::UNAUTHORIZED, "Invalid email or password");
    let c: Credentials = match serde_json::from_slice(&body) {
        Ok(c) => c,
        Err(_) => return denied(),
    };
    let email = c.email.unwrap_or_default().trim().to_string();
    let row: Option<(String, String, String)> = {
        let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
        match db
            .query_row("SELECT id, username, password_hash FROM users WHERE email = ?1", params![email], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()
        {
            Ok(r) => r,
            Err(_) => return message(StatusCode::INTERNAL_SERVER_ERROR, "Internal error"),
        }
    };
    match row {
        Some((id, username, hash)) if verify_password(&c.password.unwrap_or_default(), &hash) => {
            HttpResponse::Ok().json(json!({"token": state.token(&id, &username), "message": "Login successful"}))
        }
        _ => denied(),
    }
}

#[derive(Deserialize)]
struct SetSecret {
    username: String,
    secret: String,
}

async fn set_secret(state: web::Data<State>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    use actix_web::http::StatusCode;
    let s: SetSecret = match serde_json::from_slice(&body) {
        Ok(s) => s,
        Err(_) => return message(StatusCode::BAD_REQUEST, "Invalid data"),
    };
    let id = match state.authorize(&req, &s.username) {
        Some(id) => id,
        None => return message(StatusCode::UNAUTHORIZED, "Invalid authentication token"),
    };
    let sealed = state.seal(&id, s.secret.as_bytes());
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    match db.execute(
        "INSERT INTO secrets (user_id, secret) VALUES (?1, ?2) ON CONFLICT(user_id) DO UPDATE SET secret = excluded.secret",
        params![id, sealed],
    ) {
        Ok(_) => message(StatusCode::OK, "Secret has been set successfully"),
        Err(_) => message(StatusCode::INTERNAL_SERVER_ERROR, "Internal error"),
    }
}

async fn get_secret(state: web::Data<State>, req: HttpRequest, q: web::Query<HashMap<String, String>>) -> HttpResponse {
    use actix_web::http::StatusCode;
    let username = q.get("username").cloned().unwrap_or_default();
    let id = match state.authorize(&req, &username) {
        Some(id) => id,
        None => return message(StatusCode::UNAUTHORIZED, "Invalid authentication token"),
    };
    let sealed: rusqlite::Result<Option<String>> = {
        let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
        db.query_row("SELECT secret FROM secrets WHERE user_id = ?1", params![id], |r| r.get(0)).optional()
    };
    match sealed {
        Ok(Some(s)) => match state.open(&id, &s) {
            Some(plain) => HttpResponse::Ok().json(json!({"secret": plain})),
            None => message(StatusCode::INTERNAL_SERVER_ERROR, "Internal error"),
        },
        Ok(None) => message(StatusCode::NOT_FOUND, "No secret stored"),
        Err(_) => message(StatusCode::INTERNAL_SERVER_ERROR, "Internal error"),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let secret = std::env::var("APP_SECRET").expect("APP_SECRET is not set");
    // Separate keys for signing tokens and for protecting secrets, all derived from APP_SECRET.
    let key = |purpose: &str| hmac_sha256(secret.as_bytes(), purpose.as_bytes());
    let db = Connection::open("db.sqlite3").expect("open db.sqlite3");
    db.execute_batch(
        "CREATE TABLE IF NOT EXISTS users (
            id TEXT PRIMARY KEY,
            email TEXT UNIQUE NOT NULL,
            username TEXT UNIQUE NOT NULL,
            password_hash TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS secrets (
            user_id TEXT PRIMARY KEY REFERENCES users(id),
            secret TEXT NOT NULL
        );",
    )
    .expect("create tables");
    let state = web::Data::new(State {
        db: Mutex::new(db),
        sign_key: key("jwt-signing"),
        enc_key: key("secret-encryption"),
        mac_key: key("secret-authentication"),
    });
    HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(web::PayloadConfig::new(64 * 1024))
            .app_data(web::QueryConfig::default().error_handler(|e, _| {
                actix_web::error::InternalError::from_response(e, HttpResponse::Unauthorized().json(json!({"message": "Invalid authentication token"})))
                    .into()
            }))
            .route("/register", web::post().to(register))
            .route("/login", web::post().to(login))
            .route("/set_secret", web::post().to(set_secret))
            .route("/get_secret", web::get().to(get_secret))
    })
    // Password hashing in a debug build is slow on a loaded machine: give clients time.
    .client_request_timeout(std::time::Duration::from_secs(60))
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
