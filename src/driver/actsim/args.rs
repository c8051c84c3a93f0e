//! actsim's own command line: `[-cnf=FILE] [-W...] [-ref=N] [-n] [-m] [-i] [-t TM] [-S SDF]
//! [-p PROC] FILE PROC`.
use std::path::PathBuf;

use super::act_options::ActOptions;

/// What the command line asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct ActsimArgs {
    /// The design file.
    pub design: PathBuf,
    /// The process to simulate, as actsim names it (`test`, `test<>`, `fifo<8>`).
    pub top: String,
    /// actsim's configuration file (`-cnf=FILE`).
    pub config: Option<PathBuf>,
    /// `-m`: check the `exclhi`/`excllo` monitors of `spec` bodies (`chpsim run
    /// --excl-monitors`).
    pub excl_monitors: bool,
    /// chpsim's own outputs, as `chpsim run` writes them: `--vcd FILE`.
    pub vcd: Option<PathBuf>,
    /// `--fst FILE`.
    pub fst: Option<PathBuf>,
    /// `--transcript FILE`.
    pub transcript: Option<PathBuf>,
    /// ACT's refinement steps (`-ref=N`; `-refine` is one step).
    pub refine: Option<u64>,
    /// `-t TM`: a tick is TM seconds in trace files (actsim's `sim.device.timescale`, which
    /// the option sets; a TM that is not above 0 is actsim's default, 10 ps).
    pub timescale: Option<f64>,
    /// ACT's `lang_subst` warning (`-Wlang_subst:off` turns it off): the `substituting chp
    /// model` lines at the start.
    pub lang_subst: bool,
    /// ACT's command-line definitions (`-Dvar=value`), as declarations of the file scope.
    pub defines: String,
    /// ACT's warnings about the options (a word of `ACT_STD_CMDLINE` that is none of ACT's).
    pub warnings: Vec<String>,
    /// `-S SDF`: actsim's SDF file of delays, which chpsim does not apply (it warns, as
    /// actsim does when it cannot read one, and runs without).
    pub sdf: Option<PathBuf>,
}

/// Why the command line gives no run: `-help`, a mistake in actsim's own options (both
/// answered with the usage) or in ACT's (answered with ACT's fatal error alone). actsim exits
/// with 1 on each: its `usage` and ACT's `fatal_error` do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ArgsError {
    /// `-help`, `--help` or `-h`.
    #[error("{}", usage())]
    Help,
    /// A wrong command line: what is wrong, then the usage.
    #[error("error: {0}\n{usage}", usage = usage())]
    Wrong(String),
    /// A wrong ACT option (`-W`, `-ref=`, `-V`): ACT's message.
    #[error("FATAL: {0}")]
    Fatal(String),
}

/// The usage text (on stderr, as actsim's).
pub fn usage() -> String {
    [
        "Usage: chpsim actsim [actsim's options] <actfile> <process>",
        "       chpsim actsim [actsim's options] -p <process> <actfile>",
        "",
        " -cnf=<file> : read actsim's configuration file <file> (delays: sim.chp...)",
        " -W<flag>:on|off,... : ACT's warnings (lang_subst: the substitution warnings)",
        " -ref=<n>    : ACT's refinement steps: refine<k> bodies with k <= n run",
        " -refine     : -ref=1",
        " -t <tm>     : a tick is <tm> seconds in trace files (sim.device.timescale)",
        " -m          : monitor exclusive high/low spec constraints (--excl-monitors)",
        " -n, -i      : name unmangling, inlining (accepted, ignored)",
        " -S <sdf>    : delays from an SDF file (accepted; chpsim does not apply them)",
        " -p <proc>   : set <proc> as the top-level for simulation",
        "",
        "chpsim's outputs, as `chpsim run` writes them:",
        " --vcd <file>, --fst <file>, --transcript <file>",
        "",
        "Commands are read from stdin, one a line; `help` lists them.",
        "",
    ]
    .join("\n")
}

