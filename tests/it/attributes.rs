//! Attributes of instances (`bool x @ [iscomb=1];`, `x @ [sigtype=0];`): accepted where ACT
//! accepts them, checked as ACT checks them (one value per attribute, no extension of an array
//! after its elements got attributes), and otherwise without effect on the simulation.
use crate::common::cli::{chpsim, stderr};

fn elaborate(text: &str) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.act");
    std::fs::write(&path, text).unwrap();
    chpsim(&["elaborate", path.to_str().unwrap()])
}

fn accepted(text: &str) {
    let out = elaborate(text);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

fn rejected(text: &str, message: &str) {
    let out = elaborate(text);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains(message), "{}", stderr(&out));
}

#[test]
fn declarations_and_statements_carry_attributes() {
    accepted(
        "pint KIND = 2;
bool en, clk @ [sigtype = KIND];
en @ [sigtype = 1];
defproc leaf(bool a) { }
defproc top() {
  bool a @ [iscomb=0; pos_x=3], b[3] @ [size_x=2;];
  leaf l(a) @ [pos_y=1];
  leaf m[2];
  b[1] @ [iscomb=1];
  m[0] @ [pos_x=4];
  m[1](b[2]) @ [pos_x=5];
  a @ [iscomb=0];
}
top t;
",
    );
}

#[test]
fn the_same_value_twice_is_fine_and_connections_merge_agreeing_attributes() {
    accepted(
        "defproc top() {
  int x @ [iscomb=1];
  int y @ [iscomb=1; pos_x=2];
  x @ [iscomb=1];
  x = y;
  x @ [pos_x=2];
}
top t;
",
    );
}

#[test]
fn an_attribute_given_two_values_is_an_error() {
    rejected(
        "defproc top() { bool x @ [iscomb=0]; x @ [iscomb=1]; }\ntop t;\n",
        "attribute `iscomb` of `x` is 0 already, it cannot be 1",
    );
    rejected(
        "defproc top() { bool x @ [pos_x=1; pos_x=2]; }\ntop t;\n",
        "attribute `pos_x` of `x` is 1 already",
    );
}

#[test]
fn connecting_instances_with_different_attributes_is_an_error() {
    rejected(
        "defproc top() { int a @ [iscomb=0]; int b @ [iscomb=1]; a = b; }\ntop t;\n",
        "connecting `a` and `b` gives attribute `iscomb` two values, 0 and 1",
    );
    // After `a = b`, what is given to `b` is given to `a` too.
    rejected(
        "defproc top() { int a @ [iscomb=0]; int b; a = b; b @ [iscomb=1]; }\ntop t;\n",
        "is 0 already, it cannot be 1",
    );
}

#[test]
fn an_array_cannot_grow_after_its_elements_got_attributes() {
    rejected(
        "defproc top() { bool w[2]; w[1] @ [iscomb=1]; bool w[2..3]; }\ntop t;\n",
        "array `w` is extended after attributes were given to its elements",
    );
    // Attributes of the whole array do not stop it growing.
    accepted("defproc top() { bool w[2] @ [iscomb=1]; bool w[2..3]; }\ntop t;\n");
}

#[test]
fn attributes_belong_to_declared_instances_with_known_names() {
    rejected(
        "defproc top() { bool x @ [colour=1]; }\ntop t;\n",
        "unknown instance attribute `colour`",
    );
    rejected(
        "defproc top() { pint N = 2; N @ [iscomb=1]; }\ntop t;\n",
        "`N` is a parameter",
    );
    rejected(
        "defproc top() { bool x; y @ [iscomb=1]; }\ntop t;\n",
        "`y` is not declared",
    );
}

#[test]
fn connected_elements_without_attributes_let_an_array_grow() {
    accepted("bool x[0..3];\nbool y[1..4];\nx[0] = y[1];\nbool y[0..0];\n");
}
