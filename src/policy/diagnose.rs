//! Diagnostics of policies that work but are risky.

use super::origin_rule::CompiledOrigin;
use super::*;
use crate::fetch::check_serialized_origin;
use crate::headers::is_token;
use crate::pattern::is_pattern;

fn is_local_host(origin: &str) -> bool {
    let Some(rest) = origin.strip_prefix("http://") else {
        return false;
    };
    if let Some(v6) = rest.strip_prefix('[') {
        return v6.starts_with("::1]");
    }
    let host = rest.split(':').next().unwrap_or(rest);
    host == "localhost" || host.ends_with(".localhost") || host == "127.0.0.1"
}

/// The findings of the origin option: of its entries, and of the origin
/// rule together with credentials. A policy's findings start with them
/// (`Policy::origin_findings` counts them), so that options differing only
/// in their origin strings can take the rest from a compiled policy
/// ([`super::compile_origin_strings`]).
pub(super) fn diagnose_origin(
    not_regexps: u32,
    credentials: bool,
    origin: &CompiledOrigin,
    out: &mut Vec<Finding>,
) {
    let match_all = matches!(
        origin.rule,
        OriginRule::List {
            match_all: true,
            ..
        }
    );
    match &origin.rule {
        OriginRule::Any if credentials => out.push(Finding::warning(
            WILDCARD_CREDENTIALS,
            "rust-cors: `credentials: true` with `origin: '*'` (the default): browsers reject `Access-Control-Allow-Origin: *` on credentialed requests, so every such request fails.".into(),
            "Set `origin` to the list of sites allowed to send credentials, e.g. origin: ['https://app.example.com'].",
        )),
        OriginRule::Reflect if credentials => out.push(Finding::warning(
            REFLECT_CREDENTIALS,
            "rust-cors: `origin: true` with `credentials: true` reflects any Origin, so every website can read your users' credentialed responses.".into(),
            "List the allowed origins instead, e.g. origin: ['https://app.example.com'] or a pattern 'https://*.example.com'.",
        )),
        _ if match_all && credentials => out.push(Finding::warning(
            REFLECT_CREDENTIALS,
            "rust-cors: option `origin` contains a non-string truthy entry (such as `true`), which allows every Origin, together with `credentials: true`: every website can read credentialed responses.".into(),
            "Remove that entry and list the allowed origins.",
        )),
        _ => {}
    }
    near_misses(origin, out);
    if not_regexps > 0 {
        out.push(Finding::warning(
            INVALID_OPTION,
            format!(
                "rust-cors: option `origin` contains {} (e.g. Object.create(RegExp.prototype)); cors's test() throws a TypeError on each, so every request whose Origin no earlier entry allows fails, and rust-cors does the same.",
                if not_regexps == 1 {
                    "an object that only inherits from RegExp.prototype and is not a RegExp".to_string()
                } else {
                    format!("{not_regexps} objects that only inherit from RegExp.prototype and are not RegExps")
                }
            ),
            "Use a real RegExp (a literal or new RegExp(...)), or remove it.",
        ));
    }
    let named = origin.exact.iter().chain(&origin.patterns);
    if origin.exact.contains(&"null") {
        out.push(Finding::warning(
            NULL_ORIGIN,
            "rust-cors: option `origin` allows 'null'. Browsers send `Origin: null` from sandboxed iframes, data: URLs, file: pages and some redirects, so any site can produce it.".into(),
            "Remove 'null' and list real origins.",
        ));
    }
    for re in &origin.regexes {
        if let Some(problem) = regex_anchoring_problem(re) {
            out.push(Finding::warning(
                UNANCHORED_REGEX,
                format!(
                    "rust-cors: option `origin` RegExp /{}/ {problem}, so it can match origins you did not mean (e.g. https://evil-example.com for /example\\.com$/).",
                    shorten(re, 80)
                ),
                "Anchor it at both ends and escape every dot, e.g. /^https:\\/\\/(www\\.)?example\\.com$/, or use the pattern 'https://*.example.com'.",
            ));
        }
    }
    if credentials {
        for o in named.filter(|o| o.starts_with("http://") && !is_local_host(o)) {
            out.push(Finding::warning(
                INSECURE_ORIGIN,
                format!(
                    "rust-cors: option `origin` allows the plain-http origin '{}' with `credentials: true`: anyone on the network path can impersonate it and read credentialed responses.",
                    shorten(o, 80)
                ),
                "Use its https:// origin.",
            ));
        }
    }
}

