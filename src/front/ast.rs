//! The syntax tree of a design file.
//!
//! Purely syntactic: names are not resolved, widths and parameters are not evaluated; that is
//! elaboration's job. The one exception is type names: ACT declares a type before its use, and
//! the parser needs to know them to tell `struct x;` (a variable) from `buffer b;` (an
//! instance), so a use of a `deftype` record carries its definition ([`TypeKind::Record`]) and
//! a use of an alias (`defchan`, `deftype t <: int<W>`) is replaced by the type it stands for. Every node carries a [`Span`] (byte offsets into the source) so that later
//! layers can point at the exact text in their diagnostics.
//!
//! Declarations that list several names (`int<8> x, y[4];`, `chan?(int) a, b`) are split into
//! one node per name, each with its own copy of the type, in source order (port order matters
//! for positional port lists like `buffer b(x, y);`).

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;

pub(crate) use super::chp_ast::*;
pub(crate) use super::expr_ast::*;
pub(crate) use super::lang_ast::*;
pub(crate) use crate::kernel::LogKind;

/// Byte offsets into the source text.
pub(crate) type Span = std::ops::Range<usize>;

/// A name as written, with its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ident {
    pub name: String,
    pub span: Span,
}

/// A whole design: its file and the files it imports, their items in one list (each imported
/// file's before the items of the file that imports it).
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Program {
    pub items: Vec<Item>,
    /// The namespaces defined (`namespace a { namespace b { } }` defines `a` and `a::b`).
    pub namespaces: BTreeSet<String>,
    /// The namespaces opened with `open a::b;`, and the other names namespaces were given.
    pub opened: OpenNamespaces,
}

/// How names written with a namespace, or without one, reach the namespaces of a design
/// besides the scope they are written in (see [`scoped_names`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct OpenNamespaces {
    /// The namespaces opened with `open a::b;`, in order: their names can be written bare.
    pub opened: Vec<String>,
    /// Other names of namespaces, each with the namespace it names (both qualified):
    /// `open a::b -> c;` and `import a::b -> c;` name `a::b` `c`, `import a => b;` names `a`
    /// `b::a`, `open a => b into c;` names `a` `c::b`.
    pub aliases: Vec<(String, String)>,
}

/// No namespace opened or renamed.
static NO_OPEN_NAMESPACES: OpenNamespaces = OpenNamespaces {
    opened: Vec::new(),
    aliases: Vec::new(),
};

impl Default for &OpenNamespaces {
    fn default() -> Self {
        &NO_OPEN_NAMESPACES
    }
}

impl OpenNamespaces {
    /// `name` (qualified) with a leading alias replaced by the namespace it names:
    /// `c::x` is `a::b::x` after `open a::b -> c;`. The longest alias that matches wins.
    pub(crate) fn unalias(&self, name: &str) -> String {
        let matching = self.aliases.iter().filter(|(alias, _)| {
            name.strip_prefix(alias.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
        });
        match matching.max_by_key(|(alias, _)| alias.len()) {
            Some((alias, target)) => format!("{target}{}", &name[alias.len()..]),
            None => name.to_string(),
        }
    }
}

/// `import "file.act";` or `import a::b;`: another file of the design, loaded (once) before
/// the importing file is parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Import {
    pub target: ImportTarget,
    /// The target as written (the string, or the namespace name).
    pub span: Span,
    /// The namespaces the importing file opened before this import (`open a::b;` at its top
    /// level, as written): ACT reads the imported file there, with them open.
    pub opened_before: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ImportTarget {
    /// `import "lib/fifo.act";`: a path relative to the importing file.
    File(String),
    /// `import lib::fifo;` (as ACT): the file `lib/fifo.act`, which must define the namespace
    /// `lib::fifo`. A leading `::` is dropped (`import ::lib;` is `import lib;`).
    Namespace(String),
}

impl Import {
    /// The imported file's path, relative to the directory of the importing file.
    pub(crate) fn path(&self) -> std::path::PathBuf {
        match &self.target {
            ImportTarget::File(path) => path.into(),
            ImportTarget::Namespace(name) => {
                let mut path: std::path::PathBuf = name.split("::").collect();
                path.set_extension("act");
                path
            }
        }
    }
}

/// A top-level item.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    /// `[template<...>] defproc name(ports) { body }`.
    Process(ProcessDef),
    /// A top-level instance such as `pipeline<10> top;`: the design's top.
    Instance(InstanceDecl),
    /// `pint W = 8, D = 4;` at the top level: parameters every process sees.
    Params(Vec<ParamDecl>),
    /// `[template<...>] function name(args) : type { body }`.
    Function(FunctionDef),
    /// Body items at file scope, as ACT allows them there (the global namespace has a body,
    /// as a process has): variables and channels (`bool x; chan(int) c;`), connections,
    /// loops, conditionals, assertions, and declarations of several instances (`foo a, b;`).
    /// Top-level instances connect to them; they are elaborated with the empty path.
    Body(Vec<BodyItem>),
}

