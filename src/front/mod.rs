//! Front end: lexer, parser and syntax tree for the ACT subset chpsim simulates.
//!
//! [`load_design`] reads a design file and the files it imports ([`load`]: `import
//! "file.act";`, `import a::b;`) and turns them into one [`ast::Program`], or returns every
//! error found (lexical and syntactic, and in the imports) as [`Diagnostic`]s, sorted by
//! position in the design's [`SourceMap`]; render them with [`crate::diag::render_in`].
//!
//! # Supported syntax
//!
//! ```text
//! // comments: // to end of line, /* block */ (not nested)
//! template<pint N, M; pbool B> defproc name(chan?(int<8>) L[4]; chan!(int) R; bool b) {
//!   int<8> x, mem[16];  bool f;  int y;        // int = int<32>; widths are expressions: int<W+1>
//!   chan(int<8>) c[N];  chan(bool) d;          // local channels, arrays [N] or [lo..hi], [A][B]
//!   pint K = N * 2;  pbool P;                  // parameters
//!   buffer b[N];  pipeline<10> p;              // instances (several per line: buffer a, b;)
//!   source src(c[0]);  sink s(.L = c[1]);      // port lists, positional or named
//!   a.R = b.L;  b[i].R = c[i];                 // connections between references
//!   (i : N : b[i].R = b[i+1].L;)               // loops over body items, also (i : lo .. hi : ...)
//!   chp { ... }
//! }
//! pipeline<10> top;                            // top-level instance
//! ```
//!
//! CHP statements, loosest first: `S1 || S2` (parallel, binds looser than `;`), `S1; S2`
//! (sequence; a trailing `;` is accepted), `S1, S2` (parallel, binds tighter than `;`), then
//! `skip`, `x := e`, `b+`, `b-`, `X!e`, `X?x`, dataless `X!` / `X?`, flavored `X!+e`, `X!-`,
//! `X?+x`, `X?-` (sign written right after `!`/`?`), `( S )`, `[ S ]`,
//! `[ g1 -> S1 [] g2 -> S2 [] else -> S3 ]`, `[| g1 -> S1 [] g2 -> S2 |]`, `[ g ]` (wait),
//! `*[ S ]`, `*[ g1 -> S1 [] ... ]`, `*[ S <- g ]`, replicated `(; i : N : S)` /
//! `(, i : N : S)` / `(|| i : N : S)`
//! and guards `([] i : N : g -> S)`, `log("x = ", x, "%x", y)`, `log_p(...)`, `log_st()`,
//! `log_nl()`, `warn(...)`, `assert(cond, "msg", v)` (the format rules of their string
//! arguments are applied in `elab::lower`).
//! Targets and channels are references: `x`, `x[i]`, `a.R`, `b[i].L`, `x{7..0}`.
//!
//! Expressions, loosest first: `|`, `^`, `&`, comparisons `= != < <= > >=`, `<< >>`, `+ -`,
//! `* / %`, unary `~ -`; operands: integers (`42`, `0x2a`, `0b1010`, `_` separators), `true`,
//! `false`, names, `a[i]`, `a.R`, `x{7}`, `x{hi..lo}`, probes `#X` / `#X[i]`, concatenation
//! `{a, b{3..0}}`, parentheses.
//!
//! # Per-statement delays
//!
//! ACT has no in-source delay syntax for CHP: actsim reads a statement's delay from its
//! configuration file, keyed on the process and the variable or channel the statement acts on
//! (`sim.chp.<process>.<name>.D`, read by [`config`] and applied in elaboration). ACT's grammar
//! also gives statements an optional label, `lbl: S`, which chpsim parses into
//! [`ast::Stmt::label`]. chpsim offers an in-source extension that ACT does not have:
//! `@[after=E] S` gives statement `S` a delay of `E` ticks ([`ast::Stmt::delay`]).
//! The name `after` mirrors ACT's `after` attribute for production rules.
//!
//! # Sublanguages
//!
//! `prs { }` (production rules, `tree`, `subckt`, `passn`/`passp`/`transgate`, sizes and
//! attributes), `hse { }` (CHP over bools, or labelled fragments), `spec { }`, `sizing { }`,
//! `dataflow { }`, `refine [<N>] [+{ overrides }] { }` in a process, and `Initialize { }` (and
//! any of them but `refine`) at the top level of a file, are parsed with ACT's grammar into
//! [`lang_ast`] and checked in elaboration (`elab::sublang`). They are not simulated yet: a
//! process with `chp` runs its CHP, and a run that instantiates a process with only
//! `prs`/`hse`/`dataflow` reports it; `refine` bodies are ignored (refinement level 0).
//!
//! # Outside the subset
//!
//! `pstruct` parameters, arrays of `ptype` template parameters,
//! template parameter arrays, conditional bodies, `chp<supply>`, list send/receive and
//! declarations with initialisers get a "... not supported yet" diagnostic on their keyword;
//! whole blocks are skipped so that later errors are still reported.
//!
//! # Definitions
//!
//! `defproc` and `defcell`, `export` before any definition, forward declarations
//! (`defproc p(bool x);`), split template lists (`template<pint A | pint B>`), inheritance
//! (`defproc bar <: foo<3> (ports) +{ overrides } { body }`), `interface`s and the ones a
//! process exports (`:> iface { a -> b }`), `ptype(iface<args>) p` parameters given a process
//! type `@name<args>` that exports `iface` (an instance `p x;` shows the interface's ports),
//! macros of processes (`methods { macro m (int v) { chp } }`, run by `s.m(e);` in the CHP
//! of the process that has the instance `s`, on `s`'s ports; a macro that names a variable of
//! the instance is not supported), structures of parameters (`defptype t (pint a; pbool b);`, parameters `t x;` whose fields
//! `x.a` are parameters, values `t(1, true)`, template parameters `template<t x>` of processes
//! and types), templated `defchan`/`deftype` aliases: see
//! `parser::defs`, and [`print`](mod@print) for how types compare.

