//! User functions: `[template<...>] function f (int<8> a; bool b) : int<8> { int t; chp { ...
//! self := ... } }`.
//!
//! Each definition is lowered once per template arguments (on its first call) to a
//! [`Function`] with its own variables: the arguments, then `self` (the result), then its
//! locals. A call is an expression whose value is computed at once (see `sim::function`).
//! Choices where ACT leaves room: an array argument is an array variable of the same size; a
//! body may not use channels; a call of a function being lowered (recursion, direct or
//! not) is an error, so that no run can exhaust the stack; an `int` argument of another width
//! is cut or zero-extended to the parameter's width, as an assignment would.
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use super::{Lowerer, MethodScope, Variables};
use crate::diag::Diagnostic;
use crate::elab::consts::{
    bind_template, check_assertion, eval_template_arg, ArgValue, Params, Value,
};
use crate::elab::ir::{Constant, Expr, ExprKind, Function, FunctionBody, Ty, VarSlot};
use crate::elab::records::{layout, Layout};
use crate::elab::types::data_type;
use crate::front::ast::{self, scoped_names, BodyItem, FunctionDef, Span, TypeKind};
use crate::sim::external::{External, ExternalConfig, Libraries};

/// Calls may nest (a function calling another) at most this deep while lowering, and so
/// while running (see [`crate::elab::structure::MAX_DEPTH`] on the stack this takes).
const MAX_CALL_NESTING: usize = 1000;

/// A function instance's key: its name and template arguments.
type InstanceKey = (String, Vec<ArgValue>);

/// The file's functions, and their instances lowered so far.
#[derive(Default)]
pub(crate) struct Functions<'a> {
    defs: HashMap<&'a str, &'a FunctionDef>,
    /// The file's top-level parameters: a function sees them and its template parameters.
    globals: Params,
    /// The namespaces opened with `open` (see [`scoped_names`]).
    opened: &'a ast::OpenNamespaces,
    /// By name and template arguments; `None` for an instance whose errors were reported.
    instances: RefCell<HashMap<InstanceKey, Option<Rc<Function>>>>,
    /// The instances being lowered, outermost first: calling one of them is recursion.
    lowering: RefCell<Vec<InstanceKey>>,
    /// Where functions declared without a body are found (`--config`'s `sim.extern`).
    externals: ExternalConfig,
    /// The C libraries of external functions loaded so far.
    libraries: Libraries,
}

impl<'a> Functions<'a> {
    /// The table of `defs`; a second definition of a name is reported in `diags`.
    pub(crate) fn new(
        defs: impl Iterator<Item = &'a FunctionDef>,
        globals: Params,
        opened: &'a ast::OpenNamespaces,
        externals: ExternalConfig,
        diags: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut table: HashMap<&'a str, &'a FunctionDef> = HashMap::new();
        for def in defs {
            if let Some(first) = table.get(def.name.name.as_str()) {
                diags.push(
                    Diagnostic::error(
                        def.name.span.clone(),
                        format!("function `{}` is defined twice", def.name.name),
                    )
                    .with_label("defined again here")
                    .with_note(first.name.span.clone(), "first defined here"),
                );
            } else {
                table.insert(def.name.name.as_str(), def);
            }
        }
        Functions {
            defs: table,
            globals,
            opened,
            externals,
            ..Functions::default()
        }
    }

