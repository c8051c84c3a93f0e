//! `chp-txt { }`: ACT's textual CHP runs as the same statements written in CHP.
use crate::common::run_design::{compile_errors, run_text, run_with, Options};
use chpsim::kernel::Limits;

/// Runs `block` in `test`, with a receiver `sink` on channel `c`, until time 2000.
fn logs_of(block: &str) -> Vec<(u64, String)> {
    let options = Options {
        limits: Limits {
            until: Some(2000),
            max_events: None,
        },
        ..Options::default()
    };
    run_with(
        &format!(
            "defproc sink(chan?(int<8>) L) {{ int<8> v; chp {{ *[ L?v; log(\"got \", v) ] }} }}
defproc test() {{
  chan(int<8>) c;
  sink s(c);
  int<8> x, i;
  bool b;
  {block}
}}
"
        ),
        options,
    )
    .logs()
}

#[test]
fn chp_txt_loops_selections_and_actions_run_as_their_chp() {
    let txt = logs_of(
        "chp-txt {
    i := 0;
    while (i < 3) {
      select {
        case i = 0: x := 10; send(c, x);
        case i = 1: send(c, 11)
        else: c!12
      };
      i := i + 1
    };
    do { i := i - 1 } while (i > 0);
    if (i = 0) { log(\"zero\") };
    forever { wait-for (true); b+; arb_select { case b: skip }; send(c, i); i := i + 1; if (i = 2) { log(\"two\") } }
  }",
    );
    let chp = logs_of(
        "chp {
    i := 0;
    *[ i < 3 -> [ i = 0 -> x := 10; c!x [] i = 1 -> c!11 [] else -> c!12 ]; i := i + 1 ];
    *[ i := i - 1 <- i > 0 ];
    [ i = 0 -> log(\"zero\") [] else -> skip ];
    *[ [true]; b+; [| b -> skip |]; c!i; i := i + 1; [ i = 2 -> log(\"two\") [] else -> skip ] ]
  }",
    );
    assert_eq!(txt, chp);
    assert!(txt.len() > 6, "{txt:?}");
    assert!(txt.iter().any(|(_, l)| l == "zero"), "{txt:?}");
}

#[test]
fn chp_txt_receives_with_a_conversion_and_runs_parallel_parts() {
    let logs = run_text(
        "defproc src(chan!(int<8>) R) { chp-txt { send(R, 1); send(R, 0) } }
defproc test() {
  chan(int<8>) c;
  src s(c);
  bool b;
  int<8> x;
  chp-txt { recv(c, int(b)); log(\"b=\", b), x := 3; recv(c, x); log(\"x=\", x) }
}
",
    )
    .log_texts();
    assert_eq!(logs, ["b=1", "x=0"]);
}

#[test]
fn chp_txt_keeps_acts_rules_on_each_block() {
    let body = |b: &str| format!("defproc test() {{ int<8> x; chp-txt {{ {b} }} }}\n");
    let select = compile_errors(&body("select { x := 1 }"));
    assert!(
        select.contains("`select` holds `case g: S` arms"),
        "{select}"
    );
    let loop_else = compile_errors(&body("while { case x < 3: x := x + 1; else: skip }"));
    assert!(loop_else.contains("without `else`"), "{loop_else}");
    let do_without = compile_errors(&body("do { x := 1 }"));
    assert!(do_without.contains("while (g)"), "{do_without}");
    let stray = compile_errors(&body("case x = 1: skip"));
    assert!(stray.contains("a `case` outside a `select`"), "{stray}");
}
