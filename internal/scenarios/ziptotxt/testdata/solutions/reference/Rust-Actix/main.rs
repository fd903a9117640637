use actix_multipart::form::{bytes::Bytes as FilePart, MultipartForm, MultipartFormConfig};
use actix_web::{web, App, FromRequest, HttpRequest, HttpResponse, HttpServer};

const MAX_UPLOAD: usize = 10 << 20; // request body
const MAX_OUTPUT: usize = 10 << 20; // text produced from all members together
const MAX_MEMBERS: usize = 1000;

#[derive(MultipartForm)]
struct Upload {
    #[multipart(limit = "10 MiB")]
    file: FilePart,
}

#[derive(Debug)]
enum ZipError {
    Invalid,
    TooLarge,
}

// The manifest has no zip or deflate crate, so a DEFLATE decoder (RFC 1951) is written out here.
// Its output is bounded: decoding stops with TooLarge as soon as the limit is passed.
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
    bit: u32,
    nbits: u32,
}

impl<'a> Bits<'a> {
    fn need(&mut self, n: u32) -> Result<u32, ZipError> {
        while self.nbits < n {
            let b = *self.data.get(self.pos).ok_or(ZipError::Invalid)? as u32;
            self.pos += 1;
            self.bit |= b << self.nbits;
            self.nbits += 8;
        }
        let v = self.bit & ((1u32 << n) - 1);
        self.bit >>= n;
        self.nbits -= n;
        Ok(v)
    }
}

struct Huffman {
    counts: [u16; 16],
    symbols: Vec<u16>,
}

impl Huffman {
    fn new(lengths: &[u8]) -> Huffman {
        let mut counts = [0u16; 16];
        for &l in lengths {
            counts[l as usize] += 1;
        }
        counts[0] = 0;
        let mut offs = [0u16; 16];
        for i in 1..16 {
            offs[i] = offs[i - 1] + counts[i - 1];
        }
        let mut symbols = vec![0u16; lengths.len()];
        for (s, &l) in lengths.iter().enumerate() {
            if l != 0 {
                symbols[offs[l as usize] as usize] = s as u16;
                offs[l as usize] += 1;
            }
        }
        Huffman { counts, symbols }
    }

    fn decode(&self, b: &mut Bits) -> Result<u16, ZipError> {
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..16 {
            code |= b.need(1)? as i32;
            let count = self.counts[len] as i32;
            if code - count < first {
                return self.symbols.get((index + (code - first)) as usize).copied().ok_or(ZipError::Invalid);
            }
            index += count;
            first += count;
            first <<= 1;
            code <<= 1;
        }
        Err(ZipError::Invalid)
    }
}

const LBASE: [u16; 29] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEXT: [u8; 29] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DBASE: [u16; 30] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DEXT: [u8; 30] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

fn inflate(data: &[u8], limit: usize) -> Result<Vec<u8>, ZipError> {
    let mut b = Bits { data, pos: 0, bit: 0, nbits: 0 };
    let mut out: Vec<u8> = Vec::new();
    loop {
        let last = b.need(1)?;
        match b.need(2)? {
            0 => {
                b.bit = 0;
                b.nbits = 0;
                let head = data.get(b.pos..b.pos + 4).ok_or(ZipError::Invalid)?;
                let len = u16::from_le_bytes([head[0], head[1]]) as usize;
                b.pos += 4;
                let chunk = data.get(b.pos..b.pos + len).ok_or(ZipError::Invalid)?;
                if out.len() + len > limit {
                    return Err(ZipError::TooLarge);
                }
                out.extend_from_slice(chunk);
                b.pos += len;
            }
            kind @ (1 | 2) => {
                let (lit, dist) = if kind == 1 {
                    let mut l = [0u8; 288];
                    for (i, x) in l.iter_mut().enumerate() {
                        *x = if i < 144 { 8 } else if i < 256 { 9 } else if i < 280 { 7 } else { 8 };
                    }
                    (Huffman::new(&l), Huffman::new(&[5u8; 30]))
                } else {
                    let nlen = b.need(5)? as usize + 257;
                    let ndist = b.need(5)? as usize + 1;
                    let ncode = b.need(4)? as usize + 4;
                    const ORDER: [usize; 19] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];
                    let mut cl = [0u8; 19];
                    for &o in ORDER.iter().take(ncode) {
                        cl[o] = b.need(3)? as u8;
                    }
                    let ch = Huffman::new(&cl);
                    let mut lengths = vec![0u8; nlen + ndist];
                    let mut i = 0;
                    while i < nlen + ndist {
                        let sym = ch.decode(&mut b)?;
                        let (val, rep) = match sym {
                            0..=15 => (sym as u8, 1),
                            16 => (*lengths.get(i.wrapping_sub(1)).ok_or(ZipError::Invalid)?, 3 + b.need(2)? as usize),
                            17 => (0, 3 + b.need(3)? as usize),
                            _ => (0, 11 + b.need(7)? as usize),
                        };
                        if i + rep > nlen + ndist {
                            return Err(ZipError::Invalid);
                        }
                        for _ in 0..rep {
                            lengths[i] = val;
                            i += 1;
                        }
                    }
                    (Huffman::new(&lengths[..nlen]), Huffman::new(&lengths[nlen..]))
                };
                loop {
                    let sym = lit.decode(&mut b)? as usize;
                    if sym < 256 {
                        if out.len() >= limit {
                            return Err(ZipError::TooLarge);
                        }
                        out.push(sym as u8);
                    } else if sym == 256 {
                        break;
                    } else {
                        let s = sym - 257;
                        if s >= 29 {
                            return Err(ZipError::Invalid);
                        }
                        let len = LBASE[s] as usize + b.need(LEXT[s] as u32)? as usize;
                        let ds = dist.decode(&mut b)? as usize;
                        if ds >= 30 {
                            return Err(ZipError::Invalid);
                        }
                        let d = DBASE[ds] as usize + b.need(DEXT[ds] as u32)? as usize;
                        if d > out.len() {
                            return Err(ZipError::Invalid);
                        }
                        if out.len() + len > limit {
                            return Err(ZipError::TooLarge);
                        }
                        let start = out.len() - d;
                        for k in 0..len {
                            let c = out[start + k];
                            out.push(c);
                        }
                    }
                }
            }
            _ => return Err(ZipError::Invalid),
        }
        if last == 1 {
            return Ok(out);
        }
    }
}

