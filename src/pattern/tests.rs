use super::parse::has_public_suffix_below;
use super::*;

fn p(s: &str) -> OriginPattern {
    match parse_pattern(s) {
        Ok(p) => p,
        Err(e) => panic!("{s}: {e}"),
    }
}

fn err(s: &str) -> String {
    match parse_pattern(s) {
        Ok(p) => panic!("{s} parsed as {p}"),
        Err(e) => e,
    }
}

#[test]
fn is_pattern_rule() {
    assert!(is_pattern("https://*.example.com"));
    assert!(is_pattern("http://localhost:*"));
    assert!(!is_pattern("*"));
    assert!(!is_pattern("https://example.com"));
    assert!(is_pattern("**"));
}

#[test]
fn subdomain_wildcard_matches_one_or_more_labels() {
    let pat = p("https://*.example.com");
    assert!(pat.matches(b"https://a.example.com"));
    assert!(pat.matches(b"https://a.b.example.com"));
    assert!(pat.matches(b"https://xn--bcher-kva.example.com"));
    assert!(pat.matches(b"https://a-b_c.example.com"));
    assert!(!pat.matches(b"https://example.com"));
    assert!(!pat.matches(b"https://.example.com"));
    assert!(!pat.matches(b"https://a..example.com"));
    assert!(!pat.matches(b"https://evil-example.com"));
    assert!(!pat.matches(b"https://evilexample.com"));
    assert!(!pat.matches(b"https://a.example.com.evil.net"));
    assert!(!pat.matches(b"https://a.example.comx"));
    assert!(!pat.matches(b"http://a.example.com"));
    assert!(!pat.matches(b"https://a.example.com/"));
    assert!(!pat.matches(b"https://evil.com/.example.com"));
    assert!(!pat.matches(b"https://evil.com?.example.com"));
    assert!(!pat.matches(b"https://user@a.example.com"));
    assert!(!pat.matches(b"https://A.example.com"));
    assert!(!pat.matches(b"https://a\xe9.example.com"));
    assert!(!pat.matches(b"null"));
    assert!(!pat.matches(b""));
    assert!(!pat.matches(b"https://"));
    assert!(!pat.matches(b"https:/a.example.com"));
}

#[test]
fn no_port_means_no_explicit_port() {
    let pat = p("https://*.example.com");
    assert!(!pat.matches(b"https://a.example.com:8443"));
    assert!(!pat.matches(b"https://a.example.com:443"));
    assert!(!pat.matches(b"https://a.example.com:"));
}

#[test]
fn any_port() {
    let pat = p("http://localhost:*");
    assert!(pat.matches(b"http://localhost:3000"));
    assert!(pat.matches(b"http://localhost:1"));
    assert!(pat.matches(b"http://localhost:0"));
    assert!(pat.matches(b"http://localhost:65535"));
    assert!(pat.matches(b"http://localhost"));
    assert!(!pat.matches(b"http://localhost:65536"));
    assert!(!pat.matches(b"http://localhost:03000"));
    assert!(!pat.matches(b"http://localhost:"));
    assert!(!pat.matches(b"http://localhost:3000x"));
    assert!(!pat.matches(b"http://localhost:-1"));
    assert!(!pat.matches(b"http://localhost:123456"));
    assert!(!pat.matches(b"https://localhost:3000"));
    assert!(!pat.matches(b"http://localhost.evil.net:3000"));
    assert!(!pat.matches(b"http://a.localhost:3000"));
}

#[test]
fn subdomains_and_any_port() {
    let pat = p("https://*.example.com:*");
    assert!(pat.matches(b"https://a.example.com:8443"));
    assert!(pat.matches(b"https://a.b.example.com"));
    assert!(!pat.matches(b"https://example.com:8443"));
    assert!(!pat.matches(b"https://a.example.com.evil.net:8443"));
}

