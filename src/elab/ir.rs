//! The elaborated design: what the interpreter runs.
//!
//! Elaboration turns the AST into process instances wired by channels. Instances of the same
//! definition with the same parameters share one [`Program`] (1 000 000 buffers are one program
//! and a million small port tables), and every name in a program is resolved to a slot.
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;
use std::sync::Arc;

use num_bigint::BigUint;

pub(crate) use crate::front::ast::Flavor;
use crate::front::ast::WireMark;
use crate::kernel::ChannelInfo;
pub(crate) use crate::kernel::LogKind;
use crate::source_map::SourceMap;

pub(crate) type Span = Range<usize>;

/// A data type: `bool` or an unsigned integer of some width.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Ty {
    Bool,
    Int(u32),
}

impl Ty {
    pub(crate) fn width(self) -> u32 {
        match self {
            Ty::Bool => 1,
            Ty::Int(w) => w,
        }
    }
}

impl std::fmt::Display for Ty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ty::Bool => write!(f, "bool"),
            Ty::Int(w) => write!(f, "int<{w}>"),
        }
    }
}

/// An elaborated design, ready to run ([`crate::driver::run`]): its process instances, the
/// channels between them, and the files they came from.
#[derive(Debug)]
pub struct Design {
    /// The design's files (the entry file and its imports), for messages.
    pub(crate) sources: SourceMap,
    /// The top: the process given by `--top` (or `test`), or the top-level instances' names.
    pub(crate) top: String,
    /// When the top is a process (`--top NAME`, or `test`), whose path is empty: its name, the
    /// root scope of the waveform, under which every path is shown.
    pub(crate) root_scope: Option<String>,
    pub(crate) processes: Vec<ProcessInstance>,
    pub(crate) channels: Vec<ChannelDecl>,
    /// How many shared variables (nets of `bool`/`int` ports) the processes' `shared` index.
    pub(crate) shared_vars: usize,
    /// How many channels have a CHP end at each side and a circuit driving their wires: both
    /// ends run the type's methods (see [`ProcessInstance::wired_pairs`]).
    pub(crate) wired_pairs: usize,
    /// The channels between CHP ends and circuits (wired: the CHP ends run the type's methods
    /// on the wires), each by its names, in the design's order (see
    /// [`ProcessInstance::wired_channels`]).
    pub(crate) wired_channels: Vec<Box<[String]>>,
    /// The file scope's variables that processes share (`Vdd` of `import globals;` connected
    /// to ports), by element name (a record's fields too), sorted: actsim's commands name them.
    pub(crate) global_vars: Vec<GlobalVar>,
    /// The configuration's `sim.chp.default_delay` (see [`super::delays`]).
    pub(crate) default_delay: Option<u64>,
    /// The configuration's `sim.reset_rounds` (see [`crate::sim::reset`]).
    pub(crate) reset_rounds: Option<u32>,
    /// The configuration's `sim.device.timescale`: seconds per tick in actsim's trace files.
    pub(crate) timescale: Option<f64>,
    /// What the design leaves open (ports connected to nothing): it runs, but should know.
    pub(crate) warnings: Vec<crate::diag::Diagnostic>,
    /// The production rules of the processes that have them, as one netlist.
    pub(crate) circuit: Option<Circuit>,
    /// The processes (indices in `processes`) that are the actions of the file's `Initialize`
    /// blocks, in the order actsim starts them (see [`crate::sim::reset`]), and how many of
    /// them, the last ones, start together at the end: the reset phase runs them, not the
    /// run's start.
    pub(crate) initialize: (Vec<usize>, usize),
    /// actsim's warnings about instances run at a less detailed level than requested
    /// (`WARNING: src<>: substituting chp model (requested prs, not found)`), in order.
    pub(crate) level_warnings: crate::elab::levels::LevelWarnings,
    /// Every process instance, whatever it runs (structural ones too), parent before its
    /// instances, these in declaration order: actsim's table of instances, which `procinfo`
    /// and `coverage` walk.
    pub(crate) instances: Vec<InstanceEntry>,
}

