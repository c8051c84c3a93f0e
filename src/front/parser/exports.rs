//! ACT's `export` rule: a type (a process, `deftype`, `defchan`, `defenum`, `interface`)
//! defined in a namespace can be used outside that namespace only if it is exported
//! (`export defproc p ...`), and a type reached through nested namespaces `a::b::c::t` only if
//! every namespace after the first on the way (`b`, `c`) is exported (`export namespace b`).
//! Inside its own namespace a type needs no `export`; everywhere else it does, the global
//! namespace's types used inside a namespace included (ACT's `qualified_type`). Functions
//! are not types: a call needs no `export`.
//!
//! A name is found as ACT finds it: `t` in the namespace it is written in, then in each
//! enclosing one, then in the opened namespaces, then the global one; `a::t` with `a` a
//! namespace inside the current one, or inside an opened one, or a global one (the first of
//! these through which the whole path exists).
use std::collections::HashSet;

use super::Parser;
use crate::diag::Diagnostic;
use crate::front::ast::Ident;

/// What `export` has marked.
#[derive(Default)]
pub(super) struct Exports {
    /// `export` was read and the definition it introduces is not named yet.
    pending: bool,
    /// The qualified names of the exported types and namespaces.
    names: HashSet<String>,
}

impl Parser<'_> {
    /// `export` was read: the definition that follows is exported.
    pub(super) fn export_next(&mut self) {
        self.exports.pending = true;
    }

    /// A new item begins: an `export` not followed by a definition marks nothing.
    pub(super) fn forget_export(&mut self) {
        self.exports.pending = false;
    }

    /// The type or namespace `qualified` is being defined: exported if `export` came first.
    pub(super) fn note_definition(&mut self, qualified: &str) {
        if std::mem::take(&mut self.exports.pending) {
            self.exports.names.insert(qualified.to_string());
        }
    }

    /// Whether the definition being read says `export` where the earlier one of `qualified`
    /// did not, or the other way round (ACT's types then differ).
    pub(super) fn export_differs(&self, qualified: &str) -> bool {
        self.exports.pending != self.exports.names.contains(qualified)
    }

    /// Marks the namespace `qualified` (another name given to a namespace by `import a => b;`,
    /// which ACT exports) as exported.
    pub(super) fn export_namespace(&mut self, qualified: &str) {
        self.exports.names.insert(qualified.to_string());
    }

    /// Whether the type or namespace `qualified` is defined here: a process, a type, an
    /// interface.
    pub(super) fn is_type(&self, qualified: &str) -> bool {
        self.processes.contains_key(qualified)
            || self.types.contains_key(qualified)
            || self.interfaces.contains_key(qualified)
    }

    /// Whether the namespace written `written` (qualified, maybe another name of it) exists.
    fn namespace_exists(&self, written: &str) -> bool {
        self.namespaces.contains(&self.open.unalias(written))
    }

    /// Whether the namespace or type written `written` is exported: as written (another name
    /// of a namespace that `import a => b;` exported), else as the one it names.
    fn is_exported(&self, written: &str) -> bool {
        self.exports.names.contains(written)
            || self.exports.names.contains(&self.open.unalias(written))
    }

    /// ACT's error for a use of the type `written` (here, in the current namespace) that the
    /// `export` rule forbids. Types this rule does not find are left to the checks that report
    /// unknown names.
    pub(super) fn check_exported(&mut self, written: &Ident) {
        let current = self.namespace.join("::");
        let global = written.name.starts_with("::");
        let name = written.name.trim_start_matches("::");
        let parts: Vec<&str> = name.split("::").collect();
        let join = |ns: &str, name: &str| {
            if ns.is_empty() {
                name.to_string()
            } else {
                format!("{ns}::{name}")
            }
        };
        let (namespace, allowed) = match parts.as_slice() {
            [] => return,
            [single] => {
                let enclosing = (0..=self.namespace.len())
                    .rev()
                    .map(|n| self.namespace[..n].join("::"));
                let mut search = enclosing.chain(self.open.opened.iter().cloned());
                let Some(found) =
                    search.find(|ns| self.is_type(&self.open.unalias(&join(ns, single))))
                else {
                    return;
                };
                (found, true)
            }
            [first, middle @ .., _] => {
                let starts: Vec<String> = if global {
                    std::iter::once(first.to_string())
                        .chain(self.open.opened.iter().map(|ns| join(ns, first)))
                        .filter(|ns| self.namespace_exists(ns))
                        .take(1)
                        .collect()
                } else {
                    std::iter::once(join(&current, first))
                        .chain(self.open.opened.iter().map(|ns| join(ns, first)))
                        .chain(std::iter::once(first.to_string()))
                        .filter(|ns| self.namespace_exists(ns))
                        .collect()
                };
                let walked = starts.iter().find_map(|start| {
                    let mut namespace = start.clone();
                    let mut allowed = true;
                    for part in middle {
                        namespace = join(&namespace, part);
                        if !self.namespace_exists(&namespace) {
                            return None;
                        }
                        allowed &= self.is_exported(&namespace);
                        if self.open.unalias(&namespace) == current {
                            allowed = true;
                        }
                    }
                    Some((namespace, allowed))
                });
                let Some(walked) = walked else {
                    return;
                };
                walked
            }
        };
        let last = parts[parts.len() - 1];
        let qualified = join(&namespace, last);
        if !self.is_type(&self.open.unalias(&qualified)) {
            return;
        }
        let own = self.open.unalias(&namespace) == current;
        if !allowed || (!own && !self.is_exported(&qualified)) {
            let what = if allowed {
                format!("`{qualified}` is not exported")
            } else {
                format!("a namespace on the way to `{qualified}` is not exported")
            };
            self.report(
                Diagnostic::error(
                    written.span.clone(),
                    format!(
                        "type `{}` is not exported up the namespace hierarchy",
                        written.name
                    ),
                )
                .with_label(what)
                .with_hint(
                    "a type of a namespace is used outside it only if defined with `export` \
                     (`export defproc ...`), and only through namespaces declared with \
                     `export namespace`, as ACT requires",
                ),
            );
        }
    }
}
