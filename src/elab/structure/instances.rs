//! Instances: template binding, port tables and layouts, and the nodes of their ports.

use std::collections::HashMap;
use std::rc::Rc;

use super::{
    connected_names, join, Elaborator, InstanceType, Local, Node, NodeId, NodeKind, PortTable,
    Role, MAX_DEPTH, MAX_DESIGN_SIZE, MAX_VARIABLES, UNBOUND_NODE,
};
use crate::diag::{did_you_mean, Diagnostic};
use crate::elab::consts::{ArgValue, Params, Value};
use crate::elab::ir::Dir;
use crate::elab::layout::{Carries, PortLayout};
use crate::elab::lower::{lower_program, Binding, Lowered, ProgramParts};
use crate::elab::param_array::{flatten, param_dims, shape_text, shapes_fit};
use crate::elab::types::{array_shape, data_type, dim_span, Carried, Shape};
use crate::front::ast::{
    scoped_names, ArrayDim, BodyItem, ChanDir, InstanceDecl, ParamDecl, ParamKind, ProcessDef,
    Span, TypeKind,
};

impl<'a> Elaborator<'a> {
    /// Instantiates every element of an instance declaration; returns their port tables.
    pub(super) fn instances(
        &mut self,
        decl: &'a InstanceDecl,
        path: &str,
        params: &mut Params,
    ) -> Option<(Vec<PortTable>, InstanceType)> {
        if let Some(found) = self.ptype_instance(decl, params) {
            let (def, args, map) = found?;
            let (tables, ty) = self.instance_elements(decl, def, args, path, params)?;
            let tables = (tables.into_iter())
                .map(|t| super::ptypes::interface_view(t, &map))
                .collect();
            return Some((tables, ty));
        }
        // A process defined in the namespace of the one being elaborated comes first.
        let scope = self.stack.last().map_or("", |(name, _)| name.as_str());
        let candidates = scoped_names(scope, &decl.process.name, self.opened);
        let found = candidates
            .iter()
            .find_map(|name| self.defs.get(name.as_str()));
        let Some(def) = found.copied() else {
            let mut d = Diagnostic::error(
                decl.process.span.clone(),
                format!("unknown process `{}`", decl.process.name),
            )
            .with_label("no `defproc` of this name");
            if let Some(hint) = did_you_mean(&decl.process.name, self.defs.keys().copied()) {
                d = d.with_hint(hint);
            }
            self.diags.push(d);
            return None;
        };
        let args: Vec<ArgValue> = (decl.template_args.iter().enumerate())
            .map(|(i, a)| self.template_arg(a, def.template_params.get(i), params))
            .collect::<Result<_, _>>()
            .map_err(|d| self.diags.push(d))
            .ok()?;
        self.instance_elements(decl, def, args, path, params)
    }

    /// Instantiates each element of `decl`, of `def` with `args`.
    fn instance_elements(
        &mut self,
        decl: &'a InstanceDecl,
        def: &'a ProcessDef,
        args: Vec<ArgValue>,
        path: &str,
        params: &mut Params,
    ) -> Option<(Vec<PortTable>, InstanceType)> {
        let shape = self.dims(&decl.dims, params)?;
        let mut tables = Vec::with_capacity(shape.len());
        let shared_args: std::rc::Rc<[ArgValue]> = args.clone().into();
        for i in 0..shape.len() {
            let name = super::element_name(&decl.name.name, &decl.dims, &shape, i);
            let child_path = join(path, &name);
            if self.too_large {
                return None;
            }
            let table = self.instantiate(def, args.clone(), &decl.span, &child_path)?;
            if !args.is_empty() && table.layout.node_count() > 0 {
                self.instance_args.insert(table.base, shared_args.clone());
            }
            tables.push(table);
        }
        if decl.dims.is_empty() {
            self.note_instance_params(decl, def, &args, params);
        }
        let strict_args = args.iter().take(def.strict).cloned().collect();
        Some((tables, (def.name.name.clone(), strict_args)))
    }