/// `template<pint N> function name (int<8> a; bool b) : int<N> { int t; chp { ... } }`: its
/// CHP computes `self`, the result. A function of parameters (`function f (pint x) : pint`,
/// all of its arguments and its result parameters) is evaluated during elaboration.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FunctionDef {
    pub name: Ident,
    pub template_params: Vec<ParamDecl>,
    /// The arguments, declared as a process's ports are (a method's begin with its record's
    /// fields).
    pub args: Vec<PortDecl>,
    /// The arguments of a function of parameters (`pint x`, `preal v`, `pint a[4]`).
    pub param_args: Vec<ParamDecl>,
    /// The result of a function of parameters: its kind and where it is written. `result`
    /// is then only a placeholder.
    pub param_result: Option<(ParamKind, Span)>,
    pub result: Type,
    pub body: Vec<BodyItem>,
    /// Declared without a body (`function f (int<8> a) : int<8>;`): implemented outside the
    /// design, by chpsim itself (actsim's `sim::` functions) or by a C library that the
    /// configuration's `sim.extern` section names.
    pub external: bool,
    pub span: Span,
    /// For a method of a record, which record and how its arguments and template parameters
    /// begin (see [`MethodOf`]).
    pub method: Option<MethodOf>,
}

/// A method function `f` of record `r` is the function `r.f` whose first arguments are the
/// record's fields and whose first template parameters are the record's: a call `s.f(a)`
/// passes `s`'s fields and template arguments, then `a`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MethodOf {
    /// The record's qualified name (`ns::r`).
    pub record: String,
    /// How many of the arguments are the record's fields.
    pub fields: usize,
    /// How many of the template parameters are the record's.
    pub record_params: usize,
}

/// `template<pint N, M; pbool B> defproc name(ports) { body }`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ProcessDef {
    pub name: Ident,
    /// The `template<...>` parameters, in order (empty when there is no template).
    pub template_params: Vec<ParamDecl>,
    /// How many of the template parameters are strict (before the `|`): only those are part
    /// of an instance's type (elements of one sparse array agree on them).
    pub strict: usize,
    /// `defproc bar <: foo<3> (...)`: its parent's qualified name (`foo`).
    pub parent: Option<String>,
    /// The parameters of its parent (`defproc bar <: foo<3> ()`) that the parent's arguments
    /// set, each with the argument as its value, computed in order after the template
    /// parameters.
    pub bound_params: Vec<ParamDecl>,
    pub ports: Vec<PortDecl>,
    /// The interfaces it exports (`:> linear { in -> a }`), its parent's too.
    pub exports: Vec<ExportedInterface>,
    /// The macros of its `methods { }`: `s.m(args);` in the CHP of a process with an
    /// instance `s` runs the body there, its port names standing for `s`'s ports.
    pub macros: Vec<MacroDef>,
    pub body: Vec<BodyItem>,
    /// Its overrides of inherited ports (its parent's too), checked in each expanded instance.
    pub override_checks: Vec<OverrideCheck>,
    /// The qualified names of the file scope's and the namespaces' objects (variables,
    /// channels, instances) declared before the definition: ACT reads a file once, so a body
    /// sees only those.
    pub file_objects: Arc<HashSet<String>>,
    /// From `defproc` (or `template`) to the closing `}`.
    pub span: Span,
}

/// An override of an inherited port or field (`+{ wide<M> x; }`): the definition is checked
/// as ACT checks it (the types without their arguments); whether the new type refines the
/// original with the arguments in place, once the type is expanded.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OverrideCheck {
    /// The overridden name, where the override names it.
    pub name: Ident,
    /// The original type and the new one, in the definition's terms.
    pub original: Type,
    pub new: Type,
}

