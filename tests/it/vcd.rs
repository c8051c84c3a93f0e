//! The VCD writer: layout, values, determinism, and that wellen and the strict checker accept it.
use std::io::Cursor;

use chpsim::output::vcd::{parse_timescale, VcdOptions, VcdWriter};
use chpsim::{ChannelInfo, SimInit, Token, TraceValue};
use num_bigint::BigUint;
use vcd::TimescaleUnit;

use chpsim::driver::outputs::MemoryOutput;

use crate::common::vcd_check;
use vcd_check::{check_vcd, VcdSummary};

/// Runs the simulation `build` sets up, with a VCD writer attached; returns the file's text.
fn run_vcd(options: VcdOptions, build: impl FnOnce(&mut SimInit)) -> String {
    let buf = MemoryOutput::default();
    let mut sim = SimInit::new();
    build(&mut sim);
    sim.add_observer(VcdWriter::new(buf.clone(), options));
    sim.run().expect("run succeeds");
    buf.text()
}

pub(crate) fn checked(text: &str) -> VcdSummary {
    check_vcd(text).unwrap_or_else(|e| panic!("invalid VCD: {e}\n{text}"))
}

/// The signals declared for channel names `names` (`(path, data width)`): data (unless
/// dataless), toggle, wait state.
fn declared(names: &[(&str, u32)]) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    for &(path, width) in names {
        if width > 0 {
            out.push((path.to_string(), width));
        }
        out.push((format!("{path}_hs"), 1));
        out.push((format!("{path}_wait"), 2));
    }
    out
}

pub(crate) fn changes(list: &[(u64, &str)]) -> Vec<(u64, String)> {
    list.iter().map(|&(t, v)| (t, v.to_string())).collect()
}

/// src sends 5, 5, 7 through two buffers into a sink.
fn pipeline(sim: &mut SimInit) {
    let (src_r, b0_l) = sim.channel_between::<u8>("top.src.R", "top.b[0].L", 10);
    let (b0_r, b1_l) = sim.channel_between::<u8>("top.b[0].R", "top.b[1].L", 10);
    let (b1_r, snk_l) = sim.channel_between::<u8>("top.b[1].R", "top.snk.L", 10);
    sim.spawn("top.src", async move {
        for v in [5, 5, 7] {
            src_r.send(v).await;
        }
    });
    sim.spawn("top.b[0]", async move {
        loop {
            let v = b0_l.recv().await;
            b0_r.send(v).await;
        }
    });
    sim.spawn("top.b[1]", async move {
        loop {
            let v = b1_l.recv().await;
            b1_r.send(v).await;
        }
    });
    sim.spawn("top.snk", async move {
        loop {
            snk_l.recv().await;
        }
    });
}

#[test]
fn pipeline_shows_every_handshake_including_repeated_values() {
    let text = run_vcd(VcdOptions::default(), pipeline);
    let vcd = checked(&text);
    // Each channel at both ends: the receive-only sink shows its input too.
    assert_eq!(
        vcd.signal_paths(),
        declared(&[
            ("top.src.R", 8),
            ("top.b[0].L", 8),
            ("top.b[0].R", 8),
            ("top.b[1].L", 8),
            ("top.b[1].R", 8),
            ("top.snk.L", 8),
        ])
    );
    // Both ends are one signal: the same id code.
    assert_eq!(vcd.aliases("top.b[0].R"), ["top.b[0].R", "top.b[1].L"]);
    assert_eq!(
        vcd.aliases("top.snk.L_hs"),
        ["top.b[1].R_hs", "top.snk.L_hs"]
    );
    assert_eq!(
        vcd.changes("top.src.R"),
        changes(&[
            (0, "xxxxxxxx"),
            (10, "00000101"),
            (30, "00000101"),
            (50, "00000111")
        ])
    );
    assert_eq!(
        vcd.changes("top.src.R_hs"),
        changes(&[(0, "0"), (10, "1"), (30, "0"), (50, "1")])
    );
    assert_eq!(
        vcd.changes("top.b[1].R_hs"),
        changes(&[(0, "0"), (30, "1"), (50, "0"), (70, "1")])
    );
    assert_eq!(vcd.value_at("top.b[1].R", 69).as_deref(), Some("00000101"));
    assert_eq!(vcd.value_at("top.b[1].R", 70).as_deref(), Some("00000111"));
    // The last time is the end of the run: the buffers' receives fire at 80 and wait.
    assert_eq!(vcd.times, [0, 10, 20, 30, 40, 50, 60, 70, 80]);
    // Merged scopes: `top` opens once, each instance once.
    assert_eq!(text.matches("$scope module top $end").count(), 1);
    assert_eq!(text.matches("$scope module b[0] $end").count(), 1);
}

