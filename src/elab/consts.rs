//! Compile-time expressions: template parameters, widths, array sizes, loop bounds.
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use super::const_ops::{
    fold_replicated, int_binary, not_on_reals, real_binary, replication_identity,
};
pub(crate) use super::param_array::ParamArray;
use super::param_array::{array_value, element_value};
use super::param_fn::ParamFunctions;
use super::types::MAX_ARRAY;
use crate::diag::Diagnostic;
use crate::front::ast::{
    BinaryOp, CastTo, Expr, ExprKind, Ident, IterRange, ParamDecl, ParamKind, PstructDef, Span,
    UnaryOp,
};

/// A parameter's value: a `pint` or a `pbool` (0 or 1) is an integer, a `preal` a real.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Value {
    Int(i64),
    Real(f64),
}

impl Value {
    /// The value as a real: an integer converts (ACT's `pint` to `preal`).
    pub(crate) fn as_real(self) -> f64 {
        match self {
            Value::Int(v) => v as f64,
            Value::Real(r) => r,
        }
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Int(v) => write!(f, "{v}"),
            Value::Real(r) => write!(f, "{r:?}"),
        }
    }
}

/// The value of a process's template argument, part of what names an instance of it
/// (`foo<4>`, `foo<2.5>`, `foo<3,{1,2,3}>`): an integer (or Boolean), a real (by its bits, so
/// that arguments compare and hash), or the elements of a parameter array.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ArgValue {
    Int(i64),
    Real(u64),
    Array(Vec<ArgValue>),
    /// A process type (`@foo<4>` to a `ptype` parameter): its qualified name and arguments.
    Process(String, Vec<ArgValue>),
    /// A data type (`@myint` to a `ptype` parameter): the record's qualified name and
    /// arguments.
    Record(String, Vec<ArgValue>),
}

impl ArgValue {
    pub(crate) fn of(value: Value) -> ArgValue {
        match value {
            Value::Int(v) => ArgValue::Int(v),
            Value::Real(r) => ArgValue::Real(r.to_bits()),
        }
    }

    /// The scalar value, `None` for an array.
    pub(crate) fn value(&self) -> Option<Value> {
        match self {
            ArgValue::Int(v) => Some(Value::Int(*v)),
            ArgValue::Real(bits) => Some(Value::Real(f64::from_bits(*bits))),
            ArgValue::Array(_) | ArgValue::Process(..) | ArgValue::Record(..) => None,
        }
    }
}

impl std::fmt::Display for ArgValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ArgValue::Array(elements) => {
                let parts: Vec<String> = elements.iter().map(ToString::to_string).collect();
                write!(f, "{{{}}}", parts.join(","))
            }
            ArgValue::Process(name, args) | ArgValue::Record(name, args) => {
                let parts: Vec<String> = args.iter().map(ToString::to_string).collect();
                write!(f, "@{name}<{}>", parts.join(","))
            }
            scalar => write!(f, "{}", scalar.value().expect("a scalar")),
        }
    }
}

/// Parameter and loop-variable values in scope (pint, pbool as 0 or 1, preal).
#[derive(Clone, Debug, Default)]
pub(crate) struct Params {
    values: HashMap<String, Value>,
    /// Parameter arrays (`pint x[4];`), each element set once.
    arrays: HashMap<String, ParamArray>,
    /// Parameters declared without a value (`pint x;`), to be set once by `x = e;`.
    unset: HashSet<String>,
    /// Parameters whose value failed to evaluate (already reported): their uses report nothing.
    failed: HashSet<String>,
    /// The names declared `pbool` (the others are `pint`s and loop variables): a condition
    /// on parameters must be Boolean.
    bools: HashSet<String>,
    /// The names declared `preal`: an integer given to one becomes a real.
    reals: HashSet<String>,
    /// The functions of parameters a constant expression may call (`f(4)` of `function f
    /// (pint x) : pint`), with the namespace the expression is written in.
    functions: Option<Rc<ParamFunctions>>,
    scope: Rc<str>,
    /// In the `chp` of a function of parameters, where ACT compares an integer with a real
    /// (elsewhere it is a type error).
    in_function: bool,
    /// The names of the file scope's parameters: once set, they keep their value (ACT's
    /// global parameters are immutable; a process's own may be set again).
    immutable: HashSet<String>,
    /// The `ptype` parameters in scope.
    ptypes: HashMap<String, Ptype>,
    /// The parameters of a structure type (`defptype`) in scope: their fields are the
    /// parameters `x.field`.
    structs: HashMap<String, Arc<PstructDef>>,
    /// The bit widths of the data variables declared so far (a record's: all its bits), which
    /// `bitwidth(x)` in a constant expression reads.
    widths: HashMap<String, u32>,
}

