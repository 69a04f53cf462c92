//! What the server writes below the router, where no handler runs: a refused connection, a
//! head that timed out, and hyper's own answers to a head it cannot parse. Each carries the
//! API's JSON error body ([`ApiError::body`]), so a client reads every error the same way.

use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use axum::http::StatusCode;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::ApiError;

/// A whole HTTP/1.1 answer with `error`'s JSON body that closes the connection; `extra` is
/// more header lines, each ending in `\r\n`.
pub(crate) fn raw_reply(error: &ApiError, extra: &str) -> Vec<u8> {
    let status = error.status_code();
    let body = error.body().to_string();
    format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n{extra}\r\n{body}",
        status.as_str(),
        status.canonical_reason().unwrap_or(""),
        body.len()
    )
    .into_bytes()
}

/// The JSON answer that replaces one of hyper's own: hyper answers a head it cannot parse
/// with a status and `content-length: 0` and nothing else (a head alone, no body, no
/// content type), which no route of ours sends (`guard::json_errors` gives each a body).
fn replace_hyper_reply(buf: &[u8]) -> Option<Vec<u8>> {
    let head = buf.strip_suffix(b"\r\n\r\n")?;
    let head = std::str::from_utf8(head).ok()?;
    let mut lines = head.split("\r\n");
    let code = lines.next()?.strip_prefix("HTTP/1.1 ")?.get(..3)?;
    let message = match code.parse::<u16>().ok()? {
        400 => "the request's head is not HTTP/1.1 (its method, URI, a header or the version)",
        414 => "the request's URI is longer than the server reads (64 KiB)",
        431 => {
            "the request's headers are more or longer than the server reads (100 headers, about 400 KiB)"
        }
        _ => return None,
    };
    let only_hyper_headers = lines.all(|l| {
        let l = l.to_ascii_lowercase();
        l == "content-length: 0" || l == "connection: close" || l.starts_with("date: ")
    });
    if !only_hyper_headers {
        return None;
    }
    let status = StatusCode::from_bytes(code.as_bytes()).ok()?;
    Some(raw_reply(&ApiError::with(status, message), ""))
}

/// A connection's stream as hyper sees it: reads pass through; a write of one of hyper's
/// bodiless error answers is replaced by [`replace_hyper_reply`]'s. It reports no vectored
/// writes, so hyper hands over each answer's head as one buffer.
pub(crate) struct Wire<T> {
    inner: T,
    /// A replacement answer not yet written whole, and how much of it is.
    pending: Vec<u8>,
    sent: usize,
}

impl<T> Wire<T> {
    pub(crate) fn new(inner: T) -> Wire<T> {
        Wire {
            inner,
            pending: Vec::new(),
            sent: 0,
        }
    }

    pub(crate) fn into_inner(self) -> T {
        self.inner
    }
}

impl<T: AsyncWrite + Unpin> Wire<T> {
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.sent < self.pending.len() {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.sent..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.sent += n;
        }
        self.pending.clear();
        self.sent = 0;
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Wire<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Wire<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        if let Some(reply) = replace_hyper_reply(buf) {
            this.pending = reply;
            // hyper's head counts as written; the replacement goes out now or on the flush
            // hyper makes next (a pending write has registered the waker).
            if let Poll::Ready(Err(e)) = this.drain(cx) {
                return Poll::Ready(Err(e));
            }
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> String {
        String::from_utf8(bytes.to_vec()).expect("utf-8")
    }

    #[test]
    fn hyper_bodiless_answers_get_the_json_body() {
        // The bytes hyper 1.x writes for a URI over its 65,534-byte limit.
        let hyper = b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\ndate: Thu, 03 Dec 2026 18:00:00 GMT\r\n\r\n";
        let body = r#"{"error":"the request's URI is longer than the server reads (64 KiB)"}"#;
        assert_eq!(
            text(&replace_hyper_reply(hyper).expect("replaced")),
            format!(
                "HTTP/1.1 414 URI Too Long\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            )
        );
    }

    #[test]
    fn answers_of_the_routes_pass_unchanged() {
        for route in [
            // A JSON error of ours: it has a content type and a body.
            &b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 12\r\n\r\n{\"error\":\"\"}"[..],
            // A success without a body.
            b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n",
            // A status hyper never answers by itself.
            b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n",
            // A head with another header.
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nallow: GET\r\n\r\n",
        ] {
            assert_eq!(replace_hyper_reply(route), None, "{}", text(route));
        }
    }
}
