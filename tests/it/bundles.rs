//! Interface bundles (`deftype rw (chan?!(int) req; chan!?(int) resp) { }`) connected whole:
//! `d.p = e.p;`, `d.p = q;` (a bundle port or a bundle of the body) and a bundle in a port
//! list connect each member channel to the same member on the other side.

use crate::common::run_design::{compile_errors, run_text};

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
