//! Variables of a process body: data variables and their types, shared variables (one net
//! for several processes) and the extension of variable arrays by later declarations.

use std::borrow::Cow;
use std::collections::HashMap;

use super::params::declare_width;
use super::{element_name, join, Elaborator, Local, NodeKind, PortEntry, PortTable, Role};
use crate::diag::Diagnostic;
use crate::elab::consts::Params;
use crate::elab::lower::ProgramParts;
use crate::elab::types::{array_shape, data_type, Carried};
use crate::front::ast;

impl<'a> Elaborator<'a> {
    /// A data variable of the body (`int<8> x;`, `rec r[4];`), declared in order.
    pub(super) fn data_variable(
        &mut self,
        v: Cow<'a, ast::VarDecl>,
        path: &str,
        params: &mut Params,
        ports: &PortTable,
        locals: &mut HashMap<String, Local>,
        parts: &mut ProgramParts<'a>,
    ) {
        // The variable's own duplicates are reported when its CHP is lowered
        // (so are clashes with ports); without CHP, here.
        let lowered_checks = parts.runs_chp
            && (ports.contains(&v.name.name) || self.is_variable(locals, &v.name.name));
        if !parts.runs_chp {
            // Lowering CHP checks a variable's type and sizes; ACT checks
            // them in a process without CHP too (`int<N> x;`, N unknown).
            self.check_variable_type(&v, params);
        }
        // ACT lets an array be declared again with the same type and other
        // indices (a sparse array, `bool x[0..7]; bool x[8..11];`): no
        // duplicate; an extension that joins the array's block of indices
        // makes it longer (here if it is shared, when lowered otherwise).
        let extends_array = !v.dims.is_empty()
            && (parts.var_arrays.get(&v.name.name)).is_some_and(|(ty, _)| *ty == v.ty.to_string());
        let checks_extension = !parts.runs_chp && !parts.is_connected(&v.name.name);
        if extends_array {
            self.check_array_extension(&v.name.name, &v.span, parts);
            self.extend_shared_variable(&v, path, params, locals);
        }
        if !v.dims.is_empty() {
            self.note_variable_array(&v, params, parts, checks_extension);
        }
        // The data of a record mixing channels and data: declared with its
        // channels (as the bundle of this name), which alone a whole
        // connection connects; the data stays the process's own.
        let mixed_record = matches!(locals.get(&v.name.name),
            Some(Local::Bundle { declared, .. }) if *declared == v.name.span);
        if mixed_record {
            parts.connected_vars.remove(&v.name.name);
        }
        if !mixed_record && super::field_views::connects_a_field(&v, &parts.connected_vars) {
            // The record is shared with the views of its fields.
            parts.connected_vars.insert(v.name.name.clone());
        }
        if !lowered_checks && !extends_array && !mixed_record {
            let local = if parts.is_connected(&v.name.name) {
                self.shared_variable(&v, path, params)
            } else {
                Local::Variable
            };
            self.declare(locals, ports, &v.name, local);
        }
        let declared_under = params.clone();
        declare_width(&v, params);
        parts.vars.push((v, declared_under));
    }

    /// Reports what is wrong with the data type and array sizes of variable `v`.
    fn check_variable_type(&mut self, v: &ast::VarDecl, params: &Params) {
        data_type(&v.ty, params, &mut self.diags);
        if let Err(d) = array_shape(&v.dims, params) {
            self.diags.push(d);
        }
    }

