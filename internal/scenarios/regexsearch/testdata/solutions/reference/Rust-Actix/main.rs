use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use actix_web::{web, App, HttpResponse, HttpServer};
use serde_json::json;

// The manifest has no regex crate, so patterns are compiled here into a small automaton and matched
// by simulating all its states at once (Thompson/Pike): matching time is linear in the text whatever
// the pattern, so no pattern can make a search blow up.
mod regex {
    #[derive(Clone)]
    struct Class {
        ranges: Vec<(char, char)>,
        negated: bool,
    }

    impl Class {
        fn matches(&self, c: char) -> bool {
            self.ranges.iter().any(|&(a, b)| a <= c && c <= b) != self.negated
        }
    }

    #[derive(Clone)]
    enum Node {
        Class(Class),
        Any,
        Start,
        End,
        Concat(Vec<Node>),
        Alt(Vec<Node>),
        Repeat(Box<Node>, u32, Option<u32>),
    }

    enum Inst {
        Class(Class),
        Any,
        Start,
        End,
        Split(usize, usize),
        Jmp(usize),
        Match,
    }

    const MAX_PROGRAM: usize = 20_000;
    const MAX_REPEAT: u32 = 1000;

    pub struct Regex {
        prog: Vec<Inst>,
    }

    struct Parser {
        s: Vec<char>,
        pos: usize,
        depth: usize,
    }

    fn lit(c: char) -> Node {
        Node::Class(Class { ranges: vec![(c, c)], negated: false })
    }

    fn named(c: char) -> Option<Class> {
        let digit = vec![('0', '9')];
        let word = vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')];
        let space = vec![(' ', ' '), ('\t', '\r')];
        Some(match c {
            'd' => Class { ranges: digit, negated: false },
            'D' => Class { ranges: digit, negated: true },
            'w' => Class { ranges: word, negated: false },
            'W' => Class { ranges: word, negated: true },
            's' => Class { ranges: space, negated: false },
            'S' => Class { ranges: space, negated: true },
            _ => return None,
        })
    }

    fn escaped(c: char) -> char {
        match c {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'f' => '\u{0c}',
            'v' => '\u{0b}',
            _ => c,
        }
    }

    impl Parser {
        fn peek(&self) -> Option<char> {
            self.s.get(self.pos).copied()
        }

        fn alt(&mut self) -> Result<Node, String> {
            self.depth += 1;
            if self.depth > 200 {
                return Err("pattern nested too deeply".into());
            }
            let mut alts = vec![self.concat()?];
            while self.peek() == Some('|') {
                self.pos += 1;
                alts.push(self.concat()?);
            }
            self.depth -= 1;
            Ok(if alts.len() == 1 { alts.pop().unwrap() } else { Node::Alt(alts) })
        }

        fn concat(&mut self) -> Result<Node, String> {
            let mut items = Vec::new();
            while let Some(c) = self.peek() {
                if c == '|' || c == ')' {
                    break;
                }
                items.push(self.repeat()?);
            }
            Ok(Node::Concat(items))
        }

        fn number(&mut self) -> Option<u32> {
            let start = self.pos;
            while self.peek().map(|c| c.is_ascii_digit()).unwrap_or(false) {
                self.pos += 1;
            }
            if start == self.pos {
                return None;
            }
            self.s[start..self.pos].iter().collect::<String>().parse().ok()
        }

