//! A CORS policy as nginx configuration: `map` blocks for `http {}` and
//! directives for a `location {}`, answering exactly as the middleware does.
//!
//! The design avoids nginx's traps:
//! - every header is an unconditional `add_header ... always` whose value is
//!   a `map` variable; nginx sends no header for an empty value, so a map
//!   that yields `""` suppresses it (an `add_header` inside `if` would drop
//!   the location's other `add_header`s);
//! - preflights are answered by `return` inside `if`, which is safe;
//! - origins are compared with case-sensitive anchored regexes (`map`
//!   compares plain strings case-insensitively, browsers compare exactly);
//! - the upstream's own `Access-Control-*` headers are hidden, so CORS in
//!   both layers cannot send two `Access-Control-Allow-Origin` values, and a
//!   `Vary` the upstream sends is merged into the one nginx sends.

use std::fmt::Write;

use super::pcre;
use crate::finding::shorten;
use crate::pattern::OriginPattern;
use crate::policy::AllowHeaders;

/// Which origins are allowed, after the options' forms were resolved.
#[derive(Debug, Clone)]
pub enum OriginRule {
    /// A falsy origin: the middleware does nothing.
    Disabled,
    /// `'*'`.
    Any,
    /// A fixed string, sent whatever the request's origin.
    Fixed(String),
    /// `true`: the request's origin is sent back.
    Reflect,
    /// An allow-list: exact strings, patterns, RegExps `(source, flags)`;
    /// `match_all` when some element is truthy but none of those.
    List {
        exact: Vec<String>,
        patterns: Vec<OriginPattern>,
        regexes: Vec<(String, String)>,
        match_all: bool,
    },
}

/// A policy as the middleware applies it, every header value rendered.
#[derive(Debug, Clone)]
pub struct ExportInput {
    pub origin: OriginRule,
    pub credentials: bool,
    pub methods: Option<String>,
    pub allowed_headers: AllowHeaders,
    pub exposed_headers: Option<String>,
    pub max_age: Option<String>,
    /// The preflight's status (`optionsSuccessStatus`).
    pub status: u16,
    /// `allowPrivateNetwork`.
    pub private_network: bool,
    /// `cacheControl`, rendered.
    pub cache_control: Option<String>,
}

/// The two parts of the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NginxConfig {
    /// For the `http {}` context.
    pub http: String,
    /// For a `location {}` block, before `proxy_pass`, `return` or `root`.
    pub location: String,
}

/// Why a policy cannot be exported: the option, and a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotExportable {
    pub option: &'static str,
    pub reason: String,
}

fn refuse<T>(option: &'static str, reason: impl Into<String>) -> Result<T, NotExportable> {
    Err(NotExportable {
        option,
        reason: reason.into(),
    })
}

/// Longest prefix: the variable names it makes must stay valid PCRE group
/// names (at most 32 characters).
const MAX_PREFIX_LEN: usize = 24;

/// `Access-Control-*` response headers the middleware can send; the
/// upstream's own are hidden.
const CORS_RESPONSE_HEADERS: [&str; 7] = [
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Credentials",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
    "Access-Control-Max-Age",
    "Access-Control-Expose-Headers",
    "Access-Control-Allow-Private-Network",
];

/// Matches the method of a preflight (cors: any `OPTIONS` request).
const PREFLIGHT: &str = r#""~\\AOPTIONS\\z""#;

fn check_prefix(prefix: &str) -> Result<(), NotExportable> {
    let mut bytes = prefix.bytes();
    let valid = match bytes.next() {
        Some(first) => {
            (first.is_ascii_alphabetic() || first == b'_')
                && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
        }
        None => false,
    };
    if !valid || prefix.len() > MAX_PREFIX_LEN {
        return refuse(
            "prefix",
            format!(
                "must be a name of letters, digits and `_` (not starting with a digit), \
                 at most {MAX_PREFIX_LEN} characters; got {prefix:?}"
            ),
        );
    }
    Ok(())
}

/// A header value must be text nginx and the middleware send byte for byte
/// alike: printable ASCII and tab.
fn check_value(option: &'static str, value: &str) -> Result<(), NotExportable> {
    if let Some(c) = value
        .chars()
        .find(|&c| c != '\t' && !(' '..='~').contains(&c))
    {
        return refuse(
            option,
            format!(
                "its header value contains {c:?}; only printable ASCII is written \
                 to nginx configuration exactly"
            ),
        );
    }
    Ok(())
}

/// What the renderer writes into the configuration for one policy.
struct Writer<'a> {
    prefix: &'a str,
    http: String,
    location: String,
    /// `$` appears in some value: the `geo` that spells it is needed.
    needs_dollar: bool,
}

