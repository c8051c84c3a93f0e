//! The names a process's sublanguage blocks may use, with their declared types, and the
//! resolution of references (`x`, `x[i]`, `a.b`, `p[2].req`) to the type they name.

use std::collections::HashMap;

use crate::diag::{did_you_mean, Diagnostic};
use crate::front::ast::*;

/// What a declared name is.
#[derive(Clone, Copy)]
pub(super) enum Sym<'a> {
    /// A `pint`/`pbool` parameter or a loop variable.
    Param,
    /// A variable, channel or port, with its type and number of array dimensions.
    Value { ty: &'a Type, dims: usize },
    /// An instance of a process (`None`: of a process not defined in the design).
    Instance {
        def: Option<&'a ProcessDef>,
        dims: usize,
    },
}

/// What a reference names, after its indices and fields.
#[derive(Clone, Copy)]
pub(super) enum RefTy<'a> {
    Param,
    Value {
        ty: &'a Type,
        /// Array dimensions left (0: one element).
        dims: usize,
        /// Named from its process (not as a port of a sub-instance, which sees the other
        /// end of a channel).
        own: bool,
    },
    Instance,
    /// `c.f` for a channel `c` carrying records: the field `f` of the value a dataflow
    /// expression receives.
    ChannelField {
        ty: &'a Type,
    },
    /// Something chpsim cannot see into (a port of a type it does not know): no checks.
    Unknown,
}

/// The names of one process, innermost loop variables last.
pub(super) struct Scope<'a> {
    names: HashMap<String, Sym<'a>>,
    defs: &'a HashMap<&'a str, &'a ProcessDef>,
    /// The wires declared `bool? x`: driven from elsewhere, so no production rule of this
    /// scope may drive them.
    inputs: std::collections::HashSet<String>,
}

