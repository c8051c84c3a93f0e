//! The name a net of `bool`s (or other variables) has inside one process, as ACT chooses it.
//!
//! Inside a process definition, every name joined by its body's connections (its ports, its
//! own variables and their elements and fields, the ports of the instances it declares) is one
//! net with one *canonical* name, and actsim names the net by it wherever it prints a node of
//! that process (a production rule's warnings, `status`, the cause of a transition). ACT
//! chooses it connection by connection (`_raw_should_swap` in its `connect.cc`), preferring
//! - a global signal (`Vdd`), over
//! - a port of the process, the one declared first (and of an array port, its first element
//!   joined), over
//! - any other name: the one with the fewest steps below its variable (`x` before `a[2]`,
//!   `a[2]` before `g[1].y`), then the one whose variable's name is shorter, then the one
//!   whose variable's name comes first in byte order (`b.x` before `c.y`).
//!
//! Only the connections made in the process's body and inside its instances count: two
//! ports joined by the process's parent (`inv g(p, p)`) are two nets inside it. Where ACT's
//! choice depends on the order of the connections (two names below one variable, `a[1]` and
//! `a[2]`), the one declared first is chosen. ACT names records joined whole after the most
//! specific record type, which is not ranked here: a record's field keeps its own name unless
//! a name of another kind, or with fewer steps, names its net.
use std::collections::{HashMap, HashSet};

use super::{Elaborator, NodeId, Role};
use crate::elab::ir::{Program, Ty};

/// A connection between two variable nodes, and the depth of the body that made it (the
/// length of the elaboration stack then: 1 for the top process's body).
pub(super) type Link = (NodeId, NodeId, u32);

/// The variable connections of the design, by node.
pub(super) struct ScopeNamer {
    links: HashMap<NodeId, Vec<(NodeId, u32)>>,
    /// The node holding each field view's record (`r` of `r.b`): a port's fields rank as
    /// the port does.
    hosts: HashMap<NodeId, NodeId>,
}

/// How ACT ranks a name inside a process: lower is preferred.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Rank<'p> {
    class: u8,
    steps: usize,
    root_len: usize,
    root: &'p str,
    node: NodeId,
}

impl ScopeNamer {
    pub(super) fn new(links: &[Link], views: &[(NodeId, NodeId, u32)]) -> Self {
        let mut by_node: HashMap<NodeId, Vec<(NodeId, u32)>> = HashMap::new();
        for &(x, y, depth) in links {
            by_node.entry(x).or_default().push((y, depth));
            by_node.entry(y).or_default().push((x, depth));
        }
        let hosts = views.iter().map(|&(view, host, _)| (view, host)).collect();
        Self {
            links: by_node,
            hosts,
        }
    }

    /// The node whose name names `node`'s net inside the process instance at `scope`, and
    /// that name as the process writes it; `None` when `scope` is no process instance or the
    /// node is none of its names.
    pub(super) fn canonical(
        &self,
        elab: &Elaborator<'_>,
        scope: &str,
        node: NodeId,
    ) -> Option<(NodeId, String)> {
        let &depth = elab.body_depths.get(scope)?;
        let mut seen = vec![node];
        let mut known = HashSet::from([node]);
        let mut next = 0;
        while let Some(&n) = seen.get(next) {
            next += 1;
            if !scope.is_empty() && n != node && elab.is_file_signal(n) {
                // A global names the net whatever else it joins, and every instance joined
                // to it is among its links: not walking them keeps this linear in the design.
                continue;
            }
            for &(m, made) in self.links.get(&n).into_iter().flatten() {
                if made >= depth && within(elab, scope, m) && known.insert(m) {
                    seen.push(m);
                }
            }
        }
        let best = (seen.iter())
            .filter_map(|&n| Some((self.rank(elab, scope, n)?, n)))
            .min()?;
        Some((best.1, local_name(elab, scope, best.1).to_string()))
    }

    /// How ACT ranks node `n` as a name inside the instance at `scope`; `None` when it is no
    /// name there (a node inside one of its instances that is not that instance's port).
    fn rank<'e>(&self, elab: &'e Elaborator<'_>, scope: &str, n: NodeId) -> Option<Rank<'e>> {
        let node = &elab.nodes[n];
        let mut root = n;
        while let Some(&host) = self.hosts.get(&root) {
            root = host;
        }
        let is_port = matches!(elab.nodes[root].role, Role::Port { .. });
        let class = if elab.is_file_signal(n) {
            0
        } else {
            let instance = owner(elab, &node.path)?;
            if instance == scope {
                match is_port {
                    true => 1,
                    false => 2,
                }
            } else if is_port && owner(elab, instance) == Some(scope) {
                2
            } else {
                return None;
            }
        };
        let name = local_name(elab, scope, n);
        let root = &name[..name.find(['.', '[']).unwrap_or(name.len())];
        let (steps, root_len, root) = match class {
            // Ports rank by their order of declaration alone (their nodes are in that order).
            1 => (0, 0, ""),
            _ => (steps(&name[root.len()..]), root.len(), root),
        };
        Some(Rank {
            class,
            steps,
            root_len,
            root,
            node: n,
        })
    }
}

