//! Instances, ports and the channels between them.
//!
//! Every port element of every instance, and every declared channel element, is a node; a
//! connection (`a.R = b.L;`, a port list) joins two nodes into one net (union-find). At the end
//! each net must hold exactly one sending and one receiving port of a process that runs CHP;
//! ports of purely structural processes only pass a channel through. A process's CHP may use a
//! channel it declares: each end it uses is a node of its own joined to the channel's, so its
//! parallel branches can talk to each other, or it can talk to a sub-instance holding the
//! other end.
use std::collections::HashMap;
use std::rc::Rc;

use super::consts::{eval_const, eval_size, Params};
use super::ir::{ChannelDecl, Dir, ProcessInstance, Program, Ty};
use super::lower::{lower_program, Functions, ProgramParts};
use crate::diag::{did_you_mean, Diagnostic};
use crate::front::ast::{
    self, ArrayDim, BodyItem, ChanDir, Expr, ExprKind, InstanceDecl, IterRange, ParamKind,
    ProcessDef, Span, TypeKind,
};
use crate::kernel::ChannelInfo;

/// Instances nested deeper than this are taken for runaway recursion.
const MAX_DEPTH: usize = 64;
/// Largest array (of instances, channels, variables or ports) accepted.
pub const MAX_ARRAY: i64 = 1 << 24;

type NodeId = usize;
/// How the transcript and the waveform name the missing end of a channel left open.
const OPEN_END: &str = "(unconnected)";
/// The node of a port slot the CHP never uses (see [`ir::UNBOUND`](super::ir::UNBOUND)).
const UNBOUND_NODE: NodeId = usize::MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NodeKind {
    /// A port of a process that runs CHP: a real channel end.
    Active(Dir),
    /// A port of a structural process, or a declared channel: it only joins other nodes.
    Through,
    /// A `bool`/`int` port: the variables it joins are one variable, shared.
    Variable,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// A port of an instance; `top`: of the top, which nothing outside can connect.
    Port { top: bool },
    /// A channel declared in a process body: it names the channel in the waveform.
    Channel,
    /// The end of a declared channel that its process's own CHP uses.
    OwnEnd,
}

struct Node {
    path: String,
    /// What the channel carries (`None`: dataless).
    ty: Option<Ty>,
    kind: NodeKind,
    role: Role,
    span: Span,
    /// The instance declaration that created this port (its own declaration for a channel).
    owner: Span,
    /// The first connection made to this node inside its process (a port named in its own
    /// process's body, and any connection of a channel), and the first made outside (in the
    /// body of the process that declares the instance).
    inside: Option<Span>,
    outside: Option<Span>,
    /// How many connections join this node to others.
    links: u32,
}

/// The ports of one instance, as its parent sees them: the port layout its definition and
/// parameters give (shared by all such instances), and where its port nodes start. Small, so
/// that a million instances cost little.
#[derive(Clone)]
struct PortTable {
    layout: Rc<PortLayout>,
    base: NodeId,
}

/// The ports of a definition with given parameters, in declaration order.
#[derive(Default)]
struct PortLayout {
    ports: Vec<LayoutPort>,
}

struct LayoutPort {
    name: String,
    /// `entry.first` counts from the instance's first port node.
    entry: PortEntry,
    has_dims: bool,
    ty: Option<Ty>,
    kind: NodeKind,
    span: Span,
}

/// A port or channel array: consecutive nodes.
#[derive(Clone, Copy)]
struct PortEntry {
    first: NodeId,
    len: usize,
    lo: i64,
    /// The direction as declared (seen from inside the process), if any.
    dir: Option<ChanDir>,
}

impl PortEntry {
    fn nodes(&self) -> Vec<NodeId> {
        (self.first..self.first + self.len).collect()
    }
}

impl PortTable {
    fn get(&self, name: &str) -> Option<PortEntry> {
        let port = self.layout.ports.iter().find(|p| p.name == name)?;
        Some(PortEntry {
            first: self.base + port.entry.first,
            ..port.entry
        })
    }

    fn contains(&self, name: &str) -> bool {
        self.layout.ports.iter().any(|p| p.name == name)
    }

    /// Port names in declaration order, for positional port lists.
    fn names(&self) -> impl Iterator<Item = &str> + Clone {
        self.layout.ports.iter().map(|p| p.name.as_str())
    }

    fn len(&self) -> usize {
        self.layout.ports.len()
    }
}

/// A name in a process body that connections can refer to.
enum Local {
    Channel(PortEntry),
    Instances {
        lo: i64,
        tables: Vec<PortTable>,
    },
    /// A declaration that had errors (already reported): uses of it report nothing more.
    Poisoned,
    /// A variable (handled by [`lower`](super::lower)); declared here to catch name clashes.
    Variable,
    /// A variable the body connects to ports of sub-instances: its elements are nodes.
    SharedVariable(PortEntry),
}

/// A process to run: its path, its program, and the nodes of its port slots and of its
/// variable ports.
type ProcessNodes = (String, Rc<Program>, Vec<NodeId>, Vec<NodeId>);

pub struct Elaborator<'a> {
    defs: HashMap<&'a str, &'a ProcessDef>,
    nodes: Vec<Node>,
    parent: Vec<NodeId>,
    programs: HashMap<(String, Vec<i64>), Rc<Program>>,
    layouts: HashMap<(String, Vec<i64>), Rc<PortLayout>>,
    processes: Vec<ProcessNodes>,
    stack: Vec<(String, Vec<i64>)>,
    /// The instance declaration whose ports are being created.
    owner: Option<Span>,
    /// Where each name of the process body being elaborated was first declared.
    first_declared: HashMap<String, Span>,
    pub diags: Vec<Diagnostic>,
    /// Connections left open: the design runs, but those ports never communicate.
    pub warnings: Vec<Diagnostic>,
    /// The file's top-level parameters, seen by every process.
    globals: Params,
    /// The file's functions (see [`Elaborator::declare_functions`]).
    functions: Functions<'a>,
}

