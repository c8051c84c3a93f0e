//! The name actsim gives a net with several names in one process: ACT's canonical one, a
//! global before a port of the process (the first declared) before any other name, the one
//! with the fewest steps below its variable first, then the shorter variable name, then the
//! first in byte order. Only the connections made inside the process count.
use crate::common::cli::{actsim_script, stdout};

fn run(design: &str, script: &str) -> String {
    stdout(&actsim_script(design, &["d.act", "test"], script))
}

#[test]
fn a_rules_target_is_named_by_its_nets_name_in_the_process() {
    // Each rule of `test` drives a net of two names; `status X` lists the nodes the rules
    // drive by those names. `flag` is a global (it wins over `own`); `mid = rear` is the
    // shorter name, `qq = pp` the first in byte order; `w` has fewer steps than `arr[1]`,
    // a local than an instance's port (`keep.a`), and of two ports of instances the
    // instance with the shorter name wins (`k.a`).
    let design = "
bool flag;
defproc leaf(bool a) { }
defproc test() {
  bool go, mid, rear, qq, pp, w, arr[2], own;
  leaf keep, k;
  mid = rear;
  qq = pp;
  arr[1] = w;
  keep.a = k.a;
  own = flag;
  prs {
    go => rear-
    go => qq-
    go => arr[1]-
    go => keep.a-
    go => own-
  }
}
";
    assert_eq!(run(design, "status X\n"), "-top- { mid pp w k.a flag }\n");
}

#[test]
fn a_port_names_its_net_and_two_ports_joined_outside_stay_apart() {
    // Inside `gate`, `t` is the port `b`; the parent joins `a` and `b` too, which does not
    // make `a` (declared first) a name of `t`'s net in `gate`. In `both`, `a = b` inside
    // makes `a` the name.
    let design = "
defproc gate(bool a, b, y) {
  bool t;
  t = b;
  prs { a & y => t- }
}
defproc both(bool a, b, y) {
  a = b;
  prs { y => b- }
}
defproc test() {
  bool i, u, j, v;
  gate g(i, i, u);
  both h(j, j, v);
}
";
    assert_eq!(run(design, "status X\n"), "g { b }\nh { a }\n");
}

#[test]
fn an_x_bool_that_chp_reads_is_named_by_its_nets_name() {
    // actsim's warning names the variable's net as the process names it: `zz = y` is `y`
    // (the shorter name), the local `t` joined to the port `b` is `b`, and in `pair` the
    // ports joined inside are `a`, the first declared.
    let design = "
defproc one(bool a, b) {
  bool t;
  t = b;
  chp { [ t -> skip [] else -> skip ] }
}
defproc pair(bool a, b) {
  a = b;
  chp { [ b -> skip [] else -> skip ] }
}
defproc test() {
  bool zz, y, x, v;
  zz = y;
  one s(x, x);
  pair r(v, v);
  chp { [ zz -> skip [] else -> skip ] }
}
";
    let out = run(design, "cycle\n");
    let mut lines: Vec<&str> = out.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "[                  10] <>  WARNING: Boolean variable `y' is X",
            "[                  10] <r>  WARNING: Boolean variable `a' is X",
            "[                  10] <s>  WARNING: Boolean variable `b' is X",
        ]
    );
}

#[test]
fn an_x_field_of_a_record_joined_to_a_bool_is_named_by_the_bool() {
    // `h = r.hi` makes `h` the net's name (fewer steps than `r.hi`); `r.lo` has no other.
    let design = "
deftype duo (bool lo; bool hi);
defproc test() {
  duo r;
  bool h;
  h = r.hi;
  chp { [ r.hi -> skip [] else -> skip ]; [ r.lo -> skip [] else -> skip ] }
}
";
    assert_eq!(
        run(design, "cycle\n"),
        "[                  10] <>  WARNING: Boolean variable `h' is X\n\
         [                  20] <>  WARNING: Boolean variable `r.lo' is X\n"
    );
}

#[test]
fn a_field_of_a_record_port_ranks_as_the_port() {
    // `t = r.b` inside `gate`: `r` is a port, so its field names the net, as a port would.
    let design = "
deftype rec(bool b; bool c) { }
defproc gate(rec r; bool y) {
  bool t;
  t = r.b;
  prs { y => t- }
}
defproc test() {
  rec s;
  bool y;
  gate g(s, y);
}
";
    assert_eq!(run(design, "status X\n"), "g { r.b }\n");
}
