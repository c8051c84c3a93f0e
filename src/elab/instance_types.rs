//! ACT finds the type of every instance as it reads the file: an instance of a type that does
//! not exist is an error in every definition, whether or not the design expands it (ACT's
//! "Could not find specified type"). Elaboration finds the processes of what it expands; this
//! check finds those of the rest (definitions never instantiated, branches of conditionals
//! not taken, loops of no iteration, refinements not selected).

use std::collections::HashSet;

use crate::diag::{did_you_mean, Diagnostic};
use crate::front::ast::{
    scoped_names, BodyItem, InstanceDecl, LangBlock, OpenNamespaces, ParamDecl, ParamKind, Program,
};

/// An error for each instance, anywhere in `program`, of a process that is not defined.
pub(crate) fn check(program: &Program) -> Vec<Diagnostic> {
    let processes: HashSet<&str> = program.processes().map(|p| p.name.name.as_str()).collect();
    let global_ptypes = ptype_names(program.global_params());
    let mut checker = Checker {
        processes: &processes,
        opened: &program.opened,
        diags: Vec::new(),
    };
    for def in program.processes() {
        let mut ptypes = global_ptypes.clone();
        ptypes.extend(ptype_names(
            def.template_params.iter().chain(&def.bound_params),
        ));
        body_ptypes(&def.body, &mut ptypes);
        checker.body(&def.body, &def.name.name, &ptypes);
    }
    let global_body = program.global_body();
    let mut ptypes = global_ptypes;
    body_ptypes(&global_body, &mut ptypes);
    checker.body(&global_body, "", &ptypes);
    checker.diags
}

/// The names of the `ptype` parameters among `params`: an instance of one is of the process
/// type it is set to.
fn ptype_names<'a>(params: impl Iterator<Item = &'a ParamDecl>) -> HashSet<String> {
    params
        .filter(|p| p.kind == ParamKind::Ptype)
        .map(|p| p.name.name.clone())
        .collect()
}

/// Adds the `ptype` parameters declared in `items` (in loops, conditionals and refinements
/// too: ACT's scope of a definition is one) to `names`.
fn body_ptypes(items: &[BodyItem], names: &mut HashSet<String>) {
    for item in items {
        match item {
            BodyItem::Param(p) if p.kind == ParamKind::Ptype => {
                names.insert(p.name.name.clone());
            }
            BodyItem::Loop(l) => body_ptypes(&l.items, names),
            BodyItem::Conditional(c) | BodyItem::GenLoop(c) => {
                (c.arms.iter()).for_each(|arm| body_ptypes(&arm.items, names))
            }
            BodyItem::Lang(block) => {
                if let LangBlock::Refine(r) = &**block {
                    body_ptypes(&r.body, names);
                }
            }
            _ => {}
        }
    }
}

struct Checker<'p> {
    processes: &'p HashSet<&'p str>,
    opened: &'p OpenNamespaces,
    diags: Vec<Diagnostic>,
}

impl Checker<'_> {
    /// Checks the instances of `items`, written in the definition named `scope` (qualified;
    /// `""` for the file scope).
    fn body(&mut self, items: &[BodyItem], scope: &str, ptypes: &HashSet<String>) {
        for item in items {
            match item {
                BodyItem::Instance(decl) => self.instance(decl, scope, ptypes),
                BodyItem::Loop(l) => self.body(&l.items, scope, ptypes),
                BodyItem::Conditional(c) | BodyItem::GenLoop(c) => {
                    (c.arms.iter()).for_each(|arm| self.body(&arm.items, scope, ptypes))
                }
                BodyItem::Lang(block) => {
                    if let LangBlock::Refine(r) = &**block {
                        self.body(&r.body, scope, ptypes);
                    }
                }
                _ => {}
            }
        }
    }

    fn instance(&mut self, decl: &InstanceDecl, scope: &str, ptypes: &HashSet<String>) {
        let name = decl.process.name.as_str();
        if ptypes.contains(name) {
            return;
        }
        let candidates = scoped_names(scope, name, self.opened);
        if candidates
            .iter()
            .any(|c| self.processes.contains(c.as_str()))
        {
            return;
        }
        // The words of elaboration's own error, so that an instance it expands too is
        // reported once.
        let mut d = Diagnostic::error(
            decl.process.span.clone(),
            format!("unknown process `{name}`"),
        )
        .with_label("no `defproc` of this name");
        if let Some(hint) = did_you_mean(name, self.processes.iter().copied()) {
            d = d.with_hint(hint);
        }
        self.diags.push(d);
    }
}