fn u16le(d: &[u8], at: usize) -> Result<usize, ZipError> {
    d.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as usize).ok_or(ZipError::Invalid)
}

fn u32le(d: &[u8], at: usize) -> Result<usize, ZipError> {
    d.get(at..at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize).ok_or(ZipError::Invalid)
}

/// The text of every .txt member of a zip archive held in memory. Nothing is written to disk, nested
/// archives are never opened, and the total output is bounded whatever the members' headers claim.
fn zip_text(d: &[u8]) -> Result<Vec<u8>, ZipError> {
    if d.len() < 22 {
        return Err(ZipError::Invalid);
    }
    let eocd = (0..=d.len() - 22).rev().take(65_557).find(|&i| d[i..].starts_with(b"PK\x05\x06")).ok_or(ZipError::Invalid)?;
    let count = u16le(d, eocd + 10)?;
    if count > MAX_MEMBERS {
        return Err(ZipError::Invalid);
    }
    let mut pos = u32le(d, eocd + 16)?;
    let mut out: Vec<u8> = Vec::new();
    for _ in 0..count {
        if !d.get(pos..).map(|s| s.starts_with(b"PK\x01\x02")).unwrap_or(false) {
            return Err(ZipError::Invalid);
        }
        let method = u16le(d, pos + 10)?;
        let csize = u32le(d, pos + 20)?;
        let (nlen, elen, clen) = (u16le(d, pos + 28)?, u16le(d, pos + 30)?, u16le(d, pos + 32)?);
        let offset = u32le(d, pos + 42)?;
        let name = String::from_utf8_lossy(d.get(pos + 46..pos + 46 + nlen).ok_or(ZipError::Invalid)?).to_string();
        pos += 46 + nlen + elen + clen;
        if name.ends_with('/') || !name.to_ascii_lowercase().ends_with(".txt") {
            continue;
        }
        if !d.get(offset..).map(|s| s.starts_with(b"PK\x03\x04")).unwrap_or(false) {
            return Err(ZipError::Invalid);
        }
        let start = offset + 30 + u16le(d, offset + 26)? + u16le(d, offset + 28)?;
        let raw = d.get(start..start + csize).ok_or(ZipError::Invalid)?;
        let left = MAX_OUTPUT - out.len();
        let content = match method {
            0 if raw.len() > left => return Err(ZipError::TooLarge),
            0 => raw.to_vec(),
            8 => inflate(raw, left)?,
            _ => return Err(ZipError::Invalid),
        };
        out.extend_from_slice(&content);
        if !out.is_empty() && !out.ends_with(b"\n") {
            out.push(b'\n');
        }
    }
    Ok(out)
}

fn text(status: actix_web::http::StatusCode, msg: &str) -> HttpResponse {
    HttpResponse::build(status).content_type("text/plain; charset=utf-8").body(format!("{}\n", msg))
}

async fn convert(req: HttpRequest, payload: web::Payload) -> HttpResponse {
    use actix_web::http::StatusCode;
    // Oversized uploads are refused before their body is read.
    if req.headers().get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok()).unwrap_or(0)
        > MAX_UPLOAD + (64 << 10)
    {
        return text(StatusCode::PAYLOAD_TOO_LARGE, "the upload is too large");
    }
    let form = match MultipartForm::<Upload>::from_request(&req, &mut payload.into_inner()).await {
        Ok(MultipartForm(f)) => f,
        Err(_) => return text(StatusCode::BAD_REQUEST, "a multipart/form-data body with a zip file is required"),
    };
    match web::block(move || zip_text(&form.file.data)).await {
        Ok(Ok(out)) => HttpResponse::Ok().content_type("text/plain; charset=utf-8").body(out),
        Ok(Err(ZipError::TooLarge)) => text(StatusCode::PAYLOAD_TOO_LARGE, "the archive expands to too much text"),
        _ => text(StatusCode::BAD_REQUEST, "the file is not a valid zip archive"),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    HttpServer::new(|| {
        App::new()
            .app_data(MultipartFormConfig::default().total_limit(MAX_UPLOAD + (64 << 10)).memory_limit(MAX_UPLOAD + (64 << 10)))
            .route("/convert", web::post().to(convert))
    })
    .bind(("0.0.0.0", 5000))?
    .run()
    .await
}
