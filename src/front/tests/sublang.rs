//! The sublanguages: `prs`, `hse`, `spec`, `sizing`, `dataflow`, `refine`, `Initialize`, each
//! parsed to the expected shape, and ACT's syntax errors on them.

use super::*;

/// A sublanguage block, compactly.
pub(super) fn block_str(block: &LangBlock) -> String {
    match block {
        LangBlock::Prs(p) => {
            let mut head = "prs".to_string();
            if let Some(s) = &p.supply {
                head += &format!("<{}>", expr_str(&s.vdd));
            }
            if p.leak_adjust {
                head += "*";
            }
            format!("{head} {{ {} }}", prs_items_str(&p.items))
        }
        LangBlock::Hse(h) => match &h.body {
            HseBody::Plain(block) => match &block.body {
                Some(s) => format!("hse {}", stmt_str(s)),
                None => "hse {}".to_string(),
            },
            HseBody::Fragments(fs) => {
                let fs: Vec<_> = fs
                    .iter()
                    .map(|f| {
                        let next = match &f.next {
                            FragmentNext::Label(l) => l.name.clone(),
                            FragmentNext::Choice(exits) => exits
                                .iter()
                                .map(|(g, l)| format!("{}->{}", expr_str(g), l.name))
                                .collect::<Vec<_>>()
                                .join(" [] "),
                        };
                        format!("{}: {} : {next}", f.label.name, stmt_str(&f.body))
                    })
                    .collect();
                format!("hse fragments {}", fs.join(" || "))
            }
        },
        LangBlock::Spec(s) => {
            let items: Vec<_> = s
                .items
                .iter()
                .map(|i| match &i.kind {
                    SpecItemKind::Directive { name, args } => match args {
                        Some(args) => format!(
                            "{}({})",
                            name.name,
                            args.iter().map(expr_str).collect::<Vec<_>>().join(", ")
                        ),
                        None => format!("{}(*)", name.name),
                    },
                    SpecItemKind::Timing(t) => {
                        let end = |e: &TimingEnd| {
                            format!(
                                "{}{}{}",
                                expr_str(&e.id),
                                if e.star { "*" } else { "" },
                                dir_str(e.dir)
                            )
                        };
                        let root = match &t.root {
                            Some((r, d)) => format!("{}{} : ", expr_str(r), dir_str(*d)),
                            None => String::new(),
                        };
                        format!(
                            "timing {root}{}{} {} {}",
                            if t.ticked { "?" } else { "" },
                            end(&t.from),
                            t.kind.symbol(),
                            end(&t.to)
                        )
                    }
                })
                .collect();
            format!("spec {{ {} }}", items.join("; "))
        }
        LangBlock::Sizing(s) => format!(
            "sizing {} setups, {} directives",
            s.setups.len(),
            s.directives.len()
        ),
        LangBlock::Dataflow(d) => {
            let items: Vec<_> = d.items.iter().map(dataflow_str).collect();
            format!(
                "dataflow order {} {{ {} }}",
                d.order.len(),
                items.join("; ")
            )
        }
        LangBlock::Refine(r) => {
            let items: Vec<_> = r.body.iter().map(item_str).collect();
            format!(
                "refine<{}> overrides {} {{ {} }}",
                r.steps.as_ref().map_or(1, |(n, _)| *n),
                r.overrides.len(),
                items.join("; ")
            )
        }
        LangBlock::Initialize(i) => format!("Initialize {} actions", i.actions.len()),
        LangBlock::Extern(e) => format!("extern {}", e.language.name),
    }
}

fn dir_str(dir: Option<bool>) -> &'static str {
    match dir {
        Some(true) => "+",
        Some(false) => "-",
        None => "",
    }
}

