//! Functions of parameters: `function f (pint n; preal v) : pint { pint i; chp { ... } }`.
//!
//! ACT evaluates them while it expands the design, so a call may stand wherever a parameter
//! may: an array size, a template argument, a condition, a width, CHP. Their `chp` runs here,
//! on parameters: its variables are the arguments, `self` (the result) and the body's own
//! parameters, which an assignment may set again and again (`i := i + 1`).
//!
//! Rules (ACT's): the arguments are given in number and kind (an integer converts to a
//! `preal`, nothing else converts); an array argument has the size of the argument's array;
//! `self` is read only once set and must be set at the end. chpsim's own: a call of a function
//! being evaluated (recursion) is an error, and so is a body that runs more than
//! [`MAX_STEPS`] statements (it is taken for one that never ends).
use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use super::consts::{
    bind_template, const_range, eval_const, eval_template_arg, eval_value, ArgValue, Params, Value,
};
use crate::diag::Diagnostic;
use crate::front::ast::{
    self, scoped_names, BinaryOp, BodyItem, Expr, ExprKind, FunctionDef, Guard, Ident, ParamDecl,
    ParamKind, Span, Stmt, StmtKind, UnaryOp,
};

/// Statements one call (with the calls it makes) may run before it is taken for endless.
const MAX_STEPS: u64 = 10_000_000;

/// The name of a function's result.
const SELF: &str = "self";

/// The design's functions, as constant expressions call them.
#[derive(Debug, Default)]
pub(crate) struct ParamFunctions {
    defs: HashMap<String, FunctionDef>,
    opened: ast::OpenNamespaces,
    /// The functions being evaluated, outermost first.
    active: RefCell<Vec<String>>,
    /// Statements run by the outermost call so far.
    steps: Cell<u64>,
}

