//! The crate's one error type.

use std::fmt;

/// An error from building a [`Highlighter`](crate::Highlighter) or loading a model.
///
/// Highlighting itself never fails: errors come only from configuration and model bytes, which
/// are validated once, when they are loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

/// What went wrong, for callers that branch on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Model bytes that are not a nerlight model, are truncated, corrupt or of another version.
    Model,
    /// An option or user-supplied entry that is not valid.
    Config,
}

impl Error {
    /// A model error with a specific, lowercase message.
    pub fn model(message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Model,
            message: message.into(),
        }
    }

    /// A configuration error with a specific, lowercase message.
    pub fn config(message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Config,
            message: message.into(),
        }
    }

    /// What kind of error this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}
