//! Server-sent events (`text/event-stream`), as the HTML standard parses
//! them (<https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation>):
//! bytes in as they arrive, events out.
//!
//! Chunks may split the stream anywhere, even inside a line, a `\r\n` or a
//! UTF-8 sequence: a line is decoded only once it is complete. Lines end
//! with CRLF, LF or CR; a leading byte-order mark is dropped; lines starting
//! with `:` are comments. `data:` lines of one event are joined with `\n`;
//! `event:` names the event (`message` when absent); `id:` sets the last
//! event id, which later events keep; `retry:` (digits) is the reconnection
//! delay. An empty line dispatches the event.

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The event type: the `event:` field, `message` when absent.
    pub event: String,
    /// The `data:` lines joined with `\n`.
    pub data: String,
    /// The last event id seen so far (the spec's "last event ID"), if any.
    pub id: Option<String>,
}

/// The default event type.
pub const MESSAGE: &str = "message";

/// An incremental event-stream parser.
#[derive(Debug, Default, Clone)]
pub struct SseParser {
    /// Bytes of the line not yet complete.
    line: Vec<u8>,
    /// The previous chunk ended with `\r`: a `\n` starting the next one
    /// belongs to the same line end.
    after_cr: bool,
    /// Whether the first line (which may carry a BOM) was read.
    started: bool,
    data: String,
    has_data: bool,
    event: String,
    last_id: Option<String>,
    retry_ms: Option<u64>,
}

impl SseParser {
    /// A parser at the start of a stream.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds the next chunk; returns the events it completes.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        let mut events = Vec::new();
        let mut rest = chunk;
        if self.after_cr {
            self.after_cr = false;
            if let Some(b'\n') = rest.first() {
                rest = &rest[1..];
            }
        }
        while let Some(end) = rest.iter().position(|b| *b == b'\n' || *b == b'\r') {
            self.line.extend_from_slice(&rest[..end]);
            let line = std::mem::take(&mut self.line);
            if let Some(event) = self.process_line(&line) {
                events.push(event);
            }
            let is_cr = rest[end] == b'\r';
            rest = &rest[end + 1..];
            if is_cr {
                match rest.first() {
                    Some(b'\n') => rest = &rest[1..],
                    None => self.after_cr = true,
                    Some(_) => {}
                }
            }
        }
        self.line.extend_from_slice(rest);
        events
    }

    /// The reconnection delay the stream asked for (`retry:`), if any.
    pub fn retry_ms(&self) -> Option<u64> {
        self.retry_ms
    }

    /// Whether the stream ended inside an event (data read but not yet
    /// dispatched by an empty line). The standard discards such an event;
    /// [`Self::finish`] returns it so that nothing the agent sent is hidden.
    pub fn has_pending(&self) -> bool {
        self.has_data || !self.line.is_empty()
    }

    /// At the end of the stream: the event left undispatched (its last line
    /// may lack a line end), if it has data.
    pub fn finish(&mut self) -> Option<SseEvent> {
        let line = std::mem::take(&mut self.line);
        if !line.is_empty()
            && let Some(event) = self.process_line(&line)
        {
            return Some(event);
        }
        self.after_cr = false;
        self.process_line(b"")
    }

    fn process_line(&mut self, bytes: &[u8]) -> Option<SseEvent> {
        let decoded = String::from_utf8_lossy(bytes);
        let mut line: &str = &decoded;
        if !self.started {
            self.started = true;
            line = line.strip_prefix('\u{FEFF}').unwrap_or(line);
        }
        if line.is_empty() {
            return self.dispatch();
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "event" => value.clone_into(&mut self.event),
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "id" if !value.contains('\0') => self.last_id = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry_ms = value.parse().ok();
            }
            _ => {}
        }
        None
    }

    fn dispatch(&mut self) -> Option<SseEvent> {
        let event = std::mem::take(&mut self.event);
        if !std::mem::take(&mut self.has_data) {
            return None;
        }
        Some(SseEvent {
            event: if event.is_empty() {
                MESSAGE.to_owned()
            } else {
                event
            },
            data: std::mem::take(&mut self.data),
            id: self.last_id.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &[u8]) -> Vec<SseEvent> {
        let mut parser = SseParser::new();
        let mut events = parser.push(text);
        events.extend(parser.finish());
        events
    }

    fn ev(event: &str, data: &str, id: Option<&str>) -> SseEvent {
        SseEvent {
            event: event.to_owned(),
            data: data.to_owned(),
            id: id.map(str::to_owned),
        }
    }

    #[test]
    fn data_lines_join_with_newlines_and_fields_apply() {
        let events = parse(
            b"\xEF\xBB\xBFdata: a\ndata:b\n\n: a comment\nevent: delta\nid: 7\ndata: {\"x\":1}\n\ndata: c\n\n",
        );
        assert_eq!(
            events,
            [
                ev("message", "a\nb", None),
                ev("delta", "{\"x\":1}", Some("7")),
                ev("message", "c", Some("7")),
            ]
        );
    }

    #[test]
    fn crlf_lf_and_cr_all_end_lines() {
        let events = parse(b"data: 1\r\n\r\ndata: 2\r\rdata: 3\n\ndata: 4\r\n\n");
        let data: Vec<&str> = events.iter().map(|e| e.data.as_str()).collect();
        assert_eq!(data, ["1", "2", "3", "4"]);
    }

    #[test]
    fn a_cr_at_a_chunk_end_and_its_lf_make_one_line_end() {
        let mut parser = SseParser::new();
        assert_eq!(parser.push(b"data: x\r"), []);
        // The LF completes the CRLF, it is not an empty line.
        assert_eq!(parser.push(b"\n"), []);
        assert_eq!(parser.push(b"\r\n"), [ev("message", "x", None)]);
    }

    #[test]
    fn events_without_data_are_not_dispatched_and_unknown_fields_ignored() {
        assert_eq!(parse(b"event: ping\n\nfoo: bar\nretry: 10\n\n"), []);
        let mut parser = SseParser::new();
        parser.push(b"retry: 1500\nretry: x\n");
        assert_eq!(parser.retry_ms(), Some(1500));
        assert_eq!(parse(b"data\n\n"), [ev("message", "", None)]);
    }

    #[test]
    fn the_unfinished_last_event_is_returned_by_finish() {
        let mut parser = SseParser::new();
        assert_eq!(parser.push(b"data: tail"), []);
        assert!(parser.has_pending());
        assert_eq!(parser.finish(), Some(ev("message", "tail", None)));
        assert_eq!(parser.finish(), None);
    }

    #[test]
    fn a_utf8_sequence_split_between_chunks_is_decoded_whole() {
        let text = "data: Grüße 👋\n\n".as_bytes();
        let mut parser = SseParser::new();
        let mut events = Vec::new();
        for byte in text {
            events.extend(parser.push(std::slice::from_ref(byte)));
        }
        assert_eq!(events, [ev("message", "Grüße 👋", None)]);
    }
}
