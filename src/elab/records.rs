//! Records (`deftype name (int<8> a; bool b) { }`): a record value is one unsigned integer, and
//! its fields are named bit ranges of it. Channels, the kernel and the interpreter only see
//! the integer; elaboration turns `s.a` into a bit range of `s`. The waveform shows a record
//! variable's fields one by one ([`Layout::scalar_fields`]).
//!
//! The first field takes the most significant bits, as in actsim: with `deftype s (int<4> x,
//! z)`, `x = 3` and `z = 1`, `int(s)` is `0x31`, and `s(0x42)` has `x = 4`, `z = 2`. Likewise
//! element 0 of an array field is the most significant part of the field.
use std::sync::Arc;

use super::consts::{bind_template, eval_const, ArgValue, Params};
use super::ir::{FieldBits, Ty};
use crate::diag::{did_you_mean, Diagnostic};
use crate::elab::types::{data_type, IntKind, IntKinds};
use crate::front::ast::{ArrayDim, FieldDecl, MacroDef, RecordDef, RecordType, TypeKind};

/// The widest record chpsim lays out, in bits (as for `int<W>`).
const MAX_RECORD_WIDTH: u64 = 1 << 20;

/// A record type with its widths evaluated.
#[derive(Debug, PartialEq)]
pub(crate) struct Layout {
    /// As users write the type, with its template arguments: `r`, `ns::r`, `cell<4>`. Two
    /// records are of the same type when their names are the same.
    pub name: String,
    /// The qualified name of its definition, after which its methods are named (`ns::r.f`).
    pub def_name: String,
    /// The values of its template parameters, which its method functions get as their first.
    pub template_args: Vec<i64>,
    pub width: u32,
    fields: Vec<Field>,
    /// Names of the methods (functions and macros) its definition declares, and those of the
    /// records it refines.
    pub methods: Vec<String>,
    /// The definitions its methods come from: its own, then those of the records it refines,
    /// nearest first (a refinement inherits its parent's methods).
    pub sources: Vec<MethodSource>,
    /// The names of the records it refines (`deftype b <: a (...)`), nearest first, as
    /// [`Layout::name`] writes them: an object of one of those connects to one of this.
    pub ancestors: Vec<String>,
}

/// A record definition whose methods a record has, with the values of its template
/// parameters there (`fixpoint` with 4 and 0 for `sint<4>` of `deftype sint <: fixpoint<W,0>`).
#[derive(Debug, PartialEq)]
pub(crate) struct MethodSource {
    pub def: Arc<RecordDef>,
    pub template_args: Vec<i64>,
}

impl MethodSource {
    /// The parameters the definition's methods see: `params` with its template parameters
    /// set to their values here.
    pub(crate) fn params(&self, params: &Params) -> Params {
        let def = &self.def;
        let what = format!("record `{}`", def.name.name);
        let span = &def.name.span;
        bind_template(
            &what,
            &def.template_params,
            &int_args(&self.template_args),
            params.clone(),
            span,
            span,
        )
        .unwrap_or_else(|_| params.clone())
    }
}

/// One field: `count` elements of `elem` (1 unless it is an array), in bits
/// `offset .. offset + count * elem.width()`; an array field's elements row by row.
#[derive(Debug, PartialEq)]
pub(crate) struct Field {
    pub name: String,
    pub elem: Elem,
    /// `(lo, len)` of each dimension of an array field `x[N]` / `x[lo..hi]` / `x[N][M]`,
    /// outermost first (none for a plain field).
    pub dims: Vec<(i64, usize)>,
    /// For an `enum<N>` field, N: a value stored there must be below it.
    pub enum_size: Option<u64>,
    /// Its kind of integer (`ints`, `enum<N>`), which a connection to it compares.
    pub kind: IntKind,
    offset: u32,
}

/// The type of a field (of each element of an array field).
#[derive(Debug, PartialEq)]
pub(crate) enum Elem {
    Data(Ty),
    Record(Arc<Layout>),
}

impl Elem {
    pub(crate) fn ty(&self) -> Ty {
        match self {
            Elem::Data(ty) => *ty,
            Elem::Record(layout) => Ty::Int(layout.width),
        }
    }
}

impl Field {
    /// How many elements it has (1 for a plain field).
    pub(crate) fn count(&self) -> usize {
        self.dims.iter().map(|d| d.1).product()
    }

    /// The lowest bit of element `k` (counted from 0, row by row; 0 for a plain field).
    pub(crate) fn element_offset(&self, k: usize) -> u32 {
        self.offset + (self.count() - 1 - k) as u32 * self.elem.ty().width()
    }

    /// The indices of element `k`, as written after the field's name: `[1][2]`.
    pub(crate) fn element_suffix(&self, mut k: usize) -> String {
        let mut indices = vec![0; self.dims.len()];
        for (slot, &(lo, len)) in indices.iter_mut().zip(&self.dims).rev() {
            *slot = lo + (k % len) as i64;
            k /= len;
        }
        indices.iter().map(|i| format!("[{i}]")).collect()
    }
}

