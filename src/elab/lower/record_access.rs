//! Records in CHP: field reads and writes, conversions `name(e)`, macros and methods.

use std::collections::HashMap;
use std::sync::Arc;

use super::Lowerer;
use crate::diag::Diagnostic;
use crate::elab::consts::Params;
use crate::elab::ir::{
    Constant, Dir, Expr, ExprKind, FieldElement, Place, Stmt, StmtKind, Ty, VarSlot,
};
use crate::elab::records::{layout, Elem, Layout, MethodSource};
use crate::elab::shape::Shape;
use crate::front::ast::{self, Span, TypeKind};

/// Where a field (an element of an array field) lies in its record's value.
pub(super) enum FieldAt {
    /// At this lowest bit.
    Fixed(u32),
    /// The element a run-time index picks.
    Chosen(Box<FieldElement>),
}

impl<'f> Lowerer<'f> {
    /// Remembers the record type of `name`, declared with `ty` (a channel: of its data);
    /// returns it.
    pub(super) fn note_record(
        &mut self,
        name: &str,
        ty: &ast::Type,
        params: &Params,
    ) -> Option<Arc<Layout>> {
        let def = match &ty.kind {
            TypeKind::Record(def) => def,
            TypeKind::Chan {
                data: Some(data), ..
            } => match &data.kind {
                TypeKind::Record(def) => def,
                _ => return None,
            },
            _ => return None,
        };
        // A bad width in the definition is reported where the declaration's type is checked.
        let layout = layout(def, params, &mut Vec::new())?;
        self.records.insert(name.to_string(), layout.clone());
        Some(layout)
    }

    /// The record type of the value `e` denotes, if it is a record.
    pub(super) fn record_of(&mut self, e: &ast::Expr) -> Option<Arc<Layout>> {
        use ast::ExprKind as A;
        if let Some(element) = self.bundle_element(e) {
            return self.record_of(&element);
        }
        // A bundle member or a sub-instance's port (or an element of one) carrying records.
        let channel = match &e.kind {
            A::Index { base, .. } => base,
            _ => e,
        };
        if let Some(record) = (self.member_name(channel)).and_then(|m| self.records.get(&m.name)) {
            return Some(record.clone());
        }
        match &e.kind {
            A::Name(id) if self.macro_names.contains_key(&id.name) => {
                let stands_for = self.macro_names[&id.name].clone();
                self.in_caller(|l| l.record_of(&stands_for))
            }
            A::Name(id) => self.records.get(&id.name).cloned(),
            A::Index { .. } if super::place::field_chain(e).is_some() => {
                let (base, field, _) = super::place::field_chain(e).expect("matched");
                self.field_record(base, field)
            }
            A::Index { base, .. } => match &base.kind {
                A::Name(id) => self.records.get(&id.name).cloned(),
                _ => None,
            },
            A::Field { base, field } => self.field_record(base, field),
            A::RecordOf { record, .. } => layout(record, &self.params, &mut Vec::new()),
            A::Call {
                func,
                template_args,
                ..
            } => self.call_record(func, template_args),
            A::MethodCall {
                receiver, method, ..
            } => self.method_record(receiver, method),
            // `c ? s : t` of two records of the same type (checked where it is lowered).
            A::Conditional { then, .. } => self.record_of(then),
            A::Binary { .. } | A::Unary { .. } => match self.overloaded_operator(e)? {
                Ok(call) => self.record_of(&call),
                Err(_) => None,
            },
            _ => None,
        }
    }

    /// The record type a method function `s.f(...)` returns, if it returns a record.
    fn method_record(&mut self, receiver: &ast::Expr, method: &ast::Ident) -> Option<Arc<Layout>> {
        let record = self.record_of(receiver)?;
        let (def, source) = self.method_function(&record, &method.name)?;
        match &def.result.kind {
            // Its type may name the parameters of the definition it comes from.
            TypeKind::Record(result) => {
                layout(result, &source.params(&self.params), &mut Vec::new())
            }
            _ => None,
        }
    }

    /// The record type of field `field` of `base`, if it is a record.
    pub(super) fn field_record(
        &mut self,
        base: &ast::Expr,
        field: &ast::Ident,
    ) -> Option<Arc<Layout>> {
        match &self.record_of(base)?.field(&field.name)?.elem {
            Elem::Record(layout) => Some(layout.clone()),
            Elem::Data(_) => None,
        }
    }

