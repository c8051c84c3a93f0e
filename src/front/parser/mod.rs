//! Recursive-descent parser from tokens to the [`ast`](crate::front::ast).
//!
//! Error handling: every syntax error is recorded as a [`Diagnostic`] ("expected X, found Y")
//! and the parser resynchronises at the next `;` or closing bracket of the construct it was in,
//! so that one run reports every independent error. Constructs of full ACT outside the subset
//! (`interface`, `defcell`, ...) get a "not supported yet" diagnostic on their keyword and are
//! skipped as a whole. Sublanguage blocks (`prs`, `hse`, `spec`, `sizing`, `dataflow`,
//! `refine`, `Initialize`) are parsed with ACT's grammar into [`LangBlock`]s.
//!
//! Nesting (parentheses, selections, loops, unary operators) is limited to [`MAX_NESTING`]
//! levels, which yields an error instead of overflowing the stack on adversarial input.
//!
//! Disambiguation rules worth knowing:
//! - `<`/`>` after a type or process name open/close template arguments (`int<W+1>`,
//!   `pipeline<10>`); inside them a comparison `>` must be parenthesised: `foo<(a > b)>`.
//! - `[ ... ]` in CHP is a selection when it holds `guard -> ...` or `else -> ...`, a wait when
//!   it holds a single expression, and otherwise a grouped statement (ACT allows `[S]`).
//! - `name :` at the start of a statement is ACT's statement label.

mod attributes;
mod body;
mod chp;
mod chp_txt;
mod dataflow;
mod defs;
mod exports;
mod expr;
mod imports;
mod interfaces;
mod items;
mod lang;
mod namespace_objects;
mod overrides;
mod port_wires;
mod prs;
mod pstructs;
mod redefine;
mod specialize;
mod templates;
mod top;
mod type_methods;
mod typedefs;
mod types;
mod variants;

pub(crate) use imports::imports;
pub(crate) use top::parse_top_name;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::lexer::{Tok, Token};

/// Maximum nesting of brackets, statements and unary operators before the parser gives up.
pub(crate) const MAX_NESTING: usize = 256;

/// Marker that a diagnostic has been recorded for the failure being propagated.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reported;

type PResult<T> = Result<T, Reported>;

/// The parser state over one token vector (which must end with [`Tok::Eof`]).
pub(crate) struct Parser<'t> {
    tokens: &'t [Token],
    pos: usize,
    /// Bracket depth of the tokens consumed so far; recovery skips back to a saved depth.
    bracket_depth: usize,
    /// Current recursion nesting, bounded by [`MAX_NESTING`].
    nesting: usize,
    /// Inside `<...>` template brackets: `>` closes them instead of comparing.
    in_angle_brackets: bool,
    /// Errors found at or after this offset are not recorded (see [`Parser::silence_from`]).
    silent_from: usize,
    diags: Vec<Diagnostic>,
    /// The user types defined so far (ACT declares a type before its use).
    types: HashMap<String, UserType>,
    /// The namespaces the parser is in, outermost first (`namespace a { namespace b { ...`).
    namespace: Vec<String>,
    /// Where the sublanguage blocks being parsed are (a process body, a refinement).
    lang_place: lang::LangPlace,
    /// Inside the body of an HSE fragment `a : S : b`, where `:` ends the body.
    in_hse_fragment: bool,
    /// Items found inside another (a record's method functions), added after it.
    nested_items: Vec<Item>,
    /// Token positions where `name<...>(` was tried and is not a templated call: trying again
    /// (from an enclosing attempt) would make `a<b<c<...` exponential.
    not_templated_calls: HashSet<usize>,
    /// Every namespace defined so far, by its qualified name.
    namespaces: BTreeSet<String>,
    /// The namespaces opened so far (`open a::b;`) and the other names namespaces were given.
    open: OpenNamespaces,
    /// The types and namespaces defined with `export`.
    exports: exports::Exports,
    /// The processes defined or declared so far, by qualified name.
    processes: HashMap<String, defs::ProcInfo>,
    /// The process whose definition is being read (qualified): its body may instantiate it.
    defining: Option<String>,
    /// Instances of a process not defined or declared yet where they are written (see
    /// [`Parser::processes_used_early`]).
    early_uses: Vec<defs::EarlyUse>,
    /// The functions defined so far, by qualified name (a call from the global namespace,
    /// `::f(x)`, must name one).
    functions: HashSet<String>,
    /// The functions of the file scope and namespaces declared or defined so far, by
    /// qualified name (see [`redefine`]).
    function_decls: HashMap<String, items::FunctionDecl>,
    /// The interfaces defined so far.
    interfaces: interfaces::Interfaces,
    /// The macros of the `methods { }` of the process body being parsed.
    process_macros: Vec<MacroDef>,
    /// The structures of parameters (`defptype`) defined so far, by qualified name.
    pstructs: HashMap<String, Arc<PstructDef>>,
    /// Each `deftype`/`defchan` so far: its signature, and whether its body has been seen (a
    /// type may be declared, `defchan c <: chan(int) ();`, before it is defined).
    type_decls: HashMap<String, (String, bool)>,
    /// The direction flags of the ports of data types (`bool! y`), by where the port's name
    /// is: part of a process's signature.
    port_flags: HashMap<usize, &'static str>,
    /// The declared types of the objects a connection in the body being parsed may name (see
    /// `specialize`).
    object_types: HashMap<String, specialize::ObjectType>,
    /// The connections of the wires of the objects of refined types declared so far (`x.d.d[0]
    /// = x.f;` for `e1of2 x`; for an array `e1of2 c[4]`, a loop over its elements), which the
    /// body that declares them makes.
    wire_connections: Vec<BodyItem>,
    /// The names of the objects the file scope has declared so far (see
    /// [`ProcessDef::file_objects`]).
    file_objects: Arc<HashSet<String>>,
    /// The qualified names (`n::x` inside `namespace n`) of the objects declared at file or
    /// namespace scope so far: a definition may not take one's name (ACT's "already used as
    /// an instance"), each with where it is first declared.
    scope_objects: HashMap<String, Span>,
}

