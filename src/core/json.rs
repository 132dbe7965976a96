//! JSON text of a [`Value`], compact or pretty, byte for byte as
//! `serde_json::to_string` / `to_string_pretty` write it (same escapes, two
//! spaces of indentation, `[]` and `{}` for empty containers, numbers).
//!
//! Why not serde_json's writer: it formats every `f64` with `zmij`, whose
//! table of powers of ten (about 10 KB of random-looking bits) ships in the
//! .wasm for numbers the console practically never meets. Here a
//! non-integer number takes its shortest round-trip digits from the
//! platform (the browser's `Number.prototype.toString`; `{:e}` on the host),
//! and [`float_text`] lays them out as serde_json does: `2.0`, `0.001234`,
//! `1.5e+16`, `1e-6`, `-0.0`.

use serde_json::{Number, Value};

/// `value` as compact JSON text (`serde_json::to_string`).
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    write(&mut out, value, None);
    out
}

/// `value` as pretty JSON text (`serde_json::to_string_pretty`).
pub fn to_string_pretty(value: &Value) -> String {
    let mut out = String::new();
    write(&mut out, value, Some(0));
    out
}

/// `text` as a JSON string literal, quotes included.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    write_str(&mut out, text);
    out
}

/// The text of a JSON number, as serde_json writes it.
pub fn number_text(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    // `Value` numbers are always finite
    float_text(n.as_f64().unwrap_or_default())
}

/// `x` as serde_json writes an `f64` (zmij's layout): plain decimals when
/// the exponent of the first digit is within -5..=15 (`.0` added to whole
/// numbers), else `d[.ddd]e±N`; zero is `0.0` or `-0.0`.
fn float_text(x: f64) -> String {
    let sign = if x.is_sign_negative() { "-" } else { "" };
    if x == 0.0 {
        return format!("{sign}0.0");
    }
    let (digits, exp) = scientific_parts(&shortest_digits(x.abs()));
    let n = digits.len() as i32;
    let body = if (-5..=15).contains(&exp) {
        if n - 1 <= exp {
            // 1234e7 -> 12340000000.0
            format!("{digits}{}.0", "0".repeat((exp + 1 - n) as usize))
        } else if exp >= 0 {
            // 1234e-2 -> 12.34
            let (int, frac) = digits.split_at(exp as usize + 1);
            format!("{int}.{frac}")
        } else {
            // 1234e-6 -> 0.001234
            format!("0.{}{digits}", "0".repeat((-exp - 1) as usize))
        }
    } else {
        let (first, rest) = digits.split_at(1);
        let dot = if rest.is_empty() { "" } else { "." };
        let e_sign = if exp >= 0 { "+" } else { "-" };
        format!("{first}{dot}{rest}e{e_sign}{}", exp.unsigned_abs())
    };
    format!("{sign}{body}")
}

/// The shortest text that reads back as `x` (finite, positive), in the
/// platform's own layout.
#[cfg(target_arch = "wasm32")]
fn shortest_digits(x: f64) -> String {
    js_sys::Number::from(x)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}

#[cfg(not(target_arch = "wasm32"))]
fn shortest_digits(x: f64) -> String {
    let text = format!("{x:e}");
    let (digits, exp) = scientific_parts(&text);
    // Rust rounds a tie (the exact value halfway between two shortest
    // texts, e.g. 129483544502519.125) up; serde_json and ECMAScript's
    // `Number#toString` take the even last digit. The exact value: an f64
    // has at most 767 significant digits.
    let (exact, exact_exp) = scientific_parts(&format!("{x:.800e}"));
    let n = digits.len();
    let tie = exact_exp == exp && exact.len() == n + 1 && exact.ends_with('5');
    let down = &exact[..n.min(exact.len())];
    if tie && down != digits && down.as_bytes()[n - 1] % 2 == 0 {
        let (first, rest) = down.split_at(1);
        let dot = if rest.is_empty() { "" } else { "." };
        let even = format!("{first}{dot}{rest}e{exp}");
        if even.parse::<f64>() == Ok(x) {
            return even;
        }
    }
    text
}

/// Decimal text (`1764365502.5`, `0.000001`, `1.5e+16`, `1e-7`) as its
/// significant digits and the power of ten of the first one.
fn scientific_parts(text: &str) -> (String, i32) {
    let (mantissa, exp) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.trim_start_matches('+').parse::<i32>().unwrap_or(0)),
        None => (text, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all = format!("{int}{frac}");
    let leading = all.len() - all.trim_start_matches('0').len();
    let digits = all.trim_matches('0');
    let first_exp = exp + int.len() as i32 - 1 - leading as i32;
    (digits.to_owned(), first_exp)
}

/// `indent`: `None` for compact text, else the current depth.
fn write(out: &mut String, value: &Value, indent: Option<usize>) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number_text(n)),
        Value::String(s) => write_str(out, s),
        Value::Array(items) => {
            write_container(out, '[', ']', items.iter().map(|v| (None, v)), indent)
        }
        Value::Object(map) => write_container(
            out,
            '{',
            '}',
            map.iter().map(|(k, v)| (Some(k.as_str()), v)),
            indent,
        ),
    }
}

fn write_container<'a>(
    out: &mut String,
    open: char,
    close: char,
    entries: impl ExactSizeIterator<Item = (Option<&'a str>, &'a Value)>,
    indent: Option<usize>,
) {
    out.push(open);
    let empty = entries.len() == 0;
    let inner = indent.map(|d| d + 1);
    for (i, (key, v)) in entries.enumerate() {
        if i > 0 {
            out.push(',');
        }
        newline(out, inner);
        if let Some(key) = key {
            write_str(out, key);
            out.push_str(if indent.is_some() { ": " } else { ":" });
        }
        write(out, v, inner);
    }
    if !empty {
        newline(out, indent);
    }
    out.push(close);
}

fn newline(out: &mut String, indent: Option<usize>) {
    if let Some(depth) = indent {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    }
}

fn write_str(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),

            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 0xf] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_as_serde_json_does() {
        let value = json!({
            "s": "quote \" backslash \\ nl \n cr \r tab \t bs \u{8} ff \u{c} nul \u{0} us \u{1f} del \u{7f} é 😀",
            "n": [0, -1, 18446744073709551615u64, -9223372036854775808i64, 2.5, -0.125, 1e300, 1.5e-7],
            "b": [true, false, null],
            "e": {"a": [], "o": {}},
            "nested": [[1, [2, {"k": "v"}]], {}],
        });
        assert_eq!(to_string(&value), serde_json::to_string(&value).unwrap());
        assert_eq!(
            to_string_pretty(&value),
            serde_json::to_string_pretty(&value).unwrap()
        );
        for x in [
            2.0,
            -0.0,
            0.0,
            1e15,
            1e16,
            1.5e16,
            1e-5,
            1e-6,
            1.25e-5,
            1764365502.0,
            1764365502.5,
            1e21,
            1e300,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
            0.1,
            123456.789,
            -2.5e-7,
            // ties: exactly …519.125 and …647.25, halfway between two
            // shortest texts
            129483544502519.12,
            947373227642647.2,
        ] {
            assert_eq!(
                to_string(&json!(x)),
                serde_json::to_string(&json!(x)).unwrap(),
                "{x:e}"
            );
        }
        assert_eq!(to_string(&json!([])), "[]");
        assert_eq!(to_string_pretty(&json!({})), "{}");
        assert_eq!(quote("a\"b"), "\"a\\\"b\"");
    }
}
