//! `import` statements. The loader ([`crate::front::load`]) finds a file's imports with
//! [`imports`] before the file is parsed (the types an imported file defines must be known
//! then); the parse of the file proper steps over them ([`Parser::skip_import`]).
use super::{PResult, Parser, Reported};
use crate::diag::Diagnostic;
use crate::front::ast::{Import, ImportTarget};
use crate::front::lexer::{Tok, Token};

/// The `import` statements at the top level of a file (outside every bracket), in order, and
/// the errors in them (those at or after `silent_from`, a lexical error, are not recorded).
pub(crate) fn imports(tokens: &[Token], silent_from: usize) -> (Vec<Import>, Vec<Diagnostic>) {
    let mut parser = Parser::new(tokens).silence_from(silent_from);
    let mut found = Vec::new();
    while !parser.at(&Tok::Eof) {
        if parser.bracket_depth == 0 && parser.at_import() {
            match parser.parse_import() {
                Ok(import) => found.push(import),
                Err(Reported) => parser.recover_item(0),
            }
        } else {
            parser.bump();
        }
    }
    (found, parser.diags)
}

impl<'t> Parser<'t> {
    /// At the keyword `import`.
    pub(super) fn at_import(&self) -> bool {
        matches!(&self.peek().kind, Tok::Unsupported(word) if word == "import")
    }

    /// Steps over an `import` statement of the top level: [`imports`] has read it (and
    /// reported its errors) when the file was loaded. Inside a namespace it is an error.
    pub(super) fn skip_import(&mut self) -> PResult<()> {
        let checkpoint = self.checkpoint();
        let start = self.start();
        let parsed = self.parse_import();
        let in_namespace = !self.namespace.is_empty();
        let diag_count = checkpoint.diag_count;
        self.diags.truncate(diag_count);
        if in_namespace {
            let span = self.span_from(start);
            return Err(self.report(
                Diagnostic::error(span, "`import` inside a namespace is not supported")
                    .with_label("imported inside a namespace")
                    .with_hint("import at the top level of the file, outside `namespace { }`"),
            ));
        }
        parsed.map(|_| ())
    }

    /// `import "path";` | `import [::] a::b;`; the rename `import a -> b;` is reported as not
    /// supported.
    fn parse_import(&mut self) -> PResult<Import> {
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
        let renames =
            self.at(&Tok::Arrow) || (self.at(&Tok::Eq) && self.peek_at(1).kind == Tok::Gt);
        if renames {
            let start = self.start();
            while !self.at(&Tok::Semi) && !self.at(&Tok::Eof) {
                self.bump();
            }
            let rename = self.span_from(start);
            return Err(self.report(
                Diagnostic::error(
                    rename,
                    "renaming on import (`-> name`, `=> name`) is not supported yet",
                )
                .with_label("not supported by chpsim")
                .with_hint("import without renaming and use the namespace's own name"),
            ));
        }
        self.expect(&Tok::Semi)?;
        Ok(Import { target, span })
    }

    /// `open a::b;`: the names of namespace `a::b` can be written bare from here on, in every
    /// file of the design (after the names of the scope they are written in). Renaming
    /// (`open a -> b;`) and an `open` inside a namespace are reported as not supported.
    pub(super) fn parse_open(&mut self) -> PResult<()> {
        let start = self.start();
        self.bump();
        if self.at(&Tok::Colon) && self.peek_at(1).kind == Tok::Colon {
            self.bump();
            self.bump();
        }
        let Tok::Ident(name) = &self.peek().kind else {
            return Err(self.error_expected_hint(
                "a namespace",
                Some("write `open name;` with the namespace's qualified name"),
            ));
        };
        let name = name.clone();
        let span = self.bump().span.clone();
        if self.at(&Tok::Arrow) {
            let rename_start = self.start();
            while !self.at(&Tok::Semi) && !self.at(&Tok::Eof) {
                self.bump();
            }
            let rename = self.span_from(rename_start);
            return Err(self.report(
                Diagnostic::error(
                    rename,
                    "renaming on `open` (`-> name`) is not supported yet",
                )
                .with_label("not supported by chpsim")
                .with_hint("open without renaming and use the namespace's own names"),
            ));
        }
        self.expect(&Tok::Semi)?;
        if !self.namespace.is_empty() {
            let whole = self.span_from(start);
            return Err(self.report(
                Diagnostic::error(whole, "`open` inside a namespace is not supported")
                    .with_label("opened inside a namespace")
                    .with_hint("open at the top level of the file, outside `namespace { }`"),
            ));
        }
        self.opened.push((name, span));
        Ok(())
    }
}
