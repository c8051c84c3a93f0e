//! The CHP interpreter: runs an elaborated [`Design`] on the kernel.
//!
//! Each program is compiled once to flat code ([`code`]), shared by all its instances; each
//! instance becomes a kernel process ([`process`]) with its own variables and channel ends,
//! run by a [`thread`] (one more per parallel branch) that evaluates expressions ([`eval`]) on
//! [`value`]s and stores them into places (`place`), calling user functions ([`function`]).
//! A thread's fault becomes the run's [`RuntimeError`] ([`error`]); `trace` shows variable
//! writes in the waveform (`--vcd-vars`), [`random_delay`] draws `--random-delay`'s delays
//! from the run's one [`random_stream`] (actsim's `rand_r`), and [`deadlock`] explains what
//! is still waiting when the run ends.
pub(crate) mod code;
pub(crate) mod control;
pub(crate) mod coverage;
pub(crate) mod deadlock;
pub(crate) mod error;
pub(crate) mod eval;
pub(crate) mod external;
pub(crate) mod function;
pub(crate) mod inspect;
mod place;
pub(crate) mod port;
pub(crate) mod process;
pub(crate) mod random_delay;
pub(crate) mod random_stream;
pub(crate) mod reset;
pub(crate) mod thread;
mod trace;
pub(crate) mod value;
mod wired;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use smallvec::SmallVec;

use crate::elab::ir::{Design, Dir, Program, SharedPiece, Ty, UNBOUND, WIRED};
use crate::elab::structure::FILE_SCOPE;
use crate::kernel::{
    ChannelInfo, EndReport, Limits, Observer, OutputError, ProcId, Receiver, Registry, Sender,
    SimInit, Time,
};
use deadlock::Peers;
pub use error::{
    ChannelAction, Flavor, MutexViolation, MutexViolations, RuntimeError, RuntimeErrorKind,
};
use port::Port;
use process::{Process, RunShared};
pub use random_delay::{DelayRange, DelayRangeError};
use random_stream::RandomStream;
use thread::Thread;
use trace::TracedVars;
use value::Value;

/// Both ends of a channel, until the processes owning them take them.
type ChannelEnds = (Option<Sender<Value>>, Option<Receiver<Value>>);

/// ACT's default delay for every action, in ticks.
pub(crate) const DEFAULT_DELAY: Time = 10;

/// actsim's message when a process reads the value of a channel carrying records (or a
/// field of it) on which no sender waits; it goes on with a value (0 here).
pub(crate) const NO_WAITING_SENDER: &str = "ERROR: reading channel state without waiting sender!";

/// actsim's message when it evaluates a record variable as a value (see
/// [`crate::elab::ir::ExprKind::StructureAsValue`]).
pub(crate) const STRUCTURE_AS_VALUE: &str =
    "ERROR: Evaluating a structure as an expression; skipping and using value 0.";

#[derive(Clone, Copy, Debug)]
pub(crate) struct RunOptions {
    /// The seed of the run's random stream (modulo 2^32) and of `rand_init`.
    pub seed: u64,
    /// `[| |]` draws among its true guards from the random stream (else: the first true
    /// guard), and so do `mk_excl*` groups among their pending transitions.
    pub random_choice: bool,
    /// Delay of every action that has no delay of its own.
    pub delay: Time,
    /// Draw every non-zero delay from this range (see [`random_delay`]).
    pub random_delay: Option<DelayRange>,
    pub limits: Limits,
    /// Report every write of every variable to the observers (the waveform's `--vcd-vars`).
    pub trace_variables: bool,
    /// Report every value a CHP end sends or receives over wires (see
    /// [`crate::elab::ir::Program::wired_values`]) to the observers (the waveform shows it).
    pub trace_wired_values: bool,
    /// Check `exclhi`/`excllo` directives (actsim checks them only when run with `-m`).
    pub excl_monitors: bool,
    /// Keep every process's state reachable by name while the run is paused (actsim's `get`
    /// and `set`, see [`inspect`]).
    pub inspectable: bool,
    /// A failed `assert` prints its line and pauses the run (as a breakpoint does) rather
    /// than stopping it with a runtime error; the process goes on after it (actsim's
    /// behaviour under its commands). One in a function prints its line without the newline
    /// and the function goes on, as actsim's does.
    pub assertions_pause: bool,
    /// Count events as actsim's CHP engine does (see [`code::CompileOptions::actsim_events`]):
    /// `chpsim actsim`'s `step N`.
    pub actsim_events: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            seed: 0,
            random_choice: false,
            delay: DEFAULT_DELAY,
            random_delay: None,
            limits: Limits::default(),
            trace_variables: false,
            trace_wired_values: false,
            excl_monitors: false,
            inspectable: false,
            assertions_pause: false,
            actsim_events: false,
        }
    }
}

