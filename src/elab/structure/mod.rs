//! Instances, ports and the channels between them.
//!
//! Every port element of every instance, and every declared channel element, is a node; a
//! connection (`a.R = b.L;`, a port list) joins two nodes into one net (union-find). At the end
//! each net must hold exactly one sending and one receiving port of a process that runs CHP;
//! ports of purely structural processes only pass a channel through. A process's CHP may use a
//! channel it declares: each end it uses is a node of its own joined to the channel's, so its
//! parallel branches can talk to each other, or it can talk to a sub-instance holding the
//! other end.

mod array_expr;
mod attributes;
mod bit_lines;
mod body;
mod bundles;
mod circuit;
mod field_views;
mod globals;
mod hse;
mod initialize;
mod instances;
mod levels;
mod method_types;
mod nets;
mod open_ends;
mod override_checks;
mod params;
mod plain_ends;
mod prs_rules;
mod pstructs;
mod ptypes;
mod record_extensions;
mod resolve;
mod scope_names;
mod spec;
mod variables;
mod wires;

pub(crate) use attributes::AttributeTable;
pub(crate) use instances::bind_param;

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use super::consts::{ArgValue, Params};
use super::delays::DelayConfig;
use super::ir::{Dir, Program};
use super::layout::{Bundle, PortLayout};
use super::lower::{Functions, Lowered, ProgramParts};
use super::param_fn::ParamFunctions;
use super::types::{Carried, Shape};
use crate::diag::{did_you_mean, Diagnostic};
use crate::front::ast::{self, ArrayDim, BodyItem, ChanDir, Expr, ExprKind, ProcessDef, Span};

/// How messages name the file scope when it runs CHP (no process can have this name).
pub(crate) const FILE_SCOPE: &str = "<file scope>";

/// Instances may nest at most this deep (ACT sets no limit; a template that instantiates
/// itself with other arguments at every level would otherwise never end). Elaboration recurses
/// per level: the command line gives it a large stack ([`crate::driver::parallel::DEEP_STACK_BYTES`]).
pub(crate) const MAX_DEPTH: usize = 1000;

/// The most processes, channels and signals (elaboration's nodes) a design may have in all,
/// checked at each array: a million-buffer pipeline has 3 million, and each costs around a
/// kilobyte while the design is built.
pub(crate) const MAX_DESIGN_SIZE: usize = 1 << 23;

/// The most variables (array elements one by one) the processes of a design may hold in all,
/// 16 bytes each while the design runs.
pub(crate) const MAX_VARIABLES: usize = 1 << 25;

type NodeId = usize;

/// How the transcript and the waveform name the missing end of a channel left open.
const OPEN_END: &str = crate::kernel::ChannelInfo::OPEN_END;
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
    /// A port of an instance; `top`: of the top, which nothing outside can connect. Inside the
    /// top such a port is a plain channel between its sub-instances (as actsim takes it): a
    /// connection to it has no direction.
    Port { top: bool },
    /// A channel declared in a process body: it names the channel in the waveform.
    Channel,
    /// The end of a declared channel that its process's own CHP uses.
    OwnEnd,
}

#[derive(Clone)]
struct Node {
    path: String,
    /// What the channel carries, or the shared variable holds.
    carried: Carried,
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

/// A port or channel array: consecutive nodes, one per element of its shape.
#[derive(Clone)]
struct PortEntry {
    first: NodeId,
    shape: Shape,
    /// Declared as an array (`c[1]` is one; `c` is not, though both have one node).
    is_array: bool,
    /// The direction as declared (seen from inside the process), if any.
    dir: Option<ChanDir>,
}

impl PortEntry {
    fn nodes(&self) -> Vec<NodeId> {
        (self.first..self.first + self.len()).collect()
    }

    fn len(&self) -> usize {
        self.shape.len()
    }
}

impl PortTable {
    fn get(&self, name: &str) -> Option<PortEntry> {
        let port = self.layout.get(name)?;
        Some(PortEntry {
            first: self.base + port.first,
            shape: port.shape.clone(),
            is_array: port.is_array,
            dir: port.dir(),
        })
    }

