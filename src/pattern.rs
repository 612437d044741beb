//! Structured origin patterns: `https://*.example.com`, `http://localhost:*`
//! and `https://*.example.com:*`.
//!
//! A pattern is parsed into (scheme, host rule, port rule) and matched
//! structurally against the raw `Origin` header, never as a glob or regex, so
//! `https://*.example.com` cannot be satisfied by `https://evil-example.com`
//! or `https://a.example.com.evil.net`.
//!
//! Rules:
//! - The scheme is required and is never a wildcard. It is lower-cased.
//! - `*` may appear only as the whole leftmost host label, followed by a dot
//!   (`*.example.com`), where it stands for **one or more** whole DNS labels
//!   (the whole host at most 253 bytes, the longest DNS name), or as the
//!   whole port (`:*`).
//! - The host is lower-cased (browsers always send lower-case hosts in
//!   `Origin`) and must be ASCII: internationalised names are written in
//!   their punycode (`xn--`) form, as browsers send them.
//! - No port means "no explicit port": `https://*.example.com` matches
//!   `https://a.example.com` only, not `https://a.example.com:8443`. A port
//!   equal to the scheme's default (`:443` for https) is dropped while
//!   parsing, because browsers omit it from `Origin`. `:*` matches any
//!   explicit port and also no port (the default port).
//! - `*.` is refused where it could reach a name at or below a public
//!   suffix: before a public suffix (`*.com`, `*.co.uk`, `*.github.io`),
//!   before a domain that has public suffixes under it (`*.amazonaws.com`,
//!   since `s3.amazonaws.com` is one), before a single-label name (other than
//!   `localhost`), or before an IP address. The public-suffix data comes from
//!   the `psl` crate (Mozilla's Public Suffix List compiled into code, ICANN
//!   and private sections).
//!
//! [`OriginPattern::matches`] defines a match for one pattern;
//! [`PatternIndex`] answers the same for many at once, in time that depends
//! on the length of the `Origin`, not on the number of patterns.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Longest pattern accepted (a host is at most 253 bytes; this leaves room
/// for any scheme and port).
const MAX_PATTERN_LEN: usize = 1024;
/// Longest DNS name and label.
const MAX_HOST_LEN: usize = 253;
const MAX_LABEL_LEN: usize = 63;

#[derive(Debug, Clone, PartialEq, Eq)]
enum HostRule {
    /// The host must be exactly this (lower-case DNS name, IPv4 or `[IPv6]`).
    Exact(String),
    /// One or more labels, then `.` and this fixed part.
    Subdomains(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PortRule {
    /// The origin must carry no explicit port.
    Default,
    /// The origin's port must be exactly this number, written canonically
    /// (no leading zeros), as browsers do.
    Exact(u16),
    /// Any explicit port, or none.
    Any,
}

/// A validated origin pattern. Build one with [`parse_pattern`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginPattern {
    scheme: String,
    host: HostRule,
    port: PortRule,
}

/// Whether an origin string from the options is a pattern: it contains `*`
/// and is not exactly `*` (which means "any origin").
pub fn is_pattern(s: &str) -> bool {
    s != "*" && s.contains('*')
}

impl OriginPattern {
    /// Whether the raw `Origin` header value (bytes, as received; Latin-1)
    /// matches this pattern. Allocation-free and linear in `origin.len()`.
    ///
    /// This is the reference definition of a match: [`PatternIndex`] answers
    /// the same for many patterns at once, and the tests compare the two.
    pub fn matches(&self, origin: &[u8]) -> bool {
        let Some(rest) = origin.strip_prefix(self.scheme.as_bytes()) else {
            return false;
        };
        let Some(rest) = rest.strip_prefix(b"://") else {
            return false;
        };
        let (host, port) = split_host_port(rest);
        let Some(host) = host else {
            return false;
        };
        self.host_matches(host) && self.port_matches(port)
    }

    fn host_matches(&self, host: &[u8]) -> bool {
        match &self.host {
            HostRule::Exact(h) => host == h.as_bytes(),
            HostRule::Subdomains(fixed) => {
                let fixed = fixed.as_bytes();
                // Need at least one label byte and the separating dot. A name
                // longer than DNS allows cannot be resolved, so no page has it.
                if host.len() < fixed.len() + 2
                    || host.len() > MAX_HOST_LEN
                    || !host.ends_with(fixed)
                {
                    return false;
                }
                let dot = host.len() - fixed.len() - 1;
                host[dot] == b'.' && is_label_sequence(&host[..dot])
            }
        }
    }

