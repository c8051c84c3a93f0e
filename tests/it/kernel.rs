//! The kernel on its own: handshake timing, ordering, probes, delays, the end report.
use std::cell::RefCell;
use std::rc::Rc;

use chpsim::driver::outputs::MemoryOutput;
use chpsim::{
    EndReason, Event, Limits, Observer, Registry, SimInit, TranscriptWriter, Wait, Waiter,
};

use crate::pipeline_model;

fn transcript(sim: &mut SimInit) -> MemoryOutput {
    let buf = MemoryOutput::default();
    sim.add_observer(TranscriptWriter::new(buf.clone(), "test"));
    buf
}

/// Records (time, label) pairs from inside processes.
#[derive(Clone, Default)]
struct Trace(Rc<RefCell<Vec<(u64, String)>>>);
impl Trace {
    fn push(&self, time: u64, label: impl Into<String>) {
        self.0.borrow_mut().push((time, label.into()));
    }
    fn take(&self) -> Vec<(u64, String)> {
        self.0.borrow().clone()
    }
}

#[test]
fn handshake_completes_latency_after_the_later_party_arrives() {
    let mut sim = SimInit::new();
    let (tx, rx) = sim.channel_between::<u32>("a.R", "b.L", 10);
    let ctx = sim.ctx();
    let trace = Trace::default();
    let (t1, t2, c1, c2) = (trace.clone(), trace.clone(), ctx.clone(), ctx.clone());
    sim.spawn("a", async move {
        tx.send(7).await; // arrives at 0, the receiver only at 25
        t1.push(c1.now(), "sent");
    });
    sim.spawn("b", async move {
        c2.delay(25).await;
        let v = rx.recv().await;
        t2.push(c2.now(), format!("got {v}"));
    });
    let report = sim.run().unwrap().report;
    assert_eq!(
        trace.take(),
        vec![(35, "got 7".to_string()), (35, "sent".to_string())]
    );
    assert_eq!(report.handshakes, 1);
    assert_eq!(report.time, 35);
    assert_eq!(report.reason, EndReason::Idle);
    assert!(report.waiting.is_empty());
}

#[test]
fn handshake_takes_the_larger_latency_of_the_two_parties() {
    let mut sim = SimInit::new();
    let (tx, rx) = sim.channel_between::<u32>("a.R", "b.L", 10);
    let ctx = sim.ctx();
    let trace = Trace::default();
    let t = trace.clone();
    sim.spawn("a", async move { tx.send_with_latency(1, 3).await });
    sim.spawn("b", async move {
        rx.recv_with_latency(40).await;
        t.push(ctx.now(), "got");
    });
    sim.run().unwrap();
    assert_eq!(trace.take(), vec![(40, "got".to_string())]);
}

#[test]
fn same_time_events_run_in_spawn_order_and_logs_keep_that_order() {
    let mut sim = SimInit::new();
    let out = transcript(&mut sim);
    for name in ["p2", "p0", "p1"] {
        let ctx = sim.ctx();
        sim.spawn(name, async move {
            ctx.log("first");
            ctx.delay(5).await;
            ctx.log("second");
        });
    }
    sim.run().unwrap();
    let lines: Vec<String> = out
        .text()
        .lines()
        .skip(1)
        .take(9)
        .map(|l| l.trim().to_string())
        .collect();
    assert_eq!(
        lines,
        [
            "0  p2  log  first",
            "0  p0  log  first",
            "0  p1  log  first",
            "5  p2  log  second",
            "5  p2  end",
            "5  p0  log  second",
            "5  p0  end",
            "5  p1  log  second",
            "5  p1  end",
        ]
    );
}

#[test]
fn delay_advances_the_clock_and_zero_delay_yields() {
    let mut sim = SimInit::new();
    let ctx = sim.ctx();
    let trace = Trace::default();
    let (t1, c1, t2, c2) = (trace.clone(), ctx.clone(), trace.clone(), ctx.clone());
    sim.spawn("a", async move {
        c1.delay(0).await; // lets b run its first step at time 0 before this line
        t1.push(c1.now(), "a after yield");
        c1.delay(1500).await; // farther than the time wheel's span
        t1.push(c1.now(), "a after 1500");
    });
    sim.spawn("b", async move {
        t2.push(c2.now(), "b");
        c2.delay(7).await;
        t2.push(c2.now(), "b after 7");
    });
    sim.run().unwrap();
    assert_eq!(
        trace.take(),
        vec![
            (0, "b".to_string()),
            (0, "a after yield".to_string()),
            (7, "b after 7".to_string()),
            (1500, "a after 1500".to_string())
        ]
    );
}

