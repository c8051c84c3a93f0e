//! `interface` definitions, the interfaces a process exports (`:> linear { in -> a }`) and
//! `ptype(iface)` parameters naming one.

use std::collections::HashMap;

use super::{PResult, Parser};
use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::lexer::Tok;

impl Parser<'_> {
    /// `linear<4> { in -> a, out -> y }, other { ... }` after `:>`: each name on the left a
    /// port of the interface, each on the right a port of the process.
    pub(super) fn parse_exported_interfaces(
        &mut self,
        ports: &[PortDecl],
    ) -> PResult<Vec<ExportedInterface>> {
        let mut exported = Vec::new();
        loop {
            let start = self.start();
            let written = self.expect_ident("an interface name")?;
            let (qualified, iface_ports) = match self.lookup_interface(&written.name) {
                Some(found) => found,
                None => {
                    return Err(self.report(
                        Diagnostic::error(
                            written.span.clone(),
                            format!("unknown interface `{}`", written.name),
                        )
                        .with_label("no `interface` of this name defined before"),
                    ))
                }
            };
            let args = if self.at(&Tok::Lt) {
                self.parse_template_args()?
            } else {
                Vec::new()
            };
            let iface = InterfaceUse {
                name: qualified,
                args,
                span: self.span_from(start),
            };
            let mut map = Vec::new();
            self.expect(&Tok::LBrace)?;
            if !self.at(&Tok::RBrace) {
                loop {
                    let theirs = self.expect_ident("a port of the interface")?;
                    self.expect(&Tok::Arrow)?;
                    let ours = self.expect_ident("a port of the process")?;
                    if !iface_ports.iter().any(|p| p == &theirs.name) {
                        self.report(
                            Diagnostic::error(
                                theirs.span.clone(),
                                format!(
                                    "`{}` is not a port of interface `{}`",
                                    theirs.name, written.name
                                ),
                            )
                            .with_label("not in the interface"),
                        );
                    }
                    if !ports.iter().any(|p| p.name.name == ours.name) {
                        self.report(
                            Diagnostic::error(
                                ours.span.clone(),
                                format!("`{}` is not a port of the process", ours.name),
                            )
                            .with_label("no such port"),
                        );
                    }
                    map.push((theirs.name, ours.name));
                    if !self.eat(&Tok::Comma) {
                        break;
                    }
                }
            }
            self.expect(&Tok::RBrace)?;
            // In the interface's order; a port of the interface left out is not visible.
            let ports = (iface_ports.iter())
                .filter_map(|theirs| map.iter().find(|(t, _)| t == theirs).cloned())
                .collect();
            exported.push(ExportedInterface { iface, ports });
            if !self.eat(&Tok::Comma) {
                return Ok(exported);
            }
        }
    }

    /// `[template<...>] interface name (ports) ;` or with a body `{ methods { macro m(...); } }`
    /// (at the keyword): the names of its ports are what `:> name { a -> b }` checks.
    pub(super) fn parse_interface(&mut self, _params: Vec<ParamDecl>) -> PResult<()> {
        self.bump();
        let name = self.expect_ident("an interface name")?;
        let qualified = self.qualified(&name.name);
        let ports = self.parse_ports()?;
        if self.at(&Tok::LBrace) {
            self.skip_balanced();
        } else {
            self.expect(&Tok::Semi)?;
        }
        if self.types.contains_key(&qualified)
            || self.interfaces.contains_key(&qualified)
            || self.processes.contains_key(&qualified)
        {
            return Err(self.report(
                Diagnostic::error(
                    name.span.clone(),
                    format!("`{}` is defined twice", name.name),
                )
                .with_label("defined again here"),
            ));
        }
        let names = ports.into_iter().map(|p| p.name.name).collect();
        self.note_definition(&qualified);
        self.interfaces.insert(qualified, names);
        Ok(())
    }

    /// The qualified name and port names of the interface a name written here stands for.
    pub(super) fn lookup_interface(&self, name: &str) -> Option<(String, Vec<String>)> {
        scoped_names(&self.qualified(""), name, &self.open)
            .into_iter()
            .find_map(|candidate| {
                let ports = self.interfaces.get(&candidate)?.clone();
                Some((candidate, ports))
            })
    }

    /// `(iface<args>)` after `ptype`: the interface must be one.
    pub(super) fn parse_ptype_interface(&mut self) -> PResult<InterfaceUse> {
        self.expect(&Tok::LParen)?;
        let start = self.start();
        let written = self.expect_ident("an interface name")?;
        let args = if self.at(&Tok::Lt) {
            self.parse_template_args()?
        } else {
            Vec::new()
        };
        let span = self.span_from(start);
        self.expect(&Tok::RParen)?;
        let Some((name, _)) = self.lookup_interface(&written.name) else {
            return Err(self.report(
                Diagnostic::error(
                    written.span.clone(),
                    format!("`{}` is not an interface", written.name),
                )
                .with_label("a ptype names an interface")
                .with_hint("declare it with `interface name (ports);`"),
            ));
        };
        Ok(InterfaceUse { name, args, span })
    }
}

/// The interfaces defined so far: their port names by qualified name.
pub(super) type Interfaces = HashMap<String, Vec<String>>;
