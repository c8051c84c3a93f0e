//! `import` and `open` statements. The loader ([`crate::front::load`]) finds a file's imports
//! with [`imports`] before the file is parsed (the types an imported file defines must be
//! known then); the parse of the file proper steps over them ([`Parser::skip_import`]),
//! applying the names they give namespaces.
//!
//! ACT's forms: `import "file.act";`, `import [::] a::b [-> c];` (the file of namespace
//! `a::b`, which is then also called `c`), `import a => b;` (namespace `a`, already imported,
//! is also `b::a`), `open a::b;` (its names can be written bare), `open a::b -> c;` (it is
//! also called `c`), `open a => b [into c];` (it is also `b`, or `c::b`). ACT moves or copies
//! the namespace; chpsim gives it the new name besides its own (see
//! [`OpenNamespaces`](crate::front::ast::OpenNamespaces)).
use super::{PResult, Parser, Reported};
use crate::diag::Diagnostic;
use crate::front::ast::{Ident, Import, ImportTarget};
use crate::front::lexer::{Tok, Token};

/// The `import` statements of files at the top level of a file (outside every bracket), in
/// order, and the errors in them (those at or after `silent_from`, a lexical error, are not
/// recorded).
pub(crate) fn imports(tokens: &[Token], silent_from: usize) -> (Vec<Import>, Vec<Diagnostic>) {
    let mut parser = Parser::new(tokens).silence_from(silent_from);
    let mut found = Vec::new();
    let mut opened = Vec::new();
    while !parser.at(&Tok::Eof) {
        if parser.bracket_depth == 0 && parser.at_import() {
            match parser.parse_import() {
                Ok(ImportStatement::File(mut import, _)) => {
                    import.opened_before.clone_from(&opened);
                    found.push(import)
                }
                Ok(ImportStatement::Name { .. }) => {}
                Err(Reported) => parser.recover_item(0),
            }
        } else if parser.bracket_depth == 0 && parser.at_keyword("open") {
            opened.extend(parser.plain_open());
        } else {
            parser.bump();
        }
    }
    (found, parser.diags)
}

/// What an `open` statement does besides naming its namespace.
enum OpenForm {
    /// `open a;`
    Open,
    /// `open a -> b;`
    Rename(Ident),
    /// `open a => b [into c];`
    Copy(Ident, Option<Ident>),
}

/// What an `import` statement says.
enum ImportStatement {
    /// A file to load, and the other name of its namespace (`import a::b -> c;`).
    File(Import, Option<Ident>),
    /// `import a => b;`: namespace `a` is also `b::a`.
    Name { namespace: Ident, into: Ident },
}

impl<'t> Parser<'t> {
    /// At the keyword `import`.
    pub(super) fn at_import(&self) -> bool {
        self.at_keyword("import")
    }

    /// At the keyword `word` (one of [`Tok::Unsupported`]'s).
    fn at_keyword(&self, word: &str) -> bool {
        matches!(&self.peek().kind, Tok::Unsupported(w) if w == word)
    }

    /// At `open`: the namespace (as written) of a plain `open a::b;`, which is read whole; for
    /// the other forms, `None`, having read up to the new name.
    fn plain_open(&mut self) -> Option<String> {
        self.bump();
        if self.at(&Tok::Colon) && self.peek_at(1).kind == Tok::Colon {
            self.bump();
            self.bump();
        }
        let Tok::Ident(name) = &self.peek().kind else {
            return None;
        };
        self.bump();
        self.eat(&Tok::Semi).then(|| name.clone())
    }

    /// Opens the namespaces `written` (see [`Import::opened_before`]) that are known, without
    /// errors: those the files importing this one opened before importing it.
    pub(crate) fn inherit_opens(&mut self, written: &[String]) {
        for name in written {
            if let Some(target) = self.find_namespace(name) {
                if !self.open.opened.contains(&target) {
                    self.open.opened.push(target);
                }
            }
        }
    }

