//! Sublanguage blocks other than CHP: which keyword starts which, and `hse`, `spec`, `refine`
//! and `Initialize` (production rules and sizing are in `prs`, dataflow in `dataflow`).

use super::overrides::OverrideType;
use super::{PResult, Parser};
use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::lexer::Tok;

/// Where a sublanguage block is written.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum LangPlace {
    /// In the body of a process.
    Process,
    /// In a `refine { }` block of a process (nested refinements cannot override types).
    Refinement,
    /// At the top level of a file.
    File,
}

/// The spec directives of ACT's standard configuration.
const SPEC_DIRECTIVES: [&str; 6] = [
    "exclhi",
    "excllo",
    "mk_exclhi",
    "mk_excllo",
    "rand_init",
    "hazard",
];

impl Parser<'_> {
    /// At a keyword: whether it starts a sublanguage block (`prs`, `hse`, `spec`, `sizing`,
    /// `dataflow`, `refine`, `Initialize`, `extern`).
    pub(super) fn at_lang_block(&self) -> bool {
        matches!(&self.peek().kind, Tok::Unsupported(word) if matches!(word.as_str(),
            "prs" | "hse" | "spec" | "sizing" | "dataflow" | "refine" | "Initialize" | "extern"))
    }

    /// A sublanguage block, at its keyword (see [`Parser::at_lang_block`]).
    pub(super) fn parse_lang_block(&mut self, place: LangPlace) -> PResult<LangBlock> {
        let Tok::Unsupported(word) = &self.peek().kind else {
            return Err(self.error_expected("a sublanguage block"));
        };
        let keyword = self.peek().span.clone();
        match word.as_str() {
            "prs" => Ok(LangBlock::Prs(Box::new(self.parse_prs_block()?))),
            "hse" => Ok(LangBlock::Hse(Box::new(self.parse_hse_block()?))),
            "spec" => Ok(LangBlock::Spec(Box::new(self.parse_spec_block()?))),
            "sizing" => Ok(LangBlock::Sizing(Box::new(self.parse_sizing_block()?))),
            "dataflow" => Ok(LangBlock::Dataflow(Box::new(self.parse_dataflow_block()?))),
            "extern" => Ok(LangBlock::Extern(Box::new(self.parse_extern_block()?))),
            "refine" => {
                let block = self.parse_refine_block(place)?;
                if place == LangPlace::File {
                    self.report(
                        Diagnostic::error(
                            keyword,
                            "`refine { }` blocks can only be used in processes",
                        )
                        .with_label("at the top level of the file"),
                    );
                }
                Ok(LangBlock::Refine(Box::new(block)))
            }
            _ => {
                let block = self.parse_initialize_block()?;
                if place != LangPlace::File {
                    self.report(
                        Diagnostic::error(
                            keyword,
                            "an `Initialize { }` block is only allowed at the top level of a file",
                        )
                        .with_label("inside a process")
                        .with_hint("move it out of the process, after the definitions"),
                    );
                }
                Ok(LangBlock::Initialize(Box::new(block)))
            }
        }
    }

    /// `extern (lang) { ... }`: the text between the braces is another language's; it is
    /// skipped token by token, its braces balanced.
    fn parse_extern_block(&mut self) -> PResult<ExternBlock> {
        let start = self.start();
        self.bump();
        self.expect(&Tok::LParen)?;
        let language = self.expect_ident("the name of a language")?;
        self.expect(&Tok::RParen)?;
        let open = self.expect(&Tok::LBrace)?;
        let mut depth = 1usize;
        loop {
            match self.peek().kind {
                Tok::Eof => {
                    return Err(self.report(
                        Diagnostic::error(
                            open,
                            format!("the `extern ({})` block is never closed", language.name),
                        )
                        .with_label("opened here")
                        .with_hint("the file ends before its closing `}`"),
                    ))
                }
                Tok::LBrace | Tok::DollarLBrace => depth += 1,
                Tok::RBrace => depth -= 1,
                _ => {}
            }
            self.bump();
            if depth == 0 {
                break;
            }
        }
        Ok(ExternBlock {
            language,
            span: self.span_from(start),
        })
    }

    /// `hse [<supply>] { body }`: CHP over `bool`s, or labelled fragments.
    fn parse_hse_block(&mut self) -> PResult<HseBlock> {
        let start = self.start();
        self.bump();
        let supply = self.parse_supply()?;
        self.expect(&Tok::LBrace)?;
        let body = if self.at(&Tok::RBrace) {
            HseBody::Plain(Box::new(ChpBlock {
                body: None,
                span: self.span_from(start),
                supply: None,
            }))
        } else if matches!(self.peek().kind, Tok::Ident(_)) && self.peek_at(1).kind == Tok::Colon {
            // HSE statements have no labels: `name :` begins a fragment.
            HseBody::Fragments(self.parse_hse_fragments()?)
        } else {
            let body = self.parse_seq();
            self.check_hse(&body);
            HseBody::Plain(Box::new(ChpBlock {
                body: Some(body),
                span: self.span_from(start),
                supply: None,
            }))
        };
        self.expect(&Tok::RBrace)?;
        Ok(HseBlock {
            supply,
            body,
            span: self.span_from(start),
        })
    }

    /// `a : S : next || b : S : next ...`.
    fn parse_hse_fragments(&mut self) -> PResult<Vec<HseFragment>> {
        let mut fragments = Vec::new();
        loop {
            let label = self.expect_ident("a fragment label")?;
            self.expect(&Tok::Colon)?;
            let outer = std::mem::replace(&mut self.in_hse_fragment, true);
            let body = self.parse_seq_part();
            self.in_hse_fragment = outer;
            self.check_hse(&body);
            self.expect(&Tok::Colon)?;
            let next = if self.eat(&Tok::LBracket) {
                let mut exits = Vec::new();
                loop {
                    let guard = self.parse_expr()?;
                    self.expect(&Tok::Arrow)?;
                    exits.push((guard, self.expect_ident("a fragment label")?));
                    if !self.eat(&Tok::Box) {
                        break;
                    }
                }
                self.expect(&Tok::RBracket)?;
                FragmentNext::Choice(exits)
            } else {
                FragmentNext::Label(self.expect_ident("the label of the next fragment")?)
            };
            fragments.push(HseFragment { label, body, next });
            if !self.eat(&Tok::BarBar) {
                return Ok(fragments);
            }
        }
    }

    /// Reports what CHP has and HSE has not: communications, assignments, labels, probes.
    pub(super) fn check_hse(&mut self, stmt: &Stmt) {
        let not_hse = |what: &str| format!("{what} is not part of HSE");
        let message = match &stmt.kind {
            StmtKind::Send { .. } | StmtKind::Recv { .. } => {
                Some(not_hse("a channel communication"))
            }
            StmtKind::Assign { .. } => Some(
                "an assignment `:=` is not part of HSE: set a bool with `x+` or `x-`".to_string(),
            ),
            StmtKind::MacroCall { .. } => Some(not_hse("a macro call")),
            StmtKind::Assert { .. } => Some(not_hse("an assertion")),
            _ => None,
        };
        if let Some(message) = message {
            self.report(
                Diagnostic::error(stmt.span.clone(), message).with_label("in an `hse` block"),
            );
            return;
        }
        if let Some(label) = &stmt.label {
            self.report(
                Diagnostic::error(label.span.clone(), "HSE statements have no labels")
                    .with_label("a label"),
            );
        }
        if let Some(delay) = &stmt.delay {
            self.report(
                Diagnostic::error(delay.span.clone(), "HSE statements have no delays")
                    .with_label("a delay"),
            );
        }
        let check_guard = |p: &mut Self, g: &Expr| {
            if let Some(probe) = find_probe(g) {
                p.report(
                    Diagnostic::error(probe.clone(), not_hse("a probe"))
                        .with_label("a probe of a channel"),
                );
            }
        };
        match &stmt.kind {
            StmtKind::Seq(stmts) | StmtKind::Par(stmts) => {
                stmts.iter().for_each(|s| self.check_hse(s))
            }
            StmtKind::Select { arms, .. } | StmtKind::GuardedLoop(arms) => {
                for arm in arms {
                    if let Guard::Expr(g) = &arm.guard {
                        check_guard(self, g);
                    }
                    self.check_hse(&arm.body);
                }
            }
            StmtKind::Wait(g) => check_guard(self, g),
            StmtKind::Forever(body) | StmtKind::Replicated { body, .. } => self.check_hse(body),
            StmtKind::DoLoop { body, cond } => {
                check_guard(self, cond);
                self.check_hse(body);
            }
            _ => {}
        }
    }

    /// `spec { [requires { items }] [ensures { items }] items }`.
    fn parse_spec_block(&mut self) -> PResult<SpecBlock> {
        let start = self.start();
        self.bump();
        self.expect(&Tok::LBrace)?;
        let mut items = Vec::new();
        for clause in ["requires", "ensures"] {
            if matches!(&self.peek().kind, Tok::Ident(w) if w == clause)
                && self.peek_at(1).kind == Tok::LBrace
            {
                self.bump();
                self.bump();
                while !self.at(&Tok::RBrace) && !self.at(&Tok::Eof) {
                    items.push(self.parse_spec_item()?);
                }
                self.expect(&Tok::RBrace)?;
            }
        }
        while !self.at(&Tok::RBrace) && !self.at(&Tok::Eof) {
            items.push(self.parse_spec_item()?);
        }
        self.expect(&Tok::RBrace)?;
        Ok(SpecBlock {
            items,
            span: self.span_from(start),
        })
    }

    /// `exclhi(a, b)`, `name(*)` or `timing ...`.
    fn parse_spec_item(&mut self) -> PResult<SpecItem> {
        let start = self.start();
        let name = self.expect_ident("a spec directive such as `exclhi` or `timing`")?;
        if name.name == "timing" && !self.at(&Tok::LParen) {
            let timing = self.parse_timing()?;
            return Ok(SpecItem {
                kind: SpecItemKind::Timing(Box::new(timing)),
                span: self.span_from(start),
            });
        }
        if !SPEC_DIRECTIVES.contains(&name.name.as_str()) {
            return Err(self.report(
                Diagnostic::error(
                    name.span.clone(),
                    format!("unknown spec directive `{}`", name.name),
                )
                .with_label("not a directive of ACT's configuration")
                .with_hint(format!(
                    "the directives are: {}, timing",
                    SPEC_DIRECTIVES.join(", ")
                )),
            ));
        }
        self.expect(&Tok::LParen)?;
        let args = if self.at(&Tok::Star) && self.peek_at(1).kind == Tok::RParen {
            self.bump();
            None
        } else {
            let mut args = vec![self.parse_node_ref()?];
            while self.eat(&Tok::Comma) {
                args.push(self.parse_node_ref()?);
            }
            Some(args)
        };
        self.expect(&Tok::RParen)?;
        Ok(SpecItem {
            kind: SpecItemKind::Directive { name, args },
            span: self.span_from(start),
        })
    }

    /// After `timing`: `[root [dir] :] [?] a [*] [dir] op [ [margin] ] b [*] [dir]`, with ACT's
    /// rules for `->` and `#>` forks (no root, no `*`, no margin; both ends with a direction).
    fn parse_timing(&mut self) -> PResult<Timing> {
        let start = self.start();
        let mut ticked = self.eat(&Tok::Question);
        let first_id = self.parse_node_ref()?;
        let first = self.parse_timing_end(first_id);
        let (root, from) = if !ticked && !first.star && self.eat(&Tok::Colon) {
            ticked = self.eat(&Tok::Question);
            let from_id = self.parse_node_ref()?;
            (Some((first.id, first.dir)), self.parse_timing_end(from_id))
        } else {
            (None, first)
        };
        let kind = match self.peek().kind {
            Tok::Lt => TimingKind::Before,
            Tok::Shl => TimingKind::WellBefore,
            Tok::Arrow => TimingKind::Arrow,
            Tok::Hash if self.peek_at(1).kind == Tok::Gt => TimingKind::HashArrow,
            _ => return Err(self.error_expected("`<`, `<<`, `->` or `#>`")),
        };
        self.bump();
        if kind == TimingKind::HashArrow {
            self.bump();
        }
        let margin = if self.eat(&Tok::LBracket) {
            let margin = self.parse_in_brackets(|p| p.parse_expr())?;
            self.expect(&Tok::RBracket)?;
            Some(margin)
        } else {
            None
        };
        let to_id = self.parse_node_ref()?;
        let to = self.parse_timing_end(to_id);
        let timing = Timing {
            root,
            ticked,
            from,
            kind,
            margin,
            to,
        };
        if let Some(problem) = timing_problem(&timing) {
            return Err(self.report(
                Diagnostic::error(self.span_from(start), problem).with_label("this timing fork"),
            ));
        }
        Ok(timing)
    }

    fn parse_timing_end(&mut self, id: Expr) -> TimingEnd {
        let star = self.eat(&Tok::Star);
        TimingEnd {
            id,
            star,
            dir: self.parse_opt_dir(),
        }
    }

    fn parse_opt_dir(&mut self) -> Option<bool> {
        if self.eat(&Tok::Plus) {
            Some(true)
        } else if self.eat(&Tok::Minus) {
            Some(false)
        } else {
            None
        }
    }

    /// `refine [<N>] [+{ overrides }] { body }`, at `refine`.
    fn parse_refine_block(&mut self, place: LangPlace) -> PResult<RefineBlock> {
        let start = self.start();
        self.bump();
        let steps = if self.eat(&Tok::Lt) {
            let (value, span) = match &self.peek().kind {
                Tok::IntLit(v) => (
                    u64::try_from(v.clone()).unwrap_or(u64::MAX),
                    self.peek().span.clone(),
                ),
                _ => return Err(self.error_expected("an integer (the refinement level)")),
            };
            self.bump();
            self.expect(&Tok::Gt)?;
            Some((value, span))
        } else {
            None
        };
        let mut overrides = Vec::new();
        let mut overrides_span = None;
        if self.at(&Tok::Plus) && self.peek_at(1).kind == Tok::LBrace {
            let at = self.start();
            self.bump();
            self.bump();
            while !self.at(&Tok::RBrace) && !self.at(&Tok::Eof) {
                match self.parse_override() {
                    Ok(o) => overrides.push(o),
                    // Reported: the next override is read after the `;` that ends this one.
                    Err(_) => {
                        while !matches!(self.peek().kind, Tok::Semi | Tok::RBrace | Tok::Eof) {
                            self.bump();
                        }
                        self.eat(&Tok::Semi);
                    }
                }
            }
            self.expect(&Tok::RBrace)?;
            let span = self.span_from(at);
            if place == LangPlace::Refinement {
                self.report(
                    Diagnostic::error(
                        span.clone(),
                        "overrides cannot be given in a nested `refine` block",
                    )
                    .with_label("inside another `refine`"),
                );
            }
            overrides_span = Some(span);
        }
        self.expect(&Tok::LBrace)?;
        let outer = std::mem::replace(&mut self.lang_place, LangPlace::Refinement);
        let body = self.parse_body_items(&Tok::RBrace);
        self.lang_place = outer;
        self.expect(&Tok::RBrace)?;
        Ok(RefineBlock {
            steps,
            overrides,
            overrides_span,
            body,
            span: self.span_from(start),
        })
    }

    /// `type [+] a, b;` in a refinement's overrides.
    fn parse_override(&mut self) -> PResult<Override> {
        let start = self.start();
        let (ty, template_args, data_type, of_data) = match self.parse_override_type()? {
            OverrideType::Data(ty) => {
                let name = Ident {
                    name: ty.to_string(),
                    span: ty.span.clone(),
                };
                (name, Vec::new(), Some(ty), true)
            }
            OverrideType::Appended { name, args } => (name, args, None, true),
            OverrideType::Process { name, args, .. } => (name, args, None, false),
        };
        let direction = match self.peek().kind {
            Tok::Question | Tok::Bang => Some(self.bump().span.clone()),
            _ => None,
        };
        let append_params = self.eat(&Tok::Plus);
        let mut ids = vec![self.expect_ident("an instance name")?];
        while self.eat(&Tok::Comma) {
            ids.push(self.expect_ident("an instance name")?);
        }
        self.expect(&Tok::Semi)?;
        Ok(Override {
            ty,
            template_args,
            of_data,
            data_type,
            refined: Vec::new(),
            append_params,
            direction,
            ids,
            span: self.span_from(start),
        })
    }

    /// `Initialize { actions { hse }; ... }`, at `Initialize`.
    fn parse_initialize_block(&mut self) -> PResult<InitializeBlock> {
        let start = self.start();
        self.bump();
        self.expect(&Tok::LBrace)?;
        let mut actions = Vec::new();
        while !self.at(&Tok::RBrace) && !self.at(&Tok::Eof) {
            let name = self.expect_ident("`actions`")?;
            if name.name != "actions" {
                return Err(self.report(
                    Diagnostic::error(
                        name.span.clone(),
                        format!("expected `actions`, found `{}`", name.name),
                    )
                    .with_label("the items of `Initialize { }` are `actions { ... }`"),
                ));
            }
            let body_start = self.start();
            let body = self.parse_braced_chp()?;
            if let Some(body) = &body {
                self.check_hse(body);
            }
            let span = self.span_from(body_start);
            let supply = None;
            actions.push((name, ChpBlock { body, span, supply }));
            if !self.eat(&Tok::Semi) {
                break;
            }
        }
        self.expect(&Tok::RBrace)?;
        Ok(InitializeBlock {
            actions,
            span: self.span_from(start),
        })
    }
}