/// A compile-time parameter: in a `template<...>` list or a body (`pint N = 100;`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ParamDecl {
    pub kind: ParamKind,
    pub name: Ident,
    /// `pint x[4]`: a parameter array (its elements are set by `x[i] = e;` or `x = {a, b};`).
    pub dims: Vec<ArrayDim>,
    /// `= expr`: a value in a body, a default in a template list.
    pub value: Option<Expr>,
    pub span: Span,
    /// For a `ptype(iface<args>)` parameter, the interface its process types export.
    pub iface: Option<Box<InterfaceUse>>,
    /// For a parameter of a `defptype` structure, the structure.
    pub pstruct: Option<Arc<PstructDef>>,
}

/// `defptype name (pint a, b; pbool c);`: a structure of parameters. A parameter `x` of it
/// is the parameters `x.a`, `x.b`, `x.c`; `name(1, 2, true)` is a value of it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PstructDef {
    /// Its qualified name.
    pub name: Ident,
    pub fields: Vec<(String, ParamKind)>,
}

/// A use of an interface: `linear<N>` in `ptype(linear<N>) p` or after `:>`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct InterfaceUse {
    /// Its qualified name.
    pub name: String,
    pub args: Vec<Expr>,
    pub span: Span,
}

/// `:> linear<4> { in -> a, out -> y }`: a process exports an interface, each port of the
/// interface standing for one of the process's.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ExportedInterface {
    pub iface: InterfaceUse,
    /// The interface's port names, in the interface's order, each with the process's port
    /// it stands for.
    pub ports: Vec<(String, String)>,
    /// The methods the interface requires, as this export sees them: ACT compares their
    /// types with the process's macros' in each expanded instance.
    pub methods: Vec<MethodSig>,
}

/// A method an interface requires (`macro push (int<N> v[2]);`, `function f (int x) : bool;`)
/// as an export sees it: the export's arguments in place of the interface's parameters.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MethodSig {
    pub name: Ident,
    /// Each argument's type and array dimensions.
    pub args: Vec<(Type, Vec<ArrayDim>)>,
    /// `None` for a macro.
    pub result: Option<Type>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamKind {
    Pint,
    Pbool,
    Preal,
    /// `ptype(iface)`: a process type that exports the interface `iface`.
    Ptype,
    /// A structure of parameters (`defptype`).
    Pstruct,
}

impl ParamKind {
    /// The keyword.
    pub(crate) fn keyword(self) -> &'static str {
        match self {
            ParamKind::Pint => "pint",
            ParamKind::Pbool => "pbool",
            ParamKind::Preal => "preal",
            ParamKind::Ptype => "ptype",
            ParamKind::Pstruct => "parameter structure",
        }
    }
}

/// One port: `chan?(int<8>) L`, `chan!(int) R[4]`, `bool b`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PortDecl {
    pub ty: Type,
    pub name: Ident,
    /// Array dimensions, outermost first (`L[4]` has one).
    pub dims: Vec<ArrayDim>,
    pub span: Span,
    /// The interface bundle this port is a member channel of, if any.
    pub bundle: Option<BundleOf>,
    /// The side that drives it as ACT decides it (see [`WireMark::direction`]): `bool? x` is
    /// `Input`, never driven by the process's production rules; `None` when either may.
    pub wire_dir: Option<ChanDir>,
}

/// The interface bundle a port or channel is a member of: `p.req` and `p.resp` of `rw p`
/// (with `deftype rw (chan?!(int) req; chan!?(int) resp) { }`) are members of the bundle `p`
/// of type `rw`; whole bundles connect member by member.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BundleOf {
    /// The bundle's name (`p`).
    pub name: Ident,
    /// Its type (`rw`).
    pub ty: RecordType,
    /// The member's field name (`req`).
    pub field: String,
    /// Whether the bundle is an array (`rw p[4]`): the member is then an array as long
    /// (`p.req[4]`), whose elements are named `p[i].req`.
    pub array: bool,
}