#[test]
fn probes_see_a_peer_once_its_event_fired_and_watchers_wake_then() {
    let mut sim = SimInit::new();
    let (tx, rx) = sim.channel_between::<u32>("a.R", "b.L", 10);
    let ctx = sim.ctx();
    let trace = Trace::default();
    let (t1, c1, t2, c2) = (trace.clone(), ctx.clone(), trace.clone(), ctx.clone());
    sim.spawn("a", async move {
        c1.delay(30).await;
        tx.send(5).await; // its event fires at 40: visible from then on
        t1.push(c1.now(), format!("sent, receiver probe now {}", tx.probe()));
    });
    sim.spawn("b", async move {
        t2.push(c2.now(), format!("probe {}", rx.probe()));
        rx.wait_for_sender().await;
        t2.push(c2.now(), format!("probe {}", rx.probe()));
        let v = rx.recv().await;
        t2.push(c2.now(), format!("got {v}"));
    });
    sim.run().unwrap();
    assert_eq!(
        trace.take(),
        vec![
            (0, "probe false".to_string()),
            (40, "probe true".to_string()),
            (50, "got 5".to_string()),
            (50, "sent, receiver probe now false".to_string()),
        ]
    );
}

#[test]
fn sender_probe_sees_a_waiting_receiver() {
    let mut sim = SimInit::new();
    let (tx, rx) = sim.channel_between::<()>("a.R", "b.L", 10);
    let ctx = sim.ctx();
    let trace = Trace::default();
    let t = trace.clone();
    sim.spawn("a", async move {
        tx.wait_for_receiver().await;
        t.push(ctx.now(), "receiver is there");
        tx.send(()).await;
    });
    let c = sim.ctx();
    sim.spawn("b", async move {
        c.delay(12).await;
        rx.recv().await; // fires at 22, then waits for the sender's event at 32
    });
    let report = sim.run().unwrap().report;
    assert_eq!(trace.take(), vec![(22, "receiver is there".to_string())]);
    assert_eq!(report.time, 32);
}

#[test]
fn end_report_lists_each_waiting_process_and_what_it_waits_on() {
    let mut sim = SimInit::new();
    let (tx, _rx_unused) = sim.channel_between::<u32>("a.R", "nobody.L", 10);
    let (_tx_unused, rx) = sim.channel_between::<u32>("nobody.R", "b.L", 10);
    sim.spawn("a", async move { tx.send(1).await });
    sim.spawn("b", async move {
        rx.recv().await;
    });
    let out = transcript(&mut sim);
    let finished = sim.run().unwrap();
    let (report, registry) = (finished.report, finished.registry);
    assert_eq!(report.waiting.len(), 2);
    let [Wait::Send(sent_on), Wait::Receive(received_on)] = [0, 1].map(|i| report.waiting[i].wait)
    else {
        panic!("{:?}", report.waiting);
    };
    assert_eq!(registry.channel(sent_on).sender_end, "a.R");
    assert_eq!(registry.channel(received_on).receiver_end, "b.L");
    let text = out.text();
    assert!(
        text.contains(
            "# end at 10 (idle): 0 handshakes; 2 processes waiting (1 on receive, 1 on send)"
        ),
        "{text}"
    );
    assert!(text.contains("#   a  send a.R -> nobody.L"), "{text}");
    assert!(text.contains("#   b  receive nobody.R -> b.L"), "{text}");
}

#[test]
fn a_process_that_returns_ends_and_is_not_reported_waiting() {
    let mut sim = SimInit::new();
    let out = transcript(&mut sim);
    let ctx = sim.ctx();
    sim.spawn("short", async move { ctx.delay(3).await });
    let report = sim.run().unwrap().report;
    assert!(report.waiting.is_empty());
    assert!(out.text().contains("                   3  short  end\n"));
}

