//! actsim's energy model as its commands report it: `energy` (every process instance's energy,
//! leakage and area, summed over the instances inside each) and `procinfo`'s three lines.
//!
//! A process instance running CHP adds its statements' energies as they complete (see
//! [`crate::elab::delays`]); its leakage and area are its type's, from the configuration.
//! An instance running production rules has none of the three, as in actsim.
use std::collections::HashMap;

use super::Session;
use crate::elab::ir::InstanceEntry;

/// One instance's figures, or a subtree's sums.
#[derive(Clone, Copy, Debug, Default)]
struct Figures {
    energy: u64,
    leakage: f64,
    area: u64,
}

impl Figures {
    fn any(&self) -> bool {
        self.energy > 0 || self.leakage > 0.0 || self.area > 0
    }
}

impl Session<'_> {
    /// `energy [-v] FILE [INST]`: the energy, leakage and area of each instance (inside INST)
    /// that has any, indented by its depth under INST, each instance holding instances then
    /// with the sums of those inside it (`---:subtree`), and the total last. `-v` adds each
    /// instance's process type. The words are read as actsim reads them: two, three or four
    /// in all, `-v` first or not; without `-v`, a fourth word is not read.
    pub(super) fn energy(&mut self, args: &[&str]) {
        let usage = "Usage: energy [-v] <filename> [<instance-name>]";
        let (verbose, words) = match args {
            ["-v"] => return self.message(usage),
            ["-v", rest @ ..] => (true, rest),
            rest => (false, rest),
        };
        let (file, instance) = match (args.len(), words) {
            (1..=3, [file]) => (*file, None),
            (1..=3, [file, instance, ..]) => (*file, Some(*instance)),
            _ => return self.message(usage),
        };
        if !self.report_instance_parses("energy", file, instance) {
            return;
        }
        let Some(instances) = self.instance_subtree(instance) else {
            // actsim opens the file, warns, and still writes the (zero) total.
            if self.write_report("energy", file, "") {
                self.message("WARNING: Didn't find info; is this a valid instance?");
                self.write_report("energy", file, "Total: 0  (0 W); area: 0\n");
            }
            return;
        };
        let energies = self.energies();
        let entries: Vec<(&InstanceEntry, u64)> = (instances.iter())
            .map(|entry| (entry, energies.get(&entry.path).copied().unwrap_or(0)))
            .collect();
        let mut text = String::new();
        let total = subtree_report(&entries, 0, verbose, &mut text);
        text.push_str(&format!(
            "Total: {}  ({} W); area: {}\n",
            total.energy,
            c_general(total.leakage),
            total.area
        ));
        self.write_report("energy", file, &text);
    }

    /// The energy each process instance running CHP has used so far, by path.
    pub(super) fn energies(&mut self) -> HashMap<String, u64> {
        match self.running() {
            Ok(running) => running.energies().into_iter().collect(),
            Err(_) => HashMap::new(),
        }
    }
}

/// `procinfo`'s lines for an instance: its energy, its leakage in the unit actsim chooses
/// for it, its area, and an empty line.
pub(super) fn procinfo_lines(entry: &InstanceEntry, energy: u64) -> String {
    let leakage = entry.leakage;
    let (scaled, unit) = if leakage > 1e-3 {
        (leakage * 1e3, "mW")
    } else if leakage > 1e-6 {
        (leakage * 1e6, "uW")
    } else if leakage > 1e-9 {
        (leakage * 1e9, "nW")
    } else {
        (leakage * 1e12, "pW")
    };
    format!(
        "Energy cost: {energy}\nLeakage: {} {unit}\nArea: {}\n\n",
        c_general(scaled),
        entry.area
    )
}

