//! The header-list parsers: `headers::parse_list` (Access-Control-Allow-
//! Methods/-Headers as a browser reads them), `request_header_names`
//! (Access-Control-Request-Headers), `list_contains` (Vary) and the token
//! and whitespace helpers, on arbitrary text.
//!
//! Properties: nothing panics; every parsed item is a non-empty token with no
//! surrounding whitespace and at most MAX_LIST_ITEMS are returned;
//! request names are lower-case, sorted, unique and capped; when the list
//! parses, its lower-cased, sorted, de-duplicated items are exactly the
//! request names; `list_contains` agrees with the parsed items.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rust_cors::headers::{
    is_token, list_contains, parse_list, request_header_names, trim_http_whitespace, trim_ows,
    MAX_LIST_ITEMS,
};

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    let s = s.as_ref();

    let t = trim_ows(s);
    assert!(!t.starts_with([' ', '\t']) && !t.ends_with([' ', '\t']));
    let _ = trim_http_whitespace(s);

    let names = request_header_names(s);
    assert!(names.len() <= MAX_LIST_ITEMS);
    for w in names.windows(2) {
        assert!(w[0] < w[1], "sorted and unique");
    }
    for n in &names {
        assert!(!n.is_empty());
        assert_eq!(trim_ows(n), n.as_str());
        assert!(!n.bytes().any(|b| b.is_ascii_uppercase()));
    }

    if let Some(items) = parse_list(s) {
        assert!(items.len() <= MAX_LIST_ITEMS);
        for it in &items {
            assert!(is_token(it), "{it:?} is not a token");
        }
        let mut lower: Vec<String> = items.iter().map(|i| i.to_ascii_lowercase()).collect();
        lower.sort_unstable();
        lower.dedup();
        assert_eq!(lower, names);
        if let Some(first) = items.first() {
            assert!(list_contains(s, first));
            assert!(list_contains(s, &first.to_ascii_uppercase()));
        }
    } else {
        // Refused: a non-token element, or too many elements.
        let elems: Vec<&str> = s
            .split(',')
            .map(trim_ows)
            .filter(|e| !e.is_empty())
            .collect();
        assert!(elems.len() > MAX_LIST_ITEMS || elems.iter().any(|e| !is_token(e)));
    }
});