impl BundleOf {
    /// The name of element `index` of the member of an array of bundles: `p[2].req`.
    pub(crate) fn element_name(&self, index: i64) -> String {
        format!("{}[{index}].{}", self.name.name, self.field)
    }
}

/// A data or channel type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Type {
    /// What CHP sees: a user type that refines another (`e1of2` of `chan(bool)`) is the type
    /// it refines.
    pub kind: TypeKind,
    pub span: Span,
    /// The user type written, when it is one that refines another: what the checks that
    /// compare types (overrides) go by.
    pub named: Option<Box<NamedType>>,
}

impl Type {
    /// A built-in type (or a record) as written.
    pub(crate) fn new(kind: TypeKind, span: Span) -> Self {
        Type {
            kind,
            span,
            named: None,
        }
    }
}

/// A use of a user type that CHP sees as another: `e1of2` (`defchan e1of2 <: chan(bool)
/// (...)`), `d1of<4>` (`template<pint N> deftype d1of <: enum<N> (...)`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NamedType {
    /// Its qualified name.
    pub name: String,
    pub args: Vec<Expr>,
    /// The type its definition refines, with the arguments in place (`enum<4>`).
    pub parent: Type,
    /// For a channel type with `methods { }` (its own or inherited), their bodies with the
    /// arguments in place: how a CHP end of the channel moves its wires.
    pub methods: Option<Arc<ChanMethods>>,
    /// Its definition's overrides of inherited fields, the arguments in place.
    pub override_checks: Vec<OverrideCheck>,
}

/// The methods of a channel type (`defchan e1of2 <: ... { methods { set { ... } ... } }`),
/// with the type's template arguments in place; they name the type's wires (`d.d[0]`, `a`)
/// and `self`, the value sent or received.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct ChanMethods {
    /// `set`, `send_up`, ... by name, in the order defined (a type's own after its parent's,
    /// replacing a parent's of the same name).
    pub bodies: Vec<(String, MethodBody)>,
    /// The names of the type's wires (its fields), which the bodies name.
    pub wires: Vec<String>,
    /// The direction marks written on those wires, in the same order (`bool?! t`: `InOut`).
    pub marks: Vec<WireMark>,
}

impl ChanMethods {
    pub(crate) fn get(&self, name: &str) -> Option<&MethodBody> {
        self.bodies.iter().find(|(n, _)| n == name).map(|(_, b)| b)
    }
}

/// The body of one channel method.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum MethodBody {
    /// `set { ... }`: HSE over the wires (`None` when empty).
    Chp(Option<Box<Stmt>>),
    /// `recv_probe = e;`.
    Probe(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TypeKind {
    /// `bool`.
    Bool,
    /// `int` (width `None`, meaning 32) or `int<expr>`; `ints`, `ints<expr>` when `signed`.
    Int {
        width: Option<Box<Expr>>,
        signed: bool,
    },
    /// `enum<N>`: an integer that holds `0 ..= N-1`, in ceil(log2 N) bits.
    Enum { size: Box<Expr> },
    /// `chan(T)`, `chan?(T)`, `chan!(T)`; `data` is `None` for a dataless `chan()`; `reply`
    /// is the second type of an exchange channel `chan(T1, T2)` (data flowing back).
    Chan {
        dir: Option<ChanDir>,
        data: Option<Box<Type>>,
        reply: Option<Box<Type>>,
    },
    /// A record type defined by `deftype name (fields) { }`, with its template arguments.
    Record(RecordType),
}

/// A use of a record type: `r`, or `r<4, N>` for a templated `deftype`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RecordType {
    pub def: Arc<RecordDef>,
    pub args: Vec<Expr>,
}

impl RecordType {
    /// The record type it refines (`deftype b <: a<N> (...)`), with its own template
    /// arguments in place of its parameters.
    pub(crate) fn parent(&self) -> Option<RecordType> {
        let parent = self.def.parent.as_ref()?;
        let bindings: crate::front::subst::Bindings = (self.def.template_params.iter())
            .zip(&self.args)
            .map(|(p, a)| (p.name.name.clone(), a.clone()))
            .collect();
        Some(RecordType {
            def: parent.def.clone(),
            args: crate::front::subst::subst_exprs(&parent.args, &bindings),
        })
    }
}

impl std::fmt::Display for RecordType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        crate::front::print::write_named(f, &self.def.name.name, &self.args)
    }
}