        fn repeat(&mut self) -> Result<Node, String> {
            let mut node = self.atom()?;
            loop {
                let (min, max) = match self.peek() {
                    Some('*') => (0, None),
                    Some('+') => (1, None),
                    Some('?') => (0, Some(1)),
                    Some('{') => {
                        let save = self.pos;
                        self.pos += 1;
                        let min = match self.number() {
                            Some(n) => n,
                            None => {
                                self.pos = save;
                                return Ok(node);
                            }
                        };
                        let max = if self.peek() == Some(',') {
                            self.pos += 1;
                            if self.peek() == Some('}') { None } else { Some(self.number().ok_or("bad repetition")?) }
                        } else {
                            Some(min)
                        };
                        if self.peek() != Some('}') {
                            return Err("bad repetition".into());
                        }
                        if min > MAX_REPEAT || max.map(|m| m > MAX_REPEAT || m < min).unwrap_or(false) {
                            return Err("bad repetition".into());
                        }
                        (min, max)
                    }
                    _ => return Ok(node),
                };
                self.pos += 1;
                if self.peek() == Some('?') {
                    self.pos += 1; // lazy and greedy quantifiers match the same texts
                }
                node = Node::Repeat(Box::new(node), min, max);
            }
        }

        fn atom(&mut self) -> Result<Node, String> {
            let c = self.peek().ok_or("unexpected end")?;
            self.pos += 1;
            Ok(match c {
                '(' => {
                    if self.s.get(self.pos..self.pos + 2) == Some(&['?', ':'][..]) {
                        self.pos += 2;
                    } else if self.peek() == Some('?') {
                        return Err("unsupported group".into());
                    }
                    let inner = self.alt()?;
                    if self.peek() != Some(')') {
                        return Err("missing )".into());
                    }
                    self.pos += 1;
                    inner
                }
                '[' => Node::Class(self.class()?),
                '.' => Node::Any,
                '^' => Node::Start,
                '$' => Node::End,
                '*' | '+' | '?' => return Err("nothing to repeat".into()),
                '\\' => {
                    let e = self.peek().ok_or("trailing backslash")?;
                    self.pos += 1;
                    match named(e) {
                        Some(cl) => Node::Class(cl),
                        None => lit(escaped(e)),
                    }
                }
                _ => lit(c),
            })
        }

        fn class(&mut self) -> Result<Class, String> {
            let mut cl = Class { ranges: Vec::new(), negated: false };
            if self.peek() == Some('^') {
                cl.negated = true;
                self.pos += 1;
            }
            let mut first = true;
            loop {
                let c = self.peek().ok_or("missing ]")?;
                self.pos += 1;
                if c == ']' && !first {
                    return Ok(cl);
                }
                first = false;
                let lo = if c == '\\' {
                    let e = self.peek().ok_or("missing ]")?;
                    self.pos += 1;
                    if let Some(n) = named(e) {
                        if n.negated {
                            return Err("unsupported class".into());
                        }
                        cl.ranges.extend(n.ranges);
                        continue;
                    }
                    escaped(e)
                } else {
                    c
                };
                if self.peek() == Some('-') && self.s.get(self.pos + 1).map(|&n| n != ']').unwrap_or(false) {
                    self.pos += 1;
                    let mut hi = self.peek().ok_or("missing ]")?;
                    self.pos += 1;
                    if hi == '\\' {
                        hi = escaped(self.peek().ok_or("missing ]")?);
                        self.pos += 1;
                    }
                    if hi < lo {
                        return Err("bad range".into());
                    }
                    cl.ranges.push((lo, hi));
                } else {
                    cl.ranges.push((lo, lo));
                }
            }
        }
    }

    fn emit(prog: &mut Vec<Inst>, inst: Inst) -> Result<usize, String> {
        if prog.len() >= MAX_PROGRAM {
            return Err("pattern too large".into());
        }
        prog.push(inst);
        Ok(prog.len() - 1)
    }

