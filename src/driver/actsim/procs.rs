//! actsim's reports on processes: `procinfo` (where each thread of each process is) and
//! `coverage` (how often each guard was taken).
use std::collections::HashMap;

use super::Session;
use crate::driver::DriverError;
use crate::elab::ir::InstanceEntry;
use crate::sim::coverage::Coverage;
use crate::sim::inspect::ProcInfo;

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
    /// INST), to FILE (`-`: stdout). As actsim's code does, the instance is read from the
    /// first argument, the file's name: `procinfo - c` looks for an instance `-`, and
    /// `procinfo c c` writes `c`'s report to the file `c`.
    pub(super) fn process_report(
        &mut self,
        command: &str,
        args: &[&str],
    ) -> Result<(), DriverError> {
        let (file, instance) = match args {
            [file] => (*file, None),
            [file, _] => (*file, Some(*file)),
            _ => {
                self.message(&format!("Usage: {command} <filename> [<instance-name>]"));
                return Ok(());
            }
        };
        if !self.report_instance_parses(command, file, instance) {
            return Ok(());
        }
        let Some(instances) = self.instance_subtree(instance) else {
            if self.write_report(command, file, "") {
                self.message("WARNING: Didn't find info; is this a valid instance?");
            }
            return Ok(());
        };
        let sources = self.sources.clone();
        let mut text = String::new();
        if command == "procinfo" {
            let energies = self.energies();
            let running = self.running()?;
            let mut infos: HashMap<String, ProcInfo> = (running.procinfo(None, &sources))
                .into_iter()
                .map(|info| (info.path.clone(), info))
                .collect();
            for entry in &instances {
                match infos.remove(&entry.path) {
                    Some(info) => {
                        text.push_str(&header(&info.path, &info.type_name));
                        for (slot, what) in &info.threads {
                            text.push_str(&format!("t#{slot:02}: {what}\n"));
                        }
                        if info.threads.is_empty() {
                            text.push_str("Terminated.\n");
                        }
                        let energy = energies.get(&entry.path).copied().unwrap_or(0);
                        text.push_str(&super::energy::procinfo_lines(entry, energy));
                    }
                    // actsim's object for an instance running production rules has no
                    // state to show, and says so.
                    None if entry.rules => text.push_str("FIXME: prs dump state!\n"),
                    // An instance that runs nothing of its own (its instances do the work)
                    // is a process with no thread in actsim.
                    None => {
                        text.push_str(&header(&entry.path, &entry.type_name));
                        text.push_str("Terminated.\n");
                        text.push_str(&super::energy::procinfo_lines(entry, 0));
                    }
                }
            }
        } else {
            let running = self.running()?;
            let mut all: HashMap<String, Coverage> = (running.coverage(None, &sources))
                .into_iter()
                .map(|coverage| (coverage.path.clone(), coverage))
                .collect();
            for coverage in instances.iter().filter_map(|entry| all.remove(&entry.path)) {
                text.push_str(&header(&coverage.path, &coverage.type_name));
                text.push_str(&super::pretty::layout(&coverage.program, PROGRAM_MARGIN));
                for (index, count) in coverage.counts.iter().enumerate() {
                    text.push_str(&format!("{index:>20} : {count}\n"));
                }
                text.push_str("---\n\n");
            }
        }
        self.write_report(command, file, &text);
        Ok(())
    }

    /// What actsim says of a name a command gives (`read` as ACT reads it) that names nothing
    /// chpsim knows: actsim looks for it inside the deepest instance its leading parts name
    /// (walking down while an instance holds instances), and names the rest of it and that
    /// instance's process type (`test<>` for the top): ``Could not find identifier `x' within
    /// process `cons<>'``, or ``Array index is missing/out of bounds in `mem[9]'!`` for an
    /// array's name without an index or with one outside it (an array of instances too:
    /// `i`, `i[5].y`); a parameter's name (a template
    /// parameter, one the body or the file declares) ``Operation only works for a circuit
    /// object, not parameter `N'``. A name that is an instance's whole name gets no message
    /// (actsim returns without one).
    pub(super) fn not_found(&self, read: &str) -> Option<String> {
        let (path, rest) = self.locate(read);
        let rest = rest?;
        let entry = self.instances.iter().find(|entry| entry.path == path);
        let head = rest.split(['.', '[']).next().unwrap_or_default();
        let parameter = entry.and_then(|e| e.parameters.iter().find(|p| p.name == head));
        if let Some(parameter) = parameter {
            let indexed = rest[head.len()..].starts_with('[');
            return Some(match parameter.array == indexed {
                true => {
                    format!("Operation only works for a circuit object, not parameter `{rest}'")
                }
                false => format!("Array index is missing/out of bounds in `{rest}'!"),
            });
        }
        let within = match path.is_empty() {
            true => format!("{head}["),
            false => format!("{path}.{head}["),
        };
        // An array of instances: the name did not lead into one of its elements, so it has
        // no index or one outside the array (`i`, `i[5].y`).
        let instance_array = (self.instances.iter()).any(|e| e.path.starts_with(&within));
        // A name through an instance that is no array (`p[0].R`) is not found, as before.
        let through_instance =
            (self.instances.iter()).any(|e| e.path == within[..within.len() - 1]);
        if instance_array || (!through_instance && self.indices_out_of_bounds(&path, &rest)) {
            return Some(format!("Array index is missing/out of bounds in `{rest}'!"));
        }
        let process = entry.map_or_else(
            || format!("{}<>", self.top),
            |entry| entry.type_name.clone(),
        );
        Some(format!(
            "Could not find identifier `{rest}' within process `{process}'"
        ))
    }

    /// Whether `rest`, a name inside the instance at `path`, names something there with an
    /// index missing, out of bounds or one too many: ACT looks the name up without its indices
    /// (`x[3].t` of `dual x[2]` is there as `x.t`), then checks them (its validateDeref).
    /// Known from the names chpsim shows, where the wires of an array are arrays (`x.t[1]`,
    /// the indices in the order written): `rest`'s indices must be those of one of them with
    /// the same dotted name, or the first ones of one below it (`x[1]` of `x.t[1]`).
    fn indices_out_of_bounds(&self, path: &str, rest: &str) -> bool {
        let (dotted, indices) = unindexed(rest);
        let monitor = self.monitor.borrow();
        let (mut named, mut valid) = (false, false);
        for name in monitor.all_names() {
            let name = match path.is_empty() {
                true => name,
                false => match name.strip_prefix(path).and_then(|r| r.strip_prefix('.')) {
                    Some(inside) => inside,
                    None => continue,
                },
            };
            let (name, known) = unindexed(name);
            if name == dotted {
                named = true;
                valid |= known == indices;
            } else if (name.strip_prefix(dotted.as_str())).is_some_and(|r| r.starts_with('.')) {
                named = true;
                valid |= known.starts_with(&indices);
            }
        }
        named && !valid
    }

    /// Where actsim looks for a name a command gives (`read` as ACT reads it; its
    /// `find_object`): the deepest instance (its path, "" for the top) that the name's leading
    /// parts name, walking down while an instance holds instances, and the rest of the name
    /// (`None` when the name is that instance's whole name).
    pub(super) fn locate(&self, read: &str) -> (String, Option<String>) {
        let parts: Vec<&str> = read.split('.').collect();
        let mut path = String::new();
        let mut used = 0;
        while used < parts.len() && self.holds_instances(&path) {
            let inner = match path.is_empty() {
                true => parts[used].to_string(),
                false => format!("{path}.{}", parts[used]),
            };
            if !self.instances.iter().any(|entry| entry.path == inner) {
                break;
            }
            path = inner;
            used += 1;
        }
        let rest = (used < parts.len()).then(|| parts[used..].join("."));
        (path, rest)
    }

    /// Whether the instance at `path` (the top for "") has instances inside it.
    fn holds_instances(&self, path: &str) -> bool {
        let inner = format!("{path}.");
        (self.instances.iter()).any(|entry| {
            !entry.path.is_empty() && (path.is_empty() || entry.path.starts_with(&inner))
        })
    }

    /// The instances inside `instance` (itself first, each before its own instances), as
    /// actsim finds them in its table of instances: by the name as ACT reads it (`b[02]` is
    /// `b[2]`), one instance exactly (an array's name alone is none); every instance for
    /// `None`. `None` when there is no such instance.
    pub(super) fn instance_subtree(&self, instance: Option<&str>) -> Option<Vec<InstanceEntry>> {
        let Some(name) = instance else {
            return Some(self.instances.clone());
        };
        let key = instance_key(name)?;
        if !self.instances.iter().any(|entry| entry.path == key) {
            return None;
        }
        let inner = format!("{key}.");
        Some(
            (self.instances.iter())
                .filter(|entry| entry.path == key || entry.path.starts_with(&inner))
                .cloned()
                .collect(),
        )
    }
}