/// A process instance as actsim's table of instances holds it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct InstanceEntry {
    /// Its path (empty for the top process).
    pub path: String,
    /// Its type as ACT names it once expanded, without the namespace (`cons<3,t>`).
    pub type_name: String,
    /// The type's namespace (`lib`, `a::b`), empty for the global one.
    pub namespace: String,
    /// Its process type's leakage (watts) and area from the configuration (see
    /// [`super::delays`]); 0 for an instance running production rules, as in actsim.
    pub leakage: f64,
    pub area: u64,
    /// Whether it runs production rules (actsim's `procinfo` has no state to show for one).
    pub rules: bool,
    /// Whether it runs a less detailed level than requested: one of the design's
    /// `level_warnings` is about it.
    pub substituted: bool,
    /// The parameters its process's names include (template parameters, those its body
    /// declares, the file's), which actsim's commands refuse as no circuit object.
    pub parameters: Vec<ParamName>,
}

/// A parameter's name, and whether it is an array (`pint P[2]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ParamName {
    pub name: String,
    pub array: bool,
}

/// The design's production rules: its nodes and rules, and which nodes CHP sees.
#[derive(Debug)]
pub(crate) struct Circuit {
    pub netlist: crate::prs::netlist::Netlist,
    /// By node: the shared variable CHP processes know it as, or `u32::MAX`. (Every node
    /// starts X, the globals `Vdd` and `GND` too, as in actsim.)
    pub chp_var: Vec<u32>,
    /// By node index: the wires of channels between CHP and a circuit, which CHP moves only
    /// through the channel type's methods, each with its channel's local name (actsim prints
    /// a method's write under it).
    pub method_wires: HashMap<u32, Box<str>>,
    /// The `spec` directives the circuit checks.
    pub specs: Vec<crate::prs::spec::Directive>,
}

impl Design {
    /// actsim's warnings as it builds the simulation, in its order (about instances run at a
    /// less detailed level than requested, and about `mk_excl*` lists naming a node twice or
    /// one that several instances drive), `-m` checking the `exclhi`/`excllo` monitors or
    /// not (`monitors`).
    pub fn start_warnings(&self, monitors: bool) -> Vec<&str> {
        self.start_warnings_until(monitors, None)
    }

    /// [`Design::start_warnings`], ending, with `failing`, where actsim stops as it makes
    /// that instance (by its index in `instances`): after its level warning.
    pub(crate) fn start_warnings_until(&self, monitors: bool, failing: Option<usize>) -> Vec<&str> {
        let (specs, drivers) = match &self.circuit {
            Some(circuit) => (&circuit.specs[..], circuit.netlist.rule_drivers()),
            None => (&[][..], Vec::new()),
        };
        let warnings = self.level_warnings.iter();
        let substituted = self.instances.iter().map(|instance| instance.substituted);
        let until = (monitors, failing);
        crate::prs::spec::start_warnings(warnings, substituted, specs, &drivers, until)
    }

    /// The configuration's `sim.device.timescale`, the seconds of a tick in trace files.
    pub fn timescale_seconds(&self) -> Option<f64> {
        self.timescale
    }

    /// Forgets the substitution warnings of [`Design::start_warnings`] (ACT's
    /// `-Wlang_subst:off`).
    pub fn drop_level_warnings(&mut self) {
        self.level_warnings = Default::default();
    }

    /// What the design leaves open (ports connected to nothing), rendered with their source
    /// snippets; empty when there is nothing to say. The design runs all the same.
    pub fn render_warnings(&self) -> String {
        crate::diag::render_in(&self.warnings, &self.sources)
    }

    /// What elaboration made, in one line: `top `test`: 4 processes, 3 channels`, or `no top
    /// (definitions only)` for a library.
    pub fn summary(&self) -> String {
        if self.top.is_empty() {
            return "no top (definitions only)".to_string();
        }
        let count = |n: usize, one: &str, many: &str| match n {
            1 => format!("1 {one}"),
            n => format!("{n} {many}"),
        };
        format!(
            "top `{}`: {}, {}",
            self.top,
            count(self.processes.len(), "process", "processes"),
            count(self.channels.len(), "channel", "channels")
        )
    }
}

#[derive(Debug)]
pub(crate) struct ChannelDecl {
    pub info: ChannelInfo,
    /// The data type; `None` for a dataless channel.
    pub ty: Option<Ty>,
}

