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
mod function;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use num_traits::ToPrimitive;

use super::consts::{eval_const, eval_size, Params};
use super::ir::{
    Arm, BinaryOp, Constant, Dir, Expr, ExprKind, LogArg, LogFormat, Place, PortRef, PortSlot,
    Program, Stmt, StmtKind, Ty, UnaryOp, VarSlot,
};
use super::records::{layout, Elem, Layout};
use super::structure::{data_type, payload, MAX_ARRAY};
use crate::diag::{did_you_mean, Diagnostic};
use crate::front::ast::{
    self, ArrayDim, ChanDir, ChpBlock, IterRange, ProcessDef, Span, TypeKind, VarDecl,
};
pub use function::Functions;

/// What a process body contributes to its program, gathered while elaborating the body.
#[derive(Default)]
pub struct ProgramParts<'a> {
    /// Variable declarations, with the parameters in scope at each.
    pub vars: Vec<(&'a VarDecl, Params)>,
    pub chp: Option<(&'a ChpBlock, Params)>,
    /// Variables of the body connected to ports of sub-instances: shared with them.
    pub connected_vars: HashSet<String>,
    /// Channels declared in the body, with the parameters in scope at each: they connect
    /// sub-instances, and the process's own CHP may use either end of them, or both.
    pub local_channels: Vec<(&'a VarDecl, Params)>,
}

/// The widest intermediate value an expression may have, in bits.
pub const MAX_EXPR_WIDTH: u32 = 1 << 22;

struct Array {
    base: usize,
    lo: i64,
    len: usize,
    ty: Ty,
    /// `enum<N>`: the N its values must stay below.
    enum_size: Option<u64>,
}

struct PortArray {
    base: usize,
    lo: i64,
    len: usize,
    /// What the channel carries (`None`: dataless).
    ty: Option<Ty>,
}

/// A channel declared in the process, as its own CHP uses it. Each end the CHP uses is a block
/// of `len` slots, allocated on first use: `first` for the end used (or probed) first, `second`
/// for the other end when the CHP uses both (its parallel branches talk to each other).
#[derive(Clone)]
struct LocalChannel {
    lo: i64,
    len: usize,
    is_array: bool,
    ty: Option<Ty>,
    reply: Option<Ty>,
    first: Option<usize>,
    second: Option<usize>,
}

struct Lowerer<'f> {
    vars: HashMap<String, Array>,
    ports: HashMap<String, PortArray>,
    slots: Vec<PortSlot>,
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
    /// Temporaries holding a conversion `name(e)` whose field is read (`name(e).x`), as ACT
    /// makes them: variables after the declared ones (from slot `temps_base`).
    temps: Vec<VarSlot>,
    temps_base: usize,
    /// The assignments of those temporaries for the statement being lowered, which run just
    /// before it (each an assignment, with its delay, as in actsim).
    hoisted: Vec<Stmt>,
    /// Lowering a loop's guard: evaluated again on each iteration, so a temporary assigned
    /// before the loop would be stale; the conversion is read in place there.
    in_loop_guard: bool,
    /// Lowering a macro's body: what its field and argument names stand for (see
    /// `macro_call`).
    macro_names: HashMap<String, ast::Expr>,
    /// The file's functions, which the CHP may call.
    functions: &'f Functions<'f>,
    /// Lowering a function's body: no channels, no logs.
    in_function: bool,
}

pub fn lower_program(
    def: &ProcessDef,
    name: String,
    parts: &ProgramParts<'_>,
    functions: &Functions<'_>,
) -> Result<Program, Vec<Diagnostic>> {
    let (block, params) = parts
        .chp
        .as_ref()
        .expect("only processes with CHP are lowered");
    let mut l = Lowerer::new(params.clone(), functions);
    let mut port_vars = Vec::new();
    for port in &def.ports {
        let TypeKind::Chan { dir, data, reply } = &port.ty.kind else {
            port_vars.push(port);
            continue;
        };
        // A bad type or size is reported by the structural pass; here the port is only
        // remembered as poisoned, so that its uses add no "unknown channel" errors.
        let ty = payload(data, params, &mut Vec::new());
        let reply = payload(reply, params, &mut Vec::new());
        let dims = l.dims(&port.dims, params, false);
        let (Some(ty), Some(reply), Some((lo, len))) = (ty, reply, dims) else {
            l.poisoned.insert(port.name.name.clone());
            continue;
        };
        if l.ports.contains_key(&port.name.name) {
            continue; // a duplicate port, reported by the structural pass
        }
        let base = l.slots.len();
        for i in 0..len {
            let name = if port.dims.is_empty() {
                port.name.name.clone()
            } else {
                format!("{}[{}]", port.name.name, lo + i as i64)
            };
            let d = dir.map(|d| {
                if d == ChanDir::Input {
                    Dir::Receive
                } else {
                    Dir::Send
                }
            });
            l.slots.push(PortSlot {
                name,
                dir: d.unwrap_or(Dir::Send),
                ty,
                reply,
                local: false,
                used: true,
            });
            l.dirs.push(d);
        }
        l.ports
            .insert(port.name.name.clone(), PortArray { base, lo, len, ty });
        l.note_record(&port.name.name, &port.ty, params);
        if dir.is_none() {
            // Declared without a direction: its CHP may use both ends, like a local channel's
            // (the port's own slots are the end used first).
            let channel = LocalChannel {
                lo,
                len,
                is_array: !port.dims.is_empty(),
                ty,
                reply,
                first: Some(base),
                second: None,
            };
            l.local_channels.insert(port.name.name.clone(), channel);
        }
    }
    for (decl, p) in &parts.local_channels {
        l.declare_local_channel(decl, p);
    }
    let mut vars = Vec::new();
    // `bool`/`int` ports come first: the variables shared with other processes.
    for port in port_vars {
        // A bad type or size is reported by the structural pass.
        let ty = data_type(&port.ty, params, &mut Vec::new());
        let dims = l.dims(&port.dims, params, false);
        let (Some(ty), Some((lo, len))) = (ty, dims) else {
            l.poisoned.insert(port.name.name.clone());
            continue;
        };
        if l.vars.contains_key(&port.name.name) || l.ports.contains_key(&port.name.name) {
            continue; // a duplicate port, reported by the structural pass
        }
        let enum_size = enum_size(&port.ty, params);
        l.note_record(&port.name.name, &port.ty, params);
        let bounds = (lo, len);
        l.add_vars(
            &mut vars,
            &port.name.name,
            !port.dims.is_empty(),
            ty,
            bounds,
            enum_size,
        );
    }
    // Then the variables connected to ports of sub-instances: shared too.
    let mut shared_slots = vars.len();
    let connected = |decl: &VarDecl| parts.connected_vars.contains(&decl.name.name);
    let (shared, own): (Vec<_>, Vec<_>) = parts.vars.iter().partition(|(d, _)| connected(d));
    let mut first_declared: HashMap<&str, Span> = def
        .ports
        .iter()
        .map(|p| (p.name.name.as_str(), p.name.span.clone()))
        .collect();
    for (decl, p) in shared.into_iter().chain(own) {
        // A declaration with a bad type or size is poisoned: its uses report nothing more.
        let ty = data_type(&decl.ty, p, &mut l.diags);
        let dims = l.dims(&decl.dims, p, true);
        let (Some(ty), Some((lo, len))) = (ty, dims) else {
            l.poisoned.insert(decl.name.name.clone());
            continue;
        };
        if l.vars.contains_key(&decl.name.name) || l.ports.contains_key(&decl.name.name) {
            let mut d = Diagnostic::error(
                decl.name.span.clone(),
                format!("`{}` is declared twice", decl.name.name),
            )
            .with_label("declared again here");
            if let Some(first) = first_declared.get(decl.name.name.as_str()) {
                d = d.with_note(first.clone(), "first declared here");
            }
            l.diags.push(d);
            continue;
        }
        first_declared.insert(&decl.name.name, decl.name.span.clone());
        let enum_size = enum_size(&decl.ty, p);
        l.note_record(&decl.name.name, &decl.ty, p);
        let bounds = (lo, len);
        l.add_vars(
            &mut vars,
            &decl.name.name,
            !decl.dims.is_empty(),
            ty,
            bounds,
            enum_size,
        );
        if connected(decl) {
            shared_slots = vars.len();
        }
    }
    l.temps_base = vars.len();
    let body = match &block.body {
        Some(s) => l.body(s),
        None => Some(Stmt {
            kind: StmtKind::Skip,
            span: block.span.clone(),
            delay: None,
        }),
    };
    vars.append(&mut l.temps);
    for (slot, dir) in l.slots.iter_mut().zip(&l.dirs) {
        match dir {
            Some(d) => slot.dir = *d,
            None if slot.local && !slot.used => {}
            None if slot.local => l.diags.push(
                Diagnostic::error(def.name.span.clone(), format!("cannot tell which end of channel `{}` this process probes: its CHP neither sends nor receives on it", slot.name))
                    .with_hint("probe a channel on the end the process sends or receives on"),
            ),
            None => l.diags.push(
                Diagnostic::error(def.name.span.clone(), format!("cannot tell the direction of port `{}`: its CHP neither sends nor receives on it", slot.name))
                    .with_hint("declare it chan?(...) or chan!(...)"),
            ),
        }
    }
    match body {
        // With a poisoned declaration the program is not run; its errors are reported already.
        Some(body) if l.diags.is_empty() && l.poisoned.is_empty() => Ok(Program {
            name,
            vars,
            shared_slots,
            shares_vars: matches!(body.kind, StmtKind::Par(_)),
            ports: l.slots,
            body,
        }),
        _ => Err(l.diags),
    }
}

impl<'f> Lowerer<'f> {
    fn new(params: Params, functions: &'f Functions<'f>) -> Self {
        Lowerer {
            vars: HashMap::new(),
            ports: HashMap::new(),
            slots: Vec::new(),
            dirs: Vec::new(),
            params,
            diags: Vec::new(),
            poisoned: HashSet::new(),
            local_channels: HashMap::new(),
            probed: HashSet::new(),
            probed_on_receive: HashSet::new(),
            records: HashMap::new(),
            temps: Vec::new(),
            temps_base: 0,
            hoisted: Vec::new(),
            in_loop_guard: false,
            macro_names: HashMap::new(),
            functions,
            in_function: false,
        }
    }

    /// Lowers the CHP body. When it probes a channel whose both ends it uses, which end the
    /// probe looks at is only known at the end: the body is then lowered a second time, with
    /// those probes on the receive end.
    fn body(&mut self, s: &ast::Stmt) -> Option<Stmt> {
        let (slots, dirs, channels) = (
            self.slots.clone(),
            self.dirs.clone(),
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
        (self.slots, self.dirs, self.local_channels) = (slots, dirs, channels);
        self.temps.clear();
        self.probed_on_receive = both_ends;
        self.stmt(s)
    }

    /// Declares a variable (an array: `len` slots from `lo`) in the next slots of `vars`.
    fn add_vars(
        &mut self,
        vars: &mut Vec<VarSlot>,
        name: &str,
        is_array: bool,
        ty: Ty,
        (lo, len): (i64, usize),
        enum_size: Option<u64>,
    ) {
        let base = vars.len();
        for i in 0..len {
            let name = if is_array {
                format!("{name}[{}]", lo + i as i64)
            } else {
                name.to_string()
            };
            vars.push(VarSlot { name, ty });
        }
        let array = Array {
            base,
            lo,
            len,
            ty,
            enum_size,
        };
        self.vars.insert(name.to_string(), array);
    }

    /// One-dimensional array bounds `(lo, len)`. `report` says whether a bad size is reported
    /// here (variables) or was already reported by the structural pass (ports).
    fn dims(&mut self, dims: &[ArrayDim], params: &Params, report: bool) -> Option<(i64, usize)> {
        let (r, span) = match dims {
            [] => return Some((0, 1)),
            [ArrayDim::Size(n)] => (eval_const(n, params).map(|n| (0, Some(n))), n.span.clone()),
            [ArrayDim::Range(lo, hi)] => (
                eval_const(lo, params).and_then(|lo| {
                    let hi = eval_const(hi, params)?;
                    Ok((lo, hi.checked_sub(lo).and_then(|d| d.checked_add(1))))
                }),
                lo.span.start..hi.span.end,
            ),
            [first, ..] => {
                if report {
                    let span = match first {
                        ArrayDim::Size(n) => n.span.clone(),
                        ArrayDim::Range(lo, _) => lo.span.clone(),
                    };
                    self.err(&span, "multi-dimensional arrays are not supported yet");
                }
                return None;
            }
        };
        match r {
            Ok((lo, Some(len))) if (1..=MAX_ARRAY).contains(&len) => Some((lo, len as usize)),
            Ok((_, len)) => {
                if report {
                    let message = match len {
                        Some(n) => format!("an array size must be between 1 and {MAX_ARRAY}, not {n}"),
                        None => format!(
                            "this array range has more elements than chpsim can count (at most {MAX_ARRAY})"
                        ),
                    };
                    self.diags
                        .push(Diagnostic::error(span, message).with_label("bad size"));
                }
                None
            }
            Err(d) => {
                if report {
                    self.diags.push(d);
                }
                None
            }
        }
    }

    /// Remembers a channel declared in the process; its slots are allocated when the CHP uses
    /// it. A bad type or size was reported by the structural pass: the name is only poisoned.
    fn declare_local_channel(&mut self, decl: &VarDecl, params: &Params) {
        let TypeKind::Chan { data, reply, .. } = &decl.ty.kind else {
            return;
        };
        let ty = payload(data, params, &mut Vec::new());
        let reply = payload(reply, params, &mut Vec::new());
        let dims = self.dims(&decl.dims, params, false);
        let (Some(ty), Some(reply), Some((lo, len))) = (ty, reply, dims) else {
            self.poisoned.insert(decl.name.name.clone());
            return;
        };
        let channel = LocalChannel {
            lo,
            len,
            is_array: !decl.dims.is_empty(),
            ty,
            reply,
            first: None,
            second: None,
        };
        self.local_channels
            .entry(decl.name.name.clone())
            .or_insert(channel);
        self.note_record(&decl.name.name, &decl.ty, params);
    }

    /// Remembers the record type of `name`, declared with `ty` (a channel: of its data).
    fn note_record(&mut self, name: &str, ty: &ast::Type, params: &Params) {
        let def = match &ty.kind {
            TypeKind::Record(def) => def,
            TypeKind::Chan {
                data: Some(data), ..
            } => match &data.kind {
                TypeKind::Record(def) => def,
                _ => return,
            },
            _ => return,
        };
        // A bad width in the definition is reported where the declaration's type is checked.
        if let Some(layout) = layout(def, params, &mut Vec::new()) {
            self.records.insert(name.to_string(), layout);
        }
    }

    /// The record type of the value `e` denotes, if it is a record.
    fn record_of(&mut self, e: &ast::Expr) -> Option<Arc<Layout>> {
        use ast::ExprKind as A;
        match &e.kind {
            A::Name(id) if self.macro_names.contains_key(&id.name) => {
                let stands_for = self.macro_names[&id.name].clone();
                self.in_caller(|l| l.record_of(&stands_for))
            }
            A::Name(id) => self.records.get(&id.name).cloned(),
            A::Index { base, .. } => match &base.kind {
                A::Name(id) => self.records.get(&id.name).cloned(),
                A::Field { base, field } => self.field_record(base, field),
                _ => None,
            },
            A::Field { base, field } => self.field_record(base, field),
            A::RecordOf { record, .. } => layout(record, &self.params, &mut Vec::new()),
            A::Call { func, .. } => self.call_record(func),
            // `c ? s : t` of two records of the same type (checked where it is lowered).
            A::Conditional { then, .. } => self.record_of(then),
            _ => None,
        }
    }

    /// The record type of field `field` of `base`, if it is a record.
    fn field_record(&mut self, base: &ast::Expr, field: &ast::Ident) -> Option<Arc<Layout>> {
        match &self.record_of(base)?.field(&field.name)?.elem {
            Elem::Record(layout) => Some(layout.clone()),
            Elem::Data(_) => None,
        }
    }

    /// Where field `field` of `base` (element `index` of an array field) lies in `base`'s
    /// value (of type `base_ty`): its lowest bit and its type.
    fn field_bits(
        &mut self,
        base: &ast::Expr,
        field: &ast::Ident,
        index: Option<&ast::Expr>,
        base_ty: Ty,
    ) -> Option<(u32, Ty)> {
        let Some(record) = self.record_of(base) else {
            self.diags.push(
                Diagnostic::error(
                    base.span.clone(),
                    format!(
                        "this is {base_ty}, not a record: it has no field `{}`",
                        field.name
                    ),
                )
                .with_label("not a record"),
            );
            return None;
        };
        let Some(f) = record.field(&field.name) else {
            let d = if record.methods.contains(&field.name) {
                Diagnostic::error(
                    field.span.clone(),
                    format!(
                        "`{}` is a method of `{}`: methods of user types are not supported yet",
                        field.name, record.name
                    ),
                )
            } else {
                Diagnostic::error(
                    field.span.clone(),
                    format!(
                        "record type `{}` has no field `{}`",
                        record.name, field.name
                    ),
                )
                .with_label("unknown field")
                .with_hint(record.field_hint(&field.name))
            };
            self.diags.push(d);
            return None;
        };
        let k = match (f.array, index) {
            (None, None) => 0,
            (Some(_), None) => {
                self.err(
                    &field.span,
                    format!("field `{}` is an array; index it", field.name),
                );
                return None;
            }
            (None, Some(i)) => {
                self.err(&i.span, format!("field `{}` is not an array", field.name));
                return None;
            }
            (Some((lo, len)), Some(i)) => match self.index(i, lo, len)? {
                Ok(k) => k,
                Err(_) => {
                    self.diags.push(
                        Diagnostic::error(i.span.clone(), "an array field indexed at run time is not supported yet")
                            .with_label("not a constant")
                            .with_hint("index an array field with a constant or a parameter, or make the record an array"),
                    );
                    return None;
                }
            },
        };
        Some((f.element_offset(k), f.elem.ty()))
    }

    /// The value of a field (of type `ty`, lowest bit `lo`) of the record value `inner`.
    fn field_value(inner: Expr, lo: u32, ty: Ty) -> (ExprKind, Ty) {
        match ty.width() {
            0 => (ExprKind::Const(Constant::Small(0)), ty),
            width => (
                ExprKind::Bits {
                    inner: Box::new(inner),
                    hi: lo + width - 1,
                    lo,
                },
                ty,
            ),
        }
    }

    /// `base.field` or `base.field[index]` as a value.
    fn field_expr(
        &mut self,
        base: &ast::Expr,
        field: &ast::Ident,
        index: Option<&ast::Expr>,
    ) -> Option<(ExprKind, Ty)> {
        let mut inner = self.expr(base)?;
        if matches!(base.kind, ast::ExprKind::RecordOf { .. }) && !self.in_loop_guard {
            inner = self.hoist(inner);
        }
        let (lo, ty) = self.field_bits(base, field, index, inner.ty)?;
        Some(Self::field_value(inner, lo, ty))
    }

    /// A temporary assigned `value` just before the current statement, as a value. ACT reads
    /// a field of a conversion (`name(e).x`) through such a temporary, and actsim's timing
    /// shows its assignment: each costs an assignment's delay.
    fn hoist(&mut self, value: Expr) -> Expr {
        let slot = self.temps_base + self.temps.len();
        let ty = value.ty;
        self.temps.push(VarSlot {
            name: format!("$conversion{}", self.temps.len()),
            ty,
        });
        let span = value.span.clone();
        self.hoisted.push(Stmt {
            kind: StmtKind::Assign {
                target: Place::Var { slot, ty },
                value,
            },
            span: span.clone(),
            delay: None,
        });
        Expr {
            kind: ExprKind::Var(slot),
            ty,
            span,
        }
    }

    /// `base.field` or `base.field[index]` as a place.
    fn field_place(
        &mut self,
        e: &ast::Expr,
        base: &ast::Expr,
        field: &ast::Ident,
        index: Option<&ast::Expr>,
    ) -> Option<Place> {
        let inner = self.place(base)?;
        let (lo, ty) = self.field_bits(base, field, index, inner.ty())?;
        if ty.width() == 0 {
            self.err(&e.span, "this field is int<0>: it cannot be assigned");
            return None;
        }
        let bits = Place::Bits {
            inner: Box::new(inner),
            hi: lo + ty.width() - 1,
            lo,
        };
        Some(match ty {
            Ty::Bool => Place::Bool(Box::new(bits)),
            Ty::Int(_) => bits,
        })
    }

    /// `s.m(args);`: the body of macro `m` of `s`'s record type, with its field names standing
    /// for `s`'s fields and its argument names for `args` (as ACT expands a macro: each of its
    /// statements runs and costs as written there).
    fn macro_call(
        &mut self,
        receiver: &ast::Expr,
        method: &ast::Ident,
        args: &[ast::Expr],
        span: &Span,
    ) -> Option<StmtKind> {
        let Some(record) = self.record_of(receiver) else {
            let r = self.expr(receiver)?;
            let message = format!(
                "this is {}, not a record: it has no macro `{}`",
                r.ty, method.name
            );
            self.err(&receiver.span, message);
            return None;
        };
        let Some(def) = record.macros.iter().find(|m| m.name.name == method.name) else {
            let message = if record.methods.contains(&method.name) {
                format!(
                    "`{}` is a function of `{}`: call it in an expression",
                    method.name, record.name
                )
            } else {
                format!(
                    "record type `{}` has no macro `{}`",
                    record.name, method.name
                )
            };
            self.err(&method.span, message);
            return None;
        };
        if def.args.len() != args.len() {
            self.diags.push(
                Diagnostic::error(
                    span.clone(),
                    format!(
                        "macro `{}` takes {} argument(s), but {} were given",
                        method.name,
                        def.args.len(),
                        args.len()
                    ),
                )
                .with_note(def.name.span.clone(), "defined here"),
            );
            return None;
        }
        let Some(body) = &def.body else {
            return Some(StmtKind::Skip);
        };
        let mut names = HashMap::new();
        for field in record.field_names() {
            let field_expr = ast::ExprKind::Field {
                base: Box::new(receiver.clone()),
                field: ast::Ident {
                    name: field.to_string(),
                    span: receiver.span.clone(),
                },
            };
            names.insert(
                field.to_string(),
                ast::Expr {
                    kind: field_expr,
                    span: receiver.span.clone(),
                },
            );
        }
        for (decl, arg) in def.args.iter().zip(args) {
            names.insert(decl.name.name.clone(), arg.clone());
        }
        let outer = std::mem::replace(&mut self.macro_names, names);
        let lowered = self.stmt(body);
        self.macro_names = outer;
        Some(lowered?.kind)
    }

    /// Runs `f` in the scope of a macro's caller (where what its names stand for was written).
    fn in_caller<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let names = std::mem::take(&mut self.macro_names);
        let result = f(self);
        self.macro_names = names;
        result
    }

    /// `s.f(args)`: the method function `f` of `s`'s record type, called with `s`'s fields
    /// and then `args` (see the parser's `parse_type_body`).
    fn method_call(
        &mut self,
        receiver: &ast::Expr,
        method: &ast::Ident,
        args: &[ast::Expr],
        span: &Span,
    ) -> Option<(ExprKind, Ty)> {
        let Some(record) = self.record_of(receiver) else {
            let r = self.expr(receiver)?;
            self.diags.push(
                Diagnostic::error(
                    receiver.span.clone(),
                    format!(
                        "this is {}, not a record: it has no method `{}`",
                        r.ty, method.name
                    ),
                )
                .with_label("not a record"),
            );
            return None;
        };
        let Some(def) = self
            .functions
            .get(&format!("{}.{}", record.name, method.name))
        else {
            let message = if record.methods.contains(&method.name) {
                format!(
                    "`{}` is a macro of `{}`: it has no value; call it as a statement, `s.{}(...);`",
                    method.name, record.name, method.name
                )
            } else {
                format!(
                    "record type `{}` has no method `{}`",
                    record.name, method.name
                )
            };
            self.err(&method.span, message);
            return None;
        };
        let fields = record.field_names().map(|name| ast::Expr {
            kind: ast::ExprKind::Field {
                base: Box::new(receiver.clone()),
                field: ast::Ident {
                    name: name.to_string(),
                    span: receiver.span.clone(),
                },
            },
            span: receiver.span.clone(),
        });
        let all: Vec<ast::Expr> = fields.chain(args.iter().cloned()).collect();
        self.user_call(def, &[], &all, span)
    }

    /// `name(e)`: the integer `e` as a record (cut or zero-extended to its width).
    fn record_from(
        &mut self,
        record: &ast::RecordDef,
        value: &ast::Expr,
    ) -> Option<(ExprKind, Ty)> {
        let layout = layout(record, &self.params, &mut self.diags)?;
        let v = self.expr(value)?;
        if v.ty == Ty::Bool {
            self.err(
                &value.span,
                format!(
                    "`{}(e)` converts an integer, but this is a bool",
                    layout.name
                ),
            );
            return None;
        }
        Some((ExprKind::Resize(Box::new(v)), Ty::Int(layout.width)))
    }

    /// A value of record type `found` (or of plain type `found_ty`) where one of `expected`
    /// (or of plain type `expected_ty`) belongs: records only go where the same record goes.
    fn check_record(
        &mut self,
        expected: Option<Arc<Layout>>,
        expected_ty: Ty,
        found: Option<Arc<Layout>>,
        value: &Expr,
    ) -> Option<()> {
        let describe = |r: &Option<Arc<Layout>>, ty: Ty| match r {
            Some(r) => format!("record `{}`", r.name),
            None => ty.to_string(),
        };
        if expected.as_ref().map(|r| &r.name) == found.as_ref().map(|r| &r.name) {
            return Some(());
        }
        let mut d = Diagnostic::error(
            value.span.clone(),
            format!(
                "type mismatch: expected {}, found {}",
                describe(&expected, expected_ty),
                describe(&found, value.ty)
            ),
        );
        if let (Some(r), None) = (&expected, &found) {
            d = d.with_hint(format!(
                "to make a record of an integer, write `{}(e)`",
                r.name
            ));
        } else if found.is_some() && expected.is_none() {
            d = d.with_hint("to use a record's bits as an integer, write `int(e)`");
        }
        self.diags.push(d);
        None
    }

    /// The block of slots for the end of local channel `name` that a use in direction `dir`
    /// (`None`: a probe) takes: the first end used, or the other one.
    fn local_channel_block(&mut self, name: &str, dir: Option<Dir>) -> Option<PortArray> {
        let channel = self.local_channels.get(name)?;
        let (lo, len, ty, reply, is_array) = (
            channel.lo,
            channel.len,
            channel.ty,
            channel.reply,
            channel.is_array,
        );
        let first_dir = channel.first.map(|b| self.dirs[b]);
        let takes_first = match (first_dir, dir) {
            (None, _) => None,
            (Some(None), _) | (Some(_), None) => channel.first,
            (Some(Some(d)), Some(wanted)) if d == wanted => channel.first,
            (Some(Some(_)), Some(_)) => channel.second,
        };
        if let Some(base) = takes_first {
            self.set_block_dir(base, len, dir);
            return Some(PortArray { base, lo, len, ty });
        }
        let base = self.slots.len();
        for i in 0..len {
            let name = if !is_array {
                name.to_string()
            } else {
                format!("{name}[{}]", lo + i as i64)
            };
            self.slots.push(PortSlot {
                name,
                dir: dir.unwrap_or(Dir::Send),
                ty,
                reply,
                local: true,
                used: false,
            });
            self.dirs.push(None);
        }
        let channel = self.local_channels.get_mut(name).expect("looked up above");
        if channel.first.is_none() {
            channel.first = Some(base);
        } else {
            channel.second = Some(base);
        }
        self.set_block_dir(base, len, dir);
        Some(PortArray { base, lo, len, ty })
    }

    /// An end of a local channel array is used in one direction by all its elements.
    fn set_block_dir(&mut self, base: usize, len: usize, dir: Option<Dir>) {
        if dir.is_some() {
            self.dirs[base..base + len].fill(dir);
        }
    }

    /// Whether `name` is a port or a channel declared in the process.
    fn is_channel(&self, name: &str) -> bool {
        self.ports.contains_key(name) || self.local_channels.contains_key(name)
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
        if let Some(hint) = did_you_mean(name, candidates) {
            d = d.with_hint(hint);
        }
        self.diags.push(d);
    }

    fn stmt(&mut self, s: &ast::Stmt) -> Option<Stmt> {
        let delay = match &s.delay {
            None => None,
            Some(e) => match eval_const(e, &self.params) {
                Ok(d) if d >= 0 => Some(d as u64),
                Ok(d) => {
                    self.err(&e.span, format!("a delay cannot be negative ({d})"));
                    None
                }
                Err(d) => {
                    self.diags.push(d);
                    None
                }
            },
        };
        let outer = std::mem::take(&mut self.hoisted);
        let kind = self.stmt_kind(s);
        let mut hoisted = std::mem::replace(&mut self.hoisted, outer);
        let stmt = Stmt {
            kind: kind?,
            span: s.span.clone(),
            delay,
        };
        if hoisted.is_empty() {
            return Some(stmt);
        }
        hoisted.push(stmt);
        Some(Stmt {
            kind: StmtKind::Seq(hoisted),
            span: s.span.clone(),
            delay: None,
        })
    }

    fn stmt_kind(&mut self, s: &ast::Stmt) -> Option<StmtKind> {
        use ast::StmtKind as A;
        if let Some(message) = function::function_stmt_error(s).filter(|_| self.in_function) {
            self.err(&s.span, message);
            return None;
        }
        Some(match &s.kind {
            A::Skip => StmtKind::Skip,
            A::Assign {
                target: target_ast,
                value: value_ast,
            } => {
                let target = self.place(target_ast);
                let value = self.expr(value_ast);
                let (target, value) = (target?, value?);
                self.check_assignable(target.ty(), &value)?;
                let (expected, found) = (self.record_of(target_ast), self.record_of(value_ast));
                self.check_record(expected, target.ty(), found, &value)?;
                StmtKind::Assign { target, value }
            }
            A::SetBool { target, value } => {
                let target = self.place(target)?;
                if target.ty() != Ty::Bool {
                    self.err(
                        &s.span,
                        format!("`+`/`-` set a bool, but this is {}", target.ty()),
                    );
                    return None;
                }
                let value = Expr {
                    kind: ExprKind::Const(Constant::Small(u64::from(*value))),
                    ty: Ty::Bool,
                    span: s.span.clone(),
                };
                StmtKind::Assign { target, value }
            }
            A::Send {
                chan,
                value,
                reply,
                flavor,
            } => {
                let (port, ty, reply_ty) = self.port(chan, Dir::Send)?;
                let value = match (value, ty) {
                    (Some(value_ast), Some(ty)) => {
                        let v = self.expr(value_ast)?;
                        self.check_assignable(ty, &v)?;
                        let (expected, found) = (self.record_of(chan), self.record_of(value_ast));
                        self.check_record(expected, ty, found, &v)?;
                        Some(fit_to_channel(v, ty))
                    }
                    (Some(v), None) => {
                        self.diags.push(
                            Diagnostic::error(
                                v.span.clone(),
                                "this channel is dataless (chan()): it carries no value",
                            )
                            .with_hint("send a bare synchronisation: `X!`"),
                        );
                        return None;
                    }
                    (None, _) => None,
                };
                let reply = match self.exchange(reply.as_ref(), reply_ty, &s.span)? {
                    Some((t, ty)) => Some(self.receive_target(t, ty, &s.span)?),
                    None => None,
                };
                StmtKind::Send {
                    port,
                    value,
                    reply,
                    flavor: *flavor,
                }
            }
            A::Recv {
                chan,
                target,
                reply,
                flavor,
            } => {
                let (port, ty, reply_ty) = self.port(chan, Dir::Receive)?;
                let target = match (target, ty) {
                    (Some(t), None) => {
                        self.diags.push(
                            Diagnostic::error(
                                t.span.clone(),
                                "this channel is dataless (chan()): there is no value to receive",
                            )
                            .with_hint("receive a bare synchronisation: `X?`"),
                        );
                        return None;
                    }
                    (Some(t), Some(ty)) => {
                        let place = self.receive_target(t, ty, &s.span)?;
                        let (expected, found) = (self.record_of(t), self.record_of(chan));
                        let received = Expr {
                            kind: ExprKind::Const(Constant::Small(0)),
                            ty,
                            span: chan.span.clone(),
                        };
                        self.check_record(expected, place.ty(), found, &received)?;
                        Some(place)
                    }
                    (None, _) => None,
                };
                let reply = match self.exchange(reply.as_ref(), reply_ty, &s.span)? {
                    Some((e, ty)) => {
                        let e = self.expr(e)?;
                        self.check_assignable(ty, &e)?;
                        Some(e)
                    }
                    None => None,
                };
                StmtKind::Receive {
                    port,
                    target,
                    reply,
                    flavor: *flavor,
                }
            }
            A::Seq(items) => StmtKind::Seq(self.stmts(items)?),
            A::Par(items) => StmtKind::Par(self.stmts(items)?),
            A::Select {
                nondeterministic,
                arms,
            } => {
                let (arms, otherwise) = self.arms(arms, true)?;
                StmtKind::Select {
                    nondeterministic: *nondeterministic,
                    arms,
                    otherwise: otherwise.map(Box::new),
                }
            }
            A::Wait(g) => {
                let guard = self.guard(g)?;
                let body = Stmt {
                    kind: StmtKind::Skip,
                    span: s.span.clone(),
                    delay: None,
                };
                StmtKind::Select {
                    nondeterministic: false,
                    arms: vec![Arm { guard, body }],
                    otherwise: None,
                }
            }
            A::Forever(body) => {
                let body = self.stmt(body)?;
                let guard = Expr {
                    kind: ExprKind::Const(Constant::Small(1)),
                    ty: Ty::Bool,
                    span: s.span.clone(),
                };
                StmtKind::Loop {
                    nondeterministic: false,
                    arms: vec![Arm { guard, body }],
                }
            }
            A::GuardedLoop(arms) => {
                let (arms, _) = self.arms(arms, false)?;
                StmtKind::Loop {
                    nondeterministic: false,
                    arms,
                }
            }
            A::DoLoop { body, cond } => {
                let body = self.stmt(body);
                let condition = self.loop_guard(cond);
                StmtKind::DoLoop {
                    body: Box::new(body?),
                    condition: condition?,
                }
            }
            A::Replicated {
                parallel,
                var,
                range,
                body,
            } => {
                self.check_loop_variable(var)?;
                let (lo, hi) = self.range(range)?;
                let mut items = Vec::new();
                for i in lo..=hi {
                    let shadowed = self.params.bind(&var.name, i);
                    items.push(self.stmt(body));
                    self.params.unbind(&var.name, shadowed);
                }
                let items: Option<Vec<Stmt>> = items.into_iter().collect();
                if *parallel {
                    StmtKind::Par(items?)
                } else {
                    StmtKind::Seq(items?)
                }
            }
            A::Log { kind, args } => StmtKind::Log {
                kind: *kind,
                args: self.log_args(args)?,
            },
            A::MacroCall {
                receiver,
                method,
                args,
            } => self.macro_call(receiver, method, args, &s.span)?,
            A::Assert { cond, message } => {
                let condition = self.guard(cond);
                let message = self.log_args(message);
                StmtKind::Assert {
                    condition: condition?,
                    message: message?,
                }
            }
        })
    }

    /// Where a receive from a channel carrying `ty` stores: a variable of the same kind, or
    /// with a cast (`X?bool(v)`: a bool channel into an int; `X?int(b)`: an int channel into a
    /// bool, which gets "not zero") one of the other kind.
    /// Checks the reply part of a communication against the channel: an exchange channel
    /// `chan(T1, T2)` needs one (`X!e?v`, `X?v!e`), any other channel has none.
    fn exchange<'e>(
        &mut self,
        reply: Option<&'e ast::Expr>,
        reply_ty: Option<Ty>,
        span: &Span,
    ) -> Option<Option<(&'e ast::Expr, Ty)>> {
        match (reply, reply_ty) {
            (Some(r), Some(ty)) => Some(Some((r, ty))),
            (None, None) => Some(None),
            (Some(r), None) => {
                self.diags.push(
                    Diagnostic::error(r.span.clone(), "this channel carries data one way only")
                        .with_hint("an exchange needs a channel of two types: `chan(T1, T2)`"),
                );
                None
            }
            (None, Some(_)) => {
                self.diags.push(
                    Diagnostic::error(span.clone(), "an exchange channel needs both directions")
                        .with_hint("send and receive back in one action: `X!e?v` or `X?v!e`"),
                );
                None
            }
        }
    }

    fn receive_target(&mut self, t: &ast::Expr, ty: Ty, span: &Span) -> Option<Place> {
        let ast::ExprKind::Cast { to, value, width } = &t.kind else {
            let place = self.place(t)?;
            if (place.ty() == Ty::Bool) != (ty == Ty::Bool) {
                self.diags.push(
                    Diagnostic::error(
                        span.clone(),
                        format!(
                            "type mismatch: the channel carries {ty}, but the variable is {}",
                            place.ty()
                        ),
                    )
                    .with_hint(format!(
                        "to convert, receive with a cast: `X?{}(v)`",
                        if ty == Ty::Bool { "bool" } else { "int" }
                    )),
                );
                return None;
            }
            return Some(place);
        };
        if let Some(w) = width {
            self.err(&w.span, "a receive cast takes no width: write `X?int(v)`");
            return None;
        }
        let place = self.place(value)?;
        let cast_bool = *to == ast::CastTo::Bool;
        if cast_bool != (ty == Ty::Bool) {
            self.err(
                &t.span,
                format!(
                    "the cast names the channel's type, which is {ty}: write `X?{}(v)`",
                    if ty == Ty::Bool { "bool" } else { "int" }
                ),
            );
            return None;
        }
        Some(match (ty, place.ty()) {
            (Ty::Int(_), Ty::Bool) => Place::NonZero(Box::new(place)),
            _ => place,
        })
    }

    /// A replication variable may hide a parameter (until the replication ends), but not a
    /// variable or channel: which one a use meant would be unclear.
    fn check_loop_variable(&mut self, var: &ast::Ident) -> Option<()> {
        if self.vars.contains_key(&var.name) || self.is_channel(&var.name) {
            self.diags.push(
                Diagnostic::error(
                    var.span.clone(),
                    format!(
                        "the replication variable `{}` has the name of a variable or channel of this process",
                        var.name
                    ),
                )
                .with_hint("give the replication variable another name"),
            );
            return None;
        }
        Some(())
    }

    fn stmts(&mut self, items: &[ast::Stmt]) -> Option<Vec<Stmt>> {
        let lowered: Vec<Option<Stmt>> = items.iter().map(|s| self.stmt(s)).collect();
        lowered.into_iter().collect()
    }

    fn range(&mut self, range: &IterRange) -> Option<(i64, i64)> {
        let r = match range {
            IterRange::Count(n) => match eval_const(n, &self.params) {
                Ok(c) if c < 0 => {
                    self.err(
                        &n.span,
                        format!("a replication count cannot be negative ({c})"),
                    );
                    return None;
                }
                r => r.map(|c| (0, c - 1)),
            },
            IterRange::Inclusive(lo, hi) => {
                eval_const(lo, &self.params).and_then(|lo| Ok((lo, eval_const(hi, &self.params)?)))
            }
        };
        match r {
            Ok((lo, hi)) if hi.saturating_sub(lo) < 1 << 16 => Some((lo, hi)),
            Ok((lo, hi)) => {
                let span = match range {
                    IterRange::Count(n) => n.span.clone(),
                    IterRange::Inclusive(a, b) => a.span.start..b.span.end,
                };
                self.err(&span, format!("replication {lo}..{hi} is too long"));
                None
            }
            Err(d) => {
                self.diags.push(d);
                None
            }
        }
    }

    /// Lowers guarded commands, expanding replicated guards; returns the `else` arm separately.
    fn arms(
        &mut self,
        cmds: &[ast::GuardedCmd],
        else_allowed: bool,
    ) -> Option<(Vec<Arm>, Option<Stmt>)> {
        let mut arms = Vec::new();
        let mut otherwise = None;
        let mut ok = true;
        for (k, cmd) in cmds.iter().enumerate() {
            let values: Vec<Option<i64>> = match &cmd.replicator {
                None => vec![None],
                Some(r) => {
                    let range = self.check_loop_variable(&r.var).and(self.range(&r.range));
                    let Some((lo, hi)) = range else {
                        ok = false;
                        continue;
                    };
                    (lo..=hi).map(Some).collect()
                }
            };
            for v in values {
                let shadowed = match (&cmd.replicator, v) {
                    (Some(r), Some(v)) => Some((&r.var.name, self.params.bind(&r.var.name, v))),
                    _ => None,
                };
                match &cmd.guard {
                    ast::Guard::Else => {
                        if !else_allowed {
                            self.err(
                                &cmd.span,
                                "a loop cannot have an `else` arm (it would never exit)",
                            );
                            ok = false;
                        } else if k + 1 != cmds.len() {
                            self.err(&cmd.span, "`else` must be the last arm");
                            ok = false;
                        } else {
                            otherwise = self.stmt(&cmd.body);
                            ok &= otherwise.is_some();
                        }
                    }
                    ast::Guard::Expr(g) => {
                        let guard = if else_allowed {
                            self.guard(g)
                        } else {
                            self.loop_guard(g)
                        };
                        let body = self.stmt(&cmd.body);
                        match (guard, body) {
                            (Some(guard), Some(body)) => arms.push(Arm { guard, body }),
                            _ => ok = false,
                        }
                    }
                }
                if let Some((name, shadowed)) = shadowed {
                    self.params.unbind(name, shadowed);
                }
            }
        }
        ok.then_some((arms, otherwise))
    }

    /// A loop's guard (see `in_loop_guard`).
    fn loop_guard(&mut self, g: &ast::Expr) -> Option<Expr> {
        let outer = std::mem::replace(&mut self.in_loop_guard, true);
        let guard = self.guard(g);
        self.in_loop_guard = outer;
        guard
    }

    fn guard(&mut self, g: &ast::Expr) -> Option<Expr> {
        let e = self.expr(g)?;
        if e.ty != Ty::Bool {
            self.err(
                &g.span,
                format!("a guard must be a bool, but this is {}", e.ty),
            );
            return None;
        }
        Some(e)
    }

    fn check_assignable(&mut self, target: Ty, value: &Expr) -> Option<()> {
        if (target == Ty::Bool) != (value.ty == Ty::Bool) {
            self.err(
                &value.span,
                format!("type mismatch: expected {target}, found {}", value.ty),
            );
            return None;
        }
        Some(())
    }

    /// The arguments of a log statement, each value with the format in force where it stands
    /// (see [`log_format`]).
    fn log_args(&mut self, args: &[ast::LogArg]) -> Option<Vec<LogArg>> {
        let mut out = Vec::new();
        let mut format = LogFormat::Unsigned;
        let mut ok = true;
        for arg in args {
            match arg {
                ast::LogArg::Str(s, _) => {
                    let (new_format, text) = log_format(s);
                    format = new_format;
                    if !text.is_empty() {
                        out.push(LogArg::Text(text.to_string()));
                    }
                }
                ast::LogArg::Expr(e) => match self.expr(e) {
                    Some(_) if self.record_of(e).is_some() => {
                        self.diags.push(
                            Diagnostic::error(e.span.clone(), "cannot print a whole record (actsim: \"Can't display a structure\")")
                                .with_label("a record")
                                .with_hint("print its fields one by one, or its bits with `int(e)`"),
                        );
                        ok = false;
                    }
                    Some(expr) => out.push(LogArg::Value { expr, format }),
                    None => ok = false,
                },
            }
        }
        ok.then_some(out)
    }

    /// A port used for `dir`, checking (or inferring) its direction.
    /// A port used in direction `dir`: the reference, its data type and its reply type.
    fn port(&mut self, e: &ast::Expr, dir: Dir) -> Option<(PortRef, Option<Ty>, Option<Ty>)> {
        let (port, ty, slots) = self.port_ref(e, Some(dir))?;
        let reply = slots.first().and_then(|&slot| self.slots[slot].reply);
        for slot in slots {
            match self.dirs[slot] {
                None => self.dirs[slot] = Some(dir),
                Some(d) if d == dir => {}
                Some(_) => {
                    let (doing, declared) = match dir {
                        Dir::Send => ("sends on", "an input (chan?)"),
                        Dir::Receive => ("receives from", "an output (chan!)"),
                    };
                    self.err(
                        &e.span,
                        format!(
                            "this {doing} `{}`, which is {declared}",
                            self.slots[slot].name
                        ),
                    );
                    return None;
                }
            }
        }
        Some((port, ty, reply))
    }

    /// Resolves a port reference (or a reference to a channel declared in the process) used in
    /// direction `dir` (`None`: probed); also returns the slots it may denote.
    fn port_ref(
        &mut self,
        e: &ast::Expr,
        dir: Option<Dir>,
    ) -> Option<(PortRef, Option<Ty>, Vec<usize>)> {
        let (id, index) = match &e.kind {
            ast::ExprKind::Name(id) => (id, None),
            ast::ExprKind::Index { base, index } => {
                let ast::ExprKind::Name(id) = &base.kind else {
                    self.err(&e.span, "expected a port or a port array element");
                    return None;
                };
                (id, Some(index))
            }
            _ => {
                self.err(&e.span, "expected a channel");
                return None;
            }
        };
        let dir = match dir {
            None if self.probed_on_receive.contains(&id.name) => Some(Dir::Receive),
            None if self.local_channels.contains_key(&id.name) => {
                self.probed.insert(id.name.clone());
                None
            }
            dir => dir,
        };
        let Some(p) = self.channel_slots(&id.name, dir) else {
            if index.is_none() && self.vars.contains_key(&id.name) {
                let msg = format!("`{}` is a variable, not a channel", id.name);
                self.err(&id.span, msg);
            } else {
                let msg = format!("unknown channel `{}`", id.name);
                self.unknown(&id.span, msg, &id.name, false, true);
            }
            return None;
        };
        let (base_slot, lo, len, ty) = (p.base, p.lo, p.len, p.ty);
        let (port, slots) = match index {
            None if len == 1 && lo == 0 => (PortRef::Fixed(base_slot), vec![base_slot]),
            None => {
                let what = if self.ports.contains_key(&id.name) {
                    "an array of ports"
                } else {
                    "an array of channels"
                };
                self.err(&e.span, format!("`{}` is {what}; index it", id.name));
                return None;
            }
            Some(index) => match self.index(index, lo, len)? {
                Ok(i) => (PortRef::Fixed(base_slot + i), vec![base_slot + i]),
                Err(index) => (
                    PortRef::Element {
                        base: base_slot,
                        lo,
                        len,
                        index: Box::new(index),
                        span: e.span.clone(),
                    },
                    (base_slot..base_slot + len).collect(),
                ),
            },
        };
        for &slot in &slots {
            self.slots[slot].used = true;
        }
        Some((port, ty, slots))
    }

    /// The slots of a port, or of the end of a local channel that a use in `dir` takes.
    fn channel_slots(&mut self, name: &str, dir: Option<Dir>) -> Option<PortArray> {
        if self.local_channels.contains_key(name) {
            return self.local_channel_block(name, dir);
        }
        self.ports.get(name).map(|p| PortArray {
            base: p.base,
            lo: p.lo,
            len: p.len,
            ty: p.ty,
        })
    }

    /// An array index: `Ok(i)` (counted from 0) when constant (checked against the bounds),
    /// else the run-time expression as written (the lower bound is applied when it is checked).
    fn index(&mut self, index: &ast::Expr, lo: i64, len: usize) -> Option<Result<usize, Expr>> {
        if let Ok(i) = eval_const(index, &self.params) {
            let at = i.checked_sub(lo).unwrap_or(-1);
            if at < 0 || at >= len as i64 {
                self.err(
                    &index.span,
                    format!(
                        "index {i} is out of range (valid: {lo}..{})",
                        lo + len as i64 - 1
                    ),
                );
                return None;
            }
            return Some(Ok(at as usize));
        }
        let e = self.expr(index)?;
        if e.ty == Ty::Bool {
            self.err(&index.span, "an index must be an integer");
            return None;
        }
        Some(Err(e))
    }

    /// A place; one of an `enum<N>` variable checks, when it is stored, that the value is
    /// below N.
    fn place(&mut self, e: &ast::Expr) -> Option<Place> {
        let place = self.plain_place(e)?;
        let root = match &e.kind {
            ast::ExprKind::Name(id) => Some(id),
            ast::ExprKind::Index { base, .. } => match &base.kind {
                ast::ExprKind::Name(id) => Some(id),
                _ => None,
            },
            _ => None,
        };
        let size = root.and_then(|id| self.vars.get(&id.name)?.enum_size);
        Some(match size {
            Some(size) => Place::Enum {
                inner: Box::new(place),
                size,
                span: e.span.clone(),
            },
            None => place,
        })
    }

    fn plain_place(&mut self, e: &ast::Expr) -> Option<Place> {
        match &e.kind {
            ast::ExprKind::Name(id) if self.macro_names.contains_key(&id.name) => {
                let stands_for = self.macro_names[&id.name].clone();
                self.in_caller(|l| l.place(&stands_for))
            }
            ast::ExprKind::Name(id) => match self.vars.get(&id.name) {
                Some(a) if a.len == 1 && a.lo == 0 => Some(Place::Var {
                    slot: a.base,
                    ty: a.ty,
                }),
                Some(_) => {
                    self.err(&e.span, format!("`{}` is an array; index it", id.name));
                    None
                }
                None => {
                    if self.params.get(&id.name).is_some() {
                        let msg = format!("`{}` is a parameter and cannot be assigned", id.name);
                        self.err(&id.span, msg);
                    } else if self.is_channel(&id.name) {
                        let msg =
                            format!("`{}` is a channel; use `{}?x` to receive", id.name, id.name);
                        self.err(&id.span, msg);
                    } else {
                        let msg = format!("unknown variable `{}`", id.name);
                        self.unknown(&id.span, msg, &id.name, true, false);
                    }
                    None
                }
            },
            ast::ExprKind::Field { base, field } => self.field_place(e, base, field, None),
            ast::ExprKind::Index { base, index } => {
                if let ast::ExprKind::Field { base, field } = &base.kind {
                    return self.field_place(e, base, field, Some(index));
                }
                let ast::ExprKind::Name(id) = &base.kind else {
                    self.err(&e.span, "expected a variable or an array element");
                    return None;
                };
                let Some(a) = self.vars.get(&id.name) else {
                    let msg = format!("unknown variable `{}`", id.name);
                    self.unknown(&id.span, msg, &id.name, true, false);
                    return None;
                };
                let (base_slot, lo, len, ty) = (a.base, a.lo, a.len, a.ty);
                match self.index(index, lo, len)? {
                    Ok(i) => Some(Place::Var {
                        slot: base_slot + i,
                        ty,
                    }),
                    Err(index) => Some(Place::Element {
                        base: base_slot,
                        lo,
                        len,
                        index: Box::new(index),
                        ty,
                        span: e.span.clone(),
                    }),
                }
            }
            ast::ExprKind::BitSlice { base, hi, lo } => {
                let inner = self.place(base)?;
                let (hi, lo) = self.bit_range(hi, lo.as_deref(), inner.ty())?;
                Some(Place::Bits {
                    inner: Box::new(inner),
                    hi,
                    lo,
                })
            }
            _ => {
                self.err(&e.span, "this cannot be assigned to");
                None
            }
        }
    }

    fn bit_range(&mut self, hi: &ast::Expr, lo: Option<&ast::Expr>, ty: Ty) -> Option<(u32, u32)> {
        let h = eval_const(hi, &self.params)
            .map_err(|d| self.diags.push(d))
            .ok()?;
        let l = match lo {
            Some(lo) => eval_const(lo, &self.params)
                .map_err(|d| self.diags.push(d))
                .ok()?,
            None => h,
        };
        let width = i64::from(ty.width());
        if l < 0 || h < l || h >= width {
            let span = lo.map_or(hi.span.clone(), |lo| hi.span.start..lo.span.end);
            self.err(
                &span,
                format!("bit range {{{h}..{l}}} does not fit in {ty}"),
            );
            return None;
        }
        Some((h as u32, l as u32))
    }

    fn expr(&mut self, e: &ast::Expr) -> Option<Expr> {
        use ast::ExprKind as A;
        let span = e.span.clone();
        let (kind, ty) = match &e.kind {
            A::Int(v) => {
                let width = v.bits().clamp(1, u64::from(u32::MAX)) as u32;
                let c = match v.to_u64() {
                    Some(x) => Constant::Small(x),
                    None => Constant::Wide(v.clone()),
                };
                (ExprKind::Const(c), Ty::Int(width))
            }
            A::Bool(b) => (ExprKind::Const(Constant::Small(u64::from(*b))), Ty::Bool),
            A::Name(id) if self.macro_names.contains_key(&id.name) => {
                let stands_for = self.macro_names[&id.name].clone();
                let lowered = self.in_caller(|l| l.expr(&stands_for))?;
                (lowered.kind, lowered.ty)
            }
            A::Name(id) => {
                if let Some(a) = self.vars.get(&id.name) {
                    if a.len != 1 || a.lo != 0 {
                        self.err(&span, format!("`{}` is an array; index it", id.name));
                        return None;
                    }
                    (ExprKind::Var(a.base), a.ty)
                } else if self.is_parameter(&id.name) {
                    self.parameter_value(e)?
                } else if self.is_channel(&id.name) {
                    self.channel_value(e)?
                } else {
                    // A value: suggest a variable, not a channel (rarely read as a value).
                    let msg = format!("unknown name `{}`", id.name);
                    self.unknown(&span, msg, &id.name, true, false);
                    return None;
                }
            }
            A::Index { base, index } if matches!(base.kind, A::Field { .. }) => {
                let A::Field { base, field } = &base.kind else {
                    return None;
                };
                self.field_expr(base, field, Some(index))?
            }
            A::Index { base, index } => {
                let A::Name(id) = &base.kind else {
                    self.err(&span, "expected an array element");
                    return None;
                };
                if !self.vars.contains_key(&id.name) && self.is_parameter(&id.name) {
                    let (kind, ty) = self.parameter_value(e)?;
                    return Some(Expr { kind, ty, span });
                }
                if !self.vars.contains_key(&id.name) && self.is_channel(&id.name) {
                    let (kind, ty) = self.channel_value(e)?;
                    return Some(Expr { kind, ty, span });
                }
                let Some(a) = self.vars.get(&id.name) else {
                    let msg = format!("unknown array `{}`", id.name);
                    self.unknown(&id.span, msg, &id.name, true, false);
                    return None;
                };
                let (base_slot, lo, len, ty) = (a.base, a.lo, a.len, a.ty);
                match self.index(index, lo, len)? {
                    Ok(i) => (ExprKind::Var(base_slot + i), ty),
                    Err(index) => (
                        ExprKind::Element {
                            base: base_slot,
                            lo,
                            len,
                            index: Box::new(index),
                        },
                        ty,
                    ),
                }
            }
            A::Field { base, field } => self.field_expr(base, field, None)?,
            A::RecordOf { record, value } => self.record_from(record, value)?,
            A::MethodCall {
                receiver,
                method,
                args,
            } => self.method_call(receiver, method, args, &span)?,
            A::BitSlice { base, hi, lo } => {
                let inner = self.expr(base)?;
                let (h, l) = self.bit_range(hi, lo.as_deref(), inner.ty)?;
                let ty = if lo.is_none() && inner.ty == Ty::Bool {
                    Ty::Bool
                } else {
                    Ty::Int(h - l + 1)
                };
                (
                    ExprKind::Bits {
                        inner: Box::new(inner),
                        hi: h,
                        lo: l,
                    },
                    ty,
                )
            }
            A::Probe(chan) => {
                let (port, _, _) = self.port_ref(chan, None)?;
                (ExprKind::Probe(port), Ty::Bool)
            }
            A::Unary { op, operand } => {
                let a = self.expr(operand)?;
                if self.record_of(operand).is_some() {
                    self.diags.push(
                        Diagnostic::error(
                            operand.span.clone(),
                            "`~` and `-` need an integer or a bool, but this is a record",
                        )
                        .with_label("a record")
                        .with_hint("apply it to a field, or to the record's bits with `int(e)`"),
                    );
                    return None;
                }
                let op = match op {
                    ast::UnaryOp::Not => UnaryOp::Not,
                    ast::UnaryOp::Neg => {
                        if a.ty == Ty::Bool {
                            self.err(&span, "cannot negate a bool (use `~`)");
                            return None;
                        }
                        UnaryOp::Negate
                    }
                };
                let ty = a.ty;
                (ExprKind::Unary(op, Box::new(a)), ty)
            }
            A::Binary { op, lhs, rhs } => {
                let a = self.expr(lhs);
                let b = self.expr(rhs);
                let (a, b) = (a?, b?);
                self.check_record_operands(*op, lhs, rhs, &a, &b)?;
                let (op, ty) = self.binary_type(*op, &a, &b, rhs, &span)?;
                (ExprKind::Binary(op, Box::new(a), Box::new(b)), ty)
            }
            A::Conditional {
                cond,
                then,
                otherwise,
            } => {
                let lowered = self.conditional(cond, then, otherwise, &span)?;
                let (a, b) = (self.record_of(then), self.record_of(otherwise));
                if a.as_ref().map(|r| &r.name) != b.as_ref().map(|r| &r.name) {
                    let describe = |r: Option<Arc<Layout>>| {
                        r.map_or("an integer".to_string(), |r| format!("record `{}`", r.name))
                    };
                    let message = format!(
                        "the branches of `? :` mix {} and {}",
                        describe(a),
                        describe(b)
                    );
                    self.err(&span, message);
                    return None;
                }
                lowered
            }
            A::Cast { to, value, width } => self.cast(*to, value, width.as_deref())?,
            A::Call {
                func,
                template_args,
                args,
            } => self.call(func, template_args, args, &span)?,
            A::Concat(parts) => {
                let parts: Option<Vec<Expr>> = parts.iter().map(|p| self.expr(p)).collect();
                let parts = parts?;
                let width: u64 = parts.iter().map(|p| u64::from(p.ty.width())).sum();
                let width = width.min(u64::from(u32::MAX)) as u32;
                (ExprKind::Concat(parts), Ty::Int(width))
            }
        };
        if ty.width() > MAX_EXPR_WIDTH {
            self.err(
                &span,
                format!(
                    "this expression is {} bits wide; chpsim handles at most {MAX_EXPR_WIDTH}",
                    ty.width()
                ),
            );
            return None;
        }
        Some(Expr { kind, ty, span })
    }

    /// Whether `name` is a parameter (with or without a value yet), a parameter array or a
    /// loop variable.
    fn is_parameter(&self, name: &str) -> bool {
        self.params.get(name).is_some()
            || self.params.array(name).is_some()
            || self.params.is_unset(name)
            || self.params.has_failed(name)
    }

    /// A parameter or parameter array element, as a constant as wide as its value needs.
    fn parameter_value(&mut self, e: &ast::Expr) -> Option<(ExprKind, Ty)> {
        let v = eval_const(e, &self.params)
            .map_err(|d| self.diags.push(d))
            .ok()?;
        let width = (64 - (v as u64).leading_zeros()).max(1);
        Some((ExprKind::Const(Constant::Small(v as u64)), Ty::Int(width)))
    }

    /// `c ? a : b`: both branches bools, or both integers (then as wide as the wider).
    fn conditional(
        &mut self,
        cond: &ast::Expr,
        then: &ast::Expr,
        otherwise: &ast::Expr,
        span: &Span,
    ) -> Option<(ExprKind, Ty)> {
        let c = self.expr(cond);
        let a = self.expr(then);
        let b = self.expr(otherwise);
        let (c, a, b) = (c?, a?, b?);
        if c.ty != Ty::Bool {
            self.err(
                &cond.span,
                format!(
                    "the condition of `? :` must be a bool, but this is {}",
                    c.ty
                ),
            );
            return None;
        }
        let ty = match (a.ty, b.ty) {
            (Ty::Bool, Ty::Bool) => Ty::Bool,
            (Ty::Int(x), Ty::Int(y)) => Ty::Int(x.max(y)),
            (x, y) => {
                self.err(span, format!("the branches of `? :` mix {x} and {y}"));
                return None;
            }
        };
        Some((
            ExprKind::Conditional(Box::new(c), Box::new(a), Box::new(b)),
            ty,
        ))
    }

    /// `int(e)` (a bool as 0/1; an integer unchanged), `int(e, w)` (cut or zero-extended to
    /// `w` bits, `w` may be 0), `bool(e)` (an integer's "is not zero").
    fn cast(
        &mut self,
        to: ast::CastTo,
        value: &ast::Expr,
        width: Option<&ast::Expr>,
    ) -> Option<(ExprKind, Ty)> {
        let v = self.expr(value)?;
        let width = match width {
            Some(w) => Some(
                eval_size(w, &self.params, "the width of int(e, w)", 0, 1 << 20)
                    .map_err(|d| self.diags.push(d))
                    .ok()?,
            ),
            None => None,
        };
        Some(match (to, width, v.ty) {
            (ast::CastTo::Int, Some(w), _) => (ExprKind::Resize(Box::new(v)), Ty::Int(w)),
            (ast::CastTo::Int, None, Ty::Bool) => (v.kind, Ty::Int(1)),
            (ast::CastTo::Int, None, ty) | (ast::CastTo::Bool, _, ty @ Ty::Bool) => (v.kind, ty),
            (ast::CastTo::Bool, _, ty) => {
                let zero = Expr {
                    kind: ExprKind::Const(Constant::Small(0)),
                    ty,
                    span: v.span.clone(),
                };
                (
                    ExprKind::Binary(BinaryOp::Ne, Box::new(v), Box::new(zero)),
                    Ty::Bool,
                )
            }
        })
    }

    /// A call of a built-in: `bitwidth(x)`, the declared width of a variable or channel.
    fn call(
        &mut self,
        func: &ast::Ident,
        template_args: &[ast::Expr],
        args: &[ast::Expr],
        span: &Span,
    ) -> Option<(ExprKind, Ty)> {
        if let Some(def) = self.functions.get(&func.name) {
            return self.user_call(def, template_args, args, span);
        }
        if func.name != "bitwidth" || !template_args.is_empty() {
            let mut d = Diagnostic::error(
                func.span.clone(),
                format!("unknown function `{}`", func.name),
            );
            d = match did_you_mean(&func.name, self.functions.names()) {
                Some(hint) => d.with_hint(hint),
                None => d.with_hint("chpsim knows the built-ins bitwidth(x), int(e), int(e, w) and bool(e), and the functions the file defines"),
            };
            self.diags.push(d);
            return None;
        }
        let [arg] = args else {
            self.err(
                span,
                "`bitwidth` takes one argument: a variable or a channel",
            );
            return None;
        };
        let width = self.declared_width(arg)?;
        let bits = (32 - width.leading_zeros()).max(1);
        Some((
            ExprKind::Const(Constant::Small(u64::from(width))),
            Ty::Int(bits),
        ))
    }

    /// The declared width of the variable or channel `e` names (an array: of its elements).
    fn declared_width(&mut self, e: &ast::Expr) -> Option<u32> {
        let id = match &e.kind {
            ast::ExprKind::Name(id) => id,
            ast::ExprKind::Index { base, .. } => match &base.kind {
                ast::ExprKind::Name(id) => id,
                _ => {
                    self.err(&e.span, "expected a variable or a channel");
                    return None;
                }
            },
            _ => {
                self.err(&e.span, "expected a variable or a channel");
                return None;
            }
        };
        if let Some(a) = self.vars.get(&id.name) {
            return Some(a.ty.width());
        }
        if let Some(p) = self.ports.get(&id.name) {
            return Some(p.ty.map_or(0, Ty::width));
        }
        if let Some(c) = self.local_channels.get(&id.name) {
            return Some(c.ty.map_or(0, Ty::width));
        }
        let msg = format!("unknown variable `{}`", id.name);
        self.unknown(&id.span, msg, &id.name, true, true);
        None
    }

    /// A receive port's name as a value: the value a waiting sender offers, else 0.
    fn channel_value(&mut self, e: &ast::Expr) -> Option<(ExprKind, Ty)> {
        let (port, ty, _) = self.port(e, Dir::Receive)?;
        let Some(ty) = ty else {
            self.diags.push(
                Diagnostic::error(
                    e.span.clone(),
                    "this channel is dataless (chan()): it has no value to read",
                )
                .with_hint("probe it with `#X` to see whether a sender waits"),
            );
            return None;
        };
        Some((ExprKind::ChannelValue(port), ty))
    }

    /// Records can only be compared (`=`, `!=`), with records of the same type.
    fn check_record_operands(
        &mut self,
        op: ast::BinaryOp,
        lhs: &ast::Expr,
        rhs: &ast::Expr,
        a: &Expr,
        b: &Expr,
    ) -> Option<()> {
        let (ra, rb) = (self.record_of(lhs), self.record_of(rhs));
        if ra.is_none() && rb.is_none() {
            return Some(());
        }
        if matches!(op, ast::BinaryOp::Eq | ast::BinaryOp::Ne) {
            return self.check_record(ra, a.ty, rb, b);
        }
        let record = if ra.is_some() { lhs } else { rhs };
        self.diags.push(
            Diagnostic::error(
                record.span.clone(),
                format!("`{}` needs integers, but this is a record", op.symbol()),
            )
            .with_label("a record")
            .with_hint("records can only be compared with `=` and `!=`; use a field, or `int(e)`"),
        );
        None
    }

    fn binary_type(
        &mut self,
        op: ast::BinaryOp,
        a: &Expr,
        b: &Expr,
        rhs: &ast::Expr,
        span: &Span,
    ) -> Option<(BinaryOp, Ty)> {
        use ast::BinaryOp as A;
        let (wa, wb) = (u64::from(a.ty.width()), u64::from(b.ty.width()));
        let bools = (a.ty == Ty::Bool, b.ty == Ty::Bool);
        let logic = matches!(op, A::And | A::Or | A::Xor);
        let equality = matches!(op, A::Eq | A::Ne);
        if bools.0 != bools.1 {
            self.err(
                span,
                format!("`{}` mixes {} and {}", op.symbol(), a.ty, b.ty),
            );
            return None;
        }
        if bools.0 && !(logic || equality) {
            self.err(
                span,
                format!("`{}` needs integers, but these are bools", op.symbol()),
            );
            return None;
        }
        // Widths are computed in 64 bits; `expr` rejects any beyond MAX_EXPR_WIDTH.
        let int = |w: u64| Ty::Int(w.clamp(1, u64::from(u32::MAX)) as u32);
        // A divisor written as a literal zero can only fail; one that depends on a parameter
        // may sit in a branch that never runs, so it is left to the run-time check.
        if matches!(op, A::Div | A::Mod)
            && is_literal(rhs)
            && eval_const(rhs, &Params::default()) == Ok(0)
        {
            self.diags.push(
                Diagnostic::error(span.clone(), "division by zero")
                    .with_note(rhs.span.clone(), "this is always 0"),
            );
            return None;
        }
        Some(match op {
            A::Add => (BinaryOp::Add, int(wa.max(wb) + 1)),
            A::Sub => (BinaryOp::Sub, int(wa.max(wb) + 1)),
            A::Mul => (BinaryOp::Mul, int(wa + wb)),
            A::Div => (BinaryOp::Div, int(wa)),
            A::Mod => (BinaryOp::Rem, int(wb)),
            A::Shl => {
                let extra = eval_const(rhs, &self.params)
                    .ok()
                    .filter(|c| (0..=4096).contains(c))
                    .unwrap_or(0);
                (BinaryOp::Shl, int(wa + extra as u64))
            }
            A::Shr => (BinaryOp::Shr, int(wa)),
            A::Asr => (BinaryOp::Asr, int(wa)),
            A::And if bools.0 => (BinaryOp::And, Ty::Bool),
            A::Or if bools.0 => (BinaryOp::Or, Ty::Bool),
            A::Xor if bools.0 => (BinaryOp::Xor, Ty::Bool),
            A::And => (BinaryOp::And, int(wa.max(wb))),
            A::Or => (BinaryOp::Or, int(wa.max(wb))),
            A::Xor => (BinaryOp::Xor, int(wa.max(wb))),
            A::Eq => (BinaryOp::Eq, Ty::Bool),
            A::Ne => (BinaryOp::Ne, Ty::Bool),
            A::Lt => (BinaryOp::Lt, Ty::Bool),
            A::Le => (BinaryOp::Le, Ty::Bool),
            A::Gt => (BinaryOp::Gt, Ty::Bool),
            A::Ge => (BinaryOp::Ge, Ty::Bool),
        })
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

/// The size of an `enum<N>` type (checked by `data_type`), for a variable of that type.
fn enum_size(ty: &ast::Type, params: &Params) -> Option<u64> {
    match &ty.kind {
        TypeKind::Enum { size } => eval_const(size, params).ok().map(|n| n as u64),
        _ => None,
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

/// The column count of `%Nd` (0 without digits), capped at what Rust's formatting allows.
fn log_columns(digits: &str) -> usize {
    const MAX_COLUMNS: usize = u16::MAX as usize;
    if digits.is_empty() {
        return 0;
    }
    digits.parse().unwrap_or(MAX_COLUMNS).min(MAX_COLUMNS)
}
