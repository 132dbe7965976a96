//! Words for counts in the messages the console writes (English plurals:
//! "1 entry", "2 entries", "1 field needs", "3 fields need").

/// `one` when `n` is 1, else `many`: the word that goes with a count, as in
/// `format!("{n} {}", plural(n, "entry", "entries"))`. Verbs agree the same
/// way (`plural(n, "needs", "need")`).
pub fn plural<'a, N: PartialEq + From<u8>>(n: N, one: &'a str, many: &'a str) -> &'a str {
    if n == N::from(1) { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_takes_the_singular_and_every_other_count_the_plural() {
        assert_eq!(plural(1_usize, "entry", "entries"), "entry");
        assert_eq!(plural(0_usize, "entry", "entries"), "entries");
        assert_eq!(plural(2_u64, "minute", "minutes"), "minutes");
        assert_eq!(plural(1_i64, "character", "characters"), "character");
        assert_eq!(plural(-1_i64, "character", "characters"), "characters");
        assert_eq!(plural(11_usize, "is", "are"), "are");
    }
}
