//! The trainer's error type.

use std::fmt;

/// What went wrong while reading a corpus, a word list or a model, or while training.
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// The kind of an [`Error`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A file could not be read or written.
    Io,
    /// A corpus file is not in the expected format.
    Corpus,
    /// Settings that cannot be trained with (no entities, too many types, no data directory).
    Config,
    /// A model could not be built or loaded.
    Model,
}

impl Error {
    /// A file at `path` could not be read or written.
    pub fn io(path: impl fmt::Display, e: std::io::Error) -> Error {
        Error {
            kind: ErrorKind::Io,
            message: format!("cannot access {path}: {e}"),
            source: Some(Box::new(e)),
        }
    }

    /// A corpus is malformed.
    pub fn corpus(message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Corpus,
            message: message.into(),
            source: None,
        }
    }

    /// Settings that cannot be trained with.
    pub fn config(message: impl Into<String>) -> Error {
        Error {
            kind: ErrorKind::Config,
            message: message.into(),
            source: None,
        }
    }

    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The same error with `context` (a file name) in front of its message.
    pub fn context(mut self, context: impl fmt::Display) -> Error {
        self.message = format!("{context}: {}", self.message);
        self
    }
}

impl From<nerlight::Error> for Error {
    fn from(e: nerlight::Error) -> Error {
        Error {
            kind: ErrorKind::Model,
            message: e.to_string(),
            source: Some(Box::new(e)),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
