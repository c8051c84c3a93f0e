//! actsim's prompt on a terminal (`actsim> `): line editing and history (rustyline; the
//! history is kept in `.actsim_history`, as actsim keeps it), Tab completing command names
//! and, after a command, the design's instance, variable, node and channel names. Ctrl-C at
//! the prompt clears the line; Ctrl-C while a command runs stops it and returns here; Ctrl-D
//! (or `exit`) leaves.
use std::cell::RefCell;
use std::rc::Rc;

use rustyline::completion::Completer;
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::Validator;
use rustyline::{Context, Editor, Helper};

use super::{commands, Flow, Session};
use crate::driver::DriverError;

/// The prompt actsim shows.
const PROMPT: &str = "actsim> ";

/// Where the history is kept, in the working directory (as actsim).
const HISTORY: &str = ".actsim_history";

/// Completes the word at the cursor: a command name first, a design name after it.
struct Names {
    names: Rc<RefCell<Vec<String>>>,
}

impl Completer for Names {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        let before = &line[..pos];
        let start = before.rfind(char::is_whitespace).map_or(0, |i| i + 1);
        let word = &before[start..];
        let first = before[..start].trim().is_empty();
        let candidates = if first {
            (commands::names())
                .filter(|name| name.starts_with(word))
                .map(str::to_string)
                .collect()
        } else {
            (self.names.borrow().iter())
                .filter(|name| name.starts_with(word))
                .cloned()
                .collect()
        };
        Ok((start, candidates))
    }
}

impl Hinter for Names {
    type Hint = String;
}

impl Highlighter for Names {}

impl Validator for Names {}

impl Helper for Names {}

/// Reads commands at the prompt until `exit` or end of input.
pub fn run_prompt(session: &mut Session<'_>) -> Result<(), DriverError> {
    let Ok(mut editor) = Editor::<Names, DefaultHistory>::new() else {
        // No terminal after all: read the commands as a script.
        return super::run_script(session, &mut std::io::stdin().lock());
    };
    let names = Rc::new(RefCell::new(session.completions()));
    editor.set_helper(Some(Names {
        names: names.clone(),
    }));
    let _ = editor.load_history(HISTORY);
    loop {
        match editor.readline(PROMPT) {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                }
                let flow = session.execute(&line)?;
                *names.borrow_mut() = session.completions();
                if flow == Flow::Stop {
                    break;
                }
            }
            // Ctrl-C at the prompt: a new line, as a shell does.
            Err(ReadlineError::Interrupted) => continue,
            Err(_) => break,
        }
    }
    let _ = editor.save_history(HISTORY);
    Ok(())
}
