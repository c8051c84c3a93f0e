//! Overrides `+{ e1of2 l, r; }`: a process or type definition gives ports, parts or fields
//! of what it inherits a type that refines their own (checked as ACT checks it).

use super::{PResult, Parser, Reported};
use crate::diag::Diagnostic;
use crate::front::ast::*;
use crate::front::lexer::Tok;

/// `+{ T [+] a, b; ... }`, one entry per line.
pub(super) struct Override {
    ty: OverrideType,
    /// `T + a;`: the original's template arguments are appended to `T`'s.
    append: bool,
    names: Vec<Ident>,
}

enum OverrideType {
    /// A channel or data type (`e1of2`, `dualrail`).
    Data(Type),
    /// A process type (`myover<2>`).
    Process {
        name: Ident,
        qualified: String,
        args: Vec<Expr>,
    },
}

impl Parser<'_> {
    /// `{ T [+] a, b; ... }` after `+` (at the `{`), through the `}`.
    pub(super) fn parse_overrides(&mut self) -> PResult<Vec<Override>> {
        self.expect(&Tok::LBrace)?;
        let mut overrides = Vec::new();
        while !self.at(&Tok::RBrace) {
            let ty = self.parse_override_type()?;
            let append = self.eat(&Tok::Plus);
            let mut names = vec![self.expect_ident("a name to override")?];
            while self.eat(&Tok::Comma) {
                names.push(self.expect_ident("a name to override")?);
            }
            self.expect(&Tok::Semi)?;
            overrides.push(Override { ty, append, names });
        }
        self.expect(&Tok::RBrace)?;
        Ok(overrides)
    }

    /// A user type in an override: a type defined by `deftype`/`defchan`, or a process; no
    /// direction.
    fn parse_override_type(&mut self) -> PResult<OverrideType> {
        let Tok::Ident(written) = &self.peek().kind else {
            return Err(self.error_expected("a user-defined type (an override refines a type)"));
        };
        if self.lookup_type(written).is_some() {
            let ty = self.parse_type()?;
            if matches!(ty.kind, TypeKind::Chan { dir: Some(_), .. }) {
                return Err(self.report(
                    Diagnostic::error(ty.span.clone(), "an override must not have a direction")
                        .with_label("a direction flag")
                        .with_hint("the direction is the original's: write the type alone"),
                ));
            }
            return Ok(OverrideType::Data(ty));
        }
        let name = self.expect_ident("a type")?;
        let Some((qualified, _)) = self.lookup_process(&name.name) else {
            return Err(self.report(
                Diagnostic::error(name.span.clone(), format!("unknown type `{}`", name.name))
                    .with_label("no type or process of this name defined before"),
            ));
        };
        self.check_exported(&name);
        let args = if self.at(&Tok::Lt) {
            self.parse_template_args()?
        } else {
            Vec::new()
        };
        Ok(OverrideType::Process {
            name,
            qualified,
            args,
        })
    }

    /// Gives each overridden port or part its new type, after ACT's checks (each failure
    /// reported): it exists, and the new type refines its type.
    pub(super) fn apply_overrides(
        &mut self,
        overrides: Vec<Override>,
        ports: &mut [PortDecl],
        body: &mut [BodyItem],
    ) {
        for Override { ty, append, names } in overrides {
            for name in &names {
                let _ = self.apply_override(&ty, append, name, ports, body);
            }
        }
    }

    fn apply_override(
        &mut self,
        ty: &OverrideType,
        append: bool,
        name: &Ident,
        ports: &mut [PortDecl],
        body: &mut [BodyItem],
    ) -> PResult<()> {
        if let Some(port) = ports.iter_mut().find(|p| p.name.name == name.name) {
            let ty = self.data_override(ty, append, &port.ty, name)?;
            port.ty = ty;
            return Ok(());
        }
        let parts = find_parts(body, &name.name);
        if parts.is_empty() {
            return Err(self.report(
                Diagnostic::error(
                    name.span.clone(),
                    format!("override of `{}`: not found in the type", name.name),
                )
                .with_label("no port or part of this name"),
            ));
        }
        // Every declaration of the name: the ranges of a sparse array are one part.
        for part in parts {
            match part {
                Part::Var(var) => {
                    let ty = self.data_override(ty, append, &var.ty, name)?;
                    var.ty = ty;
                }
                Part::Instance(inst) => {
                    let OverrideType::Process {
                        name: new,
                        qualified,
                        args,
                    } = ty
                    else {
                        return Err(self.illegal_override(name, &inst.process.name));
                    };
                    if !self.process_refines(qualified, &inst.process.name) {
                        return Err(self.illegal_override(name, &inst.process.name));
                    }
                    let mut args = args.clone();
                    if append {
                        args.extend(inst.template_args.iter().cloned());
                    }
                    inst.process = new.clone();
                    inst.template_args = args;
                }
            }
        }
        Ok(())
    }

    /// A type definition's overrides: each names one of its fields, and refines its type.
    pub(super) fn apply_field_overrides(
        &mut self,
        overrides: Vec<Override>,
        fields: &mut [FieldDecl],
    ) {
        for Override { ty, append, names } in overrides {
            for name in &names {
                let Some(field) = fields.iter_mut().find(|f| f.name.name == name.name) else {
                    self.report(
                        Diagnostic::error(
                            name.span.clone(),
                            format!("override of `{}`: not found in the type", name.name),
                        )
                        .with_label("no field of this name"),
                    );
                    continue;
                };
                if let Ok(refined) = self.data_override(&ty, append, &field.ty, name) {
                    field.ty = refined;
                }
            }
        }
    }

    /// The type a port or variable of type `original` gets from the override `ty` (`T + x`,
    /// `append`: `T` with the original's template arguments after its own).
    fn data_override(
        &mut self,
        ty: &OverrideType,
        append: bool,
        original: &Type,
        name: &Ident,
    ) -> PResult<Type> {
        let OverrideType::Data(new) = ty else {
            return Err(self.illegal_override(name, &original.to_string()));
        };
        let target = original.to_string();
        if new.to_string() == target {
            return Err(self.report(
                Diagnostic::error(
                    new.span.clone(),
                    format!("this override does not refine the type of `{}`", name.name),
                )
                .with_label(format!("`{target}` already"))
                .with_hint("an override is only needed to refine a type: remove it"),
            ));
        }
        if let (TypeKind::Record(new_record), TypeKind::Record(old_record)) =
            (&new.kind, &original.kind)
        {
            let mut new_record = new_record.clone();
            if append {
                new_record.args.extend(old_record.args.iter().cloned());
            }
            let mut ancestor = new_record.parent();
            while let Some(record) = ancestor {
                if record.to_string() == target {
                    return Ok(Type::new(TypeKind::Record(new_record), new.span.clone()));
                }
                ancestor = record.parent();
            }
            return Err(self.illegal_override(name, &target));
        }
        let mut ancestor = new.named.as_ref().map(|n| &n.parent);
        while let Some(t) = ancestor {
            if t.to_string() == target {
                let mut refined = new.clone();
                if let (
                    TypeKind::Chan { dir, .. },
                    TypeKind::Chan {
                        dir: original_dir, ..
                    },
                ) = (&mut refined.kind, &original.kind)
                {
                    *dir = *original_dir;
                }
                return Ok(refined);
            }
            ancestor = t.named.as_ref().map(|n| &n.parent);
        }
        Err(self.illegal_override(name, &target))
    }

    /// Whether process `new` is `original` or inherits from it.
    fn process_refines(&self, new: &str, original: &str) -> bool {
        let Some((original, _)) = self.lookup_process(original) else {
            return false;
        };
        let mut current = Some(new.to_string());
        while let Some(name) = current {
            if name == original {
                return true;
            }
            current = (self.processes.get(&name))
                .and_then(|info| info.parent.as_ref().map(|(parent, _)| parent.clone()));
        }
        false
    }

    fn illegal_override(&mut self, name: &Ident, original: &str) -> Reported {
        self.report(
            Diagnostic::error(
                name.span.clone(),
                format!(
                    "illegal override of `{}`: the new type does not implement `{original}`",
                    name.name
                ),
            )
            .with_label("overridden here")
            .with_hint(
                "an override's type must refine the original type (`defchan new <: original ...`)",
            ),
        )
    }
}

/// A part of a process body found by name: a variable or an instance.
enum Part<'b> {
    Var(&'b mut VarDecl),
    Instance(&'b mut InstanceDecl),
}

/// The declarations of `name` among `body`'s items (not inside loops): one, or the ranges of
/// a sparse array.
fn find_parts<'b>(body: &'b mut [BodyItem], name: &str) -> Vec<Part<'b>> {
    body.iter_mut()
        .filter_map(|item| match item {
            BodyItem::Var(v) if v.name.name == name => Some(Part::Var(v)),
            BodyItem::Instance(i) if i.name.name == name => Some(Part::Instance(i)),
            _ => None,
        })
        .collect()
}
