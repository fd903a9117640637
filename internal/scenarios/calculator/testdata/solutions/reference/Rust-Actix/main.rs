use actix_web::{web, App, HttpResponse, HttpServer};
use serde_json::json;

const MAX_EXPRESSION: usize = 1000;
const MAX_DEPTH: usize = 100;

/// Evaluates integer expressions with + - * /, unary minus and parentheses. Nothing from the request
/// is ever executed, and every operation is checked for overflow and division by zero.
struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&mut self) -> Option<u8> {
        while self.pos < self.s.len() && (self.s[self.pos] == b' ' || self.s[self.pos] == b'\t') {
            self.pos += 1;
        }
        self.s.get(self.pos).copied()
    }

    fn expr(&mut self, depth: usize) -> Option<i64> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut v = self.term(depth)?;
        loop {
            match self.peek() {
                Some(b'+') => {
                    self.pos += 1;
                    let w = self.term(depth)?;
                    v = v.checked_add(w)?;
                }
                Some(b'-') => {
                    self.pos += 1;
                    let w = self.term(depth)?;
                    v = v.checked_sub(w)?;
                }
                _ => return Some(v),
            }
        }
    }

    fn term(&mut self, depth: usize) -> Option<i64> {
        let mut v = self.factor(depth)?;
        loop {
            match self.peek() {
                Some(b'*') => {
                    self.pos += 1;
                    let w = self.factor(depth)?;
                    v = v.checked_mul(w)?;
                }
                Some(b'/') => {
                    self.pos += 1;
                    let w = self.factor(depth)?;
                    v = v.checked_div(w)?;
                }
                _ => return Some(v),
            }
        }
    }

    fn factor(&mut self, depth: usize) -> Option<i64> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'-' => {
                self.pos += 1;
                self.factor(depth + 1)?.checked_neg()
            }
            b'(' => {
                self.pos += 1;
                let v = self.expr(depth + 1)?;
                if self.peek() != Some(b')') {
                    return None;
                }
                self.pos += 1;
                Some(v)
            }
            c if c.is_ascii_digit() => {
                let start = self.pos;
                while self.pos < self.s.len() && self.s[self.pos].is_ascii_digit() {
                    self.pos += 1;
                }
                std::str::from_utf8(&self.s[start..self.pos]).ok()?.parse::<i64>().ok()
            }
            _ => None,
        }
    }
}

fn evaluate(s: &str) -> Option<i64> {
    if s.is_empty() || s.len() > MAX_EXPRESSION {
        return None;
    }
    let mut p = Parser { s: s.as_bytes(), pos: 0 };
    let v = p.expr(0)?;
    if p.peek().is_some() {
        return None;
    }
    Some(v)
}

async fn calculator(body: web::Bytes) -> HttpResponse {
    let parsed: Result<serde_json::Value, _> = serde_json::from_slice(&body);
    let expression = match parsed {
        Ok(v) => match v.get("expression").and_then(|e| e.as_str()) {
            Some(e) => e.to_string(),
            None => return HttpResponse::BadRequest().json(json!({"error": "invalid input"})),
        },
        Err(_) => return HttpResponse::BadRequest().json(json!({"error": "invalid input"})),
    };
    match evaluate(&expression) {
        Some(v) => HttpResponse::Ok().json(json!({"result": v.to_string()})),
        None => HttpResponse::BadRequest().json(json!({"error": "invalid expression"})),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| {
        App::new()
            .app_data(web::PayloadConfig::new(64 * 1024))
            .route("/calculator", web::post().to(calculator))
    })
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
