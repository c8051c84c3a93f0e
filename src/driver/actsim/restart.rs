//! actsim's `initialize PROC`: the simulation starts over, of expanded process `PROC` (the
//! command line's top or another), as actsim deletes its simulator and makes a new one: time
//! 0, every value as at the start, the reset phase again, and what the commands set on the
//! old simulator gone (watch points, breakpoints, `filter`, `break-on-warn`/`exit-on-warn`,
//! `mode`, `timescale`, the timing commands, an open `vcd_start` file, closed). A `logfile`
//! stays: actsim keeps its log file outside the simulator.
use std::io::Write;

use super::monitor::MonitorState;
use super::{Flow, Session, State};
use crate::driver::{Design, DriverError, Outputs, RunSettings};

/// Makes the design anew with the given process as its top (its name as actsim writes an
/// expanded process, `test<>`, `fifo<8>`): the design, its run's settings and outputs as the
/// command line gave them.
pub type Restart<'a> =
    Box<dyn Fn(&str) -> Result<(Design, RunSettings, Outputs), DriverError> + 'a>;

impl<'a> Session<'a> {
    /// Lets `initialize` start the simulation over (see [`Restart`]); without it, it can
    /// only say so.
    pub fn with_restart(mut self, restart: Restart<'a>) -> Self {
        self.restart = Some(restart);
        self
    }

    /// A tick is `seconds` long in trace files, from the start and after each `initialize`
    /// (actsim's `sim.device.timescale`, which `-t` sets), until `timescale` says otherwise.
    pub fn with_tick_seconds(mut self, seconds: f64) -> Self {
        self.tick_picoseconds = seconds * 1e12;
        self.start_tick_picoseconds = self.tick_picoseconds;
        self
    }

    /// `initialize PROC`. As in actsim, a process type's bare name (`test`) is no expanded
    /// process, and a name that is no process type is not found. A new simulation that
    /// actsim cannot build (see [`Design::build_failure`]) ends the session as at the start.
    pub(super) fn initialize(&mut self, process: &str) -> Result<Flow, DriverError> {
        let bare = |name: &str| name.split('<').next().unwrap_or_default().to_string();
        let expanded_top = match self.top.contains('<') {
            true => self.top.clone(),
            false => format!("{}<>", self.top),
        };
        let types = || self.process_types.iter().chain([&expanded_top]);
        let known = types().any(|t| t == process);
        let message = if known {
            None
        } else if !process.contains('<') && types().any(|t| bare(t) == process) {
            Some(format!(
                "initialize: `{process}' is not an expanded process"
            ))
        } else {
            Some(format!("initialize: could not find process {process}"))
        };
        if let Some(message) = message {
            self.message(&message);
            return Ok(Flow::Continue);
        }
        let Some(restart) = &self.restart else {
            self.message("initialize: chpsim cannot start this simulation over");
            return Ok(Flow::Continue);
        };
        let (design, settings, mut outputs) = restart(process)?;
        self.end_simulation()?;
        if let Some(failure) = design.build_failure(settings.excl_monitors) {
            // actsim makes the new simulation as it made the first: it stops the same way,
            // with the warnings it printed until then, and exits.
            for warning in &failure.warnings {
                let _ = writeln!(self.errors, "{warning}");
            }
            let _ = writeln!(self.errors, "{failure}");
            self.exit_code = Some(1);
            return Ok(Flow::Stop);
        }
        for warning in design.start_warnings(settings.excl_monitors) {
            let _ = writeln!(self.errors, "{warning}");
        }
        outputs.log = None;
        outputs.inspectable = true;
        outputs.interrupt = Some(self.interrupt.clone());
        // ACT keeps every process it expanded: the old top stays one `initialize` finds.
        let types = (design.processes.iter()).map(|p| &p.program.type_name);
        for name in types.chain([&expanded_top]).filter(|name| !name.is_empty()) {
            if !self.process_types.contains(name) {
                self.process_types.push(name.clone());
            }
        }
        self.top = process.to_string();
        self.sources = design.sources.clone();
        self.instances = design.instances.clone();
        self.state = State::Waiting {
            design: Box::new(design),
            settings,
            outputs,
        };
        self.reset_mode = None;
        self.tick_picoseconds = self.start_tick_picoseconds;
        Ok(Flow::Continue)
    }

    /// Ends the current simulation, if it started: its outputs are written (the next one
    /// writes the same files again, when it ends) and what the commands set on it is gone,
    /// but the log file.
    fn end_simulation(&mut self) -> Result<(), DriverError> {
        if let State::Started { running, end, .. } = std::mem::replace(&mut self.state, State::Gone)
        {
            if let Some(vcd) = self.monitor.borrow_mut().vcd.take() {
                let _ = vcd.close(running.now());
            }
            let outcome = running.finish().map_err(crate::driver::output_error)?;
            end.conclude(outcome)?;
        }
        let mut monitor = self.monitor.borrow_mut();
        let log_file = monitor.log_file.take();
        *monitor = MonitorState::default();
        monitor.log_file = log_file;
        Ok(())
    }
}