/// How a run ended.
#[derive(Debug)]
pub(crate) struct Outcome {
    pub report: EndReport,
    /// The runtime error that stopped the run, if one did.
    pub error: Option<RuntimeError>,
    /// The guards that held several at once, after which the run went on.
    pub mutex_violations: MutexViolations,
    /// Names of the channels and processes the report's ids refer to.
    pub registry: Registry,
    /// For each channel, its (sending, receiving) process.
    pub peers: Vec<(Option<ProcId>, Option<ProcId>)>,
}

/// A design ready to run.
pub(crate) struct Simulation {
    sim: SimInit,
    run: Rc<RunShared>,
    limits: Limits,
    peers: Vec<(Option<ProcId>, Option<ProcId>)>,
    processes: inspect::Processes,
    /// Set while actsim's reset phase (see [`reset`]) has yet to end; never set without one.
    reset_phase_running: Rc<Cell<bool>>,
}

impl Simulation {
    /// Builds the processes and channels of `design`, which it takes apart: names move into the
    /// kernel's registry rather than being copied (a million-process design is mostly names).
    pub(crate) fn new(design: Design, options: RunOptions) -> Self {
        // The driver decides where log lines go (an observer of its own).
        let mut sim = SimInit::new().without_log();
        if options.actsim_events {
            sim.order_as_actsim();
        }
        // The top given as a process has the empty path; otherwise only the file scope's CHP does.
        sim.name_top(design.root_scope.as_deref().unwrap_or(FILE_SCOPE));
        let mut ends: Vec<ChannelEnds> = Vec::with_capacity(design.channels.len());
        for channel in design.channels {
            let info = ChannelInfo {
                width: channel.ty.map_or(0, |t| t.width()),
                ..channel.info
            };
            let (s, r) = sim.channel_with_width::<Value>(info, options.delay);
            ends.push((Some(s), Some(r)));
        }
        for names in design.wired_channels {
            sim.wired_channel(names);
        }
        // `--seed` modulo 2^32, as C's `unsigned` seed of `rand_r` takes it.
        let random = Rc::new(RandomStream::new(
            options.seed as u32,
            options.random_delay,
            options.random_choice,
        ));
        let circuit = design
            .circuit
            .map(|c| circuit(c, &mut sim, &options, &random, design.shared_vars));
        let run = Rc::new(RunShared {
            ctx: sim.ctx(),
            random,
            assertions_pause: options.assertions_pause,
            actsim_events: options.actsim_events,
            fault: RefCell::new(None),
            mutex_violations: RefCell::default(),
            locate: RefCell::new(None),
            shared_vars: RefCell::new(vec![Vec::new(); design.shared_vars]),
            circuit: circuit.clone(),
            externals: Default::default(),
            wired_pairs: RefCell::new(vec![Default::default(); design.wired_pairs]),
            reset_mode: Cell::new(false),
            records_x: RefCell::new(Vec::new()),
            carries_x: Cell::new(false),
        });
        // For each channel, the index in `design.processes` of its (sending, receiving) process.
        // (Process numbers are below the design's limit on instances, far below `u32::MAX`.)
        let mut ends_of: Vec<(Option<u32>, Option<u32>)> = vec![(None, None); ends.len()];
        let mut proc_ids = Vec::with_capacity(design.processes.len());
        let mut kept = inspect::Processes::default();
        if options.inspectable {
            kept.globals = design.global_vars;
        }
        let has_sender = channels_with_a_sender(&design.processes, ends.len());
        type Compiled = (
            Rc<[code::Instr]>,
            Rc<[Option<(Time, code::Pc)>]>,
            Rc<[(String, code::Pc)]>,
        );
        let mut compiled: HashMap<*const Program, Compiled> = HashMap::new();
        // With `Initialize`, or a channel between CHP and a circuit, every process is held until
        // actsim's reset phase lets it start.
        let inits_wires = |instance: &crate::elab::ir::ProcessInstance| {
            let ends = (&instance.ports[..], &instance.silent_inits[..]);
            (instance.program.wired_init.iter()).any(|(slot, _)| runs_init(ends, *slot))
        };
        let (initialize, init_last) = design.initialize;
        let reset_rounds = design.reset_rounds;
        let resets = !initialize.is_empty() || design.processes.iter().any(inits_wires);
        let mut wires_init: Vec<(Rc<Process>, Vec<usize>)> = Vec::new();
        let mut init_actions = Vec::with_capacity(initialize.len());
        let holding = Rc::new(Cell::new(true));
        let reset_phase_running = if resets {
            holding.clone()
        } else {
            Rc::new(Cell::new(false))
        };
        let mut hse = Vec::new();
        // Taken from the back of a reversed list that shrinks as it empties: a million
        // instances' list is gone by the time their processes are all built.
        let mut instances = design.processes;
        instances.reverse();
        let mut next_id = 0;
        while let Some(instance) = instances.pop() {
            if instances.len() < instances.capacity() / 2 {
                instances.shrink_to_fit();
            }
            let id = next_id;
            next_id += 1;
            let program = &instance.program;
            let (code, plan, labels) = compiled
                .entry(Rc::as_ptr(program))
                .or_insert_with(|| {
                    let compile = code::CompileOptions {
                        actsim_events: options.actsim_events,
                    };
                    let (code, labels) = code::compile(&program.body, &program.labels, compile);
                    // Random delays are drawn per action, when it is reached: no plan folds
                    // them ahead, and the fixed-delay path never asks whether they are random.
                    // Counted as actsim counts them, a pause and a wake-up are events too.
                    let plan = match options.random_delay {
                        None if !options.actsim_events => code::event_plan(&code, options.delay),
                        _ => vec![None; code.len()],
                    };
                    (code.into(), plan.into(), labels.into())
                })
                .clone();
            let (ports, open_inputs) =
                bind_ports(id, program, &instance, &mut ends, &mut ends_of, &has_sender);
            let (vars, undefined) = initial_vars(program);
            let process = ProcId::from_index(id);
            let shared = instance.shared.into_boxed_slice();
            let pieces = instance.shared_pieces.map(Vec::into_boxed_slice);
            let action = initialize.iter().position(|&p| p == id);
            let traced = traced_vars(
                &mut sim,
                process,
                (program, &instance.ports, action.is_some()),
                &vars,
                (&shared, &circuit),
                &options,
            );
            let rare = (!undefined.is_empty() || !shared.is_empty() || !open_inputs.is_empty())
                .then(|| {
                    Box::new(process::Rare {
                        shared: shared.clone(),
                        pieces: pieces.clone(),
                        open_inputs: open_inputs.into_boxed_slice(),
                        undefined,
                        shown_names: instance.shown_names.into_boxed_slice(),
                        ..Default::default()
                    })
                });
            let process = Rc::new(Process {
                code,
                program: program.clone(),
                plan,
                vars: RefCell::new(vars),
                shared_count: shared.len() as u32,
                has_undefined: Cell::new(rare.as_ref().is_some_and(|r| !r.undefined.is_empty())),
                rare: RefCell::new(rare),
                has_watchers: Cell::new(false),
                uses_flavors: Cell::new(false),
                ports,
                traces_vars: traced.is_some(),
                traced,
                // An HSE process acts during the reset phase, which goes on while one of
                // them has an event queued: its threads' positions tell (see
                // [`Process::has_pending_event`]).
                inspection: (options.inspectable || (resets && program.hse)).then(|| {
                    Box::new(RefCell::new(process::Inspection {
                        labels,
                        held_in_reset: !program.hse && action.is_none(),
                        ..Default::default()
                    }))
                }),
                delay: options.delay,
                energy: Cell::new(0),
                run: run.clone(),
            });
            let mut shared_vars = run.shared_vars.borrow_mut();
            for (slot, &shared) in shared.iter().enumerate() {
                let whole = SharedPiece {
                    shared,
                    lo: 0,
                    width: program.vars[slot].ty.width(),
                };
                let held = SharedPiece::held(pieces.as_deref(), slot, &whole);
                for piece in held {
                    shared_vars[piece.shared].push(process::SharedCopy {
                        process: Rc::downgrade(&process),
                        slot,
                        at: piece.lo,
                        width: piece.width,
                    });
                }
            }
            drop(shared_vars);
            if options.inspectable {
                kept.list.push((instance.path.clone(), process.clone()));
            }
            let wired_inits: Vec<usize> = (program.wired_init.iter().enumerate())
                .filter(|(_, (slot, _))| {
                    runs_init((&instance.ports, &instance.silent_inits), *slot)
                })
                .map(|(i, _)| i)
                .collect();
            if !wired_inits.is_empty() {
                wires_init.push((process.clone(), wired_inits));
            }
            let first_delay =
                (process.plan.first().copied().flatten()).map_or(options.delay, |(d, _)| d);
            if resets && program.hse {
                hse.push(process.clone());
            }
            let thread = Thread::new(process, 0, None);
            if !resets || program.hse {
                proc_ids.push(sim.spawn(instance.path, thread));
                continue;
            }
            if let Some(order) = action {
                let (proc_id, task) = sim.spawn_held(instance.path, thread);
                proc_ids.push(proc_id);
                init_actions.push((order, task));
            } else {
                let held = reset::HeldThread::new(thread, first_delay, holding.clone());
                proc_ids.push(sim.spawn(instance.path, held));
            }
        }
        if let Some(circuit) = &circuit {
            // A node's change reaches every CHP copy of its shared variable.
            let shared = Rc::downgrade(&run);
            circuit.on_chp_write(Box::new(move |var, level| {
                let Some(run) = shared.upgrade() else {
                    return;
                };
                for copy in &run.shared_vars.borrow()[var] {
                    if let Some(process) = copy.process.upgrade() {
                        process.node_changed(copy, level);
                    }
                }
            }));
            circuit.start();
        }
        if resets {
            let wires_init: Option<Box<dyn FnOnce()>> =
                (!wires_init.is_empty()).then(|| -> Box<dyn FnOnce()> {
                    Box::new(move || {
                        for (process, inits) in wires_init {
                            for i in inits {
                                let init = &process.program.wired_init[i].1;
                                if let Err(fault) = wired::run_at_once(&process, init) {
                                    process.fail(fault);
                                }
                            }
                        }
                    })
                });
            init_actions.sort_unstable();
            let actions = init_actions.into_iter().map(|(_, task)| task).collect();
            let phase = reset::ResetPhase::new(
                sim.ctx(),
                circuit.clone(),
                (actions, init_last),
                holding,
                wires_init,
            )
            .with_hse(hse)
            .with_max_rounds(reset_rounds.unwrap_or(reset::MAX_ROUNDS))
            .pausing_at_end(options.inspectable);
            sim.ctx().spawn_daemon(
                "reset",
                reset::ResetTask {
                    phase,
                    started: false,
                },
            );
        }
        if options.inspectable {
            kept.env_ends = control::env_ends(ends, &ends_of);
        }
        let process_of = |index: Option<u32>| index.map(|i| proc_ids[i as usize]);
        let peers = (ends_of.into_iter())
            .map(|(sender, receiver)| (process_of(sender), process_of(receiver)))
            .collect();
        Self {
            sim,
            run,
            limits: options.limits,
            peers,
            processes: kept,
            reset_phase_running,
        }
    }

