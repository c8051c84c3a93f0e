//! Instances: template binding, port tables and layouts, and the nodes of their ports.

use std::collections::HashMap;
use std::rc::Rc;

use super::{
    connected_names, join, skip, split_index, Elaborator, LayoutPort, Local, Node, NodeId,
    NodeKind, PortEntry, PortLayout, PortTable, Role, MAX_DEPTH, UNBOUND_NODE,
};
use crate::diag::{did_you_mean, Diagnostic};
use crate::elab::consts::{eval_const, Params};
use crate::elab::ir::{Dir, Program, Ty};
use crate::elab::lower::{lower_program, ProgramParts};
use crate::elab::types::{array_bounds, data_type, payload};
use crate::front::ast::{
    scoped_names, ArrayDim, BodyItem, ChanDir, InstanceDecl, ParamKind, ProcessDef, Span, TypeKind,
};

impl<'a> Elaborator<'a> {
    /// Instantiates every element of an instance declaration; returns their port tables.
    pub(super) fn instances(
        &mut self,
        decl: &'a InstanceDecl,
        path: &str,
        params: &Params,
    ) -> Option<Vec<PortTable>> {
        // A process defined in the namespace of the one being elaborated comes first.
        let scope = self.stack.last().map_or("", |(name, _)| name.as_str());
        let candidates = scoped_names(scope, &decl.process.name);
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
        let args: Vec<i64> = decl
            .template_args
            .iter()
            .map(|a| eval_const(a, params))
            .collect::<Result<_, _>>()
            .map_err(|d| self.diags.push(d))
            .ok()?;
        let (lo, len) = self.dims(&decl.dims, params)?;
        let mut tables = Vec::with_capacity(len);
        for i in 0..len {
            let name = if decl.dims.is_empty() {
                decl.name.name.clone()
            } else {
                format!("{}[{}]", decl.name.name, lo + i as i64)
            };
            let child_path = join(path, &name);
            tables.push(self.instantiate(def, args.clone(), &decl.span, &child_path)?);
        }
        Some(tables)
    }

    /// One-dimensional array bounds `(lo, len)`; a bad size is reported.
    pub(super) fn dims(&mut self, dims: &[ArrayDim], params: &Params) -> Option<(i64, usize)> {
        array_bounds(dims, params)
            .map_err(|d| self.diags.push(d))
            .ok()
    }

