//! actsim's energy model: the configuration's statement energies, leakage and area, as the
//! `energy` and `procinfo` commands report them.
use std::process::Output;

use crate::common::cli::{actsim_in, command_messages, stderr, stdout};

/// A source in a namespace sending 0, 1, 2, and a sink inside an instance that runs nothing
/// of its own.
const DESIGN: &str = "
namespace lib {
export defproc src(chan!(int<8>) R) {
  int<8> n;
  chp { n := 0; *[ n < 3 -> R!n; n := n + 1 ] }
}
}
defproc snk(chan?(int<8>) L) { int<8> v; chp { *[ L?v ] } }
defproc pair(chan?(int<8>) I) { snk s(I); }
defproc test() { chan(int<8>) C; lib::src a(C); pair p(C); }
";

/// Energies by target, a default for the rest (and for each evaluation of guards), leakage
/// and area by process type or by default.
const CONFIG: &str = "
begin sim
  begin chp
    int default_energy 1
    int lib::src<>.R.E 7
    int lib::src<>.n.E 2
    int snk<>.L.E 5
    real default_leakage 2e-9
    real lib::src<>.leakage 1.5e-6
    int default_area 3
    int pair<>.area 10
    int snk<>.area 4
  end
end
";

fn run(design: &str, config: &str, script: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.act"), design).unwrap();
    std::fs::write(dir.path().join("energy.conf"), config).unwrap();
    actsim_in(dir.path(), &["-cnf=energy.conf", "d.act", "test"], script)
}

fn lines(o: &Output) -> Vec<String> {
    stdout(o).lines().map(str::to_owned).collect()
}

#[test]
fn energy_sums_each_instance_and_each_subtree() {
    // a: n := 0 (2), four evaluations of the loop's guard (4 x 1), three sends (3 x 7) and
    // three increments (3 x 2): 33. p.s: four iterations of `*[S]` started (4 x 1), three
    // receives (3 x 5): 19. p and the top run nothing: their leakage and area only.
    let o = run(DESIGN, CONFIG, "cycle\nenergy -\nenergy -v - p\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        command_messages(&o).is_empty(),
        "{:?}",
        command_messages(&o)
    );
    assert_eq!(
        lines(&o),
        [
            " - -top- 0  (2e-09 W); area: 3",
            "   - a 33  (1.5e-06 W); area: 3",
            "   - p 0  (2e-09 W); area: 10",
            "     - p.s 19  (2e-09 W); area: 4",
            "   ---:subtree 19 (2e-09 W); area: 4",
            " ---:subtree 52 (1.504e-06 W); area: 17",
            "Total: 52  (1.506e-06 W); area: 20",
            // `-v` names each type, with its namespace; INST's subtree only.
            " - p [ pair<> ]  0  (2e-09 W); area: 10",
            "   - p.s [ snk<> ]  19  (2e-09 W); area: 4",
            " ---:subtree 19 (2e-09 W); area: 4",
            "Total: 19  (4e-09 W); area: 14",
        ]
    );
    let o = run(DESIGN, CONFIG, "cycle\nenergy -v - a\n");
    assert_eq!(
        lines(&o),
        [
            " - a [ ::lib::src<> ]  33  (1.5e-06 W); area: 3",
            "Total: 33  (1.5e-06 W); area: 3",
        ]
    );
}

#[test]
fn energy_grows_as_statements_run() {
    // By 35 (delays of 10): a's n := 0 (2), its guard (1), its first send, completed at 30
    // with p.s's receive (7); p.s's first iteration (1) and that receive (5).
    let o = run(DESIGN, CONFIG, "advance 35\nenergy - a\nenergy - p.s\n");
    assert_eq!(
        lines(&o),
        [
            " - a 10  (1.5e-06 W); area: 3",
            "Total: 10  (1.5e-06 W); area: 3",
            " - p.s 6  (2e-09 W); area: 4",
            "Total: 6  (2e-09 W); area: 4",
        ]
    );
}

#[test]
fn procinfo_shows_each_instance_s_energy_leakage_and_area() {
    let o = run(DESIGN, CONFIG, "cycle\nprocinfo -\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let figures: Vec<String> = (lines(&o).into_iter())
        .filter(|l| l.starts_with("---") || l.starts_with("Energy") || l.starts_with("Le"))
        .collect();
    assert_eq!(
        figures,
        [
            "--- Process: -unknown- [ test<> ] ---",
            "Energy cost: 0",
            "Leakage: 2 nW",
            "--- Process: a [ src<> ] ---",
            "Energy cost: 33",
            "Leakage: 1.5 uW",
            "--- Process: p [ pair<> ] ---",
            "Energy cost: 0",
            "Leakage: 2 nW",
            "--- Process: p.s [ snk<> ] ---",
            "Energy cost: 19",
            "Leakage: 2 nW",
        ]
    );
    let areas: Vec<String> = (lines(&o).into_iter())
        .filter(|l| l.starts_with("Area"))
        .collect();
    assert_eq!(areas, ["Area: 3", "Area: 3", "Area: 10", "Area: 4"]);
}

#[test]
fn leakage_is_shown_in_the_unit_actsim_chooses() {
    let design = "defproc w() { chp { skip } } defproc test() { w m, u, n, p; }";
    let config = "real sim.chp.w<>.leakage 0.25\nreal sim.chp.test<>.leakage 3e-5\n";
    let o = run(design, config, "procinfo -\nenergy -\n");
    let leakages: Vec<String> = (lines(&o).into_iter())
        .filter(|l| l.starts_with("Leakage"))
        .collect();
    assert_eq!(leakages[..2], ["Leakage: 30 uW", "Leakage: 250 mW"]);
    assert_eq!(lines(&o).last().unwrap(), "Total: 0  (1.00003 W); area: 0");
    let config = "real sim.chp.w<>.leakage 5e-12\nreal sim.chp.default_leakage 4e-8\n";
    let o = run(design, config, "procinfo -\n");
    let leakages: Vec<String> = (lines(&o).into_iter())
        .filter(|l| l.starts_with("Leakage"))
        .collect();
    assert_eq!(leakages[..2], ["Leakage: 40 nW", "Leakage: 5 pW"]);
}

#[test]
fn a_process_with_no_energy_configured_uses_none() {
    // Without a configuration's energies every figure is 0, and `energy` lists no instance.
    let o = run(
        DESIGN,
        "int sim.chp.default_delay 5\n",
        "cycle\nenergy -v -\n",
    );
    assert_eq!(lines(&o), ["Total: 0  (0 W); area: 0"]);
}

#[test]
fn an_energy_setting_of_the_wrong_type_is_an_error_at_it() {
    let o = run(DESIGN, "real sim.chp.snk<>.L.E 1.5\n", "cycle\n");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("`sim.chp.snk<>.L.E` is an energy: an `int` setting"),
        "{}",
        stderr(&o)
    );
}