    /// The processes' handle on the kernel (an observer that pauses the run uses it).
    pub(crate) fn ctx(&self) -> crate::kernel::Ctx {
        self.run.ctx.clone()
    }

    /// The run's random stream and what draws from it (see [`random_stream`]).
    pub(crate) fn random(&self) -> &RandomStream {
        &self.run.random
    }

    /// How runtime errors name their place in the transcript (`file:line:column`).
    pub(crate) fn set_locator(&mut self, locate: process::Locator) {
        *self.run.locate.borrow_mut() = Some(locate);
    }

    /// For each channel, its (sending, receiving) process.
    pub(crate) fn peers(&self) -> &Peers {
        &self.peers
    }

    /// See [`SimInit::on_progress`].
    pub(crate) fn on_progress(&mut self, report: crate::kernel::ProgressCallback) {
        self.sim.on_progress(report);
    }

    pub(crate) fn add_observer(&mut self, observer: impl Observer + 'static) {
        self.sim.add_observer(observer);
    }

    /// See [`SimInit::interrupt_when`].
    pub(crate) fn interrupt_when(&mut self, flag: std::sync::Arc<std::sync::atomic::AtomicBool>) {
        self.sim.interrupt_when(flag);
    }

    /// Runs the design within its limits and finishes the run (every observer's `finish` is
    /// called, also after an output error).
    pub(crate) fn run(self) -> Result<Outcome, OutputError> {
        let limits = self.limits;
        let mut running = self.start()?;
        let ran = running.run_with(limits);
        let finished = running.finish();
        ran?;
        finished
    }

