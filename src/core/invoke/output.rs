//! What the page shows of an agent's answer while it streams in.
//!
//! Every byte is counted; only the last [`VIEW_LIMIT`] bytes (or, for an
//! event stream, the last events up to that size) are kept for the view,
//! with a note of what was cut. The shell keeps the whole bytes for "Save
//! whole response"; this is only the view.
//!
//! By content type: `text/event-stream` is parsed into events ([`super::super::sse`]),
//! each event's data pretty-printed when it is JSON; `application/json` (and
//! `+json`) is pretty-printed once complete; other text is shown as text;
//! bytes that are not text (not UTF-8, or holding NUL) as their size and a
//! hex preview.

use std::collections::VecDeque;

use serde_json::Value;

use crate::core::json::to_string_pretty;
use crate::core::sse::{SseEvent, SseParser};

/// How much of the answer the view keeps: the last 1 MB.
pub const VIEW_LIMIT: usize = 1 << 20;
/// How many bytes a binary answer shows in hex.
pub const HEX_PREVIEW: usize = 256;

/// How the body is read, from its `Content-Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// `text/event-stream`: server-sent events.
    EventStream,
    /// `application/json` or `*/*+json`.
    Json,
    /// Anything else: text if it decodes, else binary.
    Other,
}

impl BodyKind {
    /// The kind for a `Content-Type` header value (parameters ignored).
    pub fn from_content_type(content_type: Option<&str>) -> Self {
        let essence = content_type
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if essence == "text/event-stream" {
            Self::EventStream
        } else if essence == "application/json" || essence.ends_with("+json") {
            Self::Json
        } else {
            Self::Other
        }
    }
}

/// One event as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownEvent {
    /// The event type (`message` by default).
    pub event: String,
    /// The last event id, if the stream set one.
    pub id: Option<String>,
    /// The data: pretty-printed JSON when it parses, else as sent.
    pub text: String,
    /// Whether `text` is pretty-printed JSON.
    pub is_json: bool,
}

/// What the view shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// Nothing arrived (yet).
    Empty,
    /// Server-sent events, oldest kept first.
    Events(Vec<ShownEvent>),
    /// A complete JSON document, pretty-printed.
    Json(String),
    /// Text as it arrived (the kept part).
    Text(String),
    /// Bytes that are not text: total size and a hex preview of the first
    /// kept bytes.
    Binary {
        /// Bytes received in all.
        size: u64,
        /// Hex of up to [`HEX_PREVIEW`] bytes, space-separated.
        hex: String,
    },
}

impl Shown {
    /// The text the page shows: each event's data on its own lines, a
    /// document or text as it is, the size and a hex preview of binary.
    pub fn to_text(&self) -> String {
        match self {
            Shown::Empty => String::new(),
            Shown::Events(events) => events
                .iter()
                .map(|e| e.text.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            Shown::Json(text) | Shown::Text(text) => text.clone(),
            Shown::Binary { size, hex } => {
                format!("{size} bytes, not text. The first bytes in hex:\n{hex}")
            }
        }
    }
}

/// The answer as it arrives: counts, the kept tail, parsed events.
#[derive(Debug, Clone)]
pub struct ResponseView {
    kind: BodyKind,
    total_bytes: u64,
    /// The last bytes (at most 2 × [`VIEW_LIMIT`]; the view uses the last
    /// [`VIEW_LIMIT`]). Unused for event streams.
    tail: Vec<u8>,
    parser: SseParser,
    events: VecDeque<ShownEvent>,
    events_size: usize,
    cut_events: u64,
    complete: bool,
}

impl ResponseView {
    /// An empty view for a body of this `Content-Type`.
    pub fn new(content_type: Option<&str>) -> Self {
        Self {
            kind: BodyKind::from_content_type(content_type),
            total_bytes: 0,
            tail: Vec::new(),
            parser: SseParser::new(),
            events: VecDeque::new(),
            events_size: 0,
            cut_events: 0,
            complete: false,
        }
    }

    /// How the body is read.
    pub fn kind(&self) -> BodyKind {
        self.kind
    }