/// One process to run: a program and the channels its ports are bound to.
#[derive(Debug)]
pub(crate) struct ProcessInstance {
    /// Instance path, e.g. `top.b[3]` (empty for a top given by `--top`).
    pub path: String,
    pub program: Rc<Program>,
    /// Channel index for each port slot of the program ([`UNBOUND`] for a slot the CHP never
    /// uses).
    pub ports: Vec<usize>,
    /// The [`WIRED`] slots whose channel has a CHP end at the other side too (a circuit drives
    /// its wires): each with the number of its pair of ends, below [`Design::wired_pairs`].
    pub wired_pairs: Vec<(usize, u32)>,
    /// The [`WIRED`] slots, each with its channel's number in [`Design::wired_channels`].
    pub wired_channels: Vec<(usize, u32)>,
    /// The [`WIRED`] slots that do not run their type's init method: actsim runs one per
    /// channel, chosen by how the circuit drives its wires.
    pub silent_inits: Vec<usize>,
    /// The bools (`bool` variables, and `bool` fields of records, each by its slot and its
    /// bit there, in order) whose net the process names by another of its names, each with
    /// that name (see `elab::structure::scope_names`): actsim's warnings name the net so.
    pub shown_names: Vec<((usize, u32), String)>,
    /// Shared variable index for each of the program's `shared_slots` first variables (for
    /// one of several pieces, its first piece's).
    pub shared: Vec<usize>,
    /// The shared variables each of those holds, when one holds several: a record whose
    /// fields are connected as nets holds its fields' bits and the bits between them, each
    /// range a shared variable of its own (see `elab::structure::bit_lines`). Empty for a
    /// variable that is one whole shared variable. `None`: every one is.
    pub shared_pieces: Option<Vec<Box<[SharedPiece]>>>,
}

/// A range of a variable's bits that is one whole shared variable: `width` bits of the
/// variable from bit `lo` are shared variable `shared`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct SharedPiece {
    pub shared: usize,
    pub lo: u32,
    pub width: u32,
}

impl SharedPiece {
    /// The pieces variable `slot` holds, from a process's lists (`lists`, as
    /// [`ProcessInstance::shared_pieces`]): its own list, or `whole` when it is one whole shared
    /// variable.
    pub(crate) fn held<'a>(
        lists: Option<&'a [Box<[SharedPiece]>]>,
        slot: usize,
        whole: &'a SharedPiece,
    ) -> &'a [SharedPiece] {
        match lists.map(|list| &list[slot][..]) {
            Some(several @ [_, ..]) => several,
            _ => std::slice::from_ref(whole),
        }
    }
}

/// The channel index of a port slot that is bound to no channel.
pub(crate) const UNBOUND: usize = usize::MAX;

/// The channel index of a port slot whose other end is a circuit (a process running its
/// production rules on the channel's wires): the CHP runs the methods of the channel's type on
/// the wires, as actsim does with a channel of CHP at one end and wires at the other.
pub(crate) const WIRED: usize = usize::MAX - 1;

/// A compiled process definition (one per definition and parameter values).
#[derive(Debug)]
pub(crate) struct Program {
    /// The process type as actsim names it once expanded, after its namespace (`fifo<8>`,
    /// `test<>`, `lib::cons<3,t>`: ACT's `getFullName`), for `pending -v`, `procinfo` and
    /// `coverage` (these two without the namespace); empty for the file's own CHP.
    pub type_name: String,
    pub vars: Vec<VarSlot>,
    /// The first `shared_slots` variables are shared with other processes (a write is seen by
    /// all at once): the `bool`/`int` ports, then the variables the body connects to ports of
    /// its sub-instances.
    pub shared_slots: usize,
    /// Whether the whole body is one parallel composition: then its branches share all its
    /// variables, and a guard waits for a write to any variable it reads (as for a port).
    pub shares_vars: bool,
    pub ports: Vec<PortSlot>,
    pub body: Stmt,
    /// For each port slot that may be [`WIRED`], what its CHP does to the wires at the start
    /// (the type's `send_init` or `recv_init`), in slot order.
    pub wired_init: Vec<(usize, Stmt)>,
    /// For each port slot that may be [`WIRED`] and carries data, the variable slot of the
    /// value its methods send or receive (`self`), in slot order: the waveform shows it.
    pub wired_values: Vec<(usize, usize)>,
    /// The labelled statements (`l: S`), each label with the span of its whole statement, in
    /// source order: where actsim's `goto` can send a thread.
    pub labels: Vec<(String, Span)>,
    /// Whether this is the process's `hse` body: actsim runs it in HSE mode, which acts during
    /// the reset phase too (a CHP process waits for its end).
    pub hse: bool,
}

