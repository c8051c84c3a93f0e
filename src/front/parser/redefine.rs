//! ACT's rules for a name defined again, as its parser applies them at each `defproc`,
//! `deftype`, `defchan`, `defenum`, `function` and `interface`:
//! - a name is given again only by a definition of the same kind (a process by a process, a
//!   data type by a data type, an enumeration by an enumeration), never to a namespace's name;
//! - a definition may be written after declarations of it (`defproc p(bool x);`, `deftype
//!   t (bool a);`, `function f (int x) : int;`), and a declaration after either, when all have
//!   the same signature: the template parameters (names, kinds, defaults), the parent type,
//!   the ports with their directions, and whether `export` is written (ACT's
//!   `UserDef::isEqual`). A function's result type is not part of it: the definition's counts;
//! - a body is given once: a second one with the same signature is ACT's "duplicate
//!   definition";
//! - an enumeration written again with as many members and the same `: int` and `export` is
//!   the same enumeration (ACT compares the number of members, not their names: the first
//!   definition's members stay).
use super::{Parser, Reported, UserType};
use crate::diag::Diagnostic;
use crate::front::ast::{Span, TypeKind};

/// The kinds of definitions a name may be defined again by, as ACT tells them apart.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum DefKind {
    Process,
    Data,
    Enum,
    Channel,
    Function,
    Interface,
    /// A structure of parameters (`defptype`): ACT never defines one again.
    Pstruct,
}

/// A definition's name where it is written: as written (for messages) and qualified.
pub(super) struct DefName<'a> {
    pub span: Span,
    pub written: &'a str,
    pub qualified: &'a str,
}

impl<'a> DefName<'a> {
    pub(super) fn new(span: &Span, written: &'a str, qualified: &'a str) -> Self {
        let written = written.rsplit("::").next().unwrap_or(written);
        DefName {
            span: span.clone(),
            written,
            qualified,
        }
    }
}

impl Parser<'_> {
    /// The kind of the definition or declaration named `qualified` so far, if any.
    pub(super) fn definition_kind(&self, qualified: &str) -> Option<DefKind> {
        if self.processes.contains_key(qualified) {
            return Some(DefKind::Process);
        }
        if self.interfaces.contains_key(qualified) {
            return Some(DefKind::Interface);
        }
        if self.function_decls.contains_key(qualified) {
            return Some(DefKind::Function);
        }
        if self.pstructs.contains_key(qualified) {
            return Some(DefKind::Pstruct);
        }
        match self.types.get(qualified)? {
            UserType::Enum { .. } => Some(DefKind::Enum),
            UserType::Alias { base, .. } if matches!(base.kind, TypeKind::Chan { .. }) => {
                Some(DefKind::Channel)
            }
            UserType::Alias { .. } | UserType::Record(_) => Some(DefKind::Data),
        }
    }

    /// ACT's check where a definition of kind `new` names itself: a name already defined
    /// (or declared) may only be defined again by the same kind of definition, and a
    /// namespace's name not at all.
    pub(super) fn check_definition_kind(
        &mut self,
        name: &DefName,
        new: DefKind,
    ) -> Result<(), Reported> {
        let problem = if self.namespaces.contains(name.qualified) {
            "already used as a namespace"
        } else {
            match self.definition_kind(name.qualified) {
                None => {
                    let Some(instance) = self.scope_objects.get(name.qualified).cloned() else {
                        return Ok(());
                    };
                    return Err(self.report(
                        Diagnostic::error(
                            name.span.clone(),
                            format!("name `{}` already used as an instance", name.written),
                        )
                        .with_label("a definition of this name")
                        .with_note(instance, "an instance of this name declared before")
                        .with_hint("rename the definition or the instance"),
                    ));
                }
                Some(old) if old == new && new != DefKind::Pstruct => return Ok(()),
                Some(DefKind::Enum) if new == DefKind::Data => {
                    "already used as an enumeration data type"
                }
                Some(DefKind::Data) if new == DefKind::Enum => {
                    "already used as a non-enumeration data type"
                }
                Some(_)
                    if matches!(
                        new,
                        DefKind::Process | DefKind::Interface | DefKind::Pstruct
                    ) =>
                {
                    "already used as a previous type definition"
                }
                Some(_) => "already used in a previous type definition",
            }
        };
        Err(self.report(
            Diagnostic::error(
                name.span.clone(),
                format!("name `{}` {problem}", name.written),
            )
            .with_label("defined before as something else"),
        ))
    }

    /// ACT's error for a definition or declaration whose signature differs from an earlier
    /// one's of the same name and kind (`previous` is where that one is, when known).
    pub(super) fn defined_differently(
        &mut self,
        name: &DefName,
        kind: DefKind,
        previous: Option<Span>,
    ) -> Reported {
        let noun = match kind {
            DefKind::Process => "process",
            DefKind::Data => "data type",
            DefKind::Enum => "enumeration",
            DefKind::Channel => "channel",
            DefKind::Interface => "interface",
            DefKind::Function => "type",
            DefKind::Pstruct => "parameter structure",
        };
        let mut diag = Diagnostic::error(
            name.span.clone(),
            format!(
                "name `{}` previously defined as a different {noun}",
                name.written
            ),
        )
        .with_label("here");
        if let Some(previous) = previous {
            diag = diag.with_note(previous, "first declared here");
        }
        self.report(diag)
    }

    /// ACT's error for a second body given to a definition with the same signature.
    pub(super) fn defined_again(
        &mut self,
        name: &DefName,
        kind: DefKind,
        previous: Option<Span>,
    ) -> Reported {
        let written = name.written;
        let message = match kind {
            DefKind::Process => {
                format!("process `{written}`: duplicate definition with the same type signature")
            }
            DefKind::Channel => format!(
                "channel definition `{written}`: duplicate definition with the same type signature"
            ),
            DefKind::Function => {
                format!("function `{written}` previously defined with same type signature")
            }
            DefKind::Data | DefKind::Enum | DefKind::Interface | DefKind::Pstruct => format!(
                "data definition `{written}`: duplicate definition with the same type signature"
            ),
        };
        let mut diag =
            Diagnostic::error(name.span.clone(), message).with_label("defined again here");
        if let Some(previous) = previous {
            diag = diag.with_note(previous, "first defined here");
        }
        self.report(diag)
    }

    /// `defenum` of a name defined before as an enumeration (`old_members`, `old_int`): ACT
    /// accepts it when it has as many members and the same `: int` and `export`, and keeps
    /// the first definition.
    pub(super) fn check_enum_again(
        &mut self,
        name: &DefName,
        members: usize,
        int_compatible: bool,
    ) -> Result<(), Reported> {
        let Some(UserType::Enum {
            members: old_members,
            int_compatible: old_int,
        }) = self.types.get(name.qualified)
        else {
            return Ok(());
        };
        if *old_int != int_compatible {
            return Err(self.report(
                Diagnostic::error(
                    name.span.clone(),
                    format!(
                        "name `{}` is a previous enum, with different :int attribute",
                        name.written
                    ),
                )
                .with_label("here"),
            ));
        }
        if old_members.len() != members || self.export_differs(name.qualified) {
            return Err(self.defined_differently(name, DefKind::Enum, None));
        }
        Ok(())
    }
}
