//! The two N-API surfaces, the only modules that know about JS: `policy`
//! compiles the options JS resolved into one policy (and exports it to
//! nginx), `browser` runs the browser model (`fetch`) for `explain()`,
//! NODE_DEBUG and `rust-cors check`. Conversion and argument checks only; no
//! CORS logic lives here.

pub mod browser;
pub mod origin_strings;
pub mod policy;
pub mod raw;