impl ParamFunctions {
    pub(crate) fn new<'a>(
        defs: impl Iterator<Item = &'a FunctionDef>,
        opened: &ast::OpenNamespaces,
    ) -> Self {
        let mut table = HashMap::new();
        for def in defs {
            table
                .entry(def.name.name.clone())
                .or_insert_with(|| def.clone());
        }
        ParamFunctions {
            defs: table,
            opened: opened.clone(),
            ..ParamFunctions::default()
        }
    }

    /// The function `name` written in `scope` stands for (`::f` is the global `f`).
    pub(crate) fn find(&self, scope: &str, name: &str) -> Option<&FunctionDef> {
        if let Some(global) = name.strip_prefix("::") {
            return self.defs.get(global);
        }
        scoped_names(scope, name, &self.opened)
            .iter()
            .find_map(|candidate| self.defs.get(candidate))
    }

    /// The value of the call `func<template_args>(args)` written where `caller` is in scope.
    pub(crate) fn call(
        &self,
        func: &Ident,
        template_args: &[Expr],
        args: &[Expr],
        span: &Span,
        caller: &Params,
    ) -> Result<Value, Diagnostic> {
        let mut templates = Vec::new();
        let def = match self.sibling(caller, &func.name) {
            Some((def, record_params)) => {
                for p in &def.template_params[..record_params] {
                    templates.push(ArgValue::Int(eval_const(&name_expr(&p.name), caller)?));
                }
                def
            }
            None => self.find(caller.scope(), &func.name).ok_or_else(|| {
                Diagnostic::error(
                    func.span.clone(),
                    format!("unknown function `{}`", func.name),
                )
                .with_label("no function of this name")
            })?,
        };
        let own = &def.template_params[templates.len().min(def.template_params.len())..];
        for (i, a) in template_args.iter().enumerate() {
            templates.push(eval_template_arg(a, own.get(i), caller)?);
        }
        self.call_def(def, templates, args, span, caller)
    }

    /// Inside a method `r.f` of a record, the sibling method `r.name`, with the number of its
    /// template parameters that are the record's (it gets the same values).
    fn sibling(&self, caller: &Params, name: &str) -> Option<(&FunctionDef, usize)> {
        let (record, _) = caller.scope().rsplit_once('.')?;
        let def = self.defs.get(&format!("{record}.{name}"))?;
        Some((def, def.method.as_ref()?.record_params))
    }

    /// The value of a call of `def` with template arguments `templates` (a method's begin
    /// with its record's) and arguments `args` written where `caller` is in scope.
    pub(crate) fn call_def(
        &self,
        def: &FunctionDef,
        templates: Vec<ArgValue>,
        args: &[Expr],
        span: &Span,
        caller: &Params,
    ) -> Result<Value, Diagnostic> {
        let name = &def.name.name;
        let Some((result_kind, _)) = def.param_result else {
            return Err(Diagnostic::error(
                span.clone(),
                format!("`{name}` is a function of values: its result is not known before the design runs"),
            )
            .with_label("not a constant")
            .with_note(def.name.span.clone(), "defined here"));
        };
        if args.len() != def.param_args.len() {
            return Err(Diagnostic::error(
                span.clone(),
                format!(
                    "function `{name}` takes {} argument(s), but {} were given",
                    def.param_args.len(),
                    args.len()
                ),
            )
            .with_note(def.name.span.clone(), "defined here"));
        }
        if self.active.borrow().contains(name) {
            return Err(Diagnostic::error(
                span.clone(),
                format!("recursive call of function `{name}`"),
            )
            .with_label("calls a function that is not finished")
            .with_note(def.name.span.clone(), "defined here")
            .with_hint("chpsim does not support recursive functions: write it as a loop"));
        }
        let what = format!("function `{name}`");
        let base = caller.file_scope();
        let mut scope = bind_template(
            &what,
            &def.template_params,
            &templates,
            base,
            span,
            &def.name.span,
        )?;
        scope.set_scope(name);
        scope.enter_function();
        for (param, arg) in def.param_args.iter().zip(args) {
            pass_argument(param, arg, caller, &mut scope, def)?;
        }
        if def.external {
            // ACT calls a C function named in its configuration's `act.extern` section here.
            return Err(Diagnostic::error(
                span.clone(),
                format!("function `{name}` has no chp body, and no external definition"),
            )
            .with_label("computed while the design is expanded")
            .with_note(def.name.span.clone(), "declared without a body")
            .with_hint("chpsim computes a function of parameters from its `chp { }` body; external C functions are loaded only for functions of data"));
        }
        scope.set_kind(SELF, result_kind);
        scope.declare_unset(SELF);
        if self.active.borrow().is_empty() {
            self.steps.set(0);
        }
        self.active.borrow_mut().push(name.clone());
        let ran = self.run_body(def, &mut scope);
        self.active.borrow_mut().pop();
        ran?;
        scope.value(SELF).ok_or_else(|| {
            Diagnostic::error(
                span.clone(),
                format!("function `{name}` ends without setting `self`"),
            )
            .with_label("no result")
            .with_note(def.name.span.clone(), "defined here")
        })
    }

    /// Declares the body's parameters and runs its `chp`.
    fn run_body(&self, def: &FunctionDef, scope: &mut Params) -> Result<(), Diagnostic> {
        let mut chp = None;
        for item in &def.body {
            match item {
                BodyItem::Param(p) => declare_local(p, scope)?,
                BodyItem::Chp(block) => chp = block.body.as_ref(),
                BodyItem::Print(..) => {}
                BodyItem::Assert(a) => {
                    if let ast::BodyAssertKind::Holds(cond) = &a.kind {
                        super::consts::check_assertion(cond, a.message.as_deref(), &a.span, scope)?;
                    }
                }
                BodyItem::Var(v) => {
                    return Err(Diagnostic::error(
                        v.span.clone(),
                        format!(
                            "function `{}` computes on parameters: `{}` must be a parameter too",
                            def.name.name, v.name.name
                        ),
                    )
                    .with_label("a variable")
                    .with_hint("declare it `pint`, `pbool` or `preal`"))
                }
                other => {
                    return Err(Diagnostic::error(
                        body_item_span(other),
                        "a function holds only declarations and a `chp` block",
                    ))
                }
            }
        }
        match chp {
            Some(body) => self.exec(body, scope),
            None => Ok(()),
        }
    }

    /// Runs one statement of a function's `chp` on the parameters in `scope`.
    fn exec(&self, s: &Stmt, scope: &mut Params) -> Result<(), Diagnostic> {
        self.steps.set(self.steps.get() + 1);
        if self.steps.get() > MAX_STEPS {
            return Err(Diagnostic::error(
                s.span.clone(),
                format!("a function of parameters runs more than {MAX_STEPS} statements"),
            )
            .with_label("still running here")
            .with_hint("does this loop end?"));
        }
        match &s.kind {
            StmtKind::Skip | StmtKind::Log { .. } => Ok(()),
            StmtKind::Assign { target, value } => {
                let v = eval_value(value, scope)?;
                assign(target, v, scope)
            }
            StmtKind::SetBool { target, value } => {
                assign(target, Value::Int(i64::from(*value)), scope)
            }
            StmtKind::Seq(items) | StmtKind::Par(items) => {
                items.iter().try_for_each(|item| self.exec(item, scope))
            }
            StmtKind::Select { arms, .. } => match self.choose(arms, scope)? {
                Some(arm) => self.exec_arm(arm, scope),
                None => Err(Diagnostic::error(
                    s.span.clone(),
                    "no guard of this selection holds: it would wait forever",
                )
                .with_hint("add an `else ->` arm")),
            },
            StmtKind::Wait(cond) => match eval_const(cond, scope)? != 0 {
                true => Ok(()),
                false => Err(Diagnostic::error(
                    cond.span.clone(),
                    "this condition is false: the wait would last forever",
                )),
            },
            StmtKind::GuardedLoop(arms) => {
                while let Some(arm) = self.choose(arms, scope)? {
                    self.exec_arm(arm, scope)?;
                }
                Ok(())
            }
            StmtKind::DoLoop { body, cond } => loop {
                self.exec(body, scope)?;
                if eval_const(cond, scope)? == 0 {
                    return Ok(());
                }
            },
            StmtKind::Replicated {
                var, range, body, ..
            } => {
                let (lo, hi) = const_range(range, scope)?;
                for i in lo..=hi {
                    let shadowed = scope.bind(&var.name, i);
                    let ran = self.exec(body, scope);
                    scope.unbind(&var.name, shadowed);
                    ran?;
                }
                Ok(())
            }
            StmtKind::Assert { cond, .. } => match eval_const(cond, scope)? != 0 {
                true => Ok(()),
                false => Err(Diagnostic::error(cond.span.clone(), "assertion failed")
                    .with_label("this condition is false")),
            },
            _ => Err(Diagnostic::error(
                s.span.clone(),
                "a function of parameters can only compute: assignments, selections and loops",
            )
            .with_label("not allowed here")),
        }
    }

    /// The first arm whose guard holds (`else` when none does), if any. An arm of a replicated
    /// guard (`([] i : N : g -> S)`) stands for one arm per value of `i`, in order: the value
    /// chosen comes with it.
    fn choose<'s>(
        &self,
        arms: &'s [ast::GuardedCmd],
        scope: &mut Params,
    ) -> Result<Option<ChosenArm<'s>>, Diagnostic> {
        for arm in arms {
            let Guard::Expr(g) = &arm.guard else {
                continue;
            };
            let Some(replicator) = &arm.replicator else {
                if eval_const(g, scope)? != 0 {
                    return Ok(Some((arm, None)));
                }
                continue;
            };
            let (lo, hi) = const_range(&replicator.range, scope)?;
            for i in lo..=hi {
                let shadowed = scope.bind(&replicator.var.name, i);
                let holds = eval_const(g, scope);
                scope.unbind(&replicator.var.name, shadowed);
                if holds? != 0 {
                    return Ok(Some((arm, Some(i))));
                }
            }
        }
        Ok(arms
            .iter()
            .find(|a| matches!(a.guard, Guard::Else))
            .map(|a| (a, None)))
    }

    /// Runs the body of the arm chosen, its replicator's variable (if any) bound to the value
    /// whose guard held.
    fn exec_arm(&self, (arm, index): ChosenArm<'_>, scope: &mut Params) -> Result<(), Diagnostic> {
        let Some((replicator, i)) = arm.replicator.as_ref().zip(index) else {
            return self.exec(&arm.body, scope);
        };
        let shadowed = scope.bind(&replicator.var.name, i);
        let ran = self.exec(&arm.body, scope);
        scope.unbind(&replicator.var.name, shadowed);
        ran
    }
}

