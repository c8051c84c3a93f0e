//! Reading and writing a paused run's state by name, for actsim's commands (`get`, `set`,
//! `status`): a variable of a process (`c.x`, `b[2].mem[3]`, a record's field `p.k.a`) or a
//! node of the circuit (`r.x[5]`, `Vdd`). Only a run started with
//! [`super::RunOptions::inspectable`] keeps what this needs; `chpsim run` never pays for it.
use std::cell::RefCell;
use std::rc::Rc;

use num_bigint::BigUint;

use super::code::{Instr, Pc};
use super::eval::{extract_bits, insert_bits};
use super::place::{BitSpan, Vars};
use super::process::{Inspection, Position, Process};
use super::value::Value;
use super::Running;
use crate::elab::ir::{GlobalVar, Place, PortRef, SharedPiece, Span, Ty};
use crate::kernel::{Level, NodeId, Queued, Time, VarId};
use crate::source_map::SourceMap;

/// A variable found by name: a process's variable slot, or a field (bits) of one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct VarRef {
    process: usize,
    slot: usize,
    /// For a field of a record: its lowest bit and type.
    field: Option<(u32, Ty)>,
}

/// What a name stands for in a running design.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    Variable(VarRef),
    Node(NodeId),
}

/// An event waiting in the queue, as actsim's `pending -v` tells what it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PendingEvent {
    /// A statement (or wake-up) of a CHP process: its type and instance path (empty for the
    /// top process).
    Chp { type_name: String, path: String },
    /// A transition of the circuit.
    Prs(crate::prs::run::QueuedTransition),
    /// An event that is no process's: actsim's delayed trace of a watched send.
    Other,
}

/// The value of a variable or node, as actsim shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Shown {
    /// A bool or a node: 0, 1 or X.
    Bit(Level),
    /// An integer.
    Int(BigUint),
}

/// Why a `set` was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SetError {
    /// The value does not fit the variable's width.
    TooWide,
}

/// A process as actsim's `procinfo` shows it: its instance path, its type (`prod<>`), and
/// for each of its threads (by slot) what it is at (`send: R`, `cond: `).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ProcInfo {
    pub path: String,
    pub type_name: String,
    pub threads: Vec<(usize, String)>,
}

/// What a paused run keeps for its commands: each process with its instance path.
#[derive(Default)]
pub(crate) struct Processes {
    pub(super) list: Vec<(String, Rc<Process>)>,
    /// The file scope's shared variables by name (see [`crate::elab::ir::Design::global_vars`]).
    pub(super) globals: Vec<GlobalVar>,
    /// By channel: the ends the command line may drive (`send`, `recv`).
    pub(super) env_ends: std::collections::HashMap<usize, super::control::EnvEnd>,
}

impl Running {
    /// The variable or node `name` names, as actsim writes it: the instance path, a dot, then
    /// the name inside the process (the top process's names have no path).
    /// A wire below an element of an array is found as actsim names it (`s.p[1].d.f[0]`) as
    /// well as by the array of wires chpsim declares (`s.p.d.f[1][0]`).
    pub(crate) fn find(&self, name: &str) -> Option<Target> {
        self.find_as(name).map(|(target, _)| target)
    }

    /// [`Running::find`], with the name it was found by (`name` or its wire array form).
    pub(crate) fn find_as(&self, name: &str) -> Option<(Target, String)> {
        std::iter::once(name.to_string())
            .chain(wire_array_names(name))
            .find_map(|name| Some((self.find_exact(&name)?, name)))
    }

    fn find_exact(&self, name: &str) -> Option<Target> {
        if let Some(node) = self.find_node(name) {
            return Some(Target::Node(node));
        }
        if let Some(var) = self.find_variable(name) {
            return Some(match self.node_of_field(&var) {
                Some(node) => Target::Node(node),
                None => Target::Variable(var),
            });
        }
        self.find_global(name).map(Target::Variable)
    }

