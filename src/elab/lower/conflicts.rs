//! ACT's check on parallel composition `S1, S2`: no branch may write what another branch reads
//! or writes (a variable, or a channel, which a send or receive "writes"), since the branches
//! run at the same time. Array elements with constant indices are apart (`x[0] := 1, x[1] := 2`
//! is fine); an array indexed by a run-time value anywhere in the composition counts as a whole.
//! Indices themselves are not counted as reads, as in ACT.

use std::collections::HashSet;

use crate::elab::consts::{eval_const, Params};
use crate::front::ast::{self, Expr, ExprKind, Guard, StmtKind};

/// What one branch reads and writes, by reference as written (`x`, `x[3]`, `r.f`).
#[derive(Default)]
struct RwSets {
    reads: Vec<Ref>,
    writes: Vec<Ref>,
}

/// A reference's key, and the declared name it starts from.
struct Ref {
    key: String,
    root: String,
}

/// The names every branch of `branches` conflicts on (each once), in the order found.
pub(super) fn parallel_conflicts(branches: &[ast::Stmt], params: &Params) -> Vec<String> {
    let mut dynamic = HashSet::new();
    let sets: Vec<RwSets> = branches
        .iter()
        .map(|b| {
            let mut sets = RwSets::default();
            stmt_sets(b, params, &mut sets, &mut dynamic);
            sets
        })
        .collect();
    let key = |r: &Ref| {
        if dynamic.contains(&r.root) {
            r.root.clone()
        } else {
            r.key.clone()
        }
    };
    let keys = |refs: &[Ref]| refs.iter().map(key).collect::<Vec<_>>();
    let mut conflicts = Vec::new();
    for (i, a) in sets.iter().enumerate() {
        for (j, b) in sets.iter().enumerate() {
            if i == j {
                continue;
            }
            let b_writes = keys(&b.writes);
            let touched = keys(&a.reads).into_iter().chain(keys(&a.writes));
            if let Some(name) = touched.into_iter().find(|k| b_writes.contains(k)) {
                if !conflicts.contains(&name) {
                    conflicts.push(name);
                }
            }
        }
    }
    conflicts
}

fn stmt_sets(s: &ast::Stmt, params: &Params, sets: &mut RwSets, dynamic: &mut HashSet<String>) {
    let read = |e: &Expr, sets: &mut RwSets, dynamic: &mut HashSet<String>| {
        expr_reads(e, params, sets, dynamic)
    };
    match &s.kind {
        StmtKind::Skip | StmtKind::MacroCall { .. } | StmtKind::Log { .. } => {}
        StmtKind::Assert { .. } => {}
        StmtKind::Assign { target, value } => {
            read(value, sets, dynamic);
            write(target, params, sets, dynamic);
        }
        StmtKind::SetBool { target, .. } => write(target, params, sets, dynamic),
        StmtKind::Send {
            chan, value, reply, ..
        } => {
            write(chan, params, sets, dynamic);
            if let Some(v) = value {
                read(v, sets, dynamic);
            }
            if let Some(r) = reply {
                write(r, params, sets, dynamic);
            }
        }
        StmtKind::Recv {
            chan,
            target,
            reply,
            ..
        } => {
            write(chan, params, sets, dynamic);
            if let Some(t) = target {
                let t = match &t.kind {
                    ExprKind::Cast { value, .. } => value,
                    _ => t,
                };
                write(t, params, sets, dynamic);
            }
            if let Some(r) = reply {
                read(r, sets, dynamic);
            }
        }
        StmtKind::Seq(items) | StmtKind::Par(items) => {
            for item in items {
                stmt_sets(item, params, sets, dynamic);
            }
        }
        StmtKind::Select { arms, .. } | StmtKind::GuardedLoop(arms) => {
            for arm in arms {
                if let Guard::Expr(g) = &arm.guard {
                    read(g, sets, dynamic);
                }
                stmt_sets(&arm.body, params, sets, dynamic);
            }
        }
        StmtKind::Wait(g) => read(g, sets, dynamic),
        StmtKind::Forever(body) | StmtKind::Replicated { body, .. } => {
            stmt_sets(body, params, sets, dynamic)
        }
        StmtKind::DoLoop { body, cond } => {
            stmt_sets(body, params, sets, dynamic);
            read(cond, sets, dynamic);
        }
    }
}

fn write(e: &Expr, params: &Params, sets: &mut RwSets, dynamic: &mut HashSet<String>) {
    if let Some(r) = reference(e, params, dynamic) {
        sets.writes.push(r);
    }
}

fn expr_reads(e: &Expr, params: &Params, sets: &mut RwSets, dynamic: &mut HashSet<String>) {
    let mut go = |e: &Expr| expr_reads(e, params, sets, dynamic);
    match &e.kind {
        ExprKind::Name(_) | ExprKind::Index { .. } | ExprKind::Field { .. } => {
            if let Some(r) = reference(e, params, dynamic) {
                sets.reads.push(r);
            }
        }
        ExprKind::BitSlice { base, .. } | ExprKind::Probe(base) => go(base),
        ExprKind::Unary { operand, .. } => go(operand),
        ExprKind::Binary { lhs, rhs, .. } => {
            go(lhs);
            go(rhs);
        }
        ExprKind::Concat(parts) => parts.iter().for_each(go),
        ExprKind::Conditional {
            cond,
            then,
            otherwise,
        } => {
            go(cond);
            go(then);
            go(otherwise);
        }
        ExprKind::Cast { value, .. } | ExprKind::RecordOf { value, .. } => go(value),
        ExprKind::Call { args, .. } => args.iter().for_each(go),
        ExprKind::MethodCall { receiver, args, .. } => {
            go(receiver);
            args.iter().for_each(go);
        }
        ExprKind::Replicated { body, .. } => go(body),
        ExprKind::Int(_) | ExprKind::Real(_) | ExprKind::Bool(_) => {}
    }
}

/// `x`, `x[3]`, `r.f` as a key; an index that is no constant marks its array `dynamic`.
fn reference(e: &Expr, params: &Params, dynamic: &mut HashSet<String>) -> Option<Ref> {
    let root = e.root_name()?.to_string();
    let key = key(e, params, dynamic, &root)?;
    Some(Ref { key, root })
}

fn key(e: &Expr, params: &Params, dynamic: &mut HashSet<String>, root: &str) -> Option<String> {
    Some(match &e.kind {
        ExprKind::Name(id) => id.name.clone(),
        ExprKind::Index { base, index } => {
            let base = key(base, params, dynamic, root)?;
            match eval_const(index, params) {
                Ok(i) => format!("{base}[{i}]"),
                Err(_) => {
                    dynamic.insert(root.to_string());
                    base
                }
            }
        }
        ExprKind::Field { base, field } => {
            format!("{}.{}", key(base, params, dynamic, root)?, field.name)
        }
        ExprKind::BitSlice { base, .. } => key(base, params, dynamic, root)?,
        _ => return None,
    })
}