impl Layout {
    /// The field names, in declaration order.
    pub(crate) fn field_names(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|f| f.name.as_str())
    }

    pub(crate) fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The scalar fields, depth first in declaration order (a nested record's fields under its
    /// name, `q.a`; an array field's elements by index, `v[2]`), with their bit ranges. Fields
    /// of no bits carry nothing and are left out.
    pub(crate) fn scalar_fields(&self) -> Vec<FieldBits> {
        let mut out = Vec::new();
        self.push_scalar_fields("", 0, &mut out);
        out
    }

    fn push_scalar_fields(&self, prefix: &str, base: u32, out: &mut Vec<FieldBits>) {
        for field in &self.fields {
            for k in 0..field.count() {
                let name = format!("{prefix}{}{}", field.name, field.element_suffix(k));
                let offset = base + field.element_offset(k);
                match &field.elem {
                    Elem::Record(inner) => {
                        inner.push_scalar_fields(&format!("{name}."), offset, out)
                    }
                    Elem::Data(ty) if ty.width() > 0 => out.push(FieldBits {
                        name,
                        lo: offset,
                        ty: *ty,
                    }),
                    Elem::Data(_) => {}
                }
            }
        }
    }

    /// "did you mean" among the field names.
    pub(crate) fn field_hint(&self, name: &str) -> String {
        let names = self.fields.iter().map(|f| f.name.as_str());
        did_you_mean(name, names.clone()).unwrap_or_else(|| {
            let all: Vec<&str> = names.collect();
            if all.is_empty() {
                format!("`{}` has no fields", self.name)
            } else {
                format!("the fields of `{}` are: {}", self.name, all.join(", "))
            }
        })
    }
}

/// The N of an `enum<N>` type (checked by `data_type`), for a variable or field of that type.
pub(crate) fn enum_size(ty: &crate::front::ast::Type, params: &Params) -> Option<u64> {
    match &ty.kind {
        TypeKind::Enum { size } => eval_const(size, params).ok().map(|n| n as u64),
        _ => None,
    }
}

/// Lays out `record` with the widths its fields have under `params` and its template
/// arguments (evaluated in `params`); errors go to `diags`.
pub(crate) fn layout(
    record: &RecordType,
    params: &Params,
    diags: &mut Vec<Diagnostic>,
) -> Option<Arc<Layout>> {
    let def = &record.def;
    let (bound, template_args) = bind_arguments(record, params, diags)?;
    let params = bound.as_ref().unwrap_or(params);
    let mut fields = lay_fields(def, params, diags)?;
    let width = place_fields(&mut fields, def, diags)?;
    let (ancestors, sources) = ancestors(record, &template_args, params);
    Some(Arc::new(Layout {
        name: type_name(def, &template_args),
        def_name: def.name.name.clone(),
        template_args,
        width,
        fields,
        methods: (sources.iter())
            .flat_map(|s| s.def.methods.iter().map(|m| m.name.clone()))
            .collect(),
        sources,
        ancestors,
    }))
}

impl Layout {
    /// Macro `name` of the record (its own, or else one it inherits), with its source.
    pub(crate) fn find_macro(&self, name: &str) -> Option<(&MacroDef, &MethodSource)> {
        self.sources.iter().find_map(|source| {
            let found = source.def.macros.iter().find(|m| m.name.name == name)?;
            Some((found, source))
        })
    }
}

/// The names of the records `record` refines, nearest first, its arguments in place, and the
/// method sources of `record` (`template_args` its own values), then of each of them.
fn ancestors(
    record: &RecordType,
    template_args: &[i64],
    params: &Params,
) -> (Vec<String>, Vec<MethodSource>) {
    let mut names = Vec::new();
    let mut sources = vec![MethodSource {
        def: record.def.clone(),
        template_args: template_args.to_vec(),
    }];
    let mut parent = record.parent();
    while let Some(p) = parent {
        names.push(record_type_name(&p, params));
        if let Some((_, template_args)) = bind_arguments(&p, params, &mut Vec::new()) {
            let def = p.def.clone();
            sources.push(MethodSource { def, template_args });
        }
        parent = p.parent();
    }
    (names, sources)
}

/// The parameters the fields of `record` see where it is used under `params`: those, with its
/// template parameters bound to its arguments (`None` when they are wrong, reported in `diags`).
pub(crate) fn field_params(
    record: &RecordType,
    params: &Params,
    diags: &mut Vec<Diagnostic>,
) -> Option<Params> {
    let (bound, _) = bind_arguments(record, params, diags)?;
    Some(bound.unwrap_or_else(|| params.clone()))
}

/// The name of `record`'s type as messages show it (`rw`, `cell<4,2>`); the bare name when
/// its template arguments are in error (reported where the type is laid out).
pub(crate) fn record_type_name(record: &RecordType, params: &Params) -> String {
    match bind_arguments(record, params, &mut Vec::new()) {
        Some((_, template_args)) => type_name(&record.def, &template_args),
        None => record.def.name.name.clone(),
    }
}