/// A `ptype(iface<args>)` parameter: the interface (its qualified name and arguments) and the
/// process type it holds once set ([`ArgValue::Process`]).
#[derive(Clone, Debug)]
pub(crate) struct Ptype {
    pub iface: (String, Vec<ArgValue>),
    pub value: Option<ArgValue>,
}

/// What a loop variable hid while it was bound (see [`Params::bind`]).
#[must_use = "restore the shadowed value with Params::unbind"]
pub(crate) struct Shadowed(Option<Value>);

impl Params {
    /// The value of the integer (or Boolean) parameter `name`.
    pub(crate) fn get(&self, name: &str) -> Option<i64> {
        match self.values.get(name) {
            Some(Value::Int(v)) => Some(*v),
            _ => None,
        }
    }

    /// Every integer (and Boolean) parameter with a value, and the value.
    pub(crate) fn ints(&self) -> impl Iterator<Item = (&str, i64)> {
        (self.values.iter()).filter_map(|(name, value)| match value {
            Value::Int(v) => Some((name.as_str(), *v)),
            Value::Real(_) => None,
        })
    }

    /// Records that the data variable `name` is `width` bits wide (for `bitwidth(name)`).
    pub(crate) fn declare_width(&mut self, name: &str, width: u32) {
        self.widths.insert(name.to_string(), width);
    }

    /// The width of the data variable `name`, if one was declared.
    pub(crate) fn width(&self, name: &str) -> Option<u32> {
        self.widths.get(name).copied()
    }

    /// The value of parameter `name`, of any kind.
    pub(crate) fn value(&self, name: &str) -> Option<Value> {
        self.values.get(name).copied()
    }

    /// The structure type of parameter `name`, if it is of one.
    pub(crate) fn pstruct(&self, name: &str) -> Option<&Arc<PstructDef>> {
        self.structs.get(name)
    }

    /// Declares `name` a parameter of structure type `def`, its fields `name.f` unset.
    pub(crate) fn declare_struct(&mut self, name: &str, def: &Arc<PstructDef>) {
        self.set_kind(name, ParamKind::Pstruct);
        self.values.remove(name);
        for (field, kind) in &def.fields {
            let member = format!("{name}.{field}");
            self.set_kind(&member, *kind);
            self.values.remove(&member);
            self.failed.remove(&member);
            self.declare_unset(&member);
        }
        self.structs.insert(name.to_string(), def.clone());
    }

    /// The `ptype` parameter `name`, if there is one in scope.
    pub(crate) fn ptype(&self, name: &str) -> Option<&Ptype> {
        self.ptypes.get(name)
    }

    /// Declares the `ptype` parameter `name` (hiding any other parameter of that name).
    pub(crate) fn declare_ptype(&mut self, name: &str, ptype: Ptype) {
        self.values.remove(name);
        self.arrays.remove(name);
        self.ptypes.insert(name.to_string(), ptype);
    }

