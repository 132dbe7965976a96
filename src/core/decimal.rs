//! Decimal text to `f64`, accepting exactly the texts `str::parse::<f64>`
//! accepts for finite numbers, without linking the standard library's float
//! parser. The value is serde_json's reading, which equals `str::parse`'s for
//! the numbers the console reads (epoch seconds, short decimals) and is
//! within one unit in the last place for long ones (17 significant digits).
//!
//! `core`'s correctly rounded parser carries a 10 KB table of 128-bit powers
//! of five that compresses to almost nothing; the .wasm already holds
//! serde_json's number parser (every response goes through it). So the text
//! is rewritten into JSON's number grammar (no `+`, no leading zeros, digits
//! on both sides of the point) and parsed by serde_json. `inf`, `infinity`
//! and `NaN` are refused: every caller treats a non-finite number like text
//! that is not a number.

/// The finite `f64` that `text` spells in Rust's float syntax
/// (`[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`), or `None`.
/// Out-of-range exponents give `None` where `str::parse` gives infinity, and
/// `0.0` for underflow, as it does.
pub fn parse_f64(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut json = String::with_capacity(text.len() + 2);
    match bytes.first() {
        Some(b'-') => {
            json.push('-');
            i = 1;
        }
        Some(b'+') => i = 1,
        _ => {}
    }
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .position(|b| !b.is_ascii_digit())
            .map_or(bytes.len(), |n| from + n)
    };
    let int_end = digits(i);
    let int = &text[i..int_end];
    let (frac, frac_end) = match bytes.get(int_end) {
        Some(b'.') => {
            let end = digits(int_end + 1);
            (&text[int_end + 1..end], end)
        }
        _ => ("", int_end),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let int = int.trim_start_matches('0');
    json.push_str(if int.is_empty() { "0" } else { int });
    if !frac.is_empty() {
        json.push('.');
        json.push_str(frac);
    }
    let rest = &text[frac_end..];
    if !rest.is_empty() {
        let exp = rest.strip_prefix(['e', 'E'])?;
        let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        json.push('e');
        json.push_str(exp);
    }
    // Parsed as a `Value` (serde_json's `deserialize_any`), not as `f64`,
    // whose type errors would link serde_json's float formatting.
    serde_json::from_str::<serde_json::Value>(&json)
        .ok()?
        .as_f64()
        .filter(|n| n.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shapes_rust_accepts_are_accepted() {
        for (text, want) in [
            ("0", 0.0),
            ("-0", -0.0),
            ("+1.5", 1.5),
            (".5", 0.5),
            ("5.", 5.0),
            ("007.25", 7.25),
            ("1e3", 1000.0),
            ("1E+3", 1000.0),
            ("2.5e-3", 0.0025),
            ("5.e2", 500.0),
            ("1764365502.5", 1764365502.5),
            ("1e-400", 0.0),
        ] {
            assert_eq!(parse_f64(text), Some(want), "{text}");
            assert_eq!(text.parse::<f64>().ok(), Some(want), "{text}");
        }
    }

    #[test]
    fn what_rust_refuses_or_makes_infinite_is_refused() {
        for text in [
            "",
            "+",
            "-",
            ".",
            "e5",
            "1e",
            "1e+",
            "1.2.3",
            " 1",
            "1 ",
            "0x10",
            "1_000",
            "inf",
            "-infinity",
            "NaN",
            "1e400",
            "١",
        ] {
            assert_eq!(parse_f64(text), None, "{text:?}");
            assert!(
                text.parse::<f64>().map_or(true, |n| !n.is_finite()),
                "{text:?}"
            );
        }
    }

    // proptest is a host-only dev-dependency (the lib's tests also build
    // for wasm32, see scripts/test.sh wasm-test).
    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn agrees_with_the_standard_parser(
                sign in "[+-]?", int in "[0-9]{0,12}", frac in prop::option::of("[0-9]{0,12}"),
                exp in prop::option::of("[eE][+-]?[0-9]{1,3}"),
            ) {
                let text = format!(
                    "{sign}{int}{}{}",
                    frac.map(|f| format!(".{f}")).unwrap_or_default(),
                    exp.unwrap_or_default()
                );
                let std = text.parse::<f64>().ok().filter(|n| n.is_finite());
                let ours = parse_f64(&text);
                match (std, ours) {
                    (Some(a), Some(b)) => prop_assert!(
                        a == b || ((a - b) / a).abs() < 1e-15,
                        "{text}: {a} vs {b}"
                    ),
                    (a, b) => prop_assert_eq!(a, b, "{}", text),
                }
            }
        }
    }
}