    pub(crate) fn get(&self, name: &str) -> Option<&'a FunctionDef> {
        self.defs.get(name).copied()
    }

    /// The function `name` written in `scope` (the qualified name of the process or function
    /// it is written in) stands for: one of its namespace first, then a global one.
    pub(crate) fn find(&self, scope: &str, name: &str) -> Option<&'a FunctionDef> {
        scoped_names(scope, name, self.opened)
            .iter()
            .find_map(|candidate| self.get(candidate))
    }

    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.defs.keys().copied()
    }

    /// The instance of `def` for `args`, lowered on first use; errors go to `diags` (once).
    fn instance(
        &self,
        def: &FunctionDef,
        args: Vec<ArgValue>,
        call: &Span,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Rc<Function>> {
        let key = (def.name.name.clone(), args);
        if let Some(done) = self.instances.borrow().get(&key) {
            return done.clone();
        }
        let nesting = self.lowering.borrow().len();
        if nesting >= MAX_CALL_NESTING {
            diags.push(
                Diagnostic::error(
                    call.clone(),
                    format!("function calls nested more than {MAX_CALL_NESTING} deep"),
                )
                .with_label(format!("`{}` at level {}", def.name.name, MAX_CALL_NESTING + 1))
                .with_note(def.name.span.clone(), "defined here")
                .with_hint("chpsim compiles at most this many levels of functions calling functions: does a template call itself at every level?"),
            );
            return None;
        }
        if self.lowering.borrow().contains(&key) {
            diags.push(
                Diagnostic::error(
                    call.clone(),
                    format!("recursive call of function `{}`", def.name.name),
                )
                .with_label("calls a function that is not finished")
                .with_note(def.name.span.clone(), "defined here")
                .with_hint("chpsim does not support recursive functions: write it as a loop"),
            );
            return None;
        }
        let what = format!("function `{}`", def.name.name);
        let bound = bind_template(
            &what,
            &def.template_params,
            &key.1,
            self.globals.clone(),
            call,
            &def.name.span,
        );
        let mut params = bound.map_err(|d| diags.push(d)).ok()?;
        params.set_scope(&def.name.name);
        self.lowering.borrow_mut().push(key.clone());
        let lowered = lower_function(def, instance_name(def, &key.1), params, self);
        self.lowering.borrow_mut().pop();
        let function = match lowered {
            Ok(f) => Some(Rc::new(f)),
            Err(mut errors) => {
                diags.append(&mut errors);
                None
            }
        };
        self.instances.borrow_mut().insert(key, function.clone());
        function
    }
}

fn instance_name(def: &FunctionDef, args: &[ArgValue]) -> String {
    if args.is_empty() {
        def.name.name.clone()
    } else {
        let a: Vec<String> = args.iter().map(ArgValue::to_string).collect();
        format!("{}<{}>", def.name.name, a.join(","))
    }
}