    fn port_matches(&self, port: Option<&[u8]>) -> bool {
        match (&self.port, port) {
            (PortRule::Default, None) => true,
            (PortRule::Default, Some(_)) => false,
            (PortRule::Exact(p), Some(q)) => canonical_port(q) == Some(*p),
            (PortRule::Exact(_), None) => false,
            (PortRule::Any, None) => true,
            (PortRule::Any, Some(q)) => is_canonical_port(q),
        }
    }

    /// The scheme, lower-case, without `://`.
    pub fn scheme(&self) -> &str {
        &self.scheme
    }

    /// Whether the host part is `*.` + a fixed domain.
    pub fn allows_subdomains(&self) -> bool {
        matches!(self.host, HostRule::Subdomains(_))
    }

    /// Whether the port part is `:*`.
    pub fn allows_any_port(&self) -> bool {
        matches!(self.port, PortRule::Any)
    }

    /// The fixed host: the exact host, or the domain after `*.`.
    pub fn fixed_host(&self) -> &str {
        match &self.host {
            HostRule::Exact(h) | HostRule::Subdomains(h) => h,
        }
    }
}

/// The normalised pattern text, e.g. `https://*.example.com:*`.
impl fmt::Display for OriginPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://", self.scheme)?;
        match &self.host {
            HostRule::Exact(h) => f.write_str(h)?,
            HostRule::Subdomains(h) => write!(f, "*.{h}")?,
        }
        match &self.port {
            PortRule::Default => Ok(()),
            PortRule::Exact(p) => write!(f, ":{p}"),
            PortRule::Any => f.write_str(":*"),
        }
    }
}

/// Many origin patterns, indexed so that one lookup costs time in the length
/// of the `Origin`, whatever the number of patterns.
///
/// The hosts of the patterns (the exact host, or the domain after `*.`) form
/// a radix tree read from the right: each node stands for a host suffix and
/// holds the bytes that come just before its parent's suffix. A lookup walks
/// the origin's host from its last byte towards its first, following one
/// child per step (found by binary search on the child's last byte), and at
/// each node whose suffix it has matched asks two questions: is the whole
/// host matched (patterns with this exact host), and is the next byte a dot
/// (patterns `*.` + this suffix). Scheme and port are checked only at those
/// nodes. [`OriginPattern::matches`] stays the definition of a match; the
/// tests check that both always agree.
///
/// The tree is built with one allocation per node, then laid out flat
/// (a node's children side by side, each subtree after its parent) so that a
/// lookup touches few cache lines even with 100,000 patterns.
#[derive(Debug, Default)]
pub struct PatternIndex {
    /// `nodes[0]` is the root, the empty suffix.
    nodes: Vec<FlatNode>,
    /// `child_keys[i]` is the last byte of `nodes[i]`'s edge: the byte a
    /// lookup has in hand when it looks for that child.
    child_keys: Vec<u8>,
    edge_bytes: Vec<u8>,
    rules: Vec<FlatRule>,
    ports: Vec<u16>,
    /// Every scheme of the patterns, sorted; rules name them by position.
    schemes: Vec<Box<[u8]>>,
    /// The longest origin, in bytes, that any pattern can match.
    longest_origin: usize,
}

#[derive(Debug, Clone, Copy, Default)]
struct FlatNode {
    /// `edge_bytes[edge_start..edge_start + edge_len]`: the bytes just
    /// before the parent's suffix, forming this node's suffix.
    edge_start: u32,
    edge_len: u32,
    /// `nodes[first_child..first_child + child_count]`, sorted by key.
    first_child: u32,
    child_count: u32,
    /// `rules[first_rule..first_rule + rule_count]`, sorted by scheme, then
    /// exact host before `*.`.
    first_rule: u32,
    rule_count: u32,
}

/// The ports one scheme allows for one host (exact, or `*.` + host).
#[derive(Debug, Clone, Copy)]
struct FlatRule {
    scheme: u32,
    /// A `*.` rule (one or more labels, then a dot, then the suffix).
    subdomains: bool,
    /// An origin without a port (the scheme's default).
    no_port: bool,
    /// Any port, or none (`:*`).
    any_port: bool,
    /// `ports[first_port..first_port + port_count]`, sorted.
    first_port: u32,
    port_count: u32,
}

