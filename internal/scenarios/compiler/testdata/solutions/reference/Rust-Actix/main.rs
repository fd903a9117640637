use std::process::Stdio;
use std::time::Duration;

use actix_web::{web, App, HttpResponse, HttpServer};
use serde::Deserialize;
use serde_json::json;
use tokio::process::Command;

const MAX_OUTPUT: usize = 64 << 10;
const COMPILE_TIMEOUT: Duration = Duration::from_secs(60);

#[derive(Deserialize)]
struct CompileRequest {
    #[serde(rename = "fileName")]
    file_name: String,
    #[serde(rename = "fileContent")]
    file_content: String,
}

fn failure(status: actix_web::http::StatusCode, msg: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({"hasError": true, "compilerError": msg}))
}

/// Plain file names only: no directories, no leading dash or dot, no shell characters.
fn safe_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= 100
        && b[0].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || b"_.-".contains(c))
        && !name.contains("..")
}

/// Writes the source under its validated name into a fresh directory and runs the compiler there with
/// an argument list (no shell). Returns the compiler's output when compilation fails.
async fn compile(name: &str, content: &str) -> std::io::Result<Option<String>> {
    let dir = tempdir::TempDir::new("compile")?;
    tokio::fs::write(dir.path().join(name), content).await?;
    let source = format!("./{}", name);
    let mut cmd = if name.ends_with(".cpp") {
        let mut c = Command::new("g++");
        c.args(["-o", "program", &source]);
        c
    } else {
        let mut c = Command::new("tsc");
        c.args(["--noEmit", "--pretty", "false", &source]);
        c
    };
    cmd.current_dir(dir.path()).stdin(Stdio::null()).kill_on_drop(true);
    let out = match tokio::time::timeout(COMPILE_TIMEOUT, cmd.output()).await {
        Ok(out) => out?,
        Err(_) => return Ok(Some("compilation timed out".to_string())),
    };
    if out.status.success() {
        return Ok(None);
    }
    let mut text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    text = text.trim().replace(&source, name);
    if text.len() > MAX_OUTPUT {
        let mut cut = MAX_OUTPUT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
    Ok(Some(text))
}

async fn handle_compile(body: web::Bytes) -> HttpResponse {
    use actix_web::http::StatusCode;
    let req: CompileRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(_) => return failure(StatusCode::BAD_REQUEST, "fileName and fileContent are required"),
    };
    if !safe_name(&req.file_name) {
        return failure(StatusCode::BAD_REQUEST, "invalid file name");
    }
    if !req.file_name.ends_with(".cpp") && !req.file_name.ends_with(".ts") {
        return failure(StatusCode::BAD_REQUEST, "unsupported file type: only .ts and .cpp files can be compiled");
    }
    match compile(&req.file_name, &req.file_content).await {
        Ok(None) => HttpResponse::Ok().json(json!({"hasError": false, "compilerError": null})),
        Ok(Some(text)) => HttpResponse::Ok().json(json!({"hasError": true, "compilerError": text})),
        Err(_) => failure(StatusCode::INTERNAL_SERVER_ERROR, "the compiler could not be run"),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| {
        App::new()
            .app_data(web::PayloadConfig::new(1 << 20))
            .route("/compile", web::post().to(handle_compile))
    })
    // Compiling on a loaded machine can be slow: give clients time.
    .client_request_timeout(Duration::from_secs(60))
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
