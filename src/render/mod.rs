//! Renderers: each output format in its own file, each taking the check's
//! outcome and a writer and nothing else.

pub mod human;
pub mod json;