/// Library parties register ahead of their events: the wait state still shows who waits when.
#[test]
fn wait_state_of_library_parties() {
    let text = run_vcd(VcdOptions::default(), |sim| {
        let (tx, rx) = sim.channel_between::<u8>("top.a.R", "top.b.L", 10);
        let ctx = sim.ctx();
        sim.spawn("top.a", async move {
            tx.send(1).await; // fires at 10; b's receive fires at 50
            tx.send(2).await; // fires at 60; b's receive fires at 100
        });
        sim.spawn("top.b", async move {
            ctx.delay(40).await;
            rx.recv().await;
            ctx.delay(40).await;
            rx.recv().await;
            rx.recv().await; // fires at 110 and waits for ever
        });
    });
    let vcd = checked(&text);
    assert_eq!(
        vcd.changes("top.a.R_wait"),
        changes(&[
            (0, "00"),
            (10, "01"),
            (50, "00"),
            (60, "01"),
            (100, "00"),
            (110, "10")
        ])
    );
    assert_eq!(
        vcd.aliases("top.a.R_wait"),
        ["top.a.R_wait", "top.b.L_wait"]
    );
}

/// A guard waiting on a probe shows as `11` while it waits.
#[test]
fn wait_state_of_a_probe() {
    let text = run_vcd(VcdOptions::default(), |sim| {
        let (tx, rx) = sim.channel_between::<u8>("top.a.R", "top.b.L", 10);
        let ctx = sim.ctx();
        sim.spawn("top.a", async move {
            ctx.delay(30).await;
            tx.send(1).await;
        });
        sim.spawn("top.b", async move {
            rx.wait_for_sender().await;
            rx.recv().await;
        });
    });
    let vcd = checked(&text);
    // b probes from 0; a's send fires at 40 (the probe sees it: b stops probing and receives,
    // its receive firing at 50, when the handshake completes).
    assert_eq!(
        vcd.changes("top.b.L_wait"),
        changes(&[(0, "00"), (0, "11"), (40, "01"), (50, "00")])
    );
}

#[test]
fn header_is_fixed_and_has_the_timescale() {
    let text = run_vcd(VcdOptions::default(), pipeline);
    let vcd = checked(&text);
    assert_eq!(vcd.date, None);
    assert_eq!(vcd.version.as_deref(), Some("chpsim"));
    assert_eq!(vcd.timescale.as_deref(), Some("1 ns"));
    let options = VcdOptions {
        timescale: parse_timescale("10ps").unwrap(),
        ..VcdOptions::default()
    };
    let text = run_vcd(options, pipeline);
    assert!(text.contains("$timescale 10 ps $end"), "{text}");
    assert_eq!(checked(&text).timescale.as_deref(), Some("10 ps"));
    assert_eq!(VcdOptions::default().timescale, (1, TimescaleUnit::NS));
}

#[test]
fn the_whole_file_is_as_expected() {
    let text = run_vcd(VcdOptions::default(), |sim| {
        let (tx, rx) = sim.channel_between::<u8>("top.a.R", "top.b.L", 10);
        sim.spawn("top.a", async move {
            tx.send(3).await;
            tx.send(3).await;
        });
        sim.spawn("top.b", async move {
            loop {
                rx.recv().await;
            }
        });
    });
    // The file ends at the end of the run, 30: b's third receive fires then and waits.
    let expected = "\
$version
    chpsim
$end
$timescale 1 ns $end
$scope module top $end
$scope module a $end
$var wire 8 ! R $end
$var wire 1 \" R_hs $end
$var wire 2 # R_wait $end
$upscope $end
$scope module b $end
$var wire 8 ! L $end
$var wire 1 \" L_hs $end
$var wire 2 # L_wait $end
$upscope $end
$upscope $end
$enddefinitions $end
#0
$dumpvars
bxxxxxxxx !
0\"
b00 #
$end
#10
b00000011 !
1\"
#20
b00000011 !
0\"
#30
b10 #
";
    assert_eq!(text, expected);
}

