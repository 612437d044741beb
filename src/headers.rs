//! Small HTTP helpers shared by the policy compiler and the browser model:
//! token checks and the list parsing the Fetch Standard applies to
//! `Access-Control-Allow-Methods` / `-Headers` and to
//! `Access-Control-Request-Headers`.
//!
//! Every function here makes one bounded pass over its input, so an
//! attacker-controlled value (a flood of commas or names) stays cheap.

/// Most list items any parser here accepts. A real header list has a few
/// dozen names at most; past this the value is treated as malformed.
pub const MAX_LIST_ITEMS: usize = 10_000;

/// RFC 9110 `tchar`.
#[inline]
pub fn is_tchar(b: u8) -> bool {
    matches!(b,
        b'!' | b'#' | b'$' | b'%' | b'&' | b'\'' | b'*' | b'+' | b'-' | b'.'
        | b'^' | b'_' | b'`' | b'|' | b'~'
        | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
}

/// RFC 9110 `token` (`1*tchar`): non-empty and only `tchar` bytes.
pub fn is_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_tchar)
}

/// Trims leading and trailing `OWS` (space, tab).
pub fn trim_ows(s: &str) -> &str {
    s.trim_matches(|c| c == ' ' || c == '\t')
}

/// Trims leading and trailing HTTP whitespace (tab, LF, CR, space), the way
/// browsers normalise a header value.
pub fn trim_http_whitespace(s: &str) -> &str {
    s.trim_matches(|c| matches!(c, '\t' | '\n' | '\r' | ' '))
}

/// Parses a comma-separated list of tokens (`#token`), as the Fetch Standard
/// does when it extracts `Access-Control-Allow-Methods` or
/// `Access-Control-Allow-Headers`: elements are split on `,`, `OWS` around
/// each is trimmed and empty elements are skipped.
///
/// Returns `None` when an element is not a token (a browser then fails the
/// request with a network error) or when there are more than
/// [`MAX_LIST_ITEMS`] elements. Items keep their original case and order.
/// Linear time in `value.len()`.
pub fn parse_list(value: &str) -> Option<Vec<&str>> {
    let mut items = Vec::new();
    for raw in value.split(',') {
        let item = trim_ows(raw);
        if item.is_empty() {
            continue;
        }
        if !item.bytes().all(is_tchar) || items.len() >= MAX_LIST_ITEMS {
            return None;
        }
        items.push(item);
    }
    Some(items)
}

/// The header names of an `Access-Control-Request-Headers` value, lower-cased,
/// sorted and de-duplicated (the form a browser sends). Empty elements are
/// skipped, surrounding `OWS` is trimmed, and at most [`MAX_LIST_ITEMS`]
/// names are kept (the rest of an oversized value is ignored). Names are not
/// validated as tokens here; use [`parse_list`] for that.
pub fn request_header_names(value: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for raw in value.split(',') {
        let name = trim_ows(raw);
        if name.is_empty() {
            continue;
        }
        if names.len() >= MAX_LIST_ITEMS {
            break;
        }
        names.push(name.to_ascii_lowercase());
    }
    names.sort_unstable();
    names.dedup();
    names
}

/// Whether `name` appears in a comma-separated header value (such as `Vary`),
/// compared ASCII case-insensitively after trimming `OWS`.
pub fn list_contains(value: &str, name: &str) -> bool {
    value
        .split(',')
        .any(|item| trim_ows(item).eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert!(is_token("Content-Type"));
        assert!(is_token("x-custom_1.2~!#$%&'*+^`|"));
        assert!(is_token("*"));
        assert!(!is_token(""));
        assert!(!is_token("a b"));
        assert!(!is_token("a,b"));
        assert!(!is_token("a:b"));
        assert!(!is_token("\"quoted\""));
        assert!(!is_token("é"));
        assert!(!is_token("a\tb"));
        assert!(!is_token("(x)"));
    }

    #[test]
    fn list_parsing_trims_and_skips_empty() {
        assert_eq!(parse_list("GET, POST"), Some(vec!["GET", "POST"]));
        assert_eq!(parse_list("GET,POST"), Some(vec!["GET", "POST"]));
        assert_eq!(
            parse_list(" \tGET\t ,  , ,POST ,"),
            Some(vec!["GET", "POST"])
        );
        assert_eq!(parse_list(""), Some(vec![]));
        assert_eq!(parse_list(" , ,"), Some(vec![]));
        assert_eq!(parse_list("*"), Some(vec!["*"]));
        assert_eq!(parse_list("X-A, x-b"), Some(vec!["X-A", "x-b"]));
    }

    #[test]
    fn list_parsing_fails_on_non_tokens() {
        assert_eq!(parse_list("GET POST"), None);
        assert_eq!(parse_list("GET, \"POST\""), None);
        assert_eq!(parse_list("x-a; q=1"), None);
        assert_eq!(parse_list("content-type, x/y"), None);
        assert_eq!(parse_list("ü"), None);
        assert_eq!(parse_list("a\r\nb"), None);
    }

    #[test]
    fn list_parsing_is_capped() {
        let ok = vec!["a"; MAX_LIST_ITEMS].join(",");
        assert_eq!(parse_list(&ok).map(|v| v.len()), Some(MAX_LIST_ITEMS));
        let too_many = vec!["a"; MAX_LIST_ITEMS + 1].join(",");
        assert_eq!(parse_list(&too_many), None);
        // A flood of empty elements is fine and cheap.
        let commas = ",".repeat(1_000_000);
        assert_eq!(parse_list(&commas), Some(vec![]));
    }

    #[test]
    fn request_header_names_are_normalised() {
        assert_eq!(
            request_header_names("X-B, content-type,x-a ,X-b,, Content-Type"),
            vec!["content-type", "x-a", "x-b"]
        );
        assert!(request_header_names("").is_empty());
        assert!(request_header_names(" , ,").is_empty());
    }

    #[test]
    fn request_header_names_is_capped() {
        let many: Vec<String> = (0..MAX_LIST_ITEMS + 50).map(|i| format!("h{i}")).collect();
        let names = request_header_names(&many.join(","));
        assert_eq!(names.len(), MAX_LIST_ITEMS);
        let flood = ",".repeat(1_000_000) + "x-a";
        assert_eq!(request_header_names(&flood), vec!["x-a"]);
    }

    #[test]
    fn list_membership() {
        assert!(list_contains("Accept-Encoding, origin", "Origin"));
        assert!(!list_contains("Accept-Encoding, Origin2", "Origin"));
        assert!(!list_contains("", "Origin"));
    }

    #[test]
    fn whitespace_trimming() {
        assert_eq!(trim_ows(" \tx \t"), "x");
        assert_eq!(trim_http_whitespace("\r\n x\t\n"), "x");
    }
}
