//! A command line is read as actsim's command reader (ACT's `lispCli` and its small Lisp)
//! reads it: numbers written back as C prints them, words it cannot read refused with the
//! whole line, some words read as two; an unknown command gets its message; a file `source`
//! could not open stays on its stack of files being read.
use std::process::Output;

use crate::common::cli::{actsim_script, stderr_without_substitutions, stdout};

/// A producer sending 1, 2, 3 to a consumer that keeps the last in `x` (64 bits).
const PAIR: &str = "
defproc prod(chan!(int<8>) R) { chp { R!1; R!2; R!3 } }
defproc cons(chan?(int<8>) L) { int<64> x; chp { *[ L?x ] } }
defproc test() { chan(int<8>) C; prod p(C); cons c(C); }
";

fn run(script: &str) -> Output {
    actsim_script(PAIR, &["d.act", "test"], script)
}

#[test]
fn a_number_reaches_the_command_as_c_writes_it_back() {
    let o = run("echo 007 +5 -5 1.5 .25 0x10 0b101 #t x-1 -\necho -n a\necho b\n");
    assert_eq!(stdout(&o), "7 5 -5 1.500000 0.250000 16 5 #t x-1 -\nab\n");
    assert_eq!(stderr_without_substitutions(&o), "");
}

#[test]
fn an_integer_keeps_its_low_32_bits_and_a_quoted_one_is_read_whole() {
    // actsim writes the reader's `long` back with C's `%d`: 4294967301 is 5, and 2^31 is
    // negative, which `set` reads as 0. Quoted, the word reaches `set` as typed.
    let o = run("set c.x 4294967301\nget c.x\nset c.x 2147483648\nget c.x\n\
         set c.x \"4294967301\"\nget c.x\nset c.x 0xffffffff\nget c.x\n");
    assert_eq!(
        stdout(&o),
        "c.x: 5  (0x5)\nc.x: 0  (0x0)\nc.x: 4294967301  (0x100000005)\nc.x: 0  (0x0)\n"
    );
}

#[test]
fn a_word_the_reader_cannot_read_stops_its_line() {
    let o =
        run("step 3x\nset c.x 0X7\nset c.x 1_000\nfilter [ab]\necho \"open\necho (a\necho after\n");
    assert_eq!(
        stderr_without_substitutions(&o),
        "Unparsable input character: 3\n\
         Unparsable input character: 0\n\
         Unparsable input character: 1\n\
         Unparsable input character: [\n\
         Unterminated string\n\
         Input malformed: missing )\n"
    );
    assert_eq!(stdout(&o), "after\n");
}

#[test]
fn a_word_can_be_read_as_two() {
    // `10ns` is `10` and `ns`; `0b102` is 2 and 2; `"a"b` is `a` and `b`.
    let o = run("advance 10ns\nset c.x 0b102\necho \"a\"b 1.2.3\n");
    assert_eq!(
        stderr_without_substitutions(&o),
        "Usage: advance <delay>\nUsage: set <name> <val>\n"
    );
    assert_eq!(stdout(&o), "a b 1.200000 0.300000\n");
}

#[test]
fn strings_names_and_parentheses_as_the_reader_takes_them() {
    // A string drops its backslashes; a backslash in a name puts the next character in place
    // of the one before it; a `)` ends the line's list; `'` quotes an atom; an empty list is
    // no argument.
    let o = run("echo \"q\\\"x\" a\\b\necho kept ) dropped\necho 'quoted\necho ()\n5 x\nget c.x\n");
    assert_eq!(stdout(&o), "q\"x b\nkept\nquoted\n5c.x: 0  (0x0)\n");
    assert_eq!(
        stderr_without_substitutions(&o),
        "echo: Type #list in builtin command argument.\n\
         eval: First argument of list is not a procedure.\n\t\n"
    );
}

#[test]
fn an_unknown_command_gets_actsims_message() {
    let o = run("frobnicate 1 2\ncycle\n");
    assert_eq!(
        stderr_without_substitutions(&o),
        "Unknown command name `frobnicate'\n"
    );
}

#[test]
fn a_file_source_could_not_open_stays_on_actsims_stack() {
    // actsim puts the file on its stack of files being read before it opens it, and leaves
    // it there when it cannot: a later `source` of it is refused as recursive, even once it
    // exists. A file that failed inside another one takes that one's place: when the outer
    // file ends, the innermost entry goes, and the outer one stays.
    let dir = tempfile::tempdir().unwrap();
    let late = dir.path().join("late.scr");
    let outer = dir.path().join("outer.scr");
    let (late, outer) = (late.to_str().unwrap(), outer.to_str().unwrap());
    std::fs::write(outer, "echo outer\nsource nowhere.scr\n").unwrap();
    // `logfile` makes the missing file (empty) in the middle of the session.
    let o = run(&format!(
        "source {late}\nlogfile {late}\nsource {late}\nsource {outer}\nsource {outer}\n\
         source nowhere.scr\n"
    ));
    assert_eq!(stdout(&o), "outer\n");
    assert_eq!(
        stderr_without_substitutions(&o),
        format!(
            "Error: could not open file `{late}' for reading\n\
             Error: recursive source command for file `{late}'\n\
             Error: could not open file `nowhere.scr' for reading\n\
             Error: recursive source command for file `{outer}'\n\
             Error: could not open file `nowhere.scr' for reading\n"
        )
    );
}
