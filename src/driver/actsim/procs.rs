//! actsim's reports on processes: `procinfo` (where each thread of each process is) and
//! `coverage` (how often each guard was taken).
use super::Session;
use crate::driver::DriverError;

/// The margin of actsim's `coverage` program text (its pretty printer's).
const PROGRAM_MARGIN: usize = 80;

/// How actsim's `procinfo` and `coverage` name a process: its instance path and its type,
/// without the type's namespace (ACT's `getName`: `cons<3,t>` for `lib::cons<3,t>`).
fn header(path: &str, type_name: &str) -> String {
    let name = if path.is_empty() { "-unknown-" } else { path };
    let (head, args) = type_name.split_at(type_name.find('<').unwrap_or(type_name.len()));
    let local = head.rsplit("::").next().unwrap_or(head);
    let type_name = if type_name.is_empty() {
        "-global-".to_string()
    } else {
        format!("{local}{args}")
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
        if !self.report_instance_parses(command, file, instance) {
            return Ok(());
        }
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
                text.push_str(&super::pretty::layout(&coverage.program, PROGRAM_MARGIN));
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
}
