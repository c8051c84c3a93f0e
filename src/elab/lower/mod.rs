//! Lowering a process's CHP to the resolved IR: names become slots, expressions get ACT's
//! widths, and types are checked.
//!
//! Widths (as ACT): `a+b`, `a-b`: one more than the wider operand; `a*b`: the sum of the widths;
//! `a/b`: the width of `a`; `a%b`: the width of `b`; `& | ^`: the wider operand; `a<<c` for a
//! constant `c`: `a`'s width plus `c` (for a variable shift: `a`'s width); `a>>b`, `a>>>b`: `a`'s
//! width (`>>>` copies in the top bit of that width);
//! `~a`, `-a`: `a`'s width; comparisons: bool; `x{hi..lo}`: `hi-lo+1`; `{a,b}`: the sum.
//! Integer constants are as wide as their value needs. Assignments and receives truncate to the
//! target's width; a value wider than its channel is cut to the channel's width.

mod conflicts;
mod declare;
mod expr;
mod function;
mod overload;
mod place;
mod record_access;
mod stmt;
mod wire_names;
mod wired;

use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use super::consts::Params;
use super::delays::StatementCosts;
use super::ir::{Dir, Expr, ExprKind, LogFormat, PortSlot, Program, Stmt, StmtKind, Ty, VarSlot};
use super::layout::PortLayout;
use super::records::Layout;
use super::types::Shape;
use crate::diag::{did_you_mean, Diagnostic};
use crate::front::ast::{self, ChpBlock, ProcessDef, Span, VarDecl};
use declare::Variables;
pub(crate) use function::Functions;