    /// Whether `name` is a parameter with a value (of any kind).
    pub(crate) fn has_value(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    /// Sets `name` to `value`, a real if `name` is a `preal`.
    pub(crate) fn set_value(&mut self, name: &str, value: Value) {
        let value = match self.reals.contains(name) {
            true => Value::Real(value.as_real()),
            false => value,
        };
        self.values.insert(name.to_string(), value);
    }

    /// Whether `name` is a `preal`.
    pub(crate) fn is_real(&self, name: &str) -> bool {
        self.reals.contains(name)
    }

    /// Lets constant expressions call the functions of parameters in `functions`.
    pub(crate) fn with_functions(&mut self, functions: Rc<ParamFunctions>) {
        self.functions = Some(functions);
    }

    pub(crate) fn functions(&self) -> Option<&Rc<ParamFunctions>> {
        self.functions.as_ref()
    }

    /// The namespace scope names are written in (a process's qualified name, see
    /// [`crate::front::ast::scoped_names`]).
    pub(crate) fn set_scope(&mut self, scope: &str) {
        self.scope = scope.into();
    }

    pub(crate) fn scope(&self) -> &str {
        &self.scope
    }

    /// Enters the `chp` of a function of parameters (see `in_function`).
    pub(crate) fn enter_function(&mut self) {
        self.in_function = true;
    }

    /// The parameters of the file scope alone (what a function sees), with the functions.
    pub(crate) fn file_scope(&self) -> Params {
        let mut file = Params {
            functions: self.functions.clone(),
            ..Params::default()
        };
        for name in &self.immutable {
            if let Some(v) = self.values.get(name) {
                file.values.insert(name.clone(), *v);
            }
            if let Some(a) = self.arrays.get(name) {
                file.arrays.insert(name.clone(), a.clone());
            }
            if self.bools.contains(name) {
                file.bools.insert(name.clone());
            }
            if self.reals.contains(name) {
                file.reals.insert(name.clone());
            }
        }
        file.immutable = self.immutable.clone();
        file
    }

    /// Binds a loop variable, hiding a parameter of the same name until [`Params::unbind`].
    pub(crate) fn bind(&mut self, name: &str, value: i64) -> Shadowed {
        Shadowed(self.values.insert(name.to_string(), Value::Int(value)))
    }

    /// Ends a loop variable's scope: the parameter it hid, if any, is visible again.
    pub(crate) fn unbind(&mut self, name: &str, shadowed: Shadowed) {
        match shadowed.0 {
            Some(v) => self.values.insert(name.to_string(), v),
            None => self.values.remove(name),
        };
    }

    /// Declares `pint name;`: it gets its value from a later `name = e;`.
    pub(crate) fn declare_unset(&mut self, name: &str) {
        self.unset.insert(name.to_string());
    }

    /// Declares the parameter array `pint name[..]..;` of bounds `dims` (`(lo, len)` of each
    /// dimension), all elements unset.
    pub(crate) fn declare_array(&mut self, name: &str, dims: Vec<(i64, usize)>) {
        self.arrays.insert(name.to_string(), ParamArray::new(dims));
    }

    /// Whether `name` is a parameter declared without a value that has none yet.
    pub(crate) fn is_unset(&self, name: &str) -> bool {
        self.unset.contains(name) && !self.values.contains_key(name)
    }

    /// Gives `pint name;` its value.
    pub(crate) fn set_declared(&mut self, name: &str, value: Value) {
        self.unset.remove(name);
        self.set_value(name, value);
    }

    pub(crate) fn array(&self, name: &str) -> Option<&ParamArray> {
        self.arrays.get(name)
    }

    pub(crate) fn array_mut(&mut self, name: &str) -> Option<&mut ParamArray> {
        self.arrays.get_mut(name)
    }

    /// Makes every parameter set so far immutable: the file scope's, as a process sees them.
    pub(crate) fn freeze(&mut self) {
        self.immutable.extend(self.values.keys().cloned());
        self.immutable.extend(self.arrays.keys().cloned());
    }

    /// Whether `name` is a parameter of the file scope, which cannot be set again.
    pub(crate) fn is_immutable(&self, name: &str) -> bool {
        self.immutable.contains(name)
    }

    /// Records that `name` is a `pbool`, or with `false` that it is not (a `pint` hiding one).
    /// It is declared here: a parameter of the file scope of that name is hidden.
    pub(crate) fn set_kind(&mut self, name: &str, kind: ParamKind) {
        self.immutable.remove(name);
        self.bools.remove(name);
        self.reals.remove(name);
        self.ptypes.remove(name);
        self.structs.remove(name);
        match kind {
            ParamKind::Pbool => self.bools.insert(name.to_string()),
            ParamKind::Preal => self.reals.insert(name.to_string()),
            ParamKind::Pint | ParamKind::Ptype | ParamKind::Pstruct => false,
        };
    }

    /// Whether `name` is a `pbool`.
    pub(crate) fn is_bool(&self, name: &str) -> bool {
        self.bools.contains(name)
    }

    /// Records that parameter `name` has no value because its definition failed.
    pub(crate) fn mark_failed(&mut self, name: &str) {
        self.failed.insert(name.to_string());
    }

    /// Whether `name` is a parameter whose definition failed (and was reported).
    pub(crate) fn has_failed(&self, name: &str) -> bool {
        !self.values.contains_key(name) && self.failed.contains(name)
    }
}

/// `params` with the template parameters `declared` of `what` (`function `f``, `record
/// `r``) set to `args` (a parameter array's to an array), or to their defaults when `args`
/// is shorter. `use_span` is where it is used, `def_span` where it is defined.
pub(crate) fn bind_template(
    what: &str,
    declared: &[ParamDecl],
    args: &[ArgValue],
    mut params: Params,
    use_span: &Span,
    def_span: &Span,
) -> Result<Params, Diagnostic> {
    let required = declared.iter().filter(|p| p.value.is_none()).count();
    if args.len() > declared.len() || args.len() < required {
        return Err(Diagnostic::error(
            use_span.clone(),
            format!(
                "{what} takes {} template argument(s), but {} were given",
                declared.len(),
                args.len()
            ),
        )
        .with_note(def_span.clone(), "defined here"));
    }
    for (i, p) in declared.iter().enumerate() {
        let value = match (args.get(i), &p.value) {
            (Some(v), _) => v.clone(),
            (None, Some(default)) => eval_template_arg(default, Some(p), &params)?,
            (None, None) => unreachable!("counted as required"),
        };
        super::structure::bind_param(p, value, &mut params)
            .map_err(|message| Diagnostic::error(use_span.clone(), message))?;
    }
    Ok(params)
}

/// The value of template argument `e` for the parameter `param` (`None` past the declared
/// ones: the count is checked where the arguments are bound): a scalar, or for a parameter
/// array the elements of `{a, b, ...}` or of the parameter array `e` names.
pub(crate) fn eval_template_arg(
    e: &Expr,
    param: Option<&ParamDecl>,
    params: &Params,
) -> Result<ArgValue, Diagnostic> {
    if param.is_none_or(|p| p.dims.is_empty()) {
        return eval_value(e, params).map(ArgValue::of);
    }
    array_value(e, params)
}

/// ACT's error for `x.f` of a structure that has no field `f`.
fn no_field(def: &PstructDef, field: &Ident) -> Diagnostic {
    Diagnostic::error(
        field.span.clone(),
        format!("`{}` has no field `{}`", def.name.name, field.name),
    )
    .with_label("not a field")
}

/// The value of a parameter of a structure type that `e` stands for: the structure and the
/// value of each field. `e` is a parameter of a structure type (every field set) or
/// `T(a, b)` (each value a constant).
pub(crate) fn eval_struct(
    e: &Expr,
    params: &Params,
) -> Result<(Arc<PstructDef>, Vec<Value>), Diagnostic> {
    match &e.kind {
        ExprKind::PstructOf { def, args } => {
            let values = args
                .iter()
                .map(|a| eval_value(a, params))
                .collect::<Result<_, _>>()?;
            Ok((def.clone(), values))
        }
        ExprKind::Name(id) if params.pstruct(&id.name).is_some() => {
            let def = params.pstruct(&id.name).expect("matched").clone();
            let values = (def.fields.iter())
                .map(|(field, _)| {
                    let member = format!("{}.{field}", id.name);
                    params.value(&member).ok_or_else(|| {
                        Diagnostic::error(e.span.clone(), format!("`{member}` has no value here"))
                            .with_label("a field is not set")
                            .with_hint(format!("set it before this use: `{member} = ...;`"))
                    })
                })
                .collect::<Result<_, _>>()?;
            Ok((def, values))
        }
        _ => Err(Diagnostic::error(
            e.span.clone(),
            "expected a parameter structure: a parameter of a `defptype` type or `T(a, b, ...)`",
        )
        .with_label("not a parameter structure")),
    }
}

/// `b.N` (and `a.b.N`) as one name, for a parameter of an instance or a field of a parameter
/// structure; `None` for another form.
pub(crate) fn dotted_name(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Name(id) => Some(id.name.clone()),
        ExprKind::Field { base, field } => Some(format!("{}.{}", dotted_name(base)?, field.name)),
        _ => None,
    }
}

