//! The API's one error type: a status and a one-line message, sent as `{"error": "..."}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// A request that could not be served: 4xx for what the client can fix, 5xx otherwise.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    pub status: u16,
    pub message: String,
}

impl ApiError {
    /// An error of any status (the named constructors below are the API's own).
    pub fn with(status: StatusCode, message: impl std::fmt::Display) -> ApiError {
        ApiError {
            status: status.as_u16(),
            // One line, as the command line prints its errors.
            message: message.to_string().replace('\n', " "),
        }
    }
    /// 400: the request is wrong (a field's value, a shape, a limit).
    pub fn bad(message: impl std::fmt::Display) -> ApiError {
        ApiError::with(StatusCode::BAD_REQUEST, message)
    }
    /// 404: no such session (or it expired), no such stored run.
    pub fn not_found(message: impl std::fmt::Display) -> ApiError {
        ApiError::with(StatusCode::NOT_FOUND, message)
    }
    /// 409: the session's state does not allow it (training ended, nothing to undo).
    pub fn conflict(message: impl std::fmt::Display) -> ApiError {
        ApiError::with(StatusCode::CONFLICT, message)
    }
    /// 503: the server is at its session limit.
    pub fn busy(message: impl std::fmt::Display) -> ApiError {
        ApiError::with(StatusCode::SERVICE_UNAVAILABLE, message)
    }
    /// 503: a service the request needs is not there (the run store is disabled or could
    /// not be opened, or another process holds its lock).
    pub fn unavailable(message: impl std::fmt::Display) -> ApiError {
        ApiError::with(StatusCode::SERVICE_UNAVAILABLE, message)
    }
    /// 408: the request did not arrive in time (its head, or its body).
    pub fn timeout(message: impl std::fmt::Display) -> ApiError {
        ApiError::with(StatusCode::REQUEST_TIMEOUT, message)
    }
    /// 413: the body is longer than the route reads.
    pub fn too_large(message: impl std::fmt::Display) -> ApiError {
        ApiError::with(StatusCode::PAYLOAD_TOO_LARGE, message)
    }
    /// 500: our failure.
    pub fn internal(message: impl std::fmt::Display) -> ApiError {
        ApiError::with(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// The status as a [`StatusCode`] (a status outside 100..=999 cannot be built; 400).
    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_REQUEST)
    }

    /// The body every error answer carries: `{"error": "..."}`. The server writes it itself
    /// where no handler runs (a refused connection, a head that timed out or did not parse).
    pub fn body(&self) -> serde_json::Value {
        serde_json::json!({ "error": self.message })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status_code(), Json(self.body())).into_response()
    }
}