    /// Makes the template parameters of the instance `decl` (those its parent's arguments
    /// set too) readable as `b.N` in the body that declares it, as in ACT.
    fn note_instance_params(
        &mut self,
        decl: &InstanceDecl,
        def: &ProcessDef,
        args: &[ArgValue],
        params: &mut Params,
    ) {
        let Some(own) = self.bind_template(def, args, &decl.span) else {
            return;
        };
        for p in def.template_params.iter().chain(&def.bound_params) {
            if let Some(value) = own.value(&p.name.name) {
                params.set_value(&format!("{}.{}", decl.name.name, p.name.name), value);
            }
        }
    }

    /// The bounds of an array; a bad size is reported, and so is (once) an array that would
    /// make the design larger than [`MAX_DESIGN_SIZE`]: after that, every array fails, so
    /// that elaboration ends soon and without running out of memory.
    pub(super) fn dims(&mut self, dims: &[ArrayDim], params: &Params) -> Option<Shape> {
        let shape = array_shape(dims, params)
            .map_err(|d| self.diags.push(d))
            .ok()?;
        let len = shape.len();
        if self.too_large {
            return None;
        }
        if self.nodes.len() + self.processes.len() + len > MAX_DESIGN_SIZE {
            self.too_large = true;
            let span = dim_span(dims);
            self.diags.push(
                Diagnostic::error(
                    span,
                    format!(
                        "the design is too large: more than {MAX_DESIGN_SIZE} processes, channels \
                         and signals in all"
                    ),
                )
                .with_label(format!(
                    "{len} more here, after {}",
                    self.nodes.len() + self.processes.len()
                ))
                .with_hint(
                    "chpsim bounds the whole design so that it fits in memory (about 1 KB each)",
                ),
            );
            return None;
        }
        Some(shape)
    }

