use std::path::{Component, Path, PathBuf};

use actix_web::{web, App, HttpResponse, HttpServer};
use serde::Deserialize;
use serde_json::json;

const DATA_DIR: &str = "/data";
const MAX_READ: u64 = 10 << 20;
const MAX_FILES: usize = 10_000;

#[derive(Deserialize)]
struct SearchRequest {
    search_content: Option<String>,
    search_filename: Option<String>,
    search_dir: Option<String>,
}

enum Root {
    Inside(PathBuf),
    Missing,
    Outside,
}

/// search_dir is relative to /data even when it starts with a slash; ".." is refused and the real path
/// (symlinks resolved) must stay inside /data.
fn search_root(dir: &str) -> Root {
    if dir.contains('\0') || dir.split(|c| c == '/' || c == '\\').any(|p| p == "..") {
        return Root::Outside;
    }
    let mut root = PathBuf::from(DATA_DIR);
    for c in Path::new(dir).components() {
        if let Component::Normal(p) = c {
            root.push(p);
        }
    }
    let (base, real) = match (std::fs::canonicalize(DATA_DIR), std::fs::canonicalize(&root)) {
        (Ok(b), Ok(r)) => (b, r),
        _ => return Root::Missing,
    };
    if !real.starts_with(&base) {
        return Root::Outside;
    }
    if real.is_dir() { Root::Inside(root) } else { Root::Missing }
}

fn contains(path: &Path, needle: &[u8]) -> bool {
    use std::io::Read;
    let mut data = Vec::new();
    match std::fs::File::open(path) {
        Ok(f) => {
            if f.take(MAX_READ).read_to_end(&mut data).is_err() {
                return false;
            }
        }
        Err(_) => return false,
    }
    data.windows(needle.len()).any(|w| w == needle)
}

/// Walks the tree without following symbolic links; special files are skipped.
fn walk(dir: &Path, name: &str, content: &str, found: &mut Vec<String>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(_) => return,
    };
    for entry in entries.flatten() {
        if found.len() >= MAX_FILES {
            return;
        }
        let path = entry.path();
        let ft = match entry.file_type() {
            Ok(t) => t,
            Err(_) => continue,
        };
        if ft.is_dir() {
            walk(&path, name, content, found);
        } else if ft.is_file() {
            let file_name = entry.file_name().to_string_lossy().to_string();
            if (!name.is_empty() && file_name.starts_with(name)) || (!content.is_empty() && contains(&path, content.as_bytes())) {
                found.push(path.to_string_lossy().to_string());
            }
        }
    }
}

async fn search(body: web::Bytes) -> HttpResponse {
    let req: SearchRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(_) => return HttpResponse::BadRequest().json(json!({"error": "invalid JSON body"})),
    };
    let content = req.search_content.unwrap_or_default();
    let name = req.search_filename.unwrap_or_default();
    if content.is_empty() && name.is_empty() {
        return HttpResponse::BadRequest().json(json!({"error": "search_content or search_filename is required"}));
    }
    let mut found = Vec::new();
    match search_root(&req.search_dir.unwrap_or_default()) {
        Root::Outside => {
            return HttpResponse::BadRequest().json(json!({"error": "search_dir must stay inside the data directory"}))
        }
        Root::Missing => {}
        Root::Inside(root) => {
            let found_ref = &mut found;
            let result = web::block(move || {
                let mut f = Vec::new();
                walk(&root, &name, &content, &mut f);
                f
            })
            .await;
            *found_ref = result.unwrap_or_default();
        }
    }
    found.sort();
    HttpResponse::Ok().json(json!({"files": found}))
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| {
        App::new()
            .app_data(web::PayloadConfig::new(1 << 20))
            .route("/search", web::post().to(search))
    })
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
