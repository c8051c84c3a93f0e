//! Recursive-descent parser from tokens to the [`ast`](crate::front::ast).
//!
//! Error handling: every syntax error is recorded as a [`Diagnostic`] ("expected X, found Y")
//! and the parser resynchronises at the next `;` or closing bracket of the construct it was in,
//! so that one run reports every independent error. Constructs of full ACT outside the subset
//! (`prs { }`, `defenum`, `import`, ...) get a "not supported yet" diagnostic on their keyword
//! and are skipped as a whole.
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

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use num_bigint::BigUint;

use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::lexer::{Tok, Token};

/// Maximum nesting of brackets, statements and unary operators before the parser gives up.
pub const MAX_NESTING: usize = 256;

/// Marker that a diagnostic has been recorded for the failure being propagated.
#[derive(Debug, Clone, Copy)]
pub struct Reported;

type PResult<T> = Result<T, Reported>;

/// The parser state over one token vector (which must end with [`Tok::Eof`]).
pub struct Parser<'t> {
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
    /// The `dataflow { }` blocks of the process being parsed (see `parse_process`).
    dataflow_blocks: Vec<Span>,
    /// Items found inside another (a record's method functions), added after it.
    nested_items: Vec<Item>,
    /// Token positions where `name<...>(` was tried and is not a templated call: trying again
    /// (from an enclosing attempt) would make `a<b<c<...` exponential.
    not_templated_calls: HashSet<usize>,
}

/// What a type name defined by `deftype` or `defchan` stands for.
#[derive(Clone)]
enum UserType {
    Record(Arc<RecordDef>),
    /// `deftype t <: int<W> (...)`, `defchan c <: chan(T) (...)`: CHP sees the base type (the
    /// fields are the type's implementation, for production rules).
    Alias(Type),
    /// `defenum e { A, B, C };`: an `enum<3>` whose values are written `e.A`, `e.B`, `e.C`.
    Enum(Vec<String>),
}

/// Saved position for speculative parsing.
struct Checkpoint {
    pos: usize,
    bracket_depth: usize,
    diag_count: usize,
}

impl<'t> Parser<'t> {
    pub fn new(tokens: &'t [Token]) -> Self {
        Parser {
            tokens,
            pos: 0,
            bracket_depth: 0,
            nesting: 0,
            in_angle_brackets: false,
            silent_from: usize::MAX,
            diags: Vec::new(),
            types: HashMap::new(),
            dataflow_blocks: Vec::new(),
            nested_items: Vec::new(),
            not_templated_calls: HashSet::new(),
        }
    }

    /// Stops recording syntax errors met at or after `offset`: after a lexical error there, the
    /// token stream is damaged (a dropped character, a string or comment swallowing the rest of
    /// the line or file) and the syntax errors that follow are its echoes.
    pub fn silence_from(mut self, offset: usize) -> Self {
        self.silent_from = offset;
        self
    }

