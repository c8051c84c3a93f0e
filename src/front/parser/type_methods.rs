//! Checks on a type definition's body: its wires' direction marks, macros and built-in
//! methods.

use super::typedefs::{MethodsOf, WireFlags};
use super::{PResult, Parser};
use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::lexer::Tok;

impl Parser<'_> {
    /// `?`, `!`, `?!` or `!?` after a type's name (`bd!<1>`, `d1of?!<N>`): the direction of a
    /// channel (the first mark); a data type's marks say which side drives its wires.
    pub(super) fn direction_marks(&mut self) -> Option<ChanDir> {
        if self.eat(&Tok::Question) {
            self.eat(&Tok::Bang);
            Some(ChanDir::Input)
        } else if self.eat(&Tok::Bang) {
            self.eat(&Tok::Question);
            Some(ChanDir::Output)
        } else {
            None
        }
    }

    /// ACT: a macro's argument cannot take the name of a field (or a port) or a template
    /// parameter of its type, which its body also sees.
    pub(super) fn macro_args_are_new(
        &mut self,
        args: &[PortDecl],
        fields: &[FieldDecl],
        template_params: &[ParamDecl],
    ) -> PResult<()> {
        let taken = |name: &str| {
            fields.iter().any(|f| f.name.name == name)
                || template_params.iter().any(|p| p.name.name == name)
        };
        let Some(arg) = args.iter().find(|a| taken(&a.name.name)) else {
            return Ok(());
        };
        Err(self.report(
            Diagnostic::error(
                arg.name.span.clone(),
                format!(
                    "macro argument `{}` has the name of a field or parameter of its type",
                    arg.name.name
                ),
            )
            .with_label("already a name in the macro's body")
            .with_hint("rename the argument"),
        ))
    }

    /// At `a = b;` in a type's body, where `a` and `b` are wires with direction flags: ACT
    /// connects them only if the flags are the same.
    pub(super) fn check_wire_connection(&mut self, flags: &WireFlags) -> PResult<()> {
        let (Tok::Ident(a), Tok::Eq, Tok::Ident(b)) = (
            &self.peek().kind,
            &self.peek_at(1).kind,
            &self.peek_at(2).kind,
        ) else {
            return Ok(());
        };
        let flag = |name: &str| flags.iter().find(|(n, _)| n == name).map(|(_, f)| f);
        let (Some(fa), Some(fb)) = (flag(a), flag(b)) else {
            return Ok(());
        };
        if fa == fb {
            return Ok(());
        }
        let span = self.peek().span.start..self.peek_at(2).span.end;
        Err(self.report(
            Diagnostic::error(
                span,
                format!("cannot connect `{a}` and `{b}`: their directions differ"),
            )
            .with_label(format!("`{a}` is `{fa}`, `{b}` is `{fb}`"))
            .with_hint("wires of a type connect only with the same direction flags"),
        ))
    }

    /// ACT's rules on a built-in method `name { ... }` (`name = expr;` when `is_expr`) of a
    /// type: a data type has `set` and `get`; a channel the send and receive methods and the
    /// probe expressions; each at most once (`seen`).
    pub(super) fn check_method(
        &mut self,
        kind: MethodsOf,
        name: &str,
        is_expr: bool,
        span: &Span,
        seen: &mut Vec<String>,
    ) -> PResult<()> {
        const CHANNEL: [&str; 8] = [
            "set",
            "get",
            "send_rest",
            "recv_rest",
            "send_up",
            "recv_up",
            "send_init",
            "recv_init",
        ];
        const PROBES: [&str; 2] = ["send_probe", "recv_probe"];
        let known = match (kind, is_expr) {
            (MethodsOf::Data, false) => ["set", "get"].contains(&name),
            (MethodsOf::Data, true) => false,
            (MethodsOf::Channel, false) => CHANNEL.contains(&name),
            (MethodsOf::Channel, true) => PROBES.contains(&name),
        };
        let message = if !known {
            let what = match kind {
                MethodsOf::Data => "a data type's methods are `set` and `get`",
                MethodsOf::Channel => "a channel's methods are set, get, send_init, send_up, send_rest, recv_init, recv_up, recv_rest, and `send_probe = e;`, `recv_probe = e;`",
            };
            Some((format!("method `{name}` is not supported"), what))
        } else if seen.iter().any(|s| s == name) {
            Some((
                format!("method `{name}` is defined twice"),
                "each method once",
            ))
        } else {
            None
        };
        if let Some((message, hint)) = message {
            return Err(self.report(
                Diagnostic::error(span.clone(), message)
                    .with_label("here")
                    .with_hint(hint),
            ));
        }
        seen.push(name.to_string());
        Ok(())
    }
}
