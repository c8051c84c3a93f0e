//! The CHP interpreter: runs an elaborated [`Design`](crate::elab::ir::Design) on the kernel.
//!
//! Each program is compiled once to flat code ([`code`]), shared by all its instances; each
//! instance becomes a kernel process ([`process`]) with its own variables and channel ends.
pub mod code;
pub mod deadlock;
pub mod eval;
pub mod process;
pub mod value;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::elab::ir::{Design, Dir, Program};
use crate::kernel::{
    ChanId, EndReport, Limits, Observer, ProcId, Receiver, Registry, RunError, Sender, Sim, Time,
};
pub use process::RuntimeError;
use process::{Port, Process, RunShared, Thread};
use value::Value;

/// Both ends of a channel, until the processes owning them take them.
type ChannelEnds = (Option<Sender<Value>>, Option<Receiver<Value>>);

/// ACT's default delay for every action, in ticks.
pub const DEFAULT_DELAY: Time = 10;

#[derive(Clone, Copy, Debug)]
pub struct RunOptions {
    pub seed: u64,
    /// Delay of every action that has no delay of its own.
    pub delay: Time,
    pub limits: Limits,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            seed: 0,
            delay: DEFAULT_DELAY,
            limits: Limits::default(),
        }
    }
}

/// How a run ended.
#[derive(Debug)]
pub struct Outcome {
    pub report: EndReport,
    /// The runtime error that stopped the run, if one did.
    pub error: Option<RuntimeError>,
    /// Names of the channels and processes the report's ids refer to.
    pub registry: Registry,
}

/// A design ready to run.
pub struct Simulation {
    sim: Sim,
    run: Rc<RunShared>,
    limits: Limits,
}

impl Simulation {
    pub fn new(design: &Design, options: RunOptions) -> Self {
        let mut sim = Sim::new();
        let mut ends: Vec<ChannelEnds> = design
            .channels
            .iter()
            .map(|c| {
                let mut info = c.info.clone();
                info.width = c.ty.map_or(0, |t| t.width());
                let (s, r) = sim.channel_with_width::<Value>(info, options.delay);
                (Some(s), Some(r))
            })
            .collect();
        let run = Rc::new(RunShared {
            ctx: sim.ctx(),
            rng: RefCell::new(ChaCha8Rng::seed_from_u64(options.seed)),
            fault: RefCell::new(None),
        });
        let mut compiled: HashMap<*const Program, Rc<[code::Instr]>> = HashMap::new();
        for instance in &design.processes {
            let program = &instance.program;
            let code = compiled
                .entry(Rc::as_ptr(program))
                .or_insert_with(|| code::compile(&program.body).into())
                .clone();
            let ports = program
                .ports
                .iter()
                .zip(&instance.ports)
                .map(|(slot, &channel)| match slot.dir {
                    Dir::Send => Port::Send {
                        end: ends[channel]
                            .0
                            .take()
                            .expect("elaboration gives each channel one sender"),
                        ty: slot.ty,
                    },
                    Dir::Receive => Port::Receive {
                        end: ends[channel]
                            .1
                            .take()
                            .expect("elaboration gives each channel one receiver"),
                    },
                })
                .collect();
            let vars = program
                .vars
                .iter()
                .map(|v| Value::Small(0).truncated(v.ty.width()))
                .collect();
            let process = Rc::new(Process {
                path: instance.path.clone(),
                code,
                vars: RefCell::new(vars),
                ports,
                delay: options.delay,
                run: run.clone(),
            });
            sim.spawn(instance.path.clone(), Thread::new(process, 0, None));
        }
        Self {
            sim,
            run,
            limits: options.limits,
        }
    }

    /// See [`Sim::on_progress`].
    pub fn on_progress(&mut self, report: crate::kernel::ProgressCallback) {
        self.sim.on_progress(report);
    }

    pub fn add_observer(&mut self, observer: Box<dyn Observer>) {
        self.sim.add_observer(observer);
    }

    pub fn run(mut self) -> Result<Outcome, RunError> {
        let report = self.sim.run_with(self.limits)?;
        let error = self.run.fault.borrow_mut().take();
        let registry = self.sim.registry().clone();
        Ok(Outcome {
            report,
            error,
            registry,
        })
    }

    /// Channel → (sending process, receiving process). Processes are spawned in the design's
    /// order, so a process's id is its index there.
    pub fn channel_peers(&self, design: &Design) -> HashMap<ChanId, (ProcId, ProcId)> {
        let mut peers: HashMap<ChanId, (ProcId, ProcId)> = HashMap::new();
        for (id, instance) in design.processes.iter().enumerate() {
            for (slot, &channel) in instance.program.ports.iter().zip(&instance.ports) {
                let entry = peers.entry(channel as ChanId).or_insert((0, 0));
                match slot.dir {
                    Dir::Send => entry.0 = id as ProcId,
                    Dir::Receive => entry.1 = id as ProcId,
                }
            }
        }
        peers
    }
}