    fn compile(node: &Node, prog: &mut Vec<Inst>) -> Result<(), String> {
        match node {
            Node::Class(c) => {
                emit(prog, Inst::Class(c.clone()))?;
            }
            Node::Any => {
                emit(prog, Inst::Any)?;
            }
            Node::Start => {
                emit(prog, Inst::Start)?;
            }
            Node::End => {
                emit(prog, Inst::End)?;
            }
            Node::Concat(items) => {
                for n in items {
                    compile(n, prog)?;
                }
            }
            Node::Alt(alts) => {
                let mut jumps = Vec::new();
                for (i, a) in alts.iter().enumerate() {
                    if i + 1 < alts.len() {
                        let split = emit(prog, Inst::Split(0, 0))?;
                        compile(a, prog)?;
                        jumps.push(emit(prog, Inst::Jmp(0))?);
                        let next = prog.len();
                        prog[split] = Inst::Split(split + 1, next);
                    } else {
                        compile(a, prog)?;
                    }
                }
                let end = prog.len();
                for j in jumps {
                    prog[j] = Inst::Jmp(end);
                }
            }
            Node::Repeat(inner, min, max) => {
                for _ in 0..*min {
                    compile(inner, prog)?;
                }
                match max {
                    None => {
                        let split = emit(prog, Inst::Split(0, 0))?;
                        compile(inner, prog)?;
                        emit(prog, Inst::Jmp(split))?;
                        let end = prog.len();
                        prog[split] = Inst::Split(split + 1, end);
                    }
                    Some(m) => {
                        let mut splits = Vec::new();
                        for _ in *min..*m {
                            splits.push(emit(prog, Inst::Split(0, 0))?);
                            compile(inner, prog)?;
                        }
                        let end = prog.len();
                        for s in splits {
                            prog[s] = Inst::Split(s + 1, end);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    impl Regex {
        pub fn new(pattern: &str) -> Result<Regex, String> {
            let mut p = Parser { s: pattern.chars().collect(), pos: 0, depth: 0 };
            let node = p.alt()?;
            if p.pos != p.s.len() {
                return Err("unbalanced )".into());
            }
            let mut prog = Vec::new();
            compile(&node, &mut prog)?;
            emit(&mut prog, Inst::Match)?;
            Ok(Regex { prog })
        }

        /// Adds the thread at pc and everything reachable from it without consuming a character;
        /// true when that reaches Match.
        fn add(&self, list: &mut Vec<usize>, mark: &mut [usize], gen: usize, pc: usize, pos: usize, len: usize) -> bool {
            let mut stack = vec![pc];
            while let Some(pc) = stack.pop() {
                if mark[pc] == gen {
                    continue;
                }
                mark[pc] = gen;
                match &self.prog[pc] {
                    Inst::Match => return true,
                    Inst::Jmp(a) => stack.push(*a),
                    Inst::Split(a, b) => {
                        stack.push(*b);
                        stack.push(*a);
                    }
                    Inst::Start => {
                        if pos == 0 {
                            stack.push(pc + 1)
                        }
                    }
                    Inst::End => {
                        if pos == len {
                            stack.push(pc + 1)
                        }
                    }
                    _ => list.push(pc),
                }
            }
            false
        }

        /// Whether the pattern matches anywhere in the text.
        pub fn is_match(&self, text: &str) -> bool {
            let chars: Vec<char> = text.chars().collect();
            let len = chars.len();
            let mut mark = vec![usize::MAX; self.prog.len()];
            let mut gen = 0;
            let mut cur: Vec<usize> = Vec::new();
            for pos in 0..=len {
                if self.add(&mut cur, &mut mark, gen, 0, pos, len) {
                    return true;
                }
                if pos == len {
                    break;
                }
                gen += 1;
                let mut next = Vec::new();
                let c = chars[pos];
                for &pc in &cur {
                    let ok = match &self.prog[pc] {
                        Inst::Class(cl) => cl.matches(c),
                        Inst::Any => c != '\n',
                        _ => false,
                    };
                    if ok && self.add(&mut next, &mut mark, gen, pc + 1, pos + 1, len) {
                        return true;
                    }
                }
                cur = next;
            }
            false
        }
    }
}

const FILES_ROOT: &str = "files";
const MAX_REGEX: usize = 1000;
const MAX_FILE_SIZE: u64 = 1 << 20; // larger files are not searched
const MAX_FILES: usize = 10_000;

fn fail(status: actix_web::http::StatusCode, msg: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({"error": msg}))
}

/// The real path of the requested directory inside the files root (also through symbolic links).
fn resolve_dir(root: &Path, dir: &str) -> Option<PathBuf> {
    if dir.contains('\0') {
        return None;
    }
    let mut target = root.to_path_buf();
    for c in Path::new(dir).components() {
        match c {
            Component::Normal(p) => target.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    let real = std::fs::canonicalize(&target).ok()?;
    if !real.starts_with(root) || !real.is_dir() {
        return None;
    }
    Some(real)
}

/// Searches the regular files of dir (and below when recursive); None when there are too many.
fn search_dir(re: &regex::Regex, base: &Path, dir: &Path, recursive: bool, seen: &mut usize, found: &mut Vec<String>) -> Option<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(_) => return Some(()),
    };
    for entry in entries.flatten() {
        let ft = match entry.file_type() {
            Ok(t) => t,
            Err(_) => continue,
        };
        let path = entry.path();
        if ft.is_dir() {
            if recursive {
                search_dir(re, base, &path, recursive, seen, found)?;
            }
            continue;
        }
        *seen += 1;
        if *seen > MAX_FILES {
            return None;
        }
        // Symbolic links and special files are skipped; files above 1 MiB are not read.
        if !ft.is_file() || entry.metadata().map(|m| m.len() > MAX_FILE_SIZE).unwrap_or(true) {
            continue;
        }
        if let Ok(data) = std::fs::read(&path) {
            if re.is_match(&String::from_utf8_lossy(&data)) {
                if let Ok(rel) = path.strip_prefix(base) {
                    found.push(rel.to_string_lossy().to_string());
                }
            }
        }
    }
    Some(())
}

async fn search(q: web::Query<HashMap<String, String>>) -> HttpResponse {
    use actix_web::http::StatusCode;
    let pattern = match q.get("regex") {
        Some(p) if p.chars().count() <= MAX_REGEX => p.clone(),
        _ => return fail(StatusCode::BAD_REQUEST, "a regex of at most 1000 characters is required"),
    };
    let re = match regex::Regex::new(&pattern) {
        Ok(r) => r,
        Err(_) => return fail(StatusCode::BAD_REQUEST, "malformed regex"),
    };
    let recursive = match q.get("recursive").map(|s| s.to_ascii_lowercase()) {
        None => false,
        Some(s) if s.is_empty() || s == "false" || s == "0" => false,
        Some(s) if s == "true" || s == "1" => true,
        _ => return fail(StatusCode::BAD_REQUEST, "recursive must be true or false"),
    };
    let _ = std::fs::create_dir_all(FILES_ROOT);
    let root = match std::fs::canonicalize(FILES_ROOT) {
        Ok(r) => r,
        Err(_) => return fail(StatusCode::INTERNAL_SERVER_ERROR, "the files root is not available"),
    };
    let dir = match resolve_dir(&root, q.get("directory").map(|s| s.as_str()).unwrap_or("")) {
        Some(d) => d,
        None => return fail(StatusCode::BAD_REQUEST, "inaccessible directory"),
    };
    let result = web::block(move || {
        let mut found = Vec::new();
        let mut seen = 0;
        search_dir(&re, &dir, &dir, recursive, &mut seen, &mut found).map(|_| found)
    })
    .await;
    match result {
        Ok(Some(mut found)) => {
            found.sort();
            HttpResponse::Ok().json(json!({"files": found}))
        }
        Ok(None) => fail(StatusCode::BAD_REQUEST, "the directory holds too many files"),
        Err(_) => fail(StatusCode::INTERNAL_SERVER_ERROR, "the search failed"),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    std::fs::create_dir_all(FILES_ROOT)?;
    HttpServer::new(|| {
        App::new()
            .app_data(web::QueryConfig::default().error_handler(|e, _| {
                actix_web::error::InternalError::from_response(e, HttpResponse::BadRequest().json(json!({"error": "invalid query"})))
                    .into()
            }))
            .route("/search", web::get().to(search))
    })
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