    fn contains(&self, name: &str) -> bool {
        self.layout.get(name).is_some()
    }

    /// Port names in declaration order, for positional port lists (a bundle once).
    fn names(&self) -> impl Iterator<Item = &str> + Clone {
        self.layout.formals.iter().map(String::as_str)
    }

    fn len(&self) -> usize {
        self.layout.formals.len()
    }
}

/// A name in a process body that connections can refer to.
#[derive(Clone)]
enum Local {
    Channel(PortEntry),
    Instances {
        shape: Shape,
        tables: Vec<PortTable>,
        /// The definition and strict template arguments: the elements of an array of
        /// instances declared in several ranges (a sparse array) agree on them.
        ty: Rc<InstanceType>,
        /// Declared as an array (even of one element).
        is_array: bool,
    },
    /// A declaration that had errors (already reported): uses of it report nothing more.
    Poisoned,
    /// A variable (handled by [`lower`](super::lower)); declared here to catch name clashes.
    Variable,
    /// A variable the body connects to ports of sub-instances: its elements are nodes.
    SharedVariable(PortEntry),
    /// An interface bundle: its members are channels `name.member`; `declared` is its name's
    /// span in its declaration.
    Bundle {
        bundle: Bundle,
        declared: Span,
    },
}

/// The type of an instance: its definition's name and its strict template arguments.
type InstanceType = (String, Vec<ArgValue>);

/// A process to run: its path, its program, and the nodes of its port slots and of its
/// variable ports.
type ProcessNodes = (String, Rc<Program>, Vec<NodeId>, Vec<NodeId>);

pub(crate) struct Elaborator<'a> {
    defs: HashMap<&'a str, &'a ProcessDef>,
    nodes: Vec<Node>,
    parent: Vec<NodeId>,
    /// The lowered program of each definition and parameters that runs CHP (`None`: it failed,
    /// with its errors reported; other instances do not repeat them).
    programs: HashMap<(String, Vec<ArgValue>), Option<Rc<Lowered>>>,
    layouts: HashMap<(String, Vec<ArgValue>), Rc<PortLayout>>,
    processes: Vec<ProcessNodes>,
    stack: Vec<(String, Vec<ArgValue>)>,
    /// The instance declaration whose ports are being created.
    owner: Option<Span>,
    /// Where each name of the process body being elaborated was first declared.
    first_declared: HashMap<String, Span>,
    pub diags: Vec<Diagnostic>,
    /// Connections left open: the design runs, but those ports never communicate.
    pub warnings: Vec<Diagnostic>,
    /// The nets open at one end: where each is open, and whether its only end sends (their
    /// warnings are made at the finish, several elements of an array together).
    open_ends: Vec<(NodeId, bool)>,
    /// The file's top-level parameters, seen by every process.
    globals: Params,
    /// Their names (see [`crate::elab::ir::InstanceEntry::parameters`]).
    global_param_names: Vec<crate::elab::ir::ParamName>,
    /// The file's functions (see [`Elaborator::declare_functions`]).
    functions: Functions<'a>,
    /// The namespaces opened with `open` (see [`ast::scoped_names`]).
    opened: &'a ast::OpenNamespaces,
    /// The statement delays of a configuration file.
    delays: &'a DelayConfig,
    /// The levels a configuration file requests.
    levels: &'a crate::elab::levels::LevelConfig,
    /// actsim's warnings about instances run at a less detailed level than requested.
    level_warnings: crate::elab::levels::LevelWarnings,
    /// Every process instance so far (see [`crate::elab::ir::Design::instances`]).
    instances: Vec<crate::elab::ir::InstanceEntry>,
    /// The channels and variables declared at file scope so far: a process body may connect
    /// to them by name (as ACT's global signals), unless it declares the name itself.
    file_signals: HashMap<String, PortEntry>,
    /// The declarations of `file_signals`, with the parameters in scope at each: a process
    /// whose CHP names one declares it as a channel or shared variable of its own, on the
    /// file's nodes (see [`Elaborator::use_file_signals`]).
    file_decls: HashMap<String, (&'a ast::VarDecl, Params)>,
    /// The instances declared at file scope so far: a process body may name them too (`f = b;`
    /// of a file-scope `b`), unless it declares the name itself (see
    /// [`Elaborator::file_instances_named`]).
    file_instances: HashMap<String, Local>,
    /// The process an instance (by its first port node) became by a connection to an instance
    /// of a process refining its own (`f = b;` of `foo f; bar b;`, `bar <: foo`): ACT gives
    /// both the more specific type, and a later connection must agree with it.
    instance_types: HashMap<NodeId, String>,
    /// The template arguments of each instance of a template with ports (by its first port
    /// node): instances connected whole agree on all of them, as ACT's types.
    instance_args: HashMap<NodeId, Rc<[ArgValue]>>,
    /// The record of each net joining records related by `<:` (by the net's root): the most
    /// specific, which a later connection must be related to.
    net_records: HashMap<NodeId, Carried>,
    /// The object each net of a record was made part of by a connection to a record refining
    /// it with fields of its own (by the net's root; see [`record_extensions`]).
    part_of: HashMap<NodeId, NodeId>,
    /// Processes with only `prs`/`hse`/`dataflow` are accepted (not run); see
    /// [`ElabOptions::unsimulated_ok`](super::ElabOptions::unsimulated_ok).
    pub unsimulated_ok: bool,
    /// See [`ElabOptions::strict_act`](super::ElabOptions::strict_act).
    pub strict_act: bool,
    /// See [`ElabOptions::quiet_open_ends`](super::ElabOptions::quiet_open_ends).
    pub quiet_open_ends: bool,
    /// The processes already reported as having nothing chpsim can run.
    unsimulated: std::collections::HashSet<String>,
    /// The expanded types (`bus3<3>`) whose overrides are checked (see
    /// [`Elaborator::check_variable_overrides`]).
    overrides_checked: std::collections::HashSet<String>,
    /// The expanded processes among them whose overrides fail: their instances are not made.
    overrides_failed: std::collections::HashSet<String>,
    /// The production rules found so far.
    circuit: circuit::CircuitRules,
    /// The wires declared `bool! x` or `bool? x`, by node: the side that drives them.
    wire_dirs: HashMap<NodeId, ChanDir>,
    /// The refined type (`d1of2` of `deftype d1of2 <: int<1> (...)`) of the variables of each
    /// net that has one, by the net's root: a net has one type.
    refined: HashMap<NodeId, String>,
    /// An array made the design larger than [`MAX_DESIGN_SIZE`] (reported once).
    too_large: bool,
    /// The variables of the processes added so far (see [`MAX_VARIABLES`]).
    variables: usize,
    /// The processes (indices in `processes`) that are `Initialize` actions, in the order
    /// actsim starts them; the last `init_last` start together at the end of the phase.
    init_actions: Vec<usize>,
    init_last: usize,
    /// The records given to `ptype` parameters (`@myint`), by qualified name.
    record_types: HashMap<String, Arc<ast::RecordDef>>,
    /// The record type of each node of a variable holding a record (the variable's, or a
    /// view of a record field): its fields may be connected (see [`field_views`]).
    var_records: HashMap<NodeId, Arc<crate::elab::records::Layout>>,
    /// The views of record fields: each view node, the node of the record, and the field's
    /// lowest bit in the record's value.
    views: Vec<(NodeId, NodeId, u32)>,
    /// The view of each field element (`a[2]`) of a node, made once.
    view_of: HashMap<(NodeId, String), NodeId>,
    /// The bounds of each array field viewed, by its first element's view.
    view_shapes: HashMap<NodeId, Shape>,
    /// The type of each channel node declared of a type with methods (see [`plain_ends`]).
    chan_types: HashMap<NodeId, Rc<ast::NamedType>>,
    /// How the programs with plain channel ports were made (see [`plain_ends`]).
    plain_sources: Vec<plain_ends::PlainSource<'a>>,
    /// The process (its path, and the declaration of its instance) of each end that a
    /// process's CHP holds on a file-scope channel: the end's own path is the channel's.
    file_channel_users: HashMap<NodeId, (String, Span)>,
    /// The connections of variable nodes, each with the depth of the body that made it (see
    /// [`scope_names`]).
    var_links: Vec<scope_names::Link>,
    /// Each process instance's path, with the depth of its body (the elaboration stack's
    /// length while it is elaborated).
    body_depths: HashMap<String, u32>,
}

impl<'a> Elaborator<'a> {
    pub(crate) fn new(
        defs: HashMap<&'a str, &'a ProcessDef>,
        opened: &'a ast::OpenNamespaces,
        delays: &'a DelayConfig,
        levels: &'a crate::elab::levels::LevelConfig,
    ) -> Self {
        Self {
            defs,
            opened,
            delays,
            levels,
            level_warnings: Default::default(),
            instances: Vec::new(),
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
            open_ends: Vec::new(),
            globals: Params::default(),
            global_param_names: Vec::new(),
            functions: Functions::default(),
            file_signals: HashMap::new(),
            file_decls: HashMap::new(),
            file_instances: HashMap::new(),
            instance_types: HashMap::new(),
            instance_args: HashMap::new(),
            net_records: HashMap::new(),
            part_of: HashMap::new(),
            unsimulated_ok: false,
            strict_act: false,
            quiet_open_ends: false,
            unsimulated: Default::default(),
            overrides_checked: Default::default(),
            overrides_failed: Default::default(),
            circuit: circuit::CircuitRules::default(),
            wire_dirs: HashMap::new(),
            refined: HashMap::new(),
            too_large: false,
            variables: 0,
            init_actions: Vec::new(),
            init_last: 0,
            record_types: HashMap::new(),
            var_records: HashMap::new(),
            views: Vec::new(),
            view_of: HashMap::new(),
            view_shapes: HashMap::new(),
            chan_types: HashMap::new(),
            plain_sources: Vec::new(),
            file_channel_users: HashMap::new(),
            var_links: Vec::new(),
            body_depths: HashMap::new(),
        }
    }