    pub(super) fn instantiate(
        &mut self,
        def: &'a ProcessDef,
        args: Vec<ArgValue>,
        use_span: &Span,
        path: &str,
    ) -> Option<PortTable> {
        let key = (def.name.name.clone(), args.clone());
        if self.stack.contains(&key) {
            self.diags.push(
                Diagnostic::error(
                    use_span.clone(),
                    format!("recursive instantiation of `{}`", def.name.name),
                )
                .with_label("this instance contains itself")
                .with_note(def.name.span.clone(), "defined here"),
            );
            return None;
        }
        if self.stack.len() >= MAX_DEPTH {
            self.diags.push(
                Diagnostic::error(
                    use_span.clone(),
                    format!("instances nested more than {MAX_DEPTH} deep"),
                )
                .with_label(format!("`{}` at level {}", def.name.name, MAX_DEPTH + 1))
                .with_note(def.name.span.clone(), "defined here")
                .with_hint("chpsim elaborates at most this many levels of instances inside instances: does a template instantiate itself at every level?"),
            );
            return None;
        }
        let mut params = self.bind_template(def, &args, use_span)?;
        if !self.process_overrides_hold(def, &args, &params, use_span) {
            return None;
        }
        // Only a top (a file-scope instance, or the top process) is instantiated with nothing
        // on the stack.
        let is_top = self.stack.is_empty();
        self.stack.push(key.clone());
        (self.body_depths).insert(path.to_string(), self.stack.len() as u32);
        // The most detailed level runs: production rules, else HSE (as a CHP program).
        let level = self.level(def, &args, path, use_span);
        let instance_index = self.instances.len() - 1;
        let has_rules = level == super::hse::Level::Prs;
        let runs_hse = level == super::hse::Level::Hse;
        let runs_chp = runs_hse || level == super::hse::Level::Chp;
        if !self.unsimulated_ok && crate::elab::sublang::runs_only_sublanguages(def) {
            self.unsimulated(def);
        }
        self.owner = Some(use_span.clone());
        let table = self.port_table(def, &key, path, &params, runs_chp);
        self.owner = None;
        if is_top {
            let count = table.layout.node_count();
            for node in &mut self.nodes[table.base..table.base + count] {
                node.role = Role::Port { top: true };
            }
        }
        let mut connected_vars = connected_names(&def.body);
        if has_rules {
            let mut names = Vec::new();
            super::prs_rules::prs_names(&def.body, &mut names);
            connected_vars.extend(names);
        }
        // The bools `spec` directives name are nodes, checked as they change.
        let mut spec_names = Vec::new();
        super::spec::spec_names(&def.body, &mut spec_names);
        connected_vars.extend(spec_names);
        let mut locals = self.file_instances_named(&connected_vars, &table);
        let mut parts = ProgramParts {
            connected_vars,
            runs_chp,
            ..ProgramParts::default()
        };
        for port in def.ports.iter().filter(|p| p.dims.is_empty()) {
            if !matches!(port.ty.kind, TypeKind::Chan { .. }) {
                if let Some(ty) = data_type(&port.ty, &params, &mut Vec::new()) {
                    params.declare_width(&port.name.name, ty.width());
                }
            }
        }
        let outer_names = std::mem::replace(
            &mut self.first_declared,
            def.ports
                .iter()
                .map(|p| (p.name.name.clone(), p.name.span.clone()))
                .collect(),
        );
        self.body(
            &def.body,
            path,
            &mut params,
            &table,
            &mut locals,
            &mut parts,
        );
        // The program that runs names the file's objects (while this definition is the one
        // elaborated: it sees those declared before it).
        let runs = match runs_hse {
            true => parts.hse.as_ref(),
            false => parts.chp.as_ref().filter(|_| runs_chp),
        };
        if let Some(block) = runs.map(|(block, _)| *block) {
            self.use_file_signals(block, &table, &mut locals, &mut parts);
        }
        self.first_declared = outer_names;
        let type_name = super::levels::full_expanded_name(def, &args);
        // The rules name the objects this definition sees (its namespace's).
        self.add_rules(path, &type_name, &parts.prs, &table, &locals);
        let at = (path, instance_index);
        self.add_specs(def, &key.1, at, &parts.spec, &table, &locals);
        self.stack.pop();
        if runs_hse {
            parts.chp = parts.hse.take();
            parts.runs_hse = true;
        }
        // A conditional body may leave this instance without its CHP: its directed ports are
        // then wires through it (passed on to the sub-instances of the branch it took), as
        // in a process without CHP, not ends of their channels.
        if runs_chp && parts.chp.is_none() {
            let count = table.layout.node_count();
            for node in &mut self.nodes[table.base..table.base + count] {
                if matches!(node.kind, NodeKind::Active(_)) {
                    node.kind = NodeKind::Through;
                }
            }
        }
        if runs_chp && parts.chp.is_some() {
            // Counted from the declarations before the program is made: a design over the
            // bound is refused without building millions of variables first.
            if !self.programs.contains_key(&key) {
                let declared = declared_variables(&table.layout, &parts);
                if self.variables + declared > MAX_VARIABLES {
                    self.count_variables(declared, use_span);
                    return Some(table);
                }
            }
            let first = !self.programs.contains_key(&key);
            let args = key.1.clone();
            if let Some(lowered) = self.lowered(def, key, &table.layout, &parts) {
                // Errors call the top process by its type, the others by their path.
                let shown = if path.is_empty() {
                    &def.name.name
                } else {
                    path
                };
                self.add_process((path, shown, use_span), &lowered, &table, &locals);
                self.count_variables(lowered.program.vars.len(), use_span);
                if first {
                    self.note_plain_source(&lowered, (def, &args), parts, use_span);
                }
            }
        }
        Some(table)
    }

    /// Counts `count` more variables of the processes to run (an instance's, declared at
    /// `span`); reports (once) a design whose processes hold more than [`MAX_VARIABLES`].
    fn count_variables(&mut self, count: usize, span: &Span) {
        self.variables += count;
        if self.variables > MAX_VARIABLES && !self.too_large {
            self.too_large = true;
            self.diags.push(
                Diagnostic::error(
                    span.clone(),
                    format!(
                        "the design is too large: its processes hold more than {MAX_VARIABLES} \
                         variables in all"
                    ),
                )
                .with_label(format!("this instance has {count} more"))
                .with_hint("chpsim bounds the whole design so that it fits in memory"),
            );
        }
    }