/// Lowers one instance of `def` with its template parameters in `params`.
fn lower_function(
    def: &FunctionDef,
    name: String,
    mut params: Params,
    functions: &Functions<'_>,
) -> Result<Function, Vec<Diagnostic>> {
    let constants = body_constants(def, &mut params);
    let mut l = Lowerer::new(params.clone(), functions, &def.name.name);
    l.diags.extend(constants);
    l.in_function = true;
    l.method = def.method.as_ref().map(|m| MethodScope {
        record: m.record.clone(),
        fields: def.args[..m.fields]
            .iter()
            .map(|a| a.name.name.clone())
            .collect(),
        template_values: def.template_params[..m.record_params]
            .iter()
            .map(|p| ArgValue::Int(params.get(&p.name.name).expect("bound")))
            .collect(),
    });
    let mut vars = Variables::default();
    let mut arg_lens = Vec::new();
    for arg in &def.args {
        if matches!(arg.ty.kind, TypeKind::Chan { .. }) {
            l.err(
                &arg.ty.span,
                "a function's arguments are values, not channels",
            );
            continue;
        }
        let before = vars.len;
        if arg.dims.is_empty() {
            l.declare_scalar(&mut vars, &arg.name, &arg.ty, &params);
        } else {
            let decl = ast::VarDecl {
                ty: arg.ty.clone(),
                name: arg.name.clone(),
                dims: arg.dims.clone(),
                span: arg.span.clone(),
                bundle: None,
                wire_dir: None,
                overridden: None,
            };
            l.declare_local(&mut vars, &decl, &params);
        }
        arg_lens.push(vars.len - before);
    }
    let args = vars.len;
    let arg_records = def
        .args
        .iter()
        .map(|a| l.records.get(&a.name.name).cloned())
        .collect();
    let self_name = ast::Ident {
        name: "self".to_string(),
        span: def.result.span.clone(),
    };
    if matches!(def.result.kind, TypeKind::Chan { .. }) {
        l.err(
            &def.result.span,
            "a function returns a value, not a channel",
        );
    }
    l.declare_scalar(&mut vars, &self_name, &def.result, &params);
    if def.external {
        let vars = vars.slots(Vec::new());
        let slots = (vars, arg_lens, arg_records);
        return external_function(def, name, slots, functions, l.diags);
    }
    let mut chp = None;
    for item in &def.body {
        match item {
            BodyItem::Var(decl) if matches!(decl.ty.kind, TypeKind::Chan { .. }) => {
                l.err(&decl.ty.span, "a function cannot declare channels");
            }
            BodyItem::Var(decl) => l.declare_local(&mut vars, decl, &params),
            BodyItem::Chp(block) if chp.is_none() => chp = Some(block),
            BodyItem::Chp(block) => l.err(&block.span, "a function has a single `chp` block"),
            // Declared by `body_constants`.
            BodyItem::Param(_) => {}
            BodyItem::Instance(i) => l.err(&i.span, "a function cannot contain instances"),
            BodyItem::Connection(c) => l.err(&c.span, "a function cannot contain connections"),
            BodyItem::PortList(p) => l.err(&p.span, "a function cannot contain connections"),
            BodyItem::Loop(b) => l.err(&b.span, "a function cannot contain body loops"),
            BodyItem::Conditional(b) | BodyItem::GenLoop(b) => {
                l.err(&b.span, "a function cannot contain conditional bodies")
            }
            BodyItem::Assert(a) => match &a.kind {
                ast::BodyAssertKind::Holds(cond) => {
                    let message = a.message.as_deref();
                    if let Err(d) = check_assertion(cond, message, &a.span, &params) {
                        l.diags.push(d);
                    }
                }
                ast::BodyAssertKind::Connected { .. } => {
                    l.err(&a.span, "a function has no connections to assert")
                }
            },
            // Shown when a process using it is expanded; a function has nothing to show.
            BodyItem::Print(..) => {}
            // Layout and circuit hints (`iscomb`, `pos_x`): nothing to a function's values.
            BodyItem::Attributes(_) => {}
            BodyItem::Lang(block) => l.err(
                block.span(),
                format!("a function cannot contain a `{}` block", block.keyword()),
            ),
        }
    }
    let body = chp.and_then(|block| block.body.as_ref());
    if !body.is_some_and(assigns_self) {
        l.diags.push(
            Diagnostic::error(
                def.name.span.clone(),
                format!("function `{}` never assigns `self`", def.name.name),
            )
            .with_label("returns nothing")
            .with_hint("its `chp { }` block must set the result: `self := ...`"),
        );
    }
    l.temps_base = vars.len;
    let body = body.and_then(|s| l.stmt(s));
    match body {
        Some(body) if l.diags.is_empty() && l.poisoned.is_empty() => Ok(Function {
            name,
            vars: vars.slots(std::mem::take(&mut l.temps)),
            args,
            arg_lens,
            arg_records,
            body: FunctionBody::Chp(body),
        }),
        _ => Err(l.diags),
    }
}

