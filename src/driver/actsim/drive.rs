//! actsim's commands that change the course of the run: `goto` (a process's one thread jumps
//! to a labelled statement), `skip-comm` (a thread waiting in a communication goes on without
//! it), `gc-retry` (guards that are all false with nothing to wait on are evaluated again), and
//! `send`/`recv`, which make the command line the party at a channel end that nothing in the
//! design holds (actsim has these two switched off and does not list them: chpsim's own, see
//! docs/actsim.md). Each takes effect when the run goes on (`step`, `advance`, `cycle`).
use std::io::Write;

use super::state::{parse_unsigned, Named};
use super::Session;
use crate::driver::DriverError;
use crate::kernel::Waiter;
use crate::sim::control::{EnvError, GotoError};

impl Session<'_> {
    /// Runs `goto`, `gc-retry`, `skip-comm`, `send` or `recv` with `args`.
    pub(super) fn drive_command(
        &mut self,
        command: &str,
        args: &[&str],
    ) -> Result<(), DriverError> {
        match command {
            "goto" => self.goto(args),
            "gc-retry" => self.gc_retry(args),
            "skip-comm" => self.skip_comm(args),
            "send" => self.send(args),
            _ => self.recv(args),
        }
    }

    /// `goto [INST] LABEL`: actsim's messages name its first argument, also when that is the
    /// label.
    fn goto(&mut self, args: &[&str]) -> Result<(), DriverError> {
        let (instance, label) = match args {
            [label] => (None, *label),
            [instance, label] => (Some(*instance), *label),
            _ => {
                self.message("Usage: goto [<inst-name>] <label>");
                return Ok(());
            }
        };
        if instance.is_some_and(|name| !self.instance_name_parses(name)) {
            return Ok(());
        }
        let first = args[0];
        // actsim looks the instance up as it reads it, exactly (`b[01]` is `b[1]`).
        let path = instance.map(|i| super::procs::instance_key(i).unwrap_or_else(|| i.to_string()));
        let known = self.instance_subtree(instance).is_some();
        let running = self.running()?;
        let Some(index) = running.process_at(path.as_deref().unwrap_or("")) else {
            self.message(&if known {
                format!("Instance `{first}' is not a CHP process.")
            } else {
                format!("Could not find instance `{first}'")
            });
            return Ok(());
        };
        let why = match running.goto(index, label) {
            Ok(()) => return Ok(()),
            Err(GotoError::NoLabels) => "no labels in process!".to_string(),
            Err(GotoError::NoSuchLabel) => format!("label `{label}' does not exist!"),
            Err(GotoError::Threads(n)) => format!("multiple ({n}) active threads of execution."),
            Err(GotoError::NoThread) => "no active program counter?".to_string(),
        };
        self.message(&format!(">> goto operation failed; {why}"));
        Ok(())
    }

    /// `gc-retry INST`: the name must be a process with CHP, as in actsim.
    fn gc_retry(&mut self, args: &[&str]) -> Result<(), DriverError> {
        let [name] = args else {
            self.message("Usage: gc-retry <name>");
            return Ok(());
        };
        if !super::state::reads_as_identifier(name) {
            // actsim's message has no newline.
            self.message_part(&format!(
                "gc-retry: could not parse `{name}' into an identifier"
            ));
            return Ok(());
        }
        // actsim walks the name down the instances (from the top, which always has its
        // object): a name with more after an instance is no process's, an instance running
        // production rules has no guards, and one that runs nothing of its own has none
        // waiting (nothing is said).
        let read = super::procs::instance_key(name).unwrap_or_else(|| name.to_string());
        let (path, rest) = self.locate(&read);
        if rest.is_some() {
            self.message("gc-retry: please specify process name");
            return Ok(());
        }
        if (self.instances.iter()).any(|entry| entry.path == path && entry.rules) {
            self.message("gc-retry: only supported for CHP/HSE components");
            return Ok(());
        }
        let running = self.running()?;
        if let Some(index) = running.process_at(&path) {
            running.retry_guards(index);
        }
        Ok(())
    }

    /// `skip-comm PORT`: the port of the process that waits in the communication.
    fn skip_comm(&mut self, args: &[&str]) -> Result<(), DriverError> {
        let [name] = args else {
            self.message("Usage: skip-comm <name>");
            return Ok(());
        };
        let channel = match self.resolve(name)? {
            None => return Ok(()),
            Some(Named::Value(..)) => {
                self.print(&format!("skip-comm: '{name}' is a not a channel!"));
                return Ok(());
            }
            Some(Named::Channel(channel)) => Some(channel),
            // Never waiting: actsim runs it in its wires.
            Some(Named::Wired(_)) => None,
        };
        let Some((index, slot, sends)) = self.running()?.find_port(name) else {
            self.message("skip-comm: only supported for CHP/HSE components");
            return Ok(());
        };
        let waiting = channel.and_then(|channel| self.monitor.borrow().waiting(channel));
        match (waiting, sends) {
            (Some(Waiter::Sender), false) => self.print(&format!(
                "{name}: state is waiting-send; use this command for the sending process."
            )),
            (Some(Waiter::Receiver), true) => self.print(&format!(
                "{name}: state is waiting-recv; use this command for the receiving process."
            )),
            (Some(party @ (Waiter::Sender | Waiter::Receiver)), _) => {
                let channel = channel.expect("only a channel between processes waits");
                if self.running()?.skip_communication(index, slot) {
                    self.monitor.borrow_mut().skip(channel, party);
                } else {
                    // The party waiting is not this process (the command line's own send).
                    self.print("unexpected error!");
                }
            }
            _ => self.print(&format!(
                "skip-comm: channel `{name}' is not in a state where it can be skipped."
            )),
        }
        Ok(())
    }

    /// `send CHAN VALUE`: the value is offered on a channel whose sending end nothing in the
    /// design holds.
    fn send(&mut self, args: &[&str]) -> Result<(), DriverError> {
        let [name, value] = args else {
            self.message("Usage: send <chan> <val>");
            return Ok(());
        };
        let Some(channel) = self.channel_named(name)? else {
            return Ok(());
        };
        if value.starts_with('-') {
            self.message("Integers are unsigned.");
            return Ok(());
        }
        let Some(value) = parse_unsigned(value) else {
            self.message("Usage: send <chan> <val>");
            return Ok(());
        };
        let width = self.monitor.borrow().channel_width(channel);
        let result = self.running()?.env_send(channel, &value, width);
        self.env_result(result, "send", name);
        Ok(())
    }

    /// `recv CHAN [#f]`: a value is taken from a channel whose receiving end nothing in the
    /// design holds; it is printed when it arrives (not with a second argument).
    fn recv(&mut self, args: &[&str]) -> Result<(), DriverError> {
        let name = match args {
            [name] | [name, _] => *name,
            _ => {
                self.message("Usage: recv <chan> [#f]");
                return Ok(());
            }
        };
        let Some(channel) = self.channel_named(name)? else {
            return Ok(());
        };
        let display = args.len() == 1;
        let mut out = self.out.clone();
        let shown = name.to_string();
        let received = Box::new(move |time, value: num_bigint::BigUint| {
            if display {
                let line = format!("[{time:>20}] <[env]> recv {shown}: {value} (0x{value:x})");
                let _ = writeln!(out, "{line}");
            }
        });
        let result = self.running()?.env_recv(channel, received);
        self.env_result(result, "recv", name);
        Ok(())
    }

    /// The channel `name` names, or `None` after saying why there is none.
    fn channel_named(&mut self, name: &str) -> Result<Option<crate::kernel::ChanId>, DriverError> {
        Ok(match self.resolve(name)? {
            Some(Named::Channel(channel)) => Some(channel),
            Some(Named::Wired(_)) => {
                self.message(&format!(
                    "'{name}' is run over its wires (a circuit is at an end): send and recv \
                     drive channels between processes only"
                ));
                None
            }
            Some(Named::Value(..)) => {
                self.message(&format!("'{name}' is not a channel"));
                None
            }
            None => None,
        })
    }

    fn env_result(&mut self, result: Result<(), EnvError>, command: &str, name: &str) {
        let (end, party) = match command {
            "send" => ("sending", "receiver"),
            _ => ("receiving", "sender"),
        };
        match result {
            Ok(()) => {}
            Err(EnvError::Held) => self.message(&format!(
                "{command}: the {end} end of `{name}' is held by the design (or nothing holds its other end)"
            )),
            Err(EnvError::Busy) => self.message(&format!(
                "{command}: the previous {command} on `{name}' still waits for its {party}"
            )),
            Err(EnvError::TooWide) => {
                self.message("Value does not fit into channel's bitwidth.")
            }
        }
    }
}
