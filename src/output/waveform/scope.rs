//! The merged scope hierarchy a waveform declares its signals in (see "Hierarchy" in the
//! [module docs](super)).
use std::collections::{HashMap, HashSet};
use std::io;

use super::{Backend, ChanSignals, NONE, ROOT_SCOPE, TOGGLE_SUFFIX, WAIT_SUFFIX};

enum Item {
    Scope(usize),
    Var {
        name: String,
        signal: u32,
        width: u32,
        /// For a channel's toggle or wait signal, its suffix, until
        /// [`ScopeTree::make_names_unique`] adds it to `name` (the channel's name): such a
        /// name yields to the design's own names.
        derived: Option<&'static str>,
    },
}

struct ScopeNode {
    name: String,
    items: Vec<Item>,
}

/// The merged scope hierarchy; node 0 is the (unnamed) file root.
pub(super) struct ScopeTree {
    nodes: Vec<ScopeNode>,
    /// Lookups only: the order of scopes comes from `items`, never from the map.
    children: HashMap<(usize, String), usize>,
    /// The channel names declared in each scope: a second channel of the same name (two
    /// library channels given one end name) is not declared there again.
    channel_names: HashSet<(usize, String)>,
    root: Option<String>,
}

impl ScopeTree {
    pub(super) fn new(root: Option<String>) -> Self {
        ScopeTree {
            nodes: vec![ScopeNode {
                name: String::new(),
                items: Vec::new(),
            }],
            children: HashMap::new(),
            channel_names: HashSet::new(),
            root,
        }
    }

    /// The scope node of `scopes` (under the root, if any), created as needed.
    fn node(&mut self, scopes: &[&str]) -> usize {
        let mut parts: Vec<&str> = Vec::with_capacity(scopes.len() + 1);
        if let Some(root) = &self.root {
            parts.push(root);
        } else if scopes.is_empty() {
            parts.push(ROOT_SCOPE);
        }
        parts.extend_from_slice(scopes);
        let mut node = 0;
        for part in parts {
            let key = (node, sanitize(part));
            node = match self.children.get(&key) {
                Some(&child) => child,
                None => {
                    let child = self.nodes.len();
                    self.nodes.push(ScopeNode {
                        name: key.1.clone(),
                        items: Vec::new(),
                    });
                    self.nodes[node].items.push(Item::Scope(child));
                    self.children.insert(key, child);
                    child
                }
            };
        }
        node
    }

    pub(super) fn add_channel(&mut self, name: &str, signals: &ChanSignals) {
        let mut parts = Vec::new();
        split_path(name, &mut parts);
        let Some(last) = parts.pop() else {
            return;
        };
        let last = sanitize(last);
        let node = self.node(&parts);
        if !self.channel_names.insert((node, last.clone())) {
            return;
        }
        let items = &mut self.nodes[node].items;
        if signals.data != NONE {
            items.push(Item::Var {
                name: last.clone(),
                signal: signals.data,
                width: signals.width,
                derived: None,
            });
        }
        items.push(Item::Var {
            name: last.clone(),
            signal: signals.toggle,
            width: 1,
            derived: Some(TOGGLE_SUFFIX),
        });
        items.push(Item::Var {
            name: last,
            signal: signals.wait,
            width: 2,
            derived: Some(WAIT_SUFFIX),
        });
    }

    pub(super) fn add_variable(&mut self, process: &str, name: &str, signal: u32, width: u32) {
        let mut parts = Vec::new();
        split_path(process, &mut parts);
        split_path(name, &mut parts);
        let Some(last) = parts.pop() else {
            return;
        };
        let name = sanitize(last);
        let node = self.node(&parts);
        self.nodes[node].items.push(Item::Var {
            name,
            signal,
            width,
            derived: None,
        });
    }

