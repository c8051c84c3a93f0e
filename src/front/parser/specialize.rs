//! ACT's rule for connecting objects of related types (`a = b;` where `b`'s type refines
//! `a`'s, `deftype bar <: foo<5> ...`, or instances of `defproc bar <: foo<5> ...`): the
//! connection gives both the more specific type, so
//! the less specific side must be an object of the definition being parsed. A port, or an
//! object declared outside the definition, has its type fixed by someone else: connecting it
//! to an object of a refinement of its type is an error ("requires non-local instance to be
//! specialized").

use super::Parser;
use crate::diag::Diagnostic;
use crate::front::ast::{Expr, ExprKind, Ident, PortArg, PortDecl, Type};
use crate::front::subst::subst_type;

/// The declared type of an object the body may connect, and whether it is not the body's own
/// (a port of the definition, or an object of the file scope seen from a definition).
#[derive(Clone)]
pub(super) struct ObjectType {
    pub ty: ObjectKind,
    pub non_local: bool,
}

/// What an object is declared as: data or a channel, or an instance of a process.
#[derive(Clone)]
pub(super) enum ObjectKind {
    Data(Type),
    /// The process's qualified name and the template arguments written.
    Process(String, Vec<Expr>),
}

impl Parser<'_> {
    /// Notes an object declared with type `ty` for the check of later connections.
    pub(super) fn note_object_type(&mut self, name: &str, ty: &Type, non_local: bool) {
        let ty = ObjectKind::Data(ty.clone());
        (self.object_types).insert(name.to_string(), ObjectType { ty, non_local });
    }

    /// Notes an instance of process `process<args>` (as written) for the same check.
    pub(super) fn note_instance_type(&mut self, name: &str, process: &str, args: &[Expr]) {
        let Some((qualified, _)) = self.lookup_process(process) else {
            return;
        };
        let ty = ObjectKind::Process(qualified, args.to_vec());
        let non_local = false;
        (self.object_types).insert(name.to_string(), ObjectType { ty, non_local });
    }

    /// Reports `lhs = rhs;` when one side's type refines the other's and the other side is
    /// not the body's own object (see the module's comment). Sides that are not a plain
    /// object (`x.f`, an array expression) are left to elaboration.
    pub(super) fn check_specialization(&mut self, lhs: &Expr, rhs: &Expr) {
        let (Some(l), Some(r)) = (self.object_type(lhs), self.object_type(rhs)) else {
            return;
        };
        let (lt, rt) = (self.type_text(&l.ty), self.type_text(&r.ty));
        if lt == rt {
            return;
        }
        let (fixed, fixed_ty, other, other_ty) =
            if l.non_local && self.ancestors(&r.ty).contains(&lt) {
                (lhs, lt, rhs, rt)
            } else if r.non_local && self.ancestors(&l.ty).contains(&rt) {
                (rhs, rt, lhs, lt)
            } else {
                return;
            };
        let message = format!(
            "cannot connect `{fixed}` (of type `{fixed_ty}`, not declared here) to `{other}` \
             (of type `{other_ty}`): the connection would change its type to `{other_ty}`"
        );
        self.diags.push(
            Diagnostic::error(fixed.span.clone(), message)
                .with_label("a port or an object declared outside this definition")
                .with_note(
                    other.span.clone(),
                    format!("`{other_ty}` refines `{fixed_ty}`"),
                )
                .with_hint(format!(
                    "declare `{fixed}` with type `{other_ty}`, or connect it to an object of \
                     type `{fixed_ty}`"
                )),
        );
    }

    /// Checks each connection of port list `args` of `instance` (`k(y, .b = z)`, or the list
    /// of its declaration) as [`Parser::check_specialization`] checks `k.a = y;`.
    pub(super) fn check_port_list_specialization(&mut self, instance: &Expr, args: &[PortArg]) {
        let Some(ObjectKind::Process(process, _)) = self.object_type(instance).map(|o| o.ty) else {
            return;
        };
        let formals = match self.processes.get(&process) {
            Some(info) => positional_ports(&info.def.ports),
            None => return,
        };
        for (i, arg) in args.iter().enumerate() {
            let (port, value) = match arg {
                PortArg::Positional(value) => match formals.get(i) {
                    Some(name) => {
                        let span = value.span.clone();
                        (
                            Ident {
                                name: name.clone(),
                                span,
                            },
                            value,
                        )
                    }
                    None => continue,
                },
                PortArg::Named { port, value } => (port.clone(), value),
                PortArg::Empty(_) => continue,
            };
            let port = Expr {
                span: instance.span.start..port.span.end,
                kind: ExprKind::Field {
                    base: Box::new(instance.clone()),
                    field: port,
                },
            };
            self.check_specialization(&port, value);
        }
    }

    /// The declared type of `e` when it names an object (`x`, `x[2]`) or a port of an
    /// instance (`k.x`, `k[2].x`: as local as the instance, as ACT goes by the first name).
    fn object_type(&self, e: &Expr) -> Option<ObjectType> {
        match &e.kind {
            ExprKind::Name(id) => self.object_types.get(&id.name).cloned(),
            ExprKind::Index { base, .. } if matches!(base.kind, ExprKind::Name(_)) => {
                self.object_type(base)
            }
            ExprKind::Field { base, field } => {
                let instance = self.object_type(base)?;
                let ObjectKind::Process(process, args) = &instance.ty else {
                    return None;
                };
                let info = self.processes.get(process)?;
                let port = (info.def.ports.iter())
                    .find(|p| p.name.name == field.name && p.bundle.is_none())?;
                let bindings = (info.def.template_params.iter())
                    .zip(args)
                    .map(|(p, a)| (p.name.name.clone(), a.clone()))
                    .collect();
                Some(ObjectType {
                    ty: ObjectKind::Data(subst_type(&port.ty, &bindings)),
                    non_local: instance.non_local,
                })
            }
            _ => None,
        }
    }

    fn type_text(&self, ty: &ObjectKind) -> String {
        match ty {
            ObjectKind::Data(ty) => ty.to_string(),
            ObjectKind::Process(name, args) => process_text(name, args),
        }
    }

    /// The types `ty` refines, nearest first, as text (`foo<5>`, `int<1>` of `bar`); for a
    /// process, the processes it inherits from, with its arguments in place of its parameters.
    fn ancestors(&self, ty: &ObjectKind) -> Vec<String> {
        let (mut name, mut args) = match ty {
            ObjectKind::Data(ty) => return data_ancestors(ty),
            ObjectKind::Process(name, args) => (name.clone(), args.clone()),
        };
        let mut out = Vec::new();
        while let Some(info) = self.processes.get(&name) {
            let Some((parent, parent_args)) = &info.parent else {
                break;
            };
            let bindings = (info.def.template_params.iter())
                .zip(&args)
                .map(|(p, a)| (p.name.name.clone(), a.clone()))
                .collect();
            args = crate::front::subst::subst_exprs(parent_args, &bindings);
            name = parent.clone();
            out.push(process_text(&name, &args));
        }
        out
    }
}

