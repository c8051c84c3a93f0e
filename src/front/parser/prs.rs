//! Production rules (`prs { }`) and transistor sizing (`sizing { }`), with ACT's grammar.
//!
//! A rule is `guard arrow target dir`: the guard is an expression of `~`, `&`, `|`, parentheses,
//! `(&i : N : e)` / `(|i : N : e)`, `@label`s, `true`/`false` and nodes with optional sizes
//! `x<w, l, flavor; folds>`; the arrow is `->`, `=>` or `#>`; the target a node or `@label`;
//! `dir` is `+` or `-`. Items are written one after the other without separators.

use super::{PResult, Parser};
use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::lexer::Tok;

/// The transistor flavors of ACT's standard technology configuration.
pub(crate) const DEVICE_FLAVORS: [&str; 5] = ["svt", "lvt", "hvt", "od18", "od25"];

/// The production-rule attributes of ACT's standard configuration (`[after=10]`).
pub(crate) const PRS_ATTRIBUTES: [&str; 12] = [
    "after",
    "keeper",
    "iskeeper",
    "isckeeper",
    "loadcap",
    "oresis",
    "output",
    "N_reff",
    "P_reff",
    "weak",
    "unstab",
    "comb",
];

impl Parser<'_> {
    /// `prs [<supply>] [*] { items }`, at `prs`.
    pub(super) fn parse_prs_block(&mut self) -> PResult<PrsBlock> {
        let start = self.start();
        self.bump();
        let supply = self.parse_supply()?;
        let leak_adjust = self.eat(&Tok::Star);
        self.expect(&Tok::LBrace)?;
        let items = self.parse_prs_items(&Tok::RBrace, false)?;
        self.expect(&Tok::RBrace)?;
        Ok(PrsBlock {
            supply,
            leak_adjust,
            items,
            span: self.span_from(start),
        })
    }

    /// `<vdd [, gnd] [| psc, nsc]>` if present.
    pub(super) fn parse_supply(&mut self) -> PResult<Option<Supply>> {
        if !self.eat(&Tok::Lt) {
            return Ok(None);
        }
        let vdd = self.parse_node_ref()?;
        let gnd = if self.eat(&Tok::Comma) {
            Some(self.parse_node_ref()?)
        } else {
            None
        };
        let substrate = if self.eat(&Tok::Bar) {
            let psc = self.parse_node_ref()?;
            self.expect(&Tok::Comma)?;
            Some((psc, self.parse_node_ref()?))
        } else {
            None
        };
        self.expect(&Tok::Gt)?;
        Ok(Some(Supply {
            vdd,
            gnd,
            substrate,
        }))
    }

    /// Production-rule items up to `closer` (not consumed). `in_tree`: inside `tree { }`,
    /// which cannot nest (nor can `subckt { }` go inside it).
    fn parse_prs_items(&mut self, closer: &Tok, in_tree: bool) -> PResult<Vec<PrsItem>> {
        let mut items = Vec::new();
        while !self.at(closer) && !self.at(&Tok::Eof) {
            let start = self.start();
            let attrs = if self.at(&Tok::LBracket) {
                self.parse_attributes()?
            } else {
                Vec::new()
            };
            let kind = self.nested(|p| p.parse_prs_item(in_tree))?;
            let span = self.span_from(start);
            let attributed_rule = match &kind {
                PrsItemKind::Rule { target, .. } => matches!(target, PrsTarget::Node(_)),
                PrsItemKind::Device { .. } => true,
                _ => false,
            };
            if !attrs.is_empty() && !attributed_rule {
                self.report(
                    Diagnostic::error(span.clone(), "attributes cannot be given to `tree { }`, `subckt { }`, a loop or a rule driving a label")
                        .with_label("these attributes belong to no rule"),
                );
            }
            items.push(PrsItem { attrs, kind, span });
        }
        Ok(items)
    }

    /// `[name = value; ...]` before a rule; the names are ACT's production-rule attributes.
    fn parse_attributes(&mut self) -> PResult<Vec<Attr>> {
        self.parse_attr_list(&PRS_ATTRIBUTES, "production-rule", "after")
    }

    /// `[name = value; ...]`: attributes whose names must be among `known` (the `kind`
    /// attributes of ACT's configuration, `example` one of them).
    pub(super) fn parse_attr_list(
        &mut self,
        known: &[&str],
        kind: &str,
        example: &str,
    ) -> PResult<Vec<Attr>> {
        self.expect(&Tok::LBracket)?;
        let mut attrs = Vec::new();
        loop {
            let name = self.expect_ident(&format!("an attribute name such as `{example}`"))?;
            if !known.contains(&name.name.as_str()) {
                return Err(self.report(
                    Diagnostic::error(
                        name.span.clone(),
                        format!("unknown {kind} attribute `{}`", name.name),
                    )
                    .with_label("not an attribute of ACT's configuration")
                    .with_hint(format!("the attributes are: {}", known.join(", "))),
                ));
            }
            self.expect(&Tok::Eq)?;
            let value = self.parse_in_brackets(|p| p.parse_expr())?;
            attrs.push(Attr { name, value });
            if !self.eat(&Tok::Semi) || self.at(&Tok::RBracket) {
                break;
            }
        }
        self.expect(&Tok::RBracket)?;
        Ok(attrs)
    }

    fn parse_prs_item(&mut self, in_tree: bool) -> PResult<PrsItemKind> {
        match &self.peek().kind {
            Tok::Ident(word) if word == "tree" && self.block_follows() => {
                let keyword = self.bump().span.clone();
                if in_tree {
                    return Err(self.report(
                        Diagnostic::error(keyword, "`tree { }` cannot be nested")
                            .with_label("inside another `tree`"),
                    ));
                }
                let size = if self.eat(&Tok::Lt) {
                    let size = self.parse_in_angle_brackets(|p| p.parse_expr())?;
                    self.expect(&Tok::Gt)?;
                    Some(size)
                } else {
                    None
                };
                self.expect(&Tok::LBrace)?;
                let items = self.parse_prs_items(&Tok::RBrace, true)?;
                self.expect(&Tok::RBrace)?;
                Ok(PrsItemKind::Tree { size, items })
            }
            Tok::Ident(word) if word == "subckt" && self.block_follows() => {
                let keyword = self.bump().span.clone();
                if in_tree {
                    return Err(self.report(
                        Diagnostic::error(keyword, "`subckt { }` cannot be inside `tree { }`")
                            .with_label("inside a `tree`"),
                    ));
                }
                let name = if self.eat(&Tok::Lt) {
                    let name = match &self.peek().kind {
                        Tok::Str(name) => name.clone(),
                        _ => return Err(self.error_expected("a string (the subcircuit's name)")),
                    };
                    self.bump();
                    self.expect(&Tok::Gt)?;
                    Some(name)
                } else {
                    None
                };
                self.expect(&Tok::LBrace)?;
                let items = self.parse_prs_items(&Tok::RBrace, in_tree)?;
                self.expect(&Tok::RBrace)?;
                Ok(PrsItemKind::Subckt { name, items })
            }
            Tok::Ident(word)
                if ["passn", "passp", "transgate", "cap"].contains(&word.as_str())
                    && matches!(self.peek_at(1).kind, Tok::Lt | Tok::LParen) =>
            {
                self.parse_device()
            }
            Tok::LParen
                if matches!(self.peek_at(1).kind, Tok::Ident(_))
                    && self.peek_at(2).kind == Tok::Colon =>
            {
                self.bump();
                let (var, range) = self.parse_loop_head()?;
                let items = self.parse_prs_items(&Tok::RParen, in_tree)?;
                self.expect(&Tok::RParen)?;
                Ok(PrsItemKind::Loop { var, range, items })
            }
            _ => self.parse_rule(),
        }
    }

    /// At `tree` or `subckt`: a block (`{` or `<...> {`) follows, rather than a rule on a
    /// node of that name.
    fn block_follows(&self) -> bool {
        matches!(self.peek_at(1).kind, Tok::LBrace)
            || (self.peek_at(1).kind == Tok::Lt && {
                let mut ahead = 2;
                while !matches!(self.peek_at(ahead).kind, Tok::Gt | Tok::Eof | Tok::Semi) {
                    ahead += 1;
                }
                self.peek_at(ahead + 1).kind == Tok::LBrace
            })
    }

    /// `passn<sz>(g, s, d)`, `passp<sz>(g, s, d)`, `transgate<sz>(n, p, s, d)`, `cap<sz>(a, b)`.
    fn parse_device(&mut self) -> PResult<PrsItemKind> {
        let name = self.expect_ident("a device")?;
        let (kind, count) = match name.name.as_str() {
            "passn" => (DeviceKind::PassN, 3),
            "passp" => (DeviceKind::PassP, 3),
            "transgate" => (DeviceKind::TransGate, 4),
            other => (DeviceKind::Other(other.to_string()), 2),
        };
        let size = if self.at(&Tok::Lt) {
            Some(self.parse_size_spec()?)
        } else {
            None
        };
        self.expect(&Tok::LParen)?;
        let mut terminals = vec![self.parse_node_ref()?];
        while self.eat(&Tok::Comma) {
            terminals.push(self.parse_node_ref()?);
        }
        let close = self.expect(&Tok::RParen)?;
        if terminals.len() != count {
            return Err(self.report(
                Diagnostic::error(
                    name.span.start..close.end,
                    format!(
                        "`{}` connects {count} nodes, not {}",
                        name.name,
                        terminals.len()
                    ),
                )
                .with_label("wrong number of nodes"),
            ));
        }
        Ok(PrsItemKind::Device {
            kind,
            size,
            terminals,
        })
    }

    /// `guard -> x+`, `guard => x-`, `guard #> x+`, `guard -> @l-`.
    fn parse_rule(&mut self) -> PResult<PrsItemKind> {
        let guard = self.parse_prs_expr()?;
        let arrow = match self.peek().kind {
            Tok::Arrow => PrsArrow::Plain,
            Tok::Eq if self.adjacent_next(&Tok::Gt) => PrsArrow::Combinational,
            Tok::Hash if self.adjacent_next(&Tok::Gt) => PrsArrow::CElement,
            _ => return Err(self.error_expected("`->`, `=>` or `#>`")),
        };
        self.bump();
        if arrow != PrsArrow::Plain {
            self.bump();
        }
        let target = if self.eat(&Tok::At) {
            PrsTarget::Label(self.expect_ident("a label")?)
        } else {
            PrsTarget::Node(self.parse_node_ref()?)
        };
        let up = self.parse_dir()?;
        Ok(PrsItemKind::Rule {
            guard,
            arrow,
            target,
            up,
        })
    }

    /// `+` (true) or `-` (false).
    pub(super) fn parse_dir(&mut self) -> PResult<bool> {
        if self.eat(&Tok::Plus) {
            Ok(true)
        } else if self.eat(&Tok::Minus) {
            Ok(false)
        } else {
            Err(self.error_expected("`+` or `-`"))
        }
    }

    /// Whether the token after the current one is `kind`, written right after it (`=>`, `#>`).
    fn adjacent_next(&self, kind: &Tok) -> bool {
        let next = self.peek_at(1);
        next.kind == *kind && next.span.start == self.peek().span.end
    }

    /// A guard: `|` binds loosest, then `&`, then `~`.
    pub(super) fn parse_prs_expr(&mut self) -> PResult<PrsExpr> {
        let start = self.start();
        let mut lhs = self.parse_prs_term()?;
        while self.eat(&Tok::Bar) {
            let rhs = self.parse_prs_term()?;
            lhs = PrsExpr {
                kind: PrsExprKind::Or(Box::new(lhs), Box::new(rhs)),
                span: self.span_from(start),
            };
        }
        Ok(lhs)
    }

    fn parse_prs_term(&mut self) -> PResult<PrsExpr> {
        let start = self.start();
        let mut lhs = self.parse_prs_atom()?;
        while self.eat(&Tok::Amp) {
            let precharge = if self.eat(&Tok::LBrace) {
                let up = self.parse_dir()?;
                let e = self.nested(|p| p.parse_prs_expr())?;
                self.expect(&Tok::RBrace)?;
                Some((up, Box::new(e)))
            } else {
                None
            };
            let rhs = self.parse_prs_atom()?;
            lhs = PrsExpr {
                kind: PrsExprKind::And {
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                    precharge,
                },
                span: self.span_from(start),
            };
        }
        Ok(lhs)
    }

    fn parse_prs_atom(&mut self) -> PResult<PrsExpr> {
        self.nested(|p| {
            let start = p.start();
            if p.eat(&Tok::Tilde) {
                let inner = p.parse_prs_atom()?;
                return Ok(PrsExpr {
                    kind: PrsExprKind::Not(Box::new(inner)),
                    span: p.span_from(start),
                });
            }
            let kind = match p.peek().kind {
                Tok::LParen if matches!(p.peek_at(1).kind, Tok::Amp | Tok::Bar) => {
                    p.bump();
                    let and = p.bump().kind == Tok::Amp;
                    let (var, range) = p.parse_loop_head()?;
                    let body = p.parse_prs_expr()?;
                    p.expect(&Tok::RParen)?;
                    PrsExprKind::Loop {
                        and,
                        var,
                        range,
                        body: Box::new(body),
                    }
                }
                Tok::LParen => {
                    p.bump();
                    let inner = p.parse_prs_expr()?;
                    p.expect(&Tok::RParen)?;
                    inner.kind
                }
                Tok::At => {
                    p.bump();
                    PrsExprKind::Label(p.expect_ident("a label")?)
                }
                Tok::True | Tok::False => PrsExprKind::Const(p.bump().kind == Tok::True),
                Tok::Ident(_) => {
                    let id = p.parse_node_ref()?;
                    let size = if p.at(&Tok::Lt) {
                        Some(p.parse_size_spec()?)
                    } else {
                        None
                    };
                    PrsExprKind::Var { id, size }
                }
                _ => return Err(p.error_expected("a node, `~`, `(` or `@label`")),
            };
            Ok(PrsExpr {
                kind,
                span: p.span_from(start),
            })
        })
    }

    /// A node: `x`, `x[i]`, `a.b[2].c` (no bit slices: `{` begins other syntax here). An
    /// index may be a range `x[0..3]` (in spec directives); it is kept as its first element.
    pub(super) fn parse_node_ref(&mut self) -> PResult<Expr> {
        let name = self.expect_ident("a node name")?;
        let start = name.span.start;
        let mut expr = Expr {
            span: name.span.clone(),
            kind: ExprKind::Name(name),
        };
        loop {
            if self.eat(&Tok::LBracket) {
                let (lo, hi) = self.parse_in_brackets(|p| {
                    let lo = p.parse_expr()?;
                    let hi = match p.eat(&Tok::DotDot) {
                        true => Some(p.parse_expr()?),
                        false => None,
                    };
                    Ok((lo, hi))
                })?;
                self.expect(&Tok::RBracket)?;
                let (base, lo) = (Box::new(expr), Box::new(lo));
                let kind = match hi {
                    Some(hi) => ExprKind::Slice {
                        base,
                        lo,
                        hi: Box::new(hi),
                    },
                    None => ExprKind::Index { base, index: lo },
                };
                expr = Expr {
                    kind,
                    span: self.span_from(start),
                };
            } else if self.at(&Tok::Dot) && matches!(self.peek_at(1).kind, Tok::Ident(_)) {
                self.refuse_range_before_dot(&expr)?;
                self.bump();
                let field = self.expect_ident("a port name")?;
                expr = Expr {
                    kind: ExprKind::Field {
                        base: Box::new(expr),
                        field,
                    },
                    span: self.span_from(start),
                };
            } else {
                return Ok(expr);
            }
        }
    }

    /// `<w>`, `<w, l>`, `<w, flavor>`, `<w, l, flavor>`, each with an optional `; folds`. A
    /// name after the width that is no flavor is the length (`<5, lvi>` uses a name `lvi`).
    fn parse_size_spec(&mut self) -> PResult<SizeSpec> {
        let start = self.start();
        self.expect(&Tok::Lt)?;
        let spec = self.parse_in_angle_brackets(|p| {
            let width = p.parse_expr()?;
            let mut length = None;
            let mut flavor = None;
            if p.eat(&Tok::Comma) {
                match p.flavor_here() {
                    Some(f) => flavor = Some(f),
                    None => length = Some(p.parse_expr()?),
                }
            }
            if p.eat(&Tok::Comma) {
                let id = p.expect_ident("a transistor flavor")?;
                if flavor.is_some() {
                    return Err(p.report(
                        Diagnostic::error(id.span.clone(), "multiple device flavors")
                            .with_label("a second flavor"),
                    ));
                }
                if !DEVICE_FLAVORS.contains(&id.name.as_str()) {
                    return Err(p.unknown_flavor(&id));
                }
                flavor = Some(id);
            }
            let folds = if p.eat(&Tok::Semi) {
                Some(p.parse_expr()?)
            } else {
                None
            };
            Ok((width, length, flavor, folds))
        })?;
        self.expect(&Tok::Gt)?;
        let (width, length, flavor, folds) = spec;
        Ok(SizeSpec {
            width,
            length,
            flavor,
            folds,
            span: self.span_from(start),
        })
    }

    /// A transistor flavor (`lvt`) at the current token, consumed.
    fn flavor_here(&mut self) -> Option<Ident> {
        match &self.peek().kind {
            Tok::Ident(name) if DEVICE_FLAVORS.contains(&name.as_str()) => {
                self.expect_ident("a flavor").ok()
            }
            _ => None,
        }
    }

    fn unknown_flavor(&mut self, id: &Ident) -> super::Reported {
        self.report(
            Diagnostic::error(
                id.span.clone(),
                format!("unknown transistor flavor `{}`", id.name),
            )
            .with_label("not a flavor of the technology")
            .with_hint(format!("the flavors are: {}", DEVICE_FLAVORS.join(", "))),
        )
    }

    /// `sizing { setup; ...; directive; ... }`, at `sizing`.
    pub(super) fn parse_sizing_block(&mut self) -> PResult<SizingBlock> {
        let start = self.start();
        self.bump();
        self.expect(&Tok::LBrace)?;
        let mut setups = Vec::new();
        let mut directives = Vec::new();
        while !self.at(&Tok::RBrace) && !self.at(&Tok::Eof) {
            if self.eat(&Tok::Semi) {
                continue;
            }
            if matches!(self.peek().kind, Tok::Ident(_)) && self.peek_at(1).kind == Tok::LArrow {
                let name = self.expect_ident("a sizing setting")?;
                if !["p_n_mode", "unit_n", "leak_adjust"].contains(&name.name.as_str()) {
                    return Err(self.report(
                        Diagnostic::error(
                            name.span.clone(),
                            format!("unknown sizing setting `{}`", name.name),
                        )
                        .with_hint("the settings are p_n_mode, unit_n and leak_adjust"),
                    ));
                }
                self.bump();
                setups.push((name, self.parse_expr()?));
            } else {
                directives.push(self.parse_size_directive()?);
            }
            if !self.eat(&Tok::Semi) {
                break;
            }
        }
        self.expect(&Tok::RBrace)?;
        Ok(SizingBlock {
            setups,
            directives,
            span: self.span_from(start),
        })
    }

    /// `x { -1, lvt, 2; +4 }` or `(; i : N : directives )`.
    fn parse_size_directive(&mut self) -> PResult<SizeDirective> {
        self.nested(|p| {
            if p.eat(&Tok::LParen) {
                p.expect(&Tok::Semi)?;
                let (var, range) = p.parse_loop_head()?;
                let mut items = Vec::new();
                while !p.at(&Tok::RParen) && !p.at(&Tok::Eof) {
                    items.push(p.parse_size_directive()?);
                    if !p.eat(&Tok::Semi) {
                        break;
                    }
                }
                p.expect(&Tok::RParen)?;
                return Ok(SizeDirective::Loop { var, range, items });
            }
            let id = p.parse_node_ref()?;
            p.expect(&Tok::LBrace)?;
            let mut drives: Vec<Drive> = vec![p.parse_drive()?];
            if p.eat(&Tok::Semi) {
                let second = p.parse_drive()?;
                if second.up == drives[0].up {
                    return Err(p.report(
                        Diagnostic::error(
                            second.span.clone(),
                            "two drive strengths for the same direction",
                        )
                        .with_label("the same direction as the first")
                        .with_hint("give one `+` (pull-up) and one `-` (pull-down) strength"),
                    ));
                }
                drives.push(second);
            }
            p.expect(&Tok::RBrace)?;
            Ok(SizeDirective::Node { id, drives })
        })
    }

    /// `+4`, `-1, lvt`, `-1, lvt, 2`, `-1, 2`.
    fn parse_drive(&mut self) -> PResult<Drive> {
        let start = self.start();
        let up = self.parse_dir()?;
        let strength = self.parse_expr()?;
        let mut flavor = None;
        let mut folds = None;
        if self.eat(&Tok::Comma) {
            match self.flavor_here() {
                Some(f) => {
                    flavor = Some(f);
                    if self.eat(&Tok::Comma) {
                        folds = Some(self.parse_expr()?);
                    }
                }
                None if matches!(self.peek().kind, Tok::Ident(_))
                    && matches!(self.peek_at(1).kind, Tok::Comma) =>
                {
                    let id = self.expect_ident("a flavor")?;
                    return Err(self.unknown_flavor(&id));
                }
                None => folds = Some(self.parse_expr()?),
            }
        }
        Ok(Drive {
            up,
            strength,
            flavor,
            folds,
            span: self.span_from(start),
        })
    }
}