    /// Bytes received in all.
    pub fn total_bytes(&self) -> u64 {
        self.total_bytes
    }

    /// Adds the next chunk.
    pub fn push(&mut self, chunk: &[u8]) {
        self.total_bytes += chunk.len() as u64;
        if self.kind == BodyKind::EventStream {
            for event in self.parser.push(chunk) {
                self.add_event(event);
            }
            return;
        }
        self.tail.extend_from_slice(chunk);
        if self.tail.len() > 2 * VIEW_LIMIT {
            let cut = self.tail.len() - VIEW_LIMIT;
            self.tail.drain(..cut);
        }
    }

    /// The body ended: an unfinished last event is shown, and JSON is
    /// pretty-printed.
    pub fn finish(&mut self) {
        if self.kind == BodyKind::EventStream
            && let Some(event) = self.parser.finish()
        {
            self.add_event(event);
        }
        self.complete = true;
    }

    fn add_event(&mut self, event: SseEvent) {
        let (text, is_json) = match serde_json::from_str::<Value>(&event.data) {
            Ok(value) if !event.data.trim().is_empty() => (to_string_pretty(&value), true),
            _ => (event.data, false),
        };
        self.events_size += text.len();
        self.events.push_back(ShownEvent {
            event: event.event,
            id: event.id,
            text,
            is_json,
        });
        while self.events_size > VIEW_LIMIT && self.events.len() > 1 {
            if let Some(old) = self.events.pop_front() {
                self.events_size -= old.text.len();
                self.cut_events += 1;
            }
        }
    }

    /// The kept bytes (the last [`VIEW_LIMIT`]).
    fn kept(&self) -> &[u8] {
        &self.tail[self.tail.len().saturating_sub(VIEW_LIMIT)..]
    }

    /// Bytes received but not kept for the view.
    pub fn cut_bytes(&self) -> u64 {
        match self.kind {
            BodyKind::EventStream => 0,
            _ => self.total_bytes - self.kept().len() as u64,
        }
    }

    /// The kept events of an event stream, oldest first (what
    /// [`Shown::Events`] holds, without copying them).
    pub fn events(&self) -> impl Iterator<Item = &ShownEvent> {
        self.events.iter()
    }

    /// What the view shows now.
    pub fn shown(&self) -> Shown {
        if self.kind == BodyKind::EventStream {
            return if self.events.is_empty() {
                Shown::Empty
            } else {
                Shown::Events(self.events.iter().cloned().collect())
            };
        }
        let kept = self.kept();
        if kept.is_empty() {
            return Shown::Empty;
        }
        let cut = self.cut_bytes() > 0;
        if self.kind == BodyKind::Json
            && self.complete
            && !cut
            && let Ok(value) = serde_json::from_slice::<Value>(kept)
        {
            return Shown::Json(to_string_pretty(&value));
        }
        // A cut may fall inside a UTF-8 sequence, and the stream may stop
        // inside one: skip continuation bytes at the start, allow an
        // incomplete sequence at the end.
        let start = if cut {
            kept.iter()
                .take(4)
                .take_while(|b| (**b & 0xC0) == 0x80)
                .count()
        } else {
            0
        };
        let text = &kept[start..];
        let valid = match std::str::from_utf8(text) {
            Ok(_) => text.len(),
            Err(e) if e.error_len().is_none() && !self.complete => e.valid_up_to(),
            Err(_) => 0,
        };
        match std::str::from_utf8(&text[..valid]) {
            Ok(s) if valid + 3 >= text.len() && valid > 0 && !s.contains('\0') => {
                Shown::Text(s.to_owned())
            }
            _ => Shown::Binary {
                size: self.total_bytes,
                hex: kept
                    .iter()
                    .take(HEX_PREVIEW)
                    .map(|b| format!("{b:02x}"))
                    .collect::<Vec<_>>()
                    .join(" "),
            },
        }
    }

