//! Interface bundles (`deftype rw (chan?!(int) req; chan!?(int) resp) { }`) connected whole:
//! `d.p = e.p;`, `d.p = q;` (a bundle port or a bundle of the body) and a bundle in a port
//! list connect each member channel to the same member on the other side. Arrays of bundles
//! (`rw p[3]`, `p[i].req`) and templated bundles (`wide<12> p`) too; records mixing channels
//! and data, whose macros use both.

use crate::common::run_design::{compile_errors, run_text, run_with, Options};
use chpsim::kernel::Limits;

fn owned(items: &[(u64, &str)]) -> Vec<(u64, String)> {
    items.iter().map(|(t, s)| (*t, s.to_string())).collect()
}

/// A server doubling each request on its bundle port, and a client sending 3 then 5 on two
/// channel ports. `duplex` leaves its members' directions to the CHP of each side.
const PARTS: &str = r#"
deftype rw (chan?!(int<8>) req; chan!?(int<8>) resp) { }
deftype duplex (chan(int<8>) req; chan(int<8>) resp) { }
defproc server (rw p) { int<8> x; chp { *[ p.req?x; p.resp!(x * 2) ] } }
defproc client (chan!(int<8>) req; chan?(int<8>) resp) {
  int<8> y; chp { req!3; resp?y; log("got ", y); req!5; resp?y; log("got ", y) }
}
defproc answerer (duplex p) { int<8> x; chp { *[ p.req?x; p.resp!(x * 2) ] } }
defproc asker (duplex p) {
  int<8> y; chp { p.req!3; p.resp?y; log("got ", y); p.req!5; p.resp?y; log("got ", y) }
}
"#;

fn run_parts(top: &str) -> Vec<(u64, String)> {
    run_text(&format!("{PARTS}{top}")).logs()
}

/// What every wiring below computes: two round trips through a server.
fn served() -> Vec<(u64, String)> {
    owned(&[(30, "got 6"), (60, "got 10")])
}

#[test]
fn the_member_wise_wiring_the_others_are_compared_with() {
    let top = "defproc test() { server s; client c; c.req = s.p.req; c.resp = s.p.resp; }";
    assert_eq!(run_parts(top), served());
}

#[test]
fn two_instances_bundle_ports_connect_whole() {
    let top = "defproc test() { answerer a; asker k; k.p = a.p; }";
    assert_eq!(run_parts(top), served());
    // Elements of instance arrays, on either side.
    let top = "defproc test() { answerer a[2]; asker k[3]; k[2].p = a[1].p; a[0].p = k[0].p; }";
    let mut logs = run_parts(top);
    logs.sort();
    assert_eq!(
        logs,
        owned(&[(30, "got 6"), (30, "got 6"), (60, "got 10"), (60, "got 10")])
    );
}

#[test]
fn a_bundle_declared_in_the_body_connects_whole() {
    let top =
        "defproc test() { rw b; server s; client c; s.p = b; c.req = b.req; c.resp = b.resp; }";
    assert_eq!(run_parts(top), served());
    // Whole on both sides of the body's bundle.
    let top = "defproc test() { duplex b; answerer a; asker k; a.p = b; b = k.p; }";
    assert_eq!(run_parts(top), served());
}

#[test]
fn a_bundle_port_of_the_enclosing_process_connects_whole_to_a_childs() {
    // `wrap` passes its own bundle port through to the server inside it.
    let top = "defproc wrap (rw p) { server s; s.p = p; }
               defproc test() { wrap w; client c; c.req = w.p.req; c.resp = w.p.resp; }";
    assert_eq!(run_parts(top), served());
}

#[test]
fn a_bundle_goes_in_a_port_list_by_position_or_by_name() {
    let top = "defproc test() { rw b; server s(b); client c(b.req, .resp = b.resp); }";
    assert_eq!(run_parts(top), served());
    let top = "defproc test() { rw b; server s(.p = b); client c(b.req, b.resp); }";
    assert_eq!(run_parts(top), served());
    // A sub-instance's bundle port as the value.
    let top = "defproc test() { answerer a; asker k(a.p); }";
    assert_eq!(run_parts(top), served());
    // A bundle counts once among positional ports.
    let top = "defproc pair (rw a; rw b) { server s(a), t(b); }
               defproc test() { rw x, y; pair p(x, y); client c(y.req, y.resp); }";
    assert_eq!(run_parts(top), served());
}

#[test]
fn a_whole_bundle_connection_checks_each_member_as_a_member_wise_one() {
    // Two servers: both ends of `req` receive.
    let errors = compile_errors(&format!(
        "{PARTS}defproc test() {{ server s, t; s.p = t.p; }}"
    ));
    assert!(
        errors.contains("both ends of this connection receive"),
        "{errors}"
    );
    assert!(errors.contains("in member `req`"), "{errors}");
}