/// What a process body contributes to its program, gathered while elaborating the body.
#[derive(Default)]
pub(crate) struct ProgramParts<'a> {
    /// Variable declarations, with the parameters in scope at each.
    pub vars: Vec<(std::borrow::Cow<'a, VarDecl>, Params)>,
    pub chp: Option<(&'a ChpBlock, Params)>,
    /// The `hse { }` body written as CHP, if any: the program when the process runs its HSE.
    pub hse: Option<(&'a ChpBlock, Params)>,
    /// Variables of the body connected to ports of sub-instances: shared with them.
    pub connected_vars: HashSet<String>,
    /// Channels declared in the body, with the parameters in scope at each: they connect
    /// sub-instances, and the process's own CHP may use either end of them, or both.
    pub local_channels: Vec<(std::borrow::Cow<'a, VarDecl>, Params)>,
    /// Whether the process runs CHP (then `child_ports` are gathered).
    pub runs_chp: bool,
    /// Whether `chp` is the process's `hse` body, which may touch the wires of channels.
    pub runs_hse: bool,
    /// Channel ports of sub-instances, which the CHP may use as the other end.
    pub child_ports: Vec<ChildPort>,
    /// The macros of sub-instances (`s.m(args);`), by instance name.
    pub child_macros: HashMap<String, ChildMacros>,
    /// The `prs` blocks of the body, with the parameters in scope at each.
    pub prs: Vec<(&'a crate::front::ast::PrsBlock, Params)>,
    /// The `spec` blocks of the body, with the parameters in scope at each.
    pub spec: Vec<(&'a crate::front::ast::SpecBlock, Params)>,
    /// The attributes given to the body's instances (`x @ [iscomb=1];`).
    pub attributes: crate::elab::structure::AttributeTable,
    /// The arrays a connection of the body has connected whole so far (`x` of `x = y;`, not of
    /// `x[2] = y;`): ACT does not let an array be extended after that.
    pub connected_so_far: HashSet<String>,
    /// The variable arrays declared so far, by name: the type of the first declaration (as
    /// written) and the indices of all, joined (`None` when a size was in error): a further
    /// declaration of the same type extends the array (ACT's sparse array).
    pub var_arrays: HashMap<String, (String, Option<Shape>)>,
    /// The objects of the file scope or of a namespace that the CHP names but that its
    /// definition does not see (declared after it, or in another namespace), each with the
    /// hint that says why: an error naming one gives it.
    pub unseen_file_objects: HashMap<String, String>,
}

impl ProgramParts<'_> {
    /// Whether the body connects variable `name`: by name, or as a wire (`c.t`) of a variable
    /// it connects whole (`c`), whose wires connect with it.
    pub(crate) fn is_connected(&self, name: &str) -> bool {
        let mut prefix = name;
        loop {
            if self.connected_vars.contains(prefix) {
                return true;
            }
            match prefix.rsplit_once('.') {
                Some((outer, _)) => prefix = outer,
                None => return false,
            }
        }
    }
}

/// A channel port of a sub-instance, named as the CHP writes it (`m.L`, `m[2].p.req`), with its
/// bounds and what it carries: the CHP may use it as a channel of its own, the instance
/// holding the other end.
pub(crate) struct ChildPort {
    pub name: String,
    pub shape: Shape,
    pub is_array: bool,
    pub ty: Option<Ty>,
    pub reply: Option<Ty>,
    /// The record type of its data, if it is a record.
    pub record: Option<Arc<Layout>>,
}

/// The macros of a sub-instance's process (`methods { macro m ... }`), and what its port
/// names stand for in the body using the instance: each (own name, name seen from outside,
/// which differs for an instance of a `ptype`).
#[derive(Clone, Debug)]
pub(crate) struct ChildMacros {
    pub macros: Vec<ast::MacroDef>,
    pub ports: Vec<(String, String)>,
    /// The direction each channel port is declared with (`chan?`, `chan!`), by its own name:
    /// as ACT expands a process's macro where the instance is used, on the other end of the
    /// ports, the macro receives on none of its inputs and sends on none of its outputs.
    pub port_dirs: HashMap<String, ast::ChanDir>,
}

/// The widest intermediate value an expression may have, in bits.
pub(crate) const MAX_EXPR_WIDTH: u32 = 1 << 22;

struct Array {
    base: usize,
    shape: Shape,
    ty: Ty,
    /// `enum<N>`: the N its values must stay below.
    enum_size: Option<u64>,
}

struct PortArray {
    base: usize,
    shape: Shape,
    /// What the channel carries (`None`: dataless).
    ty: Option<Ty>,
}

/// A channel declared in the process, as its own CHP uses it. Each end the CHP uses is a block
/// of `len` slots, allocated on first use: `first` for the end used (or probed) first, `second`
/// for the other end when the CHP uses both (its parallel branches talk to each other).
#[derive(Clone)]
struct LocalChannel {
    shape: Shape,
    is_array: bool,
    ty: Option<Ty>,
    reply: Option<Ty>,
    /// What its first element is in an instance (each end's slots are bound to the same).
    binding: Binding,
    first: Option<usize>,
    second: Option<usize>,
}

struct Lowerer<'f> {
    vars: HashMap<String, Array>,
    ports: HashMap<String, PortArray>,
    slots: Vec<PortSlot>,
    /// What each port slot is in an instance.
    bindings: Vec<Binding>,
    /// Direction each port slot is used in (declared, or inferred from the first use).
    dirs: Vec<Option<Dir>>,
    params: Params,
    diags: Vec<Diagnostic>,
    /// Declarations with errors (already reported): their uses report nothing more.
    poisoned: HashSet<String>,
    local_channels: HashMap<String, LocalChannel>,
    /// Local channels (and undirected ports) the CHP probes.
    probed: HashSet<String>,
    /// Those of them whose both ends the CHP uses: a probe looks at the receive end, which
    /// sees a waiting sender (known after a first lowering of the body).
    probed_on_receive: HashSet<String>,
    /// The record type of each variable, port or channel (of its data) that has one.
    records: HashMap<String, Arc<Layout>>,
    /// The type of each interface bundle (a record of channels only, declared whole, not an
    /// array): its macros are called on it (`s.fwd();`).
    bundle_types: HashMap<String, Arc<ast::RecordDef>>,
    /// Temporaries holding a conversion `name(e)` whose field is read (`name(e).x`), as ACT
    /// makes them: variables after the declared ones (from slot `temps_base`).
    temps: Vec<VarSlot>,
    temps_base: usize,
    /// The assignments of those temporaries for the statement being lowered, which run just
    /// before it (each an assignment, with its delay, as in actsim).
    hoisted: Vec<Stmt>,
    /// The statements labelled `l: S`, by the whole statement's span (see [`Program::labels`]).
    labels: Vec<(String, Span)>,
    /// Lowering a loop's guard: evaluated again on each iteration, so a temporary assigned
    /// before the loop would be stale; the conversion is read in place there.
    in_loop_guard: bool,
    /// Lowering a macro's body: what its field and argument names stand for (see
    /// `macro_call`).
    macro_names: HashMap<String, ast::Expr>,
    /// Lowering a macro's body itself (not what its names stand for, which is the caller's).
    in_macro: bool,
    /// Lowering the body of a process's macro: the directions its process declares its
    /// channel ports with (see [`ChildMacros::port_dirs`]).
    macro_port_dirs: HashMap<String, ast::ChanDir>,
    /// Lowering the body of a templated record's macro: the caller's parameters (the body
    /// sees the record's; what its arguments stand for, the caller's).
    caller_params: Option<Params>,
    /// The macros of sub-instances, by instance name.
    child_macros: HashMap<String, ChildMacros>,
    /// The file's functions, which the CHP may call.
    functions: &'f Functions<'f>,
    /// Lowering a function's body: no channels, no logs.
    in_function: bool,
    /// The qualified name of the process or function being lowered: the names it calls are
    /// looked up in its namespace first.
    scope: String,
    /// Lowering a method function of a record: how it calls its sibling methods.
    method: Option<MethodScope>,
    /// The configuration file's delays and energies for this process's statements, by the name of the
    /// variable or channel they act on (see [`crate::elab::delays`]).
    configured_costs: StatementCosts,
    /// How many variable slots, from the first, are the process's `bool`/`int` ports.
    port_vars: usize,
    /// Whether ACT's rules that a run relaxes apply (see
    /// [`crate::elab::ElabOptions::strict_act`]).
    strict_act: bool,
    /// Under `strict_act`, the span of the body's outermost statement (exempt from the
    /// check on parallel branches) and the arrays the body indexes at run time (see
    /// [`conflicts`]).
    outermost: Option<Span>,
    dynamic_arrays: HashSet<String>,
    /// The channel ports (and arrays of one dimension) whose type has methods: they may be
    /// wired (see [`wired`]).
    chan_methods: HashMap<String, Arc<ast::ChanMethods>>,
    /// The variables holding `self`, the value a wired port's methods send or receive, and
    /// `selfack`, the value they move back on an exchange channel, by port slot (one each per
    /// slot, made at its first send or receive; `self`'s are [`Program::wired_values`]).
    wired_values: HashMap<(usize, wired::MethodValue), (usize, Ty)>,
    /// Whether the body may touch the wires of channels (a channel method, an `hse` body).
    fragments_ok: bool,
    /// See [`ProgramParts::unseen_file_objects`].
    unseen_file_objects: HashMap<String, String>,
}

/// A method function of a record calls another method of the record by its bare name, `g(x)`,
/// meaning `g` of the same record: it passes its own field arguments and the record's
/// template arguments.
struct MethodScope {
    /// The record's qualified name.
    record: String,
    /// The names of the method's arguments that are the record's fields.
    fields: Vec<String>,
    /// The record's template arguments.
    template_values: Vec<crate::elab::consts::ArgValue>,
}

/// A process's program, with what its slots stand for in each instance of it.
pub(crate) struct Lowered {
    pub program: Rc<Program>,
    /// For each port slot (`program.ports`), the channel it is an end of.
    pub port_bindings: Vec<Binding>,
    /// For each shared variable (`program.vars[..shared_slots]`), the variable it is.
    pub var_bindings: Vec<Binding>,
}

/// What a slot of a lowered program is in an instance of its process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Binding {
    /// An element of a port: the node at this offset from the instance's first port node (as
    /// the [`PortLayout`] counts).
    Port(usize),
    /// Element `offset` (from 0) of a channel or variable declared in the process's body.
    Body { name: String, offset: usize },
}

impl Binding {
    /// The binding of element `i` of the array whose first element this is.
    fn element(&self, i: usize) -> Binding {
        match self {
            Binding::Port(first) => Binding::Port(first + i),
            Binding::Body { name, offset } => Binding::Body {
                name: name.clone(),
                offset: offset + i,
            },
        }
    }
}

/// Lowers the CHP of `def`, whose ports (as the structural pass laid them out) are `layout`.
pub(crate) fn lower_program(
    def: &ProcessDef,
    layout: &PortLayout,
    parts: &ProgramParts<'_>,
    functions: &Functions<'_>,
    configured_costs: StatementCosts,
    strict_act: bool,
) -> Result<Lowered, Vec<Diagnostic>> {
    let (block, params) = parts
        .chp
        .as_ref()
        .expect("only processes with CHP are lowered");
    let mut l = Lowerer::new(params.clone(), functions, &def.name.name);
    l.configured_costs = configured_costs;
    l.strict_act = strict_act;
    l.fragments_ok = parts.runs_hse;
    l.unseen_file_objects.clone_from(&parts.unseen_file_objects);
    // A port with a bad type or size is reported by the structural pass; here it is only
    // poisoned, so that its uses add no "unknown channel" errors.
    l.poisoned.extend(layout.failed.iter().cloned());
    let variable_ports = l.declare_channel_ports(def, layout);
    l.child_macros.clone_from(&parts.child_macros);
    for port in &parts.child_ports {
        l.local_channels.insert(
            port.name.clone(),
            LocalChannel {
                shape: port.shape.clone(),
                is_array: port.is_array,
                ty: port.ty,
                reply: port.reply,
                binding: Binding::Body {
                    name: port.name.clone(),
                    offset: 0,
                },
                first: None,
                second: None,
            },
        );
        if let Some(record) = &port.record {
            l.records.insert(port.name.clone(), record.clone());
        }
    }
    for (decl, p) in &parts.local_channels {
        l.declare_local_channel(decl, p);
    }
    let mut vars = Variables::default();
    // `bool`/`int` ports come first: the variables shared with other processes.
    l.declare_variable_ports(def, &variable_ports, &mut vars);
    l.port_vars = vars.len;
    // Then the variables connected to ports of sub-instances: shared too.
    let shared_slots = l.declare_body_variables(def, parts, &mut vars);
    l.temps_base = vars.len;
    if let (true, Some(s)) = (strict_act, &block.body) {
        l.outermost = Some(s.span.clone());
        l.dynamic_arrays = conflicts::dynamic_arrays(s, params);
    }
    let body = match &block.body {
        Some(s) => l.body(s),
        None => Some(Stmt {
            kind: StmtKind::Skip,
            span: block.span.clone(),
            delay: None,
            energy: 0,
            bandwidth: 0,
        }),
    };
    let wired_init = l.wired_inits(block);
    let wired_values = l.wired_value_slots();
    l.settle_directions(def);
    match body {
        // With a poisoned declaration the program is not run; its errors are reported already.
        Some(body) if l.diags.is_empty() && l.poisoned.is_empty() => Ok(Lowered {
            program: Rc::new(Program {
                type_name: String::new(),
                vars: vars.slots(std::mem::take(&mut l.temps)),
                shared_slots,
                shares_vars: matches!(body.kind, StmtKind::Par(_)),
                ports: l.slots,
                body,
                wired_init,
                wired_values,
                labels: std::mem::take(&mut l.labels),
                hse: parts.runs_hse,
            }),
            port_bindings: l.bindings,
            var_bindings: vars.shared,
        }),
        _ => Err(l.diags),
    }
}

impl<'f> Lowerer<'f> {
    fn new(params: Params, functions: &'f Functions<'f>, scope: &str) -> Self {
        Lowerer {
            vars: HashMap::new(),
            ports: HashMap::new(),
            slots: Vec::new(),
            bindings: Vec::new(),
            dirs: Vec::new(),
            params,
            diags: Vec::new(),
            poisoned: HashSet::new(),
            local_channels: HashMap::new(),
            probed: HashSet::new(),
            probed_on_receive: HashSet::new(),
            records: HashMap::new(),
            bundle_types: HashMap::new(),
            temps: Vec::new(),
            temps_base: 0,
            hoisted: Vec::new(),
            labels: Vec::new(),
            in_loop_guard: false,
            macro_names: HashMap::new(),
            in_macro: false,
            macro_port_dirs: HashMap::new(),
            caller_params: None,
            child_macros: HashMap::new(),
            functions,
            in_function: false,
            scope: scope.to_string(),
            method: None,
            configured_costs: StatementCosts::default(),
            port_vars: 0,
            strict_act: false,
            outermost: None,
            dynamic_arrays: HashSet::new(),
            chan_methods: HashMap::new(),
            wired_values: HashMap::new(),
            fragments_ok: false,
            unseen_file_objects: HashMap::new(),
        }
    }

    /// Gives each port slot the direction its CHP uses it in; a port whose direction nothing
    /// tells is an error. A channel of the body that the CHP only probes (as ACT allows) is
    /// probed on its receive end: a probe there sees a waiting sender.
    fn settle_directions(&mut self, def: &ProcessDef) {
        for (slot, dir) in self.slots.iter_mut().zip(&self.dirs) {
            match dir {
                Some(d) => slot.dir = *d,
                None if !slot.used => {}
                None if slot.local => slot.dir = Dir::Receive,
                None => self.diags.push(
                    Diagnostic::error(def.name.span.clone(), format!("cannot tell the direction of port `{}`: its CHP neither sends nor receives on it", slot.name))
                        .with_hint("declare it chan?(...) or chan!(...)"),
                ),
            }
        }
    }

    /// Lowers the CHP body. When it probes a channel whose both ends it uses, which end the
    /// probe looks at is only known at the end: the body is then lowered a second time, with
    /// those probes on the receive end.
    fn body(&mut self, s: &ast::Stmt) -> Option<Stmt> {
        let (slots, dirs, bindings, channels) = (
            self.slots.clone(),
            self.dirs.clone(),
            self.bindings.clone(),
            self.local_channels.clone(),
        );
        let body = self.stmt(s);
        let both_ends: HashSet<String> = (self.probed.iter())
            .filter(|name| self.local_channels[*name].second.is_some())
            .cloned()
            .collect();
        if both_ends.is_empty() || !self.diags.is_empty() {
            return body;
        }
        (self.slots, self.dirs, self.bindings, self.local_channels) =
            (slots, dirs, bindings, channels);
        self.temps.clear();
        self.wired_values.clear();
        self.probed_on_receive = both_ends;
        self.stmt(s)
    }

    fn err(&mut self, span: &Span, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(span.clone(), msg));
    }

    /// An unknown name, with a suggestion among the variables (`vars`) and/or ports (`ports`).
    fn unknown(&mut self, span: &Span, msg: String, name: &str, vars: bool, ports: bool) {
        if self.poisoned.contains(name) {
            return;
        }
        let mut candidates: Vec<&str> = Vec::new();
        if vars {
            candidates.extend(self.vars.keys().map(String::as_str));
        }
        if ports {
            candidates.extend(self.ports.keys().map(String::as_str));
            candidates.extend(self.local_channels.keys().map(String::as_str));
        }
        let mut d = Diagnostic::error(span.clone(), msg);
        if let Some(hint) = self.unseen_file_objects.get(name) {
            d = d.with_hint(hint.clone());
        } else if let Some(hint) = did_you_mean(name, candidates) {
            d = d.with_hint(hint);
        }
        self.diags.push(d);
    }
}

/// A value sent on a channel of type `ty`, cut to the channel's width when it is wider: actsim
/// reports no error for a value wider than its channel (its receiver truncates it), and cutting
/// it at the channel keeps the transcript and the waveform showing the same value.
fn fit_to_channel(value: Expr, ty: Ty) -> Expr {
    if value.ty.width() <= ty.width() {
        return value;
    }
    let span = value.span.clone();
    Expr {
        kind: ExprKind::Resize(Box::new(value)),
        ty,
        span,
    }
}

/// Whether `e` is made of integer literals only (no names).
fn is_literal(e: &ast::Expr) -> bool {
    match &e.kind {
        ast::ExprKind::Int(_) => true,
        ast::ExprKind::Unary { operand, .. } => is_literal(operand),
        ast::ExprKind::Binary { lhs, rhs, .. } => is_literal(lhs) && is_literal(rhs),
        _ => false,
    }
}

/// The format a log string argument sets, and the text it prints (actsim's rule): a string
/// that begins `%`, optional digits (a leading `0` pads with zeros) and one of `x`, `d`, `u`,
/// `b` sets that format and prints the rest; any other string (also `%` followed by something
/// else) prints whole and sets decimal. The column count only affects `%d`, as in actsim.
fn log_format(s: &str) -> (LogFormat, &str) {
    let Some(spec) = s.strip_prefix('%') else {
        return (LogFormat::Unsigned, s);
    };
    let digits = spec.bytes().take_while(u8::is_ascii_digit).count();
    let (number, rest) = spec.split_at(digits);
    let mut chars = rest.chars();
    let format = match chars.next() {
        Some('x') => LogFormat::Hex,
        Some('b') => LogFormat::Binary,
        Some('u') => LogFormat::Unsigned,
        Some('d') => LogFormat::Signed {
            columns: log_columns(number),
            zeros: number.starts_with('0'),
        },
        _ => return (LogFormat::Unsigned, s),
    };
    (format, chars.as_str())
}

/// The column count of `%Nd` (`None` without digits), capped at what Rust's formatting allows.
fn log_columns(digits: &str) -> Option<usize> {
    const MAX_COLUMNS: usize = u16::MAX as usize;
    if digits.is_empty() {
        return None;
    }
    Some(digits.parse().unwrap_or(MAX_COLUMNS).min(MAX_COLUMNS))
}
