//! `chpsim actsim`: actsim's command line and command script (the binary's part; the
//! session and its commands are the library's `driver::actsim`).

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use chpsim::diag::ActFatal;
use chpsim::driver::actsim;
use chpsim::driver::options::SimArgs;
use chpsim::driver::outputs::BestEffort;
use chpsim::driver::{compile, DriverError, ElabOptions, Outputs, RunResult, TranscriptTarget};
use chpsim::output::waveform::WaveOptions;

use crate::{load, report_driver_error, warnings_writer};

/// Runs a design as actsim's command script on stdin says; log and watch lines on stdout,
/// messages and the end's explanation on stderr.
pub(crate) fn actsim_command(words: &[String]) -> u8 {
    let std_cmdline = std::env::var("ACT_STD_CMDLINE").ok();
    let args = match actsim::parse_args(words, std_cmdline.as_deref()) {
        Ok(args) => args,
        Err(e) => {
            // actsim's `usage` and ACT's fatal errors exit with 1.
            errln!("{}", e.to_string().trim_end_matches('\n'));
            return 1;
        }
    };
    let command_line = SimArgs {
        top: Some(args.top.clone()),
        config: args.config.clone(),
        excl_monitors: args.excl_monitors,
        refine: args.refine,
        ..SimArgs::default()
    };
    let given = |id: &str| {
        id == "top"
            || (id == "config" && args.config.is_some())
            || (id == "refine" && args.refine.is_some())
    };
    for warning in &args.warnings {
        errln!("{warning}");
    }
    // ACT reads the configuration file before the design: its errors come first.
    if let Some(config) = &args.config {
        let reading = SimArgs {
            config: Some(config.clone()),
            ..SimArgs::default()
        };
        if let Err(e) = reading.elab_options() {
            return report_actsim_error(&e, &args);
        }
    }
    let loaded = load(&args.design, &args.defines, &command_line, &given, true);
    let (source, mut design, sim) = match loaded {
        Ok(x) => x,
        Err(e) => return report_actsim_error(&e, &args),
    };
    if !args.lang_subst {
        design.drop_level_warnings();
    }
    if let Some(sdf) = &args.sdf {
        errln!("{}", actsim::sdf_warning(sdf));
    }
    if let Some(failure) = design.build_failure(sim.excl_monitors) {
        // actsim stops as it makes the instance, before it reads a command.
        for warning in &failure.warnings {
            errln!("{warning}");
        }
        errln!("{failure}");
        return 1;
    }
    for warning in design.start_warnings(sim.excl_monitors) {
        errln!("{warning}");
    }
    let tick_seconds = args.timescale.or(design.timescale_seconds());
    let settings = sim.settings(&design);
    let outputs = || {
        let wave = |path: &PathBuf| (path.clone(), WaveOptions::default());
        Outputs {
            warnings: Some(warnings_writer(None)),
            vcd: args.vcd.as_ref().map(wave),
            fst: args.fst.as_ref().map(wave),
            transcript: args.transcript.clone().map(TranscriptTarget::File),
            ..Outputs::default()
        }
    };
    // `initialize PROC` makes the design anew with PROC as its top, from the same file and
    // options (actsim keeps the file it read; its warnings are not printed again).
    let restart: actsim::Restart<'_> = Box::new(|top: &str| {
        let sim = SimArgs {
            top: Some(top.to_string()),
            ..sim.clone()
        };
        let options = ElabOptions {
            quiet_open_ends: true,
            ..sim.elab_options()?
        };
        let mut design = compile(&source, &options)?;
        if !args.lang_subst {
            design.drop_level_warnings();
        }
        let settings = sim.settings(&design);
        Ok((design, settings, outputs()))
    });
    // Ctrl-C stops the running command, not chpsim: the next command is read.
    let interrupt = Arc::new(AtomicBool::new(false));
    let flag = interrupt.clone();
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    let interactive = io::stdin().is_terminal();
    let stdout: Box<dyn Write> = if interactive {
        Box::new(io::LineWriter::new(BestEffort(io::stdout())))
    } else {
        Box::new(io::BufWriter::new(BestEffort(io::stdout())))
    };
    let errors = Box::new(BestEffort(io::stderr()));
    let mut session = actsim::Session::new(
        design,
        &source,
        settings,
        outputs(),
        stdout,
        errors,
        interrupt,
    )
    .with_restart(restart);
    if let Some(seconds) = tick_seconds {
        session = session.with_tick_seconds(seconds);
    }
    let read = if interactive {
        actsim::prompt::run_prompt(&mut session)
    } else {
        actsim::run_script(&mut session, &mut io::stdin().lock())
    };
    let result = read.and_then(|()| session.finish());
    match result {
        Ok((result, exit_code)) => {
            let error = result.as_ref().and_then(|r| r.error.as_ref());
            if let Some(report) = error.and_then(|e| e.kind.actsim_report()) {
                // An error on which actsim itself exits: its words, not chpsim's diagnostic.
                errln!("{report}");
                return 1;
            }
            if let Some(text) = result.as_ref().and_then(RunResult::render_error) {
                err!("{text}");
                return 1;
            }
            // No end-of-run report: actsim prints none when its script ends, even with a
            // process blocked for ever (`chpsim run` lists the deadlocks).
            exit_code.unwrap_or(0)
        }
        Err(e) => report_driver_error(&e),
    }
}

/// Reports an error of the design or its configuration under `chpsim actsim`: where ACT
/// stops with its fatal error, its message alone (for its first such error, at which it
/// stops) and its exit code 1; chpsim's rendering and 2 otherwise.
fn report_actsim_error(e: &DriverError, args: &actsim::ActsimArgs) -> u8 {
    if let DriverError::Read { path, .. } = e {
        if args.config.as_ref() == Some(path) {
            errln!(
                "FATAL: Could not open configuration file `{}' for reading.",
                path.display()
            );
            return 1;
        }
    }
    match e.act_fatal() {
        Some(ActFatal::UnknownTop) => errln!(
            "FATAL: Could not find process `{}' in file `{}'",
            args.top,
            args.design.display()
        ),
        Some(ActFatal::Message(message)) => errln!("FATAL: {message}"),
        None => return report_driver_error(e),
    }
    1
}
