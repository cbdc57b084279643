//! The SSE decoder gives the same events for any chunking of the same bytes.
#![no_main]
use bridle::model::sse::SseDecoder;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Some((&seed, bytes)) = input.split_first() else { return };
    let mut whole = SseDecoder::new();
    let mut expected = whole.push(bytes);
    whole.finish();
    let mut chunked = SseDecoder::new();
    let mut got = Vec::new();
    let mut at = 0;
    let step = 1 + seed as usize % 5;
    while at < bytes.len() {
        let end = (at + step).min(bytes.len());
        got.extend(chunked.push(&bytes[at..end]));
        at = end;
    }
    chunked.finish();
    assert_eq!(format!("{got:?}"), format!("{:?}", std::mem::take(&mut expected)));
});