/// An arm of a selection or loop chosen by [`ParamFunctions::choose`], with the value of its
/// replicator's variable.
type ChosenArm<'s> = (&'s ast::GuardedCmd, Option<i64>);

/// Gives the parameter argument `param` of `def` the value of `arg` (written where `caller`
/// is in scope).
fn pass_argument(
    param: &ParamDecl,
    arg: &Expr,
    caller: &Params,
    scope: &mut Params,
    def: &FunctionDef,
) -> Result<(), Diagnostic> {
    let name = &param.name.name;
    let mismatch = |found: &str| {
        Diagnostic::error(
            arg.span.clone(),
            format!(
                "argument `{name}` of `{}` is a {}; this is {found}",
                def.name.name,
                param.kind.keyword()
            ),
        )
        .with_label("wrong type")
        .with_note(param.name.span.clone(), "declared here")
    };
    scope.set_kind(name, param.kind);
    if !param.dims.is_empty() {
        if !super::param_array::names_array(arg, caller) {
            return Err(mismatch("not a parameter array"));
        }
        let given = super::param_array::array_value(arg, caller)?;
        let dims = super::param_array::param_dims(&param.dims, scope)?;
        let wanted: Vec<usize> = dims.iter().map(|d| d.1).collect();
        let Some((leaves, given)) = super::param_array::flatten(&given) else {
            return Err(mismatch("an array whose rows differ in length"));
        };
        if !super::param_array::shapes_fit(&given, &wanted) {
            return Err(mismatch(&match (&given[..], &wanted[..]) {
                ([n], [len]) => format!("an array of {n} elements, not {len}"),
                _ => format!(
                    "an array {}, not {}",
                    super::param_array::shape_text(&given),
                    super::param_array::shape_text(&wanted)
                ),
            }));
        }
        let values = leaves.into_iter().map(Some).collect();
        scope.declare_array(name, dims);
        scope.array_mut(name).expect("declared").values = values;
        return Ok(());
    }
    if let Some(found) = kind_of(arg, caller) {
        let converts = (found, param.kind) == (ParamKind::Pint, ParamKind::Preal);
        if found != param.kind && !converts {
            return Err(mismatch(&format!("a {}", found.keyword())));
        }
    }
    let value = eval_value(arg, caller)?;
    if param.kind != ParamKind::Preal && matches!(value, Value::Real(_)) {
        return Err(mismatch("a real"));
    }
    scope.set_value(name, value);
    Ok(())
}