#[test]
fn exact_port() {
    let pat = p("https://*.example.com:8443");
    assert!(pat.matches(b"https://a.example.com:8443"));
    assert!(!pat.matches(b"https://a.example.com"));
    assert!(!pat.matches(b"https://a.example.com:443"));
    assert!(!pat.matches(b"https://a.example.com:84430"));
    // Leading zeros are normalised away in the pattern.
    assert_eq!(
        p("https://*.example.com:08443").to_string(),
        "https://*.example.com:8443"
    );
}

#[test]
fn default_port_is_dropped() {
    let pat = p("https://*.example.com:443");
    assert_eq!(pat.to_string(), "https://*.example.com");
    assert!(pat.matches(b"https://a.example.com"));
    assert_eq!(
        p("http://*.example.com:80").to_string(),
        "http://*.example.com"
    );
    // 80 is not https's default.
    assert_eq!(
        p("https://*.example.com:80").to_string(),
        "https://*.example.com:80"
    );
}

#[test]
fn case_is_normalised() {
    let pat = p("HTTPS://*.Example.COM");
    assert_eq!(pat.to_string(), "https://*.example.com");
    assert!(pat.matches(b"https://a.example.com"));
    assert_eq!(pat.scheme(), "https");
    assert_eq!(pat.fixed_host(), "example.com");
    assert!(pat.allows_subdomains());
    assert!(!pat.allows_any_port());
}

#[test]
fn ip_hosts_with_any_port() {
    let v4 = p("http://127.0.0.1:*");
    assert!(v4.matches(b"http://127.0.0.1:5173"));
    assert!(v4.matches(b"http://127.0.0.1"));
    assert!(!v4.matches(b"http://127.0.0.10:5173"));
    let v6 = p("http://[::1]:*");
    assert!(v6.matches(b"http://[::1]:8080"));
    assert!(v6.matches(b"http://[::1]"));
    assert!(!v6.matches(b"http://[::2]:8080"));
    assert!(!v6.matches(b"http://[::1]x:8080"));
    assert!(!v6.matches(b"http://[::1"));
    assert!(err("http://*.0.0.1").contains("IP address"));
    assert!(err("http://[*]:80").contains("IPv6"));
    assert!(err("http://[::1:*").contains("closing"));
    assert!(err("http://[::1]x:*").contains("after the IPv6"));
    assert!(err("http://[xyz]:*").contains("not an IPv6"));
}

#[test]
fn other_schemes() {
    let pat = p("chrome-extension://*.example.com");
    assert!(pat.matches(b"chrome-extension://a.example.com"));
    let ws = p("wss://*.example.com:*");
    assert!(ws.matches(b"wss://a.example.com:9000"));
    assert!(err("file://*.example.com").contains("Origin: null"));
    assert!(err("1http://*.example.com").contains("not a URL scheme"));
    assert!(err("ht tp://*.example.com").contains("remove whitespace"));
    assert!(err("://*.example.com").contains("not a URL scheme"));
}

#[test]
fn refuses_public_suffixes() {
    let e = err("https://*.com");
    assert_eq!(
        e,
        "origin pattern \"https://*.com\": *.com covers the public suffix com: anyone can \
         register a name under it, so every such site would be allowed; list the origins you \
         mean (e.g. \"https://app.example.com\"), or use a pattern on a domain you control \
         that has no public suffix under it"
    );
    assert!(err("https://*.co.uk").contains("*.co.uk covers the public suffix co.uk"));
    assert!(err("https://*.github.io").contains("*.github.io covers the public suffix github.io"));
    assert!(err("https://*.appspot.com:*").contains("public suffix appspot.com"));
    assert!(err("https://*.example").contains("top-level domain example"));
    // Registrable domains and names under them are fine.
    p("https://*.example.co.uk");
    p("https://*.myapp.github.io");
    p("https://*.city.kawasaki.jp");
    p("https://*.foo.example");
    p("https://*.example.com");
    p("https://*.api.example.com:*");
    // Loopback-only names are allowed.
    p("http://*.localhost:*");
    // An exact host with a port wildcard may be anything, even a suffix.
    p("https://github.io:*");
}