    /// Where field `field` of `base` (element `indices` of an array field) lies in `base`'s
    /// value (of type `base_ty`): its bits, its type, and N if it is an `enum<N>`.
    pub(super) fn field_bits(
        &mut self,
        base: &ast::Expr,
        field: &ast::Ident,
        indices: &[&ast::Expr],
        base_ty: Ty,
    ) -> Option<(FieldAt, Ty, Option<u64>)> {
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
                        "`{}` is a method of `{}`, not a field: call it (`.{}(...)`)",
                        field.name, record.name, field.name
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
        let at = match (f.dims.as_slice(), indices) {
            ([], []) => FieldAt::Fixed(f.element_offset(0)),
            (_, []) => {
                self.err(
                    &field.span,
                    format!("field `{}` is an array; index it", field.name),
                );
                return None;
            }
            ([], [i, ..]) => {
                self.err(&i.span, format!("field `{}` is not an array", field.name));
                return None;
            }
            (dims, [first, .., last]) | (dims, [first @ last]) => {
                let shape = Shape::new(dims.to_vec());
                let span = first.span.start..last.span.end;
                match self.element_at(&field.name, indices, &shape, &span)? {
                    Ok(k) => FieldAt::Fixed(f.element_offset(k)),
                    Err((index, lo)) => FieldAt::Chosen(Box::new(FieldElement {
                        index,
                        lo,
                        len: shape.len(),
                        first: f.element_offset(shape.len() - 1),
                        width: f.elem.ty().width(),
                    })),
                }
            }
        };
        Some((at, f.elem.ty(), f.enum_size))
    }

    /// The value of a field (of type `ty`, at `at`) of the record value `inner`.
    pub(super) fn field_value(inner: Expr, at: FieldAt, ty: Ty) -> (ExprKind, Ty) {
        let inner = Box::new(inner);
        match (ty.width(), at) {
            (0, _) => (ExprKind::Const(Constant::Small(0)), ty),
            (width, FieldAt::Fixed(lo)) => (
                ExprKind::Bits {
                    inner,
                    hi: lo + width - 1,
                    lo,
                },
                ty,
            ),
            (_, FieldAt::Chosen(at)) => (ExprKind::FieldElement { inner, at }, ty),
        }
    }

    /// `base.field` or `base.field[i][j]...` (`indices`) as a value.
    pub(super) fn field_expr(
        &mut self,
        base: &ast::Expr,
        field: &ast::Ident,
        indices: &[&ast::Expr],
    ) -> Option<(ExprKind, Ty)> {
        let mut inner = self.expr(base)?;
        if matches!(base.kind, ast::ExprKind::RecordOf { .. }) && !self.in_loop_guard {
            inner = self.hoist(inner);
        }
        let (at, ty, _) = self.field_bits(base, field, indices, inner.ty)?;
        Some(Self::field_value(inner, at, ty))
    }

    /// A temporary assigned `value` just before the current statement, as a value. ACT reads
    /// a field of a conversion (`name(e).x`) through such a temporary, and actsim's timing
    /// shows its assignment: each costs an assignment's delay.
    pub(super) fn hoist(&mut self, value: Expr) -> Expr {
        let slot = self.temps_base + self.temps.len();
        let ty = value.ty;
        let name = format!("$conversion{}", self.temps.len());
        self.temps.push(VarSlot::scalar(name, ty));
        let span = value.span.clone();
        self.hoisted.push(Stmt {
            kind: StmtKind::Assign {
                target: Place::Var { slot, ty },
                value,
            },
            span: span.clone(),
            delay: None,
            energy: 0,
            bandwidth: 0,
        });
        Expr {
            kind: ExprKind::Var(slot),
            ty,
            span,
        }
    }

