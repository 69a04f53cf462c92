//! Around every route: an error answer always carries the API's JSON body (axum answers a
//! wrong method with an empty 405, a layer may answer in plain text), and a request's body
//! must arrive within the body timeout.

use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{ALLOW, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER, TRANSFER_ENCODING};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;

use crate::ApiError;

/// Characters of a request's path an error message repeats: a 60 KiB path is not echoed.
const PATH_IN_MESSAGE: usize = 100;

/// What [`json_errors`] names a request by: its method and (the start of) its path.
pub(crate) fn request_name(req: &Request) -> String {
    let path: String = req.uri().path().chars().take(PATH_IN_MESSAGE).collect();
    format!("{} {path}", req.method())
}

/// The whole app's answer as the server sends it: an error answer without a JSON body gets
/// one, its text (or the status's reason) as the message; `allow` and `retry-after` are
/// kept. Applied around the router rather than as its layer, since the router adds `allow`
/// to a 405 outside its layers.
pub(crate) async fn json_errors(request: String, answer: Response) -> Response {
    let status = answer.status();
    let is_json = answer
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return answer;
    }
    let (mut parts, body) = answer.into_parts();
    let text = axum::body::to_bytes(body, 1024)
        .await
        .ok()
        .and_then(|b| String::from_utf8(b.to_vec()).ok())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let message = match (status, text) {
        (StatusCode::METHOD_NOT_ALLOWED, _) => {
            let allowed = parts
                .headers
                .get(ALLOW)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("another method");
            format!("{request}: this route answers {allowed}")
        }
        (_, Some(text)) => text,
        (_, None) => status.canonical_reason().unwrap_or("error").to_lowercase(),
    };
    let mut json = ApiError::with(status, message).into_response();
    for name in [ALLOW, RETRY_AFTER] {
        if let Some(value) = parts.headers.remove(&name) {
            json.headers_mut().insert(name, value);
        }
    }
    json
}

/// A request body that did not arrive whole within the body timeout (`--body-timeout`).
#[derive(Debug, thiserror::Error)]
#[error("the request's body did not arrive within {secs} s (--body-timeout)")]
pub(crate) struct BodyTimedOut {
    secs: u64,
}

/// `req` whose body fails with [`BodyTimedOut`] once `limit` has passed since its head: a
/// client that sends a head and then a body slowly, or never, holds its connection no
/// longer than that.
pub(crate) fn with_body_deadline(req: Request, limit: Duration) -> Request {
    let headers = req.headers();
    if !headers.contains_key(CONTENT_LENGTH) && !headers.contains_key(TRANSFER_ENCODING) {
        return req;
    }
    let (parts, body) = req.into_parts();
    let deadline = tokio::time::Instant::now() + limit;
    let secs = limit.as_secs();
    let chunks = futures_util::stream::unfold(Some(body.into_data_stream()), move |stream| {
        async move {
            let mut stream = stream?;
            match tokio::time::timeout_at(deadline, stream.next()).await {
                Ok(Some(chunk)) => Some((chunk, Some(stream))),
                Ok(None) => None,
                // The error ends the body: nothing is read after it.
                Err(_) => Some((Err(axum::Error::new(BodyTimedOut { secs })), None)),
            }
        }
    });
    Request::from_parts(parts, Body::from_stream(chunks))
}

/// The [`ApiError`] of a body that could not be read: 408 when it timed out (the reason is
/// somewhere in the error's chain of sources), else the rejection's own status and text.
pub(crate) fn body_error(rejection: axum::extract::rejection::BytesRejection) -> ApiError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&rejection);
    while let Some(e) = source {
        if let Some(timed_out) = e.downcast_ref::<BodyTimedOut>() {
            return ApiError::timeout(timed_out);
        }
        source = e.source();
    }
    let status = rejection.status();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::too_large(format!(
            "request body: longer than the server reads ({} bytes; {} for an import)",
            crate::limits::MAX_BODY_BYTES,
            crate::limits::MAX_IMPORT_BYTES
        ));
    }
    ApiError::with(status, rejection.body_text())
}