/// What ACT refuses in a timing fork, if anything.
fn timing_problem(t: &Timing) -> Option<String> {
    let arrow = matches!(t.kind, TimingKind::Arrow | TimingKind::HashArrow);
    if arrow {
        let symbol = t.kind.symbol();
        let plain = t.root.is_none()
            && t.from.dir.is_some()
            && t.to.dir.is_some()
            && !t.from.star
            && !t.to.star
            && t.margin.is_none();
        if !plain {
            return Some(format!(
                "a `{symbol}` timing directive has no root, `*` or margin, and a direction on both ends"
            ));
        }
        if t.ticked {
            if !same_reference(&t.from.id, &t.to.id) {
                return Some("a `?` timing directive must have the same node on both sides".into());
            }
            if t.from.dir != t.to.dir {
                return Some(
                    "a `?` timing directive must have the same transition on both sides".into(),
                );
            }
        }
    }
    None
}

/// Whether two references are written the same (ignoring spans).
fn same_reference(a: &Expr, b: &Expr) -> bool {
    match (&a.kind, &b.kind) {
        (ExprKind::Name(x), ExprKind::Name(y)) => x.name == y.name,
        (
            ExprKind::Index {
                base: b1,
                index: i1,
            },
            ExprKind::Index {
                base: b2,
                index: i2,
            },
        ) => same_reference(b1, b2) && same_reference(i1, i2),
        (
            ExprKind::Field {
                base: b1,
                field: f1,
            },
            ExprKind::Field {
                base: b2,
                field: f2,
            },
        ) => f1.name == f2.name && same_reference(b1, b2),
        (ExprKind::Int(x), ExprKind::Int(y)) => x == y,
        _ => false,
    }
}

/// The span of a probe `#X` in `e`, if any.
fn find_probe(e: &Expr) -> Option<&Span> {
    match &e.kind {
        ExprKind::Probe(_) => Some(&e.span),
        ExprKind::Unary { operand, .. } => find_probe(operand),
        ExprKind::Binary { lhs, rhs, .. } => find_probe(lhs).or_else(|| find_probe(rhs)),
        _ => None,
    }
}