/// `deftype name (int<8> a; bool b) { ... }`: a record of data fields.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RecordDef {
    /// Its qualified name (`ns::r` inside `namespace ns`).
    pub name: Ident,
    /// `template<pint W> deftype r (...)`: widths of its fields may use them.
    pub template_params: Vec<ParamDecl>,
    /// In declaration order (`int<4> x, z;` gives two).
    pub fields: Vec<FieldDecl>,
    /// `deftype b <: a<N> (...)`: the record `a` it refines, with arguments in terms of `b`'s
    /// template parameters (a parameter of `a` its arguments leave unset is `b`'s, by name).
    pub parent: Option<RecordType>,
    /// The names of the `methods { function f ... macro m ... }` in its body.
    pub methods: Vec<Ident>,
    /// Its macros, expanded where they are called.
    pub macros: Vec<MacroDef>,
    /// The interfaces it exports (`deftype t (int x) :> iface { } { ... }`), by qualified
    /// name: it may be given to a `ptype` of one of them.
    pub exports: Vec<String>,
    /// Its overrides of inherited fields, checked where it is expanded.
    pub override_checks: Vec<OverrideCheck>,
    pub span: Span,
}

/// `macro m (int<8> v) { S }` in a record's `methods { }`: `s.m(e);` runs `S` with the record's
/// field names standing for `s`'s fields and `v` for `e`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MacroDef {
    pub name: Ident,
    pub args: Vec<PortDecl>,
    /// `None` for an empty body.
    pub body: Option<Stmt>,
}

/// One field of a record: `int<8> a`, `bool b[4]`, `other q`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FieldDecl {
    pub ty: Type,
    pub name: Ident,
    pub dims: Vec<ArrayDim>,
    /// A channel field written with two marks (`chan?!(T)`, `chan!?(T)`): a port of the
    /// type's `!` side (`rw! p`) sees the second direction, as ACT's permissions go.
    pub flips: bool,
    /// The direction marks of a wire (`bool! z; bool?! y`).
    pub mark: WireMark,
}

/// The direction marks of a type's wire: `bool? a` (`In`), `bool! b` (`Out`), `bool?! c`
/// (`InOut`), `bool!? d` (`OutIn`), or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum WireMark {
    #[default]
    None,
    In,
    Out,
    InOut,
    OutIn,
}

impl WireMark {
    /// ACT's direction of a wire so marked, in an object whose own direction is `outer`: a
    /// plain mark decides; `?!` takes the object's direction, `!?` the opposite one. (For
    /// `deftype t (bool?! y)`, `y` of a `t? c` is `Input`; of a `t! c`, `Output`.)
    pub(crate) fn direction(self, outer: Option<ChanDir>) -> Option<ChanDir> {
        match self {
            WireMark::None => None,
            WireMark::In => Some(ChanDir::Input),
            WireMark::Out => Some(ChanDir::Output),
            WireMark::InOut => outer,
            WireMark::OutIn => outer.map(|d| match d {
                ChanDir::Input => ChanDir::Output,
                ChanDir::Output => ChanDir::Input,
            }),
        }
    }
}

/// Direction of a channel port, from the point of view of the process that declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChanDir {
    /// `chan?(T)`: this process receives.
    Input,
    /// `chan!(T)`: this process sends.
    Output,
}

/// An array dimension in a declaration.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ArrayDim {
    /// `x[N]`: indices `0 .. N-1`.
    Size(Expr),
    /// `x[lo..hi]`: indices `lo ..= hi`.
    Range(Expr, Expr),
}