#[test]
fn refuses_domains_with_public_suffixes_below() {
    // s3.amazonaws.com (and many more) are public suffixes in the
    // private section: *.amazonaws.com would allow
    // https://attacker-bucket.s3.amazonaws.com.
    let e = err("https://*.amazonaws.com");
    assert!(
        e.contains("*.amazonaws.com covers public suffixes")
            && e.contains("entries under amazonaws.com")
            && e.contains("list the origins you mean")
            && e.contains("domain you control that has no public suffix under it"),
        "{e}"
    );
    // blob.core.windows.net is a public suffix.
    assert!(err("https://*.core.windows.net").contains("entries under core.windows.net"));
    assert!(err("https://*.windows.net").contains("entries under windows.net"));
    // up.railway.app is a public suffix.
    assert!(err("https://*.railway.app").contains("entries under railway.app"));
    // A wildcard rule (*.kawasaki.jp) puts a suffix under every child.
    assert!(err("https://*.kawasaki.jp").contains("entries under kawasaki.jp"));
    // The suffixes themselves are refused as such.
    assert!(err("https://*.s3.amazonaws.com").contains("public suffix s3.amazonaws.com"));
    assert!(err("https://*.blob.core.windows.net").contains("public suffix blob.core.windows.net"));
    assert!(err("https://*.up.railway.app").contains("public suffix up.railway.app"));
    // A wildcard rule of the private section (*.compute.amazonaws.com):
    // every name directly under compute.amazonaws.com is a public suffix.
    assert!(err("https://*.compute.amazonaws.com").contains("entries under compute.amazonaws.com"));
    assert!(err("https://*.eu-west-1.compute.amazonaws.com")
        .contains("public suffix eu-west-1.compute.amazonaws.com"));
    p("https://*.my-host.eu-west-1.compute.amazonaws.com");
    // An exception (!www.ck under *.ck): www.ck is registrable, so
    // *.www.ck is fine, while *.ck is refused.
    p("https://*.www.ck");
    assert!(err("https://*.ck").contains("public suffix"));
    assert!(err("https://*.foo.ck").contains("public suffix foo.ck"));
    // Names at a registrable level under them are anyone's own domain.
    p("https://*.attacker-bucket.s3.amazonaws.com");
    p("https://*.myaccount.blob.core.windows.net");
    p("https://*.myapp.up.railway.app");
}

#[test]
fn public_suffix_probe() {
    assert!(has_public_suffix_below("amazonaws.com"));
    assert!(has_public_suffix_below("com"));
    assert!(has_public_suffix_below("uk"));
    assert!(has_public_suffix_below("kawasaki.jp"));
    assert!(has_public_suffix_below("io"));
    assert!(!has_public_suffix_below("example.com"));
    assert!(!has_public_suffix_below("example.co.uk"));
    assert!(!has_public_suffix_below("city.kawasaki.jp"));
    assert!(!has_public_suffix_below("s3.amazonaws.com.example.org"));
    assert!(!has_public_suffix_below("localhost"));
    assert!(!has_public_suffix_below("foo.example"));
}

#[test]
fn index_answers_like_each_pattern() {
    let texts = [
        "https://*.example.com",
        "https://*.b.example.com:8443",
        "https://*.ab.example.com:*",
        "http://b.example.com:*",
        "wss://*.example.com:9000",
        "http://[::1]:*",
        "http://127.0.0.1:*",
        "http://localhost:*",
        "https://*.localhost:*",
    ];
    let patterns: Vec<OriginPattern> = texts.iter().map(|t| p(t)).collect();
    let index = PatternIndex::new(&patterns);
    assert!(!index.is_empty());
    let origins = [
        "https://a.example.com",
        "https://example.com",
        "https://a.b.example.com",
        "https://a.b.example.com:8443",
        "https://b.example.com:8443",
        "https://x.ab.example.com:1",
        "https://ab.example.com:1",
        "https://x.cab.example.com:1",
        "http://b.example.com",
        "http://b.example.com:80",
        "http://a.b.example.com:80",
        "wss://a.example.com:9000",
        "wss://a.example.com",
        "http://[::1]:3000",
        "http://[::1]",
        "http://127.0.0.1:5173",
        "http://127.0.0.10:5173",
        "http://localhost:3000",
        "http://a.localhost:3000",
        "https://a.localhost:3000",
        "https://localhost",
        "ftp://a.example.com",
        "https:/a.example.com",
        "https://a.example.com:",
        "https://A.example.com",
        "https://.example.com",
        "https://a..example.com",
        "",
    ];
    let mut hits = 0;
    for origin in origins {
        let scan = patterns.iter().any(|pat| pat.matches(origin.as_bytes()));
        assert_eq!(index.matches(origin.as_bytes()), scan, "{origin}");
        hits += usize::from(scan);
    }
    assert_eq!(hits, 12);
    let empty = PatternIndex::new(&[]);
    assert!(empty.is_empty());
    assert!(!empty.matches(b"https://a.example.com"));
    assert_eq!(empty.longest_origin(), 0);
}

