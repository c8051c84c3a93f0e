//! ACT's own options (its `Act::Init`), which actsim takes before its own wherever they are
//! on the command line, and from the environment variable `ACT_STD_CMDLINE` before those:
//! `-Dvar=value`, `-W...`, `-V...`, `-cnf=FILE`, `-ref=N`, `-refine`, `-T...`, `-log=F`,
//! `-lev=L`, `-opt=S`.
use std::path::PathBuf;

use super::args::ArgsError;

/// What ACT's options set.
#[derive(Debug, Default)]
pub(super) struct ActOptions {
    /// `-cnf=FILE` (the last one given).
    pub config: Option<PathBuf>,
    /// `-ref=N`, `-refine`.
    pub refine: Option<u64>,
    /// `-W...`: whether the substitution warnings are printed, when a flag says so.
    pub lang_subst: Option<bool>,
    /// `-Dvar=value`, in order.
    defines: Vec<(String, Define)>,
    /// ACT's warnings about the options.
    pub warnings: Vec<String>,
    /// Whether `-opt=` was given (ACT takes one).
    option_string_given: bool,
}

/// A command-line definition's value: a `pbool`, or a `pint`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Define {
    Bool(bool),
    Int(i64),
}

impl ActOptions {
    /// Takes `word` if it is one of ACT's options (`false` if it is not); a malformed one is
    /// ACT's fatal error.
    pub(super) fn read(&mut self, word: &str) -> Result<bool, ArgsError> {
        if let Some(definition) = word.strip_prefix("-D") {
            self.defines.push(define(definition)?);
        } else if let Some(flags) = word.strip_prefix("-W") {
            if let Some(on) = act_warning_flags(flags)?.lang_subst {
                self.lang_subst = Some(on);
            }
        } else if let Some(words) = word.strip_prefix("-V") {
            // ACT's verbosity: `config` is its one word.
            if let Some(word) = words.split(',').find(|v| !v.is_empty() && *v != "config") {
                return Err(ArgsError::Fatal(format!("-V option `{word}' is unknown")));
            }
        } else if let Some(file) = word.strip_prefix("-cnf=") {
            self.config = Some(PathBuf::from(file));
        } else if word == "-refine" {
            self.refine = Some(1);
        } else if let Some(steps) = word.strip_prefix("-ref=") {
            // ACT reads the number as `atoi` does: `-ref=x` is 0 steps, `-ref=2x` two, and
            // the number is kept in an `int`, so `-ref=3000000000` is negative.
            let steps = super::commands::number(steps).unwrap_or(0) as i32;
            self.refine = Some(u64::try_from(steps).map_err(|_| {
                ArgsError::Fatal("-ref option needs a non-negative integer".into())
            })?);
        } else if word.starts_with("-opt=") {
            // A tool's option string, which actsim does not use; ACT takes one.
            if std::mem::replace(&mut self.option_string_given, true) {
                return Err(ArgsError::Fatal("-opt can only be used once!".into()));
            }
        } else {
            // ACT's options that change nothing chpsim does: the technology (whose files
            // chpsim reads none of), its log file and level.
            return Ok(["-T", "-log=", "-lev="].iter().any(|o| word.starts_with(o)));
        }
        Ok(true)
    }

    /// The definitions as declarations of the file scope, where ACT adds them (`pint N = 4;`),
    /// one a line; a name defined twice is ACT's fatal error.
    pub(super) fn declarations(&self) -> Result<String, ArgsError> {
        let mut text = String::new();
        for (at, (name, value)) in self.defines.iter().enumerate() {
            if self.defines[..at]
                .iter()
                .any(|(earlier, _)| earlier == name)
            {
                return Err(ArgsError::Fatal(format!(
                    "Name `{name}' defined through -D is a duplicate!"
                )));
            }
            text += &match value {
                Define::Bool(b) => format!("pbool {name} = {b};\n"),
                Define::Int(n) => format!("pint {name} = {n};\n"),
            };
        }
        Ok(text)
    }
}