/// Declares a parameter of a function's body: `pint i;`, `pint y = 0;`, `pint w[10];`.
fn declare_local(p: &ParamDecl, scope: &mut Params) -> Result<(), Diagnostic> {
    let name = &p.name.name;
    scope.set_kind(name, p.kind);
    if !p.dims.is_empty() {
        let dims = super::param_array::param_dims(&p.dims, scope)?;
        scope.declare_array(name, dims);
        return Ok(());
    }
    match &p.value {
        Some(v) => {
            let v = eval_value(v, scope)?;
            scope.set_value(name, v);
        }
        None => scope.declare_unset(name),
    }
    Ok(())
}

/// `x := v` or `x[i] := v` in a function's `chp`.
fn assign(target: &Expr, v: Value, scope: &mut Params) -> Result<(), Diagnostic> {
    let not_param = |id: &Ident| {
        Diagnostic::error(
            id.span.clone(),
            format!("`{}` is not a parameter of this function", id.name),
        )
        .with_label("cannot be assigned here")
    };
    let check_kind = |name: &str, scope: &Params| {
        if matches!(v, Value::Real(_)) && !scope.is_real(name) {
            return Err(Diagnostic::error(
                target.span.clone(),
                format!("`{name}` is not a `preal`: it cannot hold a real value"),
            )
            .with_hint("convert the value with `int(...)`"));
        }
        Ok(())
    };
    match &target.kind {
        ExprKind::Name(id) if scope.has_value(&id.name) || scope.is_unset(&id.name) => {
            check_kind(&id.name, scope)?;
            scope.set_declared(&id.name, v);
            Ok(())
        }
        ExprKind::Index { .. } => {
            let Some((id, selectors)) = super::param_array::selection(target) else {
                return Err(Diagnostic::error(
                    target.span.clone(),
                    "expected a parameter or an element of a parameter array",
                ));
            };
            check_kind(&id.name, scope)?;
            let value = match scope.is_real(&id.name) {
                true => Value::Real(v.as_real()),
                false => v,
            };
            let Some(array) = scope.array(&id.name) else {
                return Err(not_param(id));
            };
            let at = super::param_array::element_position(target, id, &selectors, array, scope)?;
            scope.array_mut(&id.name).expect("found").values[at] = Some(value);
            Ok(())
        }
        ExprKind::Name(id) => Err(not_param(id)),
        _ => Err(Diagnostic::error(
            target.span.clone(),
            "expected a parameter or an element of a parameter array",
        )),
    }
}

