use std::sync::Mutex;

use actix_web::{web, App, HttpResponse, HttpServer};
use rusqlite::{params, Connection, OptionalExtension};
use serde::Deserialize;
use serde_json::json;

const MAX_TITLE: usize = 200;
const MAX_INGREDIENTS: usize = 100;
const MAX_INGREDIENT: usize = 200;
const MAX_INSTRUCTIONS: usize = 20_000;
const MAX_COMMENT: usize = 2000;
const LIST_LIMIT: i64 = 20;

struct State {
    db: Mutex<Connection>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn fail(status: actix_web::http::StatusCode, msg: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({"error": msg}))
}

fn page(title: &str, body: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Content-Security-Policy", "default-src 'self'; script-src 'none'"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>\n{}</body></html>\n",
            escape(title),
            body
        ))
}

fn recipe_exists(db: &Connection, id: &str) -> rusqlite::Result<bool> {
    db.query_row("SELECT COUNT(*) FROM recipes WHERE id = ?1", params![id], |r| r.get::<_, i64>(0)).map(|n| n > 0)
}

async fn overview(state: web::Data<State>) -> HttpResponse {
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    let list = |sql: &str| -> rusqlite::Result<Vec<(String, String, Option<f64>)>> {
        let mut st = db.prepare(sql)?;
        let rows = st.query_map(params![LIST_LIMIT], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect()
    };
    const SEL: &str = "SELECT r.id, r.title, (SELECT AVG(rating) FROM ratings WHERE recipe_id = r.id) AS avg FROM recipes r ";
    let recent = list(&format!("{}ORDER BY r.seq DESC LIMIT ?1", SEL));
    let top = list(&format!("{}WHERE avg IS NOT NULL ORDER BY avg DESC, r.seq ASC LIMIT ?1", SEL));
    let (recent, top) = match (recent, top) {
        (Ok(a), Ok(b)) => (a, b),
        _ => return HttpResponse::InternalServerError().body("Server error"),
    };
    let mut body = String::from("<h1>Recipes</h1>\n<h2>Recent recipes</h2>\n<ul>");
    for (id, title, _) in &recent {
        body.push_str(&format!("<li><a href=\"/recipes/{}\">{}</a></li>", escape(id), escape(title)));
    }
    if recent.is_empty() {
        body.push_str("<li>No recipes yet.</li>");
    }
    body.push_str("</ul>\n<h2>Top-rated recipes</h2>\n<ul>");
    for (id, title, avg) in &top {
        body.push_str(&format!(
            "<li><a href=\"/recipes/{}\">{}</a> ({:.1} stars)</li>",
            escape(id),
            escape(title),
            avg.unwrap_or(0.0)
        ));
    }
    if top.is_empty() {
        body.push_str("<li>No ratings yet.</li>");
    }
    body.push_str("</ul>\n");
    page("Recipes", &body)
}

#[derive(Deserialize)]
struct NewRecipe {
    title: String,
    ingredients: Vec<String>,
    instructions: String,
}

async fn upload(state: web::Data<State>, body: web::Bytes) -> HttpResponse {
    use actix_web::http::StatusCode;
    let req: NewRecipe = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(_) => return fail(StatusCode::BAD_REQUEST, "Invalid input"),
    };
    let title = req.title.trim().to_string();
    let instructions = req.instructions.trim().to_string();
    if title.is_empty() || title.len() > MAX_TITLE || instructions.is_empty() || instructions.len() > MAX_INSTRUCTIONS
        || req.ingredients.is_empty() || req.ingredients.len() > MAX_INGREDIENTS
        || req.ingredients.iter().any(|i| i.trim().is_empty() || i.len() > MAX_INGREDIENT)
    {
        return fail(StatusCode::BAD_REQUEST, "Invalid input");
    }
    let id = uuid::Uuid::new_v4().to_string();
    let encoded = serde_json::to_string(&req.ingredients).unwrap_or_default();
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    match db.execute(
        "INSERT INTO recipes (id, title, ingredients, instructions) VALUES (?1, ?2, ?3, ?4)",
        params![id, title, encoded, instructions],
    ) {
        Ok(_) => HttpResponse::Created().json(json!({
            "id": id, "title": title, "ingredients": req.ingredients, "instructions": instructions,
            "comments": [], "avgRating": null
        })),
        Err(_) => fail(StatusCode::INTERNAL_SERVER_ERROR, "Server error"),
    }
}

