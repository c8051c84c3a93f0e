//! Attributes of instances (`x @ [iscomb=1];`), kept and merged as ACT does.
//!
//! An attribute belongs to a whole instance or to one element of an array instance. Every
//! attribute of ACT's standard configuration merges strictly: given twice (directly, or by
//! connecting two instances that both have it), it must have the same value. An array whose
//! elements have attributes cannot be extended afterwards (a sparse array's new range would
//! move the elements the attributes belong to). chpsim simulates no attribute: they are
//! checked, then dropped.

use std::collections::{BTreeMap, HashMap};

use super::{Elaborator, Local, PortTable};
use crate::diag::Diagnostic;
use crate::elab::consts::{eval_const, eval_value, Params, Value};
use crate::elab::lower::ProgramParts;
use crate::front::ast::{Expr, ExprKind, InstanceAttrs, Span};

/// An attribute's value and where it was given.
#[derive(Clone)]
struct Given {
    value: Value,
    span: Span,
}

/// The attributes of one instance: of the whole, and of elements by their indices.
#[derive(Default)]
struct OfInstance {
    whole: BTreeMap<String, Given>,
    elements: BTreeMap<Vec<i64>, BTreeMap<String, Given>>,
}

/// The attributes given in one body, by instance name.
#[derive(Default)]
pub(crate) struct AttributeTable {
    by_name: HashMap<String, OfInstance>,
    /// `x = y;` of two whole instances: `y`'s attributes moved to `x`, and so do later ones.
    merged_into: HashMap<String, String>,
}

/// An instance or an element of one, as a connection or an attribute names it.
struct Place {
    name: String,
    indices: Option<Vec<i64>>,
}

impl AttributeTable {
    /// The instance that holds `name`'s attributes.
    fn holder(&self, name: &str) -> String {
        let mut name = name;
        while let Some(next) = self.merged_into.get(name) {
            name = next;
        }
        name.to_string()
    }

    /// Whether an element of the instance `name` has attributes.
    pub(crate) fn has_element_attributes(&self, name: &str) -> bool {
        (self.by_name.get(&self.holder(name)))
            .is_some_and(|of| of.elements.values().any(|attrs| !attrs.is_empty()))
    }

    fn slot(&mut self, place: &Place) -> &mut BTreeMap<String, Given> {
        let of = self.by_name.entry(self.holder(&place.name)).or_default();
        match &place.indices {
            None => &mut of.whole,
            Some(indices) => of.elements.entry(indices.clone()).or_default(),
        }
    }

    fn take(&mut self, place: &Place) -> BTreeMap<String, Given> {
        let Some(of) = self.by_name.get_mut(&self.holder(&place.name)) else {
            return BTreeMap::new();
        };
        match &place.indices {
            None => std::mem::take(&mut of.whole),
            Some(indices) => of.elements.remove(indices).unwrap_or_default(),
        }
    }
}

/// Merges `from` into `into` strictly; `conflict` builds the message of an attribute given two
/// values (its name, the value kept, the other).
fn merge(
    into: &mut BTreeMap<String, Given>,
    from: BTreeMap<String, Given>,
    conflict: impl Fn(&str, &Given, &Given) -> Diagnostic,
) -> Result<(), Diagnostic> {
    for (name, given) in from {
        match into.get(&name) {
            Some(kept) if kept.value != given.value => return Err(conflict(&name, kept, &given)),
            Some(_) => {}
            None => {
                into.insert(name, given);
            }
        }
    }
    Ok(())
}

/// The instance or element `e` names (`x`, `w[2]`), with its indices' values; `None` for any
/// other expression (a field, a range), which carries no attributes.
fn place_of(e: &Expr, params: &Params) -> Option<Place> {
    match &e.kind {
        ExprKind::Name(id) => Some(Place {
            name: id.name.clone(),
            indices: None,
        }),
        ExprKind::Index { base, index } => {
            let mut place = place_of(base, params)?;
            let index = eval_const(index, params).ok()?;
            place.indices.get_or_insert_with(Vec::new).push(index);
            Some(place)
        }
        _ => None,
    }
}

