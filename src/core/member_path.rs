//! Member paths: where a value sits in a request or a draft, as typed
//! segments (Smithy member names, list indexes, map keys) rather than a
//! dotted string. A map key may hold any character the model allows
//! (environment variable keys have no pattern: `A.B` and `my key` are
//! keys), so a path is never split on `.`.
//!
//! The dotted string (`environmentVariables.0.key`,
//! `environmentVariables.LOG_LEVEL`) is only a rendering, for the form
//! controls' `name`, `id` and `data-path` (the README's automation contract):
//! [`MemberPath`]'s `Display`.

use std::fmt;

/// One step of a [`MemberPath`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Segment {
    /// A member of a structure or union, by name. In a draft, `key` and
    /// `value` of a map entry are members too ([`super::draft::MAP_KEY`],
    /// [`super::draft::MAP_VALUE`]).
    Member(String),
    /// A list item, or (in a draft) a map entry by position, zero-based.
    Index(usize),
    /// A map entry by its key, as a request names it.
    Key(String),
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Segment::Member(name) => f.write_str(name),
            Segment::Index(i) => write!(f, "{i}"),
            Segment::Key(key) => f.write_str(key),
        }
    }
}

/// A path from the input structure to one value: the empty path is the
/// input itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MemberPath(Vec<Segment>);

impl MemberPath {
    /// The input structure itself.
    pub fn root() -> Self {
        Self::default()
    }

    /// A path from its segments.
    pub fn from_segments(segments: Vec<Segment>) -> Self {
        Self(segments)
    }

    /// A form control's name (`environmentVariables.0.key`) as a path: all
    /// digits is an index, anything else a member name. Control names never
    /// hold map keys (entries are addressed by position), and model member
    /// names never hold a `.`, so this is the exact inverse of `Display` for
    /// every path without [`Segment::Key`].
    pub fn from_control_name(name: &str) -> Self {
        Self(
            name.split('.')
                .filter(|s| !s.is_empty())
                .map(|s| match s.parse::<usize>() {
                    Ok(i) if s.bytes().all(|b| b.is_ascii_digit()) => Segment::Index(i),
                    _ => Segment::Member(s.to_owned()),
                })
                .collect(),
        )
    }

    /// This path and one more segment.
    pub fn child(&self, segment: Segment) -> Self {
        let mut segments = self.0.clone();
        segments.push(segment);
        Self(segments)
    }

    /// This path and a member.
    pub fn member(&self, name: &str) -> Self {
        self.child(Segment::Member(name.to_owned()))
    }

    /// This path and a list index (or a draft's map entry position).
    pub fn index(&self, i: usize) -> Self {
        self.child(Segment::Index(i))
    }

    /// This path and a map key.
    pub fn key(&self, key: &str) -> Self {
        self.child(Segment::Key(key.to_owned()))
    }

    /// The segments, first to last.
    pub fn segments(&self) -> &[Segment] {
        &self.0
    }

    /// Whether this is the input itself.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// The last segment, if any.
    pub fn last(&self) -> Option<&Segment> {
        self.0.last()
    }

    /// The path without its last segment (the root's parent is the root).
    pub fn parent(&self) -> Self {
        Self(self.0[..self.0.len().saturating_sub(1)].to_vec())
    }

    /// The top-level member this path starts in (the root for the root).
    pub fn top(&self) -> Self {
        Self(self.0.iter().take(1).cloned().collect())
    }

    /// The name of the top-level member the path starts in, if it starts
    /// with a member.
    pub fn top_member(&self) -> Option<&str> {
        match self.0.first() {
            Some(Segment::Member(name)) => Some(name),
            _ => None,
        }
    }

    /// The raw key when the path ends at a map entry named by key.
    pub fn map_key(&self) -> Option<&str> {
        match self.0.last() {
            Some(Segment::Key(key)) => Some(key),
            _ => None,
        }
    }

    /// Whether `self` is `scope` or lies inside it.
    pub fn is_within(&self, scope: &MemberPath) -> bool {
        self.0.starts_with(&scope.0)
    }
}

impl fmt::Display for MemberPath {
    /// The contract rendering: segments joined by `.`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            segment.fmt(f)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_names_parse_back_to_the_same_path() {
        let path = MemberPath::root()
            .member("environmentVariables")
            .index(10)
            .member("key");
        assert_eq!(path.to_string(), "environmentVariables.10.key");
        assert_eq!(
            MemberPath::from_control_name("environmentVariables.10.key"),
            path
        );
        assert_eq!(MemberPath::from_control_name(""), MemberPath::root());
    }

    #[test]
    fn map_keys_are_one_segment_whatever_they_hold() {
        let path = MemberPath::root().member("environmentVariables").key("A.B");
        assert_eq!(path.to_string(), "environmentVariables.A.B");
        assert_eq!(path.segments().len(), 2);
        assert_eq!(path.map_key(), Some("A.B"));
        assert_eq!(
            path.parent(),
            MemberPath::root().member("environmentVariables")
        );
        assert_eq!(path.top(), path.parent());
        assert!(path.is_within(&path.parent()));
        assert!(!path.parent().is_within(&path));
        let spaced = MemberPath::root()
            .member("environmentVariables")
            .key("my key");
        assert_eq!(spaced.to_string(), "environmentVariables.my key");
    }
}