/// An item of a process body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum BodyItem {
    /// `int<8> x;`, `bool b[4];`, `chan(int) c[N];`.
    Var(VarDecl),
    /// `pint N = 100;`, `pbool B;`.
    Param(ParamDecl),
    /// `buffer b[N];`, `pipeline<10> p;`, `source src(c[0]);`.
    Instance(InstanceDecl),
    /// `a.R = b.L;`.
    Connection(Connection),
    /// `x(a, .R = b);` of an instance `x` declared before.
    PortList(PortList),
    /// `(i : N : items)` or `(i : lo .. hi : items)`.
    Loop(BodyLoop),
    /// `chp { ... }`.
    Chp(ChpBlock),
    /// `[ N > 8 -> items [] else -> items ]`: the items of the first guard that holds, at
    /// elaboration time (none when no guard holds).
    Conditional(BodySelect),
    /// `*[ g -> items [] ... ]`: the items of the first guard that holds, again and again
    /// while one does (at elaboration time: a parameter the items set ends it).
    GenLoop(BodySelect),
    /// `{ cond : "message" };`: a condition on parameters that must hold.
    Assert(BodyAssert),
    /// `${ "text", e, ... };`: printed when the design is expanded.
    Print(Vec<LogArg>, Span),
    /// `prs { }`, `hse { }`, `spec { }`, `sizing { }`, `dataflow { }`, `refine { }`.
    Lang(Box<LangBlock>),
    /// `x @ [iscomb=1];`, `bool y @ [sigtype=0];`: attributes of an instance (or of an
    /// element of an array instance, `w[2] @ [...]`).
    Attributes(InstanceAttrs),
}

/// Attributes given to an instance: `x @ [pos_x=1; iscomb=0]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct InstanceAttrs {
    /// The instance (`x`) or an element of it (`w[2]`, `w[1][0]`).
    pub target: Expr,
    pub attrs: Vec<Attr>,
    pub span: Span,
}

/// The guarded alternatives of a conditional body or a generative loop.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BodySelect {
    pub arms: Vec<BodyArm>,
    pub span: Span,
}

/// `g -> items`, `else -> items`, or `( [] i : N : g -> items )` (one arm per value of `i`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BodyArm {
    pub replicator: Option<Replicator>,
    pub guard: Guard,
    pub items: Vec<BodyItem>,
    pub span: Span,
}

/// `{ cond : "message" };`, or `{ a === b : "message" };` (`a` and `b` are connected; with
/// `!==`, they are not).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BodyAssert {
    pub kind: BodyAssertKind,
    pub message: Option<String>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum BodyAssertKind {
    Holds(Expr),
    Connected { lhs: Expr, rhs: Expr, negated: bool },
}

/// A local variable or channel.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct VarDecl {
    pub ty: Type,
    pub name: Ident,
    pub dims: Vec<ArrayDim>,
    pub span: Span,
    /// The interface bundle this channel is a member of, if any.
    pub bundle: Option<BundleOf>,
    /// `bool! x;` (`Output`), `bool? x;` (`Input`): which side drives a wire, for production
    /// rules; two wires driven from opposite sides cannot be connected.
    pub wire_dir: Option<ChanDir>,
    /// The override that made this declaration of a part of the body (`+{ child<4> x; }` of a
    /// parent's `int<W> x`): ACT compares it again where the declaration is expanded.
    pub overridden: Option<Box<OverrideCheck>>,
}

/// An instance of a process: `buffer b[N];`, `pipeline<10> top;`, `buffer b(x, .R=y);`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct InstanceDecl {
    /// The process instantiated (`buffer`).
    pub process: Ident,
    /// `<10>` template arguments, in order.
    pub template_args: Vec<Expr>,
    pub name: Ident,
    pub dims: Vec<ArrayDim>,
    /// `(a, b)` connections to the ports, if a port list is given.
    pub port_args: Option<Vec<PortArg>>,
    pub span: Span,
}

/// One entry of an instance's port list.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PortArg {
    /// `x`: connects the port at this position.
    Positional(Expr),
    /// `.R = x`: connects the port named `R`.
    Named { port: Ident, value: Expr },
    /// Nothing at this position (`c(, x, )`): the port stays unconnected here.
    Empty(Span),
}

/// `x(a, .R = b);`, `x[2](a, b);`: a port list for an instance declared before.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PortList {
    /// The instance (`x`, `x[2]`).
    pub instance: Expr,
    pub args: Vec<PortArg>,
    pub span: Span,
}

/// `lhs = rhs;`: a connection of two references (`a`, `a[i]`, `a.R`, `a[i].R[j]`), or a
/// parameter set to a value (`N = 4;`, `x[2] = N + 1;`, `x = {1, 2, 3};`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Connection {
    pub lhs: Expr,
    pub rhs: Expr,
    pub span: Span,
}