/// A file-scope variable (or a field of one) that processes share: its name, its type, and
/// the shared variables of the lines of bits it lies on, in order (each a whole
/// [`SharedPiece`] of any variable holding it), its bit 0 at bit `first_line_at` of the first.
#[derive(Debug, Clone)]
pub(crate) struct GlobalVar {
    pub name: String,
    pub ty: Ty,
    pub lines: Box<[usize]>,
    pub first_line_at: u32,
}

/// One scalar variable; arrays occupy consecutive slots.
#[derive(Debug, Clone)]
pub(crate) struct VarSlot {
    /// e.g. `x` or `mem[3]`.
    pub name: String,
    pub ty: Ty,
    /// For a variable of a record type, its scalar fields (nested records and array fields
    /// flattened), which the waveform shows one by one; empty for any other variable.
    pub fields: Arc<[FieldBits]>,
}

impl VarSlot {
    /// A variable that is not a record.
    pub(crate) fn scalar(name: String, ty: Ty) -> Self {
        Self {
            name,
            ty,
            fields: Arc::new([]),
        }
    }
}

/// A scalar field of a record variable: a bit range of its integer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldBits {
    /// Its path below the variable: `a`, `q.a` (a field of a nested record), `v[2]`.
    pub name: String,
    /// Its lowest bit.
    pub lo: u32,
    pub ty: Ty,
}

/// A channel end the process's CHP uses: a port, or one end of a channel declared in the
/// process (`local`; the CHP may use both ends of such a channel, as two slots).
#[derive(Debug, Clone)]
pub(crate) struct PortSlot {
    pub name: String,
    pub dir: Dir,
    /// The type flowing back on an exchange channel `chan(T1, T2)`.
    pub reply: Option<Ty>,
    pub local: bool,
    /// Whether the CHP names this slot. An element of a local channel array whose end the CHP
    /// never uses is not bound to the channel (a sub-instance may hold that end); nor is a port
    /// the CHP never names that the body passes on (see `Elaborator::passes_through`).
    pub used: bool,
    /// Whether the CHP can use the channel over its wires (its type has methods, and each
    /// use has its [`StmtKind::Send::wired`] form): then the slot may be [`WIRED`].
    pub wired: bool,
    /// The wires of its type that carry a direction mark (`bool?! t`, `bool!? a`), by name.
    pub wire_marks: Arc<[(String, WireMark)]>,
}

impl PortSlot {
    /// Whether variable `var` of the process is one of this port's wires: `x.t` of a port
    /// `x`; of an element `c[2]` of a port array, `c.t[2]` and `c.d.d[2][0]` (the wires of an
    /// array of ports are arrays themselves, the element's index first).
    pub(crate) fn owns_wire(&self, var: &str) -> bool {
        let Some(at) = self.name.find('[') else {
            return var
                .strip_prefix(&self.name)
                .is_some_and(|w| w.starts_with('.'));
        };
        let (array, element) = self.name.split_at(at);
        let Some(wire) = var.strip_prefix(array).and_then(|w| w.strip_prefix('.')) else {
            return false;
        };
        wire.find('[')
            .is_some_and(|i| wire[i..].starts_with(element))
    }