/// A position in the flat arrays. They hold less than the patterns' text,
/// which fits in memory, so this never saturates in practice; if it did, a
/// lookup would find nothing there rather than the wrong thing.
fn flat_index(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn range(start: u32, len: u32) -> std::ops::Range<usize> {
    let start = start as usize;
    start..start.saturating_add(len as usize)
}

/// The tree while it is being built.
#[derive(Debug, Default)]
struct TreeBuilder {
    nodes: Vec<BuildNode>,
    edge_bytes: Vec<u8>,
}

#[derive(Debug, Default)]
struct BuildNode {
    edge_start: usize,
    edge_len: usize,
    /// By the last byte of the child's edge, sorted.
    children: Vec<(u8, usize)>,
    /// By (scheme's position, is `*.`): the ports allowed.
    rules: BTreeMap<(u32, bool), PortSet>,
}

#[derive(Debug, Default)]
struct PortSet {
    no_port: bool,
    any_port: bool,
    ports: BTreeSet<u16>,
}

impl PortSet {
    fn add(&mut self, port: &PortRule) {
        match port {
            PortRule::Default => self.no_port = true,
            PortRule::Any => self.any_port = true,
            PortRule::Exact(p) => {
                self.ports.insert(*p);
            }
        }
    }
}

impl TreeBuilder {
    fn add(&mut self, pattern: &OriginPattern, scheme: u32) {
        let (host, subdomains) = match &pattern.host {
            HostRule::Exact(h) => (h.as_str(), false),
            HostRule::Subdomains(h) => (h.as_str(), true),
        };
        let node = self.node_for(host.as_bytes());
        self.nodes[node]
            .rules
            .entry((scheme, subdomains))
            .or_default()
            .add(&pattern.port);
    }

    /// The node whose suffix is `host`, created (splitting an edge if need
    /// be) when missing.
    fn node_for(&mut self, host: &[u8]) -> usize {
        if self.nodes.is_empty() {
            self.nodes.push(BuildNode::default());
        }
        let mut node = 0;
        // `host[..unmatched]` is what remains left of the node's suffix.
        let mut unmatched = host.len();
        while unmatched > 0 {
            let before = &host[..unmatched];
            let last = before[unmatched - 1];
            let slot = self.nodes[node]
                .children
                .binary_search_by_key(&last, |&(byte, _)| byte);
            let at = match slot {
                Ok(at) => at,
                Err(at) => {
                    let child = self.push_node(before);
                    self.nodes[node].children.insert(at, (last, child));
                    return child;
                }
            };
            let child = self.nodes[node].children[at].1;
            let (start, len) = (self.nodes[child].edge_start, self.nodes[child].edge_len);
            let edge = &self.edge_bytes[start..start + len];
            let common = edge
                .iter()
                .rev()
                .zip(before.iter().rev())
                .take_while(|(a, b)| a == b)
                .count();
            if common < len {
                // Split the edge: a new node takes its last `common` bytes
                // and the old child keeps the rest below it.
                let kept = len - common;
                let middle = BuildNode {
                    edge_start: start + kept,
                    edge_len: common,
                    children: vec![(self.edge_bytes[start + kept - 1], child)],
                    rules: BTreeMap::new(),
                };
                self.nodes[child].edge_len = kept;
                self.nodes.push(middle);
                let middle = self.nodes.len() - 1;
                self.nodes[node].children[at].1 = middle;
                unmatched -= common;
                node = middle;
            } else {
                unmatched -= len;
                node = child;
            }
        }
        node
    }

    fn push_node(&mut self, edge: &[u8]) -> usize {
        let edge_start = self.edge_bytes.len();
        self.edge_bytes.extend_from_slice(edge);
        self.nodes.push(BuildNode {
            edge_start,
            edge_len: edge.len(),
            children: Vec::new(),
            rules: BTreeMap::new(),
        });
        self.nodes.len() - 1
    }
}

impl PatternIndex {
    /// The bytes its arrays hold (for the JS engine's memory accounting).
    pub fn approximate_size(&self) -> usize {
        self.nodes.len() * std::mem::size_of::<FlatNode>()
            + self.child_keys.len()
            + self.edge_bytes.len()
            + self.rules.len() * std::mem::size_of::<FlatRule>()
            + self.ports.len() * 2
            + self.schemes.iter().map(|s| s.len() + 16).sum::<usize>()
    }

    pub fn new(patterns: &[OriginPattern]) -> Self {
        let schemes: BTreeSet<&[u8]> = patterns.iter().map(|p| p.scheme.as_bytes()).collect();
        let schemes: Vec<Box<[u8]>> = schemes.into_iter().map(Box::from).collect();
        let mut tree = TreeBuilder::default();
        let mut longest_origin = 0;
        for pattern in patterns {
            let scheme = schemes
                .binary_search_by(|s| (**s).cmp(pattern.scheme.as_bytes()))
                .unwrap_or(usize::MAX);
            tree.add(pattern, flat_index(scheme));
            let host_bound = match &pattern.host {
                HostRule::Exact(h) => h.len(),
                HostRule::Subdomains(_) => MAX_HOST_LEN,
            };
            let port_bound = match pattern.port {
                PortRule::Default => 0,
                PortRule::Exact(p) => 1 + p.to_string().len(),
                PortRule::Any => ":65535".len(),
            };
            let bound = pattern.scheme.len() + "://".len() + host_bound + port_bound;
            longest_origin = longest_origin.max(bound);
        }
        let mut index = PatternIndex {
            schemes,
            longest_origin,
            ..PatternIndex::default()
        };
        if tree.nodes.is_empty() {
            return index;
        }
        // Lay the tree out: each node's children get consecutive slots when
        // the node is placed, then each child's subtree follows.
        let mut slots: Vec<(usize, usize)> = vec![(0, 0)]; // (built node, flat slot)
        index.nodes.push(FlatNode::default());
        index.child_keys.push(0);
        while let Some((built, slot)) = slots.pop() {
            let node = &tree.nodes[built];
            let edge = &tree.edge_bytes[node.edge_start..node.edge_start + node.edge_len];
            let first_child = index.nodes.len();
            for &(key, _) in &node.children {
                index.nodes.push(FlatNode::default());
                index.child_keys.push(key);
            }
            let first_rule = index.rules.len();
            for (&(scheme, subdomains), ports) in &node.rules {
                index.rules.push(FlatRule {
                    scheme,
                    subdomains,
                    no_port: ports.no_port,
                    any_port: ports.any_port,
                    first_port: flat_index(index.ports.len()),
                    port_count: flat_index(ports.ports.len()),
                });
                index.ports.extend(&ports.ports);
            }
            index.nodes[slot] = FlatNode {
                edge_start: flat_index(index.edge_bytes.len()),
                edge_len: flat_index(edge.len()),
                first_child: flat_index(first_child),
                child_count: flat_index(node.children.len()),
                first_rule: flat_index(first_rule),
                rule_count: flat_index(node.rules.len()),
            };
            index.edge_bytes.extend_from_slice(edge);
            // Pushed in reverse so that the first child is laid out first.
            for (i, &(_, child)) in node.children.iter().enumerate().rev() {
                slots.push((child, first_child + i));
            }
        }
        index
    }

    /// Whether no pattern was given.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The longest origin, in bytes, that any pattern can match: a longer
    /// one is a miss without looking further.
    pub fn longest_origin(&self) -> usize {
        self.longest_origin
    }

    fn allows(&self, rule: &FlatRule, port: Option<u16>) -> bool {
        match port {
            None => rule.no_port || rule.any_port,
            Some(p) => {
                rule.any_port
                    || self
                        .ports
                        .get(range(rule.first_port, rule.port_count))
                        .is_some_and(|ports| ports.binary_search(&p).is_ok())
            }
        }
    }

    /// Whether the raw `Origin` header value matches any pattern: the same
    /// answer as `patterns.iter().any(|p| p.matches(origin))`.
    pub fn matches(&self, origin: &[u8]) -> bool {
        if origin.len() > self.longest_origin {
            return false;
        }
        let Some(colon) = origin.iter().position(|&b| b == b':') else {
            return false;
        };
        let (scheme, rest) = origin.split_at(colon);
        let Ok(scheme) = self.schemes.binary_search_by(|s| (**s).cmp(scheme)) else {
            return false;
        };
        let scheme = flat_index(scheme);
        let Some(rest) = rest.strip_prefix(b"://") else {
            return false;
        };
        let (host, port) = split_host_port(rest);
        let Some(host) = host else {
            return false;
        };
        // No pattern accepts a port written otherwise than browsers do.
        let port = match port {
            None => None,
            Some(digits) => match canonical_port(digits) {
                Some(p) => Some(p),
                None => return false,
            },
        };
        // Where the labels left of a dot stop being valid, computed once and
        // only when a `*.` pattern's scheme and port fit.
        let mut labels_valid_before: Option<usize> = None;
        let mut at = 0;
        let mut unmatched = host.len();
        loop {
            // Here `host[unmatched..]` is the suffix of `nodes[at]`.
            let Some(node) = self.nodes.get(at) else {
                return false;
            };
            if node.rule_count > 0 {
                let rules = self
                    .rules
                    .get(range(node.first_rule, node.rule_count))
                    .unwrap_or_default();
                let fits = |subdomains: bool| {
                    rules
                        .binary_search_by_key(&(scheme, subdomains), |r| (r.scheme, r.subdomains))
                        .is_ok_and(|i| self.allows(&rules[i], port))
                };
                if unmatched == 0 {
                    return fits(false);
                }
                let dot = unmatched - 1;
                if host[dot] == b'.' && host.len() <= MAX_HOST_LEN && fits(true) {
                    let valid_before =
                        *labels_valid_before.get_or_insert_with(|| label_sequence_end(host));
                    if dot < valid_before && dot > 0 {
                        return true;
                    }
                }
            }
            if unmatched == 0 {
                return false;
            }
            let children = range(node.first_child, node.child_count);
            let first_child = children.start;
            let Some(keys) = self.child_keys.get(children) else {
                return false;
            };
            let Ok(i) = keys.binary_search(&host[unmatched - 1]) else {
                return false;
            };
            at = first_child + i;
            let Some(child) = self.nodes.get(at) else {
                return false;
            };
            let Some(start) = unmatched.checked_sub(child.edge_len as usize) else {
                return false;
            };
            let Some(edge) = self.edge_bytes.get(range(child.edge_start, child.edge_len)) else {
                return false;
            };
            // Edges are short: a plain loop beats a call to memcmp.
            if edge
                .iter()
                .zip(&host[start..unmatched])
                .any(|(a, b)| a != b)
            {
                return false;
            }
            unmatched = start;
        }
    }
}

/// The first position in `host` where it stops being a sequence of valid
/// labels (a byte no host label has, an empty label, a label over 63 bytes),
/// or `host.len()`. `host[..dot]`, for a dot at `dot > 0`, is one or more
/// valid labels exactly when `dot` is below this position: the dot itself
/// counts as a stop when the label before it is empty.
fn label_sequence_end(host: &[u8]) -> usize {
    let mut label_len = 0usize;
    for (at, &b) in host.iter().enumerate() {
        if b == b'.' {
            if label_len == 0 {
                return at;
            }
            label_len = 0;
        } else if is_host_label_byte(b) {
            label_len += 1;
            if label_len > MAX_LABEL_LEN {
                return at;
            }
        } else {
            return at;
        }
    }
    host.len()
}

/// Splits `host[:port]` (what follows `scheme://` in an origin). The host is
/// `None` when the shape is not an origin's (empty host, junk after an IPv6
/// literal). The port is returned without the colon.
fn split_host_port(rest: &[u8]) -> (Option<&[u8]>, Option<&[u8]>) {
    let host_end = if rest.first() == Some(&b'[') {
        match rest.iter().position(|&b| b == b']') {
            Some(i) => i + 1,
            None => return (None, None),
        }
    } else {
        rest.iter().position(|&b| b == b':').unwrap_or(rest.len())
    };
    let (host, after) = rest.split_at(host_end);
    if host.is_empty() {
        return (None, None);
    }
    match after.split_first() {
        None => (Some(host), None),
        Some((b':', port)) => (Some(host), Some(port)),
        Some(_) => (None, None),
    }
}

/// A port as a browser serialises it: 1–5 digits, no leading zero (except
/// `0` itself), at most 65535.
fn is_canonical_port(p: &[u8]) -> bool {
    canonical_port(p).is_some()
}

/// The value of a port written as a browser serialises it, or `None`.
fn canonical_port(p: &[u8]) -> Option<u16> {
    if p.is_empty() || p.len() > 5 || !p.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if p.len() > 1 && p[0] == b'0' {
        return None;
    }
    let value = p
        .iter()
        .fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0'));
    u16::try_from(value).ok()
}

/// A byte that may appear in a host label of an origin a browser sends.
#[inline]
fn is_host_label_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
}