fn process_text(name: &str, args: &[Expr]) -> String {
    let mut text = String::new();
    let _ = crate::front::print::write_named(&mut text, name, args);
    text
}

/// The types data type `ty` refines, nearest first, as text.
fn data_ancestors(ty: &Type) -> Vec<String> {
    let mut out = Vec::new();
    if let crate::front::ast::TypeKind::Record(record) = &ty.kind {
        let mut parent = record.parent();
        while let Some(p) = parent {
            out.push(p.to_string());
            parent = p.parent();
        }
        return out;
    }
    let mut parent = ty.named.as_ref().map(|n| &n.parent);
    while let Some(t) = parent {
        out.push(t.to_string());
        parent = t.named.as_ref().map(|n| &n.parent);
    }
    out
}

/// The names of `ports` a positional port list connects, in order: a bundle's members are
/// not positions of their own (ACT's bundle is one port), nor the wires of a refined type.
fn positional_ports(ports: &[PortDecl]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut last_bundle: Option<&str> = None;
    for port in ports {
        match &port.bundle {
            Some(of) if last_bundle == Some(of.name.name.as_str()) => {}
            Some(of) => {
                last_bundle = Some(&of.name.name);
                names.push(of.name.name.clone());
            }
            None if port.name.name.contains('.') => {}
            None => names.push(port.name.name.clone()),
        }
    }
    names
}