    /// Reports (once) that `def`, instantiated in a run, has only descriptions chpsim does not
    /// simulate yet.
    fn unsimulated(&mut self, def: &ProcessDef) {
        if self.unsimulated.insert(def.name.name.clone()) {
            let mut levels: Vec<&str> = Vec::new();
            for item in &def.body {
                if let BodyItem::Lang(block) = item {
                    if block.is_behaviour() && !levels.contains(&block.keyword()) {
                        levels.push(block.keyword());
                    }
                }
            }
            self.diags.push(
                Diagnostic::error(
                    def.name.span.clone(),
                    format!(
                        "`{}` has no CHP to run: its {} is not simulated yet",
                        def.name.name,
                        levels.join("/")
                    ),
                )
                .with_label("instantiated in this run")
                .with_hint("chpsim runs `chp { }`; `chpsim elaborate` checks the design without running it"),
            );
        }
    }

    /// The program of `def` with the template arguments in `key`, lowered for its first
    /// instance; `None` when it does not compile (its errors are reported once).
    pub(super) fn lowered(
        &mut self,
        def: &ProcessDef,
        key: (String, Vec<ArgValue>),
        layout: &PortLayout,
        parts: &ProgramParts<'_>,
    ) -> Option<Rc<Lowered>> {
        if let Some(lowered) = self.programs.get(&key) {
            return lowered.clone();
        }
        let delays = if key.0 == super::FILE_SCOPE {
            Default::default()
        } else {
            self.delays
                .for_process(&super::levels::full_expanded_name(def, &key.1))
        };
        let strict = self.strict_act;
        let lowered = match lower_program(def, layout, parts, &self.functions, delays, strict) {
            Ok(mut lowered) => {
                if key.0 != super::FILE_SCOPE {
                    if let Some(program) = Rc::get_mut(&mut lowered.program) {
                        program.type_name = super::levels::full_expanded_name(def, &key.1);
                    }
                }
                Some(Rc::new(lowered))
            }
            Err(mut d) => {
                if d.is_empty() && self.diags.is_empty() {
                    // Never let a process vanish without an error (its errors are normally
                    // reported by this pass or by lowering).
                    d.push(Diagnostic::error(
                        def.name.span.clone(),
                        format!("`{}` cannot be compiled", def.name.name),
                    ));
                }
                self.diags.append(&mut d);
                None
            }
        };
        self.programs.insert(key, lowered.clone());
        lowered
    }

    /// Adds the process at `path` (called `shown` in errors, none for CHP outside any process;
    /// declared at `declared`) running `lowered`: each of its port slots and shared variables
    /// becomes the node it is bound to in this instance.
    pub(super) fn add_process(
        &mut self,
        (path, shown, declared): (&str, &str, &Span),
        lowered: &Lowered,
        table: &PortTable,
        locals: &HashMap<String, Local>,
    ) {
        let program = &lowered.program;
        let mut port_nodes = Vec::with_capacity(program.ports.len());
        for (port, binding) in program.ports.iter().zip(&lowered.port_bindings) {
            let node = match bound_node(binding, table, locals) {
                Some(node) if !port.local && !port.used && self.passes_through(node) => {
                    self.nodes[node].kind = NodeKind::Through;
                    UNBOUND_NODE
                }
                Some(node) if !port.local => {
                    self.nodes[node].kind = NodeKind::Active(port.dir);
                    node
                }
                Some(channel) if port.used => {
                    let end = self.own_end(channel, port.dir);
                    // The top's own channels and the file's have paths under the same
                    // (empty) prefix.
                    let inside = match path.is_empty() {
                        true => !self.is_file_signal(channel),
                        false => (self.nodes[channel].path.strip_prefix(path))
                            .is_some_and(|rest| rest.starts_with('.')),
                    };
                    if !inside && !shown.is_empty() {
                        let user = (shown.to_string(), declared.clone());
                        self.file_channel_users.insert(end, user);
                    }
                    end
                }
                // Unused, or a name clash (already reported: the design will not run).
                _ => UNBOUND_NODE,
            };
            port_nodes.push(node);
        }
        let var_nodes = (lowered.var_bindings.iter())
            .map(|binding| {
                bound_node(binding, table, locals).expect("shared variables are declared")
            })
            .collect();
        self.processes
            .push((path.to_string(), program.clone(), port_nodes, var_nodes));
    }

