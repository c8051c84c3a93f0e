//! What library channels carry: signed integers, `u128`, arrays and structs of tokens, shown
//! in the transcript as numbers and in the waveform in their widths.
use chpsim::driver::outputs::MemoryOutput;
use chpsim::{token_struct, SimInit, Token, TranscriptWriter, VcdOptions, VcdWriter};

use crate::common::vcd_check::check_vcd;

/// Sends `values` from `top.a` to `top.b` over one channel; returns (transcript, VCD).
fn send_all<T: Token + Clone>(values: Vec<T>) -> (String, String) {
    let (transcript, vcd) = (MemoryOutput::default(), MemoryOutput::default());
    let mut init = SimInit::new().without_log();
    init.add_observer(TranscriptWriter::new(transcript.clone(), "tokens"));
    init.add_observer(VcdWriter::new(vcd.clone(), VcdOptions::default()));
    let (tx, rx) = init.channel_between::<T>("top.a.R", "top.b.L", 10);
    let count = values.len();
    init.spawn("top.a", async move {
        for v in values {
            tx.send(v).await;
        }
    });
    init.spawn("top.b", async move {
        for _ in 0..count {
            rx.recv().await;
        }
    });
    init.run().unwrap();
    (transcript.text(), vcd.text())
}

/// The values of the channel's handshakes in the transcript, and its VCD width and values.
fn shown(transcript: &str, vcd: &str) -> (Vec<String>, u32, Vec<String>) {
    let values = (transcript.lines())
        .filter(|l| l.contains("->"))
        .map(|l| l.split_whitespace().last().unwrap().to_string())
        .collect();
    let summary = check_vcd(vcd).unwrap_or_else(|e| panic!("{e}\n{vcd}"));
    let width = summary.signal("top.a.R").unwrap().width;
    let bits = (summary.changes("top.a.R").into_iter().skip(1))
        .map(|(_, bits)| bits)
        .collect();
    (values, width, bits)
}

#[test]
fn signed_integers_show_their_sign_and_twos_complement() {
    let (t, v) = send_all::<i8>(vec![-1, 5, -128]);
    assert_eq!(
        shown(&t, &v),
        (
            vec!["-1".into(), "5".into(), "-128".into()],
            8,
            vec!["11111111".into(), "00000101".into(), "10000000".into()]
        )
    );
    let (t, v) = send_all::<i64>(vec![i64::MIN]);
    let (values, width, bits) = shown(&t, &v);
    assert_eq!((values, width), (vec![i64::MIN.to_string()], 64));
    assert_eq!(bits, [format!("1{}", "0".repeat(63))]);
}

#[test]
fn u128_values_are_shown_in_full() {
    let big = (1u128 << 100) | 3;
    let (t, v) = send_all::<u128>(vec![big]);
    let (values, width, bits) = shown(&t, &v);
    assert_eq!((values, width), (vec![big.to_string()], 128));
    assert_eq!(bits, [format!("{big:0128b}")]);
}

#[test]
fn arrays_pack_element_zero_first() {
    let (t, v) = send_all::<[u8; 2]>(vec![[1, 2]]);
    assert_eq!(
        shown(&t, &v),
        (
            vec![0x0102.to_string()],
            16,
            vec!["0000000100000010".into()]
        )
    );
}

#[derive(Clone)]
struct Packet {
    dest: bool,
    seq: u8,
    delta: i8,
}
token_struct!(Packet {
    dest: bool,
    seq: u8,
    delta: i8
});

#[test]
fn structs_pack_their_fields_in_declaration_order() {
    let packet = Packet {
        dest: true,
        seq: 3,
        delta: -2,
    };
    let (t, v) = send_all(vec![packet]);
    let (values, width, bits) = shown(&t, &v);
    assert_eq!(width, 17);
    assert_eq!(values, [0x1_03_fe.to_string()]);
    assert_eq!(bits, ["1".to_string() + "00000011" + "11111110"]);
}