    /// The node a `bool` field of a process's record is, if it is one (`p.r.a` of a record
    /// port `r` whose field `a` the circuit reads): actsim has one bool, which the field's
    /// name and the node's names all watch, get and set.
    fn node_of_field(&self, var: &VarRef) -> Option<NodeId> {
        let (lo, Ty::Bool) = var.field? else {
            return None;
        };
        let circuit = self.run.circuit.as_ref()?;
        let process = &self.processes.list[var.process].1;
        let shared = process.shared_var(var.slot)?;
        let whole = SharedPiece {
            shared,
            lo: 0,
            width: process.program.vars[var.slot].ty.width(),
        };
        let rare = process.rare();
        let pieces = SharedPiece::held(rare.pieces.as_deref(), var.slot, &whole);
        let piece = pieces.iter().find(|p| p.lo == lo && p.width == 1)?;
        circuit.node_of_var(piece.shared)
    }

    /// A file-scope variable that processes share (`Vdd` connected to ports), or a field of
    /// a file-scope record (`r.x`), as a copy holding its bits: one holding those bits alone
    /// (the first process's), else one holding them among others (the record's, for a field).
    /// A write to it reaches every copy.
    fn find_global(&self, name: &str) -> Option<VarRef> {
        let globals = &self.processes.globals;
        let at = (globals.binary_search_by(|g| g.name.as_str().cmp(name))).ok()?;
        let global = &globals[at];
        let width = global.ty.width();
        let mut holding = None;
        for (process, (_, state)) in self.processes.list.iter().enumerate() {
            let rare = state.rare.borrow();
            let Some(rare) = rare.as_ref() else {
                continue;
            };
            for (slot, &shared) in rare.shared.iter().enumerate() {
                let var_width = state.program.vars[slot].ty.width();
                let whole = SharedPiece {
                    shared,
                    lo: 0,
                    width: var_width,
                };
                let pieces = SharedPiece::held(rare.pieces.as_deref(), slot, &whole);
                let Some(lo) = global_at(global, pieces) else {
                    continue;
                };
                if (lo, width) == (0, var_width) {
                    return Some(VarRef {
                        process,
                        slot,
                        field: None,
                    });
                }
                if holding.is_none() && lo + width <= var_width {
                    holding = Some(VarRef {
                        process,
                        slot,
                        field: Some((lo, global.ty)),
                    });
                }
            }
        }
        holding
    }

    fn find_node(&self, name: &str) -> Option<NodeId> {
        let circuit = self.run.circuit.as_ref()?;
        circuit.find_node(name)
    }

    fn find_variable(&self, name: &str) -> Option<VarRef> {
        for (process, (path, state)) in self.processes.list.iter().enumerate() {
            let local = if path.is_empty() {
                name
            } else {
                match name.strip_prefix(path.as_str()) {
                    Some(rest) => match rest.strip_prefix('.') {
                        Some(local) => local,
                        None => continue,
                    },
                    None => continue,
                }
            };
            // actsim has no state for a variable no statement names (nor one a `log` alone
            // names): its commands do not find it.
            let named = state.program.named_slots();
            for (slot, var) in state.program.vars.iter().enumerate() {
                if !named[slot] {
                    continue;
                }
                if var.name == local {
                    return Some(VarRef {
                        process,
                        slot,
                        field: None,
                    });
                }
                let field = (local.strip_prefix(var.name.as_str()))
                    .and_then(|rest| rest.strip_prefix('.'))
                    .and_then(|rest| var.fields.iter().find(|f| f.name == rest));
                if let Some(field) = field {
                    return Some(VarRef {
                        process,
                        slot,
                        field: Some((field.lo, field.ty)),
                    });
                }
            }
        }
        None
    }

    /// Where each process's threads are (actsim's `procinfo`), for the processes whose path
    /// is `instance` or lies inside it (all of them for `None`); `sources` gives the
    /// statements' names.
    pub(crate) fn procinfo(&self, instance: Option<&str>, sources: &SourceMap) -> Vec<ProcInfo> {
        let mut infos = Vec::new();
        for (path, process, inspection) in self.inspected(instance) {
            let threads = (inspection.borrow().positions.iter().enumerate())
                .filter_map(|(slot, position)| match position {
                    Position::At(pc) => Some((slot, describe(process, *pc, sources))),
                    _ => None,
                })
                .collect();
            infos.push(ProcInfo {
                path: path.clone(),
                type_name: process.program.type_name.clone(),
                threads,
            });
        }
        infos
    }