/// The kind of parameter `e` evidently is, where its form or its names tell.
pub(crate) fn kind_of(e: &Expr, params: &Params) -> Option<ParamKind> {
    match &e.kind {
        ExprKind::Int(_) => Some(ParamKind::Pint),
        ExprKind::Real(_) => Some(ParamKind::Preal),
        ExprKind::Bool(_) => Some(ParamKind::Pbool),
        ExprKind::Name(id) if params.has_value(&id.name) || params.is_unset(&id.name) => {
            Some(name_kind(&id.name, params))
        }
        ExprKind::Index { base, .. } => match &base.kind {
            ExprKind::Name(id) if params.array(&id.name).is_some() => {
                Some(name_kind(&id.name, params))
            }
            _ => None,
        },
        ExprKind::Unary { op, operand } => match op {
            UnaryOp::Not => Some(ParamKind::Pbool)
                .filter(|_| kind_of(operand, params) == Some(ParamKind::Pbool)),
            UnaryOp::Neg => kind_of(operand, params),
        },
        ExprKind::Binary { op, lhs, rhs } => match op {
            _ if op.is_comparison() => Some(ParamKind::Pbool),
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div => {
                match (kind_of(lhs, params)?, kind_of(rhs, params)?) {
                    (ParamKind::Preal, _) | (_, ParamKind::Preal) => Some(ParamKind::Preal),
                    (ParamKind::Pint, ParamKind::Pint) => Some(ParamKind::Pint),
                    _ => None,
                }
            }
            _ => None,
        },
        ExprKind::Cast {
            to: ast::CastTo::Int,
            ..
        } => Some(ParamKind::Pint),
        ExprKind::Call { func, .. } => {
            let functions = params.functions()?;
            let def = functions.find(params.scope(), &func.name)?;
            def.param_result.as_ref().map(|(kind, _)| *kind)
        }
        _ => None,
    }
}

