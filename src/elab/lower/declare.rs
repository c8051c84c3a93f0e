//! Declaring what a process's CHP names: its channel ports (a slot per element), its `bool`/`int`
//! ports and body variables (shared first), sparse arrays joined, and the channels of its body.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Array, Binding, LocalChannel, Lowerer, PortArray, ProgramParts};
use crate::diag::Diagnostic;
use crate::elab::consts::Params;
use crate::elab::ir::{Dir, FieldBits, PortSlot, Ty, VarSlot};
use crate::elab::layout::{Carries, LayoutPort, PortLayout};
use crate::elab::records::enum_size;
use crate::elab::types::{array_shape, data_type, payload, Shape};
use crate::front::ast::{self, ArrayDim, ChanDir, ProcessDef, Span, TypeKind, VarDecl};

/// A variable's declaration with its parameters and, unless it was bad, its type and shape
/// (a sparse array's: of all the declarations joined into this first one).
type JoinedDecl<'d> = (&'d VarDecl, &'d Params, Option<(Ty, Shape)>);

/// The variables of a program being declared, and what the shared ones are bound to. The
/// slots of a declaration (a name each) are made only once the body has lowered without an
/// error: an array of millions beside an error in the CHP costs nothing.
#[derive(Default)]
pub(super) struct Variables {
    declared: Vec<Declared>,
    /// How many slots the declarations take.
    pub(super) len: usize,
    pub(super) shared: Vec<Binding>,
}

/// A variable, or an array of them (`array`), in consecutive slots.
struct Declared {
    name: String,
    ty: Ty,
    array: Option<Shape>,
    /// For a record, its scalar fields (see [`VarSlot::fields`]).
    fields: Arc<[FieldBits]>,
}

impl Variables {
    /// The slot of every variable declared, then `temps`.
    pub(super) fn slots(&mut self, temps: Vec<VarSlot>) -> Vec<VarSlot> {
        let mut slots = Vec::with_capacity(self.len + temps.len());
        for Declared {
            name,
            ty,
            array,
            fields,
        } in std::mem::take(&mut self.declared)
        {
            match array {
                Some(shape) => slots.extend((0..shape.len()).map(|i| VarSlot {
                    name: format!("{name}{}", shape.suffix(i)),
                    ty,
                    fields: fields.clone(),
                })),
                None => slots.push(VarSlot { name, ty, fields }),
            }
        }
        slots.extend(temps);
        slots
    }
}