    /// The energy each process has used so far (its statements' energies, see
    /// [`crate::elab::delays`]), by path: actsim's `energy` and `procinfo`.
    pub(crate) fn energies(&self) -> Vec<(String, u64)> {
        (self.processes.list.iter())
            .map(|(path, process)| (path.clone(), process.energy.get()))
            .collect()
    }

    /// The waveform variables that are copies of one shared place (a `bool` or `int` port
    /// connected between processes, a field of records connected whole, of the same type or
    /// one refining the other), a group per place with two or more: actsim, where they are
    /// one place, watches them as one.
    pub(crate) fn shared_copies(&self) -> Vec<Vec<VarId>> {
        let mut groups: Vec<Vec<VarId>> = Vec::new();
        let mut group_of = std::collections::HashMap::new();
        for (_, process) in &self.processes.list {
            let Some(traced) = &process.traced else {
                continue;
            };
            for slot in 0..process.program.vars.len() {
                let (Some(shared), Some(first)) = (process.shared_var(slot), traced.id(slot))
                else {
                    continue;
                };
                let var = &process.program.vars[slot];
                let whole = SharedPiece {
                    shared,
                    lo: 0,
                    width: var.ty.width(),
                };
                let rare = process.rare();
                let pieces = SharedPiece::held(rare.pieces.as_deref(), slot, &whole);
                // A record is one waveform variable per field, numbered from its first.
                let parts: Vec<(u32, u32)> = match var.fields.is_empty() {
                    true => vec![(0, var.ty.width())],
                    false => var.fields.iter().map(|f| (f.lo, f.ty.width())).collect(),
                };
                for (k, (lo, width)) in parts.into_iter().enumerate() {
                    let group = *group_of
                        .entry(place_of_bits(pieces, lo, width))
                        .or_insert_with(|| {
                            groups.push(Vec::new());
                            groups.len() - 1
                        });
                    groups[group].push(VarId::from_index(first.index() + k));
                }
            }
        }
        groups.retain(|g| g.len() > 1);
        groups
    }

    /// The events pending, in the order actsim's `pending -v` walks its heap (see
    /// [`crate::kernel::Ctx::queued`]), each with the ticks from now to its time. The
    /// circuit's own task is no event of actsim's and is left out; a retracted transition,
    /// which actsim's queue keeps until its time, is in.
    pub(crate) fn pending_events(&self) -> Vec<(Time, PendingEvent)> {
        let ctx = &self.run.ctx;
        let now = ctx.now();
        let type_of = |path: &str| {
            (self.processes.list.iter())
                .find(|(p, _)| p == path)
                .map_or_else(String::new, |(_, process)| {
                    process.program.type_name.clone()
                })
        };
        (ctx.queued().into_iter())
            .filter_map(|(time, queued)| {
                let event = match queued {
                    Queued::Task { daemon: true, .. } => return None,
                    Queued::Task { process, .. } => {
                        let path = ctx.process_path(process);
                        PendingEvent::Chp {
                            type_name: type_of(&path),
                            path,
                        }
                    }
                    Queued::Circuit(slot) => {
                        PendingEvent::Prs(self.run.circuit.as_ref()?.queued_transition(slot))
                    }
                    Queued::Nothing => PendingEvent::Other,
                };
                Some((time.saturating_sub(now), event))
            })
            .collect()
    }

