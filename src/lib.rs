//! jixiao checks Chinese government budget performance self-evaluation
//! reports (绩效自评报告) against review rules written as editable Rhai
//! scripts, and reports every finding at the exact value in the file.

// Errors here are rare, rich diagnostics, returned once per file or rule;
// boxing them would buy nothing measurable.
#![allow(clippy::result_large_err)]

pub mod baseline;
pub mod cache;
pub mod cli;
pub mod clock;
pub mod config;
pub mod diagnostic;
pub mod engine;
pub mod generate;
pub mod import;
pub mod ledger;
pub mod memory;
pub mod render;
pub mod report;
pub mod review;
pub mod serve;
pub mod waivers;