    /// Starts the run without running it: the caller runs it piece by piece (actsim's `step`,
    /// `advance`, `cycle`) and then finishes it.
    pub(crate) fn start(self) -> Result<Running, OutputError> {
        Ok(Running {
            sim: self.sim.start()?,
            run: self.run,
            peers: self.peers,
            processes: self.processes,
            reset_phase_running: self.reset_phase_running,
        })
    }
}

/// A started simulation, run in pieces (see [`Simulation::start`]).
pub(crate) struct Running {
    sim: crate::kernel::Sim,
    run: Rc<RunShared>,
    peers: Vec<(Option<ProcId>, Option<ProcId>)>,
    processes: inspect::Processes,
    reset_phase_running: Rc<Cell<bool>>,
}

impl Running {
    /// The run's random stream and what draws from it: actsim's timing commands change them
    /// as the run goes.
    pub(crate) fn random(&self) -> &RandomStream {
        &self.run.random
    }

    /// Runs within `limits` (`max_events` counts the events of the whole run).
    pub(crate) fn run_with(
        &mut self,
        limits: Limits,
    ) -> Result<crate::kernel::Stopped, OutputError> {
        let ctx = self.run.ctx.clone();
        let externals = self.run.externals.clone();
        let go_on = self.run.assertions_pause;
        let sim = &mut self.sim;
        function::with_log_sink(ctx, externals, go_on, || sim.run_with(limits))
    }

