//! actsim's `watch` lines for channels: `C: recv-blocked`, `C : send value: 18 (0x12)`,
//! `C: recv-wakeup value: 18 (0x12)   [by s]`, printed as the run reaches them.
use std::cell::RefCell;
use std::collections::HashSet;
use std::io::{self, Write};
use std::rc::Rc;

use crate::kernel::{
    ChanId, EndReport, Event, Observer, ProcId, Registry, Time, TraceValue, Waiter,
};

/// The names being watched, shared between the session (which adds and removes them) and the
/// observer (which prints).
pub(crate) type Watched = Rc<RefCell<Vec<String>>>;

/// Prints a line for each thing that happens on a watched channel.
pub(crate) struct WatchPrinter {
    watched: Watched,
    out: Box<dyn Write>,
    /// Channels whose receiver waits for its sender: their handshake wakes it up.
    receiver_blocked: HashSet<ChanId>,
}

impl WatchPrinter {
    pub(crate) fn new(watched: Watched, out: Box<dyn Write>) -> Self {
        Self {
            watched,
            out,
            receiver_blocked: HashSet::new(),
        }
    }

    /// The name the channel is watched under, if it is.
    fn watched_name(&self, registry: &Registry, channel: ChanId) -> Option<String> {
        let watched = self.watched.borrow();
        let info = registry.channel(channel);
        let found = info
            .names()
            .find_map(|name| watched.iter().find(|w| *w == name));
        found.cloned()
    }

    fn line(&mut self, time: Time, process: &str, text: &str) -> io::Result<()> {
        writeln!(self.out, "[{time:>20}] <{process}>  {text}")
    }
}

/// actsim's `18 (0x12)`.
fn shown_value(value: &TraceValue<'_>) -> String {
    let hex = match value {
        TraceValue::None => return "0 (0x0)".into(),
        TraceValue::Bool(b) => format!("{:x}", u8::from(*b)),
        TraceValue::Uint(v) => format!("{v:x}"),
        TraceValue::Int(v) => format!("{v:x}"),
        TraceValue::Bits(v) => format!("{v:x}"),
        TraceValue::Wide(v) => format!("{v:x}"),
    };
    format!("{value} (0x{hex})")
}

fn process_name(registry: &Registry, process: ProcId) -> &str {
    registry.process(process)
}

impl Observer for WatchPrinter {
    fn wants_waits(&self) -> bool {
        true
    }

    fn event(&mut self, registry: &Registry, event: &Event<'_>) -> io::Result<()> {
        match *event {
            Event::Wait {
                time,
                channel,
                party: Waiter::Receiver,
                process,
                waiting: true,
            } => {
                if let Some(name) = self.watched_name(registry, channel) {
                    self.receiver_blocked.insert(channel);
                    let text = format!("{name}: recv-blocked");
                    self.line(time, process_name(registry, process), &text)?;
                }
            }
            Event::Handshake {
                time,
                channel,
                sender,
                receiver,
                value,
            } => {
                let woken = self.receiver_blocked.remove(&channel);
                if let Some(name) = self.watched_name(registry, channel) {
                    let value = shown_value(&value);
                    let (sender, receiver) = (
                        process_name(registry, sender).to_owned(),
                        process_name(registry, receiver).to_owned(),
                    );
                    if woken {
                        self.line(time, &sender, &format!("{name} : send value: {value}"))?;
                        let text = format!("{name}: recv-wakeup value: {value}   [by {sender}]");
                        self.line(time, &receiver, &text)?;
                    } else {
                        self.line(time, &receiver, &format!("{name}: recv value: {value}"))?;
                        let text = format!("{name} : send complete   [by {receiver}]");
                        self.line(time, &sender, &text)?;
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn finish(&mut self, _: &Registry, _: &EndReport) -> io::Result<()> {
        self.out.flush()
    }
}
