#![cfg(not(target_arch = "wasm32"))]
//! The event-stream parser gives the same events however the stream is cut
//! into chunks: at every single position, at several random positions, or
//! one byte at a time (inside lines, CRLFs and UTF-8 sequences).

use agentcore_console::core::sse::{SseEvent, SseParser};
use proptest::prelude::*;

/// Pieces streams are made of: fields, line ends of every kind, comments,
/// multi-byte characters and a BOM.
const PIECES: &[&str] = &[
    "data: ",
    "data:",
    "event: delta",
    "id: 42",
    "id",
    ": keep-alive",
    "retry: 300",
    "\n",
    "\r",
    "\r\n",
    "\n\n",
    "\r\n\r\n",
    "{\"text\":\"hi\"}",
    "Grüße",
    "👋",
    "x",
    " ",
    ":",
];

fn stream() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<bool>(),
        prop::collection::vec(prop::sample::select(PIECES), 0..40),
    )
        .prop_map(|(bom, pieces)| {
            let mut text = if bom {
                "\u{FEFF}".to_owned()
            } else {
                String::new()
            };
            text.extend(pieces);
            text.into_bytes()
        })
}

fn parse_chunks<'a>(chunks: impl IntoIterator<Item = &'a [u8]>) -> Vec<SseEvent> {
    let mut parser = SseParser::new();
    let mut events = Vec::new();
    for chunk in chunks {
        events.extend(parser.push(chunk));
    }
    events.extend(parser.finish());
    events
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn split_at_every_position_gives_the_same_events(bytes in stream()) {
        let whole = parse_chunks([bytes.as_slice()]);
        for cut in 0..=bytes.len() {
            let (a, b) = bytes.split_at(cut);
            prop_assert_eq!(&parse_chunks([a, b]), &whole, "cut at {}", cut);
        }
        let bytewise = parse_chunks(bytes.chunks(1));
        prop_assert_eq!(&bytewise, &whole);
    }

    #[test]
    fn split_at_random_positions_gives_the_same_events(
        bytes in stream(),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..8),
    ) {
        let whole = parse_chunks([bytes.as_slice()]);
        let mut at: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
        at.sort_unstable();
        let mut chunks = Vec::new();
        let mut start = 0;
        for cut in at {
            chunks.push(&bytes[start..cut]);
            start = cut;
        }
        chunks.push(&bytes[start..]);
        prop_assert_eq!(parse_chunks(chunks), whole);
    }
}
