//! Warnings for channels open at one end: the port or channel that is open, where it is left
//! open, and what is missing. The elements of an instance array that leave the same port open
//! (the edges of a mesh) get one warning together.

use std::collections::HashMap;

use super::{Elaborator, NodeId, NodeKind, Role};
use crate::diag::Diagnostic;
use crate::front::ast::Span;

/// At most this many ports are named in a warning about several elements of an array.
const NAMED_PORTS: usize = 4;

impl<'a> Elaborator<'a> {
    /// The warnings for the nets found open (`open_ends`), one per open port, or one per port
    /// that several elements of an instance array leave open.
    pub(super) fn open_end_warnings(&mut self) -> Vec<Diagnostic> {
        // (declaration, array, port, sends) -> its open nodes, groups in order of appearance.
        let mut groups: Vec<(Vec<NodeId>, bool)> = Vec::new();
        let mut group_of: HashMap<(Span, String, String, bool), usize> = HashMap::new();
        for (open, sends) in std::mem::take(&mut self.open_ends) {
            let node = &self.nodes[open];
            let element = match node.role {
                Role::Port { top: false } if node.outside.is_none() => array_element(&node.path),
                _ => None,
            };
            let Some((array, port)) = element else {
                groups.push((vec![open], sends));
                continue;
            };
            let key = (
                node.owner.clone(),
                array.to_string(),
                port.to_string(),
                sends,
            );
            let next = groups.len();
            let k = *group_of.entry(key).or_insert(next);
            if k == next {
                groups.push((Vec::new(), sends));
            }
            groups[k].0.push(open);
        }
        (groups.into_iter())
            .map(|(nodes, sends)| match nodes.as_slice() {
                [one] => self.open_warning(*one, sends),
                several => self.open_elements_warning(several, sends),
            })
            .collect()
    }

    /// One warning for the same port left open by several elements of an instance array.
    fn open_elements_warning(&self, open: &[NodeId], sends: bool) -> Diagnostic {
        let (missing, example) = missing_end(sends);
        let first = &self.nodes[open[0]];
        let (array, port) = array_element(&first.path).expect("grouped as array elements");
        let array_name = array.rsplit('.').next().unwrap_or(array);
        let mut named: Vec<String> = (open.iter().take(NAMED_PORTS))
            .map(|&n| format!("`{}`", self.nodes[n].path))
            .collect();
        let listed = match open.len() - named.len() {
            0 => {
                let last = named.pop().expect("several");
                format!("{} and {last}", named.join(", "))
            }
            more => format!("{} and {more} more", named.join(", ")),
        };
        let relative = first.path.rsplit('.').nth(1).unwrap_or(array_name);
        Diagnostic::warning(
            first.owner.clone(),
            format!("ports {listed} are not connected to any {missing}"),
        )
        .with_label(format!(
            "{} elements of `{array_name}` leave their port `{port}` unconnected",
            open.len()
        ))
        .with_note(first.span.clone(), format!("`{port}` declared here"))
        .with_hint(format!("they never communicate (waiting on them ends a run normally); connect them where `{array_name}` is declared, e.g. `{relative}.{port} = {example};`"))
    }

    /// Where a net with one end only is open: the first node whose missing connection would
    /// close it (a port its instance leaves unconnected, a structural process's port that is
    /// connected outside but not inside, a channel joined to one end only).
    pub(super) fn open_place(&self, nodes: &[NodeId]) -> Option<NodeId> {
        nodes.iter().copied().find(|&n| {
            let node = &self.nodes[n];
            match node.role {
                Role::Port { .. } => {
                    node.outside.is_none()
                        || (node.kind == NodeKind::Through && node.inside.is_none())
                }
                Role::Channel => node.links < 2,
                Role::OwnEnd => false,
            }
        })
    }

    /// The warning for a net open at `open` (see [`Elaborator::open_place`]) whose only end
    /// sends (`sends`) or receives: it names the port (or channel) that is actually open, at
    /// the declaration that leaves it open, and the connection that is missing.
    fn open_warning(&self, open: NodeId, sends: bool) -> Diagnostic {
        let (missing, example) = missing_end(sends);
        let node = &self.nodes[open];
        let path = &node.path;
        let (instance, port) = path.rsplit_once('.').unwrap_or(("", path));
        let instance_name = instance.rsplit('.').next().unwrap_or(instance);
        let relative = if instance.is_empty() {
            port.to_string()
        } else {
            format!("{instance_name}.{port}")
        };
        match node.role {
            Role::Port { top: true } if node.outside.is_none() => Diagnostic::warning(
                node.span.clone(),
                format!("port `{path}` of the top process is not connected to any {missing}"),
            )
            .with_label("nothing outside the top process can connect this port")
            .with_hint(format!("`{relative}` never communicates; inside the top a port is a channel between the instances it connects: connect it to one, e.g. `{example} = {relative};`")),
            Role::Port { .. } if node.outside.is_none() => Diagnostic::warning(
                node.owner.clone(),
                format!("port `{path}` is not connected to any {missing}"),
            )
            .with_label(format!("`{instance_name}` leaves its port `{port}` unconnected"))
            .with_note(node.span.clone(), format!("`{port}` declared here"))
            .with_hint(format!("`{relative}` never communicates; connect it where `{instance_name}` is declared, e.g. `{relative} = {example};`")),
            Role::Port { .. } => {
                let mut d = Diagnostic::warning(
                    node.span.clone(),
                    format!("port `{path}` is not connected to any {missing} inside `{instance}`"),
                )
                .with_label(format!("nothing inside `{instance}` is connected to `{port}`"));
                if let Some(outside) = &node.outside {
                    d = d.with_note(outside.clone(), format!("`{relative}` is connected here"));
                }
                d.with_hint(format!("`{relative}` never communicates; connect `{port}` inside its process, e.g. `{example} = {port};`"))
            }
            Role::Channel | Role::OwnEnd => {
                let mut d = Diagnostic::warning(
                    node.span.clone(),
                    format!("channel `{path}` is not connected to any {missing}"),
                )
                .with_label(format!("`{port}` has no {missing}"));
                if let Some(link) = node.inside.as_ref().filter(|&l| *l != node.span) {
                    d = d.with_note(link.clone(), format!("`{port}` is connected here"));
                }
                d.with_hint(format!("`{port}` never communicates; connect it, e.g. `{example} = {port};`, or use its other end in this process's CHP"))
            }
        }
    }
}

/// The missing end of a net whose only end sends (`sends`) or receives, and an example of it.
fn missing_end(sends: bool) -> (&'static str, &'static str) {
    if sends {
        ("receiver", "x.L")
    } else {
        ("sender", "x.R")
    }
}

/// `(array, port)` of a port of an element of an instance array: `("a.s", "OVER")` for
/// `a.s[2].OVER`; `None` for any other path.
fn array_element(path: &str) -> Option<(&str, &str)> {
    let (instance, port) = path.rsplit_once('.')?;
    let array = instance.strip_suffix(']')?.rsplit_once('[')?.0;
    Some((array, port))
}
