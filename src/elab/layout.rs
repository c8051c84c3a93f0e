//! The ports of a definition with given parameters: built once by the structural pass (which
//! reports their errors), and handed to lowering, which gives the CHP's port slots the same
//! bounds and types.

use std::rc::Rc;
use std::sync::Arc;

use super::consts::{eval_const, Params};
use super::ir::Ty;
use super::records::{field_params, record_type_name, Layout};
use super::types::{array_shape, data_type, payload, record_layout, Carried, IntKinds, Shape};
use crate::diag::Diagnostic;
use crate::front::ast::{BundleOf, ChanDir, PortDecl, ProcessDef, Span, TypeKind};

/// The ports of a definition with given parameters, in declaration order.
#[derive(Default)]
pub(crate) struct PortLayout {
    /// The definition's qualified name (`ns::buf`).
    pub process: String,
    pub ports: Vec<LayoutPort>,
    /// Ports left out for errors in their type or size (already reported).
    pub failed: Vec<String>,
    /// The interface bundles among the ports, whose members are ports `name.member`.
    pub bundles: Vec<Bundle>,
    /// The names a port list gives values to, in order: each port, but a bundle once.
    pub formals: Vec<String>,
}

/// An interface bundle (a port or variable of a record type made of channels): its members are
/// the channels `name.member`, in the order of the type's fields.
#[derive(Clone)]
pub(crate) struct Bundle {
    pub name: String,
    /// Its type as messages show it (`rw`, `rw<8>`): whole bundles connect only to their type.
    pub ty: String,
    pub members: Vec<String>,
}

#[derive(Clone)]
/// One port: its elements are the nodes `first .. first + len` counted from an instance's first
/// port node, row by row along the dimensions of `shape`.
pub(crate) struct LayoutPort {
    pub name: String,
    /// Its declaration's index in the definition's ports.
    pub decl: usize,
    pub first: usize,
    pub len: usize,
    pub shape: Shape,
    /// Declared as an array (`L[4]`), even of one element.
    pub is_array: bool,
    /// A member of an array of bundles (`p.req` of `rw p[4]`), whose elements are `p[i].req`.
    pub bundle_array: Option<BundleOf>,
    pub carries: Carries,
    /// The kinds of integer it carries (`ints`, `enum<N>`), which connections compare.
    pub kinds: IntKinds,
    /// The record type of its data (of the variable), if it is a record.
    pub record: Option<Arc<Layout>>,
    pub span: Span,
}

/// What a port carries.
#[derive(Clone, Copy)]
pub(crate) enum Carries {
    /// A channel with its direction as declared (seen from inside the process), its data
    /// (`None`: dataless) and, for an exchange channel `chan(T1, T2)`, the reply's type.
    Channel {
        dir: Option<ChanDir>,
        data: Option<Ty>,
        reply: Option<Ty>,
    },
    /// A `bool`/`int` port: a variable shared with the process outside.
    Variable(Ty),
}