    pub(super) fn declare(
        &mut self,
        locals: &mut HashMap<String, Local>,
        ports: &PortTable,
        name: &ast::Ident,
        local: Local,
    ) {
        if ports.contains(&name.name)
            || (locals.contains_key(&name.name) && self.declared_here(&name.name))
        {
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
    pub(super) fn shared_variable(
        &mut self,
        v: &ast::VarDecl,
        path: &str,
        params: &Params,
    ) -> Local {
        let reported = self.diags.len();
        let ty = data_type(&v.ty, params, &mut Vec::new());
        let dims = self.dims(&v.dims, params);
        self.diags.truncate(reported);
        let (Some(ty), Some(shape)) = (ty, dims) else {
            return Local::Poisoned;
        };
        let first = self.nodes.len();
        let carried = Carried::of(Some(ty), &v.ty, params);
        if let Some(layout) = crate::elab::types::record_layout(&v.ty, params) {
            let nodes = first..first + shape.len();
            (self.var_records).extend(nodes.map(|n| (n, layout.clone())));
        }
        for i in 0..shape.len() {
            let name = element_name(&v.name.name, &v.dims, &shape, i);
            let span = v.span.clone();
            if let Some(dir) = v.wire_dir {
                self.wire_dirs.insert(self.nodes.len(), dir);
            }
            if let Some(named) = &v.ty.named {
                self.refined.insert(self.nodes.len(), named.name.clone());
            }
            self.add_node(
                join(path, &name),
                carried.clone(),
                NodeKind::Variable,
                span,
                Role::Channel,
            );
        }
        Local::SharedVariable(PortEntry {
            first,
            shape,
            is_array: !v.dims.is_empty(),
            dir: None,
        })
    }

    /// Extends the shared variable array `v.name` by the elements of its declaration `v`
    /// (a sparse array). Its elements are consecutive nodes: the joined array gets a new
    /// block of nodes, each in the net of the node it replaces (connected element by
    /// element before, it stays so).
    fn extend_shared_variable(
        &mut self,
        v: &ast::VarDecl,
        path: &str,
        params: &Params,
        locals: &mut HashMap<String, Local>,
    ) {
        let Some(Local::SharedVariable(old)) = locals.get(&v.name.name).cloned() else {
            return;
        };
        let Local::SharedVariable(added) = self.shared_variable(v, path, params) else {
            return;
        };
        let mut joined = old.shape.clone();
        match joined.extend(&added.shape, &v.name.name) {
            Ok(()) => {}
            Err(message) => {
                let d = Diagnostic::error(v.name.span.clone(), message);
                self.diags.push(d);
                // Its connections report nothing more.
                locals.insert(v.name.name.clone(), Local::Poisoned);
                return;
            }
        }
        let first = self.nodes.len();
        let nodes: Vec<_> = old.nodes().into_iter().chain(added.nodes()).collect();
        for k in joined.sources(&old.shape, &added.shape) {
            let n = nodes[k];
            let node = self.nodes[n].clone();
            let copy = self.add_node(node.path, node.carried, node.kind, node.span, node.role);
            if let Some(dir) = self.wire_dirs.get(&n).copied() {
                self.wire_dirs.insert(copy, dir);
            }
            if let Some(named) = self.refined.get(&n).cloned() {
                self.refined.insert(copy, named);
            }
            // A record element's fields may be connected, as the original's could.
            if let Some(record) = self.var_records.get(&n).cloned() {
                self.var_records.insert(copy, record);
            }
            self.parent[copy] = self.find(n);
        }
        let entry = PortEntry {
            first,
            shape: joined,
            is_array: true,
            dir: None,
        };
        locals.insert(v.name.name.clone(), Local::SharedVariable(entry));
    }

    /// Notes the indices of variable array `v` under its name (the first declaration, or a
    /// further one of the same type extending it); `report`: reports an extension ACT rejects
    /// (one that overlaps its elements), where neither lowering its CHP nor sharing it does.
    fn note_variable_array(
        &mut self,
        v: &ast::VarDecl,
        params: &Params,
        parts: &mut ProgramParts<'a>,
        report: bool,
    ) {
        let added = array_shape(&v.dims, params).ok();
        let ty = v.ty.to_string();
        let Some((first_ty, old)) = parts.var_arrays.get_mut(&v.name.name) else {
            parts.var_arrays.insert(v.name.name.clone(), (ty, added));
            return;
        };
        let (true, Some(old), Some(added)) = (*first_ty == ty, old, added) else {
            return;
        };
        if let Err(message) = old.extend(&added, &v.name.name) {
            if report {
                let d = Diagnostic::error(v.name.span.clone(), message);
                self.diags.push(d);
            }
        }
    }

    pub(super) fn is_variable(&self, locals: &HashMap<String, Local>, name: &str) -> bool {
        matches!(
            locals.get(name),
            Some(Local::Variable | Local::SharedVariable(_))
        )
    }
}