    /// `base.field` or `base.field[i][j]...` (`indices`) as a place.
    pub(super) fn field_place(
        &mut self,
        e: &ast::Expr,
        base: &ast::Expr,
        field: &ast::Ident,
        indices: &[&ast::Expr],
    ) -> Option<Place> {
        let inner = Box::new(self.place(base)?);
        let (at, ty, enum_size) = self.field_bits(base, field, indices, inner.ty())?;
        if ty.width() == 0 {
            self.err(&e.span, "this field is int<0>: it cannot be assigned");
            return None;
        }
        let bits = match at {
            FieldAt::Fixed(lo) => Place::Bits {
                inner,
                hi: lo + ty.width() - 1,
                lo,
            },
            FieldAt::Chosen(at) => Place::FieldElement { inner, at },
        };
        Some(match (ty, enum_size) {
            (Ty::Bool, _) => Place::Bool(Box::new(bits)),
            // An `enum<N>` field checks, when it is stored, that the value is below N.
            (Ty::Int(_), Some(size)) => Place::Enum {
                inner: Box::new(bits),
                size,
                span: e.span.clone(),
            },
            (Ty::Int(_), None) => bits,
        })
    }

    /// `s.m(args);`: the body of macro `m` of `s`'s record type, with its field names standing
    /// for `s`'s fields and its argument names for `args` (as ACT expands a macro: each of its
    /// statements runs and costs as written there).
    pub(super) fn macro_call(
        &mut self,
        receiver: &ast::Expr,
        method: &ast::Ident,
        args: &[ast::Expr],
        span: &Span,
    ) -> Option<StmtKind> {
        if let ast::ExprKind::Name(instance) = &receiver.kind {
            if let Some(child) = self.child_macros.get(&instance.name).cloned() {
                return self.instance_macro_call(receiver, &child, method, args, span);
            }
        }
        let Some(record) = self.record_of(receiver) else {
            // An interface bundle (a record of channels only): its macros name its channels.
            if let ast::ExprKind::Name(id) = &receiver.kind {
                if let Some(def) = self.bundle_types.get(&id.name).cloned() {
                    let Some(found) = def.macros.iter().find(|m| m.name.name == method.name) else {
                        let functions = def.methods.iter().map(|m| &m.name);
                        self.no_macro(&def.name.name, functions, method);
                        return None;
                    };
                    let channels = self.channel_members(&id.name);
                    let members = channels.iter().map(|c| (c.as_str(), c.as_str()));
                    return self.expand_macro(found, receiver, members, method, args, span, None);
                }
            }
            let r = self.expr(receiver)?;
            let message = format!(
                "this is {}, not a record: it has no macro `{}`",
                r.ty, method.name
            );
            self.err(&receiver.span, message);
            return None;
        };
        let Some((def, source)) = record.find_macro(&method.name) else {
            self.no_macro(&record.name, record.methods.iter(), method);
            return None;
        };
        // A record mixing channels and data (`deftype s (int<8> a; chan?(int<8>) L)`) has its
        // channels beside its data: its macros name both.
        let channels = match &receiver.kind {
            ast::ExprKind::Name(id) => self.channel_members(&id.name),
            _ => Vec::new(),
        };
        let fields = (record.field_names())
            .chain(channels.iter().map(String::as_str))
            .map(|field| (field, field));
        // Its body sees the template parameters of the definition it comes from.
        let scope = (!source.def.template_params.is_empty()).then(|| source.params(&self.params));
        self.expand_macro(def, receiver, fields, method, args, span, scope)
    }