    /// The current simulated time.
    pub(crate) fn now(&self) -> Time {
        self.sim.now()
    }

    /// Runs the processes' starts and the circuit's first evaluation, which queue the first
    /// events, and no event (see [`crate::kernel::Sim::settle`]).
    pub(crate) fn settle(&mut self) {
        self.sim.settle();
    }

    /// Whether actsim's reset phase has yet to end; with [`RunOptions::inspectable`] it
    /// pauses the run where it ends. It ends as the run settles when no action runs before
    /// the last ones (one `actions { .. }` per block): then there is nothing to run first.
    pub(crate) fn reset_phase_running(&self) -> bool {
        self.reset_phase_running.get()
    }

    /// Whether no event at all is queued, as actsim's `SimDES::isEmpty` sees its queue: a
    /// CHP thread's next step, a pending (or retracted) transition, a watched send's delayed
    /// trace, a command's `send`/`recv` about to start are events; a process waiting on a
    /// channel or a guard is none (what wakes it is an event of its own).
    pub(crate) fn nothing_queued(&self) -> bool {
        let ctx = &self.run.ctx;
        ctx.queued_events() == 0 && ctx.alarm_time().is_none()
    }

    /// Whether a process has failed (the run cannot go on).
    pub(crate) fn failed(&self) -> bool {
        self.run.fault.borrow().is_some()
    }

