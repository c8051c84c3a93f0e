//! Exchange channels (`chan(T1, T2)`) whose type has methods, with a circuit at the other end:
//! `self` is the value from sender to receiver, `selfack` the value back. The sender's CHP
//! (`X!e?r`) gives `self` before its methods and takes `selfack` after them; the receiver's
//! (`X?x!e`) gives `selfack` before its methods and takes `self` after them.
use crate::common::run_design::run_text;

/// Our own four-phase exchange channel: request `r` with a data rail `d` from the sender,
/// acknowledge `a` with a reply rail `q` from the receiver.
const EXCHANGE: &str = "\
defchan xch <: chan(bool, bool) (bool?! r, d; bool!? a, q)
{
  methods {
    send_init { r-, d- }
    set { [self -> d+ [] ~self -> d-]; r+ }
    send_up { [a]; selfack := q }
    send_rest { r-; [~a] }
    recv_init { a-, q- }
    get { [r]; self := d }
    recv_up { [selfack -> q+ [] else -> q-]; a+ }
    recv_rest { [~r]; a- }
    recv_probe = r;
  }
}
";

#[test]
fn a_chp_sender_takes_back_the_value_its_send_up_sets_as_selfack() {
    // The circuit acknowledges the request and replies the data inverted: 1 gets back 0, 0
    // gets back 1.
    let design = format!(
        "{EXCHANGE}
defproc tb (xch! X) {{ bool w; chp {{ X!true?w; log(\"got \", w); X!false?w; log(\"got \", w) }} }}
defproc inverse (xch? x) {{ prs {{ x.r => x.a+  x.d => x.q- }} }}
defproc test () {{ tb t; inverse k; k.x = t.X; }}
"
    );
    let run = run_text(&design);
    assert_eq!(
        run.logs(),
        vec![(40, "got 0".to_string()), (70, "got 1".to_string())]
    );
}

#[test]
fn a_chp_receivers_reply_is_selfack_in_its_methods_and_drives_the_reply_rail() {
    // The source raises the request and a 1 while unacknowledged; the receiver replies
    // `i = 0`: 1 then 0 on `q`, which the source copies into `y`.
    let design = format!(
        "{EXCHANGE}
defproc src (xch! x) {{ bool y; prs {{ ~x.a => x.r+  ~x.a -> x.d+  x.q => y+ }} }}
defproc tb (xch? X) {{ bool v; int i; chp {{ i := 0; *[ i < 2 -> X?v!(i = 0); log(\"got \", v); i := i + 1 ] }} }}
defproc test () {{ src s; tb t; t.X = s.x; }}
"
    );
    let run = run_text(&design);
    assert_eq!(
        run.logs(),
        vec![(50, "got 1".to_string()), (90, "got 1".to_string())]
    );
    for change in [
        "40  s.x.q := 1",
        "50  s.y := 1",
        "80  s.x.q := 0",
        "90  s.y := 0",
    ] {
        assert!(
            run.transcript.contains(change),
            "{change}:\n{}",
            run.transcript
        );
    }
}
