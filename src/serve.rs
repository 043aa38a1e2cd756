//! `yakkan site --serve`: a static file server for previewing a site (part of the binary).
//!
//! In: the site folder and a port on 127.0.0.1. Out: until the process ends, each `GET`
//! or `HEAD` request answered with the file its path names inside the folder (a folder's
//! `index.html`), 404 otherwise; one request per connection (`Connection: close`).
//!
//! A slow or stalled client cannot freeze the others: connections are served by
//! [`WORKERS`] threads at once, each socket has a read and a write timeout, and a
//! response that is not sent within [`DEADLINE`] is abandoned. A request head is read
//! up to 8 KiB, within the read timeout in all (one byte at a time cannot hold a worker).
//! URL paths are percent-decoded (a page of a document whose folder name is Japanese),
//! and a path that could leave the folder (`..`, `%2e%2e`, a decoded `/`
//! or `\`) is refused.
//!
//! Written on `std::net` rather than with `tiny_http` (0.12), which answers requests
//! one at a time and offers no way to set a write timeout: two clients that asked for a
//! large page and never read it froze every other client.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// Connections served at once.
pub const WORKERS: usize = 16;
/// How long a client may take to send its request, or to take each piece of a response.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How long one response may take in all.
const DEADLINE: Duration = Duration::from_secs(60);

/// Serves `root` on 127.0.0.1:`port` (0: any free port) until the process ends.
pub fn serve(root: &Path, port: u16) -> Result<(), String> {
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    println!(
        "Serving {} at http://{addr}/ (Ctrl-C stops)",
        yakkan::text::printable(&root.display().to_string())
    );
    let _ = io::stdout().flush();
    // A bounded queue: when every worker is busy, accepting waits (the kernel's
    // backlog holds new connections) instead of piling up threads.
    let (tx, rx) = mpsc::sync_channel::<TcpStream>(WORKERS);
    let rx = Arc::new(Mutex::new(rx));
    let root = Arc::new(root.to_path_buf());
    for _ in 0..WORKERS {
        let (rx, root) = (Arc::clone(&rx), Arc::clone(&root));
        std::thread::spawn(move || loop {
            let next = rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
            let Ok(stream) = next else { return };
            // A client that went away or stalled is not the server's problem.
            let _ = answer(stream, &root);
        });
    }
    for stream in listener.incoming().flatten() {
        if tx.send(stream).is_err() {
            break;
        }
    }
    Ok(())
}

/// Reads one request from `stream` and answers it.
fn answer(mut stream: TcpStream, root: &Path) -> io::Result<()> {
    stream.set_write_timeout(Some(TIMEOUT))?;
    let start = Instant::now();
    let head = read_head(&mut stream, start)?;
    let line = String::from_utf8_lossy(head.split(|&b| b == b'\n').next().unwrap_or(b""));
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let mut out = stream;
    if method != "GET" && method != "HEAD" {
        return respond(&mut out, "405 Method Not Allowed", "text/plain", b"");
    }
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let Some(file) = local_path(root, path) else {
        return respond(&mut out, "404 Not Found", "text/plain", b"not found\n");
    };
    let mut f = std::fs::File::open(&file)?;
    let len = f.metadata()?.len();
    write!(
        out,
        "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {len}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        content_type(&file)
    )?;
    if method == "HEAD" {
        return out.flush();
    }
    let mut buf = vec![0; 64 * 1024];
    loop {
        if start.elapsed() > DEADLINE {
            return Err(io::Error::new(io::ErrorKind::TimedOut, "response too slow"));
        }
        let n = f.read(&mut buf)?;
        if n == 0 {
            return out.flush();
        }
        out.write_all(&buf[..n])?;
    }
}

/// The request head, up to its blank line: at most 8 KiB, read within [`TIMEOUT`] in all
/// (a client that sends one byte at a time cannot hold a worker longer).
fn read_head(stream: &mut TcpStream, start: Instant) -> io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && !head.windows(2).any(|w| w == b"\n\n") {
        let left = TIMEOUT
            .checked_sub(start.elapsed())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| io::Error::new(io::ErrorKind::TimedOut, "request head too slow"))?;
        stream.set_read_timeout(Some(left))?;
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
        if head.len() > 8192 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "request head too large",
            ));
        }
    }
    Ok(head)
}

fn respond(out: &mut TcpStream, status: &str, kind: &str, body: &[u8]) -> io::Result<()> {
    write!(
        out,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    out.write_all(body)?;
    out.flush()
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

/// `%XX` escapes decoded; `None` when they are malformed or not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The file a URL path names inside `root`; `None` for anything that could leave it.
fn local_path(root: &Path, url: &str) -> Option<PathBuf> {
    let mut path = root.to_path_buf();
    for seg in url.split('/').filter(|s| !s.is_empty()) {
        let seg = percent_decode(seg)?;
        if seg == ".." || seg == "." || seg.contains(['/', '\\', '\0']) {
            return None;
        }
        path.push(seg);
    }
    if path.is_dir() {
        path.push("index.html");
    }
    path.is_file().then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_root() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "x").unwrap();
        std::fs::create_dir(dir.path().join("規程")).unwrap();
        std::fs::write(dir.path().join("規程/index.html"), "x").unwrap();
        assert_eq!(
            local_path(dir.path(), "/"),
            Some(dir.path().join("index.html"))
        );
        assert_eq!(
            local_path(dir.path(), "/%E8%A6%8F%E7%A8%8B/"),
            Some(dir.path().join("規程/index.html"))
        );
        assert_eq!(local_path(dir.path(), "/../etc/passwd"), None);
        assert_eq!(local_path(dir.path(), "/%2e%2e/x"), None);
        assert_eq!(local_path(dir.path(), "/a%2f..%2f..%2fx"), None);
        assert_eq!(local_path(dir.path(), "/%zz"), None);
        assert_eq!(local_path(dir.path(), "/missing.html"), None);
    }
}