    /// An `import` statement of the top level: [`imports`] has read it (and reported its
    /// errors) when the file was loaded; the names it gives a namespace apply from here on.
    /// Inside a namespace it is an error.
    pub(super) fn skip_import(&mut self) -> PResult<()> {
        let checkpoint = self.checkpoint();
        let start = self.start();
        let parsed = self.parse_import();
        let in_namespace = !self.namespace.is_empty();
        self.diags.truncate(checkpoint.diag_count);
        if in_namespace {
            let span = self.span_from(start);
            return Err(self.report(
                Diagnostic::error(span, "`import` inside a namespace is not supported")
                    .with_label("imported inside a namespace")
                    .with_hint("import at the top level of the file, outside `namespace { }`"),
            ));
        }
        let statement = parsed?;
        // The statement is read whole: an error in what it names must not make the recovery
        // skip the next statement.
        let _ = self.apply_import(statement);
        Ok(())
    }

    /// The names an `import` statement gives a namespace.
    fn apply_import(&mut self, statement: ImportStatement) -> PResult<()> {
        match statement {
            ImportStatement::File(import, Some(alias)) => {
                let ImportTarget::Namespace(name) = &import.target else {
                    return Ok(());
                };
                // A namespace its file does not define is the loader's error.
                let target = self.open.unalias(name.trim_start_matches("::"));
                if !self.namespaces.contains(&target) {
                    return Ok(());
                }
                self.give_name(target, alias.name.clone(), &alias)
            }
            ImportStatement::File(..) => Ok(()),
            ImportStatement::Name { namespace, into } => {
                let target = self.namespace_named(&namespace)?;
                let name = format!("{}::{}", into.name, namespace.name);
                // ACT moves the namespace into `into` and exports it there.
                self.export_namespace(&name);
                self.give_name(target, name, &into)
            }
        }
    }

    /// `import "path";` | `import [::] a::b [-> c];` | `import a => b;`.
    fn parse_import(&mut self) -> PResult<ImportStatement> {
        self.bump();
        if self.at(&Tok::Colon) && self.peek_at(1).kind == Tok::Colon {
            self.bump();
            self.bump();
        }
        let token = self.peek();
        let target = match &token.kind {
            Tok::Str(path) => ImportTarget::File(path.clone()),
            Tok::Ident(name) => ImportTarget::Namespace(name.clone()),
            _ => {
                return Err(self.error_expected_hint(
                    "a file name or a namespace",
                    Some("write `import \"file.act\";` or `import name;` (the file name.act)"),
                ))
            }
        };
        let span = self.bump().span.clone();
        let written = Ident {
            name: match &target {
                ImportTarget::File(path) => path.clone(),
                ImportTarget::Namespace(name) => name.clone(),
            },
            span: span.clone(),
        };
        let is_namespace = matches!(target, ImportTarget::Namespace(_));
        let alias = if is_namespace && self.eat(&Tok::Arrow) {
            Some(self.expect_ident("the namespace's new name")?)
        } else {
            None
        };
        if alias.is_none() && self.at_fat_arrow() {
            if !is_namespace || written.name.contains("::") {
                return Err(self.error_expected_hint(
                    "`;`",
                    Some("`import a => b;` names an imported namespace `a` (a plain name) `b::a`"),
                ));
            }
            self.bump();
            self.bump();
            let into = self.expect_ident("a namespace name")?;
            self.expect(&Tok::Semi)?;
            return Ok(ImportStatement::Name {
                namespace: written,
                into,
            });
        }
        self.expect(&Tok::Semi)?;
        let import = Import {
            target,
            span,
            opened_before: Vec::new(),
        };
        Ok(ImportStatement::File(import, alias))
    }

    /// At `=>` (written as `=` then `>`).
    fn at_fat_arrow(&self) -> bool {
        self.at(&Tok::Eq) && self.peek_at(1).kind == Tok::Gt
    }