/// Evaluates a compile-time integer expression.
pub(crate) fn eval_const(e: &Expr, params: &Params) -> Result<i64, Diagnostic> {
    match eval_value(e, params)? {
        Value::Int(v) => Ok(v),
        Value::Real(_) => Err(Diagnostic::error(
            e.span.clone(),
            "expected an integer, found a real value",
        )
        .with_label("a `preal` value")
        .with_hint("convert it with `int(...)`")),
    }
}

/// Evaluates a compile-time expression: an integer (a Boolean is 0 or 1) or a real.
pub(crate) fn eval_value(e: &Expr, params: &Params) -> Result<Value, Diagnostic> {
    let overflow = || Diagnostic::error(e.span.clone(), "constant expression overflows 64 bits");
    match &e.kind {
        ExprKind::Int(v) => i64::try_from(v.clone()).map(Value::Int).map_err(|_| {
            Diagnostic::error(
                e.span.clone(),
                "constant too large for a parameter (more than 63 bits)",
            )
        }),
        ExprKind::Real(text) => text.parse().map(Value::Real).map_err(|_| {
            Diagnostic::error(e.span.clone(), format!("`{text}` is not a real number"))
        }),
        ExprKind::Bool(b) => Ok(Value::Int(i64::from(*b))),
        ExprKind::Name(id) if params.has_failed(&id.name) => Err(Diagnostic::echo(id.span.clone())),
        ExprKind::Name(id) if !params.has_value(&id.name) && params.is_unset(&id.name) => {
            Err(Diagnostic::error(
                id.span.clone(),
                format!("parameter `{}` has no value here", id.name),
            )
            .with_hint(format!("set it before this use: `{} = ...;`", id.name)))
        }
        ExprKind::Name(id) if !params.has_value(&id.name) && params.array(&id.name).is_some() => {
            Err(Diagnostic::error(
                id.span.clone(),
                format!("`{}` is a parameter array; index it", id.name),
            ))
        }
        ExprKind::Index { .. } => element_value(e, params).unwrap_or_else(|| {
            Err(
                Diagnostic::error(e.span.clone(), "expected a constant expression")
                    .with_label("not known at compile time"),
            )
        }),
        ExprKind::Name(id) => params.value(&id.name).ok_or_else(|| {
            Diagnostic::error(
                id.span.clone(),
                format!("`{}` is not a parameter or constant", id.name),
            )
            .with_label("must be known at compile time here")
        }),
        // `T(1, 2).a`: a field of a structure's value.
        ExprKind::Field { base, field } if matches!(base.kind, ExprKind::PstructOf { .. }) => {
            let ExprKind::PstructOf { def, args } = &base.kind else {
                unreachable!("matched")
            };
            match def.fields.iter().position(|(f, _)| f == &field.name) {
                Some(i) => eval_value(&args[i], params),
                None => Err(no_field(def, field)),
            }
        }
        // `b.N`: a template parameter of the instance `b`, or a field of a parameter of a
        // structure type.
        ExprKind::Field { .. } if dotted_name(e).is_some_and(|n| params.has_value(&n)) => {
            let name = dotted_name(e).expect("matched");
            Ok(params.value(&name).expect("matched"))
        }
        ExprKind::Field { .. } if dotted_name(e).is_some_and(|n| params.has_failed(&n)) => {
            Err(Diagnostic::echo(e.span.clone()))
        }
        ExprKind::Field { .. } if dotted_name(e).is_some_and(|n| params.is_unset(&n)) => Err(
            Diagnostic::error(e.span.clone(), format!("`{e}` has no value here"))
                .with_label("uninitialized")
                .with_hint(format!("set it before this use: `{e} = ...;`")),
        ),
        ExprKind::Unary { op, operand } => match (op, eval_value(operand, params)?) {
            (UnaryOp::Neg, Value::Int(v)) => v.checked_neg().map(Value::Int).ok_or_else(overflow),
            (UnaryOp::Neg, Value::Real(r)) => Ok(Value::Real(-r)),
            (UnaryOp::Not, Value::Int(v)) => Ok(Value::Int(i64::from(v == 0))),
            (UnaryOp::Not, Value::Real(_)) => Err(not_on_reals(e, "~")),
        },
        ExprKind::Binary { op, lhs, rhs } => {
            let a = eval_value(lhs, params)?;
            let b = eval_value(rhs, params)?;
            match (a, b) {
                (Value::Int(a), Value::Int(b)) => int_binary(*op, a, b, e, rhs).map(Value::Int),
                (Value::Int(_), Value::Real(_)) | (Value::Real(_), Value::Int(_))
                    if op.is_comparison() && !params.in_function =>
                {
                    Err(
                        Diagnostic::error(e.span.clone(), "cannot compare an integer with a real")
                            .with_label("a `pint` and a `preal`")
                            .with_hint("convert one side: `int(r)`, or `1.0 * n`"),
                    )
                }
                _ => real_binary(*op, a.as_real(), b.as_real(), e, rhs),
            }
        }
        ExprKind::Conditional {
            cond,
            then,
            otherwise,
        } => match eval_const(cond, params)? != 0 {
            true => eval_value(then, params),
            false => eval_value(otherwise, params),
        },
        ExprKind::Cast {
            to: CastTo::Int,
            value,
            width,
        } => {
            let v = match eval_value(value, params)? {
                Value::Int(v) => v,
                // As C converts: toward zero.
                Value::Real(r) => r as i64,
            };
            match width {
                None => Ok(Value::Int(v)),
                Some(w) => {
                    let w = eval_const(w, params)?;
                    Ok(Value::Int(match w {
                        1..=63 => v & ((1i64 << w) - 1),
                        _ => v,
                    }))
                }
            }
        }
        ExprKind::Call {
            func,
            template_args,
            args,
        } if func.name == "bitwidth" && template_args.is_empty() => match args.as_slice() {
            [arg] => super::const_width::bitwidth(arg, params).map(Value::Int),
            _ => Err(Diagnostic::error(
                e.span.clone(),
                "`bitwidth` takes one argument: a variable or an expression",
            )),
        },
        ExprKind::Call {
            func,
            template_args,
            args,
        } => match params.functions() {
            Some(functions) => functions.call(func, template_args, args, &e.span, params),
            None => Err(
                Diagnostic::error(e.span.clone(), "expected a constant expression")
                    .with_label("not known at compile time"),
            ),
        },
        ExprKind::Replicated {
            op,
            var,
            range,
            body,
        } => {
            let (lo, hi) = const_range(range, params)?;
            let mut scope = params.clone();
            let mut acc: Option<i64> = None;
            for i in lo..=hi {
                let shadowed = scope.bind(&var.name, i);
                let v = eval_const(body, &scope)?;
                scope.unbind(&var.name, shadowed);
                acc = Some(match acc {
                    None => v,
                    Some(a) => fold_replicated(*op, a, v).ok_or_else(overflow)?,
                });
            }
            Ok(Value::Int(acc.unwrap_or(replication_identity(*op))))
        }
        _ => Err(
            Diagnostic::error(e.span.clone(), "expected a constant expression")
                .with_label("not known at compile time"),
        ),
    }
}