fn prs_items_str(items: &[PrsItem]) -> String {
    let items: Vec<_> = items
        .iter()
        .map(|item| {
            let attrs: Vec<_> = (item.attrs.iter())
                .map(|a| format!("{}={}", a.name.name, expr_str(&a.value)))
                .collect();
            let attrs = if attrs.is_empty() {
                String::new()
            } else {
                format!("[{}] ", attrs.join(";"))
            };
            let kind = match &item.kind {
                PrsItemKind::Rule {
                    guard,
                    arrow,
                    target,
                    up,
                } => {
                    let arrow = match arrow {
                        PrsArrow::Plain => "->",
                        PrsArrow::Combinational => "=>",
                        PrsArrow::CElement => "#>",
                    };
                    let target = match target {
                        PrsTarget::Node(e) => expr_str(e),
                        PrsTarget::Label(l) => format!("@{}", l.name),
                    };
                    format!(
                        "{} {arrow} {target}{}",
                        prs_expr_str(guard),
                        dir_str(Some(*up))
                    )
                }
                PrsItemKind::Loop { var, range, items } => format!(
                    "(loop {} {} {})",
                    var.name,
                    range_str(range),
                    prs_items_str(items)
                ),
                PrsItemKind::Tree { items, .. } => format!("tree {{ {} }}", prs_items_str(items)),
                PrsItemKind::Subckt { name, items } => format!(
                    "subckt {} {{ {} }}",
                    name.as_deref().unwrap_or("-"),
                    prs_items_str(items)
                ),
                PrsItemKind::Device {
                    kind,
                    size,
                    terminals,
                } => format!(
                    "{kind:?}{}({})",
                    size.as_ref().map_or(String::new(), size_str),
                    terminals
                        .iter()
                        .map(expr_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            format!("{attrs}{kind}")
        })
        .collect();
    items.join(" | ")
}

fn size_str(s: &SizeSpec) -> String {
    let mut parts = vec![expr_str(&s.width)];
    if let Some(l) = &s.length {
        parts.push(expr_str(l));
    }
    if let Some(f) = &s.flavor {
        parts.push(f.name.clone());
    }
    if let Some(f) = &s.folds {
        parts.push(format!(";{}", expr_str(f)));
    }
    format!("<{}>", parts.join(","))
}

fn prs_expr_str(e: &PrsExpr) -> String {
    match &e.kind {
        PrsExprKind::Var { id, size } => format!(
            "{}{}",
            expr_str(id),
            size.as_ref().map_or(String::new(), size_str)
        ),
        PrsExprKind::Const(b) => b.to_string(),
        PrsExprKind::Label(l) => format!("@{}", l.name),
        PrsExprKind::Not(inner) => format!("(~ {})", prs_expr_str(inner)),
        PrsExprKind::And {
            lhs,
            rhs,
            precharge,
        } => match precharge {
            Some((up, p)) => format!(
                "(& {} {{{}{}}} {})",
                prs_expr_str(lhs),
                dir_str(Some(*up)),
                prs_expr_str(p),
                prs_expr_str(rhs)
            ),
            None => format!("(& {} {})", prs_expr_str(lhs), prs_expr_str(rhs)),
        },
        PrsExprKind::Or(lhs, rhs) => format!("(| {} {})", prs_expr_str(lhs), prs_expr_str(rhs)),
        PrsExprKind::Loop {
            and,
            var,
            range,
            body,
        } => format!(
            "({}{} {} {})",
            if *and { "&" } else { "|" },
            var.name,
            range_str(range),
            prs_expr_str(body)
        ),
    }
}

fn chan_str(c: &DataflowChan) -> String {
    match c {
        DataflowChan::Chan(e) => expr_str(e),
        DataflowChan::Drop(_) => "*".to_string(),
        DataflowChan::Loop(l) => format!(
            "(, {} {})",
            l.var.name,
            l.chan.as_ref().map_or("*".to_string(), expr_str)
        ),
    }
}

fn dataflow_str(item: &DataflowItem) -> String {
    let list = |cs: &[DataflowChan]| cs.iter().map(chan_str).collect::<Vec<_>>().join(", ");
    match &item.kind {
        DataflowKind::Func { expr, buffer, out } => {
            let buffer = match buffer {
                Some(b) => format!(
                    "{}{}{} ",
                    if b.transparent { "(" } else { "[" },
                    expr_str(&b.slots),
                    b.init
                        .as_ref()
                        .map_or(String::new(), |i| format!(",{}", expr_str(i)))
                ),
                None => String::new(),
            };
            format!("{} -> {buffer}{}", expr_str(expr), expr_str(out))
        }
        DataflowKind::Split {
            control,
            input,
            outputs,
        } => format!(
            "split {{{}}} {} -> {}",
            expr_str(control),
            expr_str(input),
            list(outputs)
        ),
        DataflowKind::Merge {
            control,
            inputs,
            output,
            winner,
        } => {
            let control = match control {
                MergeControl::Channel(c) => expr_str(c),
                MergeControl::Mixer => "*".to_string(),
                MergeControl::Arbiter => "|".to_string(),
            };
            let winner = winner
                .as_ref()
                .map_or(String::new(), |w| format!(", {}", expr_str(w)));
            format!(
                "merge {{{control}}} {} -> {}{winner}",
                list(inputs),
                expr_str(output)
            )
        }
        DataflowKind::Cluster(items) => {
            let items: Vec<_> = items.iter().map(dataflow_str).collect();
            format!("cluster {{ {} }}", items.join("; "))
        }
        DataflowKind::Sink(e) => format!("{} -> *", expr_str(e)),
    }
}

#[test]
fn production_rules_parse_with_acts_precedence_and_arrows() {
    assert_eq!(
        body("prs { a & ~b | c -> x- d => y+ e #> z- }"),
        ["prs { (| (& a (~ b)) c) -> x- | d => y+ | e #> z- }"]
    );
}

#[test]
fn production_rules_take_sizes_attributes_loops_and_labels() {
    assert_eq!(
        body("prs<Vdd> * { [after=10; weak=1] a<10> & b<5,3,lvt> & c<2.5*w; 2> -> x- }"),
        ["prs<Vdd>* { [after=10;weak=1] (& (& a<10> b<5,3,lvt>) c<(* 2.5 w),;2>) -> x- }"]
    );
    assert_eq!(
        body("prs { (i:4: (&j:3: a[j]) | (|j:2..3: b[j]) -> x[i]-) }"),
        ["prs { (loop i 0..<4 (| (&j 0..<3 a[j]) (|j 2..=3 b[j])) -> x[i]-) }"]
    );
    assert_eq!(
        body("prs { tree<2> { a & b -> @l- ~@l & c -> d+ } subckt<\"s\"> { true -> e- } }"),
        ["prs { tree { (& a b) -> @l- | (& (~ @l) c) -> d+ } | subckt s { true -> e- } }"]
    );
    assert_eq!(
        body("prs { a &{+pchg} b -> c- }"),
        ["prs { (& a {+pchg} b) -> c- }"]
    );
}

#[test]
fn pass_transistors_and_devices_parse() {
    assert_eq!(
        body("prs { passn<5,lvt>(g, s, d) passp(g, s, d) transgate(n, p, s, d) cap<3>(a, b) }"),
        [
            "prs { PassN<5,lvt>(g, s, d) | PassP(g, s, d) | TransGate(n, p, s, d) \
             | Other(\"cap\")<3>(a, b) }"
        ]
    );
}

#[test]
fn production_rule_errors_follow_act() {
    let text = errors("defproc p(bool a, b) { prs { a<5,lvt,hvt> -> b- } }");
    assert!(text.contains("multiple device flavors"), "{text}");
    let text = errors("defproc p(bool a, b) { prs { [speed=1] a -> b- } }");
    assert!(
        text.contains("unknown production-rule attribute `speed`"),
        "{text}"
    );
    let text = errors("defproc p(bool a, b) { prs { [after=1] (i:2: a -> b-) } }");
    assert!(text.contains("attributes cannot be given"), "{text}");
    let text = errors("defproc p(bool a, b) { prs { passn(a, b) } }");
    assert!(text.contains("`passn` connects 3 nodes, not 2"), "{text}");
    let text = errors("defproc p(bool a, b) { prs { tree { subckt { a -> b- } } } }");
    assert!(
        text.contains("`subckt { }` cannot be inside `tree { }`"),
        "{text}"
    );
    let text = errors("defproc p(bool a, b) { prs { a -> b } }");
    assert!(text.contains("expected `+` or `-`"), "{text}");
}

#[test]
fn hse_is_chp_over_bools_and_may_be_fragments() {
    assert_eq!(
        body("hse { *[ [a]; x+; [~a]; x- ] }"),
        ["hse (loop (seq (wait a) x+ (wait (~ a)) x-))"]
    );
    assert_eq!(
        body("hse { a : x+; y+ : [ x -> b [] ~x -> a ] || b : z+ : a }"),
        ["hse fragments a: (seq x+ y+) : x->b [] (~ x)->a || b: z+ : a"]
    );
    let text = errors("defproc p() { chan(int) c; hse { c!1 } }");
    assert!(
        text.contains("a channel communication is not part of HSE"),
        "{text}"
    );
    let text = errors("defproc p() { bool x; hse { x-; l: x+ } }");
    assert!(text.contains("HSE statements have no labels"), "{text}");
}

#[test]
fn spec_directives_and_timing_forks_parse() {
    assert_eq!(
        body("spec { exclhi(a, b[0..1]) mk_excllo(*) timing a+ : ?b- < c* timing d- #> e+ }"),
        ["spec { exclhi(a, b[0..1]); mk_excllo(*); timing a+ : ?b- < c*; timing d- #> e+ }"]
    );
    assert_eq!(
        body("spec { requires { exclhi(a, b) } ensures { excllo(a, b) } hazard(c) }").len(),
        1
    );
}

#[test]
fn timing_forks_follow_acts_rules() {
    let text = errors("defproc p(bool a, b) { spec { timing a+ -> [2] b- } }");
    assert!(
        text.contains("a `->` timing directive has no root"),
        "{text}"
    );
    let text = errors("defproc p(bool a, b) { spec { timing ?a+ -> b+ } }");
    assert!(text.contains("the same node on both sides"), "{text}");
    let text = errors("defproc p(bool a) { spec { timing ?a+ #> a- } }");
    assert!(text.contains("the same transition on both sides"), "{text}");
    let text = errors("defproc p(bool a) { spec { excl(a) } }");
    assert!(text.contains("unknown spec directive `excl`"), "{text}");
}

#[test]
fn sizing_parses_setups_directives_and_loops() {
    assert_eq!(
        body("sizing { p_n_mode <- 1; unit_n <- 5; b {-1}; c {-1,lvt,2; +4,hvt,3}; (;i:3: d[i] {+2}) }"),
        ["sizing 2 setups, 3 directives"]
    );
    let text = errors("defproc p(bool b) { sizing { b {-1; -2} } }");
    assert!(
        text.contains("two drive strengths for the same direction"),
        "{text}"
    );
    let text = errors("defproc p(bool b) { sizing { speed <- 1 } }");
    assert!(text.contains("unknown sizing setting `speed`"), "{text}");
}

#[test]
fn dataflow_elements_parse_as_act_classifies_them() {
    assert_eq!(
        body(
            "dataflow { order { a < b, c } a + 1 -> [2, 0] b; a -> (1) c; {c} a -> b, *; \
             {c} a, b -> d; {|} a, b -> d, w; {*} a, (, i : 2 : e[i]) -> d; a -> *; \
             dataflow_cluster { a -> b } }"
        ),
        [
            "dataflow order 1 { (+ a 1) -> [2,0 b; a -> (1 c; split {c} a -> b, *; \
             merge {c} a, b -> d; merge {|} a, b -> d, w; merge {*} a, (, i e[i]) -> d; a -> *; \
             cluster { a -> b } }"
        ]
    );
}

#[test]
fn dataflow_errors_follow_act() {
    for (text, expected) in [
        ("{|} a -> b, c", "a split needs a control channel"),
        ("{c} a -> b", "a split needs more than one output"),
        ("{c} * -> b, c", "a split cannot take its input from `*`"),
        ("{c} a, b -> d, e", "too many outputs for a merge"),
        ("{c} a, b -> *", "a merge cannot output to `*`"),
        ("{c} a, * -> d", "a merge cannot take an input from `*`"),
        ("{c} a, b -> (, i : 2 : d[i])", "no loop among its outputs"),
    ] {
        let found = errors(&format!("defproc p() {{ dataflow {{ {text} }} }}"));
        assert!(found.contains(expected), "{text}: {found}");
    }
}

#[test]
fn refine_and_initialize_blocks_parse() {
    let program = parse_ok(
        "defproc leaf() { } defproc fast <: leaf () { }
         defproc p() { leaf l; refine<2> +{ fast l; } { bool y; prs { y -> y- } } }",
    );
    let p = program.processes().last().expect("p");
    assert_eq!(
        item_str(&p.body[1]),
        "refine<2> overrides 1 { var bool y; prs { y -> y- } }"
    );
    let program = parse_ok("Initialize { actions { Reset+ }; actions { Reset- } }");
    assert!(matches!(
        &program.items[..],
        [Item::Body(items)] if matches!(&items[..], [BodyItem::Lang(block)]
            if matches!(&**block, LangBlock::Initialize(i) if i.actions.len() == 2))
    ));
    let text = errors("defproc p() { Initialize { actions { x+ } } }");
    assert!(text.contains("only allowed at the top level"), "{text}");
    let text = errors("defproc p() { refine { refine +{ leaf l; } { } } }");
    assert!(
        text.contains("overrides cannot be given in a nested `refine` block"),
        "{text}"
    );
    let text = errors("refine { }");
    assert!(text.contains("can only be used in processes"), "{text}");
    let text = errors("namespace n { prs { } }");
    assert!(
        text.contains("a `prs` block cannot be in a namespace"),
        "{text}"
    );
}

#[test]
fn external_language_blocks_keep_their_name_and_skip_their_text() {
    assert_eq!(
        body("extern (verilog) { module m; { a <= b; } ${ x } endmodule } bool y;"),
        ["extern verilog", "var bool y"]
    );
    let text = errors("defproc p() { extern (v) { { } }");
    assert!(text.contains("is not closed"), "{text}");
    let text = errors("defproc p() { extern { } }");
    assert!(text.contains("expected `(`"), "{text}");
}

#[test]
fn body_loops_accept_acts_older_semicolon() {
    assert_eq!(body("(; i : 2 : bool x; )"), body("(i : 2 : bool x; )"));
}