    /// The processes whose path is `instance` or lies inside it (all of them for `None`),
    /// with what their threads note.
    pub(super) fn inspected<'a>(
        &'a self,
        instance: Option<&'a str>,
    ) -> impl Iterator<Item = (&'a String, &'a Process, &'a RefCell<Inspection>)> + 'a {
        (self.processes.list.iter())
            .filter(move |(path, _)| inside(instance, path))
            .filter_map(|(path, process)| Some((path, &**process, process.inspection.as_deref()?)))
    }

    /// The full (canonical) name of what `target` names, which the run's observers know it by
    /// (a node found by another of its names; a variable found by a file-scope name, `r.x`,
    /// as the process's variable or field holding it).
    pub(crate) fn canonical_name(&self, target: &Target) -> Option<String> {
        match target {
            Target::Node(node) => Some(self.run.circuit.as_ref()?.node_name(*node)),
            Target::Variable(var) => {
                let (path, process) = &self.processes.list[var.process];
                let slot = &process.program.vars[var.slot];
                let name = match var.field {
                    None => slot.name.clone(),
                    Some((lo, ty)) => {
                        let field = slot.fields.iter().find(|f| f.lo == lo && f.ty == ty)?;
                        format!("{}.{}", slot.name, field.name)
                    }
                };
                Some(full_name(path, &name))
            }
        }
    }

    /// The value `target` holds now.
    pub(crate) fn value(&self, target: &Target) -> Shown {
        match target {
            Target::Node(node) => Shown::Bit(match &self.run.circuit {
                Some(circuit) => circuit.node_value(*node),
                None => Level::X,
            }),
            Target::Variable(var) => {
                let process = &self.processes.list[var.process].1;
                let ty = var_type(process, var);
                let whole = process.vars.borrow()[var.slot].clone();
                let value = match var.field {
                    Some((lo, ty)) => extract_bits(whole, lo + ty.width() - 1, lo),
                    None => whole,
                };
                if ty != Ty::Bool {
                    return Shown::Int(value.to_big());
                }
                let bit = var.field.map_or(0, |(lo, _)| lo);
                let undefined = process.is_undefined(var.slot, bit);
                Shown::Bit(match (undefined, value.is_true()) {
                    (true, _) => Level::X,
                    (false, true) => Level::One,
                    (false, false) => Level::Zero,
                })
            }
        }
    }

    /// actsim's `mode reset` (`on`) and `mode run`: the circuit's reset mode, in which its
    /// weak-interference and weak-unstable warnings and timing forks are off, and the
    /// processes running CHP are held (each of their events is put off; see
    /// [`super::process::RunShared::reset_mode`]).
    pub(crate) fn set_reset_mode(&self, on: bool) {
        if let Some(circuit) = &self.run.circuit {
            circuit.set_reset_mode(on);
        }
        self.run.reset_mode.set(on);
    }

    /// Whether actsim's reset mode is on (see [`Running::set_reset_mode`]).
    pub(crate) fn in_reset_mode(&self) -> bool {
        self.run.reset_mode.get()
    }

    /// Whether a transition, or an event of a process running its HSE, is pending, as actsim's
    /// `cycle` in reset mode sees it (its `_match_hseprs`; the events of a node with several
    /// drivers are not seen, as in the reset phase: [`crate::prs::run::Circuit::is_pending`]).
    pub(crate) fn circuit_or_hse_pending(&self) -> bool {
        self.run.circuit.as_ref().is_some_and(|c| c.is_pending())
            || (self.processes.list.iter()).any(|(_, p)| p.program.hse && p.has_pending_event())
    }

    /// The width of `target` in bits (a bool or node is 1).
    pub(crate) fn width(&self, target: &Target) -> u32 {
        match target {
            Target::Node(_) => 1,
            Target::Variable(var) => var_type(&self.processes.list[var.process].1, var).width(),
        }
    }

    /// Whether `target` is a bool (or a node) rather than an integer.
    pub(crate) fn is_bit(&self, target: &Target) -> bool {
        match target {
            Target::Node(_) => true,
            Target::Variable(var) => var_type(&self.processes.list[var.process].1, var) == Ty::Bool,
        }
    }

    /// Sets `target` from outside the design (actsim's `set`): the guards waiting on it, its
    /// shared copies and the rules reading it see the change now. A bool set to X holds X
    /// again, in every copy, and reads as 0 (see [`Process::spread_x`]).
    pub(crate) fn set(&self, target: &Target, value: &Shown) -> Result<(), SetError> {
        match target {
            Target::Node(node) => {
                if let (Some(circuit), Shown::Bit(level)) = (&self.run.circuit, value) {
                    circuit.set_node(*node, *level);
                }
                Ok(())
            }
            Target::Variable(var) => {
                let process = &self.processes.list[var.process].1;
                let ty = var_type(process, var);
                let new = match value {
                    Shown::Bit(Level::X) => {
                        process.spread_x(var.slot, var.field.map_or(0, |(lo, _)| lo));
                        return Ok(());
                    }
                    Shown::Bit(level) => Value::from_bool(*level == Level::One),
                    Shown::Int(v) => {
                        if v.bits() > u64::from(ty.width()) {
                            return Err(SetError::TooWide);
                        }
                        Value::from_big(v.clone(), ty.width())
                    }
                };
                let whole_ty = process.program.vars[var.slot].ty;
                let (whole, bits) = match var.field {
                    Some((lo, ty)) => {
                        let old = process.vars.borrow()[var.slot].clone();
                        let hi = lo + ty.width() - 1;
                        let whole = insert_bits(old, new, hi, lo, whole_ty.width());
                        (whole, Some(BitSpan::new(lo, hi)))
                    }
                    None => (new, None),
                };
                let mut writer: &Process = process;
                writer.set(var.slot, whole_ty, whole, bits);
                Ok(())
            }
        }
    }

    /// actsim's `status`: per instance with production rules, the nodes its rules drive that
    /// are at `level` now, as the circuit gives them.
    pub(crate) fn driven_at(&self, level: Level) -> Vec<(String, Vec<String>)> {
        (self.run.circuit.as_ref()).map_or_else(Vec::new, |circuit| circuit.driven_at(level))
    }

    /// When the top process has rules, its `bool` ports at `level`; `None` otherwise.
    pub(crate) fn top_ports_at(&self, level: Level) -> Option<Vec<String>> {
        (self.run.circuit.as_ref()).and_then(|circuit| circuit.top_ports_at(level))
    }

    /// Every name `find` knows, for the prompt's completion: instance paths, variables and
    /// nodes.
    pub(crate) fn names(&self) -> Vec<String> {
        let mut names = Vec::new();
        for (path, process) in &self.processes.list {
            if !path.is_empty() {
                names.push(path.clone());
            }
            for var in &process.program.vars {
                names.push(full_name(path, &var.name));
            }
        }
        if let Some(circuit) = &self.run.circuit {
            names.extend(circuit.node_names());
        }
        names
    }
}

