//! Elaboration: from the AST to a flat design of process instances and channels.
//!
//! - [`structure`]: instances, ports, connections, and the checks on each channel's two ends;
//! - [`lower`]: a process's CHP, with names resolved and ACT's expression widths;
//! - [`consts`]: compile-time expressions (parameters, widths, sizes);
//! - [`records`]: the bit layout of `deftype` records;
//! - [`sublang`]: the checks on `prs`, `hse`, `spec`, `sizing`, `dataflow`, `refine` blocks;
//! - [`delays`]: statement delays from actsim's configuration file;
//! - [`ir`]: the result, which the interpreter runs.
pub(crate) mod const_ops;
pub(crate) mod const_width;
pub(crate) mod consts;
pub(crate) mod delays;
pub(crate) mod instance_types;
pub(crate) mod ir;
pub(crate) mod layout;
pub(crate) mod levels;
pub(crate) mod lower;
pub(crate) mod named_vars;
pub(crate) mod param_array;
pub(crate) mod param_fn;
pub(crate) mod records;
pub(crate) mod refine;
pub(crate) mod shape;
pub(crate) mod structure;
pub(crate) mod sublang;
pub(crate) mod types;

use std::collections::HashMap;

use crate::diag::{Diagnostic, SourceMap};
use crate::front::ast::{self, BodyItem, ProcessDef, Program};
use crate::front::parser::parse_top_name;

/// What elaboration is told besides the design: which process is the top, and the statement
/// delays of a configuration file.
#[derive(Clone, Debug, Default)]
pub struct ElabOptions {
    /// `--top NAME`: this process, with the empty path (as `actsim file.act NAME`).
    pub top: Option<String>,
    /// `--config FILE`: the delays it gives.
    pub delays: delays::DelayConfig,
    /// `--config FILE`: the libraries of external functions and the names of `sim::file`'s
    /// files.
    pub externals: crate::sim::external::ExternalConfig,
    /// `--config FILE`: the levels it requests (`level.default`, `level.types.<level>`, ...).
    pub levels: levels::LevelConfig,
    /// A design with no top (only definitions: a library) is fine: `chpsim elaborate` checks
    /// such a file, as ACT's front end does; a run needs a top.
    pub library_ok: bool,
    /// Processes described only by `prs`, `hse` or `dataflow` are fine (`chpsim elaborate`
    /// checks them); a run needs CHP for every process, as chpsim simulates no other level yet.
    pub unsimulated_ok: bool,
    /// ACT's front-end rules on CHP that a run relaxes are errors (`chpsim elaborate`, which
    /// gives ACT's verdict): a parallel composition whose branch writes what another reads or
    /// writes (ACT reports it with an error context; actsim then runs the design, and so does
    /// `chpsim run`, the branches sharing the variable), and a probe of a channel array
    /// element chosen at run time (which ACT does not support; chpsim runs it).
    pub strict_act: bool,
    /// No warnings for ports and channels left open at one end (`chpsim actsim`, which prints
    /// only what actsim prints: actsim does not warn about them).
    pub quiet_open_ends: bool,
    /// ACT's refinement steps (`actsim -ref=N`, `--refine N`): the `refine<k> { }` bodies with
    /// `k` up to this many replace their process's own languages (`src/elab/refine.rs`); 0, the
    /// default, expands none.
    pub refine_steps: u64,
}

