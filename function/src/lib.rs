//! Rekey's backend. Data flows one way: `api` (HTTP) -> `domain` (policy)
//! -> `ports` (traits) -> `adapters` (SQLite, outbox, ...).

pub mod adapters;
pub mod api;
pub mod commands;
pub mod config;
pub mod domain;
pub mod metrics;
pub mod ports;
pub mod seed;
pub mod startup;
pub mod telemetry;