/// The values of a record's template arguments, in the order of its parameters (defaults
/// filled in), and the parameters its fields see (`None`: those of the user, `params`, for a
/// record without a template).
fn bind_arguments(
    record: &RecordType,
    params: &Params,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Option<Params>, Vec<i64>)> {
    let def = &record.def;
    let mut template_args = Vec::with_capacity(record.args.len());
    for arg in &record.args {
        template_args.push(eval_const(arg, params).map_err(|d| diags.push(d)).ok()?);
    }
    if def.template_params.is_empty() && template_args.is_empty() {
        return Some((None, template_args));
    }
    let what = format!("record `{}`", def.name.name);
    let span = record
        .args
        .first()
        .map_or(def.name.span.clone(), |a| a.span.clone());
    let bound = bind_template(
        &what,
        &def.template_params,
        &int_args(&template_args),
        params.clone(),
        &span,
        &def.name.span,
    )
    .map_err(|d| diags.push(d))
    .ok()?;
    let template_args = (def.template_params.iter())
        .map(|p| bound.get(&p.name.name).expect("bound"))
        .collect();
    Some((Some(bound), template_args))
}

/// Every field of `def` with its type and array bounds (offsets not yet set); `None` when one
/// of them is wrong (all are reported).
fn lay_fields(def: &RecordDef, params: &Params, diags: &mut Vec<Diagnostic>) -> Option<Vec<Field>> {
    // A field's width may read an earlier field's (`int<2*bitwidth(x)> y`).
    let mut params = params.clone();
    let fields: Vec<Option<Field>> = (def.fields.iter())
        .map(|decl| {
            let field = lay_field(decl, &params, diags);
            if let Some(field) = field.as_ref().filter(|f| f.dims.is_empty()) {
                params.declare_width(&decl.name.name, field.elem.ty().width());
            }
            field
        })
        .collect();
    fields.into_iter().collect()
}

fn lay_field(decl: &FieldDecl, params: &Params, diags: &mut Vec<Diagnostic>) -> Option<Field> {
    let elem = match &decl.ty.kind {
        TypeKind::Record(inner) => layout(inner, params, diags).map(Elem::Record),
        _ => data_type(&decl.ty, params, diags).map(Elem::Data),
    };
    let dims: Option<Vec<(i64, usize)>> = (decl.dims.iter())
        .map(|dim| array_bounds(dim, params, diags))
        .collect();
    let dims = dims?;
    if dims.iter().map(|d| d.1 as u64).product::<u64>() > MAX_RECORD_WIDTH {
        diags.push(
            Diagnostic::error(
                decl.name.span.clone(),
                "an array field has too many elements",
            )
            .with_label("bad size"),
        );
        return None;
    }
    Some(Field {
        name: decl.name.name.clone(),
        elem: elem?,
        dims,
        enum_size: enum_size(&decl.ty, params),
        kind: IntKinds::of(&decl.ty, params).data,
        offset: 0,
    })
}

/// Sets each field's offset, the last field taking the least significant bits, and returns
/// the record's width (`None`, reported, when it is too wide).
fn place_fields(fields: &mut [Field], def: &RecordDef, diags: &mut Vec<Diagnostic>) -> Option<u32> {
    let mut width: u64 = 0;
    for field in fields.iter_mut().rev() {
        field.offset = width as u32;
        let count = field.count() as u64;
        width += count * u64::from(field.elem.ty().width());
        if width > MAX_RECORD_WIDTH {
            diags.push(Diagnostic::error(
                def.name.span.clone(),
                format!(
                    "record `{}` is wider than {MAX_RECORD_WIDTH} bits",
                    def.name.name
                ),
            ));
            return None;
        }
    }
    Some(width as u32)
}

/// The record's type as users write it: `r`, or `cell<4>` with its template arguments.
fn type_name(def: &RecordDef, template_args: &[i64]) -> String {
    if template_args.is_empty() {
        def.name.name.clone()
    } else {
        let args: Vec<String> = template_args.iter().map(i64::to_string).collect();
        format!("{}<{}>", def.name.name, args.join(","))
    }
}

/// `(lo, len)` of an array field's dimension.
fn array_bounds(
    dim: &ArrayDim,
    params: &Params,
    diags: &mut Vec<Diagnostic>,
) -> Option<(i64, usize)> {
    let (lo, hi, span) = match dim {
        ArrayDim::Size(n) => (Ok(0), eval_const(n, params).map(|n| n - 1), n.span.clone()),
        ArrayDim::Range(lo, hi) => (
            eval_const(lo, params),
            eval_const(hi, params),
            lo.span.start..hi.span.end,
        ),
    };
    let (lo, hi) = match (lo, hi) {
        (Ok(lo), Ok(hi)) => (lo, hi),
        (Err(d), _) | (_, Err(d)) => {
            diags.push(d);
            return None;
        }
    };
    match hi.checked_sub(lo).map(|d| d + 1) {
        Some(len @ 1..=65536) => Some((lo, len as usize)),
        _ => {
            diags.push(
                Diagnostic::error(span, "an array field needs between 1 and 65536 elements")
                    .with_label("bad size"),
            );
            None
        }
    }
}

/// A record's template arguments (integers) as the values [`bind_template`] binds.
fn int_args(args: &[i64]) -> Vec<ArgValue> {
    args.iter().copied().map(ArgValue::Int).collect()
}