#[test]
fn run_until_stops_at_the_given_time_and_max_events_bounds_the_run() {
    let build = || {
        let mut sim = SimInit::new();
        let ctx = sim.ctx();
        sim.spawn("ticker", async move {
            loop {
                ctx.delay(10).await;
            }
        });
        sim
    };
    let mut sim = build().start().unwrap();
    let stopped = sim.run_until(95).unwrap();
    assert_eq!(
        (stopped.reason, stopped.time, stopped.events),
        (EndReason::Until, 95, 10)
    );
    let mut sim = build().start().unwrap();
    let stopped = sim
        .run_with(Limits {
            until: None,
            max_events: Some(4),
        })
        .unwrap();
    assert_eq!(
        (stopped.reason, stopped.time, stopped.events),
        (EndReason::MaxEvents, 30, 4)
    );
    let report = sim.finish().unwrap().report;
    assert_eq!((report.reason, report.events), (EndReason::MaxEvents, 4));
    assert_eq!(report.waiting[0].wait, Wait::Delay);
}

#[test]
fn many_processes_exchange_tokens() {
    let mut sim = SimInit::new();
    pipeline_model::build(&mut sim, 10_000, 3);
    let report = sim.run().unwrap().report;
    assert_eq!(report.handshakes, 3 * 10_001);
    assert_eq!(report.waiting.len(), 10_000); // every buffer waits for a fourth token
    assert!(report
        .waiting
        .iter()
        .all(|w| matches!(w.wait, Wait::Receive(_))));
}

#[test]
fn spawned_branches_run_in_parallel_and_report_as_their_process() {
    let mut sim = SimInit::new();
    let out = transcript(&mut sim);
    let ctx = sim.ctx();
    sim.spawn("parent", async move {
        let c = ctx.clone();
        ctx.spawn_branch(async move {
            c.delay(4).await;
            c.log("branch");
        });
        ctx.delay(2).await;
        ctx.log("main");
    });
    sim.run().unwrap();
    let text = out.text();
    assert!(text.contains("                   2  parent  log  main\n                   2  parent  end\n                   4  parent  log  branch\n"), "{text}");
}

#[test]
fn pipeline_runs_are_byte_identical() {
    let run = || {
        let mut sim = SimInit::new();
        let out = transcript(&mut sim);
        pipeline_model::build(&mut sim, 5, 20);
        sim.run().unwrap();
        out.text()
    };
    let first = run();
    assert!(first.lines().count() > 100);
    assert_eq!(first, run());
}

#[test]
fn failing_process_stops_the_run() {
    let mut sim = SimInit::new();
    let out = transcript(&mut sim);
    let ctx = sim.ctx();
    let c2 = sim.ctx();
    sim.spawn("bad", async move {
        ctx.delay(5).await;
        ctx.fail("assertion failed");
        ctx.delay(1).await;
    });
    sim.spawn("other", async move {
        loop {
            c2.delay(1).await;
        }
    });
    let report = sim.run().unwrap().report;
    assert_eq!(report.reason, EndReason::Failed);
    assert_eq!(report.time, 5);
    assert!(out
        .text()
        .contains("                   5  bad  error  assertion failed\n"));
}

/// A library delay past the clock's end stops the run with a time overflow error (it neither
/// panics nor wraps, nor waits forever at the last time).
#[test]
fn a_delay_past_the_end_of_the_clock_fails_the_run() {
    let mut sim = SimInit::new();
    let out = transcript(&mut sim);
    let ctx = sim.ctx();
    let trace = Trace::default();
    let t = trace.clone();
    sim.spawn("late", async move {
        ctx.delay(u64::MAX - 5).await;
        t.push(ctx.now(), "at the end");
        ctx.delay(6).await;
        t.push(ctx.now(), "never");
    });
    let report = sim.run().unwrap().report;
    assert_eq!(trace.take(), vec![(u64::MAX - 5, "at the end".to_string())]);
    assert_eq!(report.reason, EndReason::Failed);
    assert_eq!(report.time, u64::MAX - 5);
    assert!(
        out.text().contains(
            "late  error  time overflow: 6 ticks after time 18446744073709551610 is past the last time"
        ),
        "{}",
        out.text()
    );
}

