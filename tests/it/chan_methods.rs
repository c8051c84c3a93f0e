//! Channel types with wires and `methods { }` (as ACT's standard library `std::channel`
//! defines `a1of2`, `e1of2`, bundled data): their definitions inherit wires, connections and
//! methods from a parent type, with the parent's template arguments given in part; a CHP end
//! of such a channel whose other end is a circuit runs the methods on the wires.
use crate::common::run_design::run_text;

/// Our own dual-rail family, shaped as the standard library's: a generic 1-of-N data type, a
/// generic channel over it with a parameter left for the child, and a 1-of-2 channel naming
/// its rails.
const DUAL_RAIL: &str = "\
template<pint N>
deftype onehot <: enum<N> (bool?! r[N]) { }

template<pbool up; pint N>
defchan gen_ack1of <: chan(enum<N>) (onehot?!<N> d; bool!? a)
{
  methods {
    send_init { (,i:N: d.r[i]-) }
    set { [([]i:N: self = i -> d.r[i]+)] }
    send_up { [a] }
    send_rest { (,i:N: d.r[i]-); [~a] }
    recv_init { a- }
    get { [([]i:N: d.r[i] -> self := i)] }
    recv_up { a+ }
    recv_rest { [(&i:N: ~d.r[i])]; a- }
    recv_probe = (|i:N: d.r[i]);
  }
}

defchan ack1of <: gen_ack1of<true> () { }

defchan ack2 <: ack1of<2> (bool?! hi, lo)
{
  d.r[0] = lo;
  d.r[1] = hi;
}
";

#[test]
fn a_channel_type_inherits_wires_and_connects_them_as_its_body_says() {
    let design = format!(
        "{DUAL_RAIL}
defproc test () {{
  ack2 x;
  chp {{ x.d.r[0]+; log(\"lo=\", x.lo, \" hi=\", x.hi); x.hi+; log(\"r1=\", x.d.r[1]) }}
}}
"
    );
    let run = run_text(&design);
    let logs = run.log_texts();
    assert!(logs.contains(&"lo=1 hi=0".to_string()), "{logs:?}");
    assert!(logs.contains(&"r1=1".to_string()), "{logs:?}");
}

#[test]
fn direction_marks_may_come_before_template_arguments() {
    let design = format!(
        "{DUAL_RAIL}
defproc p (ack1of!<3> x; onehot?!<3> y) {{ chp {{ x.a+; y.r[2]+ }} }}
defproc test () {{ p q; }}
"
    );
    run_text(&design);
}
