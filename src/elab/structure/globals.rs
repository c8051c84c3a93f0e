//! The file scope's variables that processes share, by name, for actsim's commands (`get Vdd`,
//! `watch r.x`): each with the lines of bits it lies on.

use super::bit_lines::{Lines, Piece};
use super::Elaborator;
use crate::elab::ir::GlobalVar;

impl Elaborator<'_> {
    /// Every element of a file-scope variable that a process holds a copy of the bits of, by
    /// name (sorted): the shared variables of the lines its bits lie on. A record's scalar
    /// fields are listed too (`r.x`, `r.q.a`): a field connected as a net (`c(r.x)`) is a
    /// line of its own, which a process may hold without holding the record.
    pub(super) fn file_scope_vars(
        &self,
        net_of_node: &[usize],
        lines: &Lines,
        shared_of_line: &[usize],
    ) -> Vec<GlobalVar> {
        let mut globals = Vec::new();
        for entry in self.file_signals.values() {
            let nodes = net_of_node.iter().enumerate().skip(entry.first);
            for (n, &net) in nodes.take(entry.len()) {
                let Some(ty) = self.nodes[n].carried.ty else {
                    continue;
                };
                // A net joined by no view is one line of its own, numbered as the net.
                let whole = [Piece {
                    line: net,
                    lo: 0,
                    width: ty.width(),
                }];
                let pieces = lines.pieces(net).unwrap_or(&whole);
                let name = &self.nodes[n].path;
                let fields = self.var_records.get(&n).map(|r| r.scalar_fields());
                let parts = std::iter::once((name.clone(), 0, ty)).chain(
                    (fields.into_iter().flatten())
                        .map(|f| (format!("{name}.{}", f.name), f.lo, f.ty)),
                );
                for (name, lo, ty) in parts {
                    let covering = pieces
                        .iter()
                        .filter(|p| p.lo < lo + ty.width() && lo < p.lo + p.width);
                    let shared: Option<Box<[usize]>> = covering
                        .clone()
                        .map(|p| Some(shared_of_line[p.line]).filter(|&s| s != usize::MAX))
                        .collect();
                    let (Some(shared), Some(first)) = (shared, covering.clone().next()) else {
                        continue;
                    };
                    globals.push(GlobalVar {
                        name,
                        ty,
                        lines: shared,
                        first_line_at: lo - first.lo,
                    });
                }
            }
        }
        globals.sort_by(|a, b| a.name.cmp(&b.name));
        globals
    }
}
