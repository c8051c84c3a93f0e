//! Bad input: snapshots of the rendered diagnostics, and junk that never panics.

use super::*;

#[test]
fn error_unexpected_token() {
    insta::assert_snapshot!(errors("defproc p() {\n  int x;\n  chp { x := ; }\n}\n"));
}

#[test]
fn error_missing_semicolon() {
    insta::assert_snapshot!(errors("defproc p() {\n  int x\n  bool y;\n}\n"));
}

#[test]
fn error_unterminated_comment() {
    insta::assert_snapshot!(errors("defproc p() {}\n/* this comment\nnever ends\n"));
}

#[test]
fn error_unterminated_string() {
    insta::assert_snapshot!(errors("defproc p() {\n  chp { log(\"hello) }\n}\n"));
}

#[test]
fn error_bad_character() {
    insta::assert_snapshot!(errors("defproc p() {\n  int x;\n  chp { x := 1 $ 2 }\n}\n"));
}

#[test]
fn error_unsupported_constructs_all_reported() {
    let text = errors(
        "import \"std.act\";\nnamespace foo { defproc x() {} }\ndeftype t(bool a) {}\n\
         defproc p() {\n  hse { a+ }\n  spec { }\n  int x;\n  chp { x := 1 }\n}\n\
         template<pint N> defchan c(int a) {}\n",
    );
    insta::assert_snapshot!(text);
}

#[test]
fn error_other_unsupported_constructs() {
    insta::assert_snapshot!(errors(
        "export pint e = 1;\n\
         template<ptype(foo) R> defproc r() {}\n\
         defproc p(chan(int, bool) x) {}\n\
         defproc q() {\n  pint A[4];\n  int x = 3;\n  [ A > 0 -> int y; ]\n  chp { X?(a, b) }\n}\n"
    ));
}

#[test]
fn errors_are_capped() {
    let junk = "defproc a() { chp { x := ; } }\n".repeat(500);
    let diags = parse(&junk).expect_err("errors");
    assert_eq!(diags.len(), MAX_REPORTED_ERRORS + 1);
    assert_eq!(
        diags[MAX_REPORTED_ERRORS].message,
        "400 more errors not shown"
    );
}

#[test]
fn error_two_errors_reported_together() {
    let text = errors(
        "defproc a() {\n  int x;\n  chp { x := 1 +; x := 2 }\n}\n\
         defproc b() {\n  bool y;\n  chp { *[ y := ] }\n}\n",
    );
    assert_eq!(text.matches("Error:").count(), 2, "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn error_recovery_inside_chp_sequences() {
    let text = errors("defproc a() {\n  chp { x := ; y := 1; z ? ? ; w := }\n}\n");
    assert_eq!(text.matches("Error:").count(), 3, "{text}");
}

#[test]
fn error_unknown_function_and_bad_assert() {
    insta::assert_snapshot!(errors(
        "defproc a() {\n  chp { printf(\"x\"); assert(\"no condition\") }\n}\n"
    ));
}

#[test]
fn error_bad_delay_attribute() {
    insta::assert_snapshot!(errors("defproc a() {\n  chp { @[before=3] skip }\n}\n"));
}

#[test]
fn error_at_end_of_file() {
    insta::assert_snapshot!(errors("defproc a() {\n  chp { skip"));
}

#[test]
fn error_deep_nesting_is_an_error_not_a_crash() {
    let depth = 100_000;
    let source = format!(
        "defproc a() {{ chp {{ x := {}1{} }} }}",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let text = errors(&source);
    assert!(text.contains("nesting is too deep"), "{text}");
    assert_eq!(text.matches("Error:").count(), 1);

    for (open, close) in [("*[ ", " ]"), ("(", ")"), ("[ ", " ]"), ("[true -> ", "]")] {
        let source = format!(
            "defproc a() {{ chp {{ {}skip{} }} }}",
            open.repeat(depth),
            close.repeat(depth)
        );
        let text = errors(&source);
        assert!(text.contains("nesting is too deep"), "{open}: {text}");
    }

    let unary = format!("defproc a() {{ chp {{ x := {}1 }} }}", "~".repeat(depth));
    assert!(errors(&unary).contains("nesting is too deep"));

    let body_loops = format!(
        "defproc a() {{ {} }}",
        "(i : 2 : ".repeat(depth) + &")".repeat(depth)
    );
    assert!(errors(&body_loops).contains("nesting is too deep"));

    let chain = format!("defproc a() {{ chp {{ x := 1{} }} }}", "+1".repeat(depth));
    assert!(errors(&chain).contains("expression is too deep"));
    let index_chain = format!("defproc a() {{ chp {{ x := y{} }} }}", "[0]".repeat(depth));
    assert!(errors(&index_chain).contains("expression is too deep"));
    let field_chain = format!("defproc a() {{ a{} = b; }}", ".p".repeat(depth));
    assert!(errors(&field_chain).contains("expression is too deep"));

    let types = format!(
        "defproc a({}bool{} c) {{}}",
        "chan(".repeat(depth),
        ")".repeat(depth)
    );
    assert!(errors(&types).contains("nesting is too deep"));

    // Namespaces: each level's names hold every level's (time and memory grew as the square).
    let namespaces = "namespace a { ".repeat(depth) + &"}".repeat(depth);
    assert!(errors(&namespaces).contains("nesting is too deep"));
}

#[test]
fn nesting_just_under_the_limit_is_fine() {
    // Statement nesting below the limit must parse, on the default (small) test-thread stack.
    let depth = 100;
    let source = format!(
        "defproc a() {{ chp {{ {}skip{} }} }}",
        "*[ [true -> ".repeat(depth),
        "] ]".repeat(depth)
    );
    parse_ok(&source);
    let source = format!(
        "defproc a() {{ chp {{ x := {}1{} }} }}",
        "(".repeat(250),
        ")".repeat(250)
    );
    parse_ok(&source);
}

#[test]
fn junk_never_panics() {
    // A deterministic pseudo-random byte generator (xorshift), so failures are reproducible.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let fragments = [
        "defproc", "template", "<", ">", "(", ")", "[", "]", "{", "}", "*[", "[|", "|]", "[]",
        "->", "<-", ";", ",", ":", ":=", "!", "?", "#", "x", "chp", "int", "chan", "bool", "pint",
        "@", "..", ".", "=", "1", "\"s\"", "prs", "log", "else", " ",
    ];
    for round in 0..300 {
        let len = (next() % 200) as usize;
        let source: String = if round % 2 == 0 {
            let bytes: Vec<u8> = (0..len).map(|_| (next() & 0xff) as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            (0..len)
                .map(|_| fragments[(next() % fragments.len() as u64) as usize])
                .collect::<Vec<_>>()
                .join("")
        };
        if let Err(diags) = parse(&source) {
            let text = render(&diags, "junk.act", &source);
            assert!(text.contains("Error"));
        }
    }
}

#[test]
fn binary_junk_snapshot() {
    let junk = "\u{0}\u{1}\u{7f}defproc \u{fffd}\u{fffd}\n\t\u{3}";
    insta::assert_snapshot!(errors(junk));
}