impl<'a> Scope<'a> {
    /// The scope of `def`'s body: the file's parameters, its template parameters, ports and
    /// every declaration of its body (in loops and refinements too).
    pub(super) fn of_process(
        def: &'a ProcessDef,
        globals: &[&'a ParamDecl],
        global_body: &'a [BodyItem],
        defs: &'a HashMap<&'a str, &'a ProcessDef>,
    ) -> Self {
        let mut scope = Scope::global(globals, global_body, defs);
        scope.see_namespace_objects(&def.name.name);
        for p in def.template_params.iter().chain(&def.bound_params) {
            scope.names.insert(p.name.name.clone(), Sym::Param);
        }
        for port in &def.ports {
            scope.declare_value(&port.name.name, &port.ty, port.dims.len());
            let is_wire = !matches!(port.ty.kind, TypeKind::Chan { .. });
            if is_wire && port.wire_dir == Some(ChanDir::Input) {
                scope.inputs.insert(port.name.name.clone());
            }
        }
        scope.declare_body(&def.body);
        scope
    }

    /// The scope of the top level of a file: its parameters and file-scope declarations
    /// (which processes see too, as ACT's global signals).
    pub(super) fn global(
        globals: &[&'a ParamDecl],
        global_body: &'a [BodyItem],
        defs: &'a HashMap<&'a str, &'a ProcessDef>,
    ) -> Self {
        let names = globals
            .iter()
            .map(|p| (p.name.name.clone(), Sym::Param))
            .collect();
        let mut scope = Scope {
            names,
            defs,
            inputs: Default::default(),
        };
        scope.declare_body(global_body);
        scope
    }

    /// Makes the objects of the namespaces around the definition `def` (qualified) seen by
    /// their bare names (`r` of `ns::r`), the innermost namespace's first (ACT's lookup, see
    /// [`namespace_objects`]).
    fn see_namespace_objects(&mut self, def: &str) {
        let bare: Vec<String> = (self.names.keys())
            .filter_map(|name| Some(name.rsplit_once("::")?.1.to_string()))
            .collect();
        for name in bare {
            let found = namespace_objects(def, &name).find(|q| self.names.contains_key(q));
            if let Some(sym) = found.filter(|q| *q != name).map(|q| self.names[&q]) {
                self.names.insert(name, sym);
            }
        }
    }

    fn declare_value(&mut self, name: &str, ty: &'a Type, dims: usize) {
        self.inputs.remove(name);
        self.names.insert(name.to_string(), Sym::Value { ty, dims });
    }

    /// Whether the wire `e` names (`x`, `x[i]`, `c.y`, `c[i].y`) is declared `bool? x` in
    /// this scope, or is a wire its object's direction makes an input (see
    /// [`WireMark::direction`]).
    pub(super) fn is_input_wire(&self, e: &Expr) -> bool {
        /// The name of the wire `e` names, indices left out (`c.y` of `c[2].y`).
        fn wire_name(e: &Expr) -> Option<String> {
            match &e.kind {
                ExprKind::Name(id) => Some(id.name.clone()),
                ExprKind::Index { base, .. } => wire_name(base),
                ExprKind::Field { base, field } => {
                    Some(format!("{}.{}", wire_name(base)?, field.name))
                }
                _ => None,
            }
        }
        wire_name(e).is_some_and(|name| self.inputs.contains(&name))
    }

    fn declare_body(&mut self, items: &'a [BodyItem]) {
        for item in items {
            match item {
                BodyItem::Var(v) => {
                    self.declare_value(&v.name.name, &v.ty, v.dims.len());
                    if v.wire_dir == Some(ChanDir::Input) {
                        self.inputs.insert(v.name.name.clone());
                    }
                }
                BodyItem::Param(p) => {
                    self.names.insert(p.name.name.clone(), Sym::Param);
                }
                BodyItem::Instance(i) => {
                    let def = self.defs.get(i.process.name.as_str()).copied();
                    let sym = Sym::Instance {
                        def,
                        dims: i.dims.len(),
                    };
                    self.names.insert(i.name.name.clone(), sym);
                }
                BodyItem::Loop(l) => self.declare_body(&l.items),
                BodyItem::Conditional(c) | BodyItem::GenLoop(c) => {
                    for arm in &c.arms {
                        self.declare_body(&arm.items);
                    }
                }
                BodyItem::Lang(block) => {
                    if let LangBlock::Refine(r) = &**block {
                        self.declare_body(&r.body);
                    }
                }
                BodyItem::Connection(_)
                | BodyItem::PortList(_)
                | BodyItem::Chp(_)
                | BodyItem::Assert(_)
                | BodyItem::Attributes(_)
                | BodyItem::Print(..) => {}
            }
        }
    }

    /// Runs `f` with the variables declared among `items` (a refinement's overrides, see
    /// [`RefinedDecl`]) in place of those of the same names, which it then restores: a
    /// refinement's body sees its overrides' types, the rest of the process the originals.
    pub(super) fn with_declarations<T>(
        &mut self,
        items: &[&'a BodyItem],
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let mut hidden = Vec::new();
        for item in items {
            if let BodyItem::Var(v) = item {
                let name = &v.name.name;
                hidden.push((
                    name,
                    self.names.get(name).copied(),
                    self.inputs.contains(name),
                ));
            }
        }
        for item in items {
            if let BodyItem::Var(v) = item {
                self.declare_value(&v.name.name, &v.ty, v.dims.len());
            }
        }
        let result = f(self);
        for (name, sym, input) in hidden.into_iter().rev() {
            match sym {
                Some(sym) => self.names.insert(name.clone(), sym),
                None => self.names.remove(name),
            };
            if input {
                self.inputs.insert(name.clone());
            }
        }
        result
    }

    /// Whether `name` is declared.
    pub(super) fn contains(&self, name: &str) -> bool {
        self.names.contains_key(name)
    }

    /// Whether `name` is declared, or is the interface bundle of declared members (`p` of
    /// `p.req`).
    pub(super) fn knows(&self, name: &str) -> bool {
        self.contains(name)
            || (self.names.keys()).any(|n| n.strip_prefix(name).is_some_and(|r| r.starts_with('.')))
    }

    /// Runs `f` with the loop variable `var` declared; a variable that hides a name already
    /// declared is an error, as in ACT.
    pub(super) fn with_loop_var<T>(
        &mut self,
        var: &Ident,
        diags: &mut Vec<Diagnostic>,
        f: impl FnOnce(&mut Self, &mut Vec<Diagnostic>) -> T,
    ) -> T {
        if self.contains(&var.name) {
            diags.push(
                Diagnostic::error(
                    var.span.clone(),
                    format!(
                        "`{}` is already declared; a loop variable needs a new name",
                        var.name
                    ),
                )
                .with_label("already declared"),
            );
        }
        let hidden = self.names.insert(var.name.clone(), Sym::Param);
        let result = f(self, diags);
        match hidden {
            Some(sym) => self.names.insert(var.name.clone(), sym),
            None => self.names.remove(&var.name),
        };
        result
    }

    /// What `name` (a whole declared name, dots and all) is declared as.
    pub(super) fn symbol(&self, name: &str) -> Option<Sym<'a>> {
        self.names.get(name).copied()
    }

    /// What the reference `e` names, or the error that it names nothing.
    pub(super) fn resolve(&self, e: &Expr) -> Result<RefTy<'a>, Diagnostic> {
        if let Some(through_wires) = self.wire_path(e) {
            return through_wires;
        }
        match &e.kind {
            ExprKind::Name(id) => match self.names.get(&id.name) {
                Some(sym) => Ok(from_sym(*sym)),
                None => Err(self.unknown(id)),
            },
            ExprKind::Index { base, .. } | ExprKind::Slice { base, .. } => {
                // A range keeps the dimension it ranges over.
                let kept = usize::from(matches!(e.kind, ExprKind::Slice { .. }));
                if let Some(member) = e.bundle_element_member() {
                    if self.resolve(&member).is_ok() {
                        return self.resolve(&member);
                    }
                }
                if let ExprKind::Name(id) = &base.kind {
                    if let Some(Sym::Instance { dims: 1.., .. }) = self.names.get(&id.name) {
                        return Ok(RefTy::Instance);
                    }
                }
                match self.resolve(base)? {
                    // An element of a parameter array: elaboration checks its index.
                    RefTy::Param => Ok(RefTy::Param),
                    RefTy::Value { dims: 0, .. } | RefTy::Instance => Err(Diagnostic::error(
                        e.span.clone(),
                        format!("`{}` is not an array", show(base)),
                    )
                    .with_label("indexed, but declared without dimensions")),
                    RefTy::Value { ty, dims, own } => Ok(RefTy::Value {
                        ty,
                        dims: dims - 1 + kept,
                        own,
                    }),
                    RefTy::ChannelField { .. } | RefTy::Unknown => Ok(RefTy::Unknown),
                }
            }
            ExprKind::Field { base, field } => {
                if let ExprKind::Name(id) = &base.kind {
                    let member = format!("{}.{}", id.name, field.name);
                    if let Some(sym) = self.names.get(&member) {
                        return Ok(from_sym(*sym));
                    }
                }
                self.field(base, field)
            }
            _ => Ok(RefTy::Unknown),
        }
    }

    /// `base.field`: a port of an instance, or a field of a record.
    fn field(&self, base: &Expr, field: &Ident) -> Result<RefTy<'a>, Diagnostic> {
        let base_sym = match &base.kind {
            ExprKind::Name(id) => self.names.get(&id.name).copied(),
            ExprKind::Index { .. } => {
                // An element of an array of instances, indexed in each dimension.
                let (mut inner, mut indices) = (base, 0);
                while let ExprKind::Index { base, .. } = &inner.kind {
                    (inner, indices) = (base, indices + 1);
                }
                match &inner.kind {
                    ExprKind::Name(id) => match self.names.get(&id.name).copied() {
                        Some(Sym::Instance { def, dims }) if dims == indices => {
                            Some(Sym::Instance { def, dims: 0 })
                        }
                        _ => None,
                    },
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(Sym::Instance { def, dims }) = base_sym {
            let Some(def) = def else {
                return Ok(RefTy::Unknown);
            };
            if dims > 0 {
                return Err(Diagnostic::error(
                    base.span.clone(),
                    format!("`{}` is an array of instances; index it", show(base)),
                ));
            }
            return match def.ports.iter().find(|p| p.name.name == field.name) {
                Some(port) => Ok(RefTy::Value {
                    ty: &port.ty,
                    dims: port.dims.len(),
                    own: false,
                }),
                None if def
                    .ports
                    .iter()
                    .any(|p| p.bundle.as_ref().is_some_and(|b| b.name.name == field.name)) =>
                {
                    Ok(RefTy::Unknown)
                }
                None => Err(Diagnostic::error(
                    field.span.clone(),
                    format!("`{}` has no port `{}`", def.name.name, field.name),
                )
                .with_label("no such port")),
            };
        }
        match self.resolve(base)? {
            RefTy::Value { ty, dims: 0, own } => match &ty.kind {
                TypeKind::Record(record) => {
                    match record.def.fields.iter().find(|f| f.name.name == field.name) {
                        Some(f) => Ok(RefTy::Value {
                            ty: &f.ty,
                            dims: f.dims.len(),
                            own,
                        }),
                        None => Err(Diagnostic::error(
                            field.span.clone(),
                            format!("`{}` has no field `{}`", record.def.name.name, field.name),
                        )
                        .with_label("no such field")),
                    }
                }
                TypeKind::Chan {
                    data: Some(data), ..
                } if ty.named.is_none() && matches!(data.kind, TypeKind::Record(_)) => {
                    let TypeKind::Record(record) = &data.kind else {
                        return Ok(RefTy::Unknown);
                    };
                    match record.def.fields.iter().find(|f| f.name.name == field.name) {
                        Some(f) => Ok(RefTy::ChannelField { ty: &f.ty }),
                        None => Err(Diagnostic::error(
                            field.span.clone(),
                            format!("`{}` has no field `{}`", record.def.name.name, field.name),
                        )
                        .with_label("no such field")),
                    }
                }
                TypeKind::Chan { .. } if ty.named.is_none() => Err(Diagnostic::error(
                    field.span.clone(),
                    format!("`{}` is a channel; it has no fields", show(base)),
                )
                .with_label("no such field")),
                TypeKind::Bool | TypeKind::Int { .. } | TypeKind::Enum { .. }
                    if ty.named.is_none() =>
                {
                    Err(Diagnostic::error(
                        field.span.clone(),
                        format!("`{}` is of a built-in type; it has no ports", show(base)),
                    )
                    .with_label("`.` follows an object of a user-defined type only"))
                }
                // The fields of a user channel type (`defchan`) or of a type defined over
                // `bool` or `int` (`deftype t <: bool (...)`) are its implementation: chpsim
                // does not keep them.
                _ => Ok(RefTy::Unknown),
            },
            RefTy::Value { .. } => Err(Diagnostic::error(
                base.span.clone(),
                format!("`{}` is an array; index it", show(base)),
            )),
            RefTy::Param => Err(Diagnostic::error(
                base.span.clone(),
                format!("`{}` is a parameter; it has no fields", show(base)),
            )),
            RefTy::Instance | RefTy::ChannelField { .. } | RefTy::Unknown => Ok(RefTy::Unknown),
        }
    }

    /// The error for a name not declared, with the declared name nearest to it.
    pub(super) fn unknown(&self, id: &Ident) -> Diagnostic {
        let d = Diagnostic::error(id.span.clone(), format!("unknown name `{}`", id.name))
            .with_label("not declared");
        match did_you_mean(&id.name, self.names.keys().map(String::as_str)) {
            Some(hint) => d.with_hint(hint),
            None => d,
        }
    }
}

fn from_sym(sym: Sym<'_>) -> RefTy<'_> {
    match sym {
        Sym::Param => RefTy::Param,
        Sym::Value { ty, dims } => RefTy::Value {
            ty,
            dims,
            own: true,
        },
        Sym::Instance { .. } => RefTy::Instance,
    }
}

/// A reference as written, for messages.
pub(super) fn show(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Name(id) => id.name.clone(),
        ExprKind::Index { base, index } => format!("{}[{}]", show(base), show(index)),
        ExprKind::Slice { base, lo, hi } => {
            format!("{}[{}..{}]", show(base), show(lo), show(hi))
        }
        ExprKind::Field { base, field } => format!("{}.{}", show(base), field.name),
        ExprKind::Int(v) => v.to_string(),
        _ => "...".to_string(),
    }
}