/// What a type name defined by `deftype` or `defchan` stands for.
#[derive(Clone)]
enum UserType {
    Record(Arc<RecordDef>),
    /// `deftype t <: int<W> (...)`, `defchan c <: chan(T) (...)`, with the parameters of its
    /// template: CHP sees the base type (the fields are the type's implementation, for
    /// production rules and methods).
    Alias {
        params: Vec<ParamDecl>,
        base: Type,
        /// Its wires (`bool d0, d1`; a parent type's first): each declaration of the type
        /// declares them too.
        fields: Vec<FieldDecl>,
        /// The connections of its body between its wires (`d.d[0] = f;`, a parent's first):
        /// each declaration of the type makes them.
        connections: Vec<Connection>,
        /// A channel type's methods (a parent's, replaced by its own of the same name).
        methods: Option<Arc<ChanMethods>>,
        /// Its overrides of its parent's fields, checked where it is expanded.
        override_checks: Vec<OverrideCheck>,
    },
    /// `defenum e { A, B, C };`: an `enum<3>` whose values are written `e.A`, `e.B`, `e.C`;
    /// `defenum e : int { ... }` (`int_compatible`) is an integer of the same width instead,
    /// which integers are assigned to unchecked, as ACT allows.
    Enum {
        members: Vec<String>,
        int_compatible: bool,
    },
}

/// Saved position for speculative parsing.
struct Checkpoint {
    pos: usize,
    bracket_depth: usize,
    diag_count: usize,
}

impl<'t> Parser<'t> {
    pub(crate) fn new(tokens: &'t [Token]) -> Self {
        Parser {
            tokens,
            pos: 0,
            bracket_depth: 0,
            nesting: 0,
            in_angle_brackets: false,
            silent_from: usize::MAX,
            diags: Vec::new(),
            types: HashMap::new(),
            namespace: Vec::new(),
            lang_place: lang::LangPlace::Process,
            in_hse_fragment: false,
            nested_items: Vec::new(),
            not_templated_calls: HashSet::new(),
            namespaces: BTreeSet::new(),
            open: OpenNamespaces::default(),
            exports: exports::Exports::default(),
            processes: HashMap::new(),
            defining: None,
            early_uses: Vec::new(),
            functions: HashSet::new(),
            function_decls: HashMap::new(),
            interfaces: HashMap::new(),
            pstructs: HashMap::new(),
            process_macros: Vec::new(),
            type_decls: HashMap::new(),
            port_flags: HashMap::new(),
            object_types: HashMap::new(),
            file_objects: Arc::default(),
            scope_objects: HashMap::new(),
            wire_connections: Vec::new(),
        }
    }

