//! The policy as configuration for other servers (nginx), deciding exactly
//! as the middleware does.

mod linear;
pub mod nginx;
mod pcre;

use crate::pattern::parse_pattern;
use crate::policy::{ItemInput, OriginInput, OriginRule, Policy, PolicyInput, PreflightEnd};
use nginx::{ExportInput, NotExportable};

fn refuse<T>(option: &'static str, reason: &str) -> Result<T, NotExportable> {
    Err(NotExportable {
        option,
        reason: reason.to_string(),
    })
}

/// What an exporter renders, from the compiled policy (and, for the list's
/// strings, the input it was compiled from). Options that only the
/// middleware can apply are refused with the option's name and why.
pub fn export_input(input: &PolicyInput, policy: &Policy) -> Result<ExportInput, NotExportable> {
    let origin = match (&policy.origin, &input.origin) {
        (OriginRule::Disabled, _) => nginx::OriginRule::Disabled,
        (OriginRule::Any, _) => nginx::OriginRule::Any,
        (OriginRule::Reflect, _) => nginx::OriginRule::Reflect,
        (OriginRule::Fixed, OriginInput::Fixed { value, .. }) => nginx::OriginRule::Fixed(value.clone()),
        (OriginRule::Dynamic, _) => {
            return refuse("origin", "a function decides per request in JavaScript; nginx can only express fixed rules")
        }
        (OriginRule::List { .. }, OriginInput::List { ordered: true, .. }) => {
            return refuse("origin", "a RegExp with the g or y flag (or a RegExp subclass) changes its answer between requests; nginx cannot")
        }
        (OriginRule::List { pattern_strings, match_all, .. }, origin) => {
            let items: Vec<ItemInput> = match origin {
                OriginInput::List { items, .. } => items.clone(),
                OriginInput::Fixed { value, .. } => vec![ItemInput::String(value.clone())],
                _ => Vec::new(),
            };
            let mut exact = Vec::new();
            let mut patterns = Vec::new();
            let mut regexes = Vec::new();
            let mut string_index = 0u32;
            for item in items {
                match item {
                    ItemInput::String(value) => {
                        if pattern_strings.contains(&string_index) {
                            match parse_pattern(&value) {
                                Ok(p) => patterns.push(p),
                                Err(why) => return Err(NotExportable { option: "origin", reason: why }),
                            }
                        } else {
                            exact.push(value);
                        }
                        string_index += 1;
                    }
                    ItemInput::Regex { source, flags } => regexes.push((source, flags)),
                }
            }
            nginx::OriginRule::List { exact, patterns, regexes, match_all: *match_all }
        }
        (OriginRule::Fixed, _) => return refuse("origin", "the fixed origin is not a string"),
    };
    if policy.strict_preflight {
        return refuse(
            "strictPreflight",
            "nginx's return 400 sends an error page of its own, not the middleware's empty answer",
        );
    }
    let status = match &policy.preflight {
        PreflightEnd::Continue => {
            return refuse("preflightContinue", "it hands preflights on to the application, but nginx answers them itself; drop it, or keep CORS for preflights in the application only")
        }
        PreflightEnd::Throws { .. } => return refuse("methods", "cors throws on every preflight with these options"),
        PreflightEnd::Respond { status } => u16::try_from(*status).unwrap_or(u16::MAX),
    };
    Ok(ExportInput {
        origin,
        credentials: policy.credentials,
        methods: policy.methods.clone(),
        allowed_headers: policy.allow_headers.clone(),
        exposed_headers: policy.expose_headers.clone(),
        max_age: policy.max_age.clone(),
        status,
        private_network: policy.allow_private_network,
        cache_control: policy.cache_control.clone(),
    })
}
