//! A process's guards: which one holds, which ports and variables they wait on.

use super::Process;
use crate::elab::ir::{Expr, ExprKind, Span};
use crate::kernel::{LogKind, TaskId};
use crate::sim::code::Pc;
use crate::sim::error::{Fault, MutexViolation, RuntimeErrorKind};
use crate::sim::eval::{port_slot, Env};

impl Process {
    /// Registers `task` to be woken when a variable that `arms`' guards read is written by
    /// another thread or process: a port variable, or any variable of a process whose body is
    /// one parallel composition. Returns whether there is any.
    pub(in crate::sim) fn watch_guard_vars(&self, arms: &[(Expr, Pc)], task: TaskId) -> bool {
        let shares_all = self.program.shares_vars;
        let shared_slots = self.program.shared_slots;
        let mut rare = self.rare();
        let watchers = &mut rare.var_watchers;
        let before = watchers.len();
        for (guard, _) in arms {
            guard.visit_vars(&mut |v| {
                let slots = match &v.kind {
                    ExprKind::Var(slot) => *slot..*slot + 1,
                    ExprKind::Element { base, len, .. } => *base..*base + *len,
                    _ => 0..0,
                };
                for slot in slots.filter(|&s| shares_all || s < shared_slots) {
                    watchers.push((slot, task));
                }
            });
        }
        self.has_watchers.set(!watchers.is_empty());
        watchers.len() > before
    }

    /// Registers `task` to be woken when any variable the process shares with others (a wire
    /// of its channels, a port's `bool`) is written. Returns whether there is any.
    pub(in crate::sim) fn watch_shared_vars(&self, task: TaskId) -> bool {
        let mut rare = self.rare();
        let watchers = &mut rare.var_watchers;
        watchers.extend((0..self.program.shared_slots).map(|slot| (slot, task)));
        self.has_watchers.set(!watchers.is_empty());
        self.program.shared_slots > 0
    }

    /// Forgets the variables `task` was watching.
    pub(in crate::sim) fn unwatch_vars(&self, task: TaskId) {
        if self.has_watchers.get() {
            let watchers = &mut self.rare().var_watchers;
            watchers.retain(|&(_, t)| t != task);
            self.has_watchers.set(!watchers.is_empty());
        }
    }

    /// Whether `e` reads the value of a receive port on which no sender waits. actsim
    /// evaluates the guard all the same: each read of a channel of records without a
    /// sender prints its [`crate::sim::NO_WAITING_SENDER`].
    fn reads_absent_value(&self, e: &Expr) -> Result<bool, Fault> {
        let mut ports = Vec::new();
        e.visit(&mut |e| {
            if let ExprKind::ChannelValue { port, record } = &e.kind {
                ports.push((port.clone(), *record));
            }
        });
        let mut absent = false;
        for (port, record) in &ports {
            if !self.ports[self.port_slot(port)?].probe() {
                absent = true;
                if *record {
                    crate::sim::function::log_simulator_part(crate::sim::NO_WAITING_SENDER);
                }
            }
        }
        Ok(absent)
    }

    /// Evaluates the guards: the target of the one that holds; `Ok(None)` when none holds.
    /// When several hold, a `[| |]` takes the first (or one at random under
    /// `--random-choice`); any other selection or loop takes the first too, after a mutex
    /// violation ([`Process::mutex_violation`]). A guard that reads the value of a channel no
    /// sender waits on reads an undefined value (actsim's X) and does not hold. `reads_values`
    /// says whether any guard reads one.
    pub(in crate::sim) fn choose(
        &self,
        arms: &[(Expr, Pc)],
        nondeterministic: bool,
        reads_values: bool,
        span: &Span,
    ) -> Result<Option<Pc>, Fault> {
        let holds = |guard: &Expr| -> Result<bool, Fault> {
            if reads_values && self.reads_absent_value(guard)? {
                return Ok(false);
            }
            Ok(self.eval(guard)?.is_true())
        };
        let mut chosen: Option<Pc> = None;
        let mut true_count = 0usize;
        for (guard, target) in arms {
            if holds(guard)? {
                true_count += 1;
                chosen = chosen.or(Some(*target));
            }
        }
        if !nondeterministic && true_count > 1 {
            self.mutex_violation(true_count, span);
        }
        if nondeterministic && true_count > 1 && self.run.random.choices() {
            let pick = self.run.random.below(true_count);
            let mut seen = 0;
            for (guard, target) in arms {
                if holds(guard)? {
                    if seen == pick {
                        return Ok(Some(*target));
                    }
                    seen += 1;
                }
            }
        }
        Ok(chosen)
    }

