//! ACT's refinement steps: `refine<k> { }` bodies replace their process's own languages once
//! `chpsim run --refine N` (actsim's `-ref=N`) reaches `k`; with no steps they are left out.
use crate::common::cli::{actsim_script, stderr, stdout, BIN};

/// An inverter written as CHP, refined into a production rule.
const INVERTER: &str = "
defproc inv(bool? a; bool! y) {
  chp { *[ [a]; y-; log(\"chp\"); [~a]; y+ ] }
  refine { prs { a => y- } }
}
defproc env(bool! a; bool? y) { chp { a+; [~y]; log(\"low\"); a- } }
defproc test() { bool a, y; inv g(a, y); env e(a, y); }
";

/// A process refined twice: its own CHP, a first refinement with an instance and CHP, a
/// second with CHP only.
const TWO_STEPS: &str = "
defproc q() { chp { log(\"q\") } }
defproc p() {
  chp { log(\"base\") }
  refine { q s; chp { log(\"one\") } }
  refine<2> { chp { log(\"two\") } }
}
defproc test() { p x; }
";

/// The log texts of `chpsim run --refine N` (no `--refine` for `None`) of `design`.
fn logs(design: &str, steps: Option<u64>) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.act"), design).unwrap();
    let mut command = std::process::Command::new(BIN);
    command.arg("run").current_dir(dir.path());
    if let Some(n) = steps {
        command.args(["--refine", &n.to_string()]);
    }
    let o = command.arg("d.act").output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut texts: Vec<String> = (stdout(&o).lines())
        .filter_map(|l| Some(l.split_once("> ")?.1.trim().to_string()))
        .collect();
    texts.sort();
    texts
}

#[test]
fn without_steps_a_refinement_is_left_out() {
    assert_eq!(logs(TWO_STEPS, None), ["base"]);
    assert_eq!(logs(TWO_STEPS, Some(0)), ["base"]);
    assert!(logs(INVERTER, None).contains(&"chp".to_string()));
}

#[test]
fn a_refinement_replaces_the_process_s_own_languages_from_its_step_on() {
    assert_eq!(logs(TWO_STEPS, Some(1)), ["one", "q"]);
    // At two steps refine<2> is accepted too, and the CHP of refine<1> gives way to it
    // (ACT's rule); the instance refine<1> declares stays.
    assert_eq!(logs(TWO_STEPS, Some(2)), ["q", "two"]);
    assert_eq!(logs(TWO_STEPS, Some(7)), ["q", "two"]);
}

#[test]
fn actsim_s_ref_option_runs_the_refined_circuit() {
    // Without -ref, inv runs its CHP (actsim substitutes it for the production rules asked
    // for); with -ref=1, the refinement's rule runs and nothing is substituted for inv.
    let plain = actsim_script(INVERTER, &["d.act", "test"], "cycle\n");
    assert!(stdout(&plain).contains("chp"), "{}", stdout(&plain));
    assert!(stderr(&plain).contains("WARNING: inv<>: substituting chp model"));
    let refined = actsim_script(INVERTER, &["-ref=1", "d.act", "test"], "cycle\n");
    assert!(!stdout(&refined).contains("chp"), "{}", stdout(&refined));
    assert!(stdout(&refined).contains("low"), "{}", stdout(&refined));
    assert!(!stderr(&refined).contains("inv<>"), "{}", stderr(&refined));
}

/// A refinement that overrides instance `k` with a process refining its type, whose new port
/// the refinement's body connects.
const OVERRIDE: &str = "
defproc seven(chan!(int) o) { chp { o!7 } }
defproc leaf(chan?(int) L) { int x; chp { L?x; log(\"leaf \", x) } }
defproc loud <: leaf (chan!(int) E) { seven f(E); }
defproc src(chan!(int) o) { chp { o!5 } }
defproc show(chan?(int) i) { int v; chp { i?v; log(\"extra \", v) } }
defproc test()
{
  chan(int) c; src s(c); leaf k(c);
  refine +{ loud k; } { chan(int) e; k.E = e; show t(e); }
}
";

#[test]
fn an_accepted_refinement_gives_the_instances_it_overrides_their_refined_process() {
    // One step: `k` is a `loud`, whose port `E` the refinement's body joins to `show`, and
    // whose `seven` sends 7 on it; `k` still runs `leaf`'s CHP.
    assert_eq!(logs(OVERRIDE, Some(1)), ["extra 7", "leaf 5"]);
}

/// A cell whose CHP receives on a channel of its own, fed by a source with a dual-rail port;
/// its refinement makes the channel dual-rail (`ack2`, see `chan_methods`) and acknowledges it
/// with production rules, which a watcher reads.
fn dual_rail_cell(declaration: &str, body: &str) -> String {
    format!(
        "{}
defproc src(ack2! L) {{ chp {{ L!1; L!0; L!1; log(\"sent\") }} }}
defproc watch(bool? hi, lo) {{
  chp {{ *[ [hi -> log(\"rail 1\") [] lo -> log(\"rail 0\")]; [~hi & ~lo] ] }}
}}
defproc cell() {{
  {declaration}
  src s(c);
  {body}
}}
defproc test() {{ cell k; }}
",
        crate::chan_methods::DUAL_RAIL
    )
}

/// The circuit of [`dual_rail_cell`]: rails latched into `h` and `l`, acknowledged by either.
const ACKNOWLEDGER: &str =
    "bool h, l; prs { c.hi => h+\n c.lo => l+\n h | l => c.a+ } watch w(h, l);";

#[test]
fn a_refinement_gives_a_channel_the_refined_type_its_override_names() {
    let refined = dual_rail_cell(
        "chan(enum<2>) c;",
        &format!(
            "int<1> x; chp {{ *[ c?x; log(\"got \", x) ] }}
  refine +{{ ack2 c; }} {{ {ACKNOWLEDGER} }}"
        ),
    );
    // Without refinement steps `c` is a plain channel between two CHP ends.
    let plain = actsim_script(&refined, &["d.act", "test"], "cycle\n");
    let lines = stdout(&plain);
    assert!(
        lines.contains("<k>  got 0") && lines.contains("<k.s>  sent"),
        "{lines}"
    );
    assert!(!lines.contains("rail"), "{lines}");
    // With one step the cell is its circuit on the wires of an `ack2 c`, which the source
    // drives through the type's methods: the same run as the cell written that way.
    let wired = actsim_script(&refined, &["-ref=1", "d.act", "test"], "cycle\n");
    let direct = actsim_script(
        &dual_rail_cell("ack2 c;", ACKNOWLEDGER),
        &["d.act", "test"],
        "cycle\n",
    );
    assert!(
        stdout(&direct).contains("<k.w>  rail 0"),
        "{}",
        stdout(&direct)
    );
    assert_eq!(stdout(&wired), stdout(&direct));
    assert_eq!(stderr(&wired), stderr(&direct));
}

/// A bool refined twice: into two rails, then into three (the third joined to one of them).
const TWICE: &str = "
deftype rails <: bool (bool t, f) { }
deftype three <: rails (bool q) { q = f; }
defproc test()
{
  bool x, z;
  chp { log(\"plain\") }
  refine +{ rails x; } { chp { [x.t]; log(\"t\") } }
  refine<2> +{ rails z; three x; } { chp { [x.q & z.f]; log(\"q\") } }
}
";

#[test]
fn overrides_of_data_types_apply_in_the_order_of_their_steps() {
    let get = |steps: &str| {
        let o = actsim_script(
            TWICE,
            &[steps, "d.act", "test"],
            "get x.t\nget x.q\nget z.f\n",
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        stdout(&o)
    };
    // Each refinement's body sees its own override: without it, `x.t` or `x.q` has no field.
    // actsim's `get` prints the wires that exist and the body names (and says on stderr which
    // it does not find): the second step's body does not name `x.t`.
    assert_eq!(get("-ref=0"), "");
    assert_eq!(get("-ref=1"), "x.t: X\n");
    assert_eq!(get("-ref=2"), "x.q: X\nz.f: X\n");
}

#[test]
fn a_refinement_override_appends_the_template_arguments_of_the_declaration() {
    // `gch<2> + x` is `gch<2,4>` for `ch<4> x`: a channel type refining `ch<4>`.
    let design = "
template<pint N> defchan ch <: chan(int<N>) (bool d[N]) { }
template<pint K; pint M> defchan gch <: ch<M> (bool e[K]) { }
defproc src(chan!(int<4>) o) { chp { o!3 } }
defproc snk(chan?(int<4>) i) { int<4> v; chp { i?v; log(\"got \", v) } }
defproc test() {
  ch<4> x;
  refine +{ gch<2> + x; } { src s(x); snk k(x); }
}
";
    assert_eq!(logs(design, Some(1)), ["got 3"]);
}

#[test]
fn a_data_type_override_reaches_declarations_in_loops_and_conditionals() {
    // As ACT's `updateInstType`: `x` declared in a conditional and `y` in a loop are the
    // `rails` the override makes them, whose wires the refinement's body reads.
    let design = "
deftype rails <: bool (bool t, f) { }
defproc test() {
  pint N = 1;
  [ N > 0 -> bool x; ]
  ( i : 1 : bool y; )
  refine +{ rails x, y; } { chp { x.t+, y.f+; log(\"wires \", x.t & y.f) } }
}
";
    assert_eq!(logs(design, Some(1)), ["wires 1"]);
}