impl<'a> Elaborator<'a> {
    /// `x @ [...];`: gives the attributes to `x` (or its element), merging them with those it
    /// has.
    pub(super) fn give_attributes(
        &mut self,
        item: &InstanceAttrs,
        params: &Params,
        ports: &PortTable,
        locals: &HashMap<String, Local>,
        parts: &mut ProgramParts<'a>,
    ) {
        let Some(name) = item.target.root_name() else {
            return;
        };
        if params.value(name).is_some() || params.array(name).is_some() || params.is_unset(name) {
            self.diags.push(
                Diagnostic::error(
                    item.target.span.clone(),
                    format!("`{name}` is a parameter: attributes belong to instances"),
                )
                .with_label("a parameter")
                .with_hint("give attributes to variables, channels and process instances"),
            );
            return;
        }
        let declared = ports.contains(name)
            || locals.contains_key(name)
            || parts.vars.iter().any(|(v, _)| v.name.name == name);
        if !declared {
            self.diags.push(
                Diagnostic::error(
                    item.target.span.clone(),
                    format!("`{name}` is not declared"),
                )
                .with_label("no instance of this name here")
                .with_hint("attributes are given to an instance of the same body"),
            );
            return;
        }
        let mut given = BTreeMap::new();
        for attr in &item.attrs {
            let value = match eval_value(&attr.value, params) {
                Ok(value) => value,
                Err(d) => {
                    self.diags.push(d);
                    return;
                }
            };
            let new = Given {
                value,
                span: attr.value.span.clone(),
            };
            let mut one = BTreeMap::new();
            one.insert(attr.name.name.clone(), new);
            if let Err(d) = merge(&mut given, one, |attr, kept, other| {
                twice(name, attr, kept, other)
            }) {
                self.diags.push(d);
                return;
            }
        }
        let Some(place) = place_of(&item.target, params) else {
            return;
        };
        let slot = parts.attributes.slot(&place);
        if let Err(d) = merge(slot, given, |attr, kept, other| {
            twice(name, attr, kept, other)
        }) {
            self.diags.push(d);
        }
    }

    /// `lhs = rhs;`: merges the attributes of the two sides (ACT: the left side keeps them).
    pub(super) fn connect_attributes(
        &mut self,
        lhs: &Expr,
        rhs: &Expr,
        span: &Span,
        params: &Params,
        parts: &mut ProgramParts<'a>,
    ) {
        let (Some(left), Some(right)) = (place_of(lhs, params), place_of(rhs, params)) else {
            return;
        };
        let table = &mut parts.attributes;
        if table.holder(&left.name) == table.holder(&right.name) {
            return;
        }
        let moved = table.take(&right);
        let mut moved_elements = BTreeMap::new();
        if let (None, None) = (&left.indices, &right.indices) {
            let holder = table.holder(&right.name);
            if let Some(of) = table.by_name.get_mut(&holder) {
                moved_elements = std::mem::take(&mut of.elements);
            }
            table.merged_into.insert(holder, table.holder(&left.name));
        }
        let conflict = |attr: &str, kept: &Given, other: &Given| {
            Diagnostic::error(
                span.clone(),
                format!(
                    "connecting `{}` and `{}` gives attribute `{attr}` two values, {} and {}",
                    lhs, rhs, kept.value, other.value
                ),
            )
            .with_label("these have different attributes")
            .with_note(kept.span.clone(), "one value given here")
            .with_note(other.span.clone(), "the other here")
        };
        if !moved.is_empty() {
            if let Err(d) = merge(table.slot(&left), moved, conflict) {
                self.diags.push(d);
                return;
            }
        }
        for (indices, attrs) in moved_elements {
            let element = Place {
                name: left.name.clone(),
                indices: Some(indices),
            };
            if let Err(d) = merge(table.slot(&element), attrs, conflict) {
                self.diags.push(d);
                return;
            }
        }
    }

    /// Reports the extension of the array `name` (a sparse array's further range) after
    /// attributes were given to its elements, or after a connection connected it whole
    /// (ACT's rules; connected element by element, it may grow).
    pub(super) fn check_array_extension(
        &mut self,
        name: &str,
        span: &Span,
        parts: &ProgramParts<'a>,
    ) {
        if parts.connected_so_far.contains(name) {
            self.diags.push(
                Diagnostic::error(
                    span.clone(),
                    format!("array `{name}` is extended after it was connected whole"),
                )
                .with_label("extends the array")
                .with_hint("declare all of the array's ranges before connecting it, or connect it element by element (`x[0..3] = y;`)"),
            );
        } else if parts.attributes.has_element_attributes(name) {
            self.diags.push(
                Diagnostic::error(
                    span.clone(),
                    format!(
                        "array `{name}` is extended after attributes were given to its elements"
                    ),
                )
                .with_label("extends the array")
                .with_hint(
                    "declare all of the array's ranges before giving attributes to elements",
                ),
            );
        }
    }
}

/// The message of attribute `attr` of `name` given a second, different value.
fn twice(name: &str, attr: &str, kept: &Given, other: &Given) -> Diagnostic {
    Diagnostic::error(
        other.span.clone(),
        format!(
            "attribute `{attr}` of `{name}` is {} already, it cannot be {}",
            kept.value, other.value
        ),
    )
    .with_label("a different value")
    .with_note(kept.span.clone(), "given here first")
    .with_hint("an attribute given twice keeps one value")
}
