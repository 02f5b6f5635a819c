//! Training and evaluation for [nerlight](nerlight) models (native only): reading CoNLL-format
//! corpora ([`eval`]), writing their tokens as spaced or natural text ([`render`]), exact-span
//! scoring ([`eval::Scores`]), and the averaged-perceptron
//! trainer ([`train`]) that writes the model files the engine embeds or loads.
//!
//! Training and inference share one document-tagging loop
//! ([`nerlight::tagger::Tagger::tag_document`]), so a model is trained on exactly the features
//! it is run with.

#![warn(missing_docs)]

mod error;
pub mod eval;
pub mod nn;
pub mod render;
pub mod train;

pub use error::{Error, ErrorKind};
