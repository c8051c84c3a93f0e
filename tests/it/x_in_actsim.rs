//! X under actsim's rules beyond plain CHP variables (tests/it/unknown_values.rs has those):
//! what `filter` leaves unevaluated, the wires a channel's methods read, records read or
//! written at an index chosen at run time, and X carried by the other ways a value travels.
use crate::common::cli::{actsim_script, stdout};

#[test]
fn a_log_hidden_by_filter_is_not_evaluated_so_its_x_is_not_warned_of() {
    // actsim asks the filter before it evaluates a `log`'s (or `warn`'s) arguments: a hidden
    // one reads nothing, so neither warns of an X nor fails on a division by zero. The
    // guard that reads `b` still warns (the filter hides log lines only).
    let design = "
defproc test() { bool b; int<4> z;
  chp { log(\"b=\", b); warn(\"w\", b); log(\"q=\", 4 / z); [b -> skip [] else -> skip]; log(\"end\") } }
";
    let o = actsim_script(design, &["d.act", "test"], "filter nothing\ncycle\necho done\n");
    assert_eq!(
        stdout(&o),
        "[                  10] <>  WARNING: Boolean variable `b' is X\ndone\n"
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(!crate::common::cli::stderr(&o).contains("WARNING: w"));
}
