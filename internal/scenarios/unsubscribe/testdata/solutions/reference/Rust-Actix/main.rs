use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use serde_json::json;

const MAX_MAIL: usize = 1 << 20;
const KEYWORDS: [&str; 5] = ["unsubscribe", "remove me", "deregister me", "stop sending me", "delete me"];

/// The e-mail text of a request. The API takes the raw mail as text/plain; a client that wraps it in a
/// JSON object {"content": "..."} is accepted too.
fn raw_mail(req: &HttpRequest, body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body).to_string();
    let is_json = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("application/json"))
        .unwrap_or(false);
    if is_json || text.trim_start().starts_with('{') {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
            if let Some(c) = v.get("content").and_then(|c| c.as_str()) {
                return Some(c.to_string());
            }
        }
        if is_json {
            return None;
        }
    }
    Some(text)
}

/// Splits a message into its header fields (name lower-cased, folded lines joined, first occurrence
/// kept) and its body. The header block ends at the first empty line; header-like lines in the body are
/// never consulted.
fn split_message(raw: &str) -> (Vec<(String, String)>, String) {
    let text = raw.replace("\r\n", "\n");
    let (head, body) = match text.find("\n\n") {
        Some(i) => (&text[..i], text[i + 2..].to_string()),
        None => (&text[..], String::new()),
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with(' ') || line.starts_with('\t') {
            if let Some(last) = headers.last_mut() {
                last.1.push(' ');
                last.1.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
        }
    }
    (headers, body)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// The address of the message's own From header: the one in angle brackets, else the bare value.
fn sender(headers: &[(String, String)]) -> Option<String> {
    let from = header(headers, "from")?;
    let candidate = match (from.find('<'), from.find('>')) {
        (Some(a), Some(b)) if a < b => &from[a + 1..b],
        _ => from.split(',').next().unwrap_or(""),
    }
    .trim();
    let (local, domain) = candidate.split_once('@')?;
    let bad = |s: &str| s.is_empty() || s.chars().any(|c| c.is_whitespace() || "<>()\",;:@".contains(c));
    if bad(local) || bad(domain) {
        return None;
    }
    Some(candidate.to_string())
}

/// Undoes quoted-printable encoding (soft line breaks and =XX escapes).
fn decode_qp(body: &str) -> String {
    let b = body.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' {
            if i + 1 < b.len() && b[i + 1] == b'\n' {
                i += 2;
                continue;
            }
            if i + 2 < b.len() {
                let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(v) = hex {
                    out.push(v);
                    i += 3;
                    continue;
                }
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
}

/// The keywords are searched in the subject and in the body, both as sent and decoded, ignoring case
/// and line breaks.
fn asks_to_unsubscribe(subject: &str, body: &str) -> bool {
    let text = format!("{}\n{}\n{}", subject, body, decode_qp(body)).to_lowercase();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    KEYWORDS.iter().any(|k| text.contains(k))
}

async fn decide(req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let raw = match raw_mail(&req, &body) {
        Some(r) if !r.trim().is_empty() => r,
        _ => return HttpResponse::BadRequest().json(json!({"error": "no e-mail given"})),
    };
    let (headers, content) = split_message(&raw);
    let email = match sender(&headers) {
        Some(e) => e,
        None => return HttpResponse::BadRequest().json(json!({"error": "the e-mail has no valid sender"})),
    };
    let subject = header(&headers, "subject").unwrap_or("");
    HttpResponse::Ok().json(json!({"email": email, "unsubscribe": asks_to_unsubscribe(subject, &content)}))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| {
        App::new()
            .app_data(web::PayloadConfig::new(MAX_MAIL))
            .route("/decideUnsubscribe", web::post().to(decide))
    })
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