    /// Makes the file's functions callable; they see the top-level parameters, so this comes
    /// after [`Elaborator::declare_globals`].
    pub(crate) fn declare_functions(
        &mut self,
        defs: impl Iterator<Item = &'a ast::FunctionDef>,
        externals: crate::sim::external::ExternalConfig,
    ) {
        self.functions = Functions::new(
            defs,
            self.globals.clone(),
            self.opened,
            externals,
            &mut self.diags,
        );
    }

    /// Evaluates the file's top-level parameters (`pint W = 8;`), in order; they and every
    /// constant expression may call the `functions` of parameters.
    pub(crate) fn declare_globals<'p>(
        &mut self,
        decls: impl Iterator<Item = &'p ast::ParamDecl>,
        functions: Rc<ParamFunctions>,
    ) {
        let mut globals = Params::default();
        globals.with_functions(functions);
        for p in decls {
            self.global_param_names.push(levels::param_name(p));
            match p.kind {
                ast::ParamKind::Ptype => self.declare_ptype(p, &mut globals),
                ast::ParamKind::Pstruct => self.declare_struct_param(p, &mut globals),
                _ => self.declare_param(p, &mut globals),
            }
        }
        globals.freeze();
        self.globals = globals;
    }

    /// Elaborates the file-scope body (ACT's global namespace): its variables and channels,
    /// instances (the design's top) and the connections between them, in order, with the
    /// empty path. A parameter it sets (`N = 4;`) is seen by the instances declared after.
    pub(crate) fn file_scope(&mut self, items: &'a [BodyItem]) {
        let ports = PortTable {
            layout: Rc::new(PortLayout::default()),
            base: self.nodes.len(),
        };
        let mut params = self.globals.clone();
        let mut locals = HashMap::new();
        // Every variable is a signal that processes may connect to.
        let mut connected_vars = connected_names(items);
        connected_vars.extend(items.iter().filter_map(|item| match item {
            BodyItem::Var(v) => Some(v.name.name.clone()),
            _ => None,
        }));
        let mut parts = ProgramParts {
            connected_vars,
            runs_chp: instances::has_chp(items),
            ..ProgramParts::default()
        };
        self.first_declared = HashMap::new();
        for item in items {
            self.body(
                std::slice::from_ref(item),
                "",
                &mut params,
                &ports,
                &mut locals,
                &mut parts,
            );
            self.globals = params.clone();
            self.globals.freeze();
            match item {
                BodyItem::Var(v) => {
                    if let Some(Local::Channel(entry) | Local::SharedVariable(entry)) =
                        locals.get(&v.name.name)
                    {
                        self.file_signals.insert(v.name.name.clone(), entry.clone());
                        (self.file_decls).insert(v.name.name.clone(), (v, params.clone()));
                    }
                }
                BodyItem::Instance(decl) => {
                    if let Some(local @ Local::Instances { .. }) = locals.get(&decl.name.name) {
                        (self.file_instances).insert(decl.name.name.clone(), local.clone());
                    }
                }
                _ => {}
            }
        }
        self.initialize_actions(items, &ports, &locals, &parts);
        if let Some((block, _)) = parts.chp {
            // ACT allows `chp { }` at file scope: it runs as a process with the empty path,
            // on the file's variables and channels.
            let name_span = block.span.start..block.span.start + 3;
            let def = bare_process(FILE_SCOPE, name_span, &block.span);
            let key = (FILE_SCOPE.to_string(), Vec::new());
            if let Some(lowered) = self.lowered(&def, key, &ports.layout, &parts) {
                self.add_process(("", "", &block.span), &lowered, &ports, &locals);
            }
        } else {
            // Variables are checked when a process's CHP is lowered; these have none.
            for (v, params) in &parts.vars {
                let _ = super::types::data_type(&v.ty, params, &mut self.diags);
                let _ = self.dims(&v.dims, params);
            }
        }
    }

