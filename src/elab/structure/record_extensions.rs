//! A record connected to a record refining it with fields of its own (`deftype ext <: base
//! (int<8> c)`; `ext e; sink s(e);` of a port `base? x`), as ACT connects them.
//!
//! ACT gives a refining record its parent's fields first, under the same names, then its own;
//! a connection of the two makes them one object of the more specific type (ACT's
//! `type_connectivity_check` says "rhs is more specific"), whose parent's fields are those of
//! the same names: ACT merges their sub-connections one by one. Here the two nets stay apart
//! (they are not as wide); each field of the parent is connected to the field of the same name
//! of the refining record, as a connection of record fields (`a.x = b.x`) would, so they share
//! their bits (see [`bit_lines`](super::bit_lines)), and the narrower net remembers the object
//! it is part of: a later connection of any of its nodes is a connection of that object,
//! which may then not be connected to another refinement of the parent (ACT's "Illegal
//! combination of types").

use super::{Elaborator, NodeId};
use crate::elab::types::Carried;
use crate::front::ast::Span;

impl Elaborator<'_> {
    /// The node that stands for `n` in a connection: the object of a refining record that
    /// the net of `n` was made part of, followed to the widest, or `n` itself.
    pub(super) fn whole_object(&mut self, mut n: NodeId) -> NodeId {
        loop {
            let root = self.find(n);
            match self.part_of.get(&root) {
                Some(&whole) => n = whole,
                None => return n,
            }
        }
    }

    /// Connects variable nodes `x` and `y` (each one the [`whole_object`] of itself) when
    /// the record of one (`tx`, `ty`: what their nets hold) refines that of the other with
    /// fields of its own; false (nothing done) for other types.
    ///
    /// [`whole_object`]: Elaborator::whole_object
    pub(super) fn connect_extension(
        &mut self,
        (x, tx): (NodeId, &Carried),
        (y, ty): (NodeId, &Carried),
        span: &Span,
    ) -> bool {
        let (narrow, wide) = match (tx.extends(ty), ty.extends(tx)) {
            (true, _) => (y, x),
            (_, true) => (x, y),
            _ => return false,
        };
        let Some(layout) = self.var_records.get(&narrow).cloned() else {
            return false;
        };
        let narrow_root = self.find(narrow);
        self.part_of.insert(narrow_root, wide);
        for name in layout.field_names() {
            let (Some(part), Some(whole)) = (
                self.field_path(narrow, name, span),
                self.field_path(wide, name, span),
            ) else {
                continue;
            };
            self.connect(&part, &whole, span);
        }
        true
    }
}