/// The names a wire below an element of an array (`h.s.p[1].d.f[0]`) may have as an element
/// of the wire array chpsim declares, whose dimensions are those of every array on the way,
/// in order: from each part of the dotted name on (the parts before it being instances, which
/// keep their indices), the indices moved after the last part (`h.s.p.d.f[1][0]`). Only
/// names with an index before their last part have such forms.
fn wire_array_names(name: &str) -> Vec<String> {
    let parts: Vec<&str> = name.split('.').collect();
    let mut forms: Vec<String> = Vec::new();
    for from in 0..parts.len().saturating_sub(1) {
        let (kept, moved) = parts.split_at(from);
        if moved[..moved.len() - 1].iter().all(|p| !p.contains('[')) {
            break;
        }
        let names: Vec<&str> = moved.iter().map(|p| name_and_indices(p).0).collect();
        let indices: String = moved.iter().map(|p| name_and_indices(p).1).collect();
        let mut form = kept.join(".");
        if !form.is_empty() {
            form.push('.');
        }
        form.push_str(&names.join("."));
        form.push_str(&indices);
        if !forms.contains(&form) {
            forms.push(form);
        }
    }
    forms
}

/// A part of a dotted name (`p[1]`) as its name and its indices (`p`, `[1]`).
fn name_and_indices(part: &str) -> (&str, &str) {
    part.split_at(part.find('[').unwrap_or(part.len()))
}

/// Whether the process at `path` is `instance` or inside it (every process for `None`).
fn inside(instance: Option<&str>, path: &str) -> bool {
    match instance {
        None => true,
        Some(i) => {
            path == i
                || path
                    .strip_prefix(i)
                    .is_some_and(|r| r.starts_with(['.', '[']))
        }
    }
}

/// The source text of `span`.
pub(super) fn source_text(span: &Span, sources: &SourceMap) -> String {
    let Some(file) = sources.file_of(span.start) else {
        return "-?-".to_string();
    };
    let (start, end) = (file.local(span.start), file.local(span.end));
    file.text
        .get(start..end.min(file.text.len()))
        .unwrap_or("")
        .to_string()
}

