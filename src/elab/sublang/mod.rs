//! Checks on the sublanguage blocks (`prs`, `hse`, `spec`, `sizing`, `dataflow`, `refine`,
//! `Initialize`): the rules ACT's front end applies to them, so that a design ACT rejects is
//! rejected here too. Nothing of them runs yet.
//!
//! Like ACT's, the checks are on each definition's declared types, whether or not it is
//! instantiated: every name exists; nodes of production rules, sizing and HSE are single
//! `bool`s; spec directives name `bool`s or `bool` arrays; a loop variable hides no other
//! name; sizes and attributes are parameter expressions; dataflow connects channels in the
//! directions they are declared with, with data of one width through a split or merge and a
//! control channel as wide as its choices need; HSE fragments have distinct labels and go on
//! to fragments that exist; a refinement overrides only the instances of its process, never a
//! port, with a type without direction.

mod chp;
mod dataflow;
mod scope;
mod wire_path;

use std::collections::HashMap;

use scope::{show, RefTy, Scope};

use crate::diag::Diagnostic;
use crate::front::ast::*;

/// Checks every sublanguage block of `program`; returns the errors found.
pub(crate) fn check(program: &Program) -> Vec<Diagnostic> {
    check_pass(program, Pass::Blocks)
}

/// Checks the names and types of every definition's CHP, connections and port lists, as ACT
/// reads them (see [`chp`]); returns the errors found. Elaboration checks those of what it
/// expands again, in its own words: the caller keeps one error per place.
pub(crate) fn check_chp(program: &Program) -> Vec<Diagnostic> {
    check_pass(program, Pass::Chp)
}

fn check_pass(program: &Program, pass: Pass) -> Vec<Diagnostic> {
    let defs: HashMap<&str, &ProcessDef> = program
        .processes()
        .map(|p| (p.name.name.as_str(), p))
        .collect();
    let globals: Vec<&ParamDecl> = program.global_params().collect();
    let global_body = program.global_body();
    let mut diags = Vec::new();
    for def in program.processes() {
        let mut scope = Scope::of_process(def, &globals, &global_body, &defs);
        let mut checker = Checker {
            scope: &mut scope,
            diags: &mut diags,
            in_conditional: false,
            pass,
        };
        checker.body(&def.body, Some(def));
    }
    // Blocks at the top level of a file: `prs { }` over global nodes, `Initialize { }`.
    if pass == Pass::Blocks {
        let mut scope = Scope::global(&globals, &global_body, &defs);
        let mut checker = Checker {
            scope: &mut scope,
            diags: &mut diags,
            in_conditional: false,
            pass,
        };
        checker.body(&global_body, None);
    }
    diags
}

/// Whether `def` has a description that a simulator runs (`dataflow`, HSE fragments) but
/// none that chpsim runs (`chp`, `prs`, `hse` written as CHP): chpsim cannot run it yet.
pub(crate) fn runs_only_sublanguages(def: &ProcessDef) -> bool {
    /// Whether `items` (in loops and conditionals too) have `chp`, and a behaviour block.
    fn scan(items: &[BodyItem], chp: &mut bool, behaviour: &mut bool) {
        for item in items {
            match item {
                BodyItem::Chp(_) => *chp = true,
                BodyItem::Lang(block)
                    if matches!(&**block, LangBlock::Prs(_))
                        || matches!(&**block, LangBlock::Hse(h) if matches!(h.body, HseBody::Plain(_))) =>
                {
                    *chp = true
                }
                BodyItem::Lang(block) if block.is_behaviour() => *behaviour = true,
                BodyItem::Loop(l) => scan(&l.items, chp, behaviour),
                BodyItem::Conditional(c) | BodyItem::GenLoop(c) => {
                    for arm in &c.arms {
                        scan(&arm.items, chp, behaviour);
                    }
                }
                _ => {}
            }
        }
    }
    let (mut chp, mut behaviour) = (false, false);
    scan(&def.body, &mut chp, &mut behaviour);
    behaviour && !chp
}

struct Checker<'s, 'a> {
    scope: &'s mut Scope<'a>,
    diags: &'s mut Vec<Diagnostic>,
    /// Inside a conditional body, where a refinement cannot override types.
    in_conditional: bool,
    pass: Pass,
}

/// What a walk over a definition checks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// The sublanguage blocks.
    Blocks,
    /// CHP, connections and port lists (see [`chp`]).
    Chp,
}