    pub(super) fn instantiate(
        &mut self,
        def: &'a ProcessDef,
        args: Vec<i64>,
        use_span: &Span,
        path: &str,
    ) -> Option<PortTable> {
        let key = (def.name.name.clone(), args.clone());
        if self.stack.contains(&key) || self.stack.len() >= MAX_DEPTH {
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
        let mut params = self.bind_template(def, &args, use_span)?;
        self.stack.push(key.clone());
        let runs_chp = def.body.iter().any(|item| matches!(item, BodyItem::Chp(_)));
        self.owner = Some(use_span.clone());
        let table = self.port_table(def, &key, path, &params, runs_chp);
        self.owner = None;
        let mut parts = ProgramParts {
            connected_vars: connected_names(&def.body),
            ..ProgramParts::default()
        };
        let mut locals: HashMap<String, Local> = HashMap::new();
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
        self.stack.pop();
        self.first_declared = outer_names;
        if runs_chp {
            let program = match self.programs.get(&key) {
                Some(p) => p.clone(),
                None => {
                    let name = if args.is_empty() {
                        def.name.name.clone()
                    } else {
                        let a: Vec<String> = args.iter().map(|a| a.to_string()).collect();
                        format!("{}<{}>", def.name.name, a.join(","))
                    };
                    match lower_program(def, name, &parts, &self.functions) {
                        Ok(p) => {
                            let p = Rc::new(p);
                            self.programs.insert(key, p.clone());
                            p
                        }
                        Err(mut d) => {
                            if d.is_empty() && self.diags.is_empty() {
                                // Never let a process vanish without an error (its errors are
                                // normally reported by this pass or by lowering).
                                d.push(Diagnostic::error(
                                    def.name.span.clone(),
                                    format!("`{}` cannot be compiled", def.name.name),
                                ));
                            }
                            self.diags.append(&mut d);
                            // Remember the failure so other instances do not repeat the errors.
                            let p = Rc::new(Program {
                                name: String::new(),
                                vars: vec![],
                                shared_slots: 0,
                                shares_vars: false,
                                ports: vec![],
                                body: skip(),
                            });
                            self.programs.insert(key, p.clone());
                            p
                        }
                    }
                }
            };
            if program.name.is_empty() {
                return Some(table);
            }
            let mut port_nodes = Vec::new();
            for port in &program.ports {
                let (base, index) = split_index(&port.name);
                let node = if !port.local {
                    let entry = table.get(base).expect("lowered ports are in the layout");
                    let node = entry.first + (index - entry.lo) as usize;
                    self.nodes[node].kind = NodeKind::Active(port.dir);
                    node
                } else {
                    let entry = match locals.get(base) {
                        Some(Local::Channel(entry)) => Some(*entry),
                        // A port declared without a direction, whose CHP uses both its ends.
                        _ => table.get(base),
                    };
                    match entry {
                        Some(entry) if port.used => {
                            let channel = entry.first + (index - entry.lo) as usize;
                            self.own_end(channel, port.dir)
                        }
                        // Unused, or a name clash (already reported: the design will not run).
                        _ => UNBOUND_NODE,
                    }
                };
                port_nodes.push(node);
            }
            let var_nodes = program.vars[..program.shared_slots]
                .iter()
                .map(|var| {
                    let (base, index) = split_index(&var.name);
                    let entry = match locals.get(base) {
                        Some(Local::SharedVariable(entry)) => *entry,
                        _ => table.get(base).expect("lowered ports are in the layout"),
                    };
                    entry.first + (index - entry.lo) as usize
                })
                .collect();
            self.processes
                .push((path.to_string(), program, port_nodes, var_nodes));
        }
        Some(table)
    }

    pub(super) fn bind_template(
        &mut self,
        def: &ProcessDef,
        args: &[i64],
        span: &Span,
    ) -> Option<Params> {
        let mut params = self.globals.clone();
        let declared = &def.template_params;
        let required = declared.iter().filter(|p| p.value.is_none()).count();
        if args.len() > declared.len() || args.len() < required {
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
            let value = match args.get(i) {
                Some(v) => *v,
                None => {
                    let default = p.value.as_ref().expect("counted as having a default");
                    eval_const(default, &params)
                        .map_err(|d| self.diags.push(d))
                        .ok()?
                }
            };
            if p.kind == ParamKind::Pbool && !(0..=1).contains(&value) {
                self.diags.push(Diagnostic::error(
                    span.clone(),
                    format!("`{}` is a pbool; got {value}", p.name.name),
                ));
                return None;
            }
            params.set(&p.name.name, value);
        }
        Some(params)
    }

    /// Creates the port nodes of one instance, following its definition's port layout (built
    /// once per definition and parameters; port errors are reported then).
    pub(super) fn port_table(
        &mut self,
        def: &ProcessDef,
        key: &(String, Vec<i64>),
        path: &str,
        params: &Params,
        runs_chp: bool,
    ) -> PortTable {
        let layout = match self.layouts.get(key) {
            Some(layout) => layout.clone(),
            None => {
                let layout = Rc::new(self.port_layout(def, params, runs_chp));
                self.layouts.insert(key.clone(), layout.clone());
                layout
            }
        };
        let base = self.nodes.len();
        for port in &layout.ports {
            for i in 0..port.entry.len {
                let index = port.entry.lo + i as i64;
                let name = if port.has_dims {
                    format!("{}[{index}]", port.name)
                } else {
                    port.name.clone()
                };
                self.add_node(
                    join(path, &name),
                    port.ty,
                    port.kind,
                    port.span.clone(),
                    Role::Port { top: false },
                );
            }
        }
        PortTable { layout, base }
    }

    pub(super) fn port_layout(
        &mut self,
        def: &ProcessDef,
        params: &Params,
        runs_chp: bool,
    ) -> PortLayout {
        let mut layout = PortLayout::default();
        let mut next = 0;
        for port in &def.ports {
            let (dir, ty) = match &port.ty.kind {
                TypeKind::Chan { dir, data, .. } => (*dir, payload(data, params, &mut self.diags)),
                // A shared variable.
                _ => (None, data_type(&port.ty, params, &mut self.diags).map(Some)),
            };
            let Some(ty) = ty else {
                continue;
            };
            let Some((lo, len)) = self.dims(&port.dims, params) else {
                continue;
            };
            if layout.ports.iter().any(|p| p.name == port.name.name) {
                // The first declaration stays; this one is only reported.
                let first = def
                    .ports
                    .iter()
                    .find(|p| p.name.name == port.name.name)
                    .expect("declared");
                self.diags.push(
                    Diagnostic::error(
                        port.name.span.clone(),
                        format!("duplicate port `{}`", port.name.name),
                    )
                    .with_label("declared again here")
                    .with_note(first.name.span.clone(), "first declared here"),
                );
                continue;
            }
            let kind = match (runs_chp, dir) {
                _ if !matches!(port.ty.kind, TypeKind::Chan { .. }) => NodeKind::Variable,
                (true, Some(ChanDir::Input)) => NodeKind::Active(Dir::Receive),
                (true, Some(ChanDir::Output)) => NodeKind::Active(Dir::Send),
                _ => NodeKind::Through,
            };
            layout.ports.push(LayoutPort {
                name: port.name.name.clone(),
                entry: PortEntry {
                    first: next,
                    len,
                    lo,
                    dir,
                },
                has_dims: !port.dims.is_empty(),
                ty,
                kind,
                span: port.span.clone(),
            });
            next += len;
        }
        layout
    }

    /// The end of a channel declared in a process that the process's own CHP uses: a node of
    /// its own, joined to the channel's.
    pub(super) fn own_end(&mut self, channel: NodeId, dir: Dir) -> NodeId {
        let (path, ty, span) = {
            let c = &self.nodes[channel];
            (c.path.clone(), c.ty, c.span.clone())
        };
        let end = self.add_node(path, ty, NodeKind::Active(dir), span.clone(), Role::OwnEnd);
        self.note_link(end, true, &span);
        self.note_link(channel, true, &span);
        let root = self.find(channel);
        self.parent[end] = root;
        end
    }

    pub(super) fn add_node(
        &mut self,
        path: String,
        ty: Option<Ty>,
        kind: NodeKind,
        span: Span,
        role: Role,
    ) -> NodeId {
        let owner = self.owner.clone().unwrap_or_else(|| span.clone());
        self.nodes.push(Node {
            path,
            ty,
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