impl Writer<'_> {
    fn var(&self, name: &str) -> String {
        format!("${}_{name}", self.prefix)
    }

    /// A constant as a quoted nginx string (`$` through a variable, as
    /// nginx has no escape for it).
    fn text(&mut self, value: &str) -> String {
        let mut out = String::with_capacity(value.len() + 2);
        out.push('"');
        for c in value.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '"' => out.push_str("\\\""),
                '$' => {
                    self.needs_dollar = true;
                    let _ = write!(out, "${{{}_dollar}}", self.prefix);
                }
                _ => out.push(c),
            }
        }
        out.push('"');
        out
    }

    /// A `map` over the request method: `value` for preflights, else empty.
    fn preflight_map(&mut self, name: &str, value: &str) -> String {
        let var = self.var(name);
        let _ = writeln!(
            self.http,
            "map $request_method {var} {{\n    {PREFLIGHT} {value};\n    default \"\";\n}}"
        );
        var
    }

    /// [`Self::preflight_map`] for a constant, when there is one.
    fn preflight_text(&mut self, name: &str, value: Option<&String>) -> Option<String> {
        let value = self.text(value?);
        Some(self.preflight_map(name, &value))
    }

    fn add_header(&mut self, name: &str, value: &str) {
        let _ = writeln!(self.location, "add_header {name} {value} always;");
    }
}

