//! Channel and process statistics (`--stats`, `--stats-file`): how often each channel
//! completes a handshake, how long its sender and its receiver wait for each other, how much of
//! the run each process spends blocked, and which channel is slowest.
//!
//! A [`StatsCollector`] is an observer that asks for the kernel's wait events; at the end of
//! the run it leaves a [`Stats`] behind, which renders as a text table ([`Stats::to_text`]) or
//! as JSON (it is `serde` data). Every share is of the run's whole time, 0 to its end.
use std::cell::RefCell;
use std::io;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::kernel::{ChanId, EndReport, Event, Observer, ProcId, Registry, Time};

/// The statistics of one run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// The time the run ended; shares are of this many ticks.
    pub end_time: Time,
    /// One entry per channel, in the design's order.
    pub channels: Vec<ChannelStats>,
    /// One entry per process, in the design's order.
    pub processes: Vec<ProcessStats>,
    /// The channel with the longest mean cycle (none when no channel completed two handshakes).
    pub slowest: Option<Slowest>,
}

/// One channel's statistics.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChannelStats {
    /// The sending end, e.g. `top.src.R`.
    pub sender: String,
    /// The receiving end, e.g. `top.b[0].L`.
    pub receiver: String,
    /// Handshakes completed.
    pub handshakes: u64,
    /// Time of the first handshake.
    pub first: Option<Time>,
    /// Time of the last handshake.
    pub last: Option<Time>,
    /// The mean time between two handshakes, (last − first) / (handshakes − 1): the channel's
    /// cycle time.
    pub mean_cycle: Option<f64>,
    /// The shortest time between two successive handshakes.
    pub min_cycle: Option<Time>,
    /// Ticks during which the sender waited for the receiver (a send not yet taken, or a guard
    /// at the sending end waiting for a receiver to arrive).
    pub sender_waited: Time,
    /// Ticks during which the receiver waited for the sender (likewise).
    pub receiver_waited: Time,
    /// `sender_waited` / `end_time`.
    pub sender_wait_share: f64,
    /// `receiver_waited` / `end_time`.
    pub receiver_wait_share: f64,
}

/// One process's statistics.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProcessStats {
    /// Its instance path.
    pub name: String,
    /// Ticks during which at least one of its actions waited on a channel (a send, a receive,
    /// or a guard waiting for a party to arrive at a channel it probes).
    pub blocked: Time,
    /// `blocked` / `end_time`.
    pub blocked_share: f64,
}

/// The channel with the longest mean cycle: the one that sets the pace.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Slowest {
    /// Index into [`Stats::channels`].
    pub channel: usize,
    /// `sender -> receiver`.
    pub name: String,
    /// Its mean cycle.
    pub mean_cycle: f64,
    /// How many channels have exactly this mean cycle (it included): in a pipeline that runs
    /// at one rate, all of them.
    pub sharing: usize,
}

/// Time spent waiting by one side of a channel, or by one process: the union of its waits
/// (several of its parties may wait at once).
#[derive(Clone, Copy, Debug, Default)]
struct WaitTally {
    waiting: u32,
    since: Time,
    total: Time,
}

impl WaitTally {
    fn change(&mut self, time: Time, waiting: bool) {
        if waiting {
            if self.waiting == 0 {
                self.since = time;
            }
            self.waiting += 1;
        } else if self.waiting > 0 {
            self.waiting -= 1;
            if self.waiting == 0 {
                self.total += time.saturating_sub(self.since);
            }
        }
    }

    /// The total, with a wait still going on counted up to `end`.
    fn total_at(&self, end: Time) -> Time {
        match self.waiting {
            0 => self.total,
            _ => self.total + end.saturating_sub(self.since),
        }
    }
}

#[derive(Clone, Copy, Debug, Default)]
struct ChannelTally {
    handshakes: u64,
    first: Time,
    last: Time,
    min_gap: Option<Time>,
    sender: WaitTally,
    receiver: WaitTally,
}

/// The observer that gathers [`Stats`]; read them with [`StatsCollector::handle`] after the run.
#[derive(Debug, Default)]
pub struct StatsCollector {
    channels: Vec<ChannelTally>,
    processes: Vec<WaitTally>,
    result: Rc<RefCell<Option<Stats>>>,
}

/// Where a [`StatsCollector`] leaves its [`Stats`] when the run ends.
pub type StatsHandle = Rc<RefCell<Option<Stats>>>;

impl StatsCollector {
    /// A collector with nothing gathered yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Holds the statistics once the run has ended.
    pub fn handle(&self) -> StatsHandle {
        self.result.clone()
    }

    fn channel(&mut self, id: ChanId) -> &mut ChannelTally {
        let id = id.index();
        if id >= self.channels.len() {
            self.channels.resize(id + 1, ChannelTally::default());
        }
        &mut self.channels[id]
    }

    fn process(&mut self, id: ProcId) -> &mut WaitTally {
        let id = id.index();
        if id >= self.processes.len() {
            self.processes.resize(id + 1, WaitTally::default());
        }
        &mut self.processes[id]
    }
}

impl Observer for StatsCollector {
    fn wants_waits(&self) -> bool {
        true
    }

    fn event(&mut self, _registry: &Registry, event: &Event<'_>) -> io::Result<()> {
        match *event {
            Event::Handshake { time, channel, .. } => {
                let c = self.channel(channel);
                if c.handshakes == 0 {
                    c.first = time;
                } else {
                    let gap = time - c.last;
                    c.min_gap = Some(c.min_gap.map_or(gap, |m| m.min(gap)));
                }
                c.handshakes += 1;
                c.last = time;
            }
            Event::Wait {
                time,
                channel,
                party,
                process,
                waiting,
                ..
            } => {
                let c = self.channel(channel);
                let side = if party.at_sender() {
                    &mut c.sender
                } else {
                    &mut c.receiver
                };
                side.change(time, waiting);
                self.process(process).change(time, waiting);
            }
            _ => {}
        }
        Ok(())
    }

