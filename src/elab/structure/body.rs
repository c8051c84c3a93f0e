//! Process bodies: parameters (see [`params`](super::params)), declarations, instances and port
//! lists, in order.

use std::borrow::Cow;
use std::collections::HashMap;

use super::wires::WireBase;
use super::{
    element_name, join, port_hint, sets_parameter, Elaborator, Local, NodeKind, PortEntry,
    PortTable, Role,
};
use crate::diag::Diagnostic;
use crate::elab::consts::{check_assertion, eval_condition, eval_const, Params};
use crate::elab::layout::Carries;
use crate::elab::lower::{ChildPort, ProgramParts};
use crate::elab::types::{payload, Carried, Shape, MAX_ARRAY};
use crate::front::ast::{self, BodyItem, Expr, ExprKind, InstanceDecl, IterRange, Span, TypeKind};

/// The items of the arm of a conditional body that holds, with the value of its replication
/// variable (`( [] i : N : g -> items )`) if it has one.
type ChosenArm<'s> = (&'s [BodyItem], Option<(&'s str, i64)>);

/// ACT's limit on the rounds of a generative loop `*[ g -> items ]`.
const MAX_GENERATIVE_ROUNDS: usize = 1000;

impl<'a> Elaborator<'a> {
    pub(super) fn body(
        &mut self,
        items: &'a [BodyItem],
        path: &str,
        params: &mut Params,
        ports: &PortTable,
        locals: &mut HashMap<String, Local>,
        parts: &mut ProgramParts<'a>,
    ) {
        for item in items {
            match item {
                BodyItem::Param(p) if p.kind == ast::ParamKind::Ptype => {
                    self.declare_ptype(p, params)
                }
                BodyItem::Param(p) if p.kind == ast::ParamKind::Pstruct => {
                    self.declare_struct_param(p, params)
                }
                BodyItem::Param(p) => self.declare_param(p, params),
                BodyItem::Var(v) => {
                    self.check_variable_overrides(v, params);
                    self.check_part_override(v, params);
                    match &v.ty.kind {
                        TypeKind::Chan { data, .. } => {
                            let outer: &Params = params;
                            let member_params = match &v.bundle {
                                Some(of) => self.declare_bundle_member(of, params, ports, locals),
                                None => Some(params.clone()),
                            };
                            let Some(params) = member_params else {
                                self.declare(locals, ports, &v.name, Local::Poisoned);
                                continue;
                            };
                            if self.size_hidden_by_template(v, &params, outer) {
                                self.declare(locals, ports, &v.name, Local::Poisoned);
                                continue;
                            }
                            self.declare_channel(v, data, path, &params, ports, locals);
                            parts.local_channels.push((Cow::Borrowed(v), params));
                        }
                        _ => {
                            self.data_variable(Cow::Borrowed(v), path, params, ports, locals, parts)
                        }
                    }
                }
                BodyItem::Instance(decl) => {
                    // `x a;` of a `ptype` `x` holding a data type (`@myint`): a variable.
                    if let Some(v) = self.ptype_variable(decl, params) {
                        self.data_variable(Cow::Owned(v), path, params, ports, locals, parts);
                        continue;
                    }
                    self.declare_instances(decl, path, params, ports, locals, parts);
                    let args = decl.port_args.as_deref().unwrap_or_default();
                    parts.connected_so_far.extend(whole_args(args));
                }
                BodyItem::Connection(c) if sets_parameter(&c.lhs, params) => {
                    self.assign_param(c, params)
                }
                BodyItem::Connection(c) => {
                    let whole = [&c.lhs, &c.rhs].into_iter().filter_map(whole_name);
                    parts.connected_so_far.extend(whole);
                    self.connection((&c.lhs, &c.rhs), &c.span, params, ports, locals);
                    self.connect_attributes(&c.lhs, &c.rhs, &c.span, params, parts);
                }
                BodyItem::Attributes(a) => self.give_attributes(a, params, ports, locals, parts),
                BodyItem::PortList(list) => {
                    parts.connected_so_far.extend(whole_args(&list.args));
                    if let Some(table) = self.instance_of(&list.instance, params, ports, locals) {
                        self.port_list(&table, &list.args, params, ports, locals);
                    }
                }
                BodyItem::Loop(l) => {
                    let Some((lo, hi)) = self.loop_range(&l.range, params) else {
                        continue;
                    };
                    for i in lo..=hi {
                        let shadowed = params.bind(&l.var.name, i);
                        self.body(&l.items, path, params, ports, locals, parts);
                        params.unbind(&l.var.name, shadowed);
                    }
                }
                BodyItem::Conditional(select) => {
                    if let Some(arm) = self.chosen_arm(select, params) {
                        self.chosen_items(arm, path, params, ports, locals, parts);
                    }
                }
                BodyItem::GenLoop(select) => {
                    let mut rounds = 0;
                    while let Some(arm) = self.chosen_arm(select, params) {
                        rounds += 1;
                        if rounds > MAX_GENERATIVE_ROUNDS {
                            self.diags.push(
                                Diagnostic::error(
                                    select.span.clone(),
                                    format!(
                                        "this loop runs more than {MAX_GENERATIVE_ROUNDS} times"
                                    ),
                                )
                                .with_label("a guard stays true")
                                .with_hint("its items must change a parameter that ends it"),
                            );
                            break;
                        }
                        self.chosen_items(arm, path, params, ports, locals, parts);
                    }
                }
                BodyItem::Assert(a) => match &a.kind {
                    ast::BodyAssertKind::Holds(cond) => {
                        let checked = check_assertion(cond, a.message.as_deref(), &a.span, params);
                        if let Err(d) = checked {
                            self.diags.push(d);
                        }
                    }
                    ast::BodyAssertKind::Connected { lhs, rhs, negated } => {
                        self.check_connected(lhs, rhs, *negated, a, params, ports, locals);
                    }
                },
                BodyItem::Print(args, span) => self.print(args, span, params),
                BodyItem::Chp(block) => {
                    if parts.chp.is_some() {
                        self.diags.push(Diagnostic::error(
                            block.span.clone(),
                            "a process may have only one `chp` block",
                        ));
                    }
                    parts.chp = Some((block, params.clone()));
                }
                // Production rules run (see `prs_rules`); all blocks are checked on their own.
                BodyItem::Lang(block) if matches!(**block, ast::LangBlock::Prs(_)) => {
                    if let ast::LangBlock::Prs(prs) = &**block {
                        parts.prs.push((prs, params.clone()));
                    }
                }
                BodyItem::Lang(block) if matches!(**block, ast::LangBlock::Hse(_)) => {
                    if let ast::LangBlock::Hse(hse) = &**block {
                        if let ast::HseBody::Plain(program) = &hse.body {
                            parts.hse.get_or_insert((program, params.clone()));
                        }
                    }
                }
                BodyItem::Lang(block) if matches!(**block, ast::LangBlock::Spec(_)) => {
                    if let ast::LangBlock::Spec(spec) = &**block {
                        parts.spec.push((spec, params.clone()));
                    }
                }
                BodyItem::Lang(block) if matches!(**block, ast::LangBlock::Extern(_)) => {
                    if let ast::LangBlock::Extern(ext) = &**block {
                        self.skipped_extern(ext);
                    }
                }
                // Checked on their own (see `elab::sublang`); nothing of them runs yet.
                BodyItem::Lang(_) => {}
            }
        }
    }

    /// The items of the first arm of a conditional body (or generative loop) whose guard
    /// holds (an `else` always does), with the value of its replication variable if it has
    /// one; `None` when none holds, or a guard is in error.
    fn chosen_arm<'s>(
        &mut self,
        select: &'s ast::BodySelect,
        params: &mut Params,
    ) -> Option<ChosenArm<'s>> {
        for arm in &select.arms {
            let guard = match &arm.guard {
                ast::Guard::Else => return Some((&arm.items, None)),
                ast::Guard::Expr(g) => g,
            };
            let Some(rep) = &arm.replicator else {
                match eval_condition(guard, params, "a conditional") {
                    Ok(true) => return Some((&arm.items, None)),
                    Ok(false) => continue,
                    Err(d) => {
                        self.diags.push(d);
                        return None;
                    }
                }
            };
            // `( [] i : N : g -> items )`: the first value of `i` whose guard holds.
            let (lo, hi) = self.loop_range(&rep.range, params)?;
            for i in lo..=hi {
                let shadowed = params.bind(&rep.var.name, i);
                let held = eval_condition(guard, params, "a conditional");
                params.unbind(&rep.var.name, shadowed);
                match held {
                    Ok(true) => return Some((&arm.items, Some((&rep.var.name, i)))),
                    Ok(false) => {}
                    Err(d) => {
                        self.diags.push(d);
                        return None;
                    }
                }
            }
        }
        None
    }

    /// The items of an arm chosen by [`Self::chosen_arm`], with its variable bound.
    #[allow(clippy::too_many_arguments)]
    fn chosen_items(
        &mut self,
        (items, var): ChosenArm<'a>,
        path: &str,
        params: &mut Params,
        ports: &PortTable,
        locals: &mut HashMap<String, Local>,
        parts: &mut ProgramParts<'a>,
    ) {
        match var {
            Some((name, value)) => {
                let shadowed = params.bind(name, value);
                self.body(items, path, params, ports, locals, parts);
                params.unbind(name, shadowed);
            }
            None => self.body(items, path, params, ports, locals, parts),
        }
    }

    /// `{ a === b : "message" };` (`!==` with `negated`): whether the two are connected (the
    /// same channel or variable) so far.
    #[allow(clippy::too_many_arguments)]
    fn check_connected(
        &mut self,
        lhs: &Expr,
        rhs: &Expr,
        negated: bool,
        assertion: &ast::BodyAssert,
        params: &Params,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) {
        let (Some(a), Some(b)) = (
            self.resolve(lhs, params, ports, locals),
            self.resolve(rhs, params, ports, locals),
        ) else {
            return;
        };
        let connected = a.nodes.len() == b.nodes.len()
            && (a.nodes.iter().zip(&b.nodes)).all(|(&x, &y)| self.find(x) == self.find(y));
        if connected != negated {
            return;
        }
        let how = if negated {
            "are connected"
        } else {
            "are not connected"
        };
        let mut text = format!("assertion failed: the two {how}");
        if let Some(m) = &assertion.message {
            text = format!("{text}: {m}");
        }
        self.diags.push(
            Diagnostic::error(assertion.span.clone(), text).with_label(format!(
                "`{}` and `{}` {how}",
                source_name(lhs),
                source_name(rhs)
            )),
        );
    }

    /// `extern (lang) { ... }`: said once per block, however many instances have it, as ACT
    /// says it once when it reads a language it has no parser for.
    fn skipped_extern(&mut self, block: &ast::ExternBlock) {
        if self.warnings.iter().any(|w| w.span == block.span) {
            return;
        }
        self.warnings.push(
            Diagnostic::warning(
                block.span.clone(),
                format!(
                    "no parser for the external language `{}`; the block is skipped",
                    block.language.name
                ),
            )
            .with_label("not read by chpsim"),
        );
    }

    /// `${ "text", e, ... };`: shown when the design is expanded, as ACT's `msg:` lines.
    fn print(&mut self, args: &[ast::LogArg], span: &Span, params: &Params) {
        let mut text = String::new();
        for arg in args {
            match arg {
                ast::LogArg::Str(s, _) => text.push_str(s),
                ast::LogArg::Expr(e) => match eval_const(e, params) {
                    Ok(v) => text.push_str(&v.to_string()),
                    Err(d) => {
                        self.diags.push(d);
                        return;
                    }
                },
            }
        }
        self.warnings.push(
            Diagnostic::warning(span.clone(), format!("msg: {text}"))
                .with_label("printed as the design is expanded"),
        );
    }

    /// A channel (or channel array) declared in the body: a node per element.
    fn declare_channel(
        &mut self,
        v: &ast::VarDecl,
        data: &Option<Box<ast::Type>>,
        path: &str,
        params: &Params,
        ports: &PortTable,
        locals: &mut HashMap<String, Local>,
    ) {
        let checked = payload(data, params, &mut self.diags).zip(self.dims(&v.dims, params));
        let Some((ty, shape)) = checked else {
            self.declare(locals, ports, &v.name, Local::Poisoned);
            return;
        };
        let first = self.nodes.len();
        let carried = Carried::of(ty, &v.ty, params);
        for i in 0..shape.len() {
            let name = match &v.bundle {
                Some(bundle) if bundle.array => bundle.element_name(shape.lo() + i as i64),
                _ => element_name(&v.name.name, &v.dims, &shape, i),
            };
            self.note_chan_type(self.nodes.len(), &v.ty, params);
            self.add_node(
                join(path, &name),
                carried.clone(),
                NodeKind::Through,
                v.span.clone(),
                Role::Channel,
            );
        }
        let entry = PortEntry {
            first,
            shape,
            is_array: !v.dims.is_empty(),
            dir: None,
        };
        self.declare(locals, ports, &v.name, Local::Channel(entry));
    }

    /// An instance (or instance array) declared in the body, with its port list if it has one.
    fn declare_instances(
        &mut self,
        decl: &'a InstanceDecl,
        path: &str,
        params: &mut Params,
        ports: &PortTable,
        locals: &mut HashMap<String, Local>,
        parts: &mut ProgramParts<'a>,
    ) {
        let Some((tables, ty)) = self.instances(decl, path, params) else {
            self.declare(locals, ports, &decl.name, Local::Poisoned);
            return;
        };
        let shape = self.dims(&decl.dims, params).unwrap_or_default();
        if let (Some(_), false) = (&decl.port_args, decl.dims.is_empty()) {
            // As ACT: which element would it connect? `b[0](x, y);` connects one.
            self.diags.push(
                Diagnostic::error(
                    decl.name.span.clone(),
                    format!(
                        "`{}` is an array: a port list connects a single instance",
                        decl.name.name
                    ),
                )
                .with_label("an array with a port list")
                .with_hint("connect each element's ports with connections in a loop"),
            );
        } else if let Some(args) = &decl.port_args {
            for table in &tables {
                self.port_list(table, args, params, ports, locals);
            }
        }
        if parts.runs_chp {
            child_ports(decl, &shape, &tables, locals, parts);
            let def = self.defs.get(ty.0.as_str()).copied();
            if let (Some(def), [table], true) = (def, tables.as_slice(), decl.dims.is_empty()) {
                if !def.macros.is_empty() {
                    let ports = (table.layout.ports.iter())
                        .map(|p| (def.ports[p.decl].name.name.clone(), p.name.clone()))
                        .collect();
                    let port_dirs = (def.ports.iter())
                        .filter_map(|p| match &p.ty.kind {
                            ast::TypeKind::Chan { dir: Some(d), .. } => {
                                Some((p.name.name.clone(), *d))
                            }
                            _ => None,
                        })
                        .collect();
                    let child = crate::elab::lower::ChildMacros {
                        macros: def.macros.clone(),
                        ports,
                        port_dirs,
                    };
                    parts.child_macros.insert(decl.name.name.clone(), child);
                }
            }
        }
        // ACT's sparse arrays (`foo x[4]; foo x[5..6];`): the elements of the second are
        // instances like the others, of the same type.
        if let Some(Local::Instances {
            ty: first,
            is_array: true,
            ..
        }) = (locals.get(&decl.name.name)).filter(|_| self.declared_here(&decl.name.name))
        {
            if decl.dims.is_empty() {
                // A scalar of the same name: declared twice (reported by `declare`).
            } else if **first == ty {
                self.check_array_extension(&decl.name.name, &decl.span, parts);
                self.extend_instances(decl, &shape, tables, locals);
                return;
            } else {
                let name = &decl.name.name;
                let d = Diagnostic::error(
                    decl.span.clone(),
                    format!(
                        "the elements of array `{name}` have one type: `{}` here, `{}` before",
                        type_text(&ty),
                        type_text(first)
                    ),
                )
                .with_label("another type")
                .with_hint("a sparse array's elements agree on the strict template arguments (before the `|`)");
                self.diags.push(d);
                return;
            }
        }
        let local = Local::Instances {
            shape,
            tables,
            ty: std::rc::Rc::new(ty),
            is_array: !decl.dims.is_empty(),
        };
        self.declare(locals, ports, &decl.name, local);
    }

    /// Adds the elements (`tables`, of `shape`) of a sparse array of instances to those
    /// declared before under its name (`foo x[0..3]; foo x[6..7];`), in the place of their
    /// indices among them (see [`Shape::extend`]).
    fn extend_instances(
        &mut self,
        decl: &InstanceDecl,
        shape: &Shape,
        tables: Vec<PortTable>,
        locals: &mut HashMap<String, Local>,
    ) {
        let Some(Local::Instances {
            shape: old_shape,
            tables: old,
            ..
        }) = locals.get_mut(&decl.name.name)
        else {
            return;
        };
        let before = old_shape.clone();
        match old_shape.extend(shape, &decl.name.name) {
            Ok(()) => {
                let mut all: Vec<_> = old.drain(..).chain(tables).map(Some).collect();
                let sources = old_shape.sources(&before, shape);
                old.extend(sources.into_iter().filter_map(|k| all[k].take()));
            }
            Err(message) => self
                .diags
                .push(Diagnostic::error(decl.name.span.clone(), message)),
        }
    }

    pub(crate) fn loop_range(&mut self, range: &IterRange, params: &Params) -> Option<(i64, i64)> {
        let r = match range {
            IterRange::Count(n) => match eval_const(n, params) {
                Ok(c) if c < 0 => {
                    self.diags.push(Diagnostic::error(
                        n.span.clone(),
                        format!("a loop count cannot be negative ({c})"),
                    ));
                    return None;
                }
                r => r.map(|c| (0, c - 1)),
            },
            IterRange::Inclusive(lo, hi) => {
                eval_const(lo, params).and_then(|lo| Ok((lo, eval_const(hi, params)?)))
            }
        };
        match r {
            Ok((lo, hi)) if hi.saturating_sub(lo) < MAX_ARRAY => Some((lo, hi)),
            Ok((lo, hi)) => {
                self.diags.push(Diagnostic::error(
                    range.span(),
                    format!("loop range {lo}..{hi} is too long"),
                ));
                None
            }
            Err(d) => {
                self.diags.push(d);
                None
            }
        }
    }

    /// Connects the ports of one instance to the expressions of its port list.
    pub(super) fn port_list(
        &mut self,
        table: &PortTable,
        args: &[ast::PortArg],
        params: &Params,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) {
        let process = table.layout.process.clone();
        for (i, arg) in args.iter().enumerate() {
            let (port_name, value, span) = match arg {
                ast::PortArg::Empty(_) => continue,
                ast::PortArg::Positional(e) => match table.names().nth(i) {
                    Some(name) => (name.to_string(), e, e.span.clone()),
                    None => {
                        self.diags.push(Diagnostic::error(
                            e.span.clone(),
                            format!(
                                "`{process}` has {} port(s); this is argument {}",
                                table.len(),
                                i + 1
                            ),
                        ));
                        continue;
                    }
                },
                ast::PortArg::Named { port, value } => {
                    (port.name.clone(), value, port.span.clone())
                }
            };
            let Some(child) = self.formal_side(table, &port_name, &span) else {
                self.diags.push(
                    Diagnostic::error(span, format!("`{process}` has no port `{port_name}`"))
                        .with_hint(port_hint(&port_name, table)),
                );
                continue;
            };
            if let Some(other) = self.resolve_side(value, params, ports, locals) {
                let reported = self.diags.len();
                self.connect_sides(&child, &other, &span);
                if self.diags.len() == reported {
                    let formal = WireBase::Port(table.clone(), port_name.clone());
                    let actual = WireBase::Expr(value.clone());
                    let sides = (&child, &other);
                    self.connect_side_wires(sides, (formal, actual), &span, params, ports, locals);
                }
            }
        }
    }
}

