//! rust-cors: a drop-in replacement for the `cors` middleware, with the
//! policy compiled once in Rust. The crate is usable from Rust, tests and
//! fuzz targets without N-API; `napi` (its policy and browser surfaces) is
//! the only module that knows about JS.

pub mod export;
pub mod fetch;
pub mod finding;
pub mod headers;
pub mod js_regex;
pub mod napi;
pub mod origin;
pub mod pattern;
pub mod policy;