/// A function declared without a body: what computes it (chpsim's own `sim::` functions, or
/// a C function of a library the configuration names), found when it is first called; an
/// error at its declaration when nothing does. As in actsim, its arguments are scalars.
fn external_function(
    def: &FunctionDef,
    name: String,
    (vars, arg_lens, arg_records): (Vec<VarSlot>, Vec<usize>, Vec<Option<Arc<Layout>>>),
    functions: &Functions<'_>,
    mut diags: Vec<Diagnostic>,
) -> Result<Function, Vec<Diagnostic>> {
    for arg in def.args.iter().filter(|a| !a.dims.is_empty()) {
        diags.push(
            Diagnostic::error(
                arg.name.span.clone(),
                format!(
                    "external function `{}` has an array argument",
                    def.name.name
                ),
            )
            .with_label("an array")
            .with_hint("an external function takes scalar arguments (int or bool), as in actsim"),
        );
    }
    let args = arg_lens.len();
    if vars.len() != args + 1 {
        diags.push(
            Diagnostic::error(
                def.name.span.clone(),
                format!(
                    "external function `{}` has a record argument or result",
                    def.name.name
                ),
            )
            .with_label("declared here")
            .with_hint(
                "an external function takes and returns scalars (int or bool), as in actsim",
            ),
        );
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    match functions.externals.resolve(&def.name.name, &functions.libraries) {
        Ok(External::Native(native, _)) if native.arity() != args => Err(vec![Diagnostic::error(
            def.name.span.clone(),
            format!(
                "`{}` takes {} arguments, as actsim's; this declaration has {args}",
                def.name.name,
                native.arity()
            ),
        )
        .with_label("declared here")]),
        Ok(external) => Ok(Function {
            name,
            vars,
            args,
            arg_lens,
            arg_records,
            body: FunctionBody::External(external),
        }),
        Err(why) => Err(vec![Diagnostic::error(
            def.name.span.clone(),
            format!("external function `{}` has no implementation: {why}", def.name.name),
        )
        .with_label("declared without a body")
        .with_hint(format!(
            "name it in the configuration file (`-cnf=FILE`, `--config FILE`): `begin sim` `begin extern` `string_table libs \"mylib\"` `begin mylib` `string path \"libmine.so\"` `string {} \"c_symbol\"` `end` `end` `end`",
            def.name.name
        ))]),
    }
}

/// Sets the parameters a function's body declares with a value (`pint K = W / 2;`): constants
/// of its CHP. Returns the errors (a parameter without a value, or whose value fails).
fn body_constants(def: &FunctionDef, params: &mut Params) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for item in &def.body {
        let BodyItem::Param(p) = item else {
            continue;
        };
        params.set_kind(&p.name.name, p.kind);
        match (&p.value, p.dims.is_empty()) {
            (Some(v), true) => match crate::elab::consts::eval_value(v, params) {
                Ok(value) => params.set_value(&p.name.name, value),
                Err(d) => {
                    params.mark_failed(&p.name.name);
                    errors.push(d);
                }
            },
            _ => errors.push(
                Diagnostic::error(
                    p.span.clone(),
                    "a parameter of a function of values needs its value where it is declared",
                )
                .with_label("no value")
                .with_hint(format!(
                    "write `{} {} = ...;`",
                    p.kind.keyword(),
                    p.name.name
                )),
            ),
        }
    }
    errors
}

/// Whether `s` has an assignment to `self` (or to bits of it) somewhere.
fn assigns_self(s: &ast::Stmt) -> bool {
    use ast::StmtKind as A;
    fn is_self(e: &ast::Expr) -> bool {
        match &e.kind {
            ast::ExprKind::Name(id) => id.name == "self",
            ast::ExprKind::BitSlice { base, .. } | ast::ExprKind::Field { base, .. } => {
                is_self(base)
            }
            _ => false,
        }
    }
    match &s.kind {
        A::Assign { target, .. } => is_self(target),
        A::SetBool { target, .. } => is_self(target),
        A::Seq(items) | A::Par(items) => items.iter().any(assigns_self),
        A::Select { arms, .. } | A::GuardedLoop(arms) => arms.iter().any(|a| assigns_self(&a.body)),
        A::Forever(body) | A::DoLoop { body, .. } | A::Replicated { body, .. } => {
            assigns_self(body)
        }
        _ => false,
    }
}

