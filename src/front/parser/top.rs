//! A top process as actsim names it on its command line (`--top NAME`): `test`, `test<>`,
//! `fifo<8>`, `ns::fifo<8,t>`. actsim itself takes decimal integers and ACT's `t`/`f` as
//! arguments; chpsim takes any constant expression there (`fifo<2*4>`, `true`), and `t`/`f`
//! too, since that is how ACT prints a `pbool` in a process's name (`sink<t,4>`).

use super::{PResult, Parser};
use crate::front::ast::{Expr, ExprKind};
use crate::front::lexer::{lex_at, Tok};

/// A parsed `--top` name.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TopName {
    /// The process, qualified as written (`ns::fifo`).
    pub name: String,
    /// The template arguments: `None` without angle brackets (`test`), `Some(vec![])` for
    /// `test<>`. Their spans are offsets in the `--top` text, not in the design.
    pub args: Option<Vec<Expr>>,
}

/// Parses `text` as a top name; the error says what is wrong, in a few words.
pub(crate) fn parse_top_name(text: &str) -> Result<TopName, String> {
    let (tokens, lex_errors) = lex_at(text, 0);
    if let Some(error) = lex_errors.first() {
        return Err(error.message.clone());
    }
    let mut parser = Parser::new(&tokens);
    let parsed = parser.top_name();
    match (parsed, parser.diags.first()) {
        (Ok(top), None) => Ok(top),
        (_, Some(error)) => Err(error.message.clone()),
        (Err(_), None) => Err("not a process name".to_string()),
    }
}

impl Parser<'_> {
    /// `name`, `name<>` or `name<e, ...>`, then the end of the text.
    fn top_name(&mut self) -> PResult<TopName> {
        let name = self.expect_ident("a process name")?.name;
        let args = if self.eat(&Tok::Lt) {
            let args = if self.at(&Tok::Gt) {
                Vec::new()
            } else {
                self.parse_in_angle_brackets(Self::parse_expr_list)?
            };
            self.expect(&Tok::Gt)?;
            Some(args.into_iter().map(bool_letter).collect())
        } else {
            None
        };
        self.expect(&Tok::Eof)?;
        Ok(TopName { name, args })
    }
}

/// ACT's `t` and `f` (a `pbool` as ACT prints it in a name) as `true` and `false`.
fn bool_letter(e: Expr) -> Expr {
    match &e.kind {
        ExprKind::Name(id) if id.name == "t" || id.name == "f" => Expr {
            kind: ExprKind::Bool(id.name == "t"),
            span: e.span,
        },
        _ => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Option<Vec<ExprKind>> {
        let top = parse_top_name(text).unwrap();
        top.args.map(|a| a.into_iter().map(|e| e.kind).collect())
    }

    #[test]
    fn names_with_and_without_template_arguments() {
        assert_eq!(parse_top_name("test").unwrap().name, "test");
        assert_eq!(args("test"), None);
        assert_eq!(args("test<>"), Some(vec![]));
        assert_eq!(parse_top_name("ns::fifo<8>").unwrap().name, "ns::fifo");
        assert_eq!(args("fifo<8,t>").map(|a| a.len()), Some(2));
        assert_eq!(args(" sink< t , f >").unwrap()[1], ExprKind::Bool(false));
        assert_eq!(args("fifo<2*4>").map(|a| a.len()), Some(1));
    }

    #[test]
    fn anything_else_is_an_error() {
        for bad in [
            "", "fifo<8", "fifo<8>x", "fifo 8", "<8>", "a.b", "fifo<8>>", "f@",
        ] {
            assert!(parse_top_name(bad).is_err(), "{bad:?} accepted");
        }
    }
}