    /// Stops recording syntax errors met at or after `offset`: after a lexical error there, the
    /// token stream is damaged (a dropped character, a string or comment swallowing the rest of
    /// the line or file) and the syntax errors that follow are its echoes.
    pub(crate) fn silence_from(mut self, offset: usize) -> Self {
        self.silent_from = offset;
        self
    }

    /// The items of the current file.
    pub(crate) fn parse_items(&mut self) -> Vec<Item> {
        let mut items = Vec::new();
        while !self.at(&Tok::Eof) {
            let start_depth = self.bracket_depth;
            let start_pos = self.pos;
            self.forget_export();
            self.defining = None;
            match self.parse_item() {
                Ok(Some(item)) => items.push(item),
                Ok(None) => {}
                Err(Reported) => self.recover_item(start_depth),
            }
            items.append(&mut self.nested_items);
            if self.pos == start_pos {
                // No progress (e.g. a stray closer at top level): step over it.
                self.skip_stray();
            }
        }
        items
    }

    /// Moves on to the next file of a design (its tokens, and the offset of its first lexical
    /// error, see [`Parser::silence_from`]): the types defined so far stay known.
    pub(crate) fn next_file(&mut self, tokens: &'t [Token], silent_from: usize) {
        *self = Parser {
            tokens,
            silent_from,
            types: std::mem::take(&mut self.types),
            namespaces: std::mem::take(&mut self.namespaces),
            open: std::mem::take(&mut self.open),
            exports: std::mem::take(&mut self.exports),
            processes: std::mem::take(&mut self.processes),
            early_uses: std::mem::take(&mut self.early_uses),
            functions: std::mem::take(&mut self.functions),
            function_decls: std::mem::take(&mut self.function_decls),
            interfaces: std::mem::take(&mut self.interfaces),
            pstructs: std::mem::take(&mut self.pstructs),
            type_decls: std::mem::take(&mut self.type_decls),
            file_objects: std::mem::take(&mut self.file_objects),
            scope_objects: std::mem::take(&mut self.scope_objects),
            diags: std::mem::take(&mut self.diags),
            ..Parser::new(tokens)
        };
    }

    /// The program of `items`, with the namespaces defined, and the errors recorded.
    pub(crate) fn finish(mut self, mut items: Vec<Item>) -> (Program, Vec<Diagnostic>) {
        let early = self.processes_used_early();
        self.diags.extend(early);
        items.extend(self.declared_only());
        items.extend(self.functions_declared_only());
        let program = Program {
            items,
            namespaces: self.namespaces,
            opened: self.open,
        };
        (program, self.diags)
    }

    // ------------------------------------------------------------------
    // Token access
    // ------------------------------------------------------------------

    /// `name` as defined in the current namespace: `a::b::name` inside `namespace a { namespace
    /// b { ...`.
    fn qualified(&self, name: &str) -> String {
        self.namespace
            .iter()
            .map(String::as_str)
            .chain([name])
            .collect::<Vec<_>>()
            .join("::")
    }

    /// The user type `name` written here stands for: one of the current namespace (or of an
    /// enclosing one) first, then a global one.
    fn lookup_type(&self, name: &str) -> Option<&UserType> {
        crate::front::ast::scoped_names(&self.qualified(""), name, &self.open)
            .iter()
            .find_map(|candidate| self.types.get(candidate))
    }

    /// The structure of parameters (`defptype`) a name written here stands for.
    fn lookup_pstruct(&self, name: &str) -> Option<Arc<PstructDef>> {
        crate::front::ast::scoped_names(&self.qualified(""), name, &self.open)
            .iter()
            .find_map(|candidate| self.pstructs.get(candidate).cloned())
    }

    /// The qualified name of the user type a name written here stands for.
    fn lookup_type_name(&self, name: &str) -> String {
        crate::front::ast::scoped_names(&self.qualified(""), name, &self.open)
            .into_iter()
            .find(|candidate| self.types.contains_key(candidate))
            .unwrap_or_else(|| name.to_string())
    }