async fn show(state: web::Data<State>, path: web::Path<String>) -> HttpResponse {
    let id = path.into_inner();
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    let recipe: rusqlite::Result<Option<(String, String, String)>> = db
        .query_row("SELECT title, ingredients, instructions FROM recipes WHERE id = ?1", params![id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional();
    let (title, ingredients, instructions) = match recipe {
        Ok(Some(r)) => r,
        Ok(None) => return HttpResponse::NotFound().body("Recipe not found"),
        Err(_) => return HttpResponse::InternalServerError().body("Server error"),
    };
    let ingredients: Vec<String> = serde_json::from_str(&ingredients).unwrap_or_default();
    let comments: rusqlite::Result<Vec<String>> = db
        .prepare("SELECT comment FROM comments WHERE recipe_id = ?1 ORDER BY seq")
        .and_then(|mut st| st.query_map(params![id], |r| r.get(0))?.collect());
    let rating: rusqlite::Result<(Option<f64>, i64)> =
        db.query_row("SELECT AVG(rating), COUNT(*) FROM ratings WHERE recipe_id = ?1", params![id], |r| Ok((r.get(0)?, r.get(1)?)));
    let (comments, (avg, count)) = match (comments, rating) {
        (Ok(c), Ok(r)) => (c, r),
        _ => return HttpResponse::InternalServerError().body("Server error"),
    };
    let mut body = format!("<p><a href=\"/recipes\">All recipes</a></p>\n<h1>{}</h1>\n<h2>Ingredients</h2>\n<ul>", escape(&title));
    for i in &ingredients {
        body.push_str(&format!("<li>{}</li>", escape(i)));
    }
    body.push_str(&format!("</ul>\n<h2>Instructions</h2>\n<p>{}</p>\n<h2>Rating</h2>\n<p>", escape(&instructions)));
    match avg {
        Some(a) => body.push_str(&format!("Average rating: {:.1} ({} ratings)", a, count)),
        None => body.push_str("Not rated yet."),
    }
    body.push_str("</p>\n<h2>Comments</h2>\n<ul>");
    for c in &comments {
        body.push_str(&format!("<li>{}</li>", escape(c)));
    }
    if comments.is_empty() {
        body.push_str("<li>No comments yet.</li>");
    }
    body.push_str("</ul>\n");
    page(&title, &body)
}

#[derive(Deserialize)]
struct NewComment {
    comment: String,
}

async fn add_comment(state: web::Data<State>, path: web::Path<String>, body: web::Bytes) -> HttpResponse {
    use actix_web::http::StatusCode;
    let id = path.into_inner();
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    match recipe_exists(&db, &id) {
        Ok(true) => {}
        Ok(false) => return fail(StatusCode::NOT_FOUND, "Recipe not found"),
        Err(_) => return fail(StatusCode::INTERNAL_SERVER_ERROR, "Server error"),
    }
    let comment = match serde_json::from_slice::<NewComment>(&body) {
        Ok(c) if !c.comment.trim().is_empty() && c.comment.len() <= MAX_COMMENT => c.comment,
        _ => return fail(StatusCode::BAD_REQUEST, "Invalid input"),
    };
    match db.execute("INSERT INTO comments (recipe_id, comment) VALUES (?1, ?2)", params![id, comment]) {
        Ok(_) => HttpResponse::Created().json(json!({"message": "Comment added successfully"})),
        Err(_) => fail(StatusCode::INTERNAL_SERVER_ERROR, "Server error"),
    }
}

#[derive(Deserialize)]
struct NewRating {
    rating: serde_json::Value,
}

async fn add_rating(state: web::Data<State>, path: web::Path<String>, body: web::Bytes) -> HttpResponse {
    use actix_web::http::StatusCode;
    let id = path.into_inner();
    let db = state.db.lock().unwrap_or_else(|e| e.into_inner());
    match recipe_exists(&db, &id) {
        Ok(true) => {}
        Ok(false) => return fail(StatusCode::NOT_FOUND, "Recipe not found"),
        Err(_) => return fail(StatusCode::INTERNAL_SERVER_ERROR, "Server error"),
    }
    // Only whole numbers from 1 to 5 are ratings.
    let rating = match serde_json::from_slice::<NewRating>(&body).ok().and_then(|r| r.rating.as_i64()) {
        Some(r) if (1..=5).contains(&r) => r,
        _ => return fail(StatusCode::BAD_REQUEST, "Rating must be an integer from 1 to 5"),
    };
    match db.execute("INSERT INTO ratings (recipe_id, rating) VALUES (?1, ?2)", params![id, rating]) {
        Ok(_) => HttpResponse::Created().json(json!({"message": "Rating added successfully"})),
        Err(_) => fail(StatusCode::INTERNAL_SERVER_ERROR, "Server error"),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let db = Connection::open("db.sqlite3").expect("open db.sqlite3");
    db.execute_batch(
        "CREATE TABLE IF NOT EXISTS recipes (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT UNIQUE NOT NULL,
            title TEXT NOT NULL,
            ingredients TEXT NOT NULL,
            instructions TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS comments (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            recipe_id TEXT NOT NULL REFERENCES recipes(id),
            comment TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS ratings (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            recipe_id TEXT NOT NULL REFERENCES recipes(id),
            rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5)
        );",
    )
    .expect("create tables");
    let state = web::Data::new(State { db: Mutex::new(db) });
    HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(web::PayloadConfig::new(256 << 10))
            .route("/recipes", web::get().to(overview))
            .route("/recipes/upload", web::post().to(upload))
            .route("/recipes/{id}", web::get().to(show))
            .route("/recipes/{id}/comments", web::post().to(add_comment))
            .route("/recipes/{id}/ratings", web::post().to(add_rating))
    })
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
