//! The file scope's channels and variables (ACT's global instances): those a process's CHP
//! names, brought into its scope; and those processes share, by name, for actsim's commands
//! (`get Vdd`, `watch r.x`), each with the lines of bits it lies on.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

use super::bit_lines::{Lines, Piece};
use super::{Elaborator, Local, PortTable};
use crate::elab::ir::GlobalVar;
use crate::elab::lower::ProgramParts;
use crate::front::ast::{
    ChpBlock, Expr, ExprKind, Guard, Ident, LogArg, Stmt, StmtKind, TypeKind, VarDecl,
};

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

impl<'a> Elaborator<'a> {
    /// Brings the file-scope channels and variables that the CHP `block` of a process names,
    /// and that the process neither declares nor has as ports, into the body's scope: ACT's
    /// global instances, one object shared by every process naming it. Each becomes a channel
    /// or shared variable of the body (`locals`, `parts`) on the file's own nodes, so that the
    /// processes naming it share one channel or variable.
    pub(super) fn use_file_signals(
        &self,
        block: &ChpBlock,
        ports: &PortTable,
        locals: &mut HashMap<String, Local>,
        parts: &mut ProgramParts<'a>,
    ) {
        let mut names = BTreeSet::new();
        if let Some(body) = &block.body {
            stmt_names(body, &mut names);
        }
        for name in names {
            if locals.contains_key(&name) || ports.contains(&name) {
                continue;
            }
            let Some(qualified) = self.file_signal_name(&name) else {
                if let Some(hint) = self.unseen_file_signal(&name) {
                    parts.unseen_file_objects.insert(name, hint);
                }
                continue;
            };
            let entry = self.file_signals[&qualified].clone();
            let (declared, params) = &self.file_decls[&qualified];
            // Declared in the process under the name its CHP writes (`r` of `ns::r`).
            let decl = match qualified == name {
                true => Cow::Borrowed(*declared),
                false => Cow::Owned(VarDecl {
                    name: Ident {
                        name: name.clone(),
                        span: declared.name.span.clone(),
                    },
                    ..(*declared).clone()
                }),
            };
            if matches!(decl.ty.kind, TypeKind::Chan { .. }) {
                locals.insert(name, Local::Channel(entry));
                parts.local_channels.push((decl, params.clone()));
            } else {
                locals.insert(name.clone(), Local::SharedVariable(entry));
                parts.connected_vars.insert(name);
                parts.vars.push((decl, params.clone()));
            }
        }
    }
}

/// The names a CHP statement reads or writes (its variables and channels, and the names in
/// its indices), without the variables of its replications inside their bodies.
fn stmt_names(s: &Stmt, out: &mut BTreeSet<String>) {
    let expr = expr_names;
    match &s.kind {
        StmtKind::Skip => {}
        StmtKind::Assign { target, value } => {
            expr(target, out);
            expr(value, out);
        }
        StmtKind::SetBool { target, .. } => expr(target, out),
        StmtKind::Send {
            chan: a,
            value: b,
            reply: c,
            ..
        }
        | StmtKind::Recv {
            chan: a,
            target: b,
            reply: c,
            ..
        } => {
            expr(a, out);
            b.iter().chain(c).for_each(|e| expr(e, out));
        }
        StmtKind::Seq(list) | StmtKind::Par(list) => list.iter().for_each(|s| stmt_names(s, out)),
        StmtKind::Select { arms, .. } | StmtKind::GuardedLoop(arms) => {
            for arm in arms {
                let mut inner = BTreeSet::new();
                if let Guard::Expr(g) = &arm.guard {
                    expr(g, &mut inner);
                }
                stmt_names(&arm.body, &mut inner);
                if let Some(r) = &arm.replicator {
                    inner.remove(&r.var.name);
                }
                out.append(&mut inner);
            }
        }
        StmtKind::Wait(e) => expr(e, out),
        StmtKind::Forever(body) => stmt_names(body, out),
        StmtKind::DoLoop { body, cond } => {
            stmt_names(body, out);
            expr(cond, out);
        }
        StmtKind::Replicated { var, body, .. } => {
            let mut inner = BTreeSet::new();
            stmt_names(body, &mut inner);
            inner.remove(&var.name);
            out.append(&mut inner);
        }
        StmtKind::Log { args, .. } => log_names(args, out),
        StmtKind::Assert { cond, message } => {
            expr(cond, out);
            log_names(message, out);
        }
        StmtKind::MacroCall { receiver, args, .. } => {
            expr(receiver, out);
            args.iter().for_each(|e| expr(e, out));
        }
    }
}

fn log_names(args: &[LogArg], out: &mut BTreeSet<String>) {
    for arg in args {
        if let LogArg::Expr(e) = arg {
            expr_names(e, out);
        }
    }
}

/// The names an expression uses, without the variable of a replication inside its body.
fn expr_names(e: &Expr, out: &mut BTreeSet<String>) {
    match &e.kind {
        ExprKind::Name(id) => {
            out.insert(id.name.clone());
        }
        ExprKind::Index { base, index } => {
            expr_names(base, out);
            expr_names(index, out);
        }
        ExprKind::Slice { base, lo, hi } => {
            [base, lo, hi].into_iter().for_each(|e| expr_names(e, out))
        }
        ExprKind::Field { base, .. } => expr_names(base, out),
        ExprKind::BitSlice { base, hi, lo } => [base, hi]
            .into_iter()
            .chain(lo)
            .for_each(|e| expr_names(e, out)),
        ExprKind::Probe(inner) => expr_names(inner, out),
        ExprKind::Unary { operand, .. } => expr_names(operand, out),
        ExprKind::Binary { lhs, rhs, .. } => {
            expr_names(lhs, out);
            expr_names(rhs, out);
        }
        ExprKind::Concat(parts) | ExprKind::ArrayConcat(parts) => {
            parts.iter().for_each(|p| expr_names(p, out))
        }
        ExprKind::Conditional {
            cond,
            then,
            otherwise,
        } => [cond, then, otherwise]
            .into_iter()
            .for_each(|e| expr_names(e, out)),
        ExprKind::Cast { value, width, .. } => std::iter::once(value)
            .chain(width)
            .for_each(|e| expr_names(e, out)),
        ExprKind::MethodCall { receiver, args, .. } => {
            expr_names(receiver, out);
            args.iter().for_each(|e| expr_names(e, out));
        }
        ExprKind::RecordOf { value, .. } => expr_names(value, out),
        ExprKind::Replicated { var, body, .. } => {
            let mut inner = BTreeSet::new();
            expr_names(body, &mut inner);
            inner.remove(&var.name);
            out.append(&mut inner);
        }
        ExprKind::PstructOf { args, .. } | ExprKind::Call { args, .. } => {
            args.iter().for_each(|e| expr_names(e, out))
        }
        ExprKind::Int(_) | ExprKind::Real(_) | ExprKind::Bool(_) | ExprKind::ProcessType { .. } => {
        }
    }
}