/// One or more non-empty labels of at most 63 host bytes, separated by dots.
fn is_label_sequence(s: &[u8]) -> bool {
    if s.is_empty() {
        return false;
    }
    let mut label_len = 0usize;
    for &b in s {
        if b == b'.' {
            if label_len == 0 {
                return false;
            }
            label_len = 0;
        } else if is_host_label_byte(b) {
            label_len += 1;
            if label_len > MAX_LABEL_LEN {
                return false;
            }
        } else {
            return false;
        }
    }
    label_len > 0
}

fn default_port(scheme: &str) -> Option<&'static str> {
    match scheme {
        "http" | "ws" => Some("80"),
        "https" | "wss" => Some("443"),
        "ftp" => Some("21"),
        _ => None,
    }
}

/// Quotes user input for an error message, shortened if very long.
fn quote(s: &str) -> String {
    const MAX: usize = 200;
    if s.len() <= MAX {
        return format!("{s:?}");
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{:?}…", &s[..end])
}

/// Parses and validates an origin pattern such as `https://*.example.com`,
/// `http://localhost:*` or `https://*.example.com:*`.
///
/// The error names the problem and the fix, prefixed with
/// `origin pattern "<input>": `.
pub fn parse_pattern(s: &str) -> Result<OriginPattern, String> {
    parse_inner(s).map_err(|why| format!("origin pattern {}: {why}", quote(s)))
}

fn parse_inner(s: &str) -> Result<OriginPattern, String> {
    if s == "*" {
        return Err(
            "\"*\" on its own means any origin, not a pattern; use it as the whole origin option"
                .into(),
        );
    }
    if !s.contains('*') {
        return Err("has no `*`, so it is an exact origin; list it as a plain origin".into());
    }
    if s.len() > MAX_PATTERN_LEN {
        return Err(format!(
            "is longer than {MAX_PATTERN_LEN} characters, which no origin can be"
        ));
    }
    if let Some(c) = s.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "contains {c:?}; remove whitespace and control characters"
        ));
    }
    if !s.is_ascii() {
        return Err(
            "contains non-ASCII characters; write an internationalised host in its \
             punycode (xn--) form, as browsers send it in Origin"
                .into(),
        );
    }
    let Some((scheme, rest)) = s.split_once("://") else {
        return Err(
            "has no scheme; write it as scheme://host, e.g. \"https://*.example.com\"".into(),
        );
    };
    let scheme = parse_scheme(scheme)?;
    if let Some(i) = rest.find(['/', '?', '#']) {
        return Err(format!(
            "an origin has no path, query or fragment; drop {:?}",
            &rest[i..]
        ));
    }
    if rest.contains('@') {
        return Err("an origin has no user name or password; drop the part up to \"@\"".into());
    }
    let (host, port) = split_pattern_host_port(rest)?;
    let port = parse_port(port, &scheme)?;
    let host = parse_host(host)?;
    if matches!(host, HostRule::Exact(_)) && port != PortRule::Any {
        // Unreachable with the checks above (every `*` is in the host or the
        // port), kept as a guard.
        return Err(
            "`*` may only be the leftmost host label (\"*.example.com\") or the whole port (\":*\")"
                .into(),
        );
    }
    Ok(OriginPattern { scheme, host, port })
}

