//! X under actsim's rules beyond plain CHP variables (tests/it/unknown_values.rs has those):
//! what `filter` leaves unevaluated, the wires a channel's methods read, records read or
//! written at an index chosen at run time, and X carried by the other ways a value travels.
use crate::common::cli::{actsim_script, stdout};

#[test]
fn a_log_hidden_by_filter_is_not_evaluated_so_its_x_is_not_warned_of() {
    // actsim asks the filter before it evaluates a `log`'s (or `warn`'s) arguments: a hidden
    // one reads nothing, so neither warns of an X nor fails on a division by zero. The
    // guard that reads `b` still warns (the filter hides log lines only). (`z := 0` at the
    // end names `z`, which actsim needs to give it state.)
    let design = "
defproc test() { bool b; int<4> z;
  chp { log(\"b=\", b); warn(\"w\", b); log(\"q=\", 4 / z); [b -> skip [] else -> skip]; log(\"end\"); z := 0 } }
";
    let o = actsim_script(
        design,
        &["d.act", "test"],
        "filter nothing\ncycle\necho done\n",
    );
    assert_eq!(
        stdout(&o),
        "[                  10] <>  WARNING: Boolean variable `b' is X\ndone\n"
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(!crate::common::cli::stderr(&o).contains("WARNING: w"));
}

/// `r.ok` is never written; `r.v` is.
const RECORD: &str = "deftype pkt (bool v; int<4> n; bool ok);";

#[test]
fn a_record_array_element_read_whole_at_a_run_time_index_reads_its_x_fields_as_1() {
    // actsim reads an element of an array indexed at run time (its `fillValue`) taking each
    // bool field that is not 0 as 1, without a warning: `a[i].ok`, X, arrives as 1, in an
    // assignment and in a send alike; `a[0]` of that array is read so too (ACT makes the
    // array one dynamic variable).
    let design = format!(
        "{RECORD}
         defproc dst(chan?(pkt) C) {{ pkt s;
           chp {{ C?s; [ s.ok -> log(\"got ok \", s.n) [] else -> log(\"got not ok\") ] }} }}
         defproc test() {{ pkt a[2]; pkt s, t; int<2> i; chan(pkt) c; dst d(c);
           chp {{ a[0].v+; a[0].n := 3; i := 0; s := a[i]; t := a[0];
                  [ s.ok & t.ok -> log(\"ok \", s.n) [] else -> log(\"not ok\") ];
                  c!a[i] }} }}"
    );
    let run = crate::common::run_design::run_text(&design);
    assert_eq!(run.log_texts(), ["ok 3", "got ok 3"], "{:?}", run.error());
}

#[test]
fn a_record_received_into_an_array_element_chosen_at_run_time_keeps_its_x_fields() {
    // actsim stores a record field by field into the element the index chooses, an X as it
    // is: `a[1].ok` is X after `C?a[i]`, and `get` shows it so.
    let design = format!(
        "{RECORD}
         defproc src(chan!(pkt) C) {{ pkt r; chp {{ r.v+; C!r }} }}
         defproc test() {{ pkt a[2]; int<2> i; chan(pkt) c; src p(c);
           chp {{ a[1].ok+; i := 1; c?a[i] }} }}"
    );
    let o = actsim_script(
        &design,
        &["d.act", "test"],
        "cycle\nget a[1].ok\nget a[1].v\n",
    );
    assert_eq!(
        stdout(&o),
        "[                  20] <p>  WARNING: Boolean variable `r.ok' is X\n\
         a[1].ok: X\n\
         a[1].v: 1\n"
    );
}

#[test]
fn an_exchange_s_reply_record_takes_its_x_fields_back_to_the_sender() {
    // The reply of `C?x!r` is a record read whole, as a send's value: its X field goes back.
    let design = format!(
        "{RECORD}
         defproc server(chan?(int<2>, pkt) C) {{ pkt r; int<2> x; chp {{ r.v+; C?x!r }} }}
         defproc client(chan!(int<2>, pkt) C) {{ pkt s;
           chp {{ s.ok+; C!1?s; [ s.ok -> log(\"ok\") [] else -> log(\"not ok\") ] }} }}
         defproc test() {{ chan(int<2>, pkt) c; server v(c); client k(c); }}"
    );
    let run = crate::common::run_design::run_text(&design);
    assert_eq!(
        run.log_texts(),
        [
            "WARNING: Boolean variable `r.ok' is X",
            "WARNING: Boolean variable `s.ok' is X",
            "not ok"
        ],
        "{:?}",
        run.error()
    );
}

#[test]
fn a_record_s_x_field_copied_onto_a_node_drives_the_node_x() {
    // `p.b` is a node the inverter `g` reads, `p.a` one `h` reads: the process copies `r`
    // whole onto its port `p` at 20, and `r.b` is X, so node `g.x` goes X (actsim stores the
    // field's X into the node): `g`'s pull-down, holding `g.y` at the 1 set, is X, a
    // weak interference, and `g.y` goes X one tick later; `h.x` is 1, so `h.y` falls 10
    // later.
    let design = "deftype two (bool a; bool b);
defproc drv(two p) { two r; chp { r.a+; p := r } }
defproc inv(bool? x; bool! y) { prs { x => y- } }
defproc test() { drv d; inv g; inv h; d.p.b = g.x; d.p.a = h.x; }
";
    let o = actsim_script(
        design,
        &["d.act", "test"],
        "set g.y 1\nwatch g.y h.y\ncycle\n",
    );
    assert_eq!(
        stdout(&o),
        "[                  20] <d>  WARNING: Boolean variable `r.b' is X\n\
         [                  20] <g>  WARNING: weak-interference on `y'   [by d]\n\
         [                  21] <g>  g.y := X   [by d]\n\
         [                  30] <h>  h.y := 0\n"
    );
}

#[test]
fn a_channel_method_reads_an_x_wire_as_actsims_uncut_2_so_a_guard_and_its_negation_hold() {
    // Nothing drives the acknowledge `a` (the circuit only reads it): actsim's method runner reads it as 2 in a one-bit
    // value, after its own line under the channel's name; `[a]` (send_up) holds, and so does
    // `[~a]` (send_rest: the complement is cut to one bit, 1). The send completes at once.
    let design = format!(
        "{}
defproc src(ack2! L) {{ chp {{ L!1; log(\"sent\") }} }}
defproc sink(ack2? L) {{ bool x; prs {{ L.a => x- }} }}
defproc test() {{ src s; sink k; s.L = k.L; }}
",
        crate::chan_methods::DUAL_RAIL
    );
    let o = actsim_script(&design, &["d.act", "test"], "cycle\n");
    assert_eq!(
        stdout(&o),
        "[                  10] <L>  CHP model: Boolean variable `a' is X\n\
         [                  10] <L>  CHP model: Boolean variable `a' is X\n\
         [                  10] <s>  sent\n"
    );
}

#[test]
fn logfile_takes_the_log_lines_but_not_the_chp_model_s_own() {
    // actsim prints its CHP model's lines on stdout itself; its log file takes what its log
    // stream writes (the process's `sent`).
    let design = format!(
        "{}
defproc src(ack2! L) {{ chp {{ L!1; log(\"sent\") }} }}
defproc sink(ack2? L) {{ bool x; prs {{ L.a => x- }} }}
defproc test() {{ src s; sink k; s.L = k.L; }}
",
        crate::chan_methods::DUAL_RAIL
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("d.act"), design).unwrap();
    let o =
        crate::common::cli::actsim_in(dir.path(), &["d.act", "test"], "logfile run.log\ncycle\n");
    assert_eq!(
        stdout(&o),
        "[                  10] <L>  CHP model: Boolean variable `a' is X\n\
         [                  10] <L>  CHP model: Boolean variable `a' is X\n"
    );
    let logged = std::fs::read_to_string(dir.path().join("run.log")).unwrap();
    assert_eq!(logged, "[                  10] <s>  sent\n");
}

#[test]
fn a_receive_s_methods_take_the_first_guard_that_holds_on_x_rails() {
    // Both rails X (the circuit only reads one): `get` tries `d.r[0]` first, which holds (2), so the value is 0 and the
    // second rail is not read; `recv_rest`'s `[(&i: ~d.r[i])]` reads both, each
    // complement 1.
    let design = format!(
        "{}
defproc dst(ack2? L) {{ int<1> v; chp {{ L?v; log(\"got \", v) }} }}
defproc drv(ack2! L) {{ bool y; prs {{ L.hi => y- }} }}
defproc test() {{ dst d; drv r; d.L = r.L; }}
",
        crate::chan_methods::DUAL_RAIL
    );
    let o = actsim_script(&design, &["d.act", "test"], "cycle\n");
    assert_eq!(
        stdout(&o),
        "[                  10] <L>  CHP model: Boolean variable `d.r[0]' is X\n\
         [                  10] <L>  CHP model: Boolean variable `d.r[0]' is X\n\
         [                  10] <L>  CHP model: Boolean variable `d.r[1]' is X\n\
         [                  10] <d>  got 0\n"
    );
}

#[test]
fn a_probe_of_a_channel_on_wires_runs_the_type_s_probe_as_a_method_reads_x() {
    // `#L` is the type's `recv_probe`, `(|i: d.r[i])`, which actsim evaluates through its
    // method runner: both X rails read as 2 (both read: `|` evaluates both sides), so the
    // probe holds.
    let design = format!(
        "{}
defproc dst(ack2? L) {{ chp {{ [ #L -> log(\"probe holds\") [] else -> log(\"no probe\") ] }} }}
defproc drv(ack2! L) {{ bool y; prs {{ L.hi => y- }} }}
defproc test() {{ dst d; drv r; d.L = r.L; }}
",
        crate::chan_methods::DUAL_RAIL
    );
    let o = actsim_script(&design, &["d.act", "test"], "cycle\n");
    assert_eq!(
        stdout(&o),
        "[                  10] <L>  CHP model: Boolean variable `d.r[0]' is X\n\
         [                  10] <L>  CHP model: Boolean variable `d.r[1]' is X\n\
         [                  10] <d>  probe holds\n"
    );
}

#[test]
fn a_record_s_x_fields_offered_by_a_send_left_by_skip_comm_reach_no_one() {
    // `skip-comm` takes the sender out of its send of `r` (X field `ok`): the record never
    // arrives, nor do its X fields; the next record, all defined, arrives as it is.
    let design = format!(
        "{RECORD}
         defproc src(chan!(pkt) C) {{ pkt r; chp {{ r.v+; r.n := 1; C!r; r.ok+; C!r }} }}
         defproc dst(chan?(pkt) C) {{ pkt s; int<4> k;
           chp {{ s.ok-; s.v-; k := 1; k := 2; k := 3; C?s;
                  [ s.ok -> log(\"ok\") [] else -> log(\"not ok\") ] }} }}
         defproc test() {{ chan(pkt) c; src p(c); dst q(c); }}"
    );
    let o = actsim_script(
        &design,
        &["d.act", "test"],
        "advance 35\nskip-comm p.C\ncycle\n",
    );
    assert_eq!(
        stdout(&o),
        "[                  30] <p>  WARNING: Boolean variable `r.ok' is X\n\
         [                  70] <q>  ok\n"
    );
}

#[test]
fn the_x_fields_of_an_exchange_s_reply_left_by_skip_comm_reach_no_one() {
    // The server offers `r` (X field `ok`) as the reply of `C?x!r`, and `skip-comm` takes it
    // out of that receive: its next reply, all defined, reaches the client as it is.
    let design = format!(
        "{RECORD}
         defproc server(chan?(int<2>, pkt) C) {{ pkt r; int<2> x;
           chp {{ r.v+; C?x!r; r.ok+; r.n := 2; C?x!r }} }}
         defproc client(chan!(int<2>, pkt) C) {{ pkt s; int<4> k;
           chp {{ s.ok-; k := 1; k := 2; k := 3; k := 4; C!1?s;
                  [ s.ok -> log(\"ok \", s.n) [] else -> log(\"not ok\") ] }} }}
         defproc test() {{ chan(int<2>, pkt) c; server v(c); client w(c); }}"
    );
    let o = actsim_script(
        &design,
        &["d.act", "test"],
        "advance 35\nskip-comm v.C\ncycle\n",
    );
    assert_eq!(
        stdout(&o),
        "[                  20] <v>  WARNING: Boolean variable `r.ok' is X\n\
         [                  75] <w>  ok 2\n"
    );
}