    /// Whether `node` is one of a channel or variable declared at file scope.
    pub(super) fn is_file_signal(&self, node: NodeId) -> bool {
        (self.file_signals.values())
            .any(|entry| (entry.first..entry.first + entry.len()).contains(&node))
    }

    /// Whether a port node that the process's CHP never names is a wire through the process
    /// rather than one of the channel's ends: when the body connects it (passes it on to a
    /// sub-instance), or when it has no direction. A directed port nothing names stays the
    /// process's end, which ends with the process.
    fn passes_through(&self, node: NodeId) -> bool {
        let node = &self.nodes[node];
        node.inside.is_some() || matches!(node.kind, NodeKind::Through)
    }

    pub(super) fn bind_template(
        &mut self,
        def: &ProcessDef,
        args: &[ArgValue],
        span: &Span,
    ) -> Option<Params> {
        let mut params = self.globals.clone();
        params.set_scope(&def.name.name);
        let declared = &def.template_params;
        let required = declared.iter().filter(|p| p.value.is_none()).count();
        // As ACT, an instance may leave parameters without a default unset (`foo<5> f;` of
        // `template<pint N, M> defproc foo`): only a use of one is an error.
        if args.len() > declared.len() {
            let expected = if required == declared.len() {
                format!("{}", declared.len())
            } else {
                format!("{required} to {}", declared.len())
            };
            self.diags.push(
                Diagnostic::error(
                    span.clone(),
                    format!(
                        "`{}` takes {expected} template argument(s), but {} were given",
                        def.name.name,
                        args.len()
                    ),
                )
                .with_note(def.name.span.clone(), "defined here"),
            );
            return None;
        }
        for (i, p) in declared.iter().enumerate() {
            let value = match (args.get(i), &p.value) {
                (Some(v), _) => v.clone(),
                (None, Some(default)) => self
                    .template_arg(default, Some(p), &params)
                    .map_err(|d| self.diags.push(d))
                    .ok()?,
                (None, None) if p.kind == ParamKind::Pstruct => {
                    let def = p
                        .pstruct
                        .as_ref()
                        .expect("the parser gives a structure its type");
                    params.declare_struct(&p.name.name, def);
                    continue;
                }
                (None, None) if p.kind == ParamKind::Ptype => {
                    self.bind_ptype(p, None, span, &mut params);
                    continue;
                }
                (None, None) => {
                    params.set_kind(&p.name.name, p.kind);
                    params.declare_unset(&p.name.name);
                    continue;
                }
            };
            self.bind_value(p, value, span, &mut params)?;
        }
        // The parent's parameters set by `<: parent<args>`, in terms of these.
        for p in &def.bound_params {
            let value = p.value.as_ref().expect("a bound parameter has its value");
            let value = self
                .template_arg(value, Some(p), &params)
                .map_err(|d| self.diags.push(d))
                .ok()?;
            self.bind_value(p, value, span, &mut params)?;
        }
        Some(params)
    }

    /// Binds the template parameter `p` to `value` (a `ptype`'s to the type it names); `None`
    /// (reported) when the value does not fit.
    fn bind_value(
        &mut self,
        p: &ParamDecl,
        value: ArgValue,
        span: &Span,
        params: &mut Params,
    ) -> Option<()> {
        if p.kind == ParamKind::Ptype {
            return self.bind_ptype(p, Some(value), span, params).then_some(());
        }
        bind_param(p, value, params)
            .map_err(|message| self.diags.push(Diagnostic::error(span.clone(), message)))
            .ok()
    }