/// A regex as a quoted `map` key: `~` then the pattern, case-sensitive.
fn regex_key(pcre: &str) -> String {
    let mut out = String::from("\"~");
    for c in pcre.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A comment for a map line: the option text, when it is plain enough.
fn comment(text: &str) -> String {
    if text.len() <= 120 && text.chars().all(|c| (' '..='~').contains(&c)) {
        format!("  # {text}")
    } else {
        String::new()
    }
}

/// The `map` from the request's origin to `Access-Control-Allow-Origin`.
fn list_map(
    w: &mut Writer<'_>,
    exact: &[String],
    patterns: &[OriginPattern],
    regexes: &[(String, String)],
) -> Result<String, NotExportable> {
    let var = w.var("allow_origin");
    let mut lines = Vec::new();
    for origin in exact {
        if let Some(re) = pcre::exact(origin) {
            let line = format!("    {} $http_origin;{}", regex_key(&re), comment(origin));
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
    }
    for p in patterns {
        lines.push(format!(
            "    {} $http_origin;{}",
            regex_key(&pcre::pattern(p)),
            comment(&p.to_string())
        ));
    }
    for (source, flags) in regexes {
        let shown = format!("/{source}/{flags}");
        let re = match pcre::js_regex(source, flags) {
            Ok(re) => re,
            Err(why) => {
                let shown = shorten(&shown, 80);
                return refuse(
                    "origin",
                    format!("the RegExp {shown} is not exported: {why}"),
                );
            }
        };
        lines.push(format!(
            "    {} $http_origin;{}",
            regex_key(&re),
            comment(&shown)
        ));
    }
    let _ = writeln!(w.http, "map $http_origin {var} {{\n    default \"\";");
    for line in lines {
        let _ = writeln!(w.http, "{line}");
    }
    let _ = writeln!(w.http, "}}");
    Ok(var)
}

/// `Vary` on responses from upstream: `Origin` merged with the upstream's
/// own `Vary` as the `vary` package merges a field list written after cors
/// (exact for a list of distinct fields joined by `", "`, which is how
/// `vary()` writes it).
fn vary_upstream_map(w: &mut Writer<'_>) -> String {
    let var = w.var("vary_upstream");
    let head = format!("{}_vh", w.prefix);
    let tail = format!("{}_vt", w.prefix);
    let _ = writeln!(
        w.http,
        "map $upstream_http_vary {var} {{\n    \
         \"\" \"Origin\";\n    \
         \"~(?:\\\\A|, )\\\\*(?:, |\\\\z)\" \"*\";\n    \
         \"~*\\\\Aorigin\\\\z\" \"Origin\";\n    \
         \"~*\\\\Aorigin, (?<{tail}>.+)\\\\z\" \"Origin, ${tail}\";\n    \
         \"~*\\\\A(?<{head}>.+?), origin\\\\z\" \"Origin, ${head}\";\n    \
         \"~*\\\\A(?<{head}>.+?), origin, (?<{tail}>.+)\\\\z\" \"Origin, ${head}, ${tail}\";\n    \
         default \"Origin, $upstream_http_vary\";\n}}"
    );
    var
}

fn check_input(input: &ExportInput) -> Result<(), NotExportable> {
    if let OriginRule::Fixed(origin) = &input.origin {
        check_value("origin", origin)?;
    }
    for (option, value) in [
        ("methods", &input.methods),
        ("exposedHeaders", &input.exposed_headers),
        ("maxAge", &input.max_age),
        ("cacheControl", &input.cache_control),
    ] {
        if let Some(value) = value {
            check_value(option, value)?;
        }
    }
    if let AllowHeaders::Fixed(Some(value)) = &input.allowed_headers {
        check_value("allowedHeaders", value)?;
    }
    if !(200..=299).contains(&input.status) {
        return refuse(
            "optionsSuccessStatus",
            format!(
                "nginx's return answers {} with a body or a Location of its own; \
                 only 200 to 299 are exported exactly",
                input.status
            ),
        );
    }
    Ok(())
}

/// Renders `input` as nginx configuration whose variables start with `prefix`.
pub fn render(input: &ExportInput, prefix: &str) -> Result<NginxConfig, NotExportable> {
    check_prefix(prefix)?;
    let mut w = Writer {
        prefix,
        http: String::new(),
        location: String::new(),
        needs_dollar: false,
    };
    let _ = writeln!(
        w.http,
        "# rust-cors policy \"{prefix}\": put this in the http {{}} block, once."
    );
    if matches!(input.origin, OriginRule::Disabled) {
        let note = "# The origin option is false: the middleware sends no CORS headers, so there is nothing to add.\n";
        w.http.push_str(note);
        let _ = write!(w.location, "# rust-cors policy \"{prefix}\".\n{note}");
        return Ok(NginxConfig {
            http: w.http,
            location: w.location,
        });
    }
    let _ = writeln!(
        w.location,
        "# rust-cors policy \"{prefix}\": put this in each location {{}} block the policy covers,\n\
         # before proxy_pass, return or root. nginx answers preflights (OPTIONS) itself.\n\
         # add_header and proxy_hide_header here stop inheritance of the server {{}} block's:\n\
         # repeat any of those you need in this block."
    );
    check_input(input)?;

    let any = matches!(input.origin, OriginRule::Any);
    let reflect_headers = matches!(input.allowed_headers, AllowHeaders::Reflect);

    let allow_origin = match &input.origin {
        // (Disabled returned above.)
        OriginRule::Disabled | OriginRule::Any => w.text("*"),
        OriginRule::Fixed(origin) => w.text(origin),
        OriginRule::Reflect
        | OriginRule::List {
            match_all: true, ..
        } => "$http_origin".to_string(),
        OriginRule::List {
            exact,
            patterns,
            regexes,
            match_all: false,
        } => list_map(&mut w, exact, patterns, regexes)?,
    };
    // Vary: on preflights a constant; on other responses the upstream's,
    // merged after Origin when the origin varies ('*' adds nothing).
    let preflight_vary = match (any, reflect_headers) {
        (true, false) => None,
        (true, true) => Some("Access-Control-Request-Headers"),
        (false, false) => Some("Origin"),
        (false, true) => Some("Origin, Access-Control-Request-Headers"),
    };
    let vary = match preflight_vary {
        None => None,
        Some(value) => {
            let other = if any {
                "\"\"".to_string()
            } else {
                vary_upstream_map(&mut w)
            };
            let var = w.var("vary");
            let _ = writeln!(
                w.http,
                "map $request_method {var} {{\n    {PREFLIGHT} \"{value}\";\n    default {other};\n}}"
            );
            Some(var)
        }
    };
    let methods = w.preflight_text("allow_methods", input.methods.as_ref());
    let allowed_headers = match &input.allowed_headers {
        AllowHeaders::Reflect => {
            Some(w.preflight_map("allow_headers", "$http_access_control_request_headers"))
        }
        AllowHeaders::Fixed(value) => w.preflight_text("allow_headers", value.as_ref()),
    };
    let max_age = w.preflight_text("max_age", input.max_age.as_ref());
    let exposed = input.exposed_headers.as_ref().map(|value| w.text(value));
    let private_network = if input.private_network {
        let var = w.var("allow_private_network");
        let _ = writeln!(
            w.http,
            "map \"$request_method:$http_access_control_request_private_network\" {var} {{\n    \
             \"~\\\\AOPTIONS:true\\\\z\" \"true\";\n    default \"\";\n}}"
        );
        Some(var)
    } else {
        None
    };
    let cache_control = w.preflight_text("cache_control", input.cache_control.as_ref());
    // nginx sends no Content-Length with a 204; the middleware sends 0.
    let content_length = if input.status == 204 {
        Some(w.preflight_map("content_length", "\"0\""))
    } else {
        None
    };
    if w.needs_dollar {
        let _ = writeln!(
            w.http,
            "geo ${}_dollar {{\n    default \"$\";\n}}",
            w.prefix
        );
    }

    for name in CORS_RESPONSE_HEADERS {
        let _ = writeln!(w.location, "proxy_hide_header {name};");
    }
    let _ = writeln!(w.location, "proxy_hide_header Vary;");
    // The middleware's order: Allow-Origin, Vary (for Origin), Credentials,
    // Methods, Vary (for reflected headers only), Headers, Max-Age, Expose;
    // then the peers' headers, then Content-Length. With '*', the upstream's
    // own Vary comes after the CORS headers, as the application writes it
    // after the middleware.
    w.add_header("Access-Control-Allow-Origin", &allow_origin);
    if !any {
        if let Some(vary) = &vary {
            w.add_header("Vary", vary);
        }
    }
    if input.credentials {
        w.add_header("Access-Control-Allow-Credentials", "\"true\"");
    }
    if let Some(methods) = &methods {
        w.add_header("Access-Control-Allow-Methods", methods);
    }
    if any {
        if let Some(vary) = &vary {
            w.add_header("Vary", vary);
        }
    }
    let upstream_vary = any.then(|| "$upstream_http_vary".to_string());
    let optional = [
        ("Access-Control-Allow-Headers", &allowed_headers),
        ("Access-Control-Max-Age", &max_age),
        ("Access-Control-Expose-Headers", &exposed),
        ("Vary", &upstream_vary),
        ("Access-Control-Allow-Private-Network", &private_network),
        ("Cache-Control", &cache_control),
        ("Content-Length", &content_length),
    ];
    for (name, value) in optional {
        if let Some(value) = value {
            w.add_header(name, value);
        }
    }
    let _ = writeln!(
        w.location,
        "if ($request_method = OPTIONS) {{\n    return {};\n}}",
        input.status
    );
    Ok(NginxConfig {
        http: w.http,
        location: w.location,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::parse_pattern;

    fn input(origin: OriginRule) -> ExportInput {
        ExportInput {
            origin,
            credentials: false,
            methods: Some("GET,HEAD,PUT,PATCH,POST,DELETE".into()),
            allowed_headers: AllowHeaders::Reflect,
            exposed_headers: None,
            max_age: None,
            status: 204,
            private_network: false,
            cache_control: None,
        }
    }

    fn rendered(input: &ExportInput) -> NginxConfig {
        render(input, "api").expect("exportable")
    }

    /// The location's `add_header` names in order.
    fn header_order(config: &NginxConfig) -> Vec<&str> {
        config
            .location
            .lines()
            .filter_map(|l| l.strip_prefix("add_header "))
            .filter_map(|l| l.split(' ').next())
            .collect()
    }

    #[test]
    fn default_policy_answers_preflights_with_any_origin() {
        let c = rendered(&input(OriginRule::Any));
        assert!(c
            .location
            .contains("add_header Access-Control-Allow-Origin \"*\" always;"));
        assert!(c
            .location
            .contains("if ($request_method = OPTIONS) {\n    return 204;\n}"));
        assert!(c.http.contains("map $request_method $api_allow_methods {"));
        assert!(c.http.contains("$http_access_control_request_headers;"));
        // '*' adds no Vary: Origin; the upstream's Vary follows the CORS headers.
        assert!(c
            .http
            .contains("\"Access-Control-Request-Headers\";\n    default \"\";"));
        assert!(c
            .location
            .contains("add_header Vary $upstream_http_vary always;"));
        assert_eq!(
            header_order(&c),
            [
                "Access-Control-Allow-Origin",
                "Access-Control-Allow-Methods",
                "Vary",
                "Access-Control-Allow-Headers",
                "Vary",
                "Content-Length"
            ]
        );
        for line in c.location.lines().filter(|l| l.starts_with("add_header")) {
            assert!(line.ends_with(" always;"), "{line}");
        }
    }

    #[test]
    fn list_origins_are_case_sensitive_regexes_in_order() {
        let mut i = input(OriginRule::List {
            exact: vec![
                "https://A.example.com".into(),
                "https://A.example.com".into(),
            ],
            patterns: vec![parse_pattern("https://*.example.org").expect("valid")],
            regexes: vec![("^http:\\/\\/localhost:\\d+$".into(), String::new())],
            match_all: false,
        });
        i.credentials = true;
        i.allowed_headers = AllowHeaders::Fixed(Some("Content-Type".into()));
        i.exposed_headers = Some("X-Total".into());
        i.max_age = Some("600".into());
        let c = rendered(&i);
        assert!(c.http.contains(
            "\"~\\\\Ahttps://A\\\\.example\\\\.com\\\\z\" $http_origin;  # https://A.example.com"
        ));
        assert_eq!(
            c.http.matches("# https://A.example.com").count(),
            1,
            "deduplicated"
        );
        assert!(
            !c.http.contains("~*\\\\Ahttps"),
            "origins compare case-sensitively"
        );
        assert!(c.http.contains("[\\\\-0-9_a-z]{1,63}"));
        assert!(c
            .http
            .contains("\"~\\\\Ahttp://localhost:[\\\\x30-\\\\x39]++\\\\z\""));
        assert!(c.location.contains("proxy_hide_header Vary;"));
        assert!(c
            .http
            .contains("\"Origin\";\n    default $api_vary_upstream;"));
        assert_eq!(
            header_order(&c),
            [
                "Access-Control-Allow-Origin",
                "Vary",
                "Access-Control-Allow-Credentials",
                "Access-Control-Allow-Methods",
                "Access-Control-Allow-Headers",
                "Access-Control-Max-Age",
                "Access-Control-Expose-Headers",
                "Content-Length"
            ]
        );
    }

    #[test]
    fn reflected_headers_vary_on_both_on_preflights() {
        let c = rendered(&input(OriginRule::Reflect));
        assert!(c
            .location
            .contains("add_header Access-Control-Allow-Origin $http_origin always;"));
        assert!(c.http.contains(
            "\"Origin, Access-Control-Request-Headers\";\n    default $api_vary_upstream;"
        ));
    }

    #[test]
    fn dollars_and_quotes_are_spelled_for_nginx() {
        let mut i = input(OriginRule::Fixed("https://a$b\"c\\d".into()));
        i.status = 200;
        let c = rendered(&i);
        assert!(c.location.contains(
            "add_header Access-Control-Allow-Origin \"https://a${api_dollar}b\\\"c\\\\d\" always;"
        ));
        assert!(c.http.contains("geo $api_dollar {\n    default \"$\";\n}"));
        assert!(c.location.contains("return 200;"));
        assert!(
            !c.location.contains("Content-Length"),
            "nginx sends its own for 200"
        );
    }

    #[test]
    fn what_nginx_cannot_express_is_refused_with_the_option() {
        let mut i = input(OriginRule::Any);
        i.status = 301;
        assert_eq!(
            render(&i, "api").map_err(|e| e.option),
            Err("optionsSuccessStatus")
        );
        let mut i = input(OriginRule::Any);
        i.methods = Some("GET\u{e9}".into());
        assert_eq!(render(&i, "api").map_err(|e| e.option), Err("methods"));
        let i = input(OriginRule::List {
            exact: vec![],
            patterns: vec![],
            regexes: vec![("(?<=a)b".into(), String::new())],
            match_all: false,
        });
        let e = render(&i, "api").expect_err("lookbehind");
        assert_eq!(e.option, "origin");
        assert!(e.reason.contains("/(?<=a)b/"), "{}", e.reason);
        for prefix in ["", "1a", "a-b", "a b", &"a".repeat(25)] {
            assert_eq!(
                render(&input(OriginRule::Any), prefix).map_err(|e| e.option),
                Err("prefix")
            );
        }
    }

    #[test]
    fn prefixes_keep_policies_apart() {
        let a = render(&input(OriginRule::Reflect), "one").expect("ok");
        let b = render(&input(OriginRule::Reflect), "two").expect("ok");
        assert!(a.http.contains("$one_vary") && !a.http.contains("$two_"));
        assert!(b.http.contains("(?<two_vh>") && !b.http.contains("one_"));
    }

    #[test]
    fn disabled_policy_adds_nothing() {
        let c = rendered(&input(OriginRule::Disabled));
        assert!(header_order(&c).is_empty() && !c.http.contains("map "));
        assert!(!c.location.contains("proxy_hide_header"));
    }

    #[test]
    fn peers_headers_come_after_cors_headers() {
        let mut i = input(OriginRule::Any);
        i.private_network = true;
        i.cache_control = Some("max-age=600".into());
        let c = rendered(&i);
        let order = header_order(&c);
        assert_eq!(
            order[order.len() - 3..],
            [
                "Access-Control-Allow-Private-Network",
                "Cache-Control",
                "Content-Length"
            ]
        );
        assert!(c.http.contains("\"~\\\\AOPTIONS:true\\\\z\" \"true\";"));
    }
}