    /// What was cut from the view, as a sentence, if anything.
    pub fn note(&self) -> Option<String> {
        if self.cut_events > 0 {
            return Some(format!(
                "The first {} events are not shown: the view keeps the last 1 MB. {} bytes received in all; \"Save whole response\" keeps everything.",
                self.cut_events, self.total_bytes
            ));
        }
        let cut = self.cut_bytes();
        (cut > 0).then(|| {
            format!(
                "The first {cut} bytes are not shown: the view keeps the last 1 MB. {} bytes received in all; \"Save whole response\" keeps everything.",
                self.total_bytes
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_choose_the_reading() {
        let kind = |ct| BodyKind::from_content_type(ct);
        assert_eq!(
            kind(Some("text/event-stream; charset=utf-8")),
            BodyKind::EventStream
        );
        assert_eq!(kind(Some("Application/JSON")), BodyKind::Json);
        assert_eq!(kind(Some("application/problem+json")), BodyKind::Json);
        assert_eq!(kind(Some("text/plain")), BodyKind::Other);
        assert_eq!(kind(None), BodyKind::Other);
    }

    #[test]
    fn json_events_are_pretty_printed_and_text_events_kept() {
        let mut view = ResponseView::new(Some("text/event-stream"));
        view.push(b"data: {\"a\":1}\n\ndata: plain");
        view.push(b" words\n\n");
        let Shown::Events(events) = view.shown() else {
            panic!("events expected")
        };
        assert_eq!(events[0].text, "{\n  \"a\": 1\n}");
        assert!(events[0].is_json);
        assert_eq!(
            (events[1].text.as_str(), events[1].is_json),
            ("plain words", false)
        );
        assert_eq!(view.total_bytes(), 34);
        assert_eq!(view.note(), None);
    }

    #[test]
    fn json_is_pretty_printed_only_when_complete() {
        let mut view = ResponseView::new(Some("application/json"));
        view.push(b"{\"result\": [1,");
        assert_eq!(view.shown(), Shown::Text("{\"result\": [1,".into()));
        view.push(b"2]}");
        assert_eq!(view.shown(), Shown::Text("{\"result\": [1,2]}".into()));
        view.finish();
        assert_eq!(
            view.shown(),
            Shown::Json("{\n  \"result\": [\n    1,\n    2\n  ]\n}".into())
        );
    }

    #[test]
    fn text_split_inside_a_character_waits_for_the_rest() {
        let mut view = ResponseView::new(Some("text/plain"));
        let bytes = "Grüße".as_bytes();
        view.push(&bytes[..3]);
        assert_eq!(view.shown(), Shown::Text("Gr".into()));
        view.push(&bytes[3..]);
        assert_eq!(view.shown(), Shown::Text("Grüße".into()));
    }

    #[test]
    fn binary_shows_size_and_hex() {
        let mut view = ResponseView::new(Some("application/octet-stream"));
        view.push(&[0, 1, 0xff, 0xfe]);
        view.finish();
        assert_eq!(
            view.shown(),
            Shown::Binary {
                size: 4,
                hex: "00 01 ff fe".into()
            }
        );
    }

    #[test]
    fn only_the_last_megabyte_is_kept_but_every_byte_counted() {
        let mut view = ResponseView::new(Some("text/plain"));
        let chunk = vec![b'a'; 300_000];
        for _ in 0..10 {
            view.push(&chunk);
        }
        view.push(b"THE END");
        assert_eq!(view.total_bytes(), 3_000_007);
        let Shown::Text(text) = view.shown() else {
            panic!("text expected")
        };
        assert_eq!(text.len(), VIEW_LIMIT);
        assert!(text.ends_with("THE END"));
        assert_eq!(view.cut_bytes(), 3_000_007 - VIEW_LIMIT as u64);
        assert!(view.note().unwrap().starts_with("The first 1951431 bytes"));
    }

    #[test]
    fn old_events_are_dropped_past_the_limit_with_a_note() {
        let mut view = ResponseView::new(Some("text/event-stream"));
        let line = format!("data: {}\n\n", "x".repeat(400_000));
        for _ in 0..4 {
            view.push(line.as_bytes());
        }
        let Shown::Events(events) = view.shown() else {
            panic!("events expected")
        };
        assert_eq!(events.len(), 2);
        assert_eq!(view.events().count(), 2);
        assert!(view.note().unwrap().starts_with("The first 2 events"));
    }
}
