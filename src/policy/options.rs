//! Compiling each option but the origin: its value as cors sends it, and
//! its findings.

use super::input::js_number;
use super::*;

/// Browsers cap preflight caching at 2 hours (Chromium) or 24 hours
/// (Firefox); more than a day is never honoured.
const MAX_AGE_LIMIT: f64 = 86_400.0;

/// A rust-cors option that is off or on: any other type is an error, since
/// no cors configuration uses it.
pub(super) fn own_bool(name: &str, given: &Given) -> Result<bool, ConfigError> {
    match given {
        Given::Undefined | Given::Null => Ok(false),
        Given::Boolean(value) => Ok(*value),
        other => Err(ConfigError {
            code: INVALID_OPTION,
            message: format!(
                "rust-cors: option `{name}` must be a boolean; got {}. Use {name}: true to turn it on.",
                other.describe()
            ),
        }),
    }
}

pub(super) fn cache_control(given: &Given) -> Result<Option<String>, ConfigError> {
    let valid = match given {
        Given::Undefined | Given::Null | Given::Boolean(false) => return Ok(None),
        Given::Number(value) if value.fract() == 0.0 && *value >= 0.0 && *value < 1e15 => {
            return Ok(Some(format!("max-age={}", js_number(*value))));
        }
        Given::String(value) => {
            !value.is_empty()
                && value
                    .bytes()
                    .all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
        }
        _ => false,
    };
    match given {
        Given::String(value) if valid => Ok(Some(value.clone())),
        other => Err(ConfigError {
            code: INVALID_OPTION,
            message: format!(
                "rust-cors: option `cacheControl` must be a whole number of seconds or a Cache-Control string; got {}. e.g. cacheControl: 600 or 'public, max-age=600'",
                other.describe()
            ),
        }),
    }
}