    /// Which side of the channel drives its wire `var` (one of [`PortSlot::owns_wire`]'s), as
    /// its type's mark on the wire says: `?!` the sender (`x.t` of `bool?! t`), `!?` the
    /// receiver; `None` for a wire without such a mark.
    pub(crate) fn wire_driver(&self, var: &str) -> Option<Dir> {
        let array = &self.name[..self.name.find('[').unwrap_or(self.name.len())];
        let wire = var.strip_prefix(array)?.strip_prefix('.')?;
        let field = &wire[..wire.find(['.', '[']).unwrap_or(wire.len())];
        let (_, mark) = self.wire_marks.iter().find(|(name, _)| name == field)?;
        match mark {
            WireMark::InOut => Some(Dir::Send),
            WireMark::OutIn => Some(Dir::Receive),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dir {
    Send,
    Receive,
}

/// A statement with the place it came from and its delay override.
#[derive(Debug, Clone)]
pub(crate) struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
    /// Per-statement delay (ticks); `None` uses the process or run default.
    pub delay: Option<u64>,
    /// The energy it adds to its process's total each time it completes (an evaluation of
    /// guards each time it evaluates them; see [`super::delays`]).
    pub energy: u64,
    /// The ticks it adds to the delay of the statement after it, when it completes
    /// (`D_bw`, see [`super::delays`]).
    pub bandwidth: u32,
}

#[derive(Debug, Clone)]
pub(crate) enum StmtKind {
    Skip,
    Assign {
        target: Place,
        value: Expr,
    },
    /// `X!e`; on an exchange channel (`X!e?v`) the receiver's reply is stored in `reply`.
    Send {
        port: PortRef,
        value: Option<Expr>,
        reply: Option<Place>,
        flavor: Option<Flavor>,
        /// When the port may be [`WIRED`]: the send as the channel type's methods on the
        /// wires (`set`, `send_up`, `send_rest`), every action of it taking no time.
        wired: Option<Box<Stmt>>,
    },
    /// `X?x`; on an exchange channel (`X?x!e`) `reply` is sent back.
    Receive {
        port: PortRef,
        target: Option<Place>,
        reply: Option<Expr>,
        flavor: Option<Flavor>,
        /// As for [`StmtKind::Send::wired`] (`get`, `recv_up`, `recv_rest`).
        wired: Option<Box<Stmt>>,
    },
    Seq(Vec<Stmt>),
    Par(Vec<Stmt>),
    /// `[ g -> S [] ... [] else -> S ]`, `[| ... |]`, and the wait `[ g ]`.
    Select {
        nondeterministic: bool,
        arms: Vec<Arm>,
        otherwise: Option<Box<Stmt>>,
    },
    /// `*[ g -> S [] ... ]` (exits when no guard holds); `*[ S ]` is one arm guarded by `true`;
    /// `*[ g -> S [] else -> T ]` runs `T` while no guard holds, and so never exits.
    Loop {
        nondeterministic: bool,
        arms: Vec<Arm>,
        otherwise: Option<Box<Stmt>>,
    },
    /// `*[ S <- g ]`
    DoLoop {
        body: Box<Stmt>,
        condition: Expr,
    },
    Log {
        kind: LogKind,
        args: Vec<LogArg>,
    },
    Assert {
        condition: Expr,
        message: Vec<LogArg>,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct Arm {
    pub guard: Expr,
    pub body: Stmt,
}

#[derive(Debug, Clone)]
pub(crate) enum LogArg {
    Text(String),
    Value { expr: Expr, format: LogFormat },
}

/// How a log statement prints a value: set by a string argument that starts `%x`, `%d`, `%u`
/// or `%b` (optionally `%0N…` / `%N…`), reset to [`LogFormat::Unsigned`] by any other string.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LogFormat {
    /// Decimal, unsigned: the default, and `%u`.
    Unsigned,
    /// `%d`: decimal, negative (two's complement of the value's width) when its top bit is
    /// set. With digits (`%Nd`, `%0Nd`, also `%0d`) it is actsim's other path, C's `printf`
    /// of the value's low 64 bits as a signed 64-bit number: right-aligned in `N` columns,
    /// zeros after the sign with a leading `0`.
    Signed { columns: Option<usize>, zeros: bool },
    /// `%x`: hexadecimal in 64-bit words, the top word without leading zeros and every lower
    /// word as exactly 16 digits.
    Hex,
    /// `%b`: binary, exactly as many digits as the value's width.
    Binary,
    /// A value of `warn(...)`: evaluated, but what actsim prints for it is
    /// ` [cannot print expressions] `, whatever the format.
    Unprinted,
}

/// Something assignable.
#[derive(Debug, Clone)]
pub(crate) enum Place {
    Var {
        slot: usize,
        ty: Ty,
    },
    /// `mem[i]`: `len` slots from `base` for the indices `lo ..`, index checked at run time.
    Element {
        base: usize,
        lo: i64,
        len: usize,
        index: Box<Expr>,
        ty: Ty,
    },
    /// `x{hi..lo}` of a place.
    Bits {
        inner: Box<Place>,
        hi: u32,
        lo: u32,
    },
    /// An element of a record's array field chosen at run time (`s.a[i][j]`).
    FieldElement {
        inner: Box<Place>,
        at: Box<FieldElement>,
    },
    /// A bool place that stores whether an integer is non-zero (the receive cast `X?int(b)`).
    NonZero(Box<Place>),
    /// A one-bit place (a record's `bool` field) that holds a bool.
    Bool(Box<Place>),
    /// An `enum<size>` variable: a value (cut to its width) of `size` or more is an error.
    Enum {
        inner: Box<Place>,
        size: u64,
        span: Span,
    },
}

impl Place {
    pub(crate) fn ty(&self) -> Ty {
        match self {
            Place::Var { ty, .. } | Place::Element { ty, .. } => *ty,
            Place::Bits { hi, lo, .. } => Ty::Int(hi - lo + 1),
            Place::FieldElement { at, .. } => Ty::Int(at.width),
            Place::NonZero(inner) | Place::Enum { inner, .. } => inner.ty(),
            Place::Bool(_) => Ty::Bool,
        }
    }
}

/// Which element of a record's array field a run-time index picks: the index (`lo` for the
/// first of `len` elements; several dimensions are one index row by row, out of range when
/// one of them is) and where the field's elements lie in the record, element 0 the most
/// significant: the field's lowest bit `first`, each element `width` bits.
#[derive(Debug, Clone)]
pub(crate) struct FieldElement {
    pub index: Expr,
    pub lo: i64,
    pub len: usize,
    pub first: u32,
    pub width: u32,
}

impl FieldElement {
    /// The lowest and highest bit of the whole array field, in a record whose lowest bit is
    /// at `base`.
    pub(crate) fn bits_from(&self, base: u32) -> (u32, u32) {
        let lo = base + self.first;
        (
            lo,
            (lo + self.width * self.len as u32)
                .saturating_sub(1)
                .max(lo),
        )
    }
}

impl FieldElement {
    /// The lowest bit of element `k` (counted from 0).
    pub(crate) fn element_lo(&self, k: usize) -> u32 {
        self.first + (self.len - 1 - k) as u32 * self.width
    }
}

/// A port used in CHP: fixed, or an element of a port array chosen at run time.
#[derive(Debug, Clone)]
pub(crate) enum PortRef {
    Fixed(usize),
    Element {
        base: usize,
        lo: i64,
        len: usize,
        index: Box<Expr>,
    },
}

/// A typed expression; `ty` is its ACT width (`a+b` is one bit wider than the wider operand).
#[derive(Debug, Clone)]
pub(crate) struct Expr {
    pub kind: ExprKind,
    pub ty: Ty,
    pub span: Span,
}

impl Expr {
    /// Whether the expression reads a channel's value (`L = 0` for a receive port `L`).
    pub(crate) fn reads_channel_value(&self) -> bool {
        let mut found = false;
        self.visit(&mut |e| found |= matches!(e.kind, ExprKind::ChannelValue { .. }));
        found
    }

    /// Calls `f` on this expression and every expression inside it.
    pub(crate) fn visit(&self, f: &mut impl FnMut(&Expr)) {
        f(self);
        self.for_each_child(&mut |child| child.visit(f));
    }

    /// Calls `f` on each expression directly inside this one.
    pub(crate) fn for_each_child(&self, f: &mut impl FnMut(&Expr)) {
        match &self.kind {
            ExprKind::Const(_) | ExprKind::Var(_) | ExprKind::Probe(_) => {}
            ExprKind::WiredProbe { wires, .. } => f(wires),
            ExprKind::ChannelValue { .. } => {}
            ExprKind::Element { index: a, .. }
            | ExprKind::Unary(_, a)
            | ExprKind::Bits { inner: a, .. }
            | ExprKind::Resize(a)
            | ExprKind::StructureAsValue(a) => f(a),
            ExprKind::Binary(_, a, b) => {
                f(a);
                f(b);
            }
            ExprKind::FieldElement { inner, at } => {
                f(inner);
                f(&at.index);
            }
            ExprKind::Conditional(c, a, b) => {
                f(c);
                f(a);
                f(b);
            }
            ExprKind::Concat(parts) | ExprKind::Call(_, parts) => parts.iter().for_each(f),
        }
    }

    /// The variable slot, lowest and highest bit this expression is, if it is a variable or
    /// bits of one at a fixed place.
    pub(crate) fn fixed_bits(&self) -> Option<(usize, u32, u32)> {
        match &self.kind {
            ExprKind::Var(slot) => Some((*slot, 0, self.ty.width().max(1) - 1)),
            ExprKind::Bits { inner, hi, lo } => {
                let (slot, base, _) = inner.fixed_bits()?;
                Some((slot, base + lo, base + hi))
            }
            _ => None,
        }
    }

    /// Whether the value can change while the process stands still: it looks at a channel.
    pub(crate) fn watches_channels(&self) -> bool {
        let mut found = false;
        self.visit(&mut |e| {
            found |= matches!(
                e.kind,
                ExprKind::Probe(_) | ExprKind::WiredProbe { .. } | ExprKind::ChannelValue { .. }
            )
        });
        found
    }

    /// Calls `f` on every variable read in the expression (`Var` and `Element` nodes).
    pub(crate) fn visit_vars(&self, f: &mut dyn FnMut(&Expr)) {
        self.visit(&mut |e| {
            if matches!(e.kind, ExprKind::Var(_) | ExprKind::Element { .. }) {
                f(e)
            }
        });
    }
}

#[derive(Debug, Clone)]
pub(crate) enum ExprKind {
    Const(Constant),
    Var(usize),
    /// `mem[i]` with the index as written: `len` slots from `base` for the indices `lo ..`.
    Element {
        base: usize,
        lo: i64,
        len: usize,
        index: Box<Expr>,
    },
    Probe(PortRef),
    /// `#X` of a port slot that may be [`WIRED`]: the type's probe expression on the wires
    /// (`recv_probe`) when it is, else the channel's probe.
    WiredProbe {
        slot: usize,
        wires: Box<Expr>,
    },
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    Bits {
        inner: Box<Expr>,
        hi: u32,
        lo: u32,
    },
    /// An element of a record's array field chosen at run time (`s.a[i][j]`) of the record
    /// value `inner`.
    FieldElement {
        inner: Box<Expr>,
        at: Box<FieldElement>,
    },
    Concat(Vec<Expr>),
    /// `c ? a : b`.
    Conditional(Box<Expr>, Box<Expr>, Box<Expr>),
    /// The operand cut (or zero-extended) to this expression's width: `int(e, w)`.
    Resize(Box<Expr>),
    /// A receive port's name as a value: what a waiting sender offers, else 0. Of a
    /// channel carrying records (`record`), a read with no sender waiting prints actsim's
    /// [`crate::sim::NO_WAITING_SENDER`] (a field of it too: `C.f`).
    ChannelValue {
        port: PortRef,
        record: bool,
    },
    /// A call of a user's function, with one argument per parameter (already of its type).
    Call(Rc<Function>, Vec<Expr>),
    /// A record variable (the expression) read where actsim evaluates a value (an operand of
    /// `=` or `!=`): actsim prints [`crate::sim::STRUCTURE_AS_VALUE`] and reads a one-bit 0.
    /// The record itself is not read (it is kept for what the statement names).
    StructureAsValue(Box<Expr>),
}

/// A function instance (one per definition and template arguments): its CHP runs to the end
/// at once, in its own variables, and leaves the result in `self`.
#[derive(Debug)]
pub(crate) struct Function {
    /// e.g. `f` or `f<4>`.
    pub name: String,
    /// The arguments (in order; an array argument has one slot per element), then `self`,
    /// then the local variables.
    pub vars: Vec<VarSlot>,
    /// How many slots the arguments take.
    pub args: usize,
    /// How many slots each argument takes (1 for a scalar).
    pub arg_lens: Vec<usize>,
    /// The record type of each argument, if it is a record (checked against a call's
    /// arguments: ACT refuses a record of another type).
    pub arg_records: Vec<Option<Arc<crate::elab::records::Layout>>>,
    pub body: FunctionBody,
}

/// What computes a function's result.
#[derive(Debug)]
pub(crate) enum FunctionBody {
    /// Its CHP, which sets `self`.
    Chp(Stmt),
    /// It is declared without a body: computed outside the design.
    External(crate::sim::external::External),
}

impl Function {
    /// The slot of `self`, the result.
    pub(crate) fn result_slot(&self) -> usize {
        self.args
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Constant {
    Small(u64),
    Wide(BigUint),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UnaryOp {
    /// `~`: bitwise (or logical on bool) complement within the operand's width.
    Not,
    /// `-`: two's complement within the operand's width.
    Negate,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Shl,
    Shr,
    /// Arithmetic shift right within the result's width.
    Asr,
    And,
    Or,
    Xor,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}