fn parse_scheme(scheme: &str) -> Result<String, String> {
    if scheme.contains('*') {
        return Err(
            "the scheme cannot be a wildcard; write one pattern per scheme, \
             e.g. \"https://*.example.com\" and \"http://*.example.com\""
                .into(),
        );
    }
    let mut bytes = scheme.bytes();
    let valid = match bytes.next() {
        Some(first) => {
            first.is_ascii_alphabetic()
                && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        }
        None => false,
    };
    if !valid {
        return Err(format!(
            "{scheme:?} is not a URL scheme; start with one such as \"https://\""
        ));
    }
    let scheme = scheme.to_ascii_lowercase();
    if matches!(
        scheme.as_str(),
        "file" | "data" | "about" | "javascript" | "blob"
    ) {
        return Err(format!(
            "{scheme}: documents send an opaque origin (\"Origin: null\") or their creator's \
             origin, so this could never match; write the origin of the page instead"
        ));
    }
    Ok(scheme)
}

fn split_pattern_host_port(rest: &str) -> Result<(&str, Option<&str>), String> {
    if rest.starts_with('[') {
        let Some(close) = rest.find(']') else {
            return Err("the IPv6 address has no closing \"]\"".into());
        };
        let (host, after) = rest.split_at(close + 1);
        return match after.strip_prefix(':') {
            Some(port) => Ok((host, Some(port))),
            None if after.is_empty() => Ok((host, None)),
            None => Err(format!(
                "unexpected {after:?} after the IPv6 address; only \":port\" may follow"
            )),
        };
    }
    match rest.split_once(':') {
        Some((host, port)) => Ok((host, Some(port))),
        None => Ok((rest, None)),
    }
}