pub(crate) mod ast;
pub(crate) mod chp_ast;
pub(crate) mod config;
pub(crate) mod expr_ast;
pub(crate) mod lang_ast;
pub(crate) mod lexer;
pub(crate) mod load;
pub(crate) mod parser;
pub(crate) mod print;
pub(crate) mod subst;
#[cfg(test)]
mod tests;

pub(crate) use ast::*;

use crate::diag::Diagnostic;
use crate::source_map::SourceMap;

/// At most this many errors are returned (then one saying how many more there were), so that
/// a binary file given by mistake does not bury the terminal.
pub(crate) const MAX_REPORTED_ERRORS: usize = 100;

/// Stack reserved for the parser thread. Nesting is capped at [`parser::MAX_NESTING`] levels,
/// which in an unoptimised build needs a few MiB, more than a test thread's default 2 MiB; the
/// memory is only committed as it is used.
const PARSER_STACK_BYTES: usize = 64 << 20;

/// Loads and parses a design: the entry file `name` with the text `text`, and the files it
/// imports, read by `reader` (see [`load`]). Returns where each file is in the design and
/// the program, or every error found (at most [`MAX_REPORTED_ERRORS`] of them).
///
/// The parser runs on a scoped helper thread with a large stack so that the deepest input it
/// accepts never overflows the caller's stack, whatever thread the caller is on. Nested
/// constructs in the returned tree are at most [`parser::MAX_NESTING`] levels deep.
pub(crate) fn load_design(
    name: &str,
    text: &str,
    defines: &str,
    reader: &mut (dyn load::SourceReader + Send),
) -> (SourceMap, Result<Program, Vec<Diagnostic>>) {
    // The reader goes to whichever thread parses (the helper, or this one if there is none).
    let reader = std::sync::Mutex::new(reader);
    let load = || {
        let mut reader = reader
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        load_here(name, text, defines, &mut **reader)
    };
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("chpsim-parser".to_string())
            .stack_size(PARSER_STACK_BYTES)
            .spawn_scoped(scope, load);
        match worker {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread available (resource limits): parse on the caller's stack.
            Err(_) => load(),
        }
    })
}

/// [`load_design`] on the current thread's stack.
fn load_here(
    name: &str,
    text: &str,
    defines: &str,
    reader: &mut dyn load::SourceReader,
) -> (SourceMap, Result<Program, Vec<Diagnostic>>) {
    let (sources, program) = load::load(name, text, defines, reader);
    (sources, program.map_err(capped))
}

/// At most [`MAX_REPORTED_ERRORS`] errors, then one saying how many more there were.
fn capped(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    if diags.len() > MAX_REPORTED_ERRORS {
        let omitted = diags.len() - MAX_REPORTED_ERRORS;
        let next_span = diags[MAX_REPORTED_ERRORS].span.clone();
        diags.truncate(MAX_REPORTED_ERRORS);
        diags.push(
            Diagnostic::error(next_span, format!("{omitted} more errors not shown"))
                .with_label("the next one is here")
                .with_hint("fix the errors above first; later ones are often consequences"),
        );
    }
    diags
}