    /// The error for a call of `method` as a macro of type `type_name`, whose methods are
    /// `methods` (a function is called in an expression).
    fn no_macro<'m>(
        &mut self,
        type_name: &str,
        mut methods: impl Iterator<Item = &'m String>,
        method: &ast::Ident,
    ) {
        let message = if methods.any(|m| *m == method.name) {
            format!(
                "`{}` is a function of `{type_name}`: call it in an expression",
                method.name
            )
        } else {
            format!("record type `{type_name}` has no macro `{}`", method.name)
        };
        self.err(&method.span, message);
    }

    /// `s.m(args);` for an instance `s`: the body of macro `m` of its process, with its port
    /// names standing for `s`'s ports and its argument names for `args`.
    fn instance_macro_call(
        &mut self,
        receiver: &ast::Expr,
        child: &super::ChildMacros,
        method: &ast::Ident,
        args: &[ast::Expr],
        span: &Span,
    ) -> Option<StmtKind> {
        let Some(def) = child.macros.iter().find(|m| m.name.name == method.name) else {
            self.err(
                &method.span,
                format!("the process of `{receiver}` has no macro `{}`", method.name),
            );
            return None;
        };
        let ports = (child.ports.iter()).map(|(own, visible)| (own.as_str(), visible.as_str()));
        let outer = std::mem::replace(&mut self.macro_port_dirs, child.port_dirs.clone());
        let expanded = self.expand_macro(def, receiver, ports, method, args, span, None);
        self.macro_port_dirs = outer;
        expanded
    }

    /// The body of macro `def` called on `receiver` as `method(args)`, lowered with each name
    /// `own` of `members` standing for `receiver.visible` and its argument names for `args`,
    /// under the parameters `scope` if given (a templated record's macro sees its own).
    #[allow(clippy::too_many_arguments)]
    fn expand_macro<'n>(
        &mut self,
        def: &ast::MacroDef,
        receiver: &ast::Expr,
        members: impl Iterator<Item = (&'n str, &'n str)>,
        method: &ast::Ident,
        args: &[ast::Expr],
        span: &Span,
        scope: Option<Params>,
    ) -> Option<StmtKind> {
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
        let mut names: HashMap<String, ast::Expr> = members
            .map(|(own, visible)| (own.to_string(), member(receiver, visible)))
            .collect();
        for (decl, arg) in def.args.iter().zip(args) {
            self.check_macro_argument(method, decl, arg)?;
            names.insert(decl.name.name.clone(), arg.clone());
        }
        let outer = std::mem::replace(&mut self.macro_names, names);
        let outer_in_macro = std::mem::replace(&mut self.in_macro, true);
        let outer_caller = match scope {
            Some(scope) => {
                let caller = std::mem::replace(&mut self.params, scope);
                Some(self.caller_params.replace(caller))
            }
            None => None,
        };
        let lowered = self.stmt(body);
        if let Some(outer_caller) = outer_caller {
            let caller = std::mem::replace(&mut self.caller_params, outer_caller);
            self.params = caller.expect("set while the macro's body is lowered");
        }
        self.macro_names = outer;
        self.in_macro = outer_in_macro;
        Some(lowered?.kind)
    }

    /// ACT's check of a macro argument: the argument expression stands for the name in the
    /// body (with its own width, as ACT substitutes it), but an integer cannot go where the
    /// macro declares a bool, nor a bool where it declares an integer.
    fn check_macro_argument(
        &mut self,
        method: &ast::Ident,
        decl: &ast::PortDecl,
        arg: &ast::Expr,
    ) -> Option<()> {
        let declared_bool = match decl.ty.kind {
            ast::TypeKind::Bool => true,
            ast::TypeKind::Int { .. } | ast::TypeKind::Enum { .. } => false,
            _ => return Some(()),
        };
        // Errors inside the argument are reported where the body uses it.
        let reported = self.diags.len();
        let found = self.in_caller(|s| s.expr(arg)).map(|e| e.ty);
        self.diags.truncate(reported);
        match found {
            Some(ty) if (ty == Ty::Bool) != declared_bool => {
                self.diags.push(
                    Diagnostic::error(
                        arg.span.clone(),
                        format!(
                            "argument `{}` of macro `{}` is {}, but it is declared {}",
                            decl.name.name, method.name, ty, decl.ty
                        ),
                    )
                    .with_label("int/bool mismatch")
                    .with_note(decl.name.span.clone(), "declared here"),
                );
                None
            }
            _ => Some(()),
        }
    }

    /// Runs `f` in the scope of a macro's caller (where what its names stand for was written).
    pub(super) fn in_caller<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let names = std::mem::take(&mut self.macro_names);
        let in_macro = std::mem::replace(&mut self.in_macro, false);
        let own_params =
            (self.caller_params.take()).map(|caller| std::mem::replace(&mut self.params, caller));
        let result = f(self);
        if let Some(own) = own_params {
            self.caller_params = Some(std::mem::replace(&mut self.params, own));
        }
        self.macro_names = names;
        self.in_macro = in_macro;
        result
    }

    /// ACT's rule for the body of a macro: it reaches its arguments and its type's ports or
    /// fields (and parameters), never a variable of the instance or of the caller. Reports
    /// a reference `e` to anything else, and says whether it did.
    pub(super) fn outside_macro(&mut self, e: &ast::Expr) -> bool {
        let Some(root) = e.root_name() else {
            return false;
        };
        if !self.in_macro || self.macro_names.contains_key(root) || self.is_parameter(root) {
            return false;
        }
        let message = format!("`{root}` is not accessible from a macro");
        self.diags.push(
            Diagnostic::error(e.span.clone(), message)
                .with_label("not an argument of the macro, nor a port or field of its type")
                .with_hint("pass it to the macro as an argument"),
        );
        true
    }

    /// ACT's direction rule for a process's macro, which runs on the other end of the
    /// process's ports: it may send on an input port (`chan?`) and receive on an output port
    /// (`chan!`), not the reverse. Reports `chan` used so (`dir` is the use), and says whether
    /// it did.
    pub(super) fn wrong_end_in_macro(&mut self, chan: &ast::Expr, dir: Dir) -> bool {
        let Some(root) = chan.root_name().filter(|_| self.in_macro) else {
            return false;
        };
        let declared = self.macro_port_dirs.get(root).copied();
        let (operation, declared, seen) = match (declared, dir) {
            (Some(ast::ChanDir::Output), Dir::Send) => ("send", "output", "input"),
            (Some(ast::ChanDir::Input), Dir::Receive) => ("receive", "input", "output"),
            _ => return false,
        };
        let message = format!(
            "{operation} operation on an {seen} channel: `{root}`, an {declared} of the process, is an {seen} where its macro runs"
        );
        self.diags.push(
            Diagnostic::error(chan.span.clone(), message)
                .with_label(format!("the macro's end of this port is its {seen} end"))
                .with_hint("a process's macro runs where the instance is used, as its user: it sends on the process's inputs and receives on its outputs"),
        );
        true
    }

    /// `s.f(args)`: the method function `f` of `s`'s record type, called with `s`'s fields
    /// and then `args` (see the parser's `parse_type_body`).
    pub(super) fn method_call(
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
        let Some((def, source)) = self.method_function(&record, &method.name) else {
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
        // An inherited method gets the fields of its own record: the first ones.
        let own_fields = def.method.as_ref().map_or(0, |m| m.fields);
        let fields = record.field_names().take(own_fields).map(|name| ast::Expr {
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
        let values = (source.template_args.iter())
            .map(|&v| crate::elab::consts::ArgValue::Int(v))
            .collect();
        self.user_call(def, values, &all, span)
    }

    /// Method function `name` of `record` (its own, or else one it inherits), with the
    /// definition it comes from.
    pub(super) fn method_function<'r>(
        &self,
        record: &'r Layout,
        name: &str,
    ) -> Option<(&'f ast::FunctionDef, &'r MethodSource)> {
        record.sources.iter().find_map(|source| {
            let def = self
                .functions
                .get(&format!("{}.{name}", source.def.name.name))?;
            Some((def, source))
        })
    }

    /// `name(e)`: the integer `e` as a record (cut or zero-extended to its width).
    pub(super) fn record_from(
        &mut self,
        record: &ast::RecordType,
        value: &ast::Expr,
    ) -> Option<(ExprKind, Ty)> {
        let layout = layout(record, &self.params, &mut self.diags)?;
        if let Some(found) = self.record_of(value) {
            // ACT: the built-in conversion takes an integer; a record is no integer (even
            // one of the same type), `int(r)` first makes it one.
            self.err(
                &value.span,
                format!(
                    "`{}(e)` converts an integer, but this is record `{}`",
                    layout.name, found.name
                ),
            );
            return None;
        }
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
    pub(super) fn check_record(
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
        // ACT assigns records related by refinement (`sint<4>` of `deftype sint <:
        // fixpoint<W,0> () { }` and `fixpoint<4,0>`); chpsim when they have the same bits, a
        // refinement adding no fields (a child's own fields would sit among its parent's).
        if let (Some(e), Some(f)) = (&expected, &found) {
            let related = e.ancestors.contains(&f.name) || f.ancestors.contains(&e.name);
            if related && e.width == f.width {
                return Some(());
            }
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
}

/// `receiver.name`, spelled where `receiver` is.
fn member(receiver: &ast::Expr, name: &str) -> ast::Expr {
    ast::Expr {
        kind: ast::ExprKind::Field {
            base: Box::new(receiver.clone()),
            field: ast::Ident {
                name: name.to_string(),
                span: receiver.span.clone(),
            },
        },
        span: receiver.span.clone(),
    }
}