    /// Creates the port nodes of one instance, following its definition's port layout (built
    /// once per definition and parameters; port errors are reported then).
    pub(super) fn port_table(
        &mut self,
        def: &ProcessDef,
        key: &(String, Vec<ArgValue>),
        path: &str,
        params: &Params,
        runs_chp: bool,
    ) -> PortTable {
        let layout = match self.layouts.get(key) {
            Some(layout) => layout.clone(),
            None => {
                let layout = Rc::new(PortLayout::new(def, params, &mut self.diags));
                self.layouts.insert(key.clone(), layout.clone());
                // Once per expanded type, as its layout.
                self.check_method_types(def, &key.1, params);
                layout
            }
        };
        let base = self.nodes.len();
        for port in &layout.ports {
            let kind = match port.carries {
                Carries::Variable(_) => NodeKind::Variable,
                Carries::Channel { dir: Some(dir), .. } if runs_chp => {
                    NodeKind::Active(match dir {
                        ChanDir::Input => Dir::Receive,
                        ChanDir::Output => Dir::Send,
                    })
                }
                Carries::Channel { .. } => NodeKind::Through,
            };
            for i in 0..port.len {
                let path = join(path, &port.element_name(i));
                let role = Role::Port { top: false };
                self.note_chan_type(self.nodes.len(), &def.ports[port.decl].ty, params);
                let node = self.add_node(path, port.carried(), kind, port.span.clone(), role);
                if let (Carries::Variable(_), Some(record)) = (port.carries, &port.record) {
                    // Its fields may be connected (see `field_views`).
                    self.var_records.insert(node, record.clone());
                }
            }
        }
        PortTable { layout, base }
    }

    /// The end of a channel declared in a process that the process's own CHP uses: a node of
    /// its own, joined to the channel's.
    pub(super) fn own_end(&mut self, channel: NodeId, dir: Dir) -> NodeId {
        let (path, carried, span) = {
            let c = &self.nodes[channel];
            (c.path.clone(), c.carried.clone(), c.span.clone())
        };
        let end = self.add_node(
            path,
            carried,
            NodeKind::Active(dir),
            span.clone(),
            Role::OwnEnd,
        );
        self.note_link(end, true, &span);
        self.note_link(channel, true, &span);
        let root = self.find(channel);
        self.parent[end] = root;
        end
    }

    /// The file-scope instances a process body names (`b` of `f = b;`, `b.p`), as the body's
    /// objects to start with: ACT's definitions see the global scope. A port of the process,
    /// or an object the body declares, of the same name hides the file's (see
    /// [`Elaborator::declared_here`]).
    fn file_instances_named(
        &self,
        names: &std::collections::HashSet<String>,
        ports: &PortTable,
    ) -> HashMap<String, Local> {
        let base = |name: &str| name.split('.').next().unwrap_or(name).to_string();
        names
            .iter()
            .map(|name| base(name))
            .filter(|name| !ports.contains(name) && self.sees_file_object(name))
            .filter_map(|name| Some((name.clone(), self.file_instances.get(&name)?.clone())))
            .collect()
    }

    /// Whether the body being elaborated declares `name` (or has a port so named): an object
    /// of the file scope that it names is not.
    pub(super) fn declared_here(&self, name: &str) -> bool {
        self.first_declared.contains_key(name)
    }

    pub(super) fn add_node(
        &mut self,
        path: String,
        carried: Carried,
        kind: NodeKind,
        span: Span,
        role: Role,
    ) -> NodeId {
        let owner = self.owner.clone().unwrap_or_else(|| span.clone());
        self.nodes.push(Node {
            path,
            carried,
            kind,
            role,
            span,
            owner,
            inside: None,
            outside: None,
            links: 0,
        });
        self.parent.push(self.parent.len());
        self.nodes.len() - 1
    }
}

/// The node a slot of a lowered program is bound to in the instance with ports `table` and
/// body names `locals`; `None` for a name whose declaration failed (already reported).
fn bound_node(
    binding: &Binding,
    table: &PortTable,
    locals: &HashMap<String, Local>,
) -> Option<NodeId> {
    match binding {
        Binding::Port(offset) => Some(table.base + offset),
        Binding::Body { name, offset } => match locals.get(name) {
            Some(Local::Channel(entry) | Local::SharedVariable(entry)) => {
                Some(entry.first + offset)
            }
            _ => None,
        },
    }
}

