use std::process::Stdio;
use std::time::Duration;

use actix_web::{web, App, HttpResponse, HttpServer};
use serde::Deserialize;
use serde_json::json;
use tokio::process::Command;

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

const MAX_REGEX: usize = 1000;
const MAX_FLAGS: usize = 20_000;

fn fail(status: actix_web::http::StatusCode, msg: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({"code": status.as_u16(), "message": msg}))
}

#[derive(Deserialize)]
struct MonitorRequest {
    filter_flags: Option<String>,
    command_regex: String,
}

/// What one ps option word may look like: never a shell metacharacter. ps receives the words as
/// separate arguments; no shell is involved.
fn flag_token(w: &str) -> bool {
    !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphanumeric() || b",=:+-".contains(&b))
}

/// Splits a line into n-1 whitespace-separated fields and the rest of the line.
fn split_n(line: &str, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = line.trim_start();
    while out.len() + 1 < n {
        match rest.find(|c: char| c == ' ' || c == '\t') {
            Some(i) => {
                out.push(rest[..i].to_string());
                rest = rest[i..].trim_start();
            }
            None => break,
        }
    }
    out.push(rest.to_string());
    out
}

async fn list_processes(flags: &[String]) -> Option<Vec<(i64, String)>> {
    let mut cmd = Command::new("ps");
    cmd.args(flags).stdin(Stdio::null()).stderr(Stdio::null()).kill_on_drop(true);
    let out = match tokio::time::timeout(Duration::from_secs(10), cmd.output()).await {
        Ok(Ok(o)) if o.status.success() => o.stdout,
        _ => return None,
    };
    let text = String::from_utf8_lossy(&out).to_string();
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<&str> = match lines.next() {
        Some(h) => h.split_whitespace().collect(),
        None => return Some(Vec::new()),
    };
    let pid_col = header.iter().position(|h| *h == "PID")?;
    if pid_col == header.len() - 1 {
        return None;
    }
    let mut procs = Vec::new();
    for l in lines {
        let f = split_n(l, header.len());
        if f.len() != header.len() {
            continue;
        }
        if let Ok(pid) = f[pid_col].parse::<i64>() {
            procs.push((pid, f[f.len() - 1].clone()));
        }
    }
    Some(procs)
}

async fn monitor(body: web::Bytes) -> HttpResponse {
    use actix_web::http::StatusCode;
    let req: MonitorRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(_) => return fail(StatusCode::BAD_REQUEST, "a JSON body with command_regex is required"),
    };
    if req.command_regex.chars().count() > MAX_REGEX {
        return fail(StatusCode::BAD_REQUEST, "command_regex is too long");
    }
    let re = match regex::Regex::new(&req.command_regex) {
        Ok(r) => r,
        Err(_) => return fail(StatusCode::BAD_REQUEST, "invalid command_regex"),
    };
    let flags_text = req.filter_flags.unwrap_or_default();
    if flags_text.len() > MAX_FLAGS {
        return fail(StatusCode::BAD_REQUEST, "filter_flags is too long");
    }
    let flags: Vec<String> = flags_text.split_whitespace().map(|s| s.to_string()).collect();
    if !flags.iter().all(|f| flag_token(f)) {
        return fail(StatusCode::BAD_REQUEST, "invalid filter_flags");
    }
    let procs = match list_processes(&flags).await {
        Some(p) => p,
        None => return fail(StatusCode::BAD_REQUEST, "ps rejected the filter flags"),
    };
    let matched: Vec<serde_json::Value> = procs
        .into_iter()
        .filter(|(_, s)| re.is_match(s))
        .map(|(pid, s)| json!({"processId": pid, "processString": s}))
        .collect();
    HttpResponse::Ok().json(matched)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| {
        App::new()
            .app_data(web::PayloadConfig::new(64 * 1024))
            .route("/monitor/commands", web::post().to(monitor))
    })
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
