//! [`PatternIndex`]: many origin patterns, one lookup in the length of the
//! `Origin`.

use std::collections::{BTreeMap, BTreeSet};

use super::*;

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