impl PortLayout {
    /// The layout of `def`'s ports under `params`; errors in them go to `diags`.
    pub(crate) fn new(def: &ProcessDef, params: &Params, diags: &mut Vec<Diagnostic>) -> Self {
        let mut layout = PortLayout {
            process: def.name.name.clone(),
            ..PortLayout::default()
        };
        let mut next = 0;
        for (decl, port) in def.ports.iter().enumerate() {
            // A member of a templated bundle (`rw<8> p`) sees the bundle's template parameters.
            let bound = port
                .bundle
                .as_ref()
                .map(|of| field_params(&of.ty, params, diags));
            let port_params = match &bound {
                Some(Some(bound)) => bound,
                Some(None) => {
                    layout.failed.push(port.name.name.clone());
                    continue;
                }
                None => params,
            };
            // A refined type's arguments are expanded with it, even those CHP does not see
            // (`bar_type<W> b` of `deftype bar_type <: bool (...)`).
            let named_args = port.ty.named.iter().flat_map(|n| n.args.iter());
            let named_ok = named_args.fold(true, |ok, arg| {
                ok & eval_const(arg, port_params)
                    .map_err(|d| diags.push(d))
                    .is_ok()
            });
            if !named_ok {
                layout.failed.push(port.name.name.clone());
                continue;
            }
            let carries = match &port.ty.kind {
                TypeKind::Chan { dir, data, reply } => {
                    let data = payload(data, port_params, diags);
                    let reply = payload(reply, port_params, diags);
                    data.zip(reply).map(|(data, reply)| Carries::Channel {
                        dir: *dir,
                        data,
                        reply,
                    })
                }
                _ => data_type(&port.ty, port_params, diags).map(Carries::Variable),
            };
            // An array of bundles has the bounds its user gives; a member array, its type's.
            let dims_params = match &port.bundle {
                Some(of) if !of.array => port_params,
                _ => params,
            };
            let bounds = array_shape(&port.dims, dims_params).map_err(|d| diags.push(d));
            let (Some(carries), Ok(shape)) = (carries, bounds) else {
                layout.failed.push(port.name.name.clone());
                continue;
            };
            if let Some(first) = layout.get(&port.name.name) {
                // The first declaration stays; this one is only reported.
                let first = &def.ports[first.decl];
                diags.push(
                    Diagnostic::error(
                        port.name.span.clone(),
                        format!("duplicate port `{}`", port.name.name),
                    )
                    .with_label("declared again here")
                    .with_note(first.name.span.clone(), "first declared here"),
                );
                continue;
            }
            layout.ports.push(LayoutPort {
                name: port.name.name.clone(),
                decl,
                first: next,
                len: shape.len(),
                shape,
                is_array: !port.dims.is_empty(),
                bundle_array: port.bundle.clone().filter(|b| b.array),
                carries,
                kinds: IntKinds::of(&port.ty, port_params),
                record: record_layout(&port.ty, port_params),
                span: port.span.clone(),
            });
            layout.add_formal(port, params);
            next += layout.ports.last().map_or(0, |p| p.len);
        }
        layout
    }

    pub(crate) fn get(&self, name: &str) -> Option<&LayoutPort> {
        self.ports.iter().find(|p| p.name == name)
    }

    /// The bundle port `name`.
    pub(crate) fn bundle(&self, name: &str) -> Option<&Bundle> {
        self.bundles.iter().find(|b| b.name == name)
    }

    /// Records the port just laid out as a formal of port lists: itself, or a member of the
    /// bundle it belongs to (the bundle is the formal).
    fn add_formal(&mut self, port: &PortDecl, params: &Params) {
        let Some(of) = &port.bundle else {
            // A wire of a port of a refined type (`c.d0` of `dualrail c`) is no position.
            if !port.name.name.contains('.') {
                self.formals.push(port.name.name.clone());
            }
            return;
        };
        match self.bundles.last_mut() {
            Some(bundle) if bundle.name == of.name.name => bundle.members.push(of.field.clone()),
            _ => {
                self.bundles.push(Bundle {
                    name: of.name.name.clone(),
                    ty: record_type_name(&of.ty, params),
                    members: vec![of.field.clone()],
                });
                self.formals.push(of.name.name.clone());
            }
        }
    }

    /// How many nodes (port elements) an instance has.
    pub(crate) fn node_count(&self) -> usize {
        self.ports.iter().map(|p| p.len).sum()
    }
}

impl LayoutPort {
    /// What a port element carries, as its node records it.
    pub(crate) fn carried(&self) -> Carried {
        let (ty, reply) = match self.carries {
            Carries::Channel { data, reply, .. } => (data, reply),
            Carries::Variable(ty) => (Some(ty), None),
        };
        Carried {
            ty,
            record: self.record.as_ref().map(|r| r.name.as_str().into()),
            ancestors: (self.record.as_ref())
                .map_or_else(|| Rc::from([]), |r| r.ancestors.as_slice().into()),
            reply,
            kinds: self.kinds,
        }
    }

    /// The direction declared for a channel port.
    pub(crate) fn dir(&self) -> Option<ChanDir> {
        match self.carries {
            Carries::Channel { dir, .. } => dir,
            Carries::Variable(_) => None,
        }
    }

    /// The element's name: `L[3]`, `L[1][2]`, or `L` for a scalar.
    pub(crate) fn element_name(&self, offset: usize) -> String {
        if let Some(bundle) = &self.bundle_array {
            bundle.element_name(self.shape.lo() + offset as i64)
        } else if self.is_array {
            format!("{}{}", self.name, self.shape.suffix(offset))
        } else {
            self.name.clone()
        }
    }
}