    /// Whether the body being elaborated may name the file scope's object `name`: the file
    /// scope itself sees all of them, a definition those declared before it (ACT's rule).
    fn sees_file_object(&self, name: &str) -> bool {
        let def = (self.stack.last()).and_then(|(def, _)| self.defs.get(def.as_str()));
        def.is_none_or(|def| def.file_objects.contains(name))
    }

    /// The file scope's channel or variable `name`, if the body being elaborated may name it
    /// (see [`Elaborator::file_signal_name`]).
    fn file_signal(&self, name: &str) -> Option<&PortEntry> {
        self.file_signals.get(&self.file_signal_name(name)?)
    }

    /// The qualified name of the channel or variable of the file scope or of a namespace that
    /// `name` stands for in the body being elaborated: the first that it sees (see
    /// [`Elaborator::sees_file_object`]) of its namespace's, an enclosing one's, the file
    /// scope's (ACT's lookup, [`ast::namespace_objects`]).
    fn file_signal_name(&self, name: &str) -> Option<String> {
        let scope = self.stack.last().map_or("", |(def, _)| def.as_str());
        ast::namespace_objects(scope, name)
            .find(|q| self.file_signals.contains_key(q) && self.sees_file_object(q))
    }

    /// Why the body being elaborated cannot name `name` though a channel or variable of the
    /// file scope or of a namespace has that name: declared after the definition, or in a
    /// namespace that does not enclose it (ACT looks in the enclosing scopes only).
    fn unseen_file_signal(&self, name: &str) -> Option<String> {
        let scope = self.stack.last().map_or("", |(def, _)| def.as_str());
        if self.file_signal_name(name).is_some() {
            return None;
        }
        let act = format!("(ACT: \"The identifier `{name}' does not exist in the current scope\")");
        if ast::namespace_objects(scope, name).any(|q| self.file_signals.contains_key(&q)) {
            return Some(format!(
                "the file scope declares `{name}` after this definition: a definition sees only \
                 what is declared before it {act}"
            ));
        }
        let suffix = format!("::{name}");
        let mut elsewhere: Vec<&str> = (self.file_signals.keys())
            .filter(|q| q.ends_with(&suffix))
            .map(String::as_str)
            .collect();
        elsewhere.sort_unstable();
        let first = elsewhere.first()?;
        Some(format!(
            "`{first}` is another namespace's: a definition sees the objects of its own \
             namespace, the enclosing ones and the file scope only {act}"
        ))
    }