/// Whether a body has a `chp` block (also one inside a loop or a conditional).
pub(super) fn has_chp(items: &[BodyItem]) -> bool {
    items.iter().any(|item| match item {
        BodyItem::Chp(_) => true,
        BodyItem::Loop(l) => has_chp(&l.items),
        BodyItem::Conditional(c) | BodyItem::GenLoop(c) => c.arms.iter().any(|a| has_chp(&a.items)),
        _ => false,
    })
}

/// Gives the template parameter `p` the argument `value`; the message says why it cannot.
pub(crate) fn bind_param(
    p: &ParamDecl,
    value: ArgValue,
    params: &mut Params,
) -> Result<(), String> {
    let name = &p.name.name;
    if let Some(def) = p.pstruct.as_ref().filter(|_| p.kind == ParamKind::Pstruct) {
        return super::pstructs::bind_struct(name, def, &value, params);
    }
    params.set_kind(name, p.kind);
    match (&value, p.dims.is_empty()) {
        (ArgValue::Array(_), false) => {}
        (ArgValue::Array(_), true) => {
            return Err(format!("`{name}` is a {}, not an array", p.kind.keyword()))
        }
        (_, false) => return Err(format!("`{name}` is a parameter array: pass an array")),
        (scalar, true) => {
            let value = scalar.value().expect("a scalar");
            return match (p.kind, value) {
                (ParamKind::Pbool, Value::Int(0 | 1)) | (ParamKind::Pint, Value::Int(_)) => {
                    params.set_value(name, value);
                    Ok(())
                }
                (ParamKind::Preal, _) => {
                    params.set_value(name, value);
                    Ok(())
                }
                (kind, value) => Err(format!("`{name}` is a {}; got {value}", kind.keyword())),
            };
        }
    };
    let dims = param_dims(&p.dims, params).map_err(|d| d.message)?;
    let wanted: Vec<usize> = dims.iter().map(|d| d.1).collect();
    let Some((leaves, given)) = flatten(&value) else {
        return Err(format!("`{name}`: the rows of this array differ in length"));
    };
    if !shapes_fit(&given, &wanted) {
        return Err(match (wanted.len(), given.len()) {
            (1, 1) => format!(
                "`{name}` is an array of {} parameters; got {} values",
                wanted[0], given[0]
            ),
            (1, _) => format!("`{name}` is an array of scalars; got an array of arrays"),
            _ => format!(
                "`{name}` is an array {}; got an array {}",
                shape_text(&wanted),
                shape_text(&given)
            ),
        });
    }
    let mut values = Vec::with_capacity(leaves.len());
    for value in leaves {
        if p.kind != ParamKind::Preal && matches!(value, Value::Real(_)) {
            return Err(format!(
                "`{name}` is an array of {}s; got {value}",
                p.kind.keyword()
            ));
        }
        values.push(Some(match p.kind {
            ParamKind::Preal => Value::Real(value.as_real()),
            _ => value,
        }));
    }
    params.declare_array(name, dims);
    params.array_mut(name).expect("declared").values = values;
    Ok(())
}

/// How many variables a process declares, its `bool`/`int` ports' and its body's (a sparse
/// array's first declaration only), counted without making them.
fn declared_variables(layout: &PortLayout, parts: &ProgramParts<'_>) -> usize {
    let ports = (layout.ports.iter())
        .filter(|port| matches!(port.carries, Carries::Variable(_)))
        .map(|port| port.len);
    let mut names = std::collections::HashSet::new();
    let body = (parts.vars.iter())
        .filter(|(decl, _)| names.insert(decl.name.name.as_str()))
        .filter_map(|(decl, params)| array_shape(&decl.dims, params).ok())
        .map(|shape| shape.len());
    ports.chain(body).sum()
}