/// cors sends `Access-Control-Allow-Credentials: true` for the boolean
/// `true` only.
pub(super) fn credentials(given: &Given, findings: &mut Vec<Finding>) -> bool {
    match given {
        Given::Boolean(value) => *value,
        Given::Undefined | Given::Null => false,
        other => {
            let looks_true = matches!(other, Given::String(value) if value.eq_ignore_ascii_case("true"))
                || matches!(other, Given::Number(value) if *value == 1.0);
            findings.push(Finding::warning(
                INVALID_OPTION,
                format!(
                    "rust-cors: option `credentials` is {}; cors sends Access-Control-Allow-Credentials only for the boolean true, so credentialed requests are refused by browsers.",
                    other.describe()
                ),
                if looks_true {
                    "Use credentials: true (when it comes from the environment: credentials: process.env.CORS_CREDENTIALS === 'true')."
                } else {
                    "Use credentials: true or false."
                },
            ));
            false
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum HeaderKind {
    Methods,
    Names,
}

/// A list-valued header option: the value cors sends, with a warning for a
/// type cors does not mean to take.
pub(super) fn header_option(
    name: &str,
    input: &HeaderInput,
    kind: HeaderKind,
    findings: &mut Vec<Finding>,
) -> Option<String> {
    let rendered = input.render();
    let falsy_primitive = matches!(input.given, Given::Boolean(false))
        || matches!(input.given, Given::Number(value) if value == 0.0);
    let well_typed = matches!(
        input.given,
        Given::String(_) | Given::StringObject(_) | Given::Array
    ) || input.given.is_nullish()
        // `allowedHeaders: false` reflects and `exposedHeaders: false` sends
        // nothing, in cors as the reader expects.
        || (kind == HeaderKind::Names && falsy_primitive);
    if !well_typed && !input.throws {
        let sends = match &rendered {
            Some(v) => format!("sends `{}`", shorten(v, 60)),
            None => "sends no header".to_string(),
        };
        let example = if kind == HeaderKind::Methods {
            "e.g. methods: ['GET', 'POST']"
        } else {
            "e.g. ['Content-Type', 'Authorization']"
        };
        findings.push(Finding::warning(
            INVALID_OPTION,
            format!(
                "rust-cors: option `{name}` is {}; it must be a string or an array of strings, and cors {sends} for it.",
                input.given.describe()
            ),
            format!("Use a list of names, {example}."),
        ));
    }
    rendered
}

pub(super) fn max_age(input: &HeaderInput, findings: &mut Vec<Finding>) -> Option<String> {
    let rendered = input.render();
    match &input.given {
        Given::Undefined | Given::Null => {}
        Given::Number(value) => {
            let n = *value;
            if !(n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= MAX_AGE_LIMIT) {
                findings.push(max_age_finding(rendered.as_deref().unwrap_or("")));
            }
        }
        Given::String(value) | Given::StringObject(value) if !value.is_empty() => {
            findings.push(Finding::warning(
                INVALID_OPTION,
                format!(
                    "rust-cors: option `maxAge` is {}; it must be a number of seconds (cors sends the text as is).",
                    input.given.describe()
                ),
                format!(
                    "Use the number, e.g. maxAge: {}.",
                    value.trim().parse::<u64>().map_or("600".to_string(), |n| n.to_string())
                ),
            ));
            let digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
            let in_range = value
                .parse::<u64>()
                .is_ok_and(|n| n as f64 <= MAX_AGE_LIMIT);
            let fine = value.is_empty() || (digits && in_range);
            if !fine {
                findings.push(max_age_finding(value));
            }
        }
        Given::Boolean(false) => {}
        other => findings.push(Finding::warning(
            INVALID_OPTION,
            format!(
                "rust-cors: option `maxAge` is {}; it must be a number of seconds, and cors {}.",
                other.describe(),
                match &rendered {
                    Some(v) => format!("sends `Access-Control-Max-Age: {}`", shorten(v, 40)),
                    None => "sends no header".to_string(),
                }
            ),
            "Use e.g. maxAge: 600.",
        )),
    }
    rendered
}

fn max_age_finding(text: &str) -> Finding {
    Finding::warning(
        MAX_AGE,
        format!(
            "rust-cors: option `maxAge` is {}, but Access-Control-Max-Age must be a whole number of seconds from 0 to 86400 (browsers cap it anyway: Chromium at 7200).",
            shorten(text, 40)
        ),
        "Use e.g. maxAge: 600.",
    )
}

/// How a preflight ends, exactly as cors ends it.
/// Options on which cors fails every preflight: refused when they are given
/// once, and, from a delegate (per request, as cors reads them), answered
/// with `end`, which fails each preflight the same way.
fn fails_every_preflight(
    input: &PolicyInput,
    message: String,
    end: PreflightEnd,
) -> Result<PreflightEnd, ConfigError> {
    if input.per_request {
        Ok(end)
    } else {
        Err(ConfigError {
            code: INVALID_OPTION,
            message,
        })
    }
}

pub(super) fn preflight_end(
    input: &PolicyInput,
    findings: &mut Vec<Finding>,
) -> Result<PreflightEnd, ConfigError> {
    let continues = match &input.preflight_continue {
        Given::Boolean(value) => *value,
        Given::Undefined | Given::Null => false,
        other => {
            let truthy = truthy(other);
            findings.push(Finding::warning(
                INVALID_OPTION,
                format!(
                    "rust-cors: option `preflightContinue` is {}; cors treats it as {truthy}, so preflights are {}.",
                    other.describe(),
                    if truthy { "passed on to the next handler" } else { "answered here" }
                ),
                "Use preflightContinue: true or false.",
            ));
            truthy
        }
    };
    if input.exposed_headers.throws {
        return Err(ConfigError {
            code: INVALID_OPTION,
            message: format!(
                "rust-cors: option `exposedHeaders` is {}, whose `join` is not a function; cors throws a TypeError on every request with it. Give a list, e.g. exposedHeaders: ['X-Request-Id'].",
                input.exposed_headers.given.describe()
            ),
        });
    }
    let allowed_name = if input.allowed_headers_alias {
        "headers"
    } else {
        "allowedHeaders"
    };
    let throwing = [
        ("methods", Some(&input.methods)),
        (allowed_name, input.allowed_headers.as_ref()),
        ("maxAge", Some(&input.max_age)),
    ]
    .into_iter()
    .find_map(|(name, option)| option.filter(|o| o.throws).map(|o| (name, o)));
    if let Some((name, option)) = throwing {
        let message = format!(
            "rust-cors: option `{name}` is {}; cors throws a TypeError on every preflight with it. Leave it out for the default, or give a plain value, e.g. methods: ['GET', 'POST'], maxAge: 600.",
            option.given.describe()
        );
        let end = PreflightEnd::Throws {
            message: message.clone(),
        };
        return fails_every_preflight(input, message, end);
    }
    if continues {
        return Ok(PreflightEnd::Continue);
    }
    let status = &input.options_success_status;
    if !(100..=999).contains(&status.status) {
        // Node throws in res.end() on every preflight.
        let message = format!(
            "rust-cors: option `optionsSuccessStatus` must be an HTTP status code (an integer from 100 to 999); got {}. Leave it out for 204, or use 200 for legacy browsers.",
            status.given.describe()
        );
        // Reproduced per preflight: Node refuses the status in res.end().
        let end = PreflightEnd::Respond {
            status: status.status,
        };
        return fails_every_preflight(input, message, end);
    }
    if !matches!(&status.given, Given::Number(value) if value.fract() == 0.0) {
        findings.push(Finding::warning(
            INVALID_OPTION,
            format!(
                "rust-cors: option `optionsSuccessStatus` is {}; Node writes it as the status {}.",
                status.given.describe(),
                status.status
            ),
            format!("Use the number, optionsSuccessStatus: {}.", status.status),
        ));
    }
    Ok(PreflightEnd::Respond {
        status: status.status,
    })
}

fn truthy(given: &Given) -> bool {
    match given {
        Given::Undefined | Given::Null => false,
        Given::Boolean(value) => *value,
        Given::Number(value) => *value != 0.0 && !value.is_nan(),
        Given::String(value) => !value.is_empty(),
        Given::BigInt(value) => value != "0",
        _ => true,
    }
}