    /// The values of the template arguments of a `--top` name (`text`): constants, which may
    /// use the file's top-level parameters. An error is about the command line, not a place
    /// in the design (the arguments' spans are in `text`).
    pub(crate) fn top_arguments(
        &mut self,
        def: &ProcessDef,
        text: &str,
        args: &[Expr],
    ) -> Option<Vec<ArgValue>> {
        let mut values = Vec::with_capacity(args.len());
        for (i, arg) in args.iter().enumerate() {
            let param = def.template_params.get(i);
            let globals = self.globals.clone();
            match self.template_arg(arg, param, &globals) {
                Ok(v) => values.push(v),
                Err(d) => {
                    let written = text.get(arg.span.clone()).unwrap_or(text);
                    self.diags.push(Diagnostic::whole_file(format!(
                        "--top `{text}`: template argument `{written}`: {}",
                        d.message
                    )));
                    return None;
                }
            }
        }
        Some(values)
    }

    /// Elaborates `def` with template arguments `args` as the top process (given by `--top`,
    /// or the file's `test`), with the empty path.
    pub(crate) fn top_process(&mut self, def: &'a ProcessDef, args: Vec<ArgValue>, span: &Span) {
        self.instantiate(def, args, span, "");
    }
}

/// A process `name` with no parameters, ports or body of its own, for CHP outside any process
/// (the file's `chp { }`, an `Initialize` action) spanning `span`: its variables and CHP
/// come in the program parts it is lowered with.
fn bare_process(name: &str, name_span: Span, span: &Span) -> ProcessDef {
    ProcessDef {
        name: ast::Ident {
            name: name.to_string(),
            span: name_span,
        },
        template_params: Vec::new(),
        bound_params: Vec::new(),
        ports: Vec::new(),
        exports: Vec::new(),
        macros: Vec::new(),
        body: Vec::new(),
        override_checks: Vec::new(),
        file_objects: Default::default(),
        strict: 0,
        parent: None,
        span: span.clone(),
    }
}