/// Elaborates a parsed design. The top is `options.top` if given, else the file's top-level
/// instances, else a process named `test`. Returns every error found.
pub(crate) fn elaborate(
    program: &Program,
    sources: &SourceMap,
    options: &ElabOptions,
) -> Result<ir::Design, Vec<Diagnostic>> {
    // The sublanguage checks see every refinement, expanded or not, as ACT checks them.
    let mut checks = sublang::check(program);
    checks.extend(instance_types::check(program));
    let chp_checks = sublang::check_chp(program);
    let refined = refine::refined_program(program, options.refine_steps);
    let program = refined.as_ref().unwrap_or(program);
    let (defs, mut diags) = process_defs(program);
    diags.extend(checks);
    let global_body = program.global_body();
    // Under a top that is a process (`--top`, `test`), the file scope's instances and the
    // connections to them are not part of the design; the rest is.
    let instance_names: Vec<&str> = program.instances().map(|i| i.name.name.as_str()).collect();
    let names_instance = |e: &ast::Expr| e.root_name().is_some_and(|n| instance_names.contains(&n));
    let global_decls: Vec<_> = (global_body.iter())
        .filter(|item| match item {
            BodyItem::Instance(_) | BodyItem::Chp(_) => false,
            BodyItem::Connection(c) => !names_instance(&c.lhs) && !names_instance(&c.rhs),
            BodyItem::PortList(list) => !names_instance(&list.instance),
            _ => true,
        })
        .cloned()
        .collect();
    let mut elab = structure::Elaborator::new(
        defs.clone(),
        &program.opened,
        &options.delays,
        &options.levels,
    );
    elab.diags = diags;
    elab.unsimulated_ok = options.unsimulated_ok;
    elab.strict_act = options.strict_act;
    elab.quiet_open_ends = options.quiet_open_ends;
    let param_functions = param_fn::ParamFunctions::new(program.functions(), &program.opened);
    elab.diags
        .extend(param_fn::check_calls(program, &param_functions));
    elab.declare_globals(program.global_params(), std::rc::Rc::new(param_functions));
    elab.declare_functions(program.functions(), options.externals.clone());
    // The file scope is the top when it has instances or runs CHP of its own.
    let file_top = program.instances().next().is_some()
        || global_body.iter().any(|i| matches!(i, BodyItem::Chp(_)));
    let top_is_process = options.top.is_some() || (!file_top && defs.contains_key("test"));
    elab.file_scope(if top_is_process {
        &global_decls
    } else {
        &global_body
    });
    let named_top = match &options.top {
        Some(text) => Some(elaborate_named_top(&mut elab, &defs, program, text)),
        None if file_top => None,
        None => {
            elaborate_default_top(&mut elab, &defs, program, options.library_ok);
            None
        }
    };
    // Elaboration's own error about a place it expanded says more (widths, values).
    let elaborated = std::mem::take(&mut elab.diags);
    elab.diags = (chp_checks.into_iter())
        .filter(|d| !elaborated.iter().any(|e| overlap(&e.span, &d.span)))
        .collect();
    elab.diags.extend(elaborated);
    if !elab.diags.is_empty() {
        let mut diags = std::mem::take(&mut elab.diags);
        diags.sort_by_key(|d| d.span.start);
        return Err(without_echoes(without_repeats(diags)));
    }
    let root_scope = match named_top {
        Some(name) => Some(name),
        None if !file_top && (defs.contains_key("test") || !options.library_ok) => {
            Some("test".to_string())
        }
        None => None,
    };
    let top_name = root_scope.clone().unwrap_or_else(|| {
        let names: Vec<&str> = program.instances().map(|d| d.name.name.as_str()).collect();
        match names.is_empty() && file_top {
            true => structure::FILE_SCOPE.to_string(),
            false => names.join(","),
        }
    });
    elab.finish(sources)
        .map_err(without_echoes)
        .map(|design| ir::Design {
            top: top_name,
            root_scope,
            ..design
        })
}

type ProcessDefs<'a> = HashMap<&'a str, &'a ProcessDef>;

/// The file's processes by name; a name defined twice is an error (the first one counts).
fn process_defs(program: &Program) -> (ProcessDefs<'_>, Vec<Diagnostic>) {
    let mut defs: ProcessDefs<'_> = HashMap::new();
    let mut diags = Vec::new();
    for def in program.processes() {
        // The first definition is the one elaborated; later ones are only reported.
        if let Some(&first) = defs.get(def.name.name.as_str()) {
            diags.push(
                Diagnostic::error(
                    def.name.span.clone(),
                    format!("process `{}` is defined twice", def.name.name),
                )
                .with_label("defined again here")
                .with_note(first.name.span.clone(), "first defined here"),
            );
        } else {
            defs.insert(def.name.name.as_str(), def);
        }
    }
    (defs, diags)
}