/// A run paused with `run_until` and resumed ends once, when it is finished: one end block,
/// after every event.
#[test]
fn a_resumed_run_ends_once() {
    let mut sim = SimInit::new();
    let out = transcript(&mut sim);
    let (tx, rx) = sim.channel_between::<u32>("a.R", "b.L", 10);
    sim.spawn("a", async move {
        for v in 0..3 {
            tx.send(v).await;
        }
    });
    sim.spawn("b", async move {
        for _ in 0..3 {
            rx.recv().await;
        }
    });
    let mut sim = sim.start().unwrap();
    let paused = sim.run_until(15).unwrap();
    assert_eq!((paused.reason, paused.time), (EndReason::Until, 15));
    assert!(!out.text().contains("# end"), "{}", out.text());
    let stopped = sim.run().unwrap();
    assert_eq!(stopped.reason, EndReason::Idle);
    // Running an idle simulation again changes nothing.
    assert_eq!(sim.run().unwrap(), stopped);
    assert!(!out.text().contains("# end"), "{}", out.text());
    let report = sim.finish().unwrap().report;
    assert_eq!((report.reason, report.time), (EndReason::Idle, 30));
    let text = out.text();
    assert_eq!(text.matches("# end at").count(), 1, "{text}");
    assert!(text.contains("# end at 30 (idle)"), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    let last_event = lines.iter().rposition(|l| !l.starts_with('#')).unwrap();
    let end = lines.iter().position(|l| l.starts_with("# end")).unwrap();
    assert!(end > last_event, "{text}");
}

/// `finish` closes a paused run where it stopped.
#[test]
fn a_paused_run_can_be_ended_where_it_is() {
    let mut sim = SimInit::new();
    let out = transcript(&mut sim);
    let ctx = sim.ctx();
    sim.spawn("ticker", async move {
        loop {
            ctx.delay(10).await;
        }
    });
    let mut sim = sim.start().unwrap();
    sim.run_until(25).unwrap();
    let report = sim.finish().unwrap().report;
    assert_eq!((report.reason, report.time), (EndReason::Until, 25));
    assert_eq!(out.text().matches("# end at 25 (until)").count(), 1);
}

/// A wait event: (time, waiter, process name, waiting).
type WaitSeen = (u64, Waiter, String, bool);

/// Records the wait events of a run.
struct WaitRecorder {
    seen: Rc<RefCell<Vec<WaitSeen>>>,
    wants: bool,
}

impl Observer for WaitRecorder {
    fn event(&mut self, registry: &Registry, event: &Event<'_>) -> std::io::Result<()> {
        if let Event::Wait {
            time,
            party,
            process,
            waiting,
            ..
        } = *event
        {
            let name = registry.process(process).to_string();
            self.seen.borrow_mut().push((time, party, name, waiting));
        }
        Ok(())
    }
    fn wants_waits(&self) -> bool {
        self.wants
    }
    fn finish(&mut self, _: &Registry, _: &chpsim::EndReport) -> std::io::Result<()> {
        Ok(())
    }
}

/// The probe scenario above, with its waits recorded (`wants`: whether the observer asks).
fn waits_of_probe_scenario(wants: bool) -> Vec<WaitSeen> {
    let mut sim = SimInit::new();
    let (tx, rx) = sim.channel_between::<u32>("a.R", "b.L", 10);
    let seen = Rc::new(RefCell::new(Vec::new()));
    sim.add_observer(WaitRecorder {
        seen: seen.clone(),
        wants,
    });
    let c1 = sim.ctx();
    sim.spawn("a", async move {
        c1.delay(30).await;
        tx.send(5).await; // fires at 40; the receiver arrives at 50
    });
    sim.spawn("b", async move {
        rx.wait_for_sender().await; // from 0 to 40
        rx.recv().await;
    });
    sim.run().unwrap();
    let waits = seen.borrow().clone();
    waits
}

#[test]
fn waits_are_reported_from_start_to_stop_to_observers_that_ask() {
    let (a, b) = ("a".to_string(), "b".to_string());
    assert_eq!(
        waits_of_probe_scenario(true),
        vec![
            (0, Waiter::ReceiverProbe, b.clone(), true),
            (40, Waiter::Sender, a.clone(), true),
            (40, Waiter::ReceiverProbe, b, false),
            (50, Waiter::Sender, a, false),
        ]
    );
    assert!(waits_of_probe_scenario(false).is_empty());
}

/// Counts the calls an observer gets, shared with the test after the observer moved in.
#[derive(Clone, Default)]
struct Calls(Rc<RefCell<(u32, u32, u32)>>);

impl chpsim::Observer for Calls {
    fn start(&mut self, _: &chpsim::Registry) -> std::io::Result<()> {
        self.0.borrow_mut().0 += 1;
        Ok(())
    }
    fn event(&mut self, _: &chpsim::Registry, _: &chpsim::Event<'_>) -> std::io::Result<()> {
        self.0.borrow_mut().1 += 1;
        Ok(())
    }
    fn finish(&mut self, _: &chpsim::Registry, _: &chpsim::EndReport) -> std::io::Result<()> {
        self.0.borrow_mut().2 += 1;
        Ok(())
    }
}

/// Starting, running in steps and finishing call an observer's `start` and `finish` once each.
#[test]
fn observers_start_and_finish_once_however_the_run_is_stepped() {
    let mut init = SimInit::new().without_log();
    let calls = Calls::default();
    init.add_observer(calls.clone());
    let ctx = init.ctx();
    init.spawn("ticker", async move {
        for _ in 0..5 {
            ctx.delay(10).await;
        }
    });
    let mut sim = init.start().unwrap();
    assert_eq!(*calls.0.borrow(), (1, 0, 0));
    sim.run_until(25).unwrap();
    sim.run().unwrap();
    sim.run().unwrap();
    assert_eq!(calls.0.borrow().2, 0);
    let finished = sim.finish().unwrap();
    assert_eq!(finished.report.time, 50);
    assert_eq!(*calls.0.borrow(), (1, 1, 1)); // one event: the ticker's end
}

/// `spawn` gives the process's id, which names it in the registry and the end report.
#[test]
fn spawn_returns_the_id_reports_use() {
    let mut init = SimInit::new().without_log();
    let (tx, rx) = init.channel_between::<u8>("a.R", "b.L", 10);
    let a = init.spawn("a", async move { tx.send(1).await });
    let b = init.spawn("b", async move {
        rx.recv().await;
        rx.recv().await;
    });
    assert_ne!(a, b);
    let finished = init.run().unwrap();
    assert_eq!(finished.registry.process(a), "a");
    assert_eq!(finished.registry.process(b), "b");
    let waiting: Vec<_> = finished.report.waiting.iter().map(|w| w.process).collect();
    assert_eq!(waiting, [b]);
    // A process spawned while running gets its id too.
    let mut init = SimInit::new().without_log();
    let ctx = init.ctx();
    let child = Rc::new(RefCell::new(None));
    let c = child.clone();
    init.spawn("parent", async move {
        *c.borrow_mut() = Some(ctx.spawn("child", async {}));
    });
    let finished = init.run().unwrap();
    let child = child.borrow().expect("spawned");
    assert_eq!(finished.registry.process(child), "child");
}

/// A merge waits for whichever input comes first (`Ctx::first_ready`), also when the sender
/// registered before the merge began to wait but becomes visible only later.
#[test]
fn first_ready_takes_inputs_in_the_order_they_arrive() {
    let mut init = SimInit::new().without_log();
    let (a_tx, a_rx) = init.channel_between::<u32>("a.R", "m.A", 10);
    let (b_tx, b_rx) = init.channel_between::<u32>("b.R", "m.B", 10);
    let (ca, cb, cm) = (init.ctx(), init.ctx(), init.ctx());
    init.spawn("a", async move {
        for v in [1, 2] {
            ca.delay(30).await;
            a_tx.send(v).await;
        }
    });
    init.spawn("b", async move {
        for v in [10, 20] {
            b_tx.send(v).await; // visible at 10: the merge is already waiting
            cb.delay(5).await;
        }
    });
    let trace = Trace::default();
    let t = trace.clone();
    init.spawn("m", async move {
        for _ in 0..4 {
            let v = match cm.first_ready(&[&a_rx, &b_rx]).await {
                0 => a_rx.recv().await,
                _ => b_rx.recv().await,
            };
            t.push(cm.now(), v.to_string());
        }
    });
    let report = init.run().unwrap().report;
    assert_eq!(report.handshakes, 4);
    let got: Vec<String> = trace.take().into_iter().map(|(_, v)| v).collect();
    assert_eq!(got, ["10", "20", "1", "2"]);
}

/// `log_to` sends a library process's log lines, in ACT's format, where it is told; by
/// default they go to standard output.
#[test]
fn log_lines_print_in_acts_format() {
    let out = MemoryOutput::default();
    let mut init = SimInit::new().log_to(out.clone());
    let ctx = init.ctx();
    init.spawn("top.p", async move {
        ctx.delay(7).await;
        ctx.log("hello");
    });
    init.run().unwrap();
    assert_eq!(out.text(), "[                   7] <top.p>  hello\n");
}