impl Lowerer<'_> {
    /// Gives each element of a channel port its slot; returns the `bool`/`int` ports.
    pub(super) fn declare_channel_ports<'l>(
        &mut self,
        def: &ProcessDef,
        layout: &'l PortLayout,
    ) -> Vec<&'l LayoutPort> {
        let params = self.params.clone();
        let mut variable_ports = Vec::new();
        for port in &layout.ports {
            let Carries::Channel { dir, data, reply } = port.carries else {
                variable_ports.push(port);
                continue;
            };
            let base = self.slots.len();
            let dir = dir.map(|d| {
                if d == ChanDir::Input {
                    Dir::Receive
                } else {
                    Dir::Send
                }
            });
            let methods = (def.ports[port.decl].ty.named.as_ref()).and_then(|n| n.methods.clone());
            if let Some(methods) = &methods {
                self.chan_methods.insert(port.name.clone(), methods.clone());
            }
            let wire_marks: Arc<[(String, ast::WireMark)]> = (methods.iter())
                .flat_map(|m| m.wires.iter().zip(&m.marks))
                .filter(|(_, mark)| **mark != ast::WireMark::None)
                .map(|(wire, mark)| (wire.clone(), *mark))
                .collect();
            for i in 0..port.len {
                self.slots.push(PortSlot {
                    name: port.element_name(i),
                    dir: dir.unwrap_or(Dir::Send),
                    reply,
                    local: false,
                    // Until the CHP names it: a port only passed on to a sub-instance is a
                    // wire through this process, not one of its ends.
                    used: false,
                    wired: methods.is_some(),
                    wire_marks: wire_marks.clone(),
                });
                self.dirs.push(dir);
                self.bindings.push(Binding::Port(port.first + i));
            }
            let array = PortArray {
                base,
                shape: port.shape.clone(),
                ty: data,
            };
            self.ports.insert(port.name.clone(), array);
            self.note_record(&port.name, &def.ports[port.decl].ty, &params);
            self.note_bundle(def.ports[port.decl].bundle.as_ref());
            if dir.is_none() {
                // Declared without a direction: its CHP may use both ends, like a local
                // channel's (the port's own slots are the end used first).
                let channel = LocalChannel {
                    shape: port.shape.clone(),
                    is_array: port.is_array,
                    ty: data,
                    reply,
                    binding: Binding::Port(port.first),
                    first: Some(base),
                    second: None,
                };
                self.local_channels.insert(port.name.clone(), channel);
            }
        }
        variable_ports
    }

    /// Declares the `bool`/`int` ports as the first variables: all of them shared.
    pub(super) fn declare_variable_ports(
        &mut self,
        def: &ProcessDef,
        ports: &[&LayoutPort],
        vars: &mut Variables,
    ) {
        let params = self.params.clone();
        for port in ports {
            let Carries::Variable(ty) = port.carries else {
                continue;
            };
            let decl = &def.ports[port.decl];
            let array = port.is_array.then(|| port.shape.clone());
            self.add_vars(vars, &port.name, ty, array, &decl.ty, &params);
            vars.shared
                .extend((0..port.len).map(|i| Binding::Port(port.first + i)));
        }
    }

    /// Declares the body's variables, those connected to sub-instances first; returns how many
    /// variables are shared (the ports' and those).
    pub(super) fn declare_body_variables(
        &mut self,
        def: &ProcessDef,
        parts: &ProgramParts<'_>,
        vars: &mut Variables,
    ) -> usize {
        let mut shared_slots = vars.len;
        let connected = |decl: &VarDecl| parts.is_connected(&decl.name.name);
        let (shared, own): (Vec<_>, Vec<_>) = parts.vars.iter().partition(|(d, _)| connected(d));
        let mut first_declared: HashMap<&str, Span> = def
            .ports
            .iter()
            .map(|p| (p.name.name.as_str(), p.name.span.clone()))
            .collect();
        for (decl, p, shape) in self.join_sparse_arrays(shared.into_iter().chain(own)) {
            // A declaration with a bad type or size is poisoned: its uses report nothing more.
            let Some((ty, shape)) = shape else {
                self.poisoned.insert(decl.name.name.clone());
                continue;
            };
            let len = shape.len();
            if self.vars.contains_key(&decl.name.name) || self.ports.contains_key(&decl.name.name) {
                let mut d = Diagnostic::error(
                    decl.name.span.clone(),
                    format!("`{}` is declared twice", decl.name.name),
                )
                .with_label("declared again here");
                if let Some(first) = first_declared.get(decl.name.name.as_str()) {
                    d = d.with_note(first.clone(), "first declared here");
                }
                self.diags.push(d);
                continue;
            }
            first_declared.insert(&decl.name.name, decl.name.span.clone());
            let array = (!decl.dims.is_empty()).then_some(shape);
            self.add_vars(vars, &decl.name.name, ty, array, &decl.ty, p);
            if connected(decl) {
                let name = decl.name.name.clone();
                vars.shared.extend((0..len).map(|offset| Binding::Body {
                    name: name.clone(),
                    offset,
                }));
                shared_slots = vars.len;
            }
        }
        shared_slots
    }

    /// The declarations `decls` in order, each with its type and shape (`None`: a bad one,
    /// reported), where a sparse array's further declarations (`bool x[0..3]; bool x[6..7];`)
    /// are joined into its first one (see [`Shape::extend`]).
    fn join_sparse_arrays<'d>(
        &mut self,
        decls: impl Iterator<Item = &'d (std::borrow::Cow<'d, VarDecl>, Params)>,
    ) -> Vec<JoinedDecl<'d>> {
        let mut joined: Vec<JoinedDecl<'d>> = Vec::new();
        // The first declaration of each array, by name.
        let mut arrays: HashMap<&str, usize> = HashMap::new();
        for (decl, p) in decls {
            let decl: &VarDecl = decl;
            let ty = data_type(&decl.ty, p, &mut self.diags);
            let shape = self.dims(&decl.dims, p, true);
            let checked = ty.zip(shape);
            let first = (arrays.get(decl.name.name.as_str()))
                .filter(|&&k| {
                    let first = joined[k].0;
                    !decl.dims.is_empty() && first.ty.to_string() == decl.ty.to_string()
                })
                .copied();
            let old = match first {
                None => {
                    if !decl.dims.is_empty() {
                        arrays.entry(&decl.name.name).or_insert(joined.len());
                    }
                    joined.push((decl, p, checked));
                    continue;
                }
                Some(k) => match &mut joined[k].2 {
                    Some((_, old)) => old,
                    // The array's first declaration was bad (reported): poisoned already.
                    None => continue,
                },
            };
            let Some((_, added)) = checked else {
                continue;
            };
            if let Err(message) = old.extend(&added, &decl.name.name) {
                (self.diags).push(Diagnostic::error(decl.name.span.clone(), message))
            }
        }
        joined
    }

    /// Declares a variable of type `ty` declared as `decl_ty` (an array: a slot per element
    /// of its shape) in the next slots of `vars`, noting its record type if it has one.
    pub(super) fn add_vars(
        &mut self,
        vars: &mut Variables,
        name: &str,
        ty: Ty,
        array: Option<Shape>,
        decl_ty: &ast::Type,
        params: &Params,
    ) {
        let enum_size = enum_size(decl_ty, params);
        let fields: Arc<[FieldBits]> = match self.note_record(name, decl_ty, params) {
            Some(record) => record.scalar_fields().into(),
            None => Arc::new([]),
        };
        let base = vars.len;
        let shape = array.clone().unwrap_or_default();
        vars.len += shape.len();
        vars.declared.push(Declared {
            name: name.to_string(),
            ty,
            array,
            fields,
        });
        let array = Array {
            base,
            shape,
            ty,
            enum_size,
        };
        self.vars.insert(name.to_string(), array);
    }

    /// An array's bounds. `report` says whether a bad size is reported here (variables) or
    /// was already reported by the structural pass (ports).
    pub(super) fn dims(
        &mut self,
        dims: &[ArrayDim],
        params: &Params,
        report: bool,
    ) -> Option<Shape> {
        array_shape(dims, params)
            .map_err(|d| {
                if report {
                    self.diags.push(d);
                }
            })
            .ok()
    }

    /// Remembers a channel declared in the process; its slots are allocated when the CHP uses
    /// it. A bad type or size was reported by the structural pass: the name is only poisoned.
    pub(super) fn declare_local_channel(&mut self, decl: &VarDecl, params: &Params) {
        let TypeKind::Chan { data, reply, .. } = &decl.ty.kind else {
            return;
        };
        let ty = payload(data, params, &mut Vec::new());
        let reply = payload(reply, params, &mut Vec::new());
        let dims = self.dims(&decl.dims, params, false);
        let (Some(ty), Some(reply), Some(shape)) = (ty, reply, dims) else {
            self.poisoned.insert(decl.name.name.clone());
            return;
        };
        let channel = LocalChannel {
            shape,
            is_array: !decl.dims.is_empty(),
            ty,
            reply,
            binding: Binding::Body {
                name: decl.name.name.clone(),
                offset: 0,
            },
            first: None,
            second: None,
        };
        self.local_channels
            .entry(decl.name.name.clone())
            .or_insert(channel);
        self.note_record(&decl.name.name, &decl.ty, params);
        self.note_bundle(decl.bundle.as_ref());
    }

    /// Notes the type of the bundle a channel is a member of (see `bundle_types`).
    fn note_bundle(&mut self, of: Option<&ast::BundleOf>) {
        if let Some(of) = of.filter(|of| !of.array) {
            (self.bundle_types).insert(of.name.name.clone(), of.ty.def.clone());
        }
    }
}