/// `(i : N : items)` over body items.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BodyLoop {
    pub var: Ident,
    pub range: IterRange,
    pub items: Vec<BodyItem>,
    pub span: Span,
}

/// The range of a loop variable.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum IterRange {
    /// `i : N`: `0 ..= N-1`.
    Count(Expr),
    /// `i : lo .. hi`: `lo ..= hi`.
    Inclusive(Expr, Expr),
}

impl IterRange {
    /// The text of the range: the count, or `lo .. hi`.
    pub(crate) fn span(&self) -> Span {
        match self {
            IterRange::Count(n) => n.span.clone(),
            IterRange::Inclusive(lo, hi) => lo.span.start..hi.span.end,
        }
    }
}

impl Program {
    /// The process definitions, in source order.
    pub(crate) fn processes(&self) -> impl Iterator<Item = &ProcessDef> {
        self.items.iter().filter_map(|item| match item {
            Item::Process(p) => Some(p),
            _ => None,
        })
    }

    /// The function definitions, in source order.
    pub(crate) fn functions(&self) -> impl Iterator<Item = &FunctionDef> {
        self.items.iter().filter_map(|item| match item {
            Item::Function(f) => Some(f),
            _ => None,
        })
    }

    /// The top-level parameter declarations, in source order.
    pub(crate) fn global_params(&self) -> impl Iterator<Item = &ParamDecl> {
        self.items.iter().flat_map(|item| match item {
            Item::Params(params) => params.as_slice(),
            _ => &[],
        })
    }

    /// The top-level instances, in source order (also those declared several at a time,
    /// `foo a, b;`).
    pub(crate) fn instances(&self) -> impl Iterator<Item = &InstanceDecl> {
        self.items.iter().flat_map(|item| match item {
            Item::Instance(i) => vec![i],
            Item::Body(items) => (items.iter())
                .filter_map(|b| match b {
                    BodyItem::Instance(i) => Some(i),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        })
    }

    /// The items of the file-scope body, in source order: top-level instances and
    /// [`Item::Body`] items.
    pub(crate) fn global_body(&self) -> Vec<BodyItem> {
        let mut body = Vec::new();
        for item in &self.items {
            match item {
                Item::Instance(i) => body.push(BodyItem::Instance(i.clone())),
                Item::Body(items) => body.extend(items.iter().cloned()),
                _ => {}
            }
        }
        body
    }
}

/// The objects declared outside definitions (ACT's namespace globals) that a name written in
/// `scope` may stand for, first match wins: the name in `scope`'s namespace, then in each
/// enclosing one, then the file scope's (also the definitions a name may stand for, before
/// those of opened namespaces, see [`scoped_names`]). `scope` is a qualified name (`a::b::p`, or `a::b::`
/// for the namespace itself); what follows its last `::` is not a namespace. Unlike a
/// definition's name, an object's is never qualified where it is used, nor found through an
/// opened namespace (ACT's identifiers are looked up in the scopes that enclose them only).
pub(crate) fn namespace_objects<'s>(
    scope: &'s str,
    name: &'s str,
) -> impl Iterator<Item = String> + 's {
    let namespaces: Vec<&str> = scope.split("::").collect();
    (0..namespaces.len()).rev().map(move |n| {
        let path: Vec<&str> = namespaces[..n].iter().copied().chain([name]).collect();
        path.join("::")
    })
}

/// The definitions a name written in `scope` may stand for, first match wins: the name in
/// `scope`'s namespace, then in each enclosing one, then the global name. `scope` is a
/// qualified name (`a::b::f`, or `a::b::` for the namespace itself); what follows its last
/// `::` is not a namespace. A name written with `::` (`ns::f`) is looked up the same way.
/// Last come the namespaces `opened` with `open`, in the order they were opened. A namespace
/// written by another name it was given (`open a -> b;`) is the namespace it names. A name
/// written from the global namespace (`::ns::f`) stands for that one definition only.
pub(crate) fn scoped_names(scope: &str, name: &str, opened: &OpenNamespaces) -> Vec<String> {
    if let Some(global) = name.strip_prefix("::") {
        return vec![opened.unalias(global)];
    }
    namespace_objects(scope, name)
        .chain(opened.opened.iter().map(|ns| format!("{ns}::{name}")))
        .map(|candidate| opened.unalias(&candidate))
        .collect()
}