#[test]
fn two_runs_are_byte_identical() {
    let a = run_vcd(VcdOptions::default(), pipeline);
    let b = run_vcd(VcdOptions::default(), pipeline);
    assert_eq!(a, b);
}

#[test]
fn dataless_and_bool_channels() {
    let text = run_vcd(VcdOptions::default(), |sim| {
        let (go_tx, go_rx) = sim.channel_between::<()>("top.ctl.go", "top.dp.go", 10);
        let (b_tx, b_rx) = sim.channel_between::<bool>("top.ctl.flag", "top.dp.flag", 5);
        sim.spawn("top.ctl", async move {
            go_tx.send(()).await;
            go_tx.send(()).await;
            b_tx.send(true).await;
            b_tx.send(true).await;
            b_tx.send(false).await;
        });
        sim.spawn("top.dp", async move {
            go_rx.recv().await;
            go_rx.recv().await;
            for _ in 0..3 {
                b_rx.recv().await;
            }
        });
    });
    let vcd = checked(&text);
    assert_eq!(
        vcd.signal_paths(),
        declared(&[
            ("top.ctl.go", 0),
            ("top.ctl.flag", 1),
            ("top.dp.go", 0),
            ("top.dp.flag", 1)
        ])
    );
    assert_eq!(
        vcd.changes("top.ctl.go_hs"),
        changes(&[(0, "0"), (10, "1"), (20, "0")])
    );
    assert_eq!(
        vcd.changes("top.ctl.flag"),
        changes(&[(0, "x"), (25, "1"), (30, "1"), (35, "0")])
    );
    assert_eq!(
        vcd.changes("top.ctl.flag_hs"),
        changes(&[(0, "0"), (25, "1"), (30, "0"), (35, "1")])
    );
}

/// A 256-bit payload.
struct U256(BigUint);

impl Token for U256 {
    const WIDTH: u32 = 256;
    fn trace(&self) -> TraceValue<'_> {
        TraceValue::Wide(&self.0)
    }
}

fn wide_values() -> Vec<BigUint> {
    vec![
        (BigUint::from(1u8) << 255u32) | BigUint::from(0xa5u8),
        BigUint::from(0u8),
        (BigUint::from(1u8) << 256u32) - 1u8,
    ]
}

fn wide_sim(sim: &mut SimInit) {
    let (tx, rx) = sim.channel_between::<U256>("top.w.R", "top.r.L", 10);
    sim.spawn("top.w", async move {
        for v in wide_values() {
            tx.send(U256(v)).await;
        }
    });
    sim.spawn("top.r", async move {
        loop {
            rx.recv().await;
        }
    });
}

#[test]
fn wide_values_are_written_in_full() {
    let text = run_vcd(VcdOptions::default(), wide_sim);
    let vcd = checked(&text);
    assert_eq!(vcd.signal("top.w.R").unwrap().width, 256);
    let values = vcd.changes("top.w.R");
    assert_eq!(values.len(), 4);
    assert_eq!(values[0].1, "x".repeat(256));
    for ((time, bits), (expected_time, v)) in values[1..]
        .iter()
        .zip([10, 20, 30].iter().zip(wide_values()))
    {
        assert_eq!(time, expected_time);
        assert_eq!(bits.len(), 256);
        assert_eq!(BigUint::parse_bytes(bits.as_bytes(), 2).unwrap(), v);
    }
}

#[test]
fn narrower_channel_width_truncates_and_wider_zero_extends() {
    let text = run_vcd(VcdOptions::default(), |sim| {
        let info = ChannelInfo::between("top.a.x4", "top.b.x4", 4);
        let (tx4, rx4) = sim.channel_with_width::<u32>(info, 10);
        let info = ChannelInfo::between("top.a.x70", "top.b.x70", 70);
        let (tx70, rx70) = sim.channel_with_width::<u32>(info, 10);
        sim.spawn("top.a", async move {
            tx4.send(0x1f).await;
            tx70.send(3).await;
        });
        sim.spawn("top.b", async move {
            rx4.recv().await;
            rx70.recv().await;
        });
    });
    let vcd = checked(&text);
    assert_eq!(vcd.value_at("top.a.x4", 10).as_deref(), Some("1111"));
    assert_eq!(
        vcd.value_at("top.a.x70", 20),
        Some(format!("{}11", "0".repeat(68)))
    );
}