impl<'a> Elaborator<'a> {
    pub fn new(defs: HashMap<&'a str, &'a ProcessDef>) -> Self {
        Self {
            defs,
            nodes: Vec::new(),
            parent: Vec::new(),
            programs: HashMap::new(),
            layouts: HashMap::new(),
            processes: Vec::new(),
            stack: Vec::new(),
            owner: None,
            first_declared: HashMap::new(),
            diags: Vec::new(),
            warnings: Vec::new(),
            globals: Params::default(),
            functions: Functions::default(),
        }
    }

    /// Makes the file's functions callable; they see the top-level parameters, so this comes
    /// after [`Elaborator::declare_globals`].
    pub fn declare_functions(&mut self, defs: impl Iterator<Item = &'a ast::FunctionDef>) {
        self.functions = Functions::new(defs, self.globals.clone(), &mut self.diags);
    }

    /// Evaluates the file's top-level parameters (`pint W = 8;`), in order.
    pub fn declare_globals<'p>(&mut self, decls: impl Iterator<Item = &'p ast::ParamDecl>) {
        let mut globals = Params::default();
        for p in decls {
            self.declare_param(p, &mut globals);
        }
        self.globals = globals;
    }

    /// Elaborates a top-level instance; its path is its name.
    pub fn top_instance(&mut self, decl: &'a InstanceDecl) {
        let params = self.globals.clone();
        if let Some(tables) = self.instances(decl, "", &params) {
            for table in tables {
                self.mark_top(&table);
            }
        }
    }

    /// Elaborates `def` as the top process (given by `--top`), with the empty path.
    pub fn top_process(&mut self, def: &'a ProcessDef, span: &Span) {
        if let Some(table) = self.instantiate(def, Vec::new(), span, "") {
            self.mark_top(&table);
        }
    }

    /// Marks the ports of a top instance: nothing outside can connect them (they are open).
    fn mark_top(&mut self, table: &PortTable) {
        let count: usize = table.layout.ports.iter().map(|p| p.entry.len).sum();
        for node in &mut self.nodes[table.base..table.base + count] {
            node.role = Role::Port { top: true };
        }
    }

    /// Instantiates every element of an instance declaration; returns their port tables.
    fn instances(
        &mut self,
        decl: &'a InstanceDecl,
        path: &str,
        params: &Params,
    ) -> Option<Vec<PortTable>> {
        let Some(def) = self.defs.get(decl.process.name.as_str()).copied() else {
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
        let (lo, len) = self.dims(&decl.dims, params, &decl.name.span)?;
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

    /// One-dimensional array bounds: `(lo, len)`; `(0, 1)` for a scalar.
    fn dims(&mut self, dims: &[ArrayDim], params: &Params, span: &Span) -> Option<(i64, usize)> {
        match dims {
            [] => Some((0, 1)),
            [ArrayDim::Size(n)] => {
                let n = eval_size(n, params, "an array size", 1, MAX_ARRAY)
                    .map_err(|d| self.diags.push(d))
                    .ok()?;
                Some((0, n as usize))
            }
            [ArrayDim::Range(lo, hi)] => {
                let lo_v = eval_const(lo, params)
                    .map_err(|d| self.diags.push(d))
                    .ok()?;
                let hi_v = eval_const(hi, params)
                    .map_err(|d| self.diags.push(d))
                    .ok()?;
                if hi_v < lo_v || hi_v.checked_sub(lo_v).is_none_or(|d| d >= MAX_ARRAY) {
                    self.diags.push(Diagnostic::error(
                        hi.span.clone(),
                        format!("bad array range [{lo_v}..{hi_v}]"),
                    ));
                    return None;
                }
                Some((lo_v, (hi_v - lo_v + 1) as usize))
            }
            _ => {
                self.diags.push(Diagnostic::error(
                    span.clone(),
                    "multi-dimensional arrays are not supported yet",
                ));
                None
            }
        }
    }

    fn instantiate(
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

    fn bind_template(&mut self, def: &ProcessDef, args: &[i64], span: &Span) -> Option<Params> {
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
    fn port_table(
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

    fn port_layout(&mut self, def: &ProcessDef, params: &Params, runs_chp: bool) -> PortLayout {
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
            let Some((lo, len)) = self.dims(&port.dims, params, &port.span) else {
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
    fn own_end(&mut self, channel: NodeId, dir: Dir) -> NodeId {
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

    fn add_node(
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

    fn body(
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
                BodyItem::Param(p) => self.declare_param(p, params),
                BodyItem::Var(v) => match &v.ty.kind {
                    TypeKind::Chan { data, .. } => {
                        parts.local_channels.push((v, params.clone()));
                        let checked = payload(data, params, &mut self.diags)
                            .zip(self.dims(&v.dims, params, &v.span));
                        let Some((ty, (lo, len))) = checked else {
                            self.declare(locals, ports, &v.name, Local::Poisoned);
                            continue;
                        };
                        let first = self.nodes.len();
                        for i in 0..len {
                            let name = element_name(&v.name.name, &v.dims, lo + i as i64);
                            self.add_node(
                                join(path, &name),
                                ty,
                                NodeKind::Through,
                                v.span.clone(),
                                Role::Channel,
                            );
                        }
                        self.declare(
                            locals,
                            ports,
                            &v.name,
                            Local::Channel(PortEntry {
                                first,
                                len,
                                lo,
                                dir: None,
                            }),
                        );
                    }
                    _ => {
                        // The variable's own duplicates are reported when its CHP is lowered.
                        // (so are clashes with ports).
                        let lowered_checks =
                            ports.contains(&v.name.name) || self.is_variable(locals, &v.name.name);
                        if !lowered_checks {
                            let local = if parts.connected_vars.contains(&v.name.name) {
                                self.shared_variable(v, path, params)
                            } else {
                                Local::Variable
                            };
                            self.declare(locals, ports, &v.name, local);
                        }
                        parts.vars.push((v, params.clone()));
                    }
                },
                BodyItem::Instance(decl) => {
                    if let Some(tables) = self.instances(decl, path, params) {
                        let (lo, _) = self.dims(&decl.dims, params, &decl.span).unwrap_or((0, 1));
                        if let Some(args) = &decl.port_args {
                            for table in &tables {
                                self.port_list(decl, table, args, params, ports, locals);
                            }
                        }
                        self.declare(locals, ports, &decl.name, Local::Instances { lo, tables });
                    } else {
                        self.declare(locals, ports, &decl.name, Local::Poisoned);
                    }
                }
                BodyItem::Connection(c) if sets_parameter(&c.lhs, params) => {
                    self.assign_param(c, params)
                }
                BodyItem::Connection(c) => {
                    let lhs = self.resolve(&c.lhs, params, ports, locals);
                    let rhs = self.resolve(&c.rhs, params, ports, locals);
                    if let (Some(lhs), Some(rhs)) = (lhs, rhs) {
                        self.connect(&lhs, &rhs, &c.span);
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
                BodyItem::Chp(block) => {
                    if parts.chp.is_some() {
                        self.diags.push(Diagnostic::error(
                            block.span.clone(),
                            "a process may have only one `chp` block",
                        ));
                    }
                    parts.chp = Some((block, params.clone()));
                }
            }
        }
    }

    /// `pint N = e;`, `pint N;` (set later by `N = e;`), `pint x[4];`, `pint x[3] = {a, b, c};`.
    fn declare_param(&mut self, p: &ast::ParamDecl, params: &mut Params) {
        let name = &p.name.name;
        if !p.dims.is_empty() {
            let Some((lo, len)) = self.dims(&p.dims, params, &p.span) else {
                params.mark_failed(name);
                return;
            };
            params.declare_array(name, lo, len);
            if let Some(v) = &p.value {
                self.assign_param_array(&p.name, v, params);
            }
            return;
        }
        match &p.value {
            Some(v) => match eval_const(v, params) {
                Ok(value) => params.set(name, value),
                Err(d) => {
                    self.diags.push(d);
                    params.mark_failed(name);
                }
            },
            None => params.declare_unset(name),
        }
    }

    /// A connection that sets a parameter: `N = e;`, `x[i] = e;`, `x = {a, b, c};`. Each
    /// parameter (and each element of an array) is set once, as in ACT.
    fn assign_param(&mut self, c: &ast::Connection, params: &mut Params) {
        match &c.lhs.kind {
            ExprKind::Name(id) if params.is_unset(&id.name) => match eval_const(&c.rhs, params) {
                Ok(v) => params.set_declared(&id.name, v),
                Err(d) => {
                    self.diags.push(d);
                    params.mark_failed(&id.name);
                }
            },
            ExprKind::Name(id) if params.array(&id.name).is_some() => {
                self.assign_param_array(id, &c.rhs, params)
            }
            ExprKind::Index { base, index } => {
                let ExprKind::Name(id) = &base.kind else {
                    unreachable!("sets_parameter checks the form")
                };
                let value =
                    eval_const(index, params).and_then(|i| Ok((i, eval_const(&c.rhs, params)?)));
                match value {
                    Ok((i, v)) => self.set_param_element(id, i, v, &c.lhs.span, params),
                    Err(d) => {
                        self.diags.push(d);
                        params.mark_failed(&id.name);
                    }
                }
            }
            _ => self.diags.push(
                Diagnostic::error(
                    c.lhs.span.clone(),
                    "this parameter already has a value; a parameter is set once",
                )
                .with_label("set again here"),
            ),
        }
    }

    /// `x = {a, b, c};` (or `pint x[3] = {a, b, c};`): one value per element, in order.
    fn assign_param_array(&mut self, id: &ast::Ident, rhs: &Expr, params: &mut Params) {
        let (lo, len) = {
            let array = params.array(&id.name).expect("checked by the caller");
            (array.lo, array.values.len())
        };
        let ExprKind::Concat(parts) = &rhs.kind else {
            self.diags.push(
                Diagnostic::error(
                    rhs.span.clone(),
                    format!(
                        "`{}` is a parameter array: give it one value per element",
                        id.name
                    ),
                )
                .with_hint(format!(
                    "write `{} = {{a, b, ...}};` or set elements with `{}[i] = e;`",
                    id.name, id.name
                )),
            );
            params.mark_failed(&id.name);
            return;
        };
        if parts.len() != len {
            self.diags.push(Diagnostic::error(
                rhs.span.clone(),
                format!(
                    "`{}` has {len} elements, but {} values are given",
                    id.name,
                    parts.len()
                ),
            ));
            params.mark_failed(&id.name);
            return;
        }
        for (k, part) in parts.iter().enumerate() {
            match eval_const(part, params) {
                Ok(v) => self.set_param_element(id, lo + k as i64, v, &part.span, params),
                Err(d) => {
                    self.diags.push(d);
                    params.mark_failed(&id.name);
                    return;
                }
            }
        }
    }

    fn set_param_element(
        &mut self,
        id: &ast::Ident,
        i: i64,
        value: i64,
        span: &Span,
        params: &mut Params,
    ) {
        let array = params.array_mut(&id.name).expect("checked by the caller");
        let len = array.values.len() as i64;
        let message = match i.checked_sub(array.lo).filter(|at| (0..len).contains(at)) {
            None => format!(
                "index {i} is out of range for `{}` (valid: {}..{})",
                id.name,
                array.lo,
                array.lo + len - 1
            ),
            Some(at) if array.values[at as usize].is_some() => format!(
                "`{}[{i}]` already has a value; a parameter is set once",
                id.name
            ),
            Some(at) => {
                array.values[at as usize] = Some(value);
                return;
            }
        };
        self.diags.push(Diagnostic::error(span.clone(), message));
    }

    pub fn loop_range(&mut self, range: &IterRange, params: &Params) -> Option<(i64, i64)> {
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
                    range_span(range),
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

    fn declare(
        &mut self,
        locals: &mut HashMap<String, Local>,
        ports: &PortTable,
        name: &ast::Ident,
        local: Local,
    ) {
        if ports.contains(&name.name) || locals.contains_key(&name.name) {
            let mut d = Diagnostic::error(
                name.span.clone(),
                format!("`{}` is declared twice", name.name),
            )
            .with_label("declared again here");
            if let Some(first) = self.first_declared.get(&name.name) {
                d = d.with_note(first.clone(), "first declared here");
            }
            self.diags.push(d);
            return;
        }
        self.first_declared
            .insert(name.name.clone(), name.span.clone());
        locals.insert(name.name.clone(), local);
    }

    /// The nodes of a variable the body connects to ports of sub-instances. A bad type or
    /// size is reported when the CHP is lowered: the variable is then poisoned here (its
    /// connections report nothing more).
    fn shared_variable(&mut self, v: &ast::VarDecl, path: &str, params: &Params) -> Local {
        let reported = self.diags.len();
        let ty = data_type(&v.ty, params, &mut Vec::new());
        let dims = self.dims(&v.dims, params, &v.span);
        self.diags.truncate(reported);
        let (Some(ty), Some((lo, len))) = (ty, dims) else {
            return Local::Poisoned;
        };
        let first = self.nodes.len();
        for i in 0..len {
            let name = element_name(&v.name.name, &v.dims, lo + i as i64);
            let span = v.span.clone();
            self.add_node(
                join(path, &name),
                Some(ty),
                NodeKind::Variable,
                span,
                Role::Channel,
            );
        }
        Local::SharedVariable(PortEntry {
            first,
            len,
            lo,
            dir: None,
        })
    }

    fn is_variable(&self, locals: &HashMap<String, Local>, name: &str) -> bool {
        matches!(
            locals.get(name),
            Some(Local::Variable | Local::SharedVariable(_))
        )
    }

    /// Connects the ports of one instance to the expressions of its port list.
    fn port_list(
        &mut self,
        decl: &InstanceDecl,
        table: &PortTable,
        args: &[ast::PortArg],
        params: &Params,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) {
        for (i, arg) in args.iter().enumerate() {
            let (port_name, value, span) = match arg {
                ast::PortArg::Positional(e) => match table.names().nth(i) {
                    Some(name) => (name.to_string(), e, e.span.clone()),
                    None => {
                        self.diags.push(Diagnostic::error(
                            e.span.clone(),
                            format!(
                                "`{}` has {} port(s); this is argument {}",
                                decl.process.name,
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
            let Some(entry) = table.get(&port_name) else {
                self.diags.push(
                    Diagnostic::error(
                        span,
                        format!("`{}` has no port `{port_name}`", decl.process.name),
                    )
                    .with_hint(port_hint(&port_name, table)),
                );
                continue;
            };
            let child = Resolved {
                nodes: entry.nodes(),
                side: entry.dir.map(|d| d == ChanDir::Output),
                inside: false,
                span: span.clone(),
            };
            if let Some(other) = self.resolve(value, params, ports, locals) {
                self.connect(&child, &other, &span);
            }
        }
    }

    /// Resolves one side of a connection to its nodes.
    fn resolve(
        &mut self,
        e: &Expr,
        params: &Params,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
    ) -> Option<Resolved> {
        let fail = |this: &mut Self, msg: String| {
            this.diags.push(Diagnostic::error(e.span.clone(), msg));
            None
        };
        match &e.kind {
            ExprKind::Name(id) => {
                if let Some(entry) = ports.get(&id.name) {
                    // Seen from inside, an input port is where values come from.
                    let side = entry.dir.map(|d| d == ChanDir::Input);
                    return Some(Resolved {
                        nodes: entry.nodes(),
                        side,
                        inside: true,
                        span: e.span.clone(),
                    });
                }
                match locals.get(&id.name) {
                    Some(Local::Channel(entry) | Local::SharedVariable(entry)) => Some(Resolved {
                        nodes: entry.nodes(),
                        side: None,
                        inside: true,
                        span: e.span.clone(),
                    }),
                    Some(Local::Instances { .. }) => fail(
                        self,
                        format!(
                            "`{}` is an instance; connect one of its ports, e.g. `{}.L`",
                            id.name, id.name
                        ),
                    ),
                    Some(Local::Poisoned) => None,
                    Some(Local::Variable) => fail(
                        self,
                        format!(
                            "`{}` is a variable; only channels and ports can be connected",
                            id.name
                        ),
                    ),
                    None => {
                        let mut names: Vec<&str> = ports
                            .names()
                            .chain(locals.keys().map(String::as_str))
                            .collect();
                        names.sort_unstable();
                        let names = names.into_iter();
                        let hint = did_you_mean(&id.name, names);
                        let mut d = Diagnostic::error(
                            e.span.clone(),
                            format!("unknown channel or port `{}`", id.name),
                        );
                        if let Some(hint) = hint {
                            d = d.with_hint(hint);
                        }
                        self.diags.push(d);
                        None
                    }
                }
            }
            ExprKind::Index { base, index } => {
                let whole = self.resolve(base, params, ports, locals)?;
                let i = eval_const(index, params)
                    .map_err(|d| self.diags.push(d))
                    .ok()?;
                let lo = self.array_lo(base, ports, locals);
                let at = i.checked_sub(lo).unwrap_or(-1);
                if at < 0 || at >= whole.nodes.len() as i64 {
                    return fail(
                        self,
                        format!(
                            "index {i} is out of range (valid: {lo}..{})",
                            lo + whole.nodes.len() as i64 - 1
                        ),
                    );
                }
                Some(Resolved {
                    nodes: vec![whole.nodes[at as usize]],
                    side: whole.side,
                    inside: whole.inside,
                    span: e.span.clone(),
                })
            }
            ExprKind::Field { base, field } => {
                let (name, index) = match &base.kind {
                    ExprKind::Name(id) => (id, None),
                    ExprKind::Index { base: b, index } => match &b.kind {
                        ExprKind::Name(id) => (id, Some(index)),
                        _ => {
                            return fail(
                                self,
                                "expected `instance.port` or `instance[i].port`".into(),
                            )
                        }
                    },
                    _ => {
                        return fail(
                            self,
                            "expected `instance.port` or `instance[i].port`".into(),
                        )
                    }
                };
                let (lo, tables) = match locals.get(&name.name) {
                    Some(Local::Instances { lo, tables }) => (*lo, tables),
                    Some(Local::Poisoned) => return None,
                    Some(Local::Variable | Local::SharedVariable(_)) => {
                        return fail(
                            self,
                            format!(
                                "`{}` is a variable, not an instance; it has no ports",
                                name.name
                            ),
                        )
                    }
                    Some(Local::Channel(_)) => {
                        return fail(
                            self,
                            format!(
                                "`{}` is a channel, not an instance; it has no ports",
                                name.name
                            ),
                        )
                    }
                    None if ports.contains(&name.name) => {
                        return fail(
                            self,
                            format!(
                                "`{}` is a port, not an instance; it has no ports",
                                name.name
                            ),
                        )
                    }
                    None => {
                        let names = locals.iter().filter_map(|(n, l)| {
                            matches!(l, Local::Instances { .. }).then_some(n.as_str())
                        });
                        let hint = did_you_mean(&name.name, names);
                        let mut d = Diagnostic::error(
                            name.span.clone(),
                            format!("unknown instance `{}`", name.name),
                        );
                        if let Some(hint) = hint {
                            d = d.with_hint(hint);
                        }
                        self.diags.push(d);
                        return None;
                    }
                };
                let table = match index {
                    None if tables.len() == 1 => &tables[0],
                    None => {
                        return fail(
                            self,
                            format!(
                                "`{}` is an array of instances; say which one, e.g. `{}[0].{}`",
                                name.name, name.name, field.name
                            ),
                        )
                    }
                    Some(index) => {
                        let i = eval_const(index, params)
                            .map_err(|d| self.diags.push(d))
                            .ok()?;
                        let k = i.checked_sub(lo).and_then(|k| usize::try_from(k).ok());
                        match k.and_then(|k| tables.get(k)) {
                            Some(t) => t,
                            None => {
                                return fail(
                                    self,
                                    format!(
                                        "index {i} is out of range (valid: {lo}..{})",
                                        lo + tables.len() as i64 - 1
                                    ),
                                )
                            }
                        }
                    }
                };
                match table.get(&field.name) {
                    Some(entry) => Some(Resolved {
                        nodes: entry.nodes(),
                        side: entry.dir.map(|d| d == ChanDir::Output),
                        inside: false,
                        span: e.span.clone(),
                    }),
                    None => {
                        let hint = port_hint(&field.name, table);
                        self.diags.push(
                            Diagnostic::error(
                                e.span.clone(),
                                format!("`{}` has no port `{}`", name.name, field.name),
                            )
                            .with_hint(hint),
                        );
                        None
                    }
                }
            }
            _ => fail(
                self,
                "expected a channel, a port, or `instance.port`".into(),
            ),
        }
    }

    /// The first index of the array that `base` names (0 unless declared `[lo..hi]`).
    fn array_lo(&self, base: &Expr, ports: &PortTable, locals: &HashMap<String, Local>) -> i64 {
        match &base.kind {
            ExprKind::Name(id) => {
                ports
                    .get(&id.name)
                    .map(|p| p.lo)
                    .or_else(|| match locals.get(&id.name) {
                        Some(Local::Channel(c) | Local::SharedVariable(c)) => Some(c.lo),
                        _ => None,
                    })
            }
            ExprKind::Field { base, field } => {
                let name = match &base.kind {
                    ExprKind::Name(id) => &id.name,
                    ExprKind::Index { base, .. } => match &base.kind {
                        ExprKind::Name(id) => &id.name,
                        _ => return 0,
                    },
                    _ => return 0,
                };
                match locals.get(name) {
                    Some(Local::Instances { tables, .. }) => tables
                        .first()
                        .and_then(|t| t.get(&field.name))
                        .map(|p| p.lo),
                    _ => None,
                }
            }
            _ => None,
        }
        .unwrap_or(0)
    }

    fn connect(&mut self, a: &Resolved, b: &Resolved, span: &Span) {
        if a.nodes.len() != b.nodes.len() {
            self.diags.push(
                Diagnostic::error(
                    span.clone(),
                    format!(
                        "cannot connect {} channel(s) to {}",
                        a.nodes.len(),
                        b.nodes.len()
                    ),
                )
                .with_note(a.span.clone(), format!("{} here", a.nodes.len()))
                .with_note(b.span.clone(), format!("{} here", b.nodes.len())),
            );
            return;
        }
        if let (Some(x), Some(y)) = (a.side, b.side) {
            if x == y {
                let what = if x { "send" } else { "receive" };
                self.diags.push(
                    Diagnostic::error(span.clone(), format!("both ends of this connection {what}"))
                        .with_note(a.span.clone(), format!("{what}s"))
                        .with_note(b.span.clone(), format!("{what}s too"))
                        .with_hint("connect an output port (chan!) to an input port (chan?)"),
                );
                return;
            }
        }
        for (&x, &y) in a.nodes.iter().zip(&b.nodes) {
            let is_variable = |n: &Node| n.kind == NodeKind::Variable;
            if is_variable(&self.nodes[x]) != is_variable(&self.nodes[y]) {
                let (var, chan) = if is_variable(&self.nodes[x]) {
                    (x, y)
                } else {
                    (y, x)
                };
                self.diags.push(
                    Diagnostic::error(
                        span.clone(),
                        format!(
                            "`{}` is a variable but `{}` is a channel: they cannot be connected",
                            self.nodes[var].path, self.nodes[chan].path
                        ),
                    )
                    .with_note(self.nodes[var].span.clone(), "variable declared here")
                    .with_note(self.nodes[chan].span.clone(), "channel declared here"),
                );
                return;
            }
            let (tx, ty) = (self.nodes[x].ty, self.nodes[y].ty);
            if tx != ty {
                self.diags.push(
                    Diagnostic::error(
                        span.clone(),
                        format!(
                            "type mismatch: `{}` {verb} {} but `{}` {verb} {}",
                            self.nodes[x].path,
                            payload_name(tx),
                            self.nodes[y].path,
                            payload_name(ty),
                            verb = if is_variable(&self.nodes[x]) {
                                "is"
                            } else {
                                "carries"
                            },
                        ),
                    )
                    .with_note(
                        self.nodes[x].span.clone(),
                        format!("{} declared here", payload_name(tx)),
                    )
                    .with_note(
                        self.nodes[y].span.clone(),
                        format!("{} declared here", payload_name(ty)),
                    ),
                );
                return;
            }
            self.note_link(x, a.inside, span);
            self.note_link(y, b.inside, span);
            let (rx, ry) = (self.find(x), self.find(y));
            self.parent[rx] = ry;
        }
    }

    /// Records a connection of node `n`, made from inside its process or from outside.
    fn note_link(&mut self, n: NodeId, inside: bool, span: &Span) {
        let node = &mut self.nodes[n];
        node.links += 1;
        let first = if inside {
            &mut node.inside
        } else {
            &mut node.outside
        };
        first.get_or_insert_with(|| span.clone());
    }

    fn find(&mut self, mut n: NodeId) -> NodeId {
        while self.parent[n] != n {
            self.parent[n] = self.parent[self.parent[n]];
            n = self.parent[n];
        }
        n
    }

    /// Checks every net and produces the design's channels and processes.
    pub fn finish(mut self, file_name: &str) -> Result<super::ir::Design, Vec<Diagnostic>> {
        // Number the nets in the order of their first node (deterministic), and list each
        // net's nodes in node order: a counting sort, linear in the number of nodes.
        const NONE: usize = usize::MAX;
        let node_count = self.nodes.len();
        let mut net_of_root = vec![NONE; node_count];
        let mut net_of_node = Vec::with_capacity(node_count);
        let mut net_count = 0;
        for n in 0..node_count {
            let root = self.find(n);
            if net_of_root[root] == NONE {
                net_of_root[root] = net_count;
                net_count += 1;
            }
            net_of_node.push(net_of_root[root]);
        }
        drop(net_of_root);
        let mut net_start = vec![0usize; net_count + 1];
        for &net in &net_of_node {
            net_start[net + 1] += 1;
        }
        for net in 0..net_count {
            net_start[net + 1] += net_start[net];
        }
        let mut members = vec![0; node_count];
        let mut next_slot = net_start.clone();
        for (n, &net) in net_of_node.iter().enumerate() {
            members[next_slot[net]] = n;
            next_slot[net] += 1;
        }
        // Channels are numbered in the order of their sending ports, which is the design's
        // order (`b[0]`, `b[1]`, ...): the waveform lists them so.
        let mut order: Vec<(NodeId, usize)> = (0..net_count)
            .map(|net| {
                let nodes = &members[net_start[net]..net_start[net + 1]];
                let sender = nodes
                    .iter()
                    .find(|&&n| self.nodes[n].kind == NodeKind::Active(Dir::Send));
                (*sender.unwrap_or(&nodes[0]), net)
            })
            .collect();
        order.sort_unstable();
        let mut channel_of = vec![NONE; net_count];
        let mut channels = Vec::new();
        for (_, net) in order {
            let nodes = &members[net_start[net]..net_start[net + 1]];
            let senders: Vec<NodeId> = nodes
                .iter()
                .copied()
                .filter(|&n| self.nodes[n].kind == NodeKind::Active(Dir::Send))
                .collect();
            let receivers: Vec<NodeId> = nodes
                .iter()
                .copied()
                .filter(|&n| self.nodes[n].kind == NodeKind::Active(Dir::Receive))
                .collect();
            if senders.len() > 1 || receivers.len() > 1 {
                self.report_shared_end(&senders, &receivers);
                continue;
            }
            let (sender, receiver) = (senders.first().copied(), receivers.first().copied());
            let Some(end) = sender.or(receiver) else {
                continue; // nothing runs CHP on this net: it only passes through
            };
            if sender.is_none() || receiver.is_none() {
                let warning = self.open_net_warning(nodes, end);
                self.warnings.push(warning);
            }
            let end_name = |n: Option<NodeId>| {
                n.map_or_else(|| OPEN_END.to_string(), |n| self.nodes[n].path.clone())
            };
            let path = nodes
                .iter()
                .find(|&&n| self.nodes[n].role == Role::Channel)
                .map_or_else(
                    || self.nodes[end].path.clone(),
                    |&n| self.nodes[n].path.clone(),
                );
            let ty = self.nodes[end].ty;
            channel_of[net] = channels.len();
            channels.push(ChannelDecl {
                info: ChannelInfo {
                    sender_end: end_name(sender),
                    receiver_end: end_name(receiver),
                    path,
                    width: ty.map_or(0, Ty::width),
                },
                ty,
            });
        }
        if !self.diags.is_empty() {
            return Err(self.diags);
        }
        let mut processes = Vec::with_capacity(self.processes.len());
        // Each net of variable ports is one shared variable, numbered in order of first use.
        let mut shared_of_net = vec![NONE; net_count];
        let mut shared_vars = 0;
        for (path, program, port_nodes, var_nodes) in std::mem::take(&mut self.processes) {
            let shared = var_nodes
                .iter()
                .map(|&n| {
                    let net = net_of_node[n];
                    if shared_of_net[net] == NONE {
                        shared_of_net[net] = shared_vars;
                        shared_vars += 1;
                    }
                    shared_of_net[net]
                })
                .collect();
            let ports = port_nodes
                .iter()
                .map(|&n| {
                    if n == UNBOUND_NODE {
                        super::ir::UNBOUND
                    } else {
                        channel_of[net_of_node[n]]
                    }
                })
                .collect();
            processes.push(ProcessInstance {
                path,
                program,
                ports,
                shared,
            });
        }
        let mut programs: Vec<Rc<Program>> = self
            .programs
            .into_values()
            .filter(|p| !p.name.is_empty())
            .collect();
        programs.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(super::ir::Design {
            file_name: file_name.to_string(),
            top: String::new(),
            programs,
            processes,
            channels,
            shared_vars,
            warnings: {
                self.warnings.sort_by_key(|d| d.span.start);
                self.warnings
            },
        })
    }

    /// A net with two senders or two receivers: an error at the second one to join.
    fn report_shared_end(&mut self, senders: &[NodeId], receivers: &[NodeId]) {
        let (ends, what) = if senders.len() > 1 {
            (senders, "senders")
        } else {
            (receivers, "receivers")
        };
        let (first, second) = (&self.nodes[ends[0]], &self.nodes[ends[1]]);
        let joined_at = |n: &Node| {
            n.outside
                .clone()
                .or(n.inside.clone())
                .unwrap_or(n.span.clone())
        };
        let (first_at, second_at) = (joined_at(first), joined_at(second));
        let mut d = Diagnostic::error(
            second_at.clone(),
            format!(
                "channel connected twice: `{}` and `{}` are both {what} on it",
                first.path, second.path
            ),
        )
        .with_label(if second.role == Role::OwnEnd {
            format!(
                "the CHP of this process also uses `{}` as one of its {what}",
                second.path
            )
        } else {
            format!("`{}` joins the channel here", second.path)
        });
        if first_at != second_at {
            d = d.with_note(first_at, format!("`{}` joined it here", first.path));
        }
        self.diags
            .push(d.with_hint("a channel joins exactly one sender and one receiver"));
    }

    /// Where a net with one end only is open: the first node whose missing connection would
    /// close it (a port its instance leaves unconnected, a structural process's port that is
    /// connected outside but not inside, a channel joined to one end only).
    fn open_place(&self, nodes: &[NodeId]) -> Option<NodeId> {
        nodes.iter().copied().find(|&n| {
            let node = &self.nodes[n];
            match node.role {
                Role::Port { .. } => {
                    node.outside.is_none()
                        || (node.kind == NodeKind::Through && node.inside.is_none())
                }
                Role::Channel => node.links < 2,
                Role::OwnEnd => false,
            }
        })
    }

    /// The warning for a net whose only end is `end`: it names the port (or channel) that is
    /// actually open, at the declaration that leaves it open, and the connection that is missing.
    fn open_net_warning(&self, nodes: &[NodeId], end: NodeId) -> Diagnostic {
        let sends = self.nodes[end].kind == NodeKind::Active(Dir::Send);
        let (missing, example) = if sends {
            ("receiver", "x.L")
        } else {
            ("sender", "x.R")
        };
        let open = self.open_place(nodes).unwrap_or(end);
        let node = &self.nodes[open];
        let path = &node.path;
        let (instance, port) = path.rsplit_once('.').unwrap_or(("", path));
        let instance_name = instance.rsplit('.').next().unwrap_or(instance);
        let relative = if instance.is_empty() {
            port.to_string()
        } else {
            format!("{instance_name}.{port}")
        };
        match node.role {
            Role::Port { top: true } if node.outside.is_none() => Diagnostic::warning(
                node.span.clone(),
                format!("port `{path}` of the top process is not connected to any {missing}"),
            )
            .with_label("nothing outside the top process can connect this port")
            .with_hint(format!("`{relative}` never communicates; to drive it, make the top a process without ports that instantiates this one and connects `{relative}`")),
            Role::Port { .. } if node.outside.is_none() => Diagnostic::warning(
                node.owner.clone(),
                format!("port `{path}` is not connected to any {missing}"),
            )
            .with_label(format!("`{instance_name}` leaves its port `{port}` unconnected"))
            .with_note(node.span.clone(), format!("`{port}` declared here"))
            .with_hint(format!("`{relative}` never communicates; connect it where `{instance_name}` is declared, e.g. `{relative} = {example};`")),
            Role::Port { .. } => {
                let mut d = Diagnostic::warning(
                    node.span.clone(),
                    format!("port `{path}` is not connected to any {missing} inside `{instance}`"),
                )
                .with_label(format!("nothing inside `{instance}` is connected to `{port}`"));
                if let Some(outside) = &node.outside {
                    d = d.with_note(outside.clone(), format!("`{relative}` is connected here"));
                }
                d.with_hint(format!("`{relative}` never communicates; connect `{port}` inside its process, e.g. `{example} = {port};`"))
            }
            Role::Channel | Role::OwnEnd => {
                let mut d = Diagnostic::warning(
                    node.span.clone(),
                    format!("channel `{path}` is not connected to any {missing}"),
                )
                .with_label(format!("`{port}` has no {missing}"));
                if let Some(link) = node.inside.as_ref().filter(|&l| *l != node.span) {
                    d = d.with_note(link.clone(), format!("`{port}` is connected here"));
                }
                d.with_hint(format!("`{port}` never communicates; connect it, e.g. `{example} = {port};`, or use its other end in this process's CHP"))
            }
        }
    }
}

struct Resolved {
    nodes: Vec<NodeId>,
    /// Whether this side produces values into the connection (`None`: a plain channel).
    side: Option<bool>,
    /// Named from inside its process (an own port or a channel), not as `instance.port`.
    inside: bool,
    span: Span,
}

/// The names a body's connections and port lists use (`a` in `a = x.L`, `f(a[2])`): the
/// variables among them are shared with sub-instances.
fn connected_names(items: &[BodyItem]) -> std::collections::HashSet<String> {
    fn base_name(e: &Expr) -> Option<&str> {
        match &e.kind {
            ExprKind::Name(id) => Some(&id.name),
            ExprKind::Index { base, .. } => base_name(base),
            _ => None,
        }
    }
    fn collect<'e>(items: &'e [BodyItem], out: &mut Vec<&'e Expr>) {
        for item in items {
            match item {
                BodyItem::Connection(c) => out.extend([&c.lhs, &c.rhs]),
                BodyItem::Instance(decl) => {
                    for arg in decl.port_args.iter().flatten() {
                        out.push(match arg {
                            ast::PortArg::Positional(e) | ast::PortArg::Named { value: e, .. } => e,
                        });
                    }
                }
                BodyItem::Loop(l) => collect(&l.items, out),
                _ => {}
            }
        }
    }
    let mut exprs = Vec::new();
    collect(items, &mut exprs);
    exprs
        .into_iter()
        .filter_map(base_name)
        .map(str::to_string)
        .collect()
}

/// A suggestion for a port name that does not exist: the closest name, or the list of ports.
fn port_hint(name: &str, table: &PortTable) -> String {
    match did_you_mean(name, table.names()) {
        Some(hint) => hint,
        None if table.len() == 0 => "it has no ports".to_string(),
        None => format!(
            "its ports are: {}",
            table.names().collect::<Vec<_>>().join(", ")
        ),
    }
}

fn skip() -> super::ir::Stmt {
    super::ir::Stmt {
        kind: super::ir::StmtKind::Skip,
        span: 0..0,
        delay: None,
    }
}

/// `parent.child`, or `child` under the empty (top) path.
pub fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_string()
    } else {
        format!("{parent}.{child}")
    }
}

fn element_name(name: &str, dims: &[ArrayDim], index: i64) -> String {
    if dims.is_empty() {
        name.to_string()
    } else {
        format!("{name}[{index}]")
    }
}

/// `L[3]` → (`L`, 3); `L` → (`L`, 0).
pub fn split_index(name: &str) -> (&str, i64) {
    match name.find('[') {
        Some(at) => (
            &name[..at],
            name[at + 1..name.len() - 1].parse().unwrap_or(0),
        ),
        None => (name, 0),
    }
}

fn range_span(range: &IterRange) -> Span {
    match range {
        IterRange::Count(n) => n.span.clone(),
        IterRange::Inclusive(lo, hi) => lo.span.start..hi.span.end,
    }
}

/// What a channel declared with `data` carries: `Some(None)` for a dataless `chan()`, `None`
/// when the type is wrong (reported in `diags`).
pub fn payload(
    data: &Option<Box<ast::Type>>,
    params: &Params,
    diags: &mut Vec<Diagnostic>,
) -> Option<Option<Ty>> {
    match data {
        None => Some(None),
        Some(t) => data_type(t, params, diags).map(Some),
    }
}

/// Whether the connection `lhs = ...` sets a parameter (`N`, `x[i]`) rather than connecting.
fn sets_parameter(lhs: &Expr, params: &Params) -> bool {
    match &lhs.kind {
        ExprKind::Name(id) => {
            params.get(&id.name).is_some()
                || params.is_unset(&id.name)
                || params.array(&id.name).is_some()
        }
        ExprKind::Index { base, .. } => {
            matches!(&base.kind, ExprKind::Name(id) if params.array(&id.name).is_some())
        }
        _ => false,
    }
}

/// A channel's payload as users write it: `int<8>`, `bool`, or `nothing` for `chan()`.
pub fn payload_name(ty: Option<Ty>) -> String {
    ty.map_or_else(|| "nothing (chan())".to_string(), |t| t.to_string())
}

/// The data type of a channel or variable declaration.
pub fn data_type(t: &ast::Type, params: &Params, diags: &mut Vec<Diagnostic>) -> Option<Ty> {
    match &t.kind {
        TypeKind::Bool => Some(Ty::Bool),
        TypeKind::Int { width: None } => Some(Ty::Int(32)),
        TypeKind::Int { width: Some(w) } => {
            match eval_size(w, params, "an integer width", 0, 1 << 20) {
                Ok(w) => Some(Ty::Int(w)),
                Err(d) => {
                    diags.push(d);
                    None
                }
            }
        }
        TypeKind::Enum { size } => match eval_size(size, params, "an enum's size", 1, 1 << 20) {
            // `enum<N>` holds 0 ..= N-1: ceil(log2 N) bits (`enum<1>` is an `int<0>`).
            Ok(n) => Some(Ty::Int(u32::BITS - (n - 1).leading_zeros())),
            Err(d) => {
                diags.push(d);
                None
            }
        },
        TypeKind::Record(def) => {
            super::records::layout(def, params, diags).map(|layout| Ty::Int(layout.width))
        }
        TypeKind::Chan { .. } => {
            diags.push(Diagnostic::error(
                t.span.clone(),
                "a channel cannot carry channels",
            ));
            None
        }
    }
}