/// Writes the lines of `entries[0]` and of the instances inside it (the rest of `entries`,
/// each before those inside it) at `depth`, and returns their sums. Sums are made in actsim's
/// order, so the subtree's leakage is the same difference of floating sums.
fn subtree_report(
    entries: &[(&InstanceEntry, u64)],
    depth: usize,
    verbose: bool,
    text: &mut String,
) -> Figures {
    let (root, energy) = entries[0];
    let own = Figures {
        energy,
        leakage: root.leakage,
        area: root.area,
    };
    let indent = "  ".repeat(depth);
    if own.any() {
        let name = if root.path.is_empty() {
            "-top-"
        } else {
            &root.path
        };
        text.push_str(&format!("{indent} - {name}"));
        if verbose {
            let namespace = match root.namespace.is_empty() {
                true => String::new(),
                false => format!("::{}::", root.namespace),
            };
            text.push_str(&format!(" [ {namespace}{} ] ", root.type_name));
        }
        text.push_str(&format!(
            " {}  ({} W); area: {}\n",
            own.energy,
            c_general(own.leakage),
            own.area
        ));
    }
    let mut total = own;
    let mut at = 1;
    while at < entries.len() {
        let inner = format!("{}.", entries[at].0.path);
        let end = at
            + 1
            + (entries[at + 1..].iter())
                .take_while(|(entry, _)| entry.path.starts_with(&inner))
                .count();
        let sums = subtree_report(&entries[at..end], depth + 1, verbose, text);
        total.energy = total.energy.wrapping_add(sums.energy);
        total.leakage += sums.leakage;
        total.area = total.area.wrapping_add(sums.area);
        at = end;
    }
    let inside = Figures {
        energy: total.energy.wrapping_sub(own.energy),
        leakage: total.leakage - own.leakage,
        area: total.area.wrapping_sub(own.area),
    };
    if inside.any() {
        text.push_str(&format!(
            "{indent} ---:subtree {} ({} W); area: {}\n",
            inside.energy,
            c_general(inside.leakage),
            inside.area
        ));
    }
    total
}

/// A number as C's `printf("%g")` writes it: six significant digits, trailing zeros dropped,
/// in exponent form (`1e-09`, `2.5e+06`) when its exponent is below -4 or from 6 on.
fn c_general(value: f64) -> String {
    if !value.is_finite() {
        let text = if value.is_nan() { "nan" } else { "inf" };
        return match value.is_sign_negative() {
            true => format!("-{text}"),
            false => text.to_string(),
        };
    }
    if value == 0.0 {
        return if value.is_sign_negative() { "-0" } else { "0" }.to_string();
    }
    let scientific = format!("{value:.5e}");
    let (mantissa, exponent) = scientific.split_once('e').expect("an exponent");
    let exponent: i32 = exponent.parse().expect("a number");
    if (-4..6).contains(&exponent) {
        let fixed = format!("{value:.*}", (5 - exponent) as usize);
        without_trailing_zeros(&fixed).to_string()
    } else {
        let sign = if exponent < 0 { '-' } else { '+' };
        let mantissa = without_trailing_zeros(mantissa);
        format!("{mantissa}e{sign}{:02}", exponent.abs())
    }
}

/// A decimal number without the zeros that end its fraction, nor a point left alone.
fn without_trailing_zeros(number: &str) -> &str {
    match number.contains('.') {
        true => number.trim_end_matches('0').trim_end_matches('.'),
        false => number,
    }
}

#[cfg(test)]
mod tests {
    use super::c_general;

    #[test]
    fn numbers_are_written_as_cs_percent_g() {
        let cases = [
            (0.0, "0"),
            (1.0, "1"),
            (2.5e-6, "2.5e-06"),
            (1e-9, "1e-09"),
            (0.0001, "0.0001"),
            (123456.0, "123456"),
            (1234567.0, "1.23457e+06"),
            (3.0e-7 * 1e6, "0.3"),
            (99999.95, "99999.9"),
            (999999.5, "1e+06"),
            (-1.5, "-1.5"),
            (1e100, "1e+100"),
        ];
        for (value, written) in cases {
            assert_eq!(c_general(value), written, "{value}");
        }
    }
}