/// Reads `var=value` as ACT does: `true`/`false` is a `pbool`; digits, `-` and digits, or
/// `0x` and hexadecimal digits a `pint` (read by C's `sscanf` into 32 bits, unsigned but
/// for a negative one); the name must be an identifier (a letter or `_`, then letters,
/// digits and `_`).
fn define(definition: &str) -> Result<(String, Define), ArgsError> {
    let form =
        || ArgsError::Fatal("-D option must be of the form -Dvar=value (bool or int)".into());
    let (name, value) = definition.split_once('=').ok_or_else(form)?;
    let digits = |s: &str, radix: u32| s.chars().all(|c| c.is_digit(radix));
    // C's `strtoul` (under `%u` and `%x`), kept in an `unsigned int`: beyond 64 bits it is
    // the largest, then the last 32 bits are kept; no digit at all reads nothing (0 here).
    let unsigned = |s: &str, radix: u32| match s {
        "" => 0,
        _ => i64::from(u64::from_str_radix(s, radix).unwrap_or(u64::MAX) as u32),
    };
    let value = match value {
        "true" => Define::Bool(true),
        "false" => Define::Bool(false),
        _ => match (value.strip_prefix("0x"), value.strip_prefix('-')) {
            (Some(hex), _) if digits(hex, 16) => Define::Int(unsigned(hex, 16)),
            // C's `%d` into an `int`: beyond 64 bits the smallest, then the last 32 bits.
            (None, Some(magnitude)) if digits(magnitude, 10) => Define::Int(match magnitude {
                "" => 0,
                _ => i64::from(value.parse::<i64>().unwrap_or(i64::MIN) as i32),
            }),
            (None, None) if digits(value, 10) => Define::Int(unsigned(value, 10)),
            _ => return Err(form()),
        },
    };
    let mut chars = name.chars();
    let identifier = chars
        .next()
        .is_some_and(|c| c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric());
    if !identifier {
        return Err(ArgsError::Fatal(format!(
            "-D option: variable `{name}' is not a valid identifier"
        )));
    }
    Ok((name.to_string(), value))
}

/// ACT's warning flags (`Act::Init`'s `-W` and its `warn.def`), in its order.
const ACT_WARNINGS: [&str; 6] = [
    "empty_select",
    "double_expand",
    "no_local_driver",
    "dup_pass",
    "lang_subst",
    "shadow",
];

/// What a `-W` option sets of the warnings chpsim gives (`lang_subst`; the others are ACT's
/// front end's, which chpsim does not print).
#[derive(Default)]
struct WarningFlags {
    lang_subst: Option<bool>,
}

/// Reads a `-W` option's value as ACT does: flags separated by commas, each a flag's name
/// (or a name it starts with: ACT compares the start) followed by `:on` or `:off`, or
/// `all:on`/`all:off`; anything else is ACT's fatal error.
fn act_warning_flags(value: &str) -> Result<WarningFlags, ArgsError> {
    let mut flags = WarningFlags::default();
    for item in value.split(',').filter(|i| !i.is_empty()) {
        let setting = |rest: &str| match rest {
            ":on" => Ok(true),
            ":off" => Ok(false),
            _ => Err(ArgsError::Fatal(format!(
                "-W option `{item}' must end in :off or :on"
            ))),
        };
        if let Some(flag) = ACT_WARNINGS.iter().find(|f| item.starts_with(*f)) {
            let on = setting(&item[flag.len()..])?;
            if *flag == "lang_subst" {
                flags.lang_subst = Some(on);
            }
        } else if let Some(on) = match item {
            // Whole words only: ACT compares `all:on` and `all:off` with `strcmp`.
            "all:on" => Some(true),
            "all:off" => Some(false),
            _ => None,
        } {
            flags.lang_subst = Some(on);
        } else {
            return Err(ArgsError::Fatal(format!(
                "-W option `{item}' is unknown  legal options are:\n    {}\nAppend :on or :off to turn the flag on/off",
                ACT_WARNINGS.join(" ")
            )));
        }
    }
    Ok(flags)
}
