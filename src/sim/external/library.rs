//! External functions in C, loaded as actsim loads them: the configuration's `sim.extern`
//! section lists libraries (`string_table libs "mylib"`), each with its `path` and, for each
//! function it implements, the function's name in the design (with its namespace, `ns::f`)
//! mapped to the C symbol:
//!
//! ```text
//! begin sim
//!   begin extern
//!     string_table libs "mylib"
//!     begin mylib
//!       string path "./libmine.so"
//!       string ns::f "my_f"
//!     end
//!   end
//! end
//! ```
//!
//! The C function is `struct expr_res my_f(int nargs, struct expr_res *args)`, with
//! `struct expr_res { unsigned long v; int width; }`: each argument's value and bit width in,
//! the result's out (actsim's `actsim_ext.h`).
use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{c_int, c_ulong};
use std::rc::Rc;

use super::Word;

/// What the configuration's `sim.extern` section says: the libraries, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ExternConfig {
    pub libraries: Vec<ExternLibrary>,
}

/// One library of `sim.extern.libs`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ExternLibrary {
    /// Its name in the configuration.
    pub name: String,
    /// `sim.extern.NAME.path`, with `${VAR}` replaced by the environment's value.
    pub path: Option<String>,
    /// Function name (`ns::f`) to C symbol.
    pub symbols: HashMap<String, String>,
}

/// Where a function is found: its library's path and its symbol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Found {
    pub library: String,
    pub path: String,
    pub symbol: String,
}

impl ExternConfig {
    /// The library and symbol the configuration gives for the function `name` (`ns::f`): the
    /// first library that names it. `Err` names a library that lists it without a path.
    pub(crate) fn find(&self, name: &str) -> Option<Result<Found, String>> {
        self.libraries.iter().find_map(|library| {
            let symbol = library.symbols.get(name)?;
            Some(match &library.path {
                Some(path) => Ok(Found {
                    library: library.name.clone(),
                    path: path.clone(),
                    symbol: symbol.clone(),
                }),
                None => Err(library.name.clone()),
            })
        })
    }
}

/// `struct expr_res` of actsim's `actsim_ext.h`.
#[repr(C)]
#[derive(Clone, Copy)]
struct ExprRes {
    v: c_ulong,
    width: c_int,
}

type ExtFn = unsafe extern "C" fn(c_int, *mut ExprRes) -> ExprRes;

/// A C function of a loaded library (which it keeps loaded).
pub(crate) struct LibraryFunction {
    function: ExtFn,
    symbol: String,
    _library: Rc<libloading::Library>,
}

impl LibraryFunction {
    pub(crate) fn symbol(&self) -> &str {
        &self.symbol
    }

    pub(crate) fn call(&self, args: &[Word]) -> Word {
        let mut args: Vec<ExprRes> = (args.iter())
            .map(|a| ExprRes {
                v: a.value as c_ulong,
                width: a.width as c_int,
            })
            .collect();
        let count = args.len() as c_int;
        // SAFETY: the configuration says this symbol is an external function with actsim's
        // signature; the argument array lives until it returns.
        let result = unsafe { (self.function)(count, args.as_mut_ptr()) };
        Word {
            value: result.v,
            width: result.width.clamp(0, 64) as u32,
        }
    }
}

/// The libraries loaded so far, each once (by path).
#[derive(Default)]
pub(crate) struct Libraries {
    loaded: RefCell<HashMap<String, Rc<libloading::Library>>>,
}

impl std::fmt::Debug for Libraries {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.loaded.borrow().keys()).finish()
    }
}

impl Libraries {
    /// The function `found` names, its library loaded if it was not. `Err` says why not.
    pub(crate) fn load(&self, found: &Found) -> Result<LibraryFunction, String> {
        let library = self.loaded.borrow().get(&found.path).cloned();
        let library = match library {
            Some(library) => library,
            None => {
                // SAFETY: loading a library runs its initialisers; the configuration names
                // it as a library of external functions for the simulator, as for actsim.
                let library = unsafe { libloading::Library::new(&found.path) }.map_err(|e| {
                    format!(
                        "cannot load library `{}` ({}): {e}",
                        found.path, found.library
                    )
                })?;
                let library = Rc::new(library);
                (self.loaded.borrow_mut()).insert(found.path.clone(), library.clone());
                library
            }
        };
        // SAFETY: the symbol is taken as actsim's external function type, as the
        // configuration declares; it stays valid while `library` is kept loaded.
        let function = unsafe { library.get::<ExtFn>(found.symbol.as_bytes()) }
            .map(|symbol| *symbol)
            .map_err(|_| {
                format!(
                    "library `{}` has no function `{}`",
                    found.path, found.symbol
                )
            })?;
        Ok(LibraryFunction {
            function,
            symbol: found.symbol.clone(),
            _library: library,
        })
    }
}

/// `text` with each `${NAME}` replaced by the environment variable's value (empty if unset),
/// as ACT's configuration strings are.
pub(crate) fn expand_variables(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        out.push_str(&rest[..start]);
        let name = &rest[start + 2..start + end];
        out.push_str(&std::env::var(name).unwrap_or_default());
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}
