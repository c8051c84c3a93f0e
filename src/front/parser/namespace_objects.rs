//! The objects a namespace declares outside its definitions (ACT's namespace globals,
//! `namespace ns { bool r; chan(int) g; }`): each is named by its qualified name (`ns::r`), so
//! that two namespaces may each have an `r`, and the file scope another. Inside the namespace
//! the bare name finds it (then an enclosing namespace's, then the file scope's), in the
//! namespace's connections here and in its definitions' bodies (see
//! `crate::elab::structure`); elsewhere it is not seen, as in ACT, whose identifiers in
//! bodies cannot be qualified.

use super::Parser;
use crate::front::ast::{namespace_objects, BodyItem, Expr, ExprKind};

impl Parser<'_> {
    /// Names the objects that `items`, declared in the current namespace, declare by their
    /// qualified names, and the objects their connections name by the names they stand for.
    pub(super) fn qualify_namespace_objects(&self, items: &mut [BodyItem]) {
        if self.namespace.is_empty() {
            return;
        }
        for item in items {
            match item {
                BodyItem::Var(v) => v.name.name = self.qualified(&v.name.name),
                BodyItem::Connection(c) => {
                    self.qualify_root(&mut c.lhs);
                    self.qualify_root(&mut c.rhs);
                }
                _ => {}
            }
        }
    }

    /// Gives the object `e` names (`x` of `x`, `x[2]`, `x.y`) the qualified name of the object
    /// it finds from the current namespace outwards.
    fn qualify_root(&self, e: &mut Expr) {
        match &mut e.kind {
            ExprKind::Name(id) => {
                let scope = self.qualified("");
                let found = namespace_objects(&scope, &id.name)
                    .find(|candidate| self.scope_objects.contains_key(candidate));
                if let Some(found) = found {
                    id.name = found;
                }
            }
            ExprKind::Index { base, .. }
            | ExprKind::Slice { base, .. }
            | ExprKind::Field { base, .. }
            | ExprKind::BitSlice { base, .. } => self.qualify_root(base),
            ExprKind::Concat(parts) | ExprKind::ArrayConcat(parts) => {
                parts.iter_mut().for_each(|p| self.qualify_root(p))
            }
            _ => {}
        }
    }
}