    /// Makes every name in a scope unique (GTKWave shows a second one as `$DUP...`): the
    /// design's own names (channels' data, variables, nodes, scopes) keep theirs, in order of
    /// appearance, a later equal one getting `~2`, `~3`, ...; a channel's toggle or wait whose
    /// name is taken (a port `R_hs` beside a port `R`) gets one more `_` before its suffix
    /// (`R__hs`) until it is free.
    pub(super) fn make_names_unique(&mut self) {
        for node in 0..self.nodes.len() {
            let mut taken: HashSet<String> = HashSet::new();
            let mut items = std::mem::take(&mut self.nodes[node].items);
            for item in &mut items {
                let name = match item {
                    Item::Scope(child) => &mut self.nodes[*child].name,
                    Item::Var {
                        name,
                        derived: None,
                        ..
                    } => name,
                    Item::Var { .. } => continue,
                };
                if !taken.insert(name.clone()) {
                    let free = (2..)
                        .map(|n| format!("{name}~{n}"))
                        .find(|candidate| !taken.contains(candidate))
                        .expect("a free name");
                    taken.insert(free.clone());
                    *name = free;
                }
            }
            for item in &mut items {
                let Item::Var { name, derived, .. } = item else {
                    continue;
                };
                if let Some(suffix) = derived.take() {
                    let mut separator = String::new();
                    let free = loop {
                        let candidate = format!("{name}{separator}{suffix}");
                        if !taken.contains(&candidate) {
                            break candidate;
                        }
                        separator.push('_');
                    };
                    taken.insert(free.clone());
                    *name = free;
                }
            }
            self.nodes[node].items = items;
        }
    }

    /// Declares the scopes and variables, depth first (iteratively: paths may be deep).
    pub(super) fn declare(&self, backend: &mut impl Backend) -> io::Result<()> {
        let mut stack = vec![(0usize, 0usize)]; // (node, next item)
        while let Some((node, index)) = stack.pop() {
            let Some(item) = self.nodes[node].items.get(index) else {
                if node != 0 {
                    backend.upscope()?;
                }
                continue;
            };
            stack.push((node, index + 1));
            match item {
                Item::Scope(child) => {
                    backend.scope(&self.nodes[*child].name)?;
                    stack.push((*child, 0));
                }
                Item::Var {
                    name,
                    signal,
                    width,
                    ..
                } => backend.var(name, *signal, *width)?,
            }
        }
        Ok(())
    }
}

/// Splits `a.b[1].c` into `a`, `b[1]`, `c`: only dots outside brackets separate; empty parts
/// are dropped.
fn split_path<'a>(path: &'a str, out: &mut Vec<&'a str>) {
    let mut depth = 0u32;
    let mut start = 0;
    for (i, c) in path.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '.' if depth == 0 => {
                if i > start {
                    out.push(&path[start..i]);
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    if path.len() > start {
        out.push(&path[start..]);
    }
}

/// A name VCD can carry: no whitespace or control characters.
fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_whitespace() || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_names_in_a_scope_are_told_apart() {
        let mut tree = ScopeTree::new(None);
        tree.add_variable("p", "x", 0, 1);
        tree.add_variable("p", "x", 1, 1);
        tree.add_variable("p", "x_hs", 2, 1);
        let signals = ChanSignals {
            data: 3,
            width: 1,
            toggle: 4,
            wait: 5,
        };
        tree.add_channel("p.x", &signals);
        tree.make_names_unique();
        let names: Vec<&str> = (tree.nodes[1].items.iter())
            .filter_map(|item| match item {
                Item::Var { name, .. } => Some(name.as_str()),
                Item::Scope(_) => None,
            })
            .collect();
        assert_eq!(names, ["x", "x~2", "x_hs", "x~3", "x__hs", "x_wait"]);
    }

    #[test]
    fn paths_split_outside_brackets() {
        let mut out = Vec::new();
        split_path("top.b[3].R", &mut out);
        assert_eq!(out, ["top", "b[3]", "R"]);
        out.clear();
        split_path("a[x.y].m[1][2]..R", &mut out);
        assert_eq!(out, ["a[x.y]", "m[1][2]", "R"]);
        out.clear();
        split_path("", &mut out);
        assert!(out.is_empty());
    }
}