    fn finish(&mut self, registry: &Registry, report: &EndReport) -> io::Result<()> {
        let end = report.time;
        let share = |ticks: Time| {
            if end == 0 {
                0.0
            } else {
                ticks as f64 / end as f64
            }
        };
        let channels: Vec<ChannelStats> = registry
            .channels()
            .map(|(id, info)| {
                let c = self.channels.get(id.index()).copied().unwrap_or_default();
                let (sender_waited, receiver_waited) =
                    (c.sender.total_at(end), c.receiver.total_at(end));
                let seen = c.handshakes > 0;
                ChannelStats {
                    sender: info.sender_end.clone(),
                    receiver: info.receiver_end.clone(),
                    handshakes: c.handshakes,
                    first: seen.then_some(c.first),
                    last: seen.then_some(c.last),
                    mean_cycle: (c.handshakes > 1)
                        .then(|| (c.last - c.first) as f64 / (c.handshakes - 1) as f64),
                    min_cycle: c.min_gap,
                    sender_waited,
                    receiver_waited,
                    sender_wait_share: share(sender_waited),
                    receiver_wait_share: share(receiver_waited),
                }
            })
            .collect();
        let processes = registry
            .processes()
            .map(|(id, name)| {
                let blocked = self
                    .processes
                    .get(id.index())
                    .map_or(0, |p| p.total_at(end));
                ProcessStats {
                    name: registry.shown_path(name).to_string(),
                    blocked,
                    blocked_share: share(blocked),
                }
            })
            .collect();
        let slowest = slowest(&self.channels, &channels);
        *self.result.borrow_mut() = Some(Stats {
            end_time: end,
            channels,
            processes,
            slowest,
        });
        Ok(())
    }
}

/// The channel with the longest mean cycle (the first of equals), compared exactly: `(last −
/// first) / (n − 1)` as a fraction, so that equal rates are found equal.
fn slowest(tallies: &[ChannelTally], channels: &[ChannelStats]) -> Option<Slowest> {
    let cycle = |c: &ChannelTally| {
        (c.handshakes > 1).then(|| ((c.last - c.first) as u128, (c.handshakes - 1) as u128))
    };
    let cycles: Vec<(usize, (u128, u128))> = (tallies.iter().enumerate())
        .take(channels.len())
        .filter_map(|(id, c)| cycle(c).map(|f| (id, f)))
        .collect();
    let longer = |(a, b): (u128, u128), (c, d): (u128, u128)| a * d > c * b;
    let &(id, best) = cycles.iter().fold(
        None,
        |best: Option<&(usize, (u128, u128))>, candidate| match best {
            Some(b) if !longer(candidate.1, b.1) => Some(b),
            _ => Some(candidate),
        },
    )?;
    let sharing = cycles
        .iter()
        .filter(|(_, f)| f.0 * best.1 == best.0 * f.1)
        .count();
    let c = &channels[id];
    Some(Slowest {
        channel: id,
        name: format!("{} -> {}", c.sender, c.receiver),
        mean_cycle: c.mean_cycle.unwrap_or_default(),
        sharing,
    })
}

impl Stats {
    /// The statistics as a table for people: one line per channel, then per process, then the
    /// slowest channel and the channel where tokens queue most.
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "channel statistics (waits are shares of the run's {} ticks):\n",
            self.end_time
        );
        out.push_str(
            "  handshakes      first       last  mean cycle  min cycle  sender waits  receiver waits  channel\n",
        );
        let time = |t: Option<Time>| t.map_or("-".to_string(), |t| t.to_string());
        for c in &self.channels {
            out.push_str(&format!(
                "  {:>10} {:>10} {:>10} {:>11} {:>10} {:>13} {:>15}  {} -> {}\n",
                c.handshakes,
                time(c.first),
                time(c.last),
                c.mean_cycle.map_or("-".to_string(), |m| format!("{m:.1}")),
                time(c.min_cycle),
                percent(c.sender_wait_share),
                percent(c.receiver_wait_share),
                c.sender,
                c.receiver,
            ));
        }
        out.push_str("process statistics:\n  blocked  process\n");
        for p in &self.processes {
            out.push_str(&format!("  {:>7}  {}\n", percent(p.blocked_share), p.name));
        }
        match &self.slowest {
            Some(s) => out.push_str(&format!(
                "slowest channel: {}, a handshake every {:.1} ticks on average ({} of {} \
                 channels run at that rate)\n",
                s.name,
                s.mean_cycle,
                s.sharing,
                self.channels.iter().filter(|c| c.handshakes > 1).count(),
            )),
            None => out.push_str("slowest channel: none (no channel completed two handshakes)\n"),
        }
        out.push_str(&self.queue_line());
        out
    }

    /// Where tokens queue: the channel whose sender waits longest, i.e. whose receiving side
    /// cannot keep up.
    fn queue_line(&self) -> String {
        let most = (self.channels.iter()).filter(|c| c.sender_waited > 0).fold(
            None,
            |best: Option<&ChannelStats>, c| match best {
                Some(b) if b.sender_waited >= c.sender_waited => Some(b),
                _ => Some(c),
            },
        );
        match most {
            Some(c) => format!(
                "tokens queue most at: {} -> {} (its sender waits {} of the time for the \
                 receiver)\n",
                c.sender,
                c.receiver,
                percent(c.sender_wait_share)
            ),
            None => "tokens queue nowhere: no sender ever waits for its receiver\n".to_string(),
        }
    }
}

fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}