#[test]
fn run_end_gets_a_final_timestamp() {
    let text = run_vcd(VcdOptions::default(), |sim| {
        let (tx, rx) = sim.channel_between::<u8>("top.a.R", "top.b.L", 10);
        let ctx = sim.ctx();
        sim.spawn("top.a", async move {
            tx.send(1).await;
            ctx.delay(100).await;
        });
        sim.spawn("top.b", async move {
            rx.recv().await;
        });
    });
    let vcd = checked(&text);
    assert_eq!(vcd.times, [0, 10, 110]);
}

#[test]
fn channels_without_a_scope_go_under_the_root_scope() {
    let text = run_vcd(VcdOptions::default(), |sim| {
        let (tx, rx) = sim.channel_between::<u8>("R", "b[0].L", 10);
        let (tx2, rx2) = sim.channel_between::<u8>("b[0].R", "snk.L", 10);
        sim.spawn("src", async move { tx.send(1).await });
        sim.spawn("b[0]", async move {
            let v = rx.recv().await;
            tx2.send(v).await;
        });
        sim.spawn("snk", async move {
            rx2.recv().await;
        });
    });
    let vcd = checked(&text);
    assert_eq!(
        vcd.signal_paths(),
        declared(&[("<top>.R", 8), ("b[0].L", 8), ("b[0].R", 8), ("snk.L", 8)])
    );
    let wave = wellen::simple::read_from_reader(Cursor::new(text.into_bytes())).unwrap();
    let h = wave.hierarchy();
    assert!(h.lookup_var(&["<top>"], "R").is_some());
    assert!(h.lookup_var(&["b[0]"], "R_hs").is_some());
}

#[test]
fn names_with_spaces_are_sanitized() {
    let text = run_vcd(VcdOptions::default(), |sim| {
        let (tx, rx) = sim.channel_between::<u8>("my top.the src.R x", "b", 10);
        sim.spawn("a", async move { tx.send(1).await });
        sim.spawn("b", async move {
            rx.recv().await;
        });
    });
    let vcd = checked(&text);
    assert_eq!(vcd.signals[0].path, "my_top.the_src.R_x");
}

/// Value of a wellen signal at each change, as (time, bit string).
fn wellen_changes(
    wave: &mut wellen::simple::Waveform,
    scope: &[&str],
    name: &str,
) -> Vec<(u64, String)> {
    let h = wave.hierarchy();
    let var = h
        .lookup_var(scope, name)
        .unwrap_or_else(|| panic!("no {scope:?} {name}"));
    let signal_ref = h[var].signal_ref();
    wave.load_signals(&[signal_ref]);
    let signal = wave.get_signal(signal_ref).unwrap();
    let times = wave.time_table();
    signal
        .iter_changes()
        .map(|(idx, value)| (times[idx as usize], value.to_bit_string().unwrap()))
        .collect()
}

#[test]
fn wellen_loads_the_hierarchy_names_and_values() {
    let text = run_vcd(VcdOptions::default(), pipeline);
    let mut wave = wellen::simple::read_from_reader(Cursor::new(text.into_bytes())).unwrap();
    let h = wave.hierarchy();
    assert_eq!(h.version(), "chpsim");
    let ts = h.timescale().unwrap();
    assert_eq!(
        (ts.factor, ts.unit),
        (1, wellen::TimescaleUnit::NanoSeconds)
    );
    let top: Vec<String> = h.scopes().map(|s| h[s].full_name(h)).collect();
    assert_eq!(top, ["top"]);
    let top = h.lookup_scope(&["top"]).unwrap();
    let children: Vec<&str> = h[top].scopes(h).map(|s| h[s].name(h)).collect();
    assert_eq!(children, ["src", "b[0]", "b[1]", "snk"]);
    let all: Vec<String> = h.all_vars().map(|v| h[v].full_name(h)).collect();
    let expected: Vec<String> = declared(&[
        ("top.src.R", 8),
        ("top.b[0].L", 8),
        ("top.b[0].R", 8),
        ("top.b[1].L", 8),
        ("top.b[1].R", 8),
        ("top.snk.L", 8),
    ])
    .into_iter()
    .map(|(p, _)| p)
    .collect();
    assert_eq!(all, expected);
    // An alias reads as the same signal.
    assert_eq!(
        wellen_changes(&mut wave, &["top", "snk"], "L_hs"),
        wellen_changes(&mut wave, &["top", "b[1]"], "R_hs")
    );
    // wellen drops a change to the value a signal already has: the toggle shows the handshake.
    assert_eq!(
        wellen_changes(&mut wave, &["top", "src"], "R"),
        changes(&[(0, "xxxxxxxx"), (10, "00000101"), (50, "00000111")])
    );
    assert_eq!(
        wellen_changes(&mut wave, &["top", "src"], "R_hs"),
        changes(&[(0, "0"), (10, "1"), (30, "0"), (50, "1")])
    );
    assert_eq!(
        wellen_changes(&mut wave, &["top", "b[1]"], "R_hs"),
        changes(&[(0, "0"), (30, "1"), (50, "0"), (70, "1")])
    );
}

