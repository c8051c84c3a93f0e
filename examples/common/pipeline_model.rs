//! The seed's system, Source → N Buffers → Sink, written against the library API.
//!
//! Shared by `examples/pipeline.rs`, the kernel tests and the benchmark, so all three run the
//! very same processes.
use chpsim::{Ctx, Receiver, Sender, SimInit};

/// Ticks from the start of a send or receive to its event (ACT's default action delay).
pub const HANDSHAKE_LATENCY: u64 = 10;

/// Sends 1, 2, ..., `tokens`, then ends.
pub async fn source(out: Sender<u32>, tokens: u32) {
    for value in 1..=tokens {
        out.send(value).await;
    }
}

/// A one-place buffer: `*[ L?x; R!x ]`.
pub async fn buffer(input: Receiver<u32>, out: Sender<u32>) {
    loop {
        let x = input.recv().await;
        out.send(x).await;
    }
}

/// Counts `tokens` tokens, logs the count, then ends.
pub async fn sink(ctx: Ctx, input: Receiver<u32>, tokens: u32) {
    for _ in 0..tokens {
        input.recv().await;
    }
    ctx.log(&format!("received {tokens} tokens"));
}

/// Spawns `src`, `buf[0]` .. `buf[N-1]` and `snk` into `sim`, connected in a line.
pub fn build(sim: &mut SimInit, buffers: usize, tokens: u32) {
    let (mut out, mut input) =
        sim.channel_between::<u32>("src.R", &first_receiver(buffers), HANDSHAKE_LATENCY);
    sim.spawn("src", source(out, tokens));
    for i in 0..buffers {
        let receiver_end = if i + 1 < buffers {
            format!("buf[{}].L", i + 1)
        } else {
            "snk.L".into()
        };
        let (next_out, next_input) =
            sim.channel_between::<u32>(&format!("buf[{i}].R"), &receiver_end, HANDSHAKE_LATENCY);
        out = next_out;
        sim.spawn(format!("buf[{i}]"), buffer(input, out));
        input = next_input;
    }
    let ctx = sim.ctx();
    sim.spawn("snk", sink(ctx, input, tokens));
}

fn first_receiver(buffers: usize) -> String {
    if buffers == 0 {
        "snk.L".into()
    } else {
        "buf[0].L".into()
    }
}