/// The channel ports of the instances `tables` of `decl`, which the CHP of the process that
/// declares them may use by their names (`m.L`, `m[2].p.req`) as the other end: each becomes a
/// body name bound to the port's nodes, and a channel the CHP may use.
fn child_ports(
    decl: &InstanceDecl,
    shape: &Shape,
    tables: &[PortTable],
    locals: &mut HashMap<String, Local>,
    parts: &mut ProgramParts<'_>,
) {
    for (k, table) in tables.iter().enumerate() {
        let instance = element_name(&decl.name.name, &decl.dims, shape, k);
        for port in &table.layout.ports {
            let Carries::Channel { data, reply, .. } = port.carries else {
                continue;
            };
            let name = format!("{instance}.{}", port.name);
            let entry = PortEntry {
                first: table.base + port.first,
                shape: port.shape.clone(),
                is_array: port.is_array,
                dir: None,
            };
            locals.insert(name.clone(), Local::Channel(entry));
            parts.child_ports.push(ChildPort {
                name,
                shape: port.shape.clone(),
                is_array: port.is_array,
                ty: data,
                reply,
                record: port.record.clone(),
            });
        }
    }
}

/// An instance type as messages show it: `foo<4, 2>` (its strict arguments), `foo`.
fn type_text((name, args): &super::InstanceType) -> String {
    if args.is_empty() {
        return name.clone();
    }
    let args: Vec<String> = args.iter().map(ToString::to_string).collect();
    format!("{name}<{}>", args.join(","))
}

/// A reference as the user wrote it, for messages: `a[2].R`.
fn source_name(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Name(id) => id.name.clone(),
        ExprKind::Index { base, .. } => format!("{}[..]", source_name(base)),
        ExprKind::Field { base, field } => format!("{}.{}", source_name(base), field.name),
        _ => "this".to_string(),
    }
}

/// A connection's side that names a whole array or instance (`x` of `x = y;`, not `x[2]`):
/// ACT's direct connection, after which an array is not extended (element by element it may).
fn whole_name(e: &ast::Expr) -> Option<String> {
    match &e.kind {
        ast::ExprKind::Name(id) => Some(id.name.clone()),
        _ => None,
    }
}

/// The whole arrays a port list connects (`x` of `f(x, y[2])`).
fn whole_args(args: &[ast::PortArg]) -> impl Iterator<Item = String> + '_ {
    args.iter().filter_map(|a| match a {
        ast::PortArg::Positional(e) | ast::PortArg::Named { value: e, .. } => whole_name(e),
        ast::PortArg::Empty(_) => None,
    })
}