fn parse_port(port: Option<&str>, scheme: &str) -> Result<PortRule, String> {
    let Some(port) = port else {
        return Ok(PortRule::Default);
    };
    if port == "*" {
        return Ok(PortRule::Any);
    }
    if port.contains('*') {
        return Err(format!(
            "port {port:?}: `*` must be the whole port (\":*\" for any port)"
        ));
    }
    if port.is_empty() {
        return Err(
            "ends with \":\" but no port; drop the \":\" or write \":*\" for any port".into(),
        );
    }
    if port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "port {port:?} is not a number from 0 to 65535 (or \"*\" for any port)"
        ));
    }
    let canonical = port.trim_start_matches('0');
    let canonical = if canonical.is_empty() { "0" } else { canonical };
    let value: u16 = canonical.parse().map_err(|_| {
        format!("port {port:?} is not a number from 0 to 65535 (or \"*\" for any port)")
    })?;
    if default_port(scheme) == Some(canonical) {
        // Browsers omit the default port from Origin; treat it as no port.
        return Ok(PortRule::Default);
    }
    Ok(PortRule::Exact(value))
}

fn parse_host(host: &str) -> Result<HostRule, String> {
    if host.is_empty() {
        return Err("the host is empty; write it as scheme://host".into());
    }
    let host = host.to_ascii_lowercase();
    if host.starts_with('[') {
        if host.contains('*') {
            return Err("an IPv6 address cannot contain `*`".into());
        }
        let inner = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or("");
        if inner.is_empty()
            || !inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return Err(format!("{host:?} is not an IPv6 address"));
        }
        return Ok(HostRule::Exact(host));
    }
    if host == "*" {
        return Err(
            "`*` cannot be the whole host, since every site would match; put it before a domain \
             (\"https://*.example.com\"), or use the origin \"*\" to allow every origin"
                .into(),
        );
    }
    if let Some(fixed) = host.strip_prefix("*.") {
        if fixed.contains('*') {
            return Err(
                "`*` may appear only once in the host, as the whole leftmost label; \
                 \"*.\" already matches one or more labels"
                    .into(),
            );
        }
        check_dns_name(fixed)?;
        if fixed.len() > MAX_HOST_LEN - 2 {
            return Err(format!(
                "the domain after \"*.\" is longer than {} characters, which leaves no room \
                 for a subdomain in a host name of at most {MAX_HOST_LEN}",
                MAX_HOST_LEN - 2
            ));
        }
        if fixed
            .rsplit('.')
            .next()
            .is_some_and(|last| last.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(format!(
                "{fixed} looks like an IP address, which has no subdomains; \
                 list the address as an exact origin"
            ));
        }
        check_not_public_suffix(fixed)?;
        return Ok(HostRule::Subdomains(fixed.to_string()));
    }
    if host.contains('*') {
        return Err(
            "`*` must be the whole leftmost host label followed by a dot, as in \
             \"https://*.example.com\"; partial labels (\"*-app.example.com\") and inner \
             labels (\"app.*.example.com\") are not supported, use a RegExp for those"
                .into(),
        );
    }
    check_dns_name(&host)?;
    Ok(HostRule::Exact(host))
}