/// The bounds `lo ..= hi` of a replication's range (`N` is `0 ..= N-1`), which holds at most
/// as many values as an array has elements (a longer one would run for hours).
pub(crate) fn const_range(range: &IterRange, params: &Params) -> Result<(i64, i64), Diagnostic> {
    let (lo, hi) = match range {
        IterRange::Count(n) => (0, eval_const(n, params)?.saturating_sub(1)),
        IterRange::Inclusive(lo, hi) => (eval_const(lo, params)?, eval_const(hi, params)?),
    };
    if hi.saturating_sub(lo) >= MAX_ARRAY {
        return Err(Diagnostic::error(
            range.span(),
            format!("replication {lo}..{hi} is too long"),
        ));
    }
    Ok((lo, hi))
}

/// A compile-time value that must be a size or count within `1..=max`.
pub(crate) fn eval_size(
    e: &Expr,
    params: &Params,
    what: &str,
    min: i64,
    max: i64,
) -> Result<u32, Diagnostic> {
    let v = eval_const(e, params)?;
    if v < min || v > max {
        return Err(Diagnostic::error(
            e.span.clone(),
            format!("{what} must be between {min} and {max}, not {v}"),
        ));
    }
    Ok(v as u32)
}

/// Whether `e` is a Boolean expression of parameters, as ACT requires of the condition of a
/// conditional body or an assertion: `true`, a comparison, a `pbool`, and `~`, `&`, `|`, `^`
/// and `? :` over those. A call may give either; it is let through.
pub(crate) fn is_boolean(e: &Expr, params: &Params) -> bool {
    match &e.kind {
        ExprKind::Bool(_) => true,
        // A name that is no parameter is let through: evaluating it says so.
        ExprKind::Name(id) => {
            params.is_bool(&id.name)
                || params.has_failed(&id.name)
                || params.get(&id.name).is_none()
        }
        ExprKind::Unary {
            op: UnaryOp::Not,
            operand,
        } => is_boolean(operand, params),
        ExprKind::Binary { op, lhs, rhs } => match op {
            _ if op.is_comparison() => true,
            BinaryOp::And | BinaryOp::Or | BinaryOp::Xor => {
                is_boolean(lhs, params) && is_boolean(rhs, params)
            }
            _ => false,
        },
        ExprKind::Conditional {
            then, otherwise, ..
        } => is_boolean(then, params) && is_boolean(otherwise, params),
        ExprKind::Cast { to, .. } => *to == crate::front::ast::CastTo::Bool,
        ExprKind::Replicated { op, body, .. } => {
            matches!(op, BinaryOp::And | BinaryOp::Or | BinaryOp::Xor) && is_boolean(body, params)
        }
        ExprKind::Call { .. } => true,
        _ => false,
    }
}

/// The value of a condition on parameters (of a conditional body, a generative loop or an
/// assertion; `what` says which): an error unless it is Boolean and known.
pub(crate) fn eval_condition(e: &Expr, params: &Params, what: &str) -> Result<bool, Diagnostic> {
    if !is_boolean(e, params) {
        return Err(Diagnostic::error(
            e.span.clone(),
            format!("{what} needs a Boolean condition on parameters"),
        )
        .with_label("not a Boolean")
        .with_hint("compare it (`N > 0`), or use a `pbool`"));
    }
    Ok(eval_const(e, params)? != 0)
}

/// Checks a body assertion `{ cond : "message" };` on parameters: an error at it when the
/// condition is false, with its message.
pub(crate) fn check_assertion(
    cond: &Expr,
    message: Option<&str>,
    span: &Span,
    params: &Params,
) -> Result<(), Diagnostic> {
    if eval_condition(cond, params, "an assertion")? {
        return Ok(());
    }
    let text = match message {
        Some(m) => format!("assertion failed: {m}"),
        None => "assertion failed".to_string(),
    };
    Err(Diagnostic::error(span.clone(), text).with_label("this condition is false"))
}
