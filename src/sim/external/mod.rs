//! Functions declared without a body (`function f (int<32> a) : int<32>;`), computed outside
//! the design: chpsim's own implementations of actsim's `sim::` library functions
//! ([`native`]: files, random numbers, the infinite buffer), or C functions from a shared
//! library that actsim's configuration names ([`library`], `sim.extern`).
//!
//! Both see their arguments as actsim's external functions do: each a 64-bit value with its
//! bit width; the result is cut to the function's result type.
pub(crate) mod library;
pub(crate) mod native;

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;
use std::sync::Arc;

pub(crate) use library::{ExternConfig, Libraries, LibraryFunction};
pub(crate) use native::{FileNames, Native, NativeState};

/// What computes an external function.
#[derive(Clone)]
pub(crate) enum External {
    /// One of chpsim's own (actsim's `sim::` functions), with the file names the
    /// configuration gives.
    Native(Native, Arc<FileNames>),
    /// A C function of a shared library.
    Library(Rc<LibraryFunction>),
}

impl fmt::Debug for External {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            External::Native(native, _) => write!(f, "Native({native:?})"),
            External::Library(function) => write!(f, "Library({})", function.symbol()),
        }
    }
}

/// An argument or a result as actsim passes them: a value and its bit width.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Word {
    pub value: u64,
    pub width: u32,
}

/// The state of the native functions during one run (open files, random generators,
/// buffers), and the messages they have for the user (actsim prints them on stderr).
pub(crate) type SharedState = Rc<RefCell<NativeState>>;

impl External {
    /// Computes the function of `args`; `state` is the run's, `warn` takes the messages.
    pub(crate) fn call(
        &self,
        args: &[Word],
        state: &SharedState,
        warn: &mut dyn FnMut(&str),
    ) -> Word {
        match self {
            External::Native(native, names) => {
                native.call(args, names, &mut state.borrow_mut(), warn)
            }
            External::Library(function) => function.call(args),
        }
    }
}

/// What a configuration file says about external functions: the C libraries of its
/// `sim.extern` section, and the file names of `sim.file` (see the private module `native`).
#[derive(Clone, Debug, Default)]
pub struct ExternalConfig {
    pub(crate) functions: ExternConfig,
    pub(crate) files: Arc<FileNames>,
}

impl ExternalConfig {
    /// Reads the `sim.extern` and `sim.file` settings.
    pub(crate) fn from_settings(settings: &crate::front::config::Settings) -> Self {
        use crate::front::config::Value;
        let text = |name: &str| match settings.get(name) {
            Some(Value::Text(t)) => Some(t.clone()),
            _ => None,
        };
        let texts = |name: &str| match settings.get(name) {
            Some(Value::Table(values)) => Some(
                values
                    .iter()
                    .filter_map(|v| match v {
                        Value::Text(t) => Some(t.clone()),
                        _ => None,
                    })
                    .collect::<Vec<_>>(),
            ),
            Some(Value::Text(t)) => Some(vec![t.clone()]),
            _ => None,
        };
        let libraries = (texts("sim.extern.libs").unwrap_or_default().into_iter())
            .map(|name| {
                let prefix = format!("sim.extern.{name}.");
                let symbols = (settings.with_prefix(&prefix))
                    .filter(|(key, _)| *key != "path")
                    .filter_map(|(key, setting)| match &setting.value {
                        Value::Text(symbol) => Some((key.to_string(), symbol.clone())),
                        _ => None,
                    })
                    .collect();
                let path = text(&format!("{prefix}path")).map(|p| library::expand_variables(&p));
                library::ExternLibrary {
                    name,
                    path,
                    symbols,
                }
            })
            .collect();
        let defaults = FileNames::default();
        let files = FileNames {
            prefix: text("sim.file.prefix").unwrap_or(defaults.prefix),
            out_prefix: text("sim.file.outprefix").unwrap_or(defaults.out_prefix),
            names: texts("sim.file.name_table"),
            out_names: texts("sim.file.outname_table"),
        };
        ExternalConfig {
            functions: ExternConfig { libraries },
            files: Arc::new(files),
        }
    }

    /// What computes the bodiless function `name` (qualified, `ns::f`): chpsim's own for
    /// actsim's `sim::` functions, else the C function the configuration names. `Err` says
    /// why there is none.
    pub(crate) fn resolve(&self, name: &str, libraries: &Libraries) -> Result<External, String> {
        if let Some(native) = Native::named(name) {
            return Ok(External::Native(native, self.files.clone()));
        }
        match self.functions.find(name) {
            Some(Ok(found)) => libraries
                .load(&found)
                .map(|f| External::Library(Rc::new(f))),
            Some(Err(library)) => Err(format!(
                "the configuration names it in library `{library}`, which has no `path`"
            )),
            None => Err(
                "no library of the configuration's `sim.extern` section implements it".to_string(),
            ),
        }
    }
}
