//! Regular expressions with ECMAScript (ECMA-262) semantics, the dialect
//! Smithy specifies for `@pattern` and the endpoint rules use for
//! `regionRegex`. One small interface, two engines: in the browser the
//! browser's own `RegExp` (no regex engine in the .wasm), on the host the
//! `regress` crate. `tests/properties.rs` and `tests/browser_patterns.rs`
//! check that both agree on every pattern of the vendored model.

/// Which ECMAScript flags a pattern is compiled with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The `u` flag: code points, not UTF-16 units, and strict syntax. Model
    /// patterns use it, so lengths and `.` count characters as Smithy does.
    Unicode,
    /// No flags (the endpoint rules' `regionRegex` is written for this).
    Plain,
}

/// A compiled ECMAScript regular expression (unanchored, like `RegExp.test`).
pub struct Regex {
    source: String,
    mode: Mode,
    #[cfg(not(target_arch = "wasm32"))]
    compiled: regress::Regex,
    #[cfg(target_arch = "wasm32")]
    compiled: usize,
}

impl std::fmt::Debug for Regex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "/{}/{}",
            self.source,
            if self.mode == Mode::Unicode { "u" } else { "" }
        )
    }
}

impl Regex {
    /// Compiles `source`; the error is the engine's own message.
    pub fn new(source: &str, mode: Mode) -> Result<Self, String> {
        #[cfg(not(target_arch = "wasm32"))]
        {
            let flags = if mode == Mode::Unicode { "u" } else { "" };
            let compiled = regress::Regex::with_flags(source, flags).map_err(|e| e.to_string())?;
            Ok(Self {
                source: source.to_owned(),
                mode,
                compiled,
            })
        }
        #[cfg(target_arch = "wasm32")]
        {
            let compiled = browser::compile(source, mode)?;
            Ok(Self {
                source: source.to_owned(),
                mode,
                compiled,
            })
        }
    }

    /// The pattern as given.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the pattern matches somewhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.compiled.find(text).is_some()
        }
        #[cfg(target_arch = "wasm32")]
        {
            browser::is_match(self.compiled, text)
        }
    }
}

#[cfg(target_arch = "wasm32")]
mod browser {
    //! The browser's `RegExp`, compiled once per [`Regex`](super::Regex) and
    //! kept in a per-thread table (a `JsValue` cannot live in the model's
    //! `static`); a `Regex` holds its index.
    use std::cell::RefCell;

    use wasm_bindgen::JsValue;

    use super::Mode;

    thread_local! {
        static COMPILED: RefCell<Vec<js_sys::RegExp>> = const { RefCell::new(Vec::new()) };
    }

    /// Compiles into the table and returns the index; `RegExp`'s
    /// SyntaxError message on failure.
    pub(super) fn compile(source: &str, mode: Mode) -> Result<usize, String> {
        let flags = if mode == Mode::Unicode { "u" } else { "" };
        // `new RegExp` throws on a bad pattern; construct it through Reflect
        // so the exception comes back as an Err.
        let ctor = js_sys::RegExp::new("", "").constructor();
        let args = js_sys::Array::of2(&JsValue::from_str(source), &JsValue::from_str(flags));
        let made = js_sys::Reflect::construct(&ctor, &args).map_err(|e| {
            js_sys::Reflect::get(&e, &JsValue::from_str("message"))
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or_else(|| "not a valid regular expression".to_owned())
        })?;
        Ok(COMPILED.with(|table| {
            let mut table = table.borrow_mut();
            table.push(made.into());
            table.len() - 1
        }))
    }

    pub(super) fn is_match(index: usize, text: &str) -> bool {
        COMPILED.with(|table| table.borrow().get(index).is_some_and(|r| r.test(text)))
    }
}