/// A name without its indices (`x.t` of `x[3].t`), and its indices in order (`3`).
fn unindexed(name: &str) -> (String, Vec<&str>) {
    let (mut dotted, mut indices) = (String::new(), Vec::new());
    let mut rest = name;
    while let Some(open) = rest.find('[') {
        dotted.push_str(&rest[..open]);
        let Some(close) = rest[open..].find(']') else {
            rest = &rest[open..];
            break;
        };
        indices.push(&rest[open + 1..open + close]);
        rest = &rest[open + close + 1..];
    }
    dotted.push_str(rest);
    (dotted, indices)
}

/// A name as actsim prints it after reading it (ACT's `ActId`): each index as C's `atoi` reads
/// its digits (`b[02]` is `b[2]`). `None` for a name with a namespace, which no instance has.
/// The name reads as an identifier (see `reads_as_identifier`).
pub(super) fn instance_key(name: &str) -> Option<String> {
    if name.contains("::") {
        return None;
    }
    let mut key = String::new();
    for (i, part) in name.split('.').enumerate() {
        if i > 0 {
            key.push('.');
        }
        let (head, indices) = part.split_at(part.find('[').unwrap_or(part.len()));
        key.push_str(head);
        for index in indices.split(']').filter(|i| !i.is_empty()) {
            let digits = index.trim_start_matches('[').trim_start_matches('0');
            key.push_str(&format!(
                "[{}]",
                if digits.is_empty() { "0" } else { digits }
            ));
        }
    }
    Some(key)
}