    /// Parses a whole file; returns the program and the diagnostics recorded.
    pub fn parse_program(mut self) -> (Program, Vec<Diagnostic>) {
        let mut items = Vec::new();
        while !self.at(&Tok::Eof) {
            let start_depth = self.bracket_depth;
            let start_pos = self.pos;
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
        (Program { items }, self.diags)
    }

    // ------------------------------------------------------------------
    // Token access
    // ------------------------------------------------------------------

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
            "prs" | "hse" | "spec" | "dataflow" | "sizing" | "refine" | "Initialize" => {
                format!("`{word}` blocks are not supported yet")
            }
            "namespace" => "namespaces are not supported yet".to_string(),
            "import" | "open" | "export" => format!("`{word}` is not supported yet"),
            "deftype" | "defchan" | "defdata" | "defenum" | "defcell" | "defproc_ext"
            | "function" | "interface" | "macro" | "methods" => {
                format!("`{word}` definitions are not supported yet")
            }
            "ptype" | "preal" | "pstruct" => format!("`{word}` parameters are not supported yet"),
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

    // ------------------------------------------------------------------
    // Top level
    // ------------------------------------------------------------------

    /// One top-level item; `Ok(None)` for something reported and skipped.
    fn parse_item(&mut self) -> PResult<Option<Item>> {
        match &self.peek().kind {
            Tok::Template if self.template_of_function() => {
                Ok(Some(Item::Function(self.parse_function()?)))
            }
            Tok::Unsupported(word) if word == "function" => {
                Ok(Some(Item::Function(self.parse_function()?)))
            }
            Tok::Template | Tok::Defproc => Ok(self.parse_process()?.map(Item::Process)),
            Tok::Pint | Tok::Pbool => Ok(Some(Item::Params(self.parse_param_decls()?))),
            Tok::Ident(_) => {
                let mut decls = self.parse_instance_decls()?;
                if decls.len() > 1 {
                    let extra = &decls[1];
                    let span = extra.name.span.clone();
                    return Err(self.report(
                        Diagnostic::error(span, "only one top-level instance per declaration")
                            .with_label("second top-level instance")
                            .with_hint("declare the top on its own: `proc top;`"),
                    ));
                }
                Ok(decls.pop().map(Item::Instance))
            }
            // Outside a namespace, `export` changes nothing: the definition is global anyway.
            Tok::Unsupported(word) if word == "export" && self.exports_definition() => {
                self.bump();
                self.parse_item()
            }
            Tok::Unsupported(word) if word == "deftype" || word == "defchan" => {
                self.parse_type_def()?;
                Ok(None)
            }
            Tok::Unsupported(word) if word == "defenum" => {
                self.parse_enum_def()?;
                Ok(None)
            }
            Tok::Unsupported(word) if word == "namespace" => {
                self.parse_namespace()?;
                Ok(None)
            }
            Tok::Unsupported(word) => {
                self.unsupported(word);
                Ok(None)
            }
            _ => {
                Err(self
                    .error_expected("`defproc`, `template`, a top-level instance or a parameter"))
            }
        }
    }

    /// `[template<...>] defproc ...`; `Ok(None)` when the template turns out to introduce an
    /// unsupported definition (reported and skipped).
    fn parse_process(&mut self) -> PResult<Option<ProcessDef>> {
        let start = self.start();
        let mut template_params = Vec::new();
        if self.eat(&Tok::Template) {
            template_params = self.parse_template_params()?;
        }
        if let Tok::Unsupported(word) = &self.peek().kind {
            if word == "deftype" || word == "defchan" {
                let span = self.peek().span.clone();
                let depth = self.bracket_depth;
                self.report(
                    Diagnostic::error(span, format!("templated `{word}` definitions are not supported yet"))
                        .with_label("not supported by chpsim")
                        .with_hint("define the type without `template<...>`, its widths from global parameters"),
                );
                self.bump();
                self.recover_item(depth);
            } else {
                self.unsupported(word);
            }
            return Ok(None);
        }
        self.expect(&Tok::Defproc)?;
        let name = self.expect_ident("a process name")?;
        let ports = if self.at(&Tok::LParen) {
            self.parse_ports()?
        } else {
            Vec::new()
        };
        let open = self.expect(&Tok::LBrace)?;
        let errors_before = self.diags.len();
        let outer_dataflow = std::mem::take(&mut self.dataflow_blocks);
        let body = self.parse_body_until_brace();
        let dataflow = std::mem::replace(&mut self.dataflow_blocks, outer_dataflow);
        // actsim simulates a process's `chp` when it also has a `dataflow` description.
        if !body.iter().any(|item| matches!(item, BodyItem::Chp(_))) {
            for span in dataflow {
                self.report(
                    Diagnostic::error(span, "`dataflow` blocks are not supported yet")
                        .with_label("not supported by chpsim")
                        .with_hint("chpsim simulates `chp { }`: a process with both runs its chp, as actsim does"),
                );
            }
        }
        // At the end of the file, an error inside the body has already said what is open.
        let quiet_end = self.at(&Tok::Eof) && self.diags.len() == errors_before;
        if self.at_process_start() || quiet_end {
            self.unclosed_body(open, &name);
        } else {
            self.expect(&Tok::RBrace)?;
        }
        Ok(Some(ProcessDef {
            name,
            template_params,
            ports,
            body,
            span: self.span_from(start),
        }))
    }

    /// At `export`: whether a definition follows (a process, function or type).
    fn exports_definition(&self) -> bool {
        match &self.peek_at(1).kind {
            Tok::Template | Tok::Defproc => true,
            Tok::Unsupported(word) => ["function", "deftype", "defchan"].contains(&word.as_str()),
            _ => false,
        }
    }

    /// At `template`: whether it introduces a function (the first keyword after the template
    /// parameters is `function`).
    fn template_of_function(&self) -> bool {
        let mut ahead = 1;
        loop {
            match &self.peek_at(ahead).kind {
                Tok::Unsupported(word) => return word == "function",
                Tok::Defproc | Tok::LBrace | Tok::Eof => return false,
                _ => ahead += 1,
            }
        }
    }

    /// `[template<...>] function name (int<8> a; bool b) : int<8> { body }`.
    fn parse_function(&mut self) -> PResult<FunctionDef> {
        let start = self.start();
        let mut template_params = Vec::new();
        if self.eat(&Tok::Template) {
            template_params = self.parse_template_params()?;
        }
        self.bump(); // `function`
        let name = self.expect_ident("a function name")?;
        let args = self.parse_ports()?;
        self.expect(&Tok::Colon)?;
        let result = self.parse_type()?;
        self.expect(&Tok::LBrace)?;
        let body = self.parse_body_until_brace();
        self.expect(&Tok::RBrace)?;
        Ok(FunctionDef {
            name,
            template_params,
            args,
            result,
            body,
            span: self.span_from(start),
        })
    }

    /// At `defproc` or `template`: the start of the next process, never inside a body.
    fn at_process_start(&self) -> bool {
        self.at(&Tok::Defproc) || self.at(&Tok::Template)
    }

    /// The next process (or the end of the file) came before the `}` of the body of `name`
    /// opened at `open`: reported at both places, as if the `}` were there.
    fn unclosed_body(&mut self, open: Span, name: &Ident) {
        let (here, label) = if self.at(&Tok::Eof) {
            (self.prev_end()..self.prev_end(), "the file ends here")
        } else {
            (self.peek().span.clone(), "the next process begins here")
        };
        self.report(
            Diagnostic::error(
                here,
                format!("missing `}}`: the body of `{}` is not closed", name.name),
            )
            .with_label(label)
            .with_note(open, "this `{` is never closed")
            .with_hint("a `}` is missing in this process: the one of a `chp {` block, or its own"),
        );
        self.bracket_depth = self.bracket_depth.saturating_sub(1);
    }

    /// `< pint N, M; pbool B >` (the `template` keyword already consumed).
    fn parse_template_params(&mut self) -> PResult<Vec<ParamDecl>> {
        self.expect(&Tok::Lt)?;
        let params = self.parse_in_angle_brackets(|p| {
            let mut params = Vec::new();
            loop {
                let kind = match &p.peek().kind {
                    Tok::Pint => ParamKind::Pint,
                    Tok::Pbool => ParamKind::Pbool,
                    Tok::Unsupported(word) => {
                        let span = p.peek().span.clone();
                        return Err(p.report(
                            Diagnostic::error(
                                span,
                                format!("`{word}` template parameters are not supported yet"),
                            )
                            .with_label("not supported by chpsim")
                            .with_hint("template parameters can be `pint` or `pbool`"),
                        ));
                    }
                    _ => return Err(p.error_expected("`pint` or `pbool`")),
                };
                let type_start = p.start();
                p.bump();
                loop {
                    let param = p.parse_param_declarator(kind, type_start)?;
                    if !param.dims.is_empty() {
                        return Err(p.report(
                            Diagnostic::error(
                                param.name.span.clone(),
                                "template parameter arrays are not supported yet",
                            )
                            .with_label("array of parameters"),
                        ));
                    }
                    params.push(param);
                    if !p.eat(&Tok::Comma) {
                        break;
                    }
                }
                if !p.eat(&Tok::Semi) {
                    break;
                }
            }
            Ok(params)
        })?;
        self.expect(&Tok::Gt)?;
        Ok(params)
    }

    /// `pint N = 4, M;` or `pbool B;` (in a body or at the top level).
    fn parse_param_decls(&mut self) -> PResult<Vec<ParamDecl>> {
        let start = self.start();
        let kind = if self.eat(&Tok::Pint) {
            ParamKind::Pint
        } else {
            self.expect(&Tok::Pbool)?;
            ParamKind::Pbool
        };
        let mut decls = Vec::new();
        loop {
            decls.push(self.parse_param_declarator(kind, start)?);
            if !self.eat(&Tok::Comma) {
                break;
            }
        }
        self.expect(&Tok::Semi)?;
        Ok(decls)
    }

    /// `N` or `N = expr` after `pint`/`pbool`.
    fn parse_param_declarator(&mut self, kind: ParamKind, start: usize) -> PResult<ParamDecl> {
        let name = self.expect_ident("a parameter name")?;
        let dims = self.parse_dims()?;
        let value = if self.eat(&Tok::Eq) {
            Some(self.parse_expr()?)
        } else {
            None
        };
        Ok(ParamDecl {
            kind,
            name,
            dims,
            value,
            span: self.span_from(start),
        })
    }

    /// `( chan?(int) a, b; chan!(int) r )`.
    fn parse_ports(&mut self) -> PResult<Vec<PortDecl>> {
        self.expect(&Tok::LParen)?;
        let mut ports = Vec::new();
        if self.eat(&Tok::RParen) {
            return Ok(ports);
        }
        loop {
            let start = self.start();
            let ty = self.parse_type()?;
            if !matches!(ty.kind, TypeKind::Chan { .. }) {
                // `bool? i`, `int! o`: a shared variable the process only reads (or writes);
                // chpsim shares it either way.
                let _ = self.eat(&Tok::Question) || self.eat(&Tok::Bang);
            }
            loop {
                let name = self.expect_ident("a port name")?;
                let dims = self.parse_dims()?;
                ports.push(PortDecl {
                    ty: ty.clone(),
                    name,
                    dims,
                    span: self.span_from(start),
                });
                if !self.eat(&Tok::Comma) {
                    break;
                }
            }
            if !self.eat(&Tok::Semi) || self.at(&Tok::RParen) {
                break;
            }
        }
        self.expect(&Tok::RParen)?;
        Ok(ports)
    }

    /// Whether a data or channel type starts here (`enum` is not a keyword: `enum<N>` is).
    fn at_data_type(&self) -> bool {
        match &self.peek().kind {
            Tok::Bool | Tok::Int | Tok::Chan => true,
            Tok::Ident(name) if self.types.contains_key(name) => true,
            Tok::Ident(name) => name == "enum" && self.peek_at(1).kind == Tok::Lt,
            _ => false,
        }
    }

    /// `deftype name (fields) { ... }`, `deftype name <: int<W> (fields) { ... }` or
    /// `defchan name <: chan(T) (fields) { ... }` (at the keyword). The body is skipped: it
    /// holds methods (whose names are kept, so that a call says they are not supported) or
    /// production rules.
    fn parse_type_def(&mut self) -> PResult<()> {
        let start = self.start();
        let is_chan = matches!(&self.peek().kind, Tok::Unsupported(w) if w == "defchan");
        self.bump();
        let name = self.expect_ident("a type name")?;
        let base = if self.at(&Tok::Lt) && self.peek_at(1).kind == Tok::Colon {
            self.bump();
            self.bump();
            Some(self.parse_type()?)
        } else {
            None
        };
        let fields = self.parse_fields()?;
        let (methods, macros) = self.parse_type_body(&name, &fields)?;
        let span = self.span_from(start);
        let defined = match base {
            Some(base) if is_chan == matches!(base.kind, TypeKind::Chan { .. }) => {
                UserType::Alias(base)
            }
            Some(base) => {
                let (message, hint) = if is_chan {
                    (
                        "a `defchan` type must be a channel type",
                        "write `defchan name <: chan(T) () { }`",
                    )
                } else {
                    ("a `deftype` can only refine `bool`, `int<W>` or `enum<N>`", "write `deftype name <: int<W> () { }`, or a record `deftype name (fields) { }`")
                };
                return Err(self.report(
                    Diagnostic::error(base.span, message)
                        .with_label("not a data type here")
                        .with_hint(hint),
                ));
            }
            None if is_chan => {
                return Err(self.report(
                    Diagnostic::error(
                        name.span.clone(),
                        "a `defchan` needs the channel type it refines",
                    )
                    .with_hint("write `defchan name <: chan(T) () { }`"),
                ))
            }
            None => {
                if let Some(field) = fields
                    .iter()
                    .find(|f| matches!(f.ty.kind, TypeKind::Chan { .. }))
                {
                    return Err(self.report(
                        Diagnostic::error(
                            field.ty.span.clone(),
                            "records of channels (interface bundles) are not supported yet",
                        )
                        .with_label("a channel field")
                        .with_hint("a record's fields can be bool, int<W>, enum<N> or records"),
                    ));
                }
                UserType::Record(Arc::new(RecordDef {
                    name: name.clone(),
                    fields,
                    methods,
                    macros,
                    span,
                }))
            }
        };
        if self.types.contains_key(&name.name) {
            return Err(self.report(
                Diagnostic::error(
                    name.span.clone(),
                    format!("type `{}` is defined twice", name.name),
                )
                .with_label("defined again here"),
            ));
        }
        self.types.insert(name.name.clone(), defined);
        Ok(())
    }

    /// `namespace n { items }`: the processes and functions defined inside are named `n::name`
    /// (written so from outside). Names inside a namespace are not looked up in it: its own
    /// items refer to each other by their qualified names too.
    fn parse_namespace(&mut self) -> PResult<()> {
        self.bump();
        let name = self.expect_ident("a namespace name")?;
        self.expect(&Tok::LBrace)?;
        let outer = std::mem::take(&mut self.nested_items);
        while !self.at(&Tok::RBrace) && !self.at(&Tok::Eof) {
            let (start_depth, start_pos) = (self.bracket_depth, self.pos);
            match self.parse_item() {
                Ok(Some(item)) => self.nested_items.push(item),
                Ok(None) => {}
                Err(Reported) => self.recover_item(start_depth),
            }
            if self.pos == start_pos {
                self.skip_stray();
            }
        }
        let inner = std::mem::replace(&mut self.nested_items, outer);
        for mut item in inner {
            let defined = match &mut item {
                Item::Process(def) => Some(&mut def.name),
                Item::Function(def) => Some(&mut def.name),
                Item::Instance(_) | Item::Params(_) => None,
            };
            if let Some(defined) = defined {
                defined.name = format!("{}::{}", name.name, defined.name);
            }
            self.nested_items.push(item);
        }
        self.expect(&Tok::RBrace)?;
        Ok(())
    }

    /// `defenum name { A, B, C };`: the members are the values 0, 1, 2 of an `enum<3>`.
    fn parse_enum_def(&mut self) -> PResult<()> {
        self.bump();
        let name = self.expect_ident("an enumeration name")?;
        self.expect(&Tok::LBrace)?;
        let mut members: Vec<Ident> = vec![self.expect_ident("a member name")?];
        while self.eat(&Tok::Comma) {
            members.push(self.expect_ident("a member name")?);
        }
        self.expect(&Tok::RBrace)?;
        self.eat(&Tok::Semi);
        for (i, member) in members.iter().enumerate() {
            if members[..i].iter().any(|m| m.name == member.name) {
                self.report(
                    Diagnostic::error(
                        member.span.clone(),
                        format!("`{}` is a member of `{}` twice", member.name, name.name),
                    )
                    .with_label("again here"),
                );
            }
        }
        if self.types.contains_key(&name.name) {
            return Err(self.report(
                Diagnostic::error(
                    name.span.clone(),
                    format!("type `{}` is defined twice", name.name),
                )
                .with_label("defined again here"),
            ));
        }
        let names = members.into_iter().map(|m| m.name).collect();
        self.types.insert(name.name, UserType::Enum(names));
        Ok(())
    }

    /// `e.B` for a `defenum e`: the member's number, a constant.
    fn parse_enum_member(&mut self, members: &[String]) -> PResult<Expr> {
        let start = self.start();
        let enum_name = self.expect_ident("an enumeration name")?;
        self.expect(&Tok::Dot)?;
        let member = self.expect_ident("a member name")?;
        let Some(index) = members.iter().position(|m| *m == member.name) else {
            return Err(self.report(
                Diagnostic::error(
                    member.span.clone(),
                    format!("`{}` has no member `{}`", enum_name.name, member.name),
                )
                .with_label("not a member")
                .with_hint(format!("its members are {}", members.join(", "))),
            ));
        };
        Ok(Expr {
            kind: ExprKind::Int(BigUint::from(index)),
            span: self.span_from(start),
        })
    }

    /// The field list `(int<8> a, b; bool c[4])` of a type definition (may be empty).
    fn parse_fields(&mut self) -> PResult<Vec<FieldDecl>> {
        self.expect(&Tok::LParen)?;
        let mut fields = Vec::new();
        loop {
            // `;` separates groups (a leading or trailing one is allowed).
            while self.eat(&Tok::Semi) {}
            if self.eat(&Tok::RParen) {
                return Ok(fields);
            }
            let ty = self.parse_type()?;
            loop {
                let name = self.expect_ident("a field name")?;
                let dims = self.parse_dims()?;
                fields.push(FieldDecl {
                    ty: ty.clone(),
                    name,
                    dims,
                });
                if !self.eat(&Tok::Comma) {
                    break;
                }
            }
            if !self.at(&Tok::Semi) {
                self.expect(&Tok::RParen)?;
                return Ok(fields);
            }
        }
    }

    /// Skips a type definition's body `{ ... }`, returning the names of the functions and
    /// macros defined in it.
    ///
    /// A method function `function f (args) : T { ... }` of type `name` becomes the function
    /// `name.f` whose arguments are the type's fields (which its body reads by name) and then
    /// its own: a call `s.f(a)` passes `s`'s fields and `a`.
    fn parse_type_body(
        &mut self,
        name: &Ident,
        fields: &[FieldDecl],
    ) -> PResult<(Vec<Ident>, Vec<MacroDef>)> {
        let depth = self.bracket_depth;
        self.expect(&Tok::LBrace)?;
        let mut methods = Vec::new();
        let mut macros = Vec::new();
        while self.bracket_depth > depth && !self.at(&Tok::Eof) {
            match &self.peek().kind {
                Tok::Unsupported(w) if w == "function" && self.peek_at(1).kind != Tok::Eof => {
                    let mut def = self.parse_function()?;
                    methods.push(def.name.clone());
                    let field_args = fields.iter().map(|f| PortDecl {
                        ty: f.ty.clone(),
                        name: f.name.clone(),
                        dims: f.dims.clone(),
                        span: f.name.span.clone(),
                    });
                    def.args = field_args.chain(def.args).collect();
                    def.name.name = format!("{}.{}", name.name, def.name.name);
                    self.nested_items.push(Item::Function(def));
                }
                Tok::Unsupported(w) if w == "macro" => {
                    self.bump();
                    let name = self.expect_ident("a macro name")?;
                    methods.push(name.clone());
                    let args = self.parse_ports()?;
                    self.expect(&Tok::LBrace)?;
                    let body = if self.at(&Tok::RBrace) {
                        None
                    } else {
                        Some(self.parse_seq())
                    };
                    self.expect(&Tok::RBrace)?;
                    macros.push(MacroDef { name, args, body });
                }
                _ => {
                    self.bump();
                }
            }
        }
        Ok((methods, macros))
    }

    /// `bool`, `int`, `int<W>`, `enum<N>`, `chan(T)`, `chan?(T)`, `chan!(T)`.
    fn parse_type(&mut self) -> PResult<Type> {
        self.nested(|p| {
            let start = p.start();
            let kind = match &p.peek().kind {
                Tok::Bool => {
                    p.bump();
                    TypeKind::Bool
                }
                Tok::Int => {
                    p.bump();
                    let width = if p.at(&Tok::Lt) {
                        p.bump();
                        let width = p.parse_in_angle_brackets(|p| p.parse_expr())?;
                        p.expect(&Tok::Gt)?;
                        Some(Box::new(width))
                    } else {
                        None
                    };
                    TypeKind::Int { width }
                }
                Tok::Ident(name) if name == "enum" => {
                    p.bump();
                    p.expect(&Tok::Lt)?;
                    let size = p.parse_in_angle_brackets(|p| p.parse_expr())?;
                    p.expect(&Tok::Gt)?;
                    TypeKind::Enum {
                        size: Box::new(size),
                    }
                }
                Tok::Chan => {
                    p.bump();
                    let dir = if p.eat(&Tok::Question) {
                        Some(ChanDir::Input)
                    } else if p.eat(&Tok::Bang) {
                        Some(ChanDir::Output)
                    } else {
                        None
                    };
                    p.expect(&Tok::LParen)?;
                    if p.eat(&Tok::RParen) {
                        // `chan()`: a dataless channel, for `X!` / `X?` synchronisation.
                        return Ok(Type {
                            kind: TypeKind::Chan {
                                dir,
                                data: None,
                                reply: None,
                            },
                            span: p.span_from(start),
                        });
                    }
                    let data = p.parse_type()?;
                    // `chan(T1, T2)`: an exchange channel, T2 flows back from the receiver.
                    let reply = if p.eat(&Tok::Comma) {
                        Some(Box::new(p.parse_type()?))
                    } else {
                        None
                    };
                    p.expect(&Tok::RParen)?;
                    TypeKind::Chan {
                        dir: dir.or_else(|| p.direction_after_type()),
                        data: Some(Box::new(data)),
                        reply,
                    }
                }
                Tok::Ident(name) if p.types.contains_key(name) => p.user_type()?,
                Tok::Unsupported(word) => {
                    let span = p.peek().span.clone();
                    let message = format!("`{word}` is not supported yet");
                    return Err(p.report(Diagnostic::error(span, message).with_label("not a supported type").with_hint(
                        "the supported types are bool, int, int<W>, chan(T), chan?(T), chan!(T)",
                    )));
                }
                _ => return Err(p.error_expected("a type (`bool`, `int`, `int<W>` or `chan(T)`)")),
            };
            Ok(Type {
                kind,
                span: p.span_from(start),
            })
        })
    }

    /// A type name defined by `deftype` or `defchan` (at the name). An alias of a channel type
    /// may be followed by a direction: `e1of2? L`.
    fn user_type(&mut self) -> PResult<TypeKind> {
        let name = self.expect_ident("a type name")?;
        if self.at(&Tok::Lt) {
            let span = self.peek().span.clone();
            return Err(self.report(
                Diagnostic::error(span, format!("`{}` takes no template arguments", name.name))
                    .with_label("templated types are not supported yet"),
            ));
        }
        Ok(match self.types[&name.name].clone() {
            UserType::Record(def) => TypeKind::Record(def),
            UserType::Enum(members) => TypeKind::Enum {
                size: Box::new(Expr {
                    kind: ExprKind::Int(BigUint::from(members.len())),
                    span: name.span.clone(),
                }),
            },
            UserType::Alias(base) => match base.kind {
                TypeKind::Chan {
                    dir: None,
                    data,
                    reply,
                } => TypeKind::Chan {
                    dir: self.direction_after_type(),
                    data,
                    reply,
                },
                kind => kind,
            },
        })
    }

    /// A direction written after a channel type, as ACT allows: `chan(int)! X`, `e1of2? L`.
    fn direction_after_type(&mut self) -> Option<ChanDir> {
        if self.eat(&Tok::Question) {
            Some(ChanDir::Input)
        } else if self.eat(&Tok::Bang) {
            Some(ChanDir::Output)
        } else {
            None
        }
    }

    /// `[N]`, `[lo..hi]`, repeated for several dimensions.
    fn parse_dims(&mut self) -> PResult<Vec<ArrayDim>> {
        let mut dims = Vec::new();
        while self.eat(&Tok::LBracket) {
            let first = self.parse_expr()?;
            let dim = if self.eat(&Tok::DotDot) {
                ArrayDim::Range(first, self.parse_expr()?)
            } else {
                ArrayDim::Size(first)
            };
            self.expect(&Tok::RBracket)?;
            dims.push(dim);
        }
        Ok(dims)
    }

    /// Runs `f` with `>` closing template brackets rather than comparing.
    fn parse_in_angle_brackets<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> PResult<T>,
    ) -> PResult<T> {
        let outer = std::mem::replace(&mut self.in_angle_brackets, true);
        let result = f(self);
        self.in_angle_brackets = outer;
        result
    }

