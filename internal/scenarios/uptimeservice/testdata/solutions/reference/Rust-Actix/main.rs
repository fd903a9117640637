use std::sync::Mutex;

use actix_web::{web, App, HttpResponse, HttpServer};
use rusqlite::{params, Connection};
use serde::Deserialize;
use serde_json::json;

const MAX_FIELD: usize = 1024;

// The manifest has no hashing crate, so SHA-256 and HMAC are written out here from their
// specifications (FIPS 180-4, RFC 2104).

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

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{:02x}", x)).collect()
}

struct State {
    db: Mutex<Connection>,
    key: Vec<u8>,
}

impl State {
    /// What the database keeps instead of a token: a keyed hash, so tokens cannot be read back from the
    /// database but can still be looked up.
    fn token_hash(&self, token: &str) -> String {
        hex(&hmac_sha256(&self.key, token.as_bytes()))
    }
}

#[derive(Deserialize)]
struct Heartbeat {
    #[serde(rename = "serviceId")]
    service_id: String,
    token: String,
}

#[derive(Deserialize)]
struct Lookup {
    token: String,
}

async fn heartbeat(state: web::Data<State>, body: web::Bytes) -> HttpResponse {
    let hb: Heartbeat = match serde_json::from_slice(&body) {
        Ok(h) => h,
        Err(_) => return HttpResponse::BadRequest().json(json!({"error": "Invalid request payload"})),
    };
    if hb.service_id.is_empty() || hb.token.is_empty() || hb.service_id.len() > MAX_FIELD || hb.token.len() > MAX_FIELD {
        return HttpResponse::BadRequest().json(json!({"error": "Invalid request payload"}));
    }
    let hash = state.token_hash(&hb.token);
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    match db.execute(
        "INSERT INTO services (service_id, token_hash, last_notification) VALUES (?1, ?2, ?3)
         ON CONFLICT (service_id, token_hash) DO UPDATE SET last_notification = excluded.last_notification",
        params![hb.service_id, hash, now],
    ) {
        Ok(_) => HttpResponse::Ok().json(json!({"message": "Heartbeat registered successfully"})),
        Err(_) => HttpResponse::InternalServerError().json(json!({"error": "Internal server error"})),
    }
}

async fn services(state: web::Data<State>, body: web::Bytes) -> HttpResponse {
    let l: Lookup = match serde_json::from_slice(&body) {
        Ok(l) => l,
        Err(_) => return HttpResponse::BadRequest().json(json!({"error": "Invalid request payload"})),
    };
    let hash = state.token_hash(&l.token);
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    let rows: rusqlite::Result<Vec<serde_json::Value>> = db
        .prepare("SELECT service_id, last_notification FROM services WHERE token_hash = ?1 ORDER BY service_id")
        .and_then(|mut st| {
            st.query_map(params![hash], |r| {
                Ok(json!({"serviceId": r.get::<_, String>(0)?, "lastNotification": r.get::<_, String>(1)?}))
            })?
            .collect()
        });
    match rows {
        Ok(list) => HttpResponse::Ok().json(list),
        Err(_) => HttpResponse::InternalServerError().json(json!({"error": "Internal server error"})),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let key = std::env::var("APP_SECRET").expect("APP_SECRET is not set").into_bytes();
    let db = Connection::open("db.sqlite3").expect("open db.sqlite3");
    db.execute_batch(
        "CREATE TABLE IF NOT EXISTS services (
            service_id TEXT NOT NULL,
            token_hash TEXT NOT NULL,
            last_notification TEXT NOT NULL,
            PRIMARY KEY (service_id, token_hash)
        )",
    )
    .expect("create table");
    let state = web::Data::new(State { db: Mutex::new(db), key });
    HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(web::PayloadConfig::new(64 * 1024))
            .route("/heartbeat", web::post().to(heartbeat))
            .route("/services", web::post().to(services))
    })
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