impl<'a> Checker<'_, 'a> {
    /// Runs `f` on a checker that sees `var` as a loop variable (an error where it hides a
    /// name): every loop of every sublanguage goes through here.
    pub(super) fn in_loop<T>(
        &mut self,
        var: &Ident,
        in_conditional: bool,
        f: impl FnOnce(&mut Checker<'_, 'a>) -> T,
    ) -> T {
        let pass = self.pass;
        self.scope.with_loop_var(var, self.diags, |scope, diags| {
            f(&mut Checker {
                scope,
                diags,
                in_conditional,
                pass,
            })
        })
    }

    fn body(&mut self, items: &'a [BodyItem], def: Option<&'a ProcessDef>) {
        for item in items {
            match item {
                BodyItem::Lang(block) => match (self.pass, &**block) {
                    (Pass::Blocks, _) => self.block(block, def),
                    (Pass::Chp, LangBlock::Refine(r)) => self.refinement_body(r, def),
                    (Pass::Chp, _) => {}
                },
                BodyItem::Chp(chp) if self.pass == Pass::Blocks => {
                    self.supply(chp.supply.as_deref())
                }
                BodyItem::Chp(chp) => chp.body.iter().for_each(|s| self.chp(s)),
                BodyItem::Connection(c) if self.pass == Pass::Chp => self.connection(c),
                BodyItem::PortList(list) if self.pass == Pass::Chp => {
                    self.reads(&list.instance);
                    self.port_args(&list.args);
                }
                BodyItem::Instance(InstanceDecl {
                    port_args: Some(args),
                    ..
                }) if self.pass == Pass::Chp => self.port_args(args),
                BodyItem::Loop(l) => {
                    let hidden = self.scope.contains(&l.var.name);
                    // Loop variables of the body may reuse names (checked by the structure).
                    // ACT counts a loop as a conditional construct (for refinement overrides).
                    if !hidden {
                        let in_conditional = true;
                        self.in_loop(&l.var, in_conditional, |c| c.body(&l.items, def));
                    } else {
                        let outer = std::mem::replace(&mut self.in_conditional, true);
                        self.body(&l.items, def);
                        self.in_conditional = outer;
                    }
                }
                BodyItem::Conditional(c) | BodyItem::GenLoop(c) => {
                    let outer = std::mem::replace(&mut self.in_conditional, true);
                    for arm in &c.arms {
                        match &arm.replicator {
                            Some(r) if !self.scope.contains(&r.var.name) => {
                                let in_conditional = self.in_conditional;
                                self.in_loop(&r.var, in_conditional, |c| c.body(&arm.items, def));
                            }
                            _ => self.body(&arm.items, def),
                        }
                    }
                    self.in_conditional = outer;
                }
                _ => {}
            }
        }
    }

    fn block(&mut self, block: &'a LangBlock, def: Option<&'a ProcessDef>) {
        match block {
            LangBlock::Prs(prs) => {
                self.supply(prs.supply.as_ref());
                self.prs_items(&prs.items);
            }
            LangBlock::Hse(hse) => {
                self.supply(hse.supply.as_ref());
                self.hse(&hse.body);
            }
            LangBlock::Spec(spec) => self.spec(spec),
            LangBlock::Sizing(sizing) => {
                for (_, value) in &sizing.setups {
                    self.param_expr(value);
                }
                self.size_directives(&sizing.directives);
            }
            LangBlock::Dataflow(d) => self.dataflow(d),
            LangBlock::Refine(r) => {
                if let Some(def) = def {
                    self.overrides(r, def);
                }
                self.refinement_body(r, def);
            }
            // Another tool's language: nothing of it is read.
            LangBlock::Extern(_) => {}
            LangBlock::Initialize(init) => {
                for (_, block) in &init.actions {
                    if let Some(body) = &block.body {
                        self.hse_stmt(body);
                    }
                }
            }
        }
    }

    /// The body of a refinement, which sees its overrides' types.
    fn refinement_body(&mut self, r: &'a RefineBlock, def: Option<&'a ProcessDef>) {
        let Some(def) = def else { return };
        let refined: Vec<&BodyItem> = (r.overrides.iter())
            .flat_map(|o| &o.refined)
            .flat_map(|d| &d.items)
            .collect();
        let (diags, in_conditional, pass) = (&mut *self.diags, self.in_conditional, self.pass);
        self.scope.with_declarations(&refined, |scope| {
            let mut checker = Checker {
                scope,
                diags,
                in_conditional,
                pass,
            };
            checker.body(&r.body, Some(def));
        });
    }

    fn supply(&mut self, supply: Option<&'a Supply>) {
        let Some(s) = supply else { return };
        self.node(&s.vdd);
        if let Some(gnd) = &s.gnd {
            self.node(gnd);
        }
        if let Some((p, n)) = &s.substrate {
            self.node(p);
            self.node(n);
        }
    }

    fn prs_items(&mut self, items: &'a [PrsItem]) {
        for item in items {
            for attr in &item.attrs {
                self.param_expr(&attr.value);
            }
            match &item.kind {
                PrsItemKind::Rule { guard, target, .. } => {
                    self.prs_expr(guard);
                    if let PrsTarget::Node(node) = target {
                        self.node(node);
                        if self.scope.is_input_wire(node) {
                            self.diags.push(
                                Diagnostic::error(
                                    node.span.clone(),
                                    format!(
                                        "`{}` has a directional type that is not writable",
                                        show(node)
                                    ),
                                )
                                .with_label("driven here")
                                .with_hint("a `bool?` cannot be on the RHS of a production rule: `?` marks a wire driven from elsewhere (of a wire `bool?! y` of a type, the object's own `?` does)"),
                            );
                        }
                    }
                }
                PrsItemKind::Loop { var, range, items } => {
                    self.range(range);
                    self.in_loop(var, false, |c| c.prs_items(items));
                }
                PrsItemKind::Tree { size, items } => {
                    if let Some(size) = size {
                        self.param_expr(size);
                    }
                    self.prs_items(items);
                }
                PrsItemKind::Subckt { items, .. } => self.prs_items(items),
                PrsItemKind::Device {
                    size, terminals, ..
                } => {
                    if let Some(size) = size {
                        self.size(size);
                    }
                    terminals.iter().for_each(|t| self.node(t));
                }
            }
        }
    }

    fn prs_expr(&mut self, e: &'a PrsExpr) {
        match &e.kind {
            PrsExprKind::Var { id, size } => {
                self.node(id);
                if let Some(size) = size {
                    self.size(size);
                }
            }
            PrsExprKind::Const(_) | PrsExprKind::Label(_) => {}
            PrsExprKind::Not(inner) => self.prs_expr(inner),
            PrsExprKind::And {
                lhs,
                rhs,
                precharge,
            } => {
                self.prs_expr(lhs);
                self.prs_expr(rhs);
                if let Some((_, p)) = precharge {
                    self.prs_expr(p);
                }
            }
            PrsExprKind::Or(lhs, rhs) => {
                self.prs_expr(lhs);
                self.prs_expr(rhs);
            }
            PrsExprKind::Loop {
                var, range, body, ..
            } => {
                self.range(range);
                self.in_loop(var, false, |c| c.prs_expr(body));
            }
        }
    }

    fn size(&mut self, size: &'a SizeSpec) {
        self.param_expr(&size.width);
        if let Some(l) = &size.length {
            self.param_expr(l);
        }
        if let Some(f) = &size.folds {
            self.param_expr(f);
        }
    }

    fn range(&mut self, range: &IterRange) {
        match range {
            IterRange::Count(n) => self.param_expr(n),
            IterRange::Inclusive(lo, hi) => {
                self.param_expr(lo);
                self.param_expr(hi);
            }
        }
    }

    /// A single `bool`: a node of a production rule, of sizing, an HSE assignment's target.
    fn node(&mut self, e: &Expr) {
        match self.scope.resolve(e) {
            Ok(RefTy::Value { ty, dims, .. }) if matches!(ty.kind, TypeKind::Bool) => {
                if dims > 0 {
                    self.diags.push(
                        Diagnostic::error(
                            e.span.clone(),
                            format!("`{}` is an array of bools; name one element", show(e)),
                        )
                        .with_label("an array"),
                    );
                }
            }
            Ok(RefTy::Unknown) => {}
            Ok(other) => self.not_bool(e, other, "a bool"),
            Err(d) => self.diags.push(d),
        }
    }

    /// A `bool` or an array of them (spec directives).
    fn nodes(&mut self, e: &Expr) {
        match self.scope.resolve(e) {
            Ok(RefTy::Value { ty, .. }) if matches!(ty.kind, TypeKind::Bool) => {}
            Ok(RefTy::Unknown) => {}
            Ok(other) => self.not_bool(e, other, "a bool or an array of bools"),
            Err(d) => self.diags.push(d),
        }
    }

    fn not_bool(&mut self, e: &Expr, what: RefTy<'_>, expected: &str) {
        let is = match what {
            RefTy::Param => "a parameter".to_string(),
            RefTy::Instance => "an instance".to_string(),
            RefTy::ChannelField { .. } => "a field of a channel's data".to_string(),
            RefTy::Value { ty, .. } => match &ty.kind {
                TypeKind::Chan { .. } => "a channel".to_string(),
                TypeKind::Int { .. } | TypeKind::Enum { .. } => "an integer".to_string(),
                TypeKind::Record(r) => format!("a `{}`", r.def.name.name),
                TypeKind::Bool => "a bool".to_string(),
            },
            RefTy::Unknown => "unknown".to_string(),
        };
        self.diags.push(
            Diagnostic::error(e.span.clone(), format!("`{}` is not {expected}", show(e)))
                .with_label(format!("{is}, not {expected}")),
        );
    }

    /// An expression of parameters (sizes, attributes, ranges): every name a parameter.
    fn param_expr(&mut self, e: &Expr) {
        for_each_reference(e, &mut |r| match self.scope.resolve(r) {
            Ok(RefTy::Param) | Ok(RefTy::Unknown) => {}
            Ok(_) => self.diags.push(
                Diagnostic::error(r.span.clone(), format!("`{}` is not a parameter", show(r)))
                    .with_label("sizes, attributes and ranges are made of parameters"),
            ),
            Err(d) => self.diags.push(d),
        });
    }

    /// A guard of HSE: the names it reads exist and are not channels.
    fn bool_expr(&mut self, e: &Expr) {
        for_each_reference(e, &mut |r| match self.scope.resolve(r) {
            Ok(RefTy::Value { ty, .. }) if matches!(ty.kind, TypeKind::Chan { .. }) => {
                self.diags.push(
                    Diagnostic::error(
                        r.span.clone(),
                        format!("`{}` is a channel; HSE reads bools", show(r)),
                    )
                    .with_label("a channel"),
                )
            }
            Ok(_) => {}
            Err(d) => self.diags.push(d),
        });
    }

    fn hse(&mut self, body: &'a HseBody) {
        match body {
            HseBody::Plain(block) => {
                if let Some(stmt) = &block.body {
                    self.hse_stmt(stmt);
                }
            }
            HseBody::Fragments(fragments) => {
                let mut labels: HashMap<&str, &Ident> = HashMap::new();
                for f in fragments {
                    if let Some(first) = labels.insert(&f.label.name, &f.label) {
                        self.diags.push(
                            Diagnostic::error(
                                f.label.span.clone(),
                                format!("two fragments are labelled `{}`", f.label.name),
                            )
                            .with_label("a second fragment with this label")
                            .with_note(first.span.clone(), "the first one"),
                        );
                    }
                    self.hse_stmt(&f.body);
                }
                for f in fragments {
                    let targets: Vec<&Ident> = match &f.next {
                        FragmentNext::Label(l) => vec![l],
                        FragmentNext::Choice(exits) => {
                            exits.iter().for_each(|(g, _)| self.bool_expr(g));
                            exits.iter().map(|(_, l)| l).collect()
                        }
                    };
                    for target in targets {
                        if !labels.contains_key(target.name.as_str()) {
                            self.diags.push(
                                Diagnostic::error(
                                    target.span.clone(),
                                    format!("no fragment is labelled `{}`", target.name),
                                )
                                .with_label("the fragment to go on with"),
                            );
                        }
                    }
                }
            }
        }
    }

    fn hse_stmt(&mut self, stmt: &'a Stmt) {
        match &stmt.kind {
            StmtKind::SetBool { target, .. } => self.node(target),
            StmtKind::Seq(stmts) | StmtKind::Par(stmts) => {
                stmts.iter().for_each(|s| self.hse_stmt(s))
            }
            StmtKind::Select { arms, .. } | StmtKind::GuardedLoop(arms) => {
                for arm in arms {
                    let check = |c: &mut Checker<'_, 'a>| {
                        if let Guard::Expr(g) = &arm.guard {
                            c.bool_expr(g);
                        }
                        c.hse_stmt(&arm.body);
                    };
                    match &arm.replicator {
                        Some(r) => {
                            self.range(&r.range);
                            self.in_loop(&r.var, false, check);
                        }
                        None => check(self),
                    }
                }
            }
            StmtKind::Wait(g) => self.bool_expr(g),
            StmtKind::Forever(body) => self.hse_stmt(body),
            StmtKind::DoLoop { body, cond } => {
                self.hse_stmt(body);
                self.bool_expr(cond);
            }
            StmtKind::Replicated {
                var, range, body, ..
            } => {
                self.range(range);
                self.in_loop(var, false, |c| c.hse_stmt(body));
            }
            _ => {}
        }
    }

    fn spec(&mut self, spec: &'a SpecBlock) {
        for item in &spec.items {
            match &item.kind {
                SpecItemKind::Directive { args, .. } => {
                    args.iter().flatten().for_each(|a| self.nodes(a));
                }
                SpecItemKind::Timing(t) => {
                    if let Some((root, _)) = &t.root {
                        self.node(root);
                    }
                    self.nodes(&t.from.id);
                    self.nodes(&t.to.id);
                    if let Some(margin) = &t.margin {
                        self.param_expr(margin);
                    }
                }
            }
        }
    }

    fn size_directives(&mut self, directives: &'a [SizeDirective]) {
        for d in directives {
            match d {
                SizeDirective::Node { id, drives } => {
                    self.node(id);
                    for drive in drives {
                        self.param_expr(&drive.strength);
                        if let Some(f) = &drive.folds {
                            self.param_expr(f);
                        }
                    }
                }
                SizeDirective::Loop { var, range, items } => {
                    self.range(range);
                    self.in_loop(var, false, |c| c.size_directives(items));
                }
            }
        }
    }

    /// A refinement's overrides: each names an instance of `def`'s body (not a port), with a
    /// type that has no direction.
    fn overrides(&mut self, r: &RefineBlock, def: &ProcessDef) {
        if let (true, Some(span)) = (self.in_conditional, &r.overrides_span) {
            self.diags.push(
                Diagnostic::error(
                    span.clone(),
                    "a refinement inside a conditional body or a loop cannot override types",
                )
                .with_label("overrides"),
            );
        }
        for o in &r.overrides {
            if let Some(dir) = &o.direction {
                self.diags.push(
                    Diagnostic::error(dir.clone(), "an override's type has no direction")
                        .with_label("a direction"),
                );
            }
            for id in &o.ids {
                if def.ports.iter().any(|p| p.name.name == id.name) {
                    self.diags.push(
                        Diagnostic::error(
                            id.span.clone(),
                            format!(
                                "`{}` is a port: a refinement cannot override its type",
                                id.name
                            ),
                        )
                        .with_label("a port"),
                    );
                } else if !self.scope.contains(&id.name) {
                    self.diags.push(
                        Diagnostic::error(
                            id.span.clone(),
                            format!(
                                "override of `{}`, which `{}` does not declare",
                                id.name, def.name.name
                            ),
                        )
                        .with_label("not declared"),
                    );
                }
            }
        }
    }
}