    fn peek(&self) -> &'t Token {
        self.peek_at(0)
    }

    fn peek_at(&self, ahead: usize) -> &'t Token {
        let tokens = self.tokens;
        let index = (self.pos + ahead).min(tokens.len().saturating_sub(1));
        // The lexer always ends the vector with Eof, so `index` is valid unless the vector is
        // empty, which `parse` never passes.
        &tokens[index]
    }

    fn at(&self, kind: &Tok) -> bool {
        &self.peek().kind == kind
    }

    fn at_ident(&self) -> bool {
        matches!(self.peek().kind, Tok::Ident(_))
    }

    /// Consumes the current token (never moves past `Eof`) and tracks bracket depth.
    fn bump(&mut self) -> &'t Token {
        let token = self.peek();
        if token.kind != Tok::Eof {
            self.pos += 1;
            match token.kind {
                Tok::LParen
                | Tok::LBracket
                | Tok::LBrace
                | Tok::StarLBracket
                | Tok::DollarLBrace
                | Tok::LBracketBar => self.bracket_depth += 1,
                Tok::RParen | Tok::RBracket | Tok::RBrace | Tok::BarRBracket => {
                    self.bracket_depth = self.bracket_depth.saturating_sub(1)
                }
                _ => {}
            }
        }
        token
    }

    /// Steps over a token that does not belong where it is (a stray closer) without letting it
    /// change the bracket depth.
    fn skip_stray(&mut self) {
        if !self.at(&Tok::Eof) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, kind: &Tok) -> bool {
        if self.at(kind) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, kind: &Tok) -> PResult<Span> {
        if self.at(kind) {
            Ok(self.bump().span.clone())
        } else {
            Err(self.error_expected(&format!("`{}`", kind.text())))
        }
    }

    fn expect_ident(&mut self, what: &str) -> PResult<Ident> {
        match &self.peek().kind {
            Tok::Ident(name) => {
                let span = self.bump().span.clone();
                Ok(Ident {
                    name: name.clone(),
                    span,
                })
            }
            _ => Err(self.error_expected(what)),
        }
    }

    /// End offset of the last consumed token (for node spans).
    fn prev_end(&self) -> usize {
        match self.pos.checked_sub(1).and_then(|i| self.tokens.get(i)) {
            Some(token) => token.span.end,
            None => 0,
        }
    }

    fn start(&self) -> usize {
        self.peek().span.start
    }

    fn span_from(&self, start: usize) -> Span {
        start..self.prev_end().max(start)
    }

    fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            pos: self.pos,
            bracket_depth: self.bracket_depth,
            diag_count: self.diags.len(),
        }
    }

    fn rewind(&mut self, checkpoint: Checkpoint) {
        self.pos = checkpoint.pos;
        self.bracket_depth = checkpoint.bracket_depth;
        self.diags.truncate(checkpoint.diag_count);
    }

    // ------------------------------------------------------------------
    // Diagnostics and recovery
    // ------------------------------------------------------------------

    fn report(&mut self, diag: Diagnostic) -> Reported {
        if self.peek().span.start >= self.silent_from {
            return Reported;
        }
        // One error per position: a failed construct often makes its callers fail at the same
        // token, and repeating that is noise.
        let duplicate = self
            .diags
            .last()
            .is_some_and(|last| last.span.start == diag.span.start);
        if !duplicate {
            self.diags.push(diag);
        }
        Reported
    }

    fn error_expected(&mut self, what: &str) -> Reported {
        self.error_expected_hint(what, None)
    }

    /// [`Self::error_expected`] with a `help:` line.
    fn error_expected_hint(&mut self, what: &str, hint: Option<&str>) -> Reported {
        let token = self.peek();
        let message = format!("expected {what}, found {}", token.kind.describe());
        let previous = self.pos.checked_sub(1).and_then(|i| self.tokens.get(i));
        let diag = match previous {
            // Something missing at the end of a line (typically a `;`) is best shown where it
            // is missing, not at the start of the next line.
            Some(prev) if self.starts_later_line(prev, token) => {
                Diagnostic::error(prev.span.clone(), message)
                    .with_label(format!("expected {what} after this"))
            }
            _ => Diagnostic::error(token.span.clone(), message)
                .with_label(format!("expected {what} here")),
        };
        let diag = match hint {
            Some(hint) => diag.with_hint(hint),
            None => diag,
        };
        self.report(diag)
    }

    /// Whether `token` is on a later line than `prev`.
    fn starts_later_line(&self, prev: &Token, token: &Token) -> bool {
        token.newline_before && prev.span.end <= token.span.start
    }

    /// Runs `f` one nesting level deeper, failing cleanly past [`MAX_NESTING`].
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.nesting >= MAX_NESTING {
            let span = self.peek().span.clone();
            return Err(self.report(
                Diagnostic::error(
                    span,
                    format!("nesting is too deep (more than {MAX_NESTING} levels)"),
                )
                .with_label("too deeply nested")
                .with_hint("split the expression or statement into smaller parts"),
            ));
        }
        self.nesting += 1;
        let result = f(self);
        self.nesting -= 1;
        result
    }

    /// ACT (its `expr_id`): a name takes a range of an array only in its last part, so
    /// `c[0..1].t` is refused where the `.` follows the range (`expr`, the name so far).
    fn refuse_range_before_dot(&mut self, expr: &Expr) -> PResult<()> {
        let mut at = expr;
        let mut range = None;
        while let ExprKind::Index { base, .. } | ExprKind::Slice { base, .. } = &at.kind {
            if matches!(at.kind, ExprKind::Slice { .. }) {
                range = Some(at);
            }
            at = base;
        }
        let Some(range) = range else {
            return Ok(());
        };
        Err(self.report(
            Diagnostic::error(
                expr.span.clone(),
                format!("invalid use of array sub-range specifier: `{range}` before a `.`"),
            )
            .with_label("a range of an array, then a `.`")
            .with_hint(
                "a range is allowed in the last part of a name only (`c[0..1]`, `c.t[0..1]`)",
            ),
        ))
    }

    /// Fails when `chain` operators folded into one left-nested expression, on top of the
    /// current nesting, would exceed [`MAX_NESTING`].
    fn check_chain_depth(&mut self, chain: usize) -> PResult<()> {
        if self.nesting + chain <= MAX_NESTING {
            return Ok(());
        }
        let span = self.peek().span.clone();
        Err(self.report(
            Diagnostic::error(
                span,
                format!("expression is too deep (more than {MAX_NESTING} levels)"),
            )
            .with_label("one operator too many")
            .with_hint("split the expression using intermediate variables"),
        ))
    }

    /// Consumes one balanced bracket group starting at the current opener (or one token).
    fn skip_balanced(&mut self) {
        let depth = self.bracket_depth;
        self.bump();
        while self.bracket_depth > depth && !self.at(&Tok::Eof) {
            self.bump();
        }
    }

    /// After a failed item or body item that started at `depth`: skips to just after the next
    /// `;` at that depth, or just after a `{ }` block that returns to it, or up to a closing
    /// bracket that would leave it.
    fn recover_item(&mut self, depth: usize) {
        self.recover(depth, &[], true);
    }

    /// After a failed CHP statement that started at `depth`: skips to the next `;` at that
    /// depth (consumed, so the sequence goes on) or up to a `[]`, `<-`, `||` or closer at that
    /// depth.
    fn recover_stmt(&mut self, depth: usize) {
        self.recover(depth, &[Tok::Box, Tok::LArrow, Tok::BarBar], false);
    }

    /// Skips tokens until just after a `;` at `depth`, or up to a closer (or one of `stops`) at
    /// `depth`; with `after_block`, also just after a `}` that returns to `depth`.
    fn recover(&mut self, depth: usize, stops: &[Tok], after_block: bool) {
        loop {
            let kind = &self.peek().kind;
            if *kind == Tok::Eof || self.bracket_depth < depth {
                return;
            }
            if self.bracket_depth == depth {
                match kind {
                    Tok::Semi => {
                        self.bump();
                        return;
                    }
                    Tok::RParen | Tok::RBracket | Tok::RBrace | Tok::BarRBracket => return,
                    other if stops.contains(other) => return,
                    _ => {}
                }
            }
            if after_block && *kind == Tok::RBrace && self.bracket_depth == depth + 1 {
                self.bump();
                return;
            }
            self.bump();
        }
    }

    /// Reports a keyword of full ACT outside the subset and skips its construct.
    fn unsupported(&mut self, word: &str) -> Reported {
        let span = self.peek().span.clone();
        let message = match word {
            "namespace" => "namespaces are not supported yet".to_string(),
            "import" | "export" => format!("`{word}` is not supported yet"),
            "deftype" | "defchan" | "defdata" | "defenum" | "defcell" | "defproc_ext"
            | "function" | "interface" | "macro" | "methods" => {
                format!("`{word}` definitions are not supported yet")
            }
            "ptype" | "pstruct" => format!("`{word}` parameters are not supported yet"),
            _ => format!("`{word}` is not supported yet"),
        };
        let depth = self.bracket_depth;
        let reported = self.report(
            Diagnostic::error(span, message)
                .with_label("not supported by chpsim")
                .with_hint(
                    "chpsim implements ACT's process and CHP subset: defproc, templates, \
                     pint/pbool, bool/int/chan, instances, connections, loops and chp { }",
                ),
        );
        self.bump();
        self.recover_item(depth);
        reported
    }
}
