//! The policy as configuration for other servers (nginx), deciding exactly
//! as the middleware does.

pub mod nginx;
mod pcre;
