//! Attributes of instances: `bool x @ [iscomb=1];`, `buf b[4] @ [pos_x=0];` in a declaration,
//! and `x @ [sigtype=0];`, `w[2] @ [iscomb=1];`, `p(a, b) @ [size_x=4];` as a statement of their
//! own (ACT's `instance_id` and `special_connection_id` rules).

use super::{PResult, Parser};
use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::lexer::Tok;

/// The instance attributes of ACT's standard configuration (its `act.instance_attr` table).
pub(crate) const INSTANCE_ATTRIBUTES: [&str; 7] = [
    "pos_x",
    "pos_y",
    "size_x",
    "size_y",
    "autokeeper",
    "iscomb",
    "sigtype",
];

impl Parser<'_> {
    /// `@ [name = value; ...]` after the declaration of `name`, if there is one: the item that
    /// gives them to the whole instance (also when it is an array).
    pub(super) fn declared_attributes(&mut self, name: &Ident) -> PResult<Option<BodyItem>> {
        if !self.at(&Tok::At) {
            return Ok(None);
        }
        let start = name.span.start;
        let target = Expr {
            kind: ExprKind::Name(name.clone()),
            span: name.span.clone(),
        };
        self.attributes_of(target, start).map(Some)
    }

    /// At `@` after `target`: its attribute list, as the item giving them to it.
    pub(super) fn attributes_of(&mut self, target: Expr, start: usize) -> PResult<BodyItem> {
        self.expect(&Tok::At)?;
        let attrs = self.parse_attr_list(&INSTANCE_ATTRIBUTES, "instance", "iscomb")?;
        Ok(BodyItem::Attributes(InstanceAttrs {
            target,
            attrs,
            span: self.span_from(start),
        }))
    }

    /// Reports a target of `x @ [...];` that is not an instance or an element of one:
    /// ACT allows a name with indices (`w[2]`, `w[1][0]`), not a field or a range.
    pub(super) fn check_attribute_target(&mut self, target: &Expr) -> PResult<()> {
        fn plain(e: &Expr) -> bool {
            match &e.kind {
                ExprKind::Name(_) => true,
                ExprKind::Index { base, .. } => plain(base),
                _ => false,
            }
        }
        if plain(target) {
            return Ok(());
        }
        Err(self.report(
            Diagnostic::error(
                target.span.clone(),
                "attributes are given to an instance or an element of an array instance",
            )
            .with_label("not an instance name")
            .with_hint("write the instance's name, with indices for an element: `w[2] @ [...]`"),
        ))
    }
}
