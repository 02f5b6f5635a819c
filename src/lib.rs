//! nerlight: named-entity highlighting that runs entirely in the browser.
pub mod label;
pub mod offsets;
pub mod tokenize;
pub use label::Label;