/// A server for each element of an array of bundles, answering with its index added.
const ARRAY_SERVER: &str = r#"
defproc servers (rw p[3]) {
  int<8> x;
  chp { *[ [| #p[0].req -> p[0].req?x; p[0].resp!x
           [] #p[1].req -> p[1].req?x; p[1].resp!(x + 1)
           [] #p[2].req -> p[2].req?x; p[2].resp!(x + 2) |] ] }
}
"#;

/// What three clients of [`ARRAY_SERVER`] log, sorted: element `i` adds `i`, and the one
/// server answers its clients in turn.
const ARRAY_SERVER_LOGS: &[(u64, &str)] = &[
    (40, "got 3"),
    (80, "got 5"),
    (120, "got 4"),
    (160, "got 6"),
    (200, "got 5"),
    (240, "got 7"),
];

#[test]
fn an_array_of_bundles_port_is_used_element_by_element() {
    // `p[i].req` in CHP, `s.p[i].req` in connections (`c[i]` asks server element `i`).
    let top = format!(
        "{ARRAY_SERVER}defproc test() {{ servers s; client c[3];
           (i : 3 : c[i].req = s.p[i].req; c[i].resp = s.p[i].resp;) }}"
    );
    let mut logs = run_parts(&top);
    logs.sort();
    assert_eq!(logs, owned(ARRAY_SERVER_LOGS));
}

#[test]
fn an_array_of_bundles_connects_whole_or_element_by_element() {
    // Whole arrays: through a pass-through port (`s.p = p`) and to a bundle array declared in
    // the body (`b = w.p`), whose elements' members the clients then use.
    let top = format!(
        "{ARRAY_SERVER}defproc wrap (rw p[3]) {{ servers s; s.p = p; }}
         defproc test() {{ wrap w; rw b[3]; b = w.p; client c[3];
           (i : 3 : c[i].req = b[i].req; c[i].resp = b[i].resp;) }}"
    );
    let mut logs = run_parts(&top);
    logs.sort();
    assert_eq!(logs, owned(ARRAY_SERVER_LOGS));
}

#[test]
fn a_process_talks_to_an_element_of_its_childs_bundle_array_in_chp() {
    let top = format!(
        "{ARRAY_SERVER}defproc test() {{ servers s; int<8> y; int<2> i;
           chp {{ i := 0; *[ i < 3 -> s.p[i].req!10; s.p[i].resp?y; log(\"got \", y); i := i + 1 ] }} }}"
    );
    let expected = owned(&[(50, "got 10"), (100, "got 11"), (150, "got 12")]);
    assert_eq!(run_parts(&top), expected);
}

#[test]
fn a_runtime_index_picks_an_element_of_an_own_bundle_array_and_elements_are_named_p_i_req() {
    // The server serves its elements in turn, `i` a variable; the transcript names the
    // channels as ACT does (`s.p[1].req`, not `s.p.req[1]`).
    let top = "defproc turns (rw p[2]) { int<8> x; int<1> i;
                 chp { i := 0; *[ p[i].req?x; p[i].resp!(x + i); i := i + 1 ] } }
               defproc test() { turns s; client c[2]; rw b[2]; s.p = b;
                 (i : 2 : c[i].req = b[i].req; c[i].resp = b[i].resp;) }";
    let run = run_text(&format!("{PARTS}{top}"));
    assert!(
        run.transcript.contains("c[1].req -> s.p[1].req  3"),
        "{}",
        run.transcript
    );
    let mut logs = run.logs();
    logs.sort();
    assert_eq!(
        logs,
        // `i := 0` first (10), then 30 per round trip and 10 for `i := i + 1`.
        owned(&[(40, "got 3"), (80, "got 4"), (120, "got 5"), (160, "got 6")])
    );
}

#[test]
fn an_element_of_a_bundle_array_connects_whole_and_an_array_goes_in_a_port_list() {
    let top = "defproc test() { rw b[3]; server t; t.p = b[1]; client c(b[1].req, b[1].resp); }";
    assert_eq!(run_parts(top), served());
    let top = format!(
        "{ARRAY_SERVER}defproc test() {{ rw b[3]; servers s(.p = b); client c(b[2].req, b[2].resp); }}"
    );
    assert_eq!(run_parts(&top), owned(&[(40, "got 5"), (80, "got 7")]));
}

#[test]
fn a_templated_bundles_members_see_its_template_arguments() {
    // `wide<12>`'s members carry int<12>: 2000 + 1 needs more than 8 bits. Two bundles
    // connect whole only with the same arguments.
    let design = |b: u32| {
        format!(
            r#"
template<pint W> deftype wide (chan?!(int<W>) req; chan!?(int<W>) resp) {{ }}
defproc inc (wide<12> p) {{ int<12> x; chp {{ *[ p.req?x; p.resp!(x + 1) ] }} }}
defproc test() {{ wide<{b}> b; inc s; int<12> y; s.p = b; chp {{ b.req!2000; b.resp?y; log("got ", y) }} }}
"#
        )
    };
    assert_eq!(run_text(&design(12)).logs(), owned(&[(30, "got 2001")]));
    // An array of them in a body.
    let array = r#"
template<pint W> deftype wide (chan?!(int<W>) req; chan!?(int<W>) resp) { }
defproc inc (wide<12> p) { int<12> x; chp { *[ p.req?x; p.resp!(x + 1) ] } }
defproc test() { pint K = 2; wide<12> b[K]; inc s; int<12> y; s.p = b[1];
                 chp { b[1].req!2000; b[1].resp?y; log("got ", y) } }
"#;
    assert_eq!(run_text(array).logs(), owned(&[(30, "got 2001")]));
    let errors = compile_errors(&design(8));
    assert!(
        errors.contains(
            "cannot connect an interface bundle of type `wide<12>` to an interface bundle of type `wide<8>`"
        ),
        "{errors}"
    );
}

#[test]
fn a_guard_probes_and_peeks_an_element_of_a_bundle_array_at_a_variable_index() {
    // `#p[i].req & p[i].req > 2`: the probe and the value offered, at element `i`.
    let top = "defproc turns (rw p[2]) { int<8> x; int<1> i;
                 chp { i := 1; *[ [ #p[i].req & p[i].req > 2 -> p[i].req?x; p[i].resp!(x + i)
                                 [] else -> i := 1 - i ] ] } }
               defproc one (chan!(int<8>) req; chan?(int<8>) resp) {
                 int<8> y; chp { req!3; resp?y; log(\"got \", y) } }
               defproc test() { turns s; one c[2];
                 (i : 2 : c[i].req = s.p[i].req; c[i].resp = s.p[i].resp;) }";
    // The server polls forever: stop at 300.
    let options = Options {
        limits: Limits {
            until: Some(300),
            max_events: None,
        },
        ..Options::default()
    };
    let run = run_with(&format!("{PARTS}{top}"), options);
    assert_eq!(run.logs(), owned(&[(50, "got 4"), (120, "got 3")]));
}

/// A record mixing channels and data (no `defchan`, no interface): its channels connect as a
/// bundle's members, its data fields are read and written as a record's, and its macros name
/// both, in a body and as a port.
#[test]
fn a_record_mixing_channels_and_data_has_both_and_its_macros_use_both() {
    let design = r#"
deftype cell (int<8> a; bool seen; chan?(int<8>) L; chan!(int<8>) R) {
  methods {
    macro take () { L?a; seen+ }
    macro give () { R!(a + 1) }
  }
}
defproc relay (chan?(int<8>) l; chan!(int<8>) r) {
  cell s;
  s.L = l;
  s.R = r;
  chp { s.seen-; *[ s.take(); s.give() ] }
}
defproc reader (cell c) {
  chp { *[ c.take(); log("read ", c.a, " ", c.seen); c.L?c.a; log("then ", c.a) ] }
}
defproc src (chan!(int<8>) o) { chp { o!4; o!9; o!20 } }
defproc test() { src s; relay r; reader d; s.o = r.l; r.r = d.c.L; }
"#;
    assert_eq!(
        run_text(design).logs(),
        owned(&[(60, "read 5 1"), (90, "then 10"), (140, "read 21 1")])
    );
}

/// A whole connection of two such records connects their channels; each keeps its data.
#[test]
fn a_whole_connection_of_records_mixing_channels_and_data_connects_the_channels() {
    let design = r#"
deftype cell (int<8> a; chan(int<8>) C) { }
defproc test() {
  cell s, t;
  s = t;
  chp { s.a := 3; t.a := 5; ( s.C!s.a, t.C?t.a ); log("s ", s.a, " t ", t.a) }
}
"#;
    assert_eq!(run_text(design).log_texts(), ["s 3 t 3"]);
}

/// A record of channels only is an interface bundle: its macros name its channels, called on
/// a bundle of the body and on a bundle port.
#[test]
fn macros_of_a_bundle_of_channels_only_name_its_channels() {
    let design = r#"
deftype pair (chan(int<8>) a; chan(int<8>) b) {
  methods { macro fwd (int<8> v) { a?v; b!(v + 1) } }
}
defproc relay (pair p) { int<8> x; chp { *[ p.fwd(x) ] } }
defproc test() {
  pair s, t;
  relay r(t);
  int<8> x, y;
  chp { (s.a!3, s.fwd(x), (s.b?y; log("own ", y))); t.a!y; t.b?y; log("port ", y) }
}
"#;
    assert_eq!(
        run_text(design).logs(),
        owned(&[(20, "own 4"), (40, "port 5")])
    );
    let text = compile_errors(&design.replace("p.fwd(x)", "p.back(x)"));
    assert!(
        text.contains("record type `pair` has no macro `back`"),
        "{text}"
    );
}