struct Resolved {
    nodes: Vec<NodeId>,
    /// The number of elements along each dimension (none: one element); the nodes are its
    /// elements row by row.
    shape: Vec<usize>,
    /// The sizes of each piece of a sparse array named whole (empty for any other): `shape`
    /// is the first's.
    pieces: Vec<Vec<usize>>,
    /// Names a whole array (so it may be indexed).
    is_array: bool,
    /// Whether this side produces values into the connection (`None`: a plain channel).
    side: Option<bool>,
    /// Named from inside its process (an own port or a channel), not as `instance.port`.
    inside: bool,
    span: Span,
}

impl Resolved {
    /// The whole of the port or channel `entry`, named at `span`.
    fn whole(entry: &PortEntry, side: Option<bool>, inside: bool, span: &Span) -> Self {
        Resolved {
            nodes: entry.nodes(),
            shape: entry.shape.sizes(),
            pieces: entry.shape.piece_sizes(),
            is_array: entry.is_array,
            side,
            inside,
            span: span.clone(),
        }
    }
}

/// The names a body's connections and port lists use (`a` in `a = x.L`, `f(a[2])`): the
/// variables among them are shared with sub-instances.
fn connected_names(items: &[BodyItem]) -> std::collections::HashSet<String> {
    /// The names `e` connects: `x` of `x`, `x[i]`, `x[1..2]`; each part's of `{x, y[0]}`;
    /// `x.d0` of `x.d0` and `x[i].d0` (a wire of a refined type).
    fn base_names(e: &Expr, out: &mut Vec<String>) {
        match &e.kind {
            ExprKind::Name(id) => out.push(id.name.clone()),
            ExprKind::Index { base, .. } | ExprKind::Slice { base, .. } => base_names(base, out),
            ExprKind::Concat(parts) | ExprKind::ArrayConcat(parts) => {
                parts.iter().for_each(|p| base_names(p, out))
            }
            ExprKind::Field { base, field } => {
                let mut inner = Vec::new();
                base_names(base, &mut inner);
                out.extend(inner.into_iter().map(|b| format!("{b}.{}", field.name)));
            }
            _ => {}
        }
    }
    fn collect<'e>(items: &'e [BodyItem], out: &mut Vec<&'e Expr>) {
        for item in items {
            match item {
                BodyItem::Connection(c) => out.extend([&c.lhs, &c.rhs]),
                BodyItem::Instance(decl) => {
                    out.extend(decl.port_args.iter().flatten().filter_map(port_value));
                }
                BodyItem::PortList(list) => {
                    out.extend(list.args.iter().filter_map(port_value));
                }
                BodyItem::Loop(l) => collect(&l.items, out),
                BodyItem::Assert(ast::BodyAssert {
                    kind: ast::BodyAssertKind::Connected { lhs, rhs, .. },
                    ..
                }) => out.extend([lhs, rhs]),
                BodyItem::Conditional(c) | BodyItem::GenLoop(c) => {
                    for arm in &c.arms {
                        collect(&arm.items, out);
                    }
                }
                _ => {}
            }
        }
    }
    fn port_value(arg: &ast::PortArg) -> Option<&Expr> {
        match arg {
            ast::PortArg::Positional(e) | ast::PortArg::Named { value: e, .. } => Some(e),
            ast::PortArg::Empty(_) => None,
        }
    }
    let mut exprs = Vec::new();
    collect(items, &mut exprs);
    let mut names = Vec::new();
    for e in exprs {
        base_names(e, &mut names);
    }
    names.into_iter().collect()
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