    /// `open a::b;`, `open a::b -> c;`, `open a::b => c [into d];`: see the [module](self).
    /// An `open` inside a namespace is an error (ACT allows it at the top of a file only).
    pub(super) fn parse_open(&mut self) -> PResult<()> {
        let start = self.start();
        self.bump();
        if self.at(&Tok::Colon) && self.peek_at(1).kind == Tok::Colon {
            self.bump();
            self.bump();
        }
        let namespace = self.expect_ident("a namespace")?;
        let form = if self.eat(&Tok::Arrow) {
            OpenForm::Rename(self.expect_ident("the namespace's new name")?)
        } else if self.at_fat_arrow() {
            self.bump();
            self.bump();
            let name = self.expect_ident("the namespace's new name")?;
            let into = match &self.peek().kind {
                Tok::Ident(word) if word == "into" => {
                    self.bump();
                    Some(self.expect_ident("a namespace")?)
                }
                _ => None,
            };
            OpenForm::Copy(name, into)
        } else {
            OpenForm::Open
        };
        self.expect(&Tok::Semi)?;
        if !self.namespace.is_empty() {
            let whole = self.span_from(start);
            return Err(self.report(
                Diagnostic::error(whole, "`open` inside a namespace is not supported")
                    .with_label("opened inside a namespace")
                    .with_hint("open at the top level of the file, outside `namespace { }`"),
            ));
        }
        // The statement is read whole: an error in what it names must not make the recovery
        // skip the next statement.
        let _ = self.apply_open(&namespace, form);
        Ok(())
    }

    /// What an `open` statement of namespace `namespace` does.
    fn apply_open(&mut self, namespace: &Ident, form: OpenForm) -> PResult<()> {
        let target = self.namespace_named(namespace)?;
        match form {
            OpenForm::Open => {
                if !self.open.opened.contains(&target) {
                    self.open.opened.push(target);
                }
                Ok(())
            }
            OpenForm::Rename(alias) => self.give_name(target, alias.name.clone(), &alias),
            OpenForm::Copy(name, into) => {
                let Some(into) = into else {
                    return self.give_name(target, name.name.clone(), &name);
                };
                let parent = self.namespace_named(&into)?;
                let related = |a: &str, b: &str| a == b || a.starts_with(&format!("{b}::"));
                if related(&parent, &target) || related(&target, &parent) {
                    return Err(self.report(
                        Diagnostic::error(
                            into.span.clone(),
                            format!(
                                "cannot copy namespace `{target}` into `{parent}`: one is inside the other"
                            ),
                        )
                        .with_label("related to the namespace copied")
                        .with_hint("`open a => b into c;` copies between unrelated namespaces"),
                    ));
                }
                self.give_name(target, format!("{parent}::{}", name.name), &name)
            }
        }
    }

    /// The namespace `written` names here, as ACT finds it: the name in the global namespace,
    /// in an opened namespace, or by a name it was given; an error if there is none.
    fn namespace_named(&mut self, written: &Ident) -> PResult<String> {
        let name = written.name.trim_start_matches("::");
        match self.find_namespace(name) {
            Some(found) => Ok(found),
            None => Err(self.report(
                Diagnostic::error(written.span.clone(), format!("unknown namespace `{name}`"))
                    .with_label("no `namespace` of this name in the design here")
                    .with_hint("a namespace is known once the file that defines it is imported"),
            )),
        }
    }

    /// The namespace `name` names here (see [`Parser::namespace_named`]), if any.
    fn find_namespace(&self, name: &str) -> Option<String> {
        let name = name.trim_start_matches("::");
        std::iter::once(name.to_string())
            .chain(self.open.opened.iter().map(|ns| format!("{ns}::{name}")))
            .map(|candidate| self.open.unalias(&candidate))
            .find(|candidate| self.namespaces.contains(candidate))
    }

    /// Gives namespace `target` the qualified name `name` (written at `at`), which must not be
    /// a namespace already.
    fn give_name(&mut self, target: String, name: String, at: &Ident) -> PResult<()> {
        let taken = self.namespaces.contains(&name)
            || self.open.aliases.iter().any(|(alias, _)| *alias == name);
        if taken {
            return Err(self.report(
                Diagnostic::error(
                    at.span.clone(),
                    format!("cannot name namespace `{target}` `{name}`: `{name}` is a namespace already"),
                )
                .with_label("already a namespace")
                .with_hint("choose a name that no namespace has"),
            ));
        }
        self.open.aliases.push((name, target));
        Ok(())
    }
}