#[test]
fn wellen_loads_wide_values() {
    let text = run_vcd(VcdOptions::default(), wide_sim);
    let mut wave = wellen::simple::read_from_reader(Cursor::new(text.into_bytes())).unwrap();
    let got = wellen_changes(&mut wave, &["top", "w"], "R");
    assert_eq!(got.len(), 4);
    for ((_, bits), v) in got[1..].iter().zip(wide_values()) {
        assert_eq!(BigUint::parse_bytes(bits.as_bytes(), 2).unwrap(), v);
    }
}

#[test]
fn channel_array_elements_keep_their_index() {
    let text = run_vcd(VcdOptions::default(), |sim| {
        let (tx, rx) = sim.channel_between::<u8>("top.m[1][2].out[3]", "top.k.in", 10);
        let (btx, brx) = sim.channel_between::<bool>("top.m[1][2].flag[0]", "top.k.f", 10);
        sim.spawn("top.m[1][2]", async move {
            tx.send(9).await;
            btx.send(true).await;
        });
        sim.spawn("top.k", async move {
            rx.recv().await;
            brx.recv().await;
        });
    });
    let vcd = checked(&text);
    assert_eq!(
        vcd.signal_paths(),
        declared(&[
            ("top.m[1][2].out[3]", 8),
            ("top.m[1][2].flag[0]", 1),
            ("top.k.in", 8),
            ("top.k.f", 1)
        ])
    );
    let wave = wellen::simple::read_from_reader(Cursor::new(text.into_bytes())).unwrap();
    let h = wave.hierarchy();
    let all: Vec<String> = h.all_vars().map(|v| h[v].full_name(h)).collect();
    // wellen reads a trailing `[i]` of a variable name as an array element (a scope `out` with
    // a variable `[3]`) or, for a 1-bit variable, as a bit index (`flag`, index [0]).
    assert_eq!(
        all,
        [
            "top.m[1][2].out.[3]",
            "top.m[1][2].out[3]_hs",
            "top.m[1][2].out[3]_wait",
            "top.m[1][2].flag",
            "top.m[1][2].flag[0]_hs",
            "top.m[1][2].flag[0]_wait",
            "top.k.in",
            "top.k.in_hs",
            "top.k.in_wait",
            "top.k.f",
            "top.k.f_hs",
            "top.k.f_wait"
        ]
    );
    assert!(h.lookup_scope(&["top", "m[1][2]"]).is_some());
}

#[test]
fn many_channels_get_unique_ids_never_starting_with_a_dollar() {
    let n = 500u16;
    let text = run_vcd(VcdOptions::default(), |sim| {
        for i in 0..n {
            let (tx, rx) =
                sim.channel_between::<u16>(&format!("top.b[{i}].R"), &format!("top.k.L[{i}]"), 10);
            sim.spawn(format!("top.b[{i}]"), async move { tx.send(i).await });
            sim.spawn("top.k", async move {
                rx.recv().await;
            });
        }
    });
    let vcd = checked(&text);
    assert_eq!(vcd.signals.len(), 6 * n as usize);
    assert!(vcd.signals.iter().all(|s| !s.id.starts_with('$')));
    for i in [0, 1, 46, 47, 93, 499] {
        assert_eq!(
            vcd.value_at(&format!("top.b[{i}].R"), 10),
            Some(format!("{i:016b}"))
        );
    }
    let mut wave = wellen::simple::read_from_reader(Cursor::new(text.into_bytes())).unwrap();
    for i in [0, 47, 499] {
        let scope = format!("b[{i}]");
        assert_eq!(
            wellen_changes(&mut wave, &["top", &scope], "R"),
            changes(&[(0, "xxxxxxxxxxxxxxxx"), (10, &format!("{i:016b}"))])
        );
    }
}