/// The findings of the header list options: names that are not tokens.
pub(super) fn diagnose_headers(input: &PolicyInput, out: &mut Vec<Finding>) {
    let allowed_name = if input.allowed_headers_alias {
        "headers"
    } else {
        "allowedHeaders"
    };
    for (option, list) in [
        ("methods", Some(&input.methods)),
        (allowed_name, input.allowed_headers.as_ref()),
        ("exposedHeaders", Some(&input.exposed_headers)),
    ] {
        let Some(list) = list else { continue };
        for name in list.names() {
            if name.is_empty() || is_token(&name) {
                continue;
            }
            out.push(Finding::warning(
                INVALID_TOKEN,
                format!(
                    "rust-cors: option `{option}` contains {:?}, which is not an HTTP token (letters, digits and !#$%&'*+-.^_`|~ only), so browsers cannot match it and ignore the whole header.",
                    shorten(&name, 80)
                ),
                "Fix or remove that name.",
            ));
        }
    }
}

/// At most this many near-miss entries are reported one by one.
const NEAR_MISSES_LISTED: usize = 10;

/// Origin strings that can never equal a browser's `Origin` (a path or a
/// trailing slash, no scheme, an upper-case host, a default port, spaces,
/// a `*` alone inside an array), each with the form browsers send. cors
/// compares (or sends) them as they are; so does rust-cors.
fn near_misses(origin: &CompiledOrigin, out: &mut Vec<Finding>) {
    let fixed = matches!(origin.rule, OriginRule::Fixed);
    let mut listed = 0;
    let mut more = 0;
    for entry in &origin.exact {
        let finding = if *entry == "*" {
            Finding::warning(
                ORIGIN_NEVER_MATCHES,
                "rust-cors: option `origin` contains '*' inside an array, where cors compares it as the literal string '*': no browser sends that Origin, so it allows nothing.".into(),
                "To allow any origin, give origin: '*' on its own (not in an array); otherwise remove it.",
            )
        } else if is_pattern(entry) {
            continue; // an invalid pattern: reported as such
        } else if let Some(miss) = check_serialized_origin(entry) {
            let consequence = if fixed {
                "cors sends it as Access-Control-Allow-Origin, which browsers refuse because it never equals their Origin"
            } else {
                "it can never equal a browser's Origin, so cors refuses the site it names"
            };
            let fix = match &miss.serialized {
                Some(s) => format!("Write it as '{}'.", shorten(s, 200)),
                None => "Write the origin as browsers send it: scheme://host[:port], lower-case, the host in its xn-- form, no default port, no path.".into(),
            };
            let mut f = Finding::warning(
                ORIGIN_NEVER_MATCHES,
                format!(
                    "rust-cors: option `origin` {} {:?}, which {} (browsers send scheme://host[:port]: lower-case, no default port, no path or trailing slash); {consequence}.",
                    if fixed { "is" } else { "contains" },
                    shorten(entry, 120),
                    miss.describe()
                ),
                fix,
            );
            f.near_miss = Some(NearMiss {
                entry: entry.to_string(),
                serialized: miss.serialized,
            });
            f
        } else {
            continue;
        };
        if listed < NEAR_MISSES_LISTED {
            listed += 1;
            out.push(finding);
        } else {
            more += 1;
        }
    }
    if more > 0 {
        out.push(Finding::warning(
            ORIGIN_NEVER_MATCHES,
            format!("rust-cors: option `origin` contains {more} more entries that can never equal a browser's Origin."),
            "Write each origin as browsers send it: scheme://host[:port], lower-case, no default port, no path.",
        ));
    }
}

/// Why a RegExp source is risky as an origin check, if it is.
pub fn regex_anchoring_problem(source: &str) -> Option<&'static str> {
    let starts = source.starts_with('^');
    let ends = ends_with_unescaped_dollar(source);
    if !starts && !ends {
        return Some("is anchored at neither end");
    }
    if !starts {
        return Some("is not anchored at the start (no ^)");
    }
    if !ends {
        return Some("is not anchored at the end (no $)");
    }
    if has_unescaped_host_dot(source) {
        return Some("has an unescaped '.' in the host, which matches any character");
    }
    None
}

fn ends_with_unescaped_dollar(source: &str) -> bool {
    let b = source.as_bytes();
    if b.last() != Some(&b'$') {
        return false;
    }
    let backslashes = b[..b.len() - 1]
        .iter()
        .rev()
        .take_while(|&&c| c == b'\\')
        .count();
    backslashes % 2 == 0
}

/// An unescaped `.` outside a class, directly followed by a letter or digit,
/// reads like a host name dot (`example.com`) but matches any character.
fn has_unescaped_host_dot(source: &str) -> bool {
    let b = source.as_bytes();
    let mut i = 0;
    let mut in_class = false;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'[' if !in_class => in_class = true,
            b']' if in_class => in_class = false,
            b'.' if !in_class && b.get(i + 1).is_some_and(|c| c.is_ascii_alphanumeric()) => {
                return true;
            }
            _ => {}
        }
        i += 1;
    }
    false
}
