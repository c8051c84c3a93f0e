//! The strict VCD checker the waveform tests rely on: it accepts a well-formed file and
//! rejects each kind of broken one.
use crate::common::vcd_check;
use crate::vcd::{changes, checked};
use vcd_check::check_vcd;

const GOOD: &str = "\
$timescale 1 ns $end
$scope module top $end
$var wire 8 ! R $end
$var wire 1 \" R_hs $end
$upscope $end
$enddefinitions $end
#0
$dumpvars
bxxxxxxxx !
0\"
$end
#10
b00000101 !
1\"
";

fn rejected(text: &str, what: &str) {
    match check_vcd(text) {
        Ok(_) => panic!("checker accepted {what}:\n{text}"),
        Err(e) => assert!(!e.is_empty()),
    }
}

#[test]
fn checker_accepts_the_reference_file() {
    let vcd = checked(GOOD);
    assert_eq!(
        vcd.changes("top.R"),
        changes(&[(0, "xxxxxxxx"), (10, "00000101")])
    );
}

#[test]
fn checker_rejects_an_undeclared_id() {
    rejected(&GOOD.replace("1\"\n", "1#\n"), "an undeclared scalar id");
    rejected(
        &GOOD.replace("b00000101 !", "b00000101 %"),
        "an undeclared vector id",
    );
}

#[test]
fn checker_rejects_time_going_back_or_repeating() {
    rejected(&format!("{GOOD}#5\n1\"\n"), "time going back");
    rejected(&format!("{GOOD}#10\n0\"\n"), "a repeated timestamp");
}

#[test]
fn checker_rejects_wrong_widths() {
    rejected(&GOOD.replace("b00000101 !", "b0101 !"), "a short vector");
    rejected(
        &GOOD.replace("b00000101 !", "b000000101 !"),
        "a long vector",
    );
    rejected(
        &GOOD.replace("b00000101 !", "1!"),
        "a scalar change of a vector",
    );
    rejected(
        &GOOD.replace("$var wire 8 ! R", "$var wire 0 ! R"),
        "a zero-width var",
    );
}

#[test]
fn checker_rejects_unbalanced_scopes() {
    rejected(
        &GOOD.replacen("$upscope $end\n", "", 1),
        "a missing $upscope",
    );
    rejected(
        &GOOD.replace("$upscope $end\n", "$upscope $end\n$upscope $end\n"),
        "an extra $upscope",
    );
}

#[test]
fn checker_rejects_a_missing_enddefinitions() {
    rejected(
        &GOOD.replace("$enddefinitions $end\n", ""),
        "no $enddefinitions",
    );
}

#[test]
fn checker_rejects_other_malformed_headers() {
    rejected(
        &GOOD.replace("$var wire 8 ! R $end", "$var wire 8 ! R"),
        "an unterminated $var",
    );
    rejected(
        &GOOD.replace("$var wire 8", "$var cable 8"),
        "a bad var type",
    );
    rejected(&GOOD.replace("\" R_hs", "! R_hs"), "a duplicate id code");
    rejected(&GOOD.replace("1 ns", "3 ns"), "a bad timescale");
    rejected(
        &GOOD.replace("$scope module top $end", "$scope module $end"),
        "a nameless scope",
    );
    rejected(
        &GOOD.replace("#0\n", ""),
        "value changes before any timestamp",
    );
    rejected(
        &GOOD.replace("$end\n#10", "#10"),
        "an unterminated $dumpvars",
    );
    rejected(GOOD.trim_end(), "a truncated last line");
    rejected(
        &GOOD.replace("b00000101", "b0000z1q1"),
        "a bad value character",
    );
}