    /// Runs `f` inside a bracket pair, where `>` compares again.
    fn parse_in_brackets<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        let outer = std::mem::replace(&mut self.in_angle_brackets, false);
        let result = f(self);
        self.in_angle_brackets = outer;
        result
    }

    // ------------------------------------------------------------------
    // Process bodies
    // ------------------------------------------------------------------

    /// Body items up to (not including) the closing `}` of the process.
    fn parse_body_until_brace(&mut self) -> Vec<BodyItem> {
        self.parse_body_items(&Tok::RBrace)
    }

    /// Body items until `closer` (not consumed) or end of file, recovering from errors.
    fn parse_body_items(&mut self, closer: &Tok) -> Vec<BodyItem> {
        let mut items = Vec::new();
        // The next process cannot be in a body: a `}` is missing (see `unclosed_body`).
        while !self.at(closer) && !self.at(&Tok::Eof) && !self.at_process_start() {
            let depth = self.bracket_depth;
            let start_pos = self.pos;
            if let Err(Reported) = self.parse_body_item(&mut items) {
                self.recover_item(depth);
            }
            if self.pos == start_pos {
                // A stray closer of another kind: report and step over it.
                self.error_expected("a declaration, instance, connection, loop or `chp` block");
                self.skip_stray();
            }
        }
        items
    }

    /// One body item (several for `int x, y;`), appended to `items`.
    fn parse_body_item(&mut self, items: &mut Vec<BodyItem>) -> PResult<()> {
        let start = self.start();
        match &self.peek().kind {
            Tok::Chp => {
                self.bump();
                if self.at(&Tok::Lt) {
                    let span = self.peek().span.clone();
                    return Err(self.report(
                        Diagnostic::error(
                            span,
                            "supply specifications on `chp` are not supported yet",
                        )
                        .with_label("supply specification"),
                    ));
                }
                self.expect(&Tok::LBrace)?;
                let body = if self.at(&Tok::RBrace) {
                    None
                } else {
                    Some(self.parse_seq())
                };
                self.expect(&Tok::RBrace)?;
                items.push(BodyItem::Chp(ChpBlock {
                    body,
                    span: self.span_from(start),
                }));
            }
            Tok::Pint | Tok::Pbool => {
                items.extend(self.parse_param_decls()?.into_iter().map(BodyItem::Param));
            }
            _ if self.at_data_type() => {
                let ty = self.parse_type()?;
                loop {
                    let name = self.expect_ident("a variable name")?;
                    let dims = self.parse_dims()?;
                    if self.at(&Tok::Eq) {
                        let span = self.peek().span.clone();
                        return Err(self.report(
                            Diagnostic::error(
                                span,
                                "initialisers on declarations are not supported",
                            )
                            .with_label("initialiser")
                            .with_hint("declare the variable, then assign it in the `chp` block"),
                        ));
                    }
                    items.push(BodyItem::Var(VarDecl {
                        ty: ty.clone(),
                        name,
                        dims,
                        span: self.span_from(start),
                    }));
                    if !self.eat(&Tok::Comma) {
                        break;
                    }
                }
                self.expect(&Tok::Semi)?;
            }
            Tok::LParen => {
                let body_loop = self.nested(|p| p.parse_body_loop())?;
                items.push(BodyItem::Loop(body_loop));
            }
            Tok::LBracket => {
                let span = self.peek().span.clone();
                self.report(
                    Diagnostic::error(
                        span,
                        "conditional bodies `[ cond -> ... ]` are not supported yet",
                    )
                    .with_label("conditional body"),
                );
                // Skip just the bracket group: what follows it is independent.
                self.skip_balanced();
            }
            Tok::Ident(_) => {
                let next = &self.peek_at(1).kind;
                if matches!(next, Tok::Ident(_) | Tok::Lt) {
                    for decl in self.parse_instance_decls()? {
                        items.push(BodyItem::Instance(decl));
                    }
                } else {
                    items.push(BodyItem::Connection(self.parse_connection()?));
                }
            }
            Tok::Unsupported(word) if word == "dataflow" && self.peek_at(1).kind == Tok::LBrace => {
                self.dataflow_blocks.push(self.peek().span.clone());
                self.bump();
                self.skip_balanced();
            }
            Tok::Unsupported(word) => {
                // Already skipped: nothing more to recover.
                self.unsupported(word);
            }
            _ => {
                return Err(
                    self.error_expected("a declaration, instance, connection, loop or `chp` block")
                )
            }
        }
        Ok(())
    }

    /// `(i : N : items)` or `(i : lo .. hi : items)`.
    fn parse_body_loop(&mut self) -> PResult<BodyLoop> {
        let start = self.start();
        self.expect(&Tok::LParen)?;
        let var = self.expect_ident("a loop variable")?;
        self.expect(&Tok::Colon)?;
        let range = self.parse_iter_range()?;
        self.expect(&Tok::Colon)?;
        let items = self.parse_body_items(&Tok::RParen);
        self.expect(&Tok::RParen)?;
        Ok(BodyLoop {
            var,
            range,
            items,
            span: self.span_from(start),
        })
    }

    /// `N` or `lo .. hi`.
    fn parse_iter_range(&mut self) -> PResult<IterRange> {
        let first = self.parse_expr()?;
        if self.eat(&Tok::DotDot) {
            Ok(IterRange::Inclusive(first, self.parse_expr()?))
        } else {
            Ok(IterRange::Count(first))
        }
    }

    /// `proc<args> a, b[4], c(x, .R=y);` — one declaration per name.
    fn parse_instance_decls(&mut self) -> PResult<Vec<InstanceDecl>> {
        let start = self.start();
        let process = self.expect_ident("a process name")?;
        let template_args = if self.eat(&Tok::Lt) {
            let args = self.parse_in_angle_brackets(|p| {
                let mut args = Vec::new();
                if !p.at(&Tok::Gt) {
                    loop {
                        args.push(p.parse_expr()?);
                        if !p.eat(&Tok::Comma) {
                            break;
                        }
                    }
                }
                Ok(args)
            })?;
            self.expect(&Tok::Gt)?;
            args
        } else {
            Vec::new()
        };
        let mut decls = Vec::new();
        loop {
            let name = self.expect_ident("an instance name")?;
            let dims = self.parse_dims()?;
            let port_args = if self.at(&Tok::LParen) {
                Some(self.parse_port_args()?)
            } else {
                None
            };
            decls.push(InstanceDecl {
                process: process.clone(),
                template_args: template_args.clone(),
                name,
                dims,
                port_args,
                span: self.span_from(start),
            });
            if !self.eat(&Tok::Comma) {
                break;
            }
        }
        self.expect(&Tok::Semi)?;
        Ok(decls)
    }

    /// `(x, b[0].L, .R = y)`.
    fn parse_port_args(&mut self) -> PResult<Vec<PortArg>> {
        self.expect(&Tok::LParen)?;
        let args = self.parse_in_brackets(|p| {
            let mut args = Vec::new();
            if p.at(&Tok::RParen) {
                return Ok(args);
            }
            loop {
                if p.eat(&Tok::Dot) {
                    let port = p.expect_ident("a port name")?;
                    p.expect(&Tok::Eq)?;
                    let value = p.parse_expr()?;
                    args.push(PortArg::Named { port, value });
                } else {
                    args.push(PortArg::Positional(p.parse_expr()?));
                }
                if !p.eat(&Tok::Comma) {
                    break;
                }
            }
            Ok(args)
        })?;
        self.expect(&Tok::RParen)?;
        Ok(args)
    }

    /// `lhs = rhs;`.
    fn parse_connection(&mut self) -> PResult<Connection> {
        let start = self.start();
        let lhs = self.parse_reference()?;
        if !self.at(&Tok::Eq) {
            return Err(self.error_expected("`=` (a connection) or an instance name"));
        }
        self.bump();
        let rhs = self.parse_expr()?;
        self.expect(&Tok::Semi)?;
        Ok(Connection {
            lhs,
            rhs,
            span: self.span_from(start),
        })
    }

    // ------------------------------------------------------------------
    // CHP
    // ------------------------------------------------------------------

    /// `A || B || ...` where each part is a sequence: ACT's `||` runs its sides in parallel
    /// like `,` but binds looser than `;`.
    fn parse_seq(&mut self) -> Stmt {
        let start = self.start();
        let first = self.parse_seq_part();
        if !self.at(&Tok::BarBar) {
            return first;
        }
        let mut branches = vec![first];
        while self.eat(&Tok::BarBar) {
            branches.push(self.parse_seq_part());
        }
        Stmt::new(StmtKind::Par(branches), self.span_from(start))
    }

    /// `S1; S2; ...` (a trailing `;` is accepted). Errors inside are recovered per statement.
    fn parse_seq_part(&mut self) -> Stmt {
        let start = self.start();
        let mut stmts = Vec::new();
        loop {
            let depth = self.bracket_depth;
            let parsed = self.parse_par().and_then(|stmt| {
                stmts.push(stmt);
                if self.at(&Tok::Semi) || self.at_stmt_end() {
                    Ok(())
                } else {
                    let hint = match self.peek().kind {
                        Tok::Bar => Some(
                            "guarded commands are separated by `[]`: `[ g1 -> S1 [] g2 -> S2 ]`",
                        ),
                        Tok::Arrow => {
                            Some("a guard goes at the start of a selection or loop: `[ g -> S ]`")
                        }
                        _ => None,
                    };
                    Err(self.error_expected_hint("`;` or `,`", hint))
                }
            });
            if parsed.is_err() {
                self.recover_stmt(depth);
                if self.prev_token_is(&Tok::Semi) && !self.at_stmt_end() {
                    continue;
                }
                break;
            }
            if !self.eat(&Tok::Semi) || self.at_stmt_end() {
                break;
            }
        }
        if stmts.len() == 1 {
            stmts
                .pop()
                .unwrap_or_else(|| Stmt::new(StmtKind::Skip, start..start))
        } else {
            Stmt::new(StmtKind::Seq(stmts), self.span_from(start))
        }
    }

    fn prev_token_is(&self, kind: &Tok) -> bool {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .is_some_and(|t| &t.kind == kind)
    }

    /// Tokens that end a statement list (so a trailing `;` before them is fine).
    fn at_stmt_end(&self) -> bool {
        matches!(
            self.peek().kind,
            Tok::RBracket
                | Tok::RParen
                | Tok::RBrace
                | Tok::BarRBracket
                | Tok::BarBar
                | Tok::Box
                | Tok::LArrow
                | Tok::Eof
        )
    }

    /// `S1, S2, ...`.
    fn parse_par(&mut self) -> PResult<Stmt> {
        let start = self.start();
        let first = self.parse_stmt()?;
        if !self.at(&Tok::Comma) {
            return Ok(first);
        }
        let mut stmts = vec![first];
        while self.eat(&Tok::Comma) {
            stmts.push(self.parse_stmt()?);
        }
        Ok(Stmt::new(StmtKind::Par(stmts), self.span_from(start)))
    }

    /// One statement with its optional `@[after=E]` delay and `label:`.
    fn parse_stmt(&mut self) -> PResult<Stmt> {
        self.nested(|p| {
            let start = p.start();
            let delay = if p.at(&Tok::At) {
                Some(p.parse_delay_attr()?)
            } else {
                None
            };
            let label = match (&p.peek().kind, &p.peek_at(1).kind) {
                (Tok::Ident(_), Tok::Colon) => {
                    let label = p.expect_ident("a label")?;
                    p.bump();
                    Some(label)
                }
                _ => None,
            };
            let mut stmt = p.parse_base_stmt()?;
            if delay.is_some() || label.is_some() {
                stmt.delay = delay;
                stmt.label = label;
                stmt.span = p.span_from(start);
            }
            Ok(stmt)
        })
    }

    /// `@[after=E]`: chpsim's per-statement delay (see the module docs of `front`).
    fn parse_delay_attr(&mut self) -> PResult<Expr> {
        self.expect(&Tok::At)?;
        self.expect(&Tok::LBracket)?;
        let key = self.expect_ident("`after`")?;
        if key.name != "after" {
            return Err(self.report(
                Diagnostic::error(
                    key.span,
                    format!("unknown statement attribute `{}`", key.name),
                )
                .with_label("unknown attribute")
                .with_hint("the only statement attribute is the delay: `@[after=5] S`"),
            ));
        }
        self.expect(&Tok::Eq)?;
        let delay = self.parse_in_brackets(|p| p.parse_expr())?;
        self.expect(&Tok::RBracket)?;
        Ok(delay)
    }

    fn parse_base_stmt(&mut self) -> PResult<Stmt> {
        let start = self.start();
        let kind = match &self.peek().kind {
            Tok::Skip => {
                self.bump();
                StmtKind::Skip
            }
            Tok::LParen => return self.parse_paren_stmt(),
            Tok::LBracketBar => {
                self.bump();
                let arms = self.parse_arms(None)?;
                self.expect(&Tok::BarRBracket)?;
                StmtKind::Select {
                    nondeterministic: true,
                    arms,
                }
            }
            Tok::LBracket => return self.parse_bracket_stmt(),
            Tok::StarLBracket => return self.parse_loop_stmt(),
            Tok::Ident(name) if matches!(self.peek_at(1).kind, Tok::LParen) => {
                return self.parse_call_stmt(name)
            }
            Tok::Ident(_) => return self.parse_action_stmt(),
            Tok::Unsupported(word) => {
                let span = self.peek().span.clone();
                return Err(self.report(
                    Diagnostic::error(span, format!("`{word}` is a reserved word of ACT"))
                        .with_label("not a statement"),
                ));
            }
            _ => return Err(self.error_expected("a statement")),
        };
        Ok(Stmt::new(kind, self.span_from(start)))
    }

    /// `( S )`, `(; i : N : S)`, `(, i : N : S)`, `(|| i : N : S)`.
    fn parse_paren_stmt(&mut self) -> PResult<Stmt> {
        let start = self.start();
        self.expect(&Tok::LParen)?;
        let parallel = match self.peek().kind {
            Tok::Semi => Some(false),
            Tok::Comma | Tok::BarBar => Some(true),
            _ => None,
        };
        let Some(parallel) = parallel else {
            let inner = self.parse_seq();
            self.expect(&Tok::RParen)?;
            return Ok(inner);
        };
        self.bump();
        let var = self.expect_ident("a loop variable")?;
        self.expect(&Tok::Colon)?;
        let range = self.parse_iter_range()?;
        self.expect(&Tok::Colon)?;
        let body = self.parse_seq();
        self.expect(&Tok::RParen)?;
        Ok(Stmt::new(
            StmtKind::Replicated {
                parallel,
                var,
                range,
                body: Box::new(body),
            },
            self.span_from(start),
        ))
    }

    /// `[ arms ]`, `[ g ]` or `[ S ]`.
    fn parse_bracket_stmt(&mut self) -> PResult<Stmt> {
        let start = self.start();
        self.expect(&Tok::LBracket)?;
        let kind = if self.arms_start_here() {
            StmtKind::Select {
                nondeterministic: false,
                arms: self.parse_arms(None)?,
            }
        } else if let Some(guard) = self.try_guard(true) {
            if self.at(&Tok::Arrow) {
                StmtKind::Select {
                    nondeterministic: false,
                    arms: self.parse_arms(Some(guard))?,
                }
            } else {
                StmtKind::Wait(guard)
            }
        } else {
            // ACT allows brackets as statement grouping: `[ S ]`.
            let inner = self.parse_seq();
            self.expect(&Tok::RBracket)?;
            return Ok(inner);
        };
        self.expect(&Tok::RBracket)?;
        Ok(Stmt::new(kind, self.span_from(start)))
    }

    /// `*[ S ]`, `*[ arms ]`, `*[ S <- g ]`.
    fn parse_loop_stmt(&mut self) -> PResult<Stmt> {
        let start = self.start();
        self.expect(&Tok::StarLBracket)?;
        let kind = if self.arms_start_here() {
            StmtKind::GuardedLoop(self.parse_arms(None)?)
        } else if let Some(guard) = self.try_guard(false) {
            StmtKind::GuardedLoop(self.parse_arms(Some(guard))?)
        } else {
            let body = self.parse_seq();
            if self.eat(&Tok::LArrow) {
                let cond = self.parse_expr()?;
                StmtKind::DoLoop {
                    body: Box::new(body),
                    cond,
                }
            } else {
                StmtKind::Forever(Box::new(body))
            }
        };
        self.expect(&Tok::RBracket)?;
        Ok(Stmt::new(kind, self.span_from(start)))
    }

    /// Whether the bracket content surely starts with a guarded command (`else ->` or a
    /// replicated guard `([] ...`).
    fn arms_start_here(&self) -> bool {
        self.at(&Tok::Else) || (self.at(&Tok::LParen) && self.peek_at(1).kind == Tok::Box)
    }

    /// Speculatively parses an expression followed by `->` (or by `]` when `allow_wait`, for
    /// `[ g ]`); rewinds and returns `None` if the bracket holds something else (a statement).
    fn try_guard(&mut self, allow_wait: bool) -> Option<Expr> {
        let checkpoint = self.checkpoint();
        let nesting = self.nesting;
        match self.parse_expr() {
            Ok(expr) if self.at(&Tok::Arrow) || (allow_wait && self.at(&Tok::RBracket)) => {
                Some(expr)
            }
            _ => {
                self.rewind(checkpoint);
                self.nesting = nesting;
                None
            }
        }
    }

    /// `g1 -> S1 [] g2 -> S2 [] else -> S3`; `first_guard` is an already-parsed first guard.
    fn parse_arms(&mut self, first_guard: Option<Expr>) -> PResult<Vec<GuardedCmd>> {
        let mut arms = Vec::new();
        let mut pending = first_guard;
        loop {
            arms.push(self.parse_arm(pending.take())?);
            if !self.eat(&Tok::Box) {
                break;
            }
        }
        Ok(arms)
    }

    fn parse_arm(&mut self, parsed_guard: Option<Expr>) -> PResult<GuardedCmd> {
        let start = parsed_guard
            .as_ref()
            .map_or_else(|| self.start(), |guard| guard.span.start);
        if parsed_guard.is_none() && self.at(&Tok::LParen) && self.peek_at(1).kind == Tok::Box {
            return self.parse_replicated_arm();
        }
        let guard = match parsed_guard {
            Some(guard) => Guard::Expr(guard),
            None if self.eat(&Tok::Else) => Guard::Else,
            None => Guard::Expr(self.parse_expr()?),
        };
        self.expect(&Tok::Arrow)?;
        let body = self.parse_seq();
        Ok(GuardedCmd {
            replicator: None,
            guard,
            body,
            span: self.span_from(start),
        })
    }

    /// `([] i : N : g -> S)`.
    fn parse_replicated_arm(&mut self) -> PResult<GuardedCmd> {
        let start = self.start();
        self.expect(&Tok::LParen)?;
        self.expect(&Tok::Box)?;
        let var = self.expect_ident("a loop variable")?;
        self.expect(&Tok::Colon)?;
        let range = self.parse_iter_range()?;
        self.expect(&Tok::Colon)?;
        let guard = self.parse_expr()?;
        self.expect(&Tok::Arrow)?;
        let body = self.parse_seq();
        self.expect(&Tok::RParen)?;
        Ok(GuardedCmd {
            replicator: Some(Replicator { var, range }),
            guard: Guard::Expr(guard),
            body,
            span: self.span_from(start),
        })
    }

    /// `log(...)`, `log_p(...)`, `log_st()`, `log_nl()`, `warn(...)`, `assert(...)`.
    fn parse_call_stmt(&mut self, name: &str) -> PResult<Stmt> {
        let start = self.start();
        let function = self.expect_ident("a function name")?;
        let log_kind = match name {
            "log" => Some(LogKind::Line),
            "log_p" => Some(LogKind::Part),
            "log_st" => Some(LogKind::Start),
            "log_nl" => Some(LogKind::End),
            "warn" => Some(LogKind::Warn),
            _ => None,
        };
        if log_kind.is_none() && name != "assert" {
            return Err(self.report(
                Diagnostic::error(function.span, format!("unknown CHP function `{name}`"))
                    .with_label("not a known function")
                    .with_hint(
                        "the supported functions are `log`, `log_p`, `log_st`, `log_nl`, `warn` \
                         and `assert`",
                    ),
            ));
        }
        self.expect(&Tok::LParen)?;
        let mut args = self.parse_in_brackets(|p| {
            let mut args = Vec::new();
            if p.at(&Tok::RParen) {
                return Ok(args);
            }
            loop {
                args.push(p.parse_log_arg()?);
                if p.at(&Tok::RParen) {
                    break;
                }
                if !p.eat(&Tok::Comma) {
                    return Err(p.error_expected_hint(
                        "`,` or `)`",
                        Some("separate the arguments with commas: `log(\"x = \", x)`"),
                    ));
                }
            }
            Ok(args)
        })?;
        self.expect(&Tok::RParen)?;
        let span = self.span_from(start);
        if let Some(kind) = log_kind {
            if matches!(kind, LogKind::Start | LogKind::End) && !args.is_empty() {
                return Err(self.report(
                    Diagnostic::error(span, format!("`{name}` takes no arguments"))
                        .with_label("arguments here")
                        .with_hint(
                            "`log_st()` starts a log line, `log_p(...)` adds to it, \
                             `log_nl()` ends it",
                        ),
                ));
            }
            return Ok(Stmt::new(StmtKind::Log { kind, args }, span));
        }
        if args.is_empty() {
            return Err(self.report(
                Diagnostic::error(span, "`assert` needs a condition")
                    .with_label("no condition")
                    .with_hint("write `assert(cond)` or `assert(cond, \"message\", value)`"),
            ));
        }
        match args.remove(0) {
            LogArg::Expr(cond) => Ok(Stmt::new(
                StmtKind::Assert {
                    cond,
                    message: args,
                },
                span,
            )),
            LogArg::Str(_, str_span) => Err(self.report(
                Diagnostic::error(
                    str_span,
                    "the first argument of `assert` must be a condition",
                )
                .with_label("a string, not a condition"),
            )),
        }
    }

    fn parse_log_arg(&mut self) -> PResult<LogArg> {
        if let Tok::Str(text) = &self.peek().kind {
            let span = self.bump().span.clone();
            return Ok(LogArg::Str(text.clone(), span));
        }
        Ok(LogArg::Expr(self.parse_expr()?))
    }

    /// Statements that start with a reference: `x := e`, `b+`, `b-`, `X!e`, `X!`, `X?x`, `X?`.
    fn parse_action_stmt(&mut self) -> PResult<Stmt> {
        let start = self.start();
        let target = self.parse_reference()?;
        if let ExprKind::MethodCall {
            receiver,
            method,
            args,
        } = target.kind
        {
            let kind = StmtKind::MacroCall {
                receiver: *receiver,
                method,
                args,
            };
            return Ok(Stmt::new(kind, self.span_from(start)));
        }
        let kind = match self.peek().kind {
            Tok::Assign => {
                self.bump();
                StmtKind::Assign {
                    target,
                    value: self.parse_expr()?,
                }
            }
            Tok::Plus => {
                self.bump();
                StmtKind::SetBool {
                    target,
                    value: true,
                }
            }
            Tok::Minus => {
                self.bump();
                StmtKind::SetBool {
                    target,
                    value: false,
                }
            }
            Tok::Bang => {
                self.bump();
                let flavor = self.parse_flavor("`X!-` carries no data: send it with `X!+e`")?;
                let (value, reply) = if self.at_expr_start() {
                    self.parse_sent_value()?
                } else {
                    (None, None)
                };
                StmtKind::Send {
                    chan: target,
                    value,
                    reply,
                    flavor,
                }
            }
            Tok::Question => {
                self.bump();
                let flavor = self.parse_flavor("`X?-` receives no data: receive it with `X?+x`")?;
                let received = if self.at_ident() {
                    Some(self.parse_reference()?)
                } else if matches!(self.peek().kind, Tok::Int | Tok::Bool) {
                    // `X?int(v)` / `X?bool(v)`: receive into a variable of the other type.
                    Some(self.parse_cast(|p| p.parse_reference())?)
                } else if self.at(&Tok::LParen) {
                    let span = self.peek().span.clone();
                    return Err(self.report(
                        Diagnostic::error(span, "receiving into a list is not supported")
                            .with_label("a list of variables")
                            .with_hint("receive into one variable: `X?x`"),
                    ));
                } else {
                    None
                };
                // `X?x!e`: an exchange, `e` goes back to the sender.
                let reply = if received.is_some() && self.eat(&Tok::Bang) {
                    Some(self.parse_expr()?)
                } else {
                    None
                };
                StmtKind::Recv {
                    chan: target,
                    target: received,
                    reply,
                    flavor,
                }
            }
            _ => {
                let hint = if self.at(&Tok::Eq) {
                    Some("assignment is written `:=` (`x := e`); `=` compares two values")
                } else if self.peek_binary_op().is_some() {
                    Some("if this is a guard, follow it with `->`: `[ x > 0 -> S ]`")
                } else {
                    None
                };
                return Err(self.error_expected_hint("`:=`, `!`, `?`, `+` or `-`", hint));
            }
        };
        Ok(Stmt::new(kind, self.span_from(start)))
    }

    /// The value of a send, and the variable of an exchange's reply: `X!e?v`. A `?` after the
    /// value starts the reply unless a `:` follows (then it is the conditional `c ? a : b`).
    fn parse_sent_value(&mut self) -> PResult<(Option<Expr>, Option<Expr>)> {
        let value = self.parse_binary(1)?;
        if !self.eat(&Tok::Question) {
            return Ok((Some(value), None));
        }
        let then = self.parse_expr()?;
        if !self.eat(&Tok::Colon) {
            return Ok((Some(value), Some(then)));
        }
        let otherwise = self.parse_expr()?;
        let span = value.span.start..otherwise.span.end;
        let conditional = Expr {
            kind: ExprKind::Conditional {
                cond: Box::new(value),
                then: Box::new(then),
                otherwise: Box::new(otherwise),
            },
            span,
        };
        Ok((Some(conditional), None))
    }

    /// The flavor right after `!` or `?` (`X!+`, `X?-`: written together, as ACT's tokens
    /// `!+`, `?-` are). `X!-`/`X?-` must not be followed by data (`data_hint` says so).
    fn parse_flavor(&mut self, data_hint: &str) -> PResult<Option<Flavor>> {
        let flavor = match self.peek().kind {
            Tok::Plus => Flavor::Plus,
            Tok::Minus => Flavor::Minus,
            _ => return Ok(None),
        };
        if self.peek().span.start != self.prev_end() {
            return Ok(None);
        }
        let sign = self.bump().span.clone();
        let data_follows = self.at_expr_start() || matches!(self.peek().kind, Tok::Int | Tok::Bool);
        if flavor == Flavor::Minus && data_follows {
            let span = sign.start..self.peek().span.end;
            return Err(self.report(
                Diagnostic::error(span, "the `-` half of a flavored handshake carries no data")
                    .with_label("data after `-`")
                    .with_hint(data_hint),
            ));
        }
        Ok(Some(flavor))
    }

    fn at_expr_start(&self) -> bool {
        matches!(
            self.peek().kind,
            Tok::Ident(_)
                | Tok::IntLit(_)
                | Tok::True
                | Tok::False
                | Tok::LParen
                | Tok::LBrace
                | Tok::Tilde
                | Tok::Minus
                | Tok::Hash
                | Tok::Int
                | Tok::Bool
        )
    }

    // ------------------------------------------------------------------
    // Expressions
    // ------------------------------------------------------------------

    /// An expression; the conditional `c ? a : b` binds loosest (as in ACT) and nests to the
    /// right: `c ? a : d ? b : e` is `c ? a : (d ? b : e)`.
    pub fn parse_expr(&mut self) -> PResult<Expr> {
        let cond = self.parse_binary(1)?;
        if !self.eat(&Tok::Question) {
            return Ok(cond);
        }
        self.nested(|p| {
            let then = p.parse_expr()?;
            p.expect(&Tok::Colon)?;
            let otherwise = p.parse_expr()?;
            let span = cond.span.start..otherwise.span.end;
            Ok(Expr {
                kind: ExprKind::Conditional {
                    cond: Box::new(cond),
                    then: Box::new(then),
                    otherwise: Box::new(otherwise),
                },
                span,
            })
        })
    }

    /// Precedence climbing: operators of precedence >= `min_prec`, left-associative.
    fn parse_binary(&mut self, min_prec: u8) -> PResult<Expr> {
        let mut lhs = self.parse_unary()?;
        // Each operator folded here deepens the left spine of the tree; count it like nesting
        // so that `1+1+...+1` cannot build a tree too deep to walk or drop recursively.
        let mut chain = 0;
        while let Some(op) = self.peek_binary_op() {
            let prec = op.precedence();
            if prec < min_prec {
                break;
            }
            chain += 1;
            self.check_chain_depth(chain)?;
            self.bump();
            let rhs = self.parse_binary(prec + 1)?;
            let span = lhs.span.start..rhs.span.end;
            lhs = Expr {
                kind: ExprKind::Binary {
                    op,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                },
                span,
            };
        }
        Ok(lhs)
    }

    fn peek_binary_op(&self) -> Option<BinaryOp> {
        let op = match self.peek().kind {
            Tok::Bar => BinaryOp::Or,
            Tok::Caret => BinaryOp::Xor,
            Tok::Amp => BinaryOp::And,
            Tok::Eq => BinaryOp::Eq,
            Tok::Ne => BinaryOp::Ne,
            Tok::Lt => BinaryOp::Lt,
            Tok::Le => BinaryOp::Le,
            Tok::Gt if !self.in_angle_brackets => BinaryOp::Gt,
            Tok::Ge => BinaryOp::Ge,
            Tok::Shl => BinaryOp::Shl,
            Tok::Shr => BinaryOp::Shr,
            Tok::Asr => BinaryOp::Asr,
            Tok::Plus => BinaryOp::Add,
            Tok::Minus => BinaryOp::Sub,
            Tok::Star => BinaryOp::Mul,
            Tok::Slash => BinaryOp::Div,
            Tok::Percent => BinaryOp::Mod,
            _ => return None,
        };
        Some(op)
    }

    fn parse_unary(&mut self) -> PResult<Expr> {
        self.nested(|p| {
            let start = p.start();
            let op = match p.peek().kind {
                Tok::Tilde => Some(UnaryOp::Not),
                Tok::Minus => Some(UnaryOp::Neg),
                _ => None,
            };
            match op {
                Some(op) => {
                    p.bump();
                    let operand = p.parse_unary()?;
                    Ok(Expr {
                        kind: ExprKind::Unary {
                            op,
                            operand: Box::new(operand),
                        },
                        span: p.span_from(start),
                    })
                }
                None => p.parse_primary(),
            }
        })
    }

    fn parse_primary(&mut self) -> PResult<Expr> {
        let start = self.start();
        let kind = match &self.peek().kind {
            Tok::IntLit(value) => {
                self.bump();
                ExprKind::Int(value.clone())
            }
            Tok::True => {
                self.bump();
                ExprKind::Bool(true)
            }
            Tok::False => {
                self.bump();
                ExprKind::Bool(false)
            }
            Tok::Ident(name) if self.peek_at(1).kind == Tok::LParen => {
                return match self.types.get(name).cloned() {
                    Some(UserType::Record(record)) => self.parse_record_of(record),
                    _ => self.parse_call(),
                };
            }
            Tok::Ident(_) if self.peek_at(1).kind == Tok::Lt => {
                if let Some(call) = self.try_templated_call()? {
                    return Ok(call);
                }
                return self.parse_reference();
            }
            Tok::Ident(name) if self.peek_at(1).kind == Tok::Dot => {
                if let Some(UserType::Enum(members)) = self.types.get(name).cloned() {
                    return self.parse_enum_member(&members);
                }
                return self.parse_reference();
            }
            Tok::Ident(_) => return self.parse_reference(),
            Tok::Int | Tok::Bool if self.peek_at(1).kind == Tok::LParen => {
                return self.parse_cast(|p| p.parse_expr())
            }
            Tok::Hash => {
                self.bump();
                let chan = self.parse_reference()?;
                ExprKind::Probe(Box::new(chan))
            }
            Tok::LParen => {
                self.bump();
                let inner = self.parse_in_brackets(|p| p.parse_expr())?;
                self.expect(&Tok::RParen)?;
                // Keep the parentheses in the span so that messages quote what was written.
                return Ok(Expr {
                    kind: inner.kind,
                    span: self.span_from(start),
                });
            }
            Tok::LBrace => {
                self.bump();
                let parts = self.parse_in_brackets(Self::parse_expr_list)?;
                self.expect(&Tok::RBrace)?;
                ExprKind::Concat(parts)
            }
            _ => return Err(self.error_expected("an expression")),
        };
        Ok(Expr {
            kind,
            span: self.span_from(start),
        })
    }

    /// `int(e)`, `int(e, w)` or `bool(e)`, with `inner` parsing `e` (an expression, or the
    /// variable of a receive cast `X?int(v)`).
    fn parse_cast(&mut self, inner: impl FnOnce(&mut Self) -> PResult<Expr>) -> PResult<Expr> {
        let start = self.start();
        let to = if self.eat(&Tok::Int) {
            CastTo::Int
        } else {
            self.expect(&Tok::Bool)?;
            CastTo::Bool
        };
        self.expect(&Tok::LParen)?;
        let (value, width) = self.parse_in_brackets(|p| {
            let value = inner(p)?;
            let width = if to == CastTo::Int && p.eat(&Tok::Comma) {
                Some(Box::new(p.parse_expr()?))
            } else {
                None
            };
            Ok((value, width))
        })?;
        self.expect(&Tok::RParen)?;
        Ok(Expr {
            kind: ExprKind::Cast {
                to,
                value: Box::new(value),
                width,
            },
            span: self.span_from(start),
        })
    }

    /// `f<4, N>(a, b)` if that is what follows (`None`, nothing consumed, if not): a name followed by
    /// `<` is a comparison unless template arguments, `>` and `(` follow.
    fn try_templated_call(&mut self) -> PResult<Option<Expr>> {
        if self.not_templated_calls.contains(&self.pos) {
            return Ok(None);
        }
        let checkpoint = self.checkpoint();
        let func = self.expect_ident("a function name")?;
        let template_args = self.parse_template_args().ok();
        match template_args {
            // A call, whose arguments must parse.
            Some(template_args) if self.at(&Tok::LParen) => {
                self.parse_call_args(func, template_args).map(Some)
            }
            _ => {
                self.not_templated_calls.insert(checkpoint.pos);
                self.rewind(checkpoint);
                Ok(None)
            }
        }
    }

    /// `a, b, c`: one or more expressions separated by commas.
    fn parse_expr_list(&mut self) -> PResult<Vec<Expr>> {
        let mut exprs = vec![self.parse_expr()?];
        while self.eat(&Tok::Comma) {
            exprs.push(self.parse_expr()?);
        }
        Ok(exprs)
    }

    /// `<a, b>` after a function name.
    fn parse_template_args(&mut self) -> PResult<Vec<Expr>> {
        self.expect(&Tok::Lt)?;
        let args = self.parse_in_angle_brackets(Self::parse_expr_list)?;
        self.expect(&Tok::Gt)?;
        Ok(args)
    }

    /// `f(a, b)`: a call of a built-in function such as `bitwidth(x)`, or of a user's function.
    fn parse_call(&mut self) -> PResult<Expr> {
        let func = self.expect_ident("a function name")?;
        self.parse_call_args(func, Vec::new())
    }

    /// `(a, b)` after the function name (and template arguments) of a call.
    fn parse_call_args(&mut self, func: Ident, template_args: Vec<Expr>) -> PResult<Expr> {
        let start = func.span.start;
        let args = self.parse_arg_list()?;
        Ok(Expr {
            kind: ExprKind::Call {
                func: Box::new(func),
                template_args,
                args,
            },
            span: self.span_from(start),
        })
    }

    /// `(a, b)`: the arguments of a call.
    fn parse_arg_list(&mut self) -> PResult<Vec<Expr>> {
        self.expect(&Tok::LParen)?;
        let args = self.parse_in_brackets(|p| {
            let mut args = Vec::new();
            if !p.at(&Tok::RParen) {
                args.push(p.parse_expr()?);
                while p.eat(&Tok::Comma) {
                    args.push(p.parse_expr()?);
                }
            }
            Ok(args)
        })?;
        self.expect(&Tok::RParen)?;
        Ok(args)
    }

    /// `name(e)` for a record type `name`, followed by any of `.field`, `[index]`, `{hi..lo}`.
    fn parse_record_of(&mut self, record: Arc<RecordDef>) -> PResult<Expr> {
        let name = self.expect_ident("a type name")?;
        let start = name.span.start;
        self.expect(&Tok::LParen)?;
        let value = self.parse_in_brackets(|p| p.parse_expr())?;
        self.expect(&Tok::RParen)?;
        let expr = Expr {
            kind: ExprKind::RecordOf {
                record,
                value: Box::new(value),
            },
            span: self.span_from(start),
        };
        self.parse_selectors(expr, start)
    }

    /// `name` followed by any of `[index]`, `.field`, `{hi}`, `{hi..lo}`.
    fn parse_reference(&mut self) -> PResult<Expr> {
        let name = self.expect_ident("a name")?;
        let start = name.span.start;
        let expr = Expr {
            span: name.span.clone(),
            kind: ExprKind::Name(name),
        };
        self.parse_selectors(expr, start)
    }

    /// Any of `[index]`, `.field`, `{hi}`, `{hi..lo}` after `expr` (which begins at `start`).
    fn parse_selectors(&mut self, mut expr: Expr, start: usize) -> PResult<Expr> {
        let mut chain = 0;
        loop {
            if matches!(self.peek().kind, Tok::LBracket | Tok::Dot | Tok::LBrace) {
                chain += 1;
                self.check_chain_depth(chain)?;
            }
            match self.peek().kind {
                Tok::LBracket => {
                    self.bump();
                    let index = self.parse_in_brackets(|p| p.parse_expr())?;
                    self.expect(&Tok::RBracket)?;
                    expr = Expr {
                        kind: ExprKind::Index {
                            base: Box::new(expr),
                            index: Box::new(index),
                        },
                        span: self.span_from(start),
                    };
                }
                Tok::Dot => {
                    self.bump();
                    let field = self.expect_ident("a port name")?;
                    if self.at(&Tok::LParen) {
                        let args = self.parse_arg_list()?;
                        expr = Expr {
                            kind: ExprKind::MethodCall {
                                receiver: Box::new(expr),
                                method: field,
                                args,
                            },
                            span: self.span_from(start),
                        };
                        continue;
                    }
                    expr = Expr {
                        kind: ExprKind::Field {
                            base: Box::new(expr),
                            field,
                        },
                        span: self.span_from(start),
                    };
                }
                Tok::LBrace => {
                    self.bump();
                    let (hi, lo) = self.parse_in_brackets(|p| {
                        let hi = p.parse_expr()?;
                        let lo = if p.eat(&Tok::DotDot) {
                            Some(Box::new(p.parse_expr()?))
                        } else {
                            None
                        };
                        Ok((hi, lo))
                    })?;
                    self.expect(&Tok::RBrace)?;
                    expr = Expr {
                        kind: ExprKind::BitSlice {
                            base: Box::new(expr),
                            hi: Box::new(hi),
                            lo,
                        },
                        span: self.span_from(start),
                    };
                }
                _ => return Ok(expr),
            }
        }
    }
}