/// A lower-case host name: non-empty dot-separated labels of host bytes.
fn check_dns_name(host: &str) -> Result<(), String> {
    if host.is_empty() {
        return Err("the host after \"*.\" is empty; write a domain such as *.example.com".into());
    }
    if host.ends_with('.') {
        return Err(format!(
            "host {host:?} ends with a dot; drop it (browsers send the host without it)"
        ));
    }
    if host.len() > MAX_HOST_LEN {
        return Err(format!("the host is longer than {MAX_HOST_LEN} characters"));
    }
    for label in host.split('.') {
        if label.is_empty() {
            return Err(format!(
                "host {host:?} has an empty label (\"..\" or a leading dot)"
            ));
        }
        if label.len() > MAX_LABEL_LEN {
            return Err(format!(
                "host label {label:?} is longer than {MAX_LABEL_LEN} characters"
            ));
        }
        if let Some(b) = label.bytes().find(|&b| !is_host_label_byte(b)) {
            return Err(format!(
                "host {host:?} contains {:?}, which cannot appear in a host name",
                char::from(b)
            ));
        }
    }
    Ok(())
}

/// Refuses `*.fixed` when the wildcard could reach a name at or below a
/// public suffix: `fixed` is itself a public suffix (`*.co.uk`,
/// `*.github.io`), a top-level domain, or has public suffixes under it
/// (`*.amazonaws.com` reaches `bucket.s3.amazonaws.com`, where
/// `s3.amazonaws.com` is a public suffix, so anyone can get such a name).
/// Both sections of the list count, ICANN and private.
fn check_not_public_suffix(fixed: &str) -> Result<(), String> {
    const FIX: &str = "list the origins you mean (e.g. \"https://app.example.com\"), or use a \
                       pattern on a domain you control that has no public suffix under it";
    if let Some(suffix) = psl::suffix(fixed.as_bytes()) {
        if suffix.is_known() && suffix.as_bytes() == fixed.as_bytes() {
            return Err(format!(
                "*.{fixed} covers the public suffix {fixed}: anyone can register a name under \
                 it, so every such site would be allowed; {FIX}"
            ));
        }
    }
    if !fixed.contains('.') {
        // "*.localhost" only reaches this machine (RFC 6761), so it is allowed.
        if fixed == "localhost" {
            return Ok(());
        }
        return Err(format!(
            "*.{fixed} covers the top-level domain {fixed}, a public suffix: every site under \
             it would be allowed; {FIX}"
        ));
    }
    if has_public_suffix_below(fixed) {
        return Err(format!(
            "*.{fixed} covers public suffixes: the Public Suffix List has entries under \
             {fixed}, below which anyone can get their own name, so sites you do not control \
             would be allowed; {FIX}"
        ));
    }
    Ok(())
}

