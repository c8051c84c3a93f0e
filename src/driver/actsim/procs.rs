//! actsim's commands on processes: `procinfo` (where each thread of each process is),
//! `coverage` (how often each guard was taken), and the ones chpsim does not do (`goto`,
//! `gc-retry`, `skip-comm`, `send`, `recv`), which check their arguments as actsim does and then
//! say so.
use super::Session;
use crate::driver::DriverError;

/// How actsim's `procinfo` and `coverage` name a process: its instance path and its type.
fn header(path: &str, type_name: &str) -> String {
    let name = if path.is_empty() { "-unknown-" } else { path };
    let type_name = if type_name.is_empty() {
        "-global-"
    } else {
        type_name
    };
    format!("--- Process: {name} [ {type_name} ] ---\n")
}

impl Session<'_> {
    /// `procinfo FILE [INST]` and `coverage FILE [INST]`: a report on every process (inside
    /// INST), to FILE (`-`: stdout).
    pub(super) fn process_report(
        &mut self,
        command: &str,
        args: &[&str],
    ) -> Result<(), DriverError> {
        let (file, instance) = match args {
            [file] => (*file, None),
            [file, instance] => (*file, Some(*instance)),
            _ => {
                self.message(&format!("Usage: {command} <filename> [<instance-name>]"));
                return Ok(());
            }
        };
        let sources = self.sources.clone();
        let running = self.running()?;
        let known = instance.is_none_or(|i| running.has_instance(i));
        let mut text = String::new();
        if command == "procinfo" {
            for info in running.procinfo(instance, &sources) {
                text.push_str(&header(&info.path, &info.type_name));
                for (slot, what) in &info.threads {
                    text.push_str(&format!("t#{slot:02}: {what}\n"));
                }
                if info.threads.is_empty() {
                    text.push_str("Terminated.\n");
                }
                // chpsim has no energy model: actsim's figures without one.
                text.push_str("Energy cost: 0\nLeakage: 0 pW\nArea: 0\n\n");
            }
        } else {
            for coverage in running.coverage(instance, &sources) {
                text.push_str(&header(&coverage.path, &coverage.type_name));
                for (selection, place) in &coverage.selections {
                    text.push_str(&format!("{selection}    at {place}\n"));
                }
                for (index, count) in coverage.counts.iter().enumerate() {
                    text.push_str(&format!("{index:>20} : {count}\n"));
                }
                text.push_str("---\n\n");
            }
        }
        if !known {
            self.message("WARNING: Didn't find info; is this a valid instance?");
            return Ok(());
        }
        self.write_report(command, file, &text);
        Ok(())
    }

    /// `goto`, `gc-retry`, `skip-comm`, `send`, `recv`: their arguments are checked as actsim
    /// checks them (its usage lines, the names looked up), then chpsim says it does not do
    /// them.
    pub(super) fn unsupported_process_command(
        &mut self,
        command: &str,
        args: &[&str],
    ) -> Result<(), DriverError> {
        let (usage, name, why) = match command {
            "goto" => (
                "[<inst-name>] <label>",
                match args {
                    [instance, _] => Some(*instance),
                    _ => None,
                },
                "jumping a thread to a label is not supported by chpsim",
            ),
            "gc-retry" => (
                "<name>",
                args.first().copied(),
                "chpsim evaluates a waiting guard again whenever something it reads changes; a guard with nothing to wait on stays stuck",
            ),
            "skip-comm" => (
                "<name>",
                args.first().copied(),
                "skipping a communication is not supported by chpsim",
            ),
            "send" => (
                "<chan> <val>",
                args.first().copied(),
                "driving a channel from the command line is not supported by chpsim; drive it from a CHP test bench (or the sim:: library's sources)",
            ),
            _ => (
                "<chan> [#f]",
                args.first().copied(),
                "driving a channel from the command line is not supported by chpsim; receive it in a CHP test bench (or the sim:: library's sinks)",
            ),
        };
        let arity_ok = match command {
            "goto" => matches!(args.len(), 1 | 2),
            "send" => args.len() == 2,
            "recv" => matches!(args.len(), 1 | 2),
            _ => args.len() == 1,
        };
        if !arity_ok {
            self.message(&format!("Usage: {command} {usage}"));
            return Ok(());
        }
        if let Some(name) = name {
            let running = self.running()?;
            let found = match command {
                "goto" | "gc-retry" => running.has_instance(name),
                _ => running.has_instance(name) || self.monitor.borrow().key(name).is_some(),
            };
            if !found {
                let message = match command {
                    "goto" => format!("Could not find instance `{name}'"),
                    "gc-retry" => format!("{command}: could not find instance `{name}'"),
                    _ => {
                        let top = self.top.clone();
                        format!("Could not find identifier `{name}' within process `{top}'")
                    }
                };
                self.message(&message);
                return Ok(());
            }
        }
        self.message(&format!("{command}: {why}"));
        Ok(())
    }
}