    /// Ends the run where it is.
    pub(crate) fn finish(self) -> Result<Outcome, OutputError> {
        let crate::kernel::Finished { report, registry } = self.sim.finish()?;
        let error = self.run.fault.borrow_mut().take();
        let mutex_violations = self.run.mutex_violations.take();
        Ok(Outcome {
            report,
            error,
            mutex_violations,
            registry,
            peers: self.peers,
        })
    }
}

/// The design's production rules on the kernel: its nodes registered (in netlist order), an
/// engine with actsim's default delay (10) drawing its random delays and choices from the
/// run's one stream, `random`, as actsim does.
fn circuit(
    design: crate::elab::ir::Circuit,
    sim: &mut SimInit,
    options: &RunOptions,
    random: &Rc<RandomStream>,
    shared_vars: usize,
) -> Rc<crate::prs::run::Circuit> {
    use crate::prs::engine::{Engine, Timing};
    let first_node = (0..design.netlist.node_count())
        .map(|n| {
            sim.node(
                design
                    .netlist
                    .node_name(crate::kernel::NodeId::from_index(n)),
            )
        })
        .next()
        .map_or(0, |id| id.index());
    for n in 1..design.netlist.node_count() {
        sim.node(
            design
                .netlist
                .node_name(crate::kernel::NodeId::from_index(n)),
        );
    }
    // The waveform shows a node under each of its names, as a channel.
    for (alias, node) in design.netlist.aliases() {
        sim.node_alias(
            crate::kernel::NodeId::from_index(first_node + node.index()),
            alias,
        );
    }
    let timing = Timing {
        default_delay: DEFAULT_DELAY,
        random: random.clone(),
    };
    let mut engine = Engine::new(design.netlist, timing);
    if options.actsim_events {
        engine.use_kernel_queue(sim.ctx());
    }
    if !design.specs.is_empty() {
        let nodes = engine.netlist().node_count();
        let specs = crate::prs::spec::Specs::new(nodes, design.specs, options.excl_monitors)
            .with_rand_init_seed(options.seed as u32);
        engine.set_specs(specs);
    }
    let chp_nodes = (design.chp_var, design.method_wires);
    crate::prs::run::Circuit::new(engine, sim.ctx(), first_node, chp_nodes, shared_vars)
}

/// Which channels some process sends on (a receive port left unconnected has none).
fn channels_with_a_sender(
    processes: &[crate::elab::ir::ProcessInstance],
    count: usize,
) -> Vec<bool> {
    let mut has_sender = vec![false; count];
    for instance in processes {
        for (slot, &channel) in instance.program.ports.iter().zip(&instance.ports) {
            if slot.dir == Dir::Send && channel != UNBOUND && channel != WIRED {
                has_sender[channel] = true;
            }
        }
    }
    has_sender
}