/// The instruction at `pc` as actsim's `procinfo` names the statement a thread is at:
/// `send: R`, `recv: L`, `assign: x`, `cond: `, `cond-arb: `, `loop: `, `nop `, `func`, and
/// `concur-fork:` followed by each branch's first statement. A channel or variable is named
/// as the process declares it, an element chosen at run time as its array's name and `[]`
/// (`L[]`, as actsim prints it), one chosen by a constant (a replication's) as that element
/// (`L[2]`); a place of another kind (a record's field, a bit field) as the source writes it.
fn describe(process: &Process, pc: Pc, sources: &SourceMap) -> String {
    let text = |span: &Span, cut: &[&str]| {
        let whole = source_text(span, sources);
        let name = cut
            .iter()
            .filter_map(|c| whole.find(c))
            .min()
            .map_or(whole.as_str(), |at| &whole[..at]);
        name.trim().trim_end_matches(['+', '-']).trim().to_string()
    };
    let array = |name: &str| format!("{}[]", name.split('[').next().unwrap_or(name));
    let program = &process.program;
    let port = |port: &PortRef| match port {
        PortRef::Fixed(slot) => program.ports[*slot].name.clone(),
        PortRef::Element { base, .. } => array(&program.ports[*base].name),
    };
    match &process.code[pc] {
        Instr::Send { port: p, .. } => format!("send: {}", port(p)),
        Instr::Receive { port: p, .. } => format!("recv: {}", port(p)),
        Instr::Assign { target, span, .. } => match target {
            Place::Var { slot, .. } => format!("assign: {}", program.vars[*slot].name),
            Place::Element { base, .. } => format!("assign: {}", array(&program.vars[*base].name)),
            _ => format!("assign: {}", text(span, &[":="])),
        },
        Instr::Select {
            nondeterministic, ..
        } => if *nondeterministic {
            "cond-arb: "
        } else {
            "cond: "
        }
        .to_string(),
        Instr::JumpIf { .. } => "loop: ".to_string(),
        // The event of a fork, a log line or an assertion (see `Compiler::actsim_event`) is
        // that statement's, in actsim's graph.
        Instr::Pause { .. }
            if matches!(
                process.code.get(pc + 1),
                Some(Instr::Fork { .. } | Instr::Log { .. } | Instr::Assert { .. })
            ) =>
        {
            describe(process, pc + 1, sources)
        }
        Instr::Pause { .. } => "nop ".to_string(),
        Instr::Fork { branches, .. } => {
            let mut line = "concur-fork:".to_string();
            for &branch in branches {
                line.push(' ');
                line.push_str(&describe(process, branch, sources));
            }
            line
        }
        _ => "func".to_string(),
    }
}

fn var_type(process: &Process, var: &VarRef) -> Ty {
    match var.field {
        Some((_, ty)) => ty,
        None => process.program.vars[var.slot].ty,
    }
}

/// `path.name`, or `name` in the top process.
pub(crate) fn full_name(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// Where a variable made of the lines `pieces` holds `global`'s bits: the bit of the variable
/// its bit 0 is, when the variable holds every line of it in order.
fn global_at(global: &GlobalVar, pieces: &[SharedPiece]) -> Option<u32> {
    let lines = &global.lines;
    (0..pieces.len()).find_map(|i| {
        let run = pieces.get(i..i + lines.len())?;
        (run.iter().zip(lines.iter()))
            .all(|(p, &l)| p.shared == l)
            .then(|| pieces[i].lo + global.first_line_at)
    })
}

/// Where bits `lo .. lo + width` of a variable made of shared variables `pieces` lie: the
/// shared variables they take bits of, from which bit, how many.
fn place_of_bits(pieces: &[SharedPiece], lo: u32, width: u32) -> Vec<(usize, u32, u32)> {
    let hi = lo + width;
    (pieces.iter())
        .filter(|p| p.lo < hi && lo < p.lo + p.width)
        .map(|p| {
            let from = lo.max(p.lo);
            (p.shared, from - p.lo, hi.min(p.lo + p.width) - from)
        })
        .collect()
}