impl Elaborator<'_> {
    /// Names each rule's target and each pass gate's drain, for its instance's messages, by
    /// its net's name inside that instance's process (as written where none is found).
    pub(super) fn name_driven_nodes(&mut self, namer: &ScopeNamer) {
        let mut found = std::mem::take(&mut self.circuit);
        let instances = &found.instances;
        let rename = |instance: u32, node: NodeId, local: &mut String| {
            let scope = &instances[instance as usize].0;
            match namer.canonical(self, scope, node) {
                Some((named, name)) if named != node => *local = name,
                _ => {}
            }
        };
        for (instance, local, rule) in &mut found.rules {
            rename(*instance, rule.target.index(), local);
        }
        for (instance, local, pass) in &mut found.passes {
            rename(*instance, pass.drain.index(), local);
        }
        self.circuit = found;
    }

    /// The bools of the process at `path` (`program`, its shared slots on `var_nodes`: `bool`
    /// variables, and `bool` fields of records connected as nets) whose nets the process
    /// names otherwise, each as its slot and bit with that name, in order: actsim's warnings
    /// about them name the net.
    pub(super) fn shown_var_names(
        &self,
        namer: &ScopeNamer,
        path: &str,
        program: &Program,
        var_nodes: &[NodeId],
    ) -> Vec<((usize, u32), String)> {
        let mut shown = Vec::new();
        for (slot, &node) in var_nodes.iter().enumerate() {
            let var = &program.vars[slot];
            let bools = match var.fields.is_empty() {
                true if var.ty == Ty::Bool => vec![(0, Some(node), var.name.clone())],
                true => continue,
                false => (var.fields.iter())
                    .filter(|field| field.ty == Ty::Bool)
                    .map(|field| {
                        let view = self.field_view(node, &field.name);
                        (field.lo, view, format!("{}.{}", var.name, field.name))
                    })
                    .collect(),
            };
            for (bit, node, own) in bools {
                let Some(node) = node else { continue };
                let Some((named, name)) = namer.canonical(self, path, node) else {
                    continue;
                };
                // Of records joined whole, ACT names the fields after the record it names
                // the whole by (the most specific type first, which is not ranked here): a
                // field keeps its name unless a name of another kind or with fewer steps
                // wins (`h` of `h = r.hi`).
                let kind = |n| namer.rank(self, path, n).map(|r| (r.class, r.steps));
                let outranked = var.fields.is_empty() || kind(named) < kind(node);
                if named != node && name != own && outranked {
                    shown.push(((slot, bit), name));
                }
            }
        }
        // A record's fields come first declared first, at its highest bits.
        shown.sort_by_key(|(at, _)| *at);
        shown
    }

    /// The view node of the field at dotted `path` (`b`, `q.a`, `v[2]`) of the record held
    /// by `node`, if a connection made one.
    fn field_view(&self, mut node: NodeId, path: &str) -> Option<NodeId> {
        for part in path.split('.') {
            node = *self.view_of.get(&(node, part.to_string()))?;
        }
        Some(node)
    }
}

/// Whether node `n` lies inside the instance at `scope` (or is a file-scope signal, which
/// every process may join).
fn within(elab: &Elaborator<'_>, scope: &str, n: NodeId) -> bool {
    scope.is_empty() || below(&elab.nodes[n].path, scope) || elab.is_file_signal(n)
}

fn below(path: &str, scope: &str) -> bool {
    path.strip_prefix(scope)
        .is_some_and(|rest| rest.starts_with('.'))
}

/// Node `n`'s name inside the instance at `scope`.
fn local_name<'e>(elab: &'e Elaborator<'_>, scope: &str, n: NodeId) -> &'e str {
    let path = &elab.nodes[n].path;
    match below(path, scope) {
        true => &path[scope.len() + 1..],
        false => path,
    }
}

/// The instance whose name `path` is (its longest prefix that is an instance: the top
/// process's is empty).
fn owner<'p>(elab: &Elaborator<'_>, path: &'p str) -> Option<&'p str> {
    let mut cut = path.len();
    while let Some(dot) = path[..cut].rfind('.') {
        if elab.body_depths.contains_key(&path[..dot]) {
            return Some(&path[..dot]);
        }
        cut = dot;
    }
    elab.body_depths.contains_key("").then_some("")
}

/// How many steps a name takes below its variable: each field or port (`.x`), and each
/// index, all of an array's dimensions together (ACT flattens them: `[1][2]` is one).
fn steps(rest: &str) -> usize {
    let mut steps = 0;
    let mut after_index = false;
    let mut nesting = 0;
    for c in rest.chars() {
        match c {
            '[' if nesting == 0 => {
                if !after_index {
                    steps += 1;
                }
                nesting += 1;
            }
            '[' => nesting += 1,
            ']' => {
                nesting -= 1;
                after_index = nesting == 0;
            }
            '.' if nesting == 0 => {
                steps += 1;
                after_index = false;
            }
            _ => {}
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::steps;

    #[test]
    fn an_array_index_is_one_step_whatever_its_dimensions() {
        assert_eq!(steps(""), 0);
        assert_eq!(steps("[3]"), 1);
        assert_eq!(steps("[1][2]"), 1);
        assert_eq!(steps(".y"), 1);
        assert_eq!(steps("[1].y[2]"), 3);
        assert_eq!(steps("[a[1]].y"), 2);
    }
}