/// Elaborates the process given by `--top NAME` as the top; `NAME` is written as actsim
/// writes it (`test`, `test<>`, `fifo<8>`, see [`parse_top_name`]). Returns the name the top's
/// root scope gets: the process's, with its template arguments' values if it has any.
fn elaborate_named_top<'a>(
    elab: &mut structure::Elaborator<'a>,
    defs: &ProcessDefs<'a>,
    program: &Program,
    text: &str,
) -> String {
    let top = match parse_top_name(text) {
        Ok(top) => top,
        Err(why) => {
            elab.diags.push(
                Diagnostic::unknown_top(format!("--top `{text}` is not a process name: {why}"))
                    .with_hint(
                        "name the top as actsim does: `test`, `test<>`, `fifo<8>`, `ns::fifo<8,t>`",
                    ),
            );
            return text.to_string();
        }
    };
    let name = top.name.as_str();
    let Some(def) = defs.get(name) else {
        let known: Vec<&str> = program.processes().map(|p| p.name.name.as_str()).collect();
        let d = Diagnostic::unknown_top(format!("no process named `{name}` (given by --top)"));
        let d = if known.is_empty() {
            d.with_hint("the file defines no process (`defproc`)")
        } else {
            d.with_hint(format!("the file defines: {}", known.join(", ")))
        };
        elab.diags.push(d);
        return text.to_string();
    };
    let given = top.args.as_deref().unwrap_or_default();
    let required = def
        .template_params
        .iter()
        .filter(|p| p.value.is_none())
        .count();
    if given.len() < required || given.len() > def.template_params.len() {
        let takes = if required == def.template_params.len() {
            format!("{required}")
        } else {
            format!("{required} to {}", def.template_params.len())
        };
        // ACT's lookup finds no process given more arguments than it has parameters.
        let d = Diagnostic::error(
            def.name.span.clone(),
            format!(
                "--top `{text}`: `{name}` takes {takes} template argument(s), but {} were given",
                given.len()
            ),
        );
        let d = match given.len() > def.template_params.len() {
            true => d.with_act_fatal(crate::diag::ActFatal::UnknownTop),
            false => d,
        };
        elab.diags
            .push(d.with_hint(if def.template_params.is_empty() {
                format!("`{name}` is not a template: --top {name}")
            } else {
                let params: Vec<&str> = (def.template_params.iter())
                    .map(|p| p.name.name.as_str())
                    .collect();
                format!(
                    "its parameters are {}: e.g. --top '{name}<...>'",
                    params.join(", ")
                )
            }));
        return text.to_string();
    }
    let Some(args) = elab.top_arguments(def, text, given) else {
        return text.to_string();
    };
    elab.top_process(def, args.clone(), &def.name.span);
    if args.is_empty() {
        name.to_string()
    } else {
        let values: Vec<String> = args.iter().map(ToString::to_string).collect();
        format!("{name}<{}>", values.join(","))
    }
}

/// Elaborates the file's top-level instances, or else its process `test`.
fn elaborate_default_top<'a>(
    elab: &mut structure::Elaborator<'a>,
    defs: &ProcessDefs<'a>,
    program: &'a Program,
    library_ok: bool,
) {
    match defs.get("test") {
        Some(def) => elab.top_process(def, Vec::new(), &def.name.span),
        None if library_ok => {}
        None if program.items.is_empty() => elab.diags.push(
            Diagnostic::whole_file("the design is empty: it defines no process")
                .with_hint("a design needs at least a `defproc test() { chp { ... } }`, or a process and a top-level instance of it"),
        ),
        None => {
            let known: Vec<&str> = program.processes().map(|p| p.name.name.as_str()).collect();
            elab.diags.push(
                Diagnostic::whole_file("the design has no top: no top-level instance and no process named `test`")
                    .with_hint(format!("add a top-level instance (e.g. `{} top;`) or pass --top NAME (the file defines: {})", known.first().copied().unwrap_or("pipeline<10>"), known.join(", "))),
            )
        }
    }
}

/// Whether two spans share a byte (or are both the same empty place).
fn overlap(a: &std::ops::Range<usize>, b: &std::ops::Range<usize>) -> bool {
    a == b || (a.start < b.end && b.start < a.end)
}

/// `diags` (sorted by place) with a repeated diagnostic (same place, same text) kept once:
/// the members of an interface bundle share their declaration, so an error in it (its array
/// size) is found once per member.
fn without_repeats(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut kept: Vec<Diagnostic> = Vec::with_capacity(diags.len());
    for d in diags {
        let mut same_place = kept
            .iter()
            .rev()
            .take_while(|k| k.span.start == d.span.start);
        if !same_place.any(|k| *k == d) {
            kept.push(d);
        }
    }
    kept
}

/// The diagnostics to show: echoes (consequences of an error reported elsewhere) are dropped,
/// unless, against expectation, nothing else is left to explain the failure.
fn without_echoes(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if diags.iter().any(|d| !d.echo) {
        diags.retain(|d| !d.echo);
    }
    diags
}