    /// Several (`guards`) guards of the deterministic selection or loop at `span` hold at
    /// once: actsim's log line (whatever `filter` says, as actsim prints it), and the run
    /// counts it; the caller goes on with the first true guard, as actsim does.
    #[cold]
    fn mutex_violation(&self, guards: usize, span: &Span) {
        let ctx = &self.run.ctx;
        let line = format!("** ERROR ** multiple ({guards}) guards true, mutex violation.");
        ctx.log_unfiltered(LogKind::Violation, &line);
        (self.run.mutex_violations.borrow_mut()).note(|| MutexViolation {
            time: ctx.now(),
            process: ctx.process_name(),
            span: span.clone(),
            guards,
        });
    }

    /// The process's type as actsim's messages name it, without its namespace (`inner<>`);
    /// `None` for the file's own CHP.
    pub(in crate::sim) fn actsim_type_name(&self) -> Option<&str> {
        let type_name = &self.program.type_name;
        let without_args = type_name.split('<').next().unwrap_or_default();
        match without_args.rfind("::") {
            Some(at) => Some(&type_name[at + 2..]),
            None if type_name.is_empty() => None,
            None => Some(type_name),
        }
    }

    /// actsim's fatal error when a guard of this process waits on a probe of port `slot`
    /// while another thread waits on a probe of the same channel (see
    /// [`RuntimeErrorKind::ProbedByMultipleProcesses`]).
    #[cold]
    pub(in crate::sim) fn probed_by_many(&self, slot: usize, span: &Span) -> Fault {
        let ctx = &self.run.ctx;
        let path = ctx.process_path(ctx.current_process());
        Fault::new(
            span,
            RuntimeErrorKind::ProbedByMultipleProcesses {
                channel: self.program.ports[slot].name.clone(),
                process: self.actsim_type_name().unwrap_or("-global-").to_string(),
                instance: if path.is_empty() {
                    "<>".to_string()
                } else {
                    path
                },
            },
        )
    }

    /// The ports probed by `arms`' guards, into `out`.
    pub(in crate::sim) fn probed_ports(
        &self,
        arms: &[(Expr, Pc)],
        out: &mut Vec<usize>,
    ) -> Result<(), Fault> {
        out.clear();
        let vars = self.vars.borrow();
        let env = Env {
            vars: &vars,
            ports: &self.ports,
        };
        for (guard, _) in arms {
            collect_probes(guard, &env, out)?;
        }
        Ok(())
    }
}

fn collect_probes(e: &Expr, env: &Env<'_>, out: &mut Vec<usize>) -> Result<(), Fault> {
    match &e.kind {
        ExprKind::Probe(port) => out.push(port_slot(port, env)?),
        // Wired, it waits on the wires it reads (shared variables).
        ExprKind::WiredProbe { slot, .. } => out.push(*slot),
        ExprKind::Const(_) | ExprKind::Var(_) => {}
        ExprKind::Element { index, .. } => collect_probes(index, env, out)?,
        ExprKind::Unary(_, a) | ExprKind::Bits { inner: a, .. } | ExprKind::Resize(a) => {
            collect_probes(a, env, out)?
        }
        // Like actsim, reading a channel's value does not make a guard wait on the channel.
        ExprKind::ChannelValue { .. } | ExprKind::StructureAsValue(_) => {}
        ExprKind::Conditional(c, a, b) => {
            collect_probes(c, env, out)?;
            collect_probes(a, env, out)?;
            collect_probes(b, env, out)?;
        }
        ExprKind::Binary(_, a, b) => {
            collect_probes(a, env, out)?;
            collect_probes(b, env, out)?;
        }
        ExprKind::FieldElement { inner, at } => {
            collect_probes(inner, env, out)?;
            collect_probes(&at.index, env, out)?;
        }
        ExprKind::Concat(parts) | ExprKind::Call(_, parts) => {
            for p in parts {
                collect_probes(p, env, out)?;
            }
        }
    }
    Ok(())
}
