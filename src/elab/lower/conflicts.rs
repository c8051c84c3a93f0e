//! ACT's check on parallel composition `S1, S2`: no branch may write what another branch reads
//! or writes (a variable, or a channel, which a send or receive "writes"), since the branches
//! run at the same time. Array elements with constant indices are apart (`x[0] := 1, x[1] := 2`
//! is fine); an array indexed by a run-time value anywhere in the process counts as a whole.
//! Indices themselves are not counted as reads, as in ACT. The process's outermost parallel
//! composition is not checked (its branches are processes of their own to ACT), only what
//! each of its branches does inside.

use std::collections::HashSet;

use crate::elab::consts::{eval_const, Params};
use crate::front::ast::{self, Expr, ExprKind, Guard, IterRange, StmtKind};

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

/// The arrays `body` indexes at run time somewhere: every use of them counts as the whole.
pub(super) fn dynamic_arrays(body: &ast::Stmt, params: &Params) -> HashSet<String> {
    let mut dynamic = HashSet::new();
    stmt_sets(
        body,
        &mut params.clone(),
        &mut RwSets::default(),
        &mut dynamic,
    );
    dynamic
}

/// The names the branches conflict on (each once), in the order found: each branch is a
/// statement with the parameters it runs under (a parallel replication `(, i : N : S)` gives
/// one branch per value of `i`); `dynamic` are the process's [`dynamic_arrays`].
pub(super) fn parallel_conflicts(
    branches: &[(&ast::Stmt, Params)],
    dynamic: &HashSet<String>,
) -> Vec<String> {
    let mut dynamic = dynamic.clone();
    let sets: Vec<RwSets> = branches
        .iter()
        .map(|(b, params)| {
            let mut sets = RwSets::default();
            let mut params = params.clone();
            stmt_sets(b, &mut params, &mut sets, &mut dynamic);
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

fn stmt_sets(s: &ast::Stmt, params: &mut Params, sets: &mut RwSets, dynamic: &mut HashSet<String>) {
    let read = |e: &Expr, params: &Params, sets: &mut RwSets, dynamic: &mut HashSet<String>| {
        expr_reads(e, params, sets, dynamic)
    };
    match &s.kind {
        StmtKind::Skip | StmtKind::MacroCall { .. } | StmtKind::Log { .. } => {}
        StmtKind::Assert { .. } => {}
        StmtKind::Assign { target, value } => {
            read(value, params, sets, dynamic);
            write(target, params, sets, dynamic);
        }
        StmtKind::SetBool { target, .. } => write(target, params, sets, dynamic),
        StmtKind::Send {
            chan, value, reply, ..
        } => {
            write(chan, params, sets, dynamic);
            if let Some(v) = value {
                read(v, params, sets, dynamic);
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
                read(r, params, sets, dynamic);
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
                    read(g, params, sets, dynamic);
                }
                stmt_sets(&arm.body, params, sets, dynamic);
            }
        }
        StmtKind::Wait(g) => read(g, params, sets, dynamic),
        StmtKind::Forever(body) => stmt_sets(body, params, sets, dynamic),
        StmtKind::Replicated {
            var, range, body, ..
        } => {
            // As ACT, on the expanded statements: `x[i]` is one element per value of `i`.
            for value in range_values(range, params) {
                let shadowed = params.bind(&var.name, value);
                stmt_sets(body, params, sets, dynamic);
                params.unbind(&var.name, shadowed);
            }
        }
        StmtKind::DoLoop { body, cond } => {
            stmt_sets(body, params, sets, dynamic);
            read(cond, params, sets, dynamic);
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
        ExprKind::BitSlice { base, .. } | ExprKind::Slice { base, .. } | ExprKind::Probe(base) => {
            go(base)
        }
        ExprKind::Unary { operand, .. } => go(operand),
        ExprKind::Binary { lhs, rhs, .. } => {
            go(lhs);
            go(rhs);
        }
        ExprKind::Concat(parts) | ExprKind::ArrayConcat(parts) => parts.iter().for_each(go),
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
        ExprKind::Call { args, .. } | ExprKind::PstructOf { args, .. } => args.iter().for_each(go),
        ExprKind::MethodCall { receiver, args, .. } => {
            go(receiver);
            args.iter().for_each(go);
        }
        ExprKind::Replicated { body, .. } => go(body),
        ExprKind::Int(_) | ExprKind::Real(_) | ExprKind::Bool(_) | ExprKind::ProcessType { .. } => {
        }
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

/// The values of a replication's range (none when it is no constant: reported elsewhere).
pub(super) fn range_values(range: &IterRange, params: &Params) -> Vec<i64> {
    let bounds = match range {
        IterRange::Count(n) => eval_const(n, params).map(|n| (0, n - 1)),
        IterRange::Inclusive(lo, hi) => {
            eval_const(lo, params).and_then(|lo| Ok((lo, eval_const(hi, params)?)))
        }
    };
    match bounds {
        // A replication too long to lower is reported where it is lowered.
        Ok((lo, hi)) if hi.saturating_sub(lo) < 1 << 16 => (lo..=hi).collect(),
        _ => Vec::new(),
    }
}
