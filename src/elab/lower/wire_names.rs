//! Names of wires: a channel member named through a bundle or an instance (`p.req`, `m[2].p.req`),
//! a wire of a channel or record variable (`c.t`, `s.p[1].d.f[0]`), and the check that a circuit's
//! use of a channel's wire leaves the channel fragmented.

use super::Lowerer;
use crate::front::ast;

impl Lowerer<'_> {
    /// The name of the channel a dotted reference names: a member of a bundle port or channel
    /// (`p.req`), or a port of a sub-instance (`m.L`, `m[2].p.req`, its index a constant).
    /// `None` when `e` is not such a chain of names.
    pub(super) fn member_name(&self, e: &ast::Expr) -> Option<ast::Ident> {
        fn path(e: &ast::Expr, params: &crate::elab::consts::Params) -> Option<String> {
            match &e.kind {
                ast::ExprKind::Name(id) => Some(id.name.clone()),
                ast::ExprKind::Index { base, index } => {
                    let i = crate::elab::consts::eval_const(index, params).ok()?;
                    Some(format!("{}[{i}]", path(base, params)?))
                }
                ast::ExprKind::Field { base, field } => {
                    Some(format!("{}.{}", path(base, params)?, field.name))
                }
                _ => None,
            }
        }
        let ast::ExprKind::Field { base, .. } = &e.kind else {
            return None;
        };
        // A record's field is not a channel: `s.x` of a variable `s`, `c.x` of a channel's
        // value.
        let root_is_data = |l: &Self| {
            let mut root = &**base;
            while let ast::ExprKind::Field { base, .. } | ast::ExprKind::Index { base, .. } =
                &root.kind
            {
                root = base;
            }
            matches!(&root.kind, ast::ExprKind::Name(id) if l.vars.contains_key(&id.name) || l.macro_names.contains_key(&id.name))
        };
        let name = path(e, &self.params)?;
        // ... unless it is one of the channels of a record mixing channels and data.
        let is_channel = self.ports.contains_key(&name) || self.local_channels.contains_key(&name);
        if root_is_data(self) && !is_channel {
            return None;
        }
        Some(ast::Ident {
            name,
            span: e.span.clone(),
        })
    }

    /// `p[i].req` of an array of bundles `p` (a port, a channel, or a sub-instance's port
    /// `d.p`), as the element it is: `p.req[i]`. `None` for any other reference.
    /// A wire of a variable or port of a refined type as the variable it is: `c.t` is `c.t`,
    /// `c[i].t` and `c.t[i]` are element `i` of `c.t` (see the parser's `alias_wires`).
    pub(super) fn wire_var(&self, e: &ast::Expr) -> Option<ast::Expr> {
        use ast::ExprKind as A;
        // `c.d` of a wire `c.d.d` (a wire of a wire, `d1of<2> d` in a channel type).
        fn dotted(e: &ast::Expr) -> Option<(String, usize)> {
            match &e.kind {
                A::Name(id) => Some((id.name.clone(), id.span.start)),
                A::Field { base, field } => {
                    let (name, start) = dotted(base)?;
                    Some((format!("{name}.{}", field.name), start))
                }
                _ => None,
            }
        }
        let wire = |base: &ast::Expr, field: &ast::Ident| -> Option<ast::Expr> {
            let (base, start) = dotted(base)?;
            let name = format!("{base}.{}", field.name);
            let span = start..field.span.end;
            self.vars.contains_key(&name).then_some(ast::Expr {
                kind: A::Name(ast::Ident {
                    name,
                    span: span.clone(),
                }),
                span,
            })
        };
        let indexed = |wire: ast::Expr, index: &ast::Expr| ast::Expr {
            kind: A::Index {
                base: Box::new(wire),
                index: Box::new(index.clone()),
            },
            span: e.span.clone(),
        };
        match &e.kind {
            A::Field { base, field } => match &base.kind {
                A::Index { base: array, index } => wire(array, field).map(|w| indexed(w, index)),
                _ => wire(base, field),
            },
            A::Index { base, index } => match &base.kind {
                A::Field { base, field } => match wire(base, field) {
                    Some(wire) => Some(indexed(wire, index)),
                    None => self.element_wire(e),
                },
                _ => None,
            },
            _ => None,
        }
        .or_else(|| self.element_wire(e))
    }

    /// A wire below an element of an array, as the variable it is: `c[k].d.d[j]` (a wire of a
    /// wire of an element of a port array) is element `[k][j]` of `c.d.d`, and `s.p[1].d.f[0]`
    /// (a wire of a field of an element of an array field `p`) element `[1][0]` of `s.p.d.f`:
    /// the wires of an array are arrays, the indices in the order written. `None` for any
    /// other reference.
    fn element_wire(&self, e: &ast::Expr) -> Option<ast::Expr> {
        use ast::ExprKind as A;
        let mut fields = Vec::new();
        let mut indices = Vec::new();
        let mut at = e;
        let root = loop {
            match &at.kind {
                A::Field { base, field } => {
                    fields.push(field.name.as_str());
                    at = base;
                }
                A::Index { base, index } => {
                    indices.push(index);
                    at = base;
                }
                A::Name(id) => break id,
                _ => return None,
            }
        };
        let declared = self.ports.contains_key(&root.name)
            || self.vars.contains_key(&root.name)
            || self.local_channels.contains_key(&root.name);
        if fields.is_empty() || !declared {
            return None;
        }
        fields.reverse();
        let name = format!("{}.{}", root.name, fields.join("."));
        if !self.vars.contains_key(&name) {
            return None;
        }
        let wire = ast::Expr {
            kind: A::Name(ast::Ident {
                name,
                span: e.span.clone(),
            }),
            span: e.span.clone(),
        };
        // The element's indices (innermost in the expression, so last found) come first.
        Some(
            indices
                .into_iter()
                .rev()
                .fold(wire, |base, index| ast::Expr {
                    kind: A::Index {
                        base: Box::new(base),
                        index: index.clone(),
                    },
                    span: e.span.clone(),
                }),
        )
    }

    /// ACT: CHP does not touch the wires of a channel (`x.t` of an `e1of2 x`); its methods, HSE
    /// and production rules do. `None` (reported) for such a wire.
    pub(super) fn check_fragment(&mut self, wire: &ast::Expr) -> Option<()> {
        if self.fragments_ok {
            return Some(());
        }
        let name = match &wire.kind {
            ast::ExprKind::Index { base, .. } => base.root_name(),
            _ => wire.root_name(),
        };
        let Some(name) = name else {
            return Some(());
        };
        let mut dots = name.match_indices('.').map(|(i, _)| &name[..i]);
        let Some(channel) = dots.find(|prefix| {
            self.ports.contains_key(*prefix) || self.local_channels.contains_key(*prefix)
        }) else {
            return Some(());
        };
        let message = format!("CHP cannot access the wires of channel `{channel}` (`{name}`)");
        self.diags.push(
            crate::diag::Diagnostic::error(wire.span.clone(), message)
                .with_label("a fragment of a channel")
                .with_hint(
                    "a channel's wires are for its type's methods, HSE and production rules",
                ),
        );
        None
    }
}