/// Parses the arguments after `chpsim actsim`.
pub fn parse_args(args: &[String], std_cmdline: Option<&str>) -> Result<ActsimArgs, ArgsError> {
    let mut act = ActOptions::default();
    // ACT reads the words of `ACT_STD_CMDLINE` first, split at blanks and tabs.
    for word in std_cmdline.unwrap_or_default().split([' ', '\t']) {
        if !word.is_empty() && !act.read(word)? {
            act.warnings.push(format!(
                "WARNING: ACT_STD_CMDLINE `{word}' is not an ACT argument; skipped"
            ));
        }
    }
    // ACT takes its own options from the whole command line before actsim reads its own, so
    // a mistake in one of ACT's is its fatal error whatever comes before it (`-zz -Vbad`).
    let mut rest = Vec::with_capacity(args.len());
    for word in args {
        if !act.read(word)? {
            rest.push(word.clone());
        }
    }
    let mut excl_monitors = false;
    let mut sdf = None;
    let mut timescale = None;
    let (mut vcd, mut fst, mut transcript) = (None, None, None);
    let mut proc_option = None;
    let mut positional = Vec::new();
    let split = split_flags(&rest);
    let mut words = split.iter();
    while let Some(word) = words.next() {
        let mut value_of = |option: &str| {
            (words.next().cloned())
                .ok_or_else(|| ArgsError::Wrong(format!("{option} needs a value")))
        };
        match word.as_str() {
            "-help" | "--help" | "-h" => return Err(ArgsError::Help),
            "-m" => excl_monitors = true,
            "-n" | "-i" => {}
            "-t" => {
                let seconds = super::commands::real_number(&value_of("-t")?);
                timescale = Some(if seconds > 0.0 { seconds } else { 10e-12 });
            }
            "-p" => proc_option = Some(value_of("-p")?),
            "--vcd" => vcd = Some(PathBuf::from(value_of("--vcd")?)),
            "--fst" => fst = Some(PathBuf::from(value_of("--fst")?)),
            "--transcript" => transcript = Some(PathBuf::from(value_of("--transcript")?)),
            "-S" => sdf = Some(PathBuf::from(value_of("-S")?)),
            w if w.starts_with('-') && w.len() > 1 => {
                return Err(ArgsError::Wrong(format!("unknown option `{w}'")))
            }
            w => positional.push(w.to_string()),
        }
    }
    let (design, top) = match (positional.as_slice(), proc_option) {
        ([design, top], None) => (design.clone(), top.clone()),
        ([design], Some(top)) => (design.clone(), top),
        ([], None) => return Err(ArgsError::Help),
        _ => {
            return Err(ArgsError::Wrong(
                "give the design file and the process".into(),
            ))
        }
    };
    let defines = act.declarations()?;
    Ok(ActsimArgs {
        design: PathBuf::from(design),
        top,
        config: act.config,
        excl_monitors,
        vcd,
        fst,
        transcript,
        refine: act.refine,
        timescale,
        lang_subst: act.lang_subst.unwrap_or(true),
        defines,
        warnings: act.warnings,
        sdf,
    })
}

/// What actsim's `-S SDF` gets: actsim's warning when the file cannot be read (it runs
/// without its delays); chpsim's when it can, since chpsim does not apply SDF delays.
pub fn sdf_warning(sdf: &std::path::Path) -> String {
    let name = sdf.display();
    if std::fs::File::open(sdf).is_ok() {
        format!("WARNING: SDF file `{name}': chpsim does not apply SDF delays; omitting.")
    } else {
        format!("WARNING: SDF file `{name}': reading failed; omitting.")
    }
}