#[test]
fn refuses_misplaced_wildcards() {
    assert!(err("*://example.com").contains("scheme cannot be a wildcard"));
    assert!(err("https://*").contains("cannot be the whole host"));
    assert!(err("https://*:*").contains("cannot be the whole host"));
    assert!(err("https://*example.com").contains("whole leftmost host label"));
    assert!(err("https://*-app.example.com").contains("partial labels"));
    assert!(err("https://app.*.example.com").contains("inner"));
    assert!(err("https://example.*").contains("whole leftmost"));
    assert!(err("https://*.*.example.com").contains("only once"));
    assert!(err("https://*.example.com:8*").contains("whole port"));
    assert!(err("https://example.com/*").contains("no path"));
    assert!(err("https://*.example.com/").contains("no path"));
    assert!(err("https://*.example.com?x").contains("no path"));
    assert!(err("https://u@*.example.com").contains("user name"));
}

#[test]
fn refuses_malformed() {
    assert!(err("*").contains("any origin"));
    assert!(err("https://example.com").contains("exact origin"));
    assert!(err("*.example.com").contains("has no scheme"));
    assert!(err("https://*.").contains("empty"));
    assert!(err("https://*.example.com.").contains("ends with a dot"));
    assert!(err("https://*.exa..mple.com").contains("empty label"));
    assert!(err("https://*.exa$mple.com").contains("cannot appear"));
    assert!(err("https://*.bücher.de").contains("punycode"));
    assert!(err("https://*.example.com:").contains("no port"));
    assert!(err("https://*.example.com:65536").contains("0 to 65535"));
    assert!(err("https://*.example.com:123456").contains("0 to 65535"));
    assert!(err("https://*.example.com:8o").contains("0 to 65535"));
    assert!(err("https://*.example.com:1:2").contains("0 to 65535"));
    assert!(err(" https://*.example.com").contains("whitespace"));
    assert!(err(&format!("https://*.{}.com", "a".repeat(64))).contains("longer than 63"));
    assert!(err(&format!("https://*.{}", "a".repeat(2000))).contains("longer than"));
    let long_host = vec!["abc"; 70].join(".");
    assert!(err(&format!("https://*.{long_host}")).contains("longer than 253"));
}

#[test]
fn errors_quote_the_input() {
    let e = err("https://*.com");
    assert!(e.starts_with("origin pattern \"https://*.com\": "));
    let long = format!("https://*.{}\u{1}", "a".repeat(300));
    let e = err(&long);
    assert!(e.len() < 400, "{e}");
}

#[test]
fn matching_is_linear_on_long_inputs() {
    let pat = p("https://*.example.com:*");
    let mut origin = b"https://".to_vec();
    origin.extend(std::iter::repeat_n(b'a', 1_000_000));
    origin.extend_from_slice(b".example.com:1");
    // A 1 MB label is not a valid label, so no match, but it returns fast.
    assert!(!pat.matches(&origin));
    let dots: Vec<u8> = b"https://"
        .iter()
        .copied()
        .chain(std::iter::repeat_n(b'.', 1_000_000))
        .collect();
    assert!(!pat.matches(&dots));
}