impl Lowerer<'_> {
    /// Declares a scalar variable (an argument, `self`) of type `ty`.
    fn declare_scalar(
        &mut self,
        vars: &mut Variables,
        name: &ast::Ident,
        ty: &ast::Type,
        params: &Params,
    ) {
        let Some(t) = data_type(ty, params, &mut self.diags) else {
            self.poisoned.insert(name.name.clone());
            return;
        };
        if self.vars.contains_key(&name.name) {
            self.err(&name.span, format!("`{}` is declared twice", name.name));
            return;
        }
        self.add_vars(vars, &name.name, t, None, ty, params);
    }

    /// Declares a local variable of a function (maybe an array).
    fn declare_local(&mut self, vars: &mut Variables, decl: &ast::VarDecl, params: &Params) {
        let ty = data_type(&decl.ty, params, &mut self.diags);
        let dims = self.dims(&decl.dims, params, true);
        let (Some(ty), Some(bounds)) = (ty, dims) else {
            self.poisoned.insert(decl.name.name.clone());
            return;
        };
        if self.vars.contains_key(&decl.name.name) {
            self.err(
                &decl.name.span,
                format!("`{}` is declared twice", decl.name.name),
            );
            return;
        }
        let array = (!decl.dims.is_empty()).then_some(bounds);
        self.add_vars(vars, &decl.name.name, ty, array, &decl.ty, params);
    }

    /// The record type a call `func<template_args>(...)` returns, if it returns a record.
    /// The type may name the function's template parameters (`: fixpoint<A,B>`): it is laid
    /// out with them bound to the call's arguments, as the instance the call runs.
    pub(super) fn call_record(
        &self,
        func: &ast::Ident,
        template_args: &[ast::Expr],
    ) -> Option<Arc<Layout>> {
        let def = self.functions.find(&self.scope, &func.name)?;
        let TypeKind::Record(result) = &def.result.kind else {
            return None;
        };
        let values = (template_args.iter().enumerate())
            .map(|(i, a)| eval_template_arg(a, def.template_params.get(i), &self.params).ok())
            .collect::<Option<Vec<_>>>()?;
        let what = format!("function `{}`", def.name.name);
        let globals = self.functions.globals.clone();
        let span = &def.name.span;
        let mut params =
            bind_template(&what, &def.template_params, &values, globals, span, span).ok()?;
        params.set_scope(&def.name.name);
        layout(result, &params, &mut Vec::new())
    }

    /// The values of template arguments written in a call, for the template parameters
    /// `declared` (an array for a parameter array).
    pub(super) fn template_values(
        &mut self,
        declared: &[ast::ParamDecl],
        template_args: &[ast::Expr],
    ) -> Option<Vec<ArgValue>> {
        let values = (template_args.iter().enumerate())
            .map(|(i, a)| eval_template_arg(a, declared.get(i), &self.params));
        values
            .collect::<Result<_, _>>()
            .map_err(|d| self.diags.push(d))
            .ok()
    }

    /// Inside a method function of a record, the call `g(args)` of a sibling method `g`: it
    /// gets the same fields and template arguments (see [`MethodScope`]).
    pub(super) fn sibling_call(
        &mut self,
        func: &ast::Ident,
        template_args: &[ast::Expr],
        args: &[ast::Expr],
        span: &Span,
    ) -> Option<Option<(ExprKind, Ty)>> {
        let method = self.method.as_ref()?;
        let def = self
            .functions
            .get(&format!("{}.{}", method.record, func.name))?;
        let fields = method.fields.iter().map(|field| ast::Expr {
            kind: ast::ExprKind::Name(ast::Ident {
                name: field.clone(),
                span: func.span.clone(),
            }),
            span: func.span.clone(),
        });
        let all: Vec<ast::Expr> = fields.chain(args.iter().cloned()).collect();
        let mut values = method.template_values.clone();
        let declared = def.template_params.get(values.len()..).unwrap_or(&[]);
        let Some(own) = self.template_values(declared, template_args) else {
            return Some(None);
        };
        values.extend(own);
        Some(self.user_call(def, values, &all, span))
    }

    /// A call of a user's function `def` with template arguments `values`: the arguments must
    /// match its parameters in number and kind (bool or integer).
    pub(super) fn user_call(
        &mut self,
        def: &FunctionDef,
        values: Vec<ArgValue>,
        args: &[ast::Expr],
        span: &Span,
    ) -> Option<(ExprKind, Ty)> {
        if def.param_result.is_some() {
            return self.param_call(def, values, args.get(def.args.len()..).unwrap_or(&[]), span);
        }
        if args.len() != def.args.len() {
            self.diags.push(
                Diagnostic::error(
                    span.clone(),
                    format!(
                        "function `{}` takes {} argument(s), but {} were given",
                        def.name.name,
                        def.args.len(),
                        args.len()
                    ),
                )
                .with_note(def.name.span.clone(), "defined here"),
            );
            return None;
        }
        let f = self
            .functions
            .instance(def, values, span, &mut self.diags)?;
        let mut lowered = Vec::with_capacity(f.args);
        let mut ok = true;
        for (i, arg) in args.iter().enumerate() {
            let slot = lowered.len();
            let expected = f.vars[slot].ty;
            let param = &def.args[i];
            let values = if param.dims.is_empty() {
                self.expr(arg).map(|e| vec![e])
            } else {
                self.array_argument(arg, f.arg_lens[i], param)
            };
            let Some(values) = values else {
                ok = false;
                continue;
            };
            if let Some(found) = values.first().map(|v| v.ty) {
                if (expected == Ty::Bool) != (found == Ty::Bool) {
                    self.diags.push(
                        Diagnostic::error(
                            arg.span.clone(),
                            format!(
                                "argument {} of `{}` has the wrong type: expected {expected}, found {found}",
                                i + 1,
                                def.name.name,
                            ),
                        )
                        .with_note(param.name.span.clone(), "parameter declared here"),
                    );
                    ok = false;
                }
            }
            // A record given for a record parameter must be of its type (ACT: "arg #N has an
            // incompatible type").
            if let (Some(record), Some(value)) = (&f.arg_records[i], values.first()) {
                let found = self.record_of(arg);
                if found.is_some()
                    && self
                        .check_record(Some(record.clone()), expected, found, value)
                        .is_none()
                {
                    ok = false;
                }
            }
            lowered.extend(values);
        }
        let ty = f.vars[f.result_slot()].ty;
        ok.then_some((ExprKind::Call(f, lowered), ty))
    }

    /// A call of a function of parameters in CHP: its value, computed now, as a constant.
    fn param_call(
        &mut self,
        def: &FunctionDef,
        values: Vec<ArgValue>,
        args: &[ast::Expr],
        span: &Span,
    ) -> Option<(ExprKind, Ty)> {
        let functions = self.params.functions()?.clone();
        let value = functions
            .call_def(def, values, args, span, &self.params)
            .map_err(|d| self.diags.push(d))
            .ok()?;
        let Value::Int(v) = value else {
            self.err(span, "real numbers are not supported in CHP");
            return None;
        };
        if matches!(def.param_result, Some((ast::ParamKind::Pbool, _))) {
            return Some((ExprKind::Const(Constant::Small(v as u64)), Ty::Bool));
        }
        Some(super::expr::param_constant(v))
    }

    /// The elements of the array `arg` names, passed to the array parameter `param` of `len`
    /// elements: an array variable of that many elements.
    fn array_argument(
        &mut self,
        arg: &ast::Expr,
        len: usize,
        param: &ast::PortDecl,
    ) -> Option<Vec<Expr>> {
        let array = match &arg.kind {
            ast::ExprKind::Name(id) => self.vars.get(&id.name),
            ast::ExprKind::Field { base, field } => {
                // An array field of a record (a method's field argument): its elements.
                let record = self.record_of(base);
                let f = record.as_ref().and_then(|r| r.field(&field.name));
                if let Some(f) = f.filter(|f| !f.dims.is_empty() && f.count() == len) {
                    let (count, ty) = (f.count(), f.elem.ty());
                    let offsets: Vec<u32> = (0..count).map(|k| f.element_offset(k)).collect();
                    let inner = self.expr(base)?;
                    let element = |lo: u32| {
                        let (kind, ty) = Self::field_value(
                            inner.clone(),
                            super::record_access::FieldAt::Fixed(lo),
                            ty,
                        );
                        Expr {
                            kind,
                            ty,
                            span: arg.span.clone(),
                        }
                    };
                    return Some(offsets.into_iter().map(element).collect());
                }
                None
            }
            _ => None,
        };
        match array {
            Some(a) if a.shape.len() == len => {
                let (base, ty) = (a.base, a.ty);
                let element = |k: usize| Expr {
                    kind: ExprKind::Var(base + k),
                    ty,
                    span: arg.span.clone(),
                };
                Some((0..len).map(element).collect())
            }
            _ => {
                self.diags.push(
                    Diagnostic::error(
                        arg.span.clone(),
                        format!(
                            "`{}` is an array of {len} elements: pass an array variable of {len} elements",
                            param.name.name
                        ),
                    )
                    .with_label("not an array of that size")
                    .with_note(param.name.span.clone(), "parameter declared here"),
                );
                None
            }
        }
    }
}

/// What a statement of a function's body may not be: a function has no channels (a send or
/// receive is reported as such rather than as an unknown channel).
pub(super) fn function_stmt_error(s: &ast::Stmt) -> Option<&'static str> {
    match &s.kind {
        ast::StmtKind::Send { .. } | ast::StmtKind::Recv { .. } => {
            Some("a function cannot send or receive: it has no channels")
        }
        _ => None,
    }
}