/// Whether the Public Suffix List (as compiled into the `psl` crate) has a
/// rule strictly below `domain`: a plain rule (`s3.amazonaws.com` below
/// `amazonaws.com`), a wildcard (`*.kawasaki.jp` below `kawasaki.jp`) or any
/// deeper one.
///
/// The `psl` crate answers "what is the suffix of this name" but cannot list
/// the rules. It reads a name's labels from the right through an iterator
/// and only asks for the next label while the rules it has matched so far
/// have children. So `domain`'s labels are handed over, then one probe
/// label: the list has a rule below `domain` exactly when the probe is asked
/// for. This errs only towards refusing: a lookup that read labels eagerly
/// would ask for the probe every time, and the unit tests (registrable
/// domains accepted) would fail.
fn has_public_suffix_below(domain: &str) -> bool {
    use psl::Psl;

    struct Probe<'a, I: Iterator<Item = &'a [u8]>> {
        labels: I,
        asked_below: bool,
    }
    impl<'a, I: Iterator<Item = &'a [u8]>> Iterator for Probe<'a, I> {
        type Item = &'a [u8];
        fn next(&mut self) -> Option<&'a [u8]> {
            if let Some(label) = self.labels.next() {
                return Some(label);
            }
            if self.asked_below {
                return None;
            }
            self.asked_below = true;
            Some(b"rust-cors-probe")
        }
    }

    let mut probe = Probe {
        labels: domain.as_bytes().rsplit(|&b| b == b'.'),
        asked_below: false,
    };
    psl::List.find(&mut probe);
    probe.asked_below
}

#[cfg(test)]
mod tests {
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
        assert!(
            err("https://*.github.io").contains("*.github.io covers the public suffix github.io")
        );
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
        assert!(
            err("https://*.blob.core.windows.net").contains("public suffix blob.core.windows.net")
        );
        assert!(err("https://*.up.railway.app").contains("public suffix up.railway.app"));
        // A wildcard rule of the private section (*.compute.amazonaws.com):
        // every name directly under compute.amazonaws.com is a public suffix.
        assert!(
            err("https://*.compute.amazonaws.com").contains("entries under compute.amazonaws.com")
        );
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
}