fn name_kind(name: &str, params: &Params) -> ParamKind {
    if params.is_bool(name) {
        ParamKind::Pbool
    } else if params.is_real(name) {
        ParamKind::Preal
    } else {
        ParamKind::Pint
    }
}

fn body_item_span(item: &BodyItem) -> Span {
    match item {
        BodyItem::Var(v) => v.span.clone(),
        BodyItem::Param(p) => p.span.clone(),
        BodyItem::Instance(i) => i.span.clone(),
        BodyItem::Connection(c) => c.span.clone(),
        BodyItem::PortList(p) => p.span.clone(),
        BodyItem::Loop(l) => l.span.clone(),
        BodyItem::Chp(c) => c.span.clone(),
        BodyItem::Conditional(b) | BodyItem::GenLoop(b) => b.span.clone(),
        BodyItem::Assert(a) => a.span.clone(),
        BodyItem::Print(_, span) => span.clone(),
        BodyItem::Lang(block) => block.span().clone(),
        BodyItem::Attributes(a) => a.span.clone(),
    }
}

/// The expression that names `id`.
fn name_expr(id: &Ident) -> Expr {
    Expr {
        kind: ExprKind::Name(id.clone()),
        span: id.span.clone(),
    }
}

/// ACT's checks on calls of functions of parameters that hold without expanding the design
/// (so also in a process nothing instantiates): the number of arguments, and the kind of an
/// argument whose form shows it (`g(true)` of `function g (pint x)`).
pub(crate) fn check_calls(program: &ast::Program, functions: &ParamFunctions) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut scan = |scope: &str, body: &[BodyItem]| {
        let mut check = |e: &Expr| check_call(e, scope, functions, &mut diags);
        for item in body {
            body_exprs(item, &mut check);
        }
    };
    for def in program.processes() {
        scan(&def.name.name, &def.body);
    }
    for def in program.functions() {
        scan(&def.name.name, &def.body);
    }
    diags
}

fn check_call(e: &Expr, scope: &str, functions: &ParamFunctions, diags: &mut Vec<Diagnostic>) {
    let ExprKind::Call { func, args, .. } = &e.kind else {
        return;
    };
    let Some(def) = functions.find(scope, &func.name) else {
        return;
    };
    if def.param_result.is_none() || def.method.is_some() {
        return;
    }
    if args.len() != def.param_args.len() {
        diags.push(
            Diagnostic::error(
                e.span.clone(),
                format!(
                    "function `{}` takes {} argument(s), but {} were given",
                    def.name.name,
                    def.param_args.len(),
                    args.len()
                ),
            )
            .with_note(def.name.span.clone(), "defined here"),
        );
        return;
    }
    let none = Params::default();
    for (param, arg) in def.param_args.iter().zip(args) {
        let Some(found) = kind_of(arg, &none) else {
            continue;
        };
        let converts = (found, param.kind) == (ParamKind::Pint, ParamKind::Preal);
        if found != param.kind && !converts && param.dims.is_empty() {
            diags.push(
                Diagnostic::error(
                    arg.span.clone(),
                    format!(
                        "argument `{}` of `{}` is a {}; this is a {}",
                        param.name.name,
                        def.name.name,
                        param.kind.keyword(),
                        found.keyword()
                    ),
                )
                .with_label("wrong type")
                .with_note(param.name.span.clone(), "declared here"),
            );
        }
    }
}

/// Calls `f` on every expression of a body item's CHP (and of the items nested in it), each
/// with its subexpressions.
fn body_exprs(item: &BodyItem, f: &mut impl FnMut(&Expr)) {
    match item {
        BodyItem::Chp(block) => {
            if let Some(s) = &block.body {
                stmt_exprs(s, f);
            }
        }
        BodyItem::Loop(l) => l.items.iter().for_each(|i| body_exprs(i, f)),
        BodyItem::Conditional(b) | BodyItem::GenLoop(b) => {
            for arm in &b.arms {
                arm.items.iter().for_each(|i| body_exprs(i, f));
            }
        }
        _ => {}
    }
}