/// `parent.child`, or `child` under the empty (top) path.
pub(crate) fn join(parent: &str, child: &str) -> String {
    if parent.is_empty() {
        child.to_string()
    } else {
        format!("{parent}.{child}")
    }
}

/// The name of the element at `offset` of an array `name` of `shape` (`x[1][2]`), or `name`
/// when it is declared without dimensions.
fn element_name(name: &str, dims: &[ArrayDim], shape: &Shape, offset: usize) -> String {
    if dims.is_empty() {
        name.to_string()
    } else {
        format!("{name}{}", shape.suffix(offset))
    }
}

/// Whether the connection `lhs = ...` sets a parameter (`N`, `x[i]`) rather than connecting.
fn sets_parameter(lhs: &Expr, params: &Params) -> bool {
    match &lhs.kind {
        ExprKind::Name(id) => {
            params.has_value(&id.name)
                || params.ptype(&id.name).is_some()
                || params.pstruct(&id.name).is_some()
                || params.is_unset(&id.name)
                || params.array(&id.name).is_some()
        }
        ExprKind::Index { .. } | ExprKind::Slice { .. } => crate::elab::param_array::selection(lhs)
            .is_some_and(|(id, _)| params.array(&id.name).is_some()),
        // `x.a` of a parameter `x` of a structure type.
        ExprKind::Field { .. } => super::consts::dotted_name(lhs)
            .is_some_and(|name| params.is_unset(&name) || params.has_value(&name)),
        _ => false,
    }
}