/// Calls `f` on each reference (`x`, `x[i]`, `a.b`) that `e` reads, outermost first; indices
/// of references are not visited (they are parameter expressions).
fn for_each_reference(e: &Expr, f: &mut dyn FnMut(&Expr)) {
    match &e.kind {
        ExprKind::Name(_) | ExprKind::Index { .. } | ExprKind::Field { .. } => f(e),
        ExprKind::Slice { base, .. } => for_each_reference(base, f),
        ExprKind::BitSlice { base, .. } => for_each_reference(base, f),
        ExprKind::Probe(inner) => for_each_reference(inner, f),
        ExprKind::Unary { operand, .. } => for_each_reference(operand, f),
        ExprKind::Binary { lhs, rhs, .. } => {
            for_each_reference(lhs, f);
            for_each_reference(rhs, f);
        }
        ExprKind::Concat(parts) | ExprKind::ArrayConcat(parts) => {
            parts.iter().for_each(|p| for_each_reference(p, f))
        }
        ExprKind::Conditional {
            cond,
            then,
            otherwise,
        } => {
            for_each_reference(cond, f);
            for_each_reference(then, f);
            for_each_reference(otherwise, f);
        }
        ExprKind::Cast { value, .. } => for_each_reference(value, f),
        ExprKind::Call { args, .. } | ExprKind::PstructOf { args, .. } => {
            args.iter().for_each(|a| for_each_reference(a, f))
        }
        // The body's references are checked as written, but for its own variable.
        ExprKind::Replicated { var, body, .. } => for_each_reference(body, &mut |r| {
            if r.root_name() != Some(var.name.as_str()) {
                f(r)
            }
        }),
        ExprKind::Int(_)
        | ExprKind::Real(_)
        | ExprKind::Bool(_)
        | ExprKind::MethodCall { .. }
        | ExprKind::ProcessType { .. }
        | ExprKind::RecordOf { .. } => {}
    }
}