fn stmt_exprs(s: &Stmt, f: &mut impl FnMut(&Expr)) {
    let mut each = |e: &Expr| expr_tree(e, f);
    match &s.kind {
        StmtKind::Assign { target, value } => {
            each(target);
            each(value);
        }
        StmtKind::Send { value, reply, .. } => value.iter().chain(reply).for_each(each),
        StmtKind::Recv { target, reply, .. } => target.iter().chain(reply).for_each(each),
        StmtKind::Seq(items) | StmtKind::Par(items) => items.iter().for_each(|i| stmt_exprs(i, f)),
        StmtKind::Select { arms, .. } | StmtKind::GuardedLoop(arms) => {
            for arm in arms {
                if let Guard::Expr(g) = &arm.guard {
                    expr_tree(g, f);
                }
                stmt_exprs(&arm.body, f);
            }
        }
        StmtKind::Wait(cond) => each(cond),
        StmtKind::Forever(body) | StmtKind::Replicated { body, .. } => stmt_exprs(body, f),
        StmtKind::DoLoop { body, cond } => {
            stmt_exprs(body, f);
            expr_tree(cond, f);
        }
        StmtKind::Log { args, .. } | StmtKind::Assert { message: args, .. } => {
            if let StmtKind::Assert { cond, .. } = &s.kind {
                expr_tree(cond, f);
            }
            for arg in args {
                if let ast::LogArg::Expr(e) = arg {
                    expr_tree(e, f);
                }
            }
        }
        StmtKind::MacroCall { args, .. } => args.iter().for_each(each),
        StmtKind::Skip | StmtKind::SetBool { .. } => {}
    }
}

/// Calls `f` on `e` and each of its subexpressions.
fn expr_tree(e: &Expr, f: &mut impl FnMut(&Expr)) {
    f(e);
    match &e.kind {
        ExprKind::Index { base, index } => {
            expr_tree(base, f);
            expr_tree(index, f);
        }
        ExprKind::Field { base, .. } | ExprKind::Probe(base) => expr_tree(base, f),
        ExprKind::Slice { base, lo, hi } => {
            expr_tree(base, f);
            expr_tree(lo, f);
            expr_tree(hi, f);
        }
        ExprKind::BitSlice { base, hi, lo } => {
            expr_tree(base, f);
            expr_tree(hi, f);
            lo.iter().for_each(|lo| expr_tree(lo, f));
        }
        ExprKind::Unary { operand, .. } => expr_tree(operand, f),
        ExprKind::Binary { lhs, rhs, .. } => {
            expr_tree(lhs, f);
            expr_tree(rhs, f);
        }
        ExprKind::Concat(parts) | ExprKind::ArrayConcat(parts) => {
            parts.iter().for_each(|p| expr_tree(p, f))
        }
        ExprKind::Conditional {
            cond,
            then,
            otherwise,
        } => {
            expr_tree(cond, f);
            expr_tree(then, f);
            expr_tree(otherwise, f);
        }
        ExprKind::Cast { value, .. } | ExprKind::RecordOf { value, .. } => expr_tree(value, f),
        ExprKind::MethodCall { receiver, args, .. } => {
            expr_tree(receiver, f);
            args.iter().for_each(|a| expr_tree(a, f));
        }
        ExprKind::Replicated { body, .. } => expr_tree(body, f),
        ExprKind::Call { args, .. } | ExprKind::PstructOf { args, .. } => {
            args.iter().for_each(|a| expr_tree(a, f))
        }
        ExprKind::Int(_)
        | ExprKind::Real(_)
        | ExprKind::Bool(_)
        | ExprKind::Name(_)
        | ExprKind::ProcessType { .. } => {}
    }
}