/// The ports of process `id` running `program`, its slots bound as `instance` binds them (to
/// channels; its wired slots to their channels' numbers, and those with CHP at both ends to
/// their pairs): each takes its channel's end (and records the
/// process as that end's in `ends_of`). Also returns the receiving slots whose channel has no
/// sender.
fn bind_ports(
    id: usize,
    program: &Program,
    instance: &crate::elab::ir::ProcessInstance,
    ends: &mut [ChannelEnds],
    ends_of: &mut [(Option<u32>, Option<u32>)],
    has_sender: &[bool],
) -> (SmallVec<[Port; 2]>, Vec<usize>) {
    let mut ports = SmallVec::with_capacity(program.ports.len());
    let mut open_inputs = Vec::new();
    for (slot, &channel) in program.ports.iter().zip(&instance.ports) {
        if channel == WIRED {
            let slot = ports.len();
            let number_of = |list: &[(usize, u32)]| {
                (list.iter().find(|(at, _)| *at == slot)).map(|(_, number)| *number)
            };
            ports.push(Port::Wired {
                pair: number_of(&instance.wired_pairs),
                channel: number_of(&instance.wired_channels)
                    .expect("elaboration numbers every wired channel"),
                blocked: Cell::new(false),
            });
            continue;
        }
        if slot.dir == Dir::Receive && channel != UNBOUND && !has_sender[channel] {
            open_inputs.push(ports.len());
        }
        if channel == UNBOUND {
            ports.push(Port::Unbound);
            continue;
        }
        let (sender, receiver) = &mut ends_of[channel];
        ports.push(match slot.dir {
            Dir::Send => {
                *sender = Some(id as u32);
                let end = ends[channel]
                    .0
                    .take()
                    .expect("elaboration gives each channel one sender");
                Port::Send { end }
            }
            Dir::Receive => {
                *receiver = Some(id as u32);
                let end = ends[channel]
                    .1
                    .take()
                    .expect("elaboration gives each channel one receiver");
                Port::Receive { end }
            }
        });
    }
    (ports, open_inputs)
}

/// The variables of `program` (run by `process` with its slots bound to `ports`, starting
/// with `vars`, sharing `shared`)
/// whose writes the observers see: all of them with `--vcd-vars` but the copies of circuit
/// nodes (the waveform shows the node; actsim's commands name both), and, with a waveform,
/// the values its wired ports send and receive. An `Initialize` action (`action`) shows none
/// of its own: its variables are the file's, which the nodes and the processes sharing them
/// show (each action's copies would repeat them at the top, `Vdd~2`, `Vdd~3`, ...).
fn traced_vars(
    sim: &mut SimInit,
    process: ProcId,
    (program, ports, action): (&Program, &[usize], bool),
    vars: &[Value],
    (shared, circuit): (&[usize], &Option<Rc<crate::prs::run::Circuit>>),
    options: &RunOptions,
) -> Option<Box<TracedVars>> {
    let wired_values: Vec<(usize, usize)> = (program.wired_values.iter())
        .filter(|&&(port, _)| options.trace_wired_values && ports[port] == WIRED)
        .copied()
        .collect();
    let all = options.trace_variables && !action;
    if !all && wired_values.is_empty() {
        return None;
    }
    // (A variable of several bits holding a node holds more: it is no copy of the node.)
    let node_copy = |slot: usize| {
        !options.inspectable
            && program.vars[slot].ty.width() == 1
            && (shared.get(slot))
                .is_some_and(|&var| circuit.as_ref().is_some_and(|c| c.has_var(var)))
    };
    let which = trace::Traced {
        all,
        node_copy: &node_copy,
        wired_values: &wired_values,
    };
    TracedVars::register(sim, process, program, vars, &which)
}

/// Whether port `slot` of an instance bound to `ports` (whose `silent` slots run no init
/// method) runs its type's init method on the wires at the start.
fn runs_init((ports, silent): (&[usize], &[usize]), slot: usize) -> bool {
    ports[slot] == WIRED && !silent.contains(&slot)
}

/// A program's variables at the start (0), and its bools, which start undefined (X), as in
/// actsim: each `bool` variable (bit 0 of its slot) and each `bool` field of a record (its bit
/// of the record's slot), in order.
fn initial_vars(program: &Program) -> (Vec<Value>, Vec<(usize, u32)>) {
    let vars = program
        .vars
        .iter()
        .map(|v| Value::Small(0).truncated(v.ty.width()))
        .collect();
    let mut undefined = Vec::new();
    for (slot, var) in program.vars.iter().enumerate() {
        if var.ty == Ty::Bool {
            undefined.push((slot, 0));
        }
        let bool_fields = var.fields.iter().filter(|f| f.ty == Ty::Bool);
        undefined.extend(bool_fields.map(|f| (slot, f.lo)));
    }
    undefined.sort_unstable();
    undefined.dedup();
    (vars, undefined)
}