/// actsim reads its own options as `getopt("mS:p:nit:")` does: flags may be written together
/// (`-mn`) and a value may follow its letter (`-ptest`, `-t1e-12`). Splits those into words
/// of one option each; ACT's own options (`-cnf=`, `-W...`, `-V...`, `-ref=`) and chpsim's
/// (`--vcd`) stay whole.
fn split_flags(args: &[String]) -> Vec<String> {
    let mut words = Vec::with_capacity(args.len());
    for word in args {
        let letters = word.strip_prefix('-').unwrap_or("");
        let is_getopt = !letters.is_empty()
            && letters
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-+".contains(c))
            && "mSpnit".contains(&letters[..1])
            && !["help", "h"].contains(&letters);
        if !is_getopt || letters.len() == 1 {
            words.push(word.clone());
            continue;
        }
        let mut rest = letters;
        while let Some(flag) = rest.chars().next() {
            rest = &rest[1..];
            match flag {
                'm' | 'n' | 'i' => words.push(format!("-{flag}")),
                'S' | 'p' | 't' => {
                    words.push(format!("-{flag}"));
                    if !rest.is_empty() {
                        words.push(rest.to_string());
                    }
                    break;
                }
                _ => {
                    // Not actsim's: the whole word is reported as unknown.
                    words.push(word.clone());
                    break;
                }
            }
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(words: &[&str]) -> Result<ActsimArgs, ArgsError> {
        parse_args(
            &words.iter().map(|w| w.to_string()).collect::<Vec<_>>(),
            None,
        )
    }

    #[test]
    fn reads_actsims_options() {
        let args = parse(&["-cnf=sim.conf", "-Wall:on", "-ref=1", "d.act", "fifo<8>"]).unwrap();
        assert_eq!(args.design, PathBuf::from("d.act"));
        assert_eq!(args.top, "fifo<8>");
        assert_eq!(args.config, Some(PathBuf::from("sim.conf")));
        assert_eq!(args.refine, Some(1));
        assert_eq!(parse(&["-ref=3", "d.act", "t"]).unwrap().refine, Some(3));
        // As ACT's `atoi`: the number the word starts with, else 0.
        assert_eq!(parse(&["-ref=2x", "d.act", "t"]).unwrap().refine, Some(2));
        assert_eq!(parse(&["-ref=x", "d.act", "t"]).unwrap().refine, Some(0));
        assert_eq!(parse(&["-refine", "d.act", "t"]).unwrap().refine, Some(1));
        assert_eq!(parse(&["d.act", "t"]).unwrap().refine, None);
        assert_eq!(parse(&["-p", "test", "d.act"]).unwrap().top, "test");
        let args = parse(&["--vcd", "w.vcd", "--transcript", "t.txt", "d.act", "t"]).unwrap();
        assert_eq!(args.vcd, Some(PathBuf::from("w.vcd")));
        assert_eq!(args.transcript, Some(PathBuf::from("t.txt")));
    }

    #[test]
    fn warning_flags_are_acts_and_lang_subst_turns_the_substitution_warnings_off() {
        assert!(parse(&["d.act", "t"]).unwrap().lang_subst);
        let off = parse(&["-Wshadow:on,lang_subst:off", "d.act", "t"]).unwrap();
        assert!(!off.lang_subst);
        assert!(!parse(&["-Wall:off", "d.act", "t"]).unwrap().lang_subst);
        assert!(parse(&["-Wdup_pass:off", "d.act", "t"]).unwrap().lang_subst);
        let wrong = |w: &str| match parse(&[w, "d.act", "t"]) {
            Err(ArgsError::Fatal(message)) => message,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            wrong("-Wlang_subst"),
            "-W option `lang_subst' must end in :off or :on"
        );
        assert!(wrong("-Wall").starts_with("-W option `all' is unknown  legal options are:"));
        // `all` is no flag's name: anything but `all:on`/`all:off` is unknown to ACT.
        assert!(wrong("-Wall:yes").starts_with("-W option `all:yes' is unknown  legal"));
    }

    #[test]
    fn acts_other_core_options_are_taken() {
        for option in ["-Tsky130", "-log=act.log", "-lev=A", "-Vconfig", "-opt=ab:"] {
            assert_eq!(parse(&[option, "d.act", "t"]).unwrap().top, "t", "{option}");
        }
    }

    #[test]
    fn flags_written_together_and_values_after_their_letter_are_getopts() {
        let args = parse(&["-mn", "-ptest", "-t1e-12", "d.act"]).unwrap();
        assert!(args.excl_monitors);
        assert_eq!(args.timescale, Some(1e-12));
        assert_eq!(
            parse(&["-t", "x", "d.act", "t"]).unwrap().timescale,
            Some(10e-12)
        );
        assert_eq!(args.top, "test");
        assert!(!parse(&["d.act", "t"]).unwrap().excl_monitors);
        assert!(parse(&["-m", "d.act", "t"]).unwrap().excl_monitors);
        assert!(matches!(
            parse(&["-mq", "d.act", "t"]),
            Err(ArgsError::Wrong(_))
        ));
    }

    #[test]
    fn acts_options_are_read_first_as_act_reads_them() {
        let fatal = |words: &[&str]| match parse(words) {
            Err(ArgsError::Fatal(message)) => message,
            other => panic!("{other:?}"),
        };
        // `atoi` keeps the number in an `int`: 3000000000 is negative, 2^32 + 1 is 1.
        assert_eq!(
            fatal(&["-ref=3000000000", "d.act", "t"]),
            "-ref option needs a non-negative integer"
        );
        assert_eq!(
            parse(&["-ref=4294967297", "d.act", "t"]).unwrap().refine,
            Some(1)
        );
        assert_eq!(
            fatal(&["-opt=a", "-opt=b", "d.act", "t"]),
            "-opt can only be used once!"
        );
        // ACT reads its options before actsim's: its error comes first.
        assert_eq!(
            fatal(&["-zz", "-Vbad", "d.act", "t"]),
            "-V option `bad' is unknown"
        );
        // The value of an option of actsim's is read once ACT's are gone.
        let args = parse(&["-t", "-Vconfig", "1e-9", "d.act", "t"]).unwrap();
        assert_eq!(args.timescale, Some(1e-9));
    }

    #[test]
    fn dash_s_names_an_sdf_file() {
        let args = parse(&["-S", "d.sdf", "d.act", "t"]).unwrap();
        assert_eq!(args.sdf, Some(PathBuf::from("d.sdf")));
        assert_eq!(
            parse(&["-Sx.sdf", "d.act", "t"]).unwrap().sdf,
            Some("x.sdf".into())
        );
        assert_eq!(parse(&["d.act", "t"]).unwrap().sdf, None);
    }

    #[test]
    fn no_arguments_or_help_give_the_usage() {
        assert_eq!(parse(&[]), Err(ArgsError::Help));
        assert_eq!(parse(&["-help"]), Err(ArgsError::Help));
        assert!(matches!(
            parse(&["-ref=-1", "d.act", "t"]),
            Err(ArgsError::Fatal(_))
        ));
        assert!(matches!(
            parse(&["-zz", "d.act", "t"]),
            Err(ArgsError::Wrong(_))
        ));
        assert!(matches!(parse(&["d.act"]), Err(ArgsError::Wrong(_))));
    }
}
