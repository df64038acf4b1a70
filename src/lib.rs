//! werkplan: the finance appendix ("Financiën") of the werkplan of the Sociale Agenda of the
//! province of Drenthe, from the finance department's spreadsheets.
//!
//! Data flows one way: [`ingest`] (spreadsheets to raw rows with their places, then the
//! validated [`model`]) -> [`compute`] (totals, remainders, findings) -> [`render`] (JSON,
//! XLSX, PDF). Only [`app`] writes files.

#![deny(missing_docs)]
// a function fits a screen: the threshold is in clippy.toml; tests and their fixtures are data
#![cfg_attr(not(test), warn(clippy::too_many_lines))]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod app;
pub mod cli;
pub mod compute;
pub mod ingest;
pub mod model;
pub mod render;
