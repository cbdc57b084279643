//! The partial-JSON stream takes any bytes in any chunking without a panic, and a document
//! serde_json accepts is accepted whole. The first byte seeds the chunk sizes.
#![no_main]
use bridle::parse::json_stream::{JsonStream, StreamOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let Some((&seed, bytes)) = input.split_first() else { return };
    for extract in [false, true] {
        let mut stream = JsonStream::new(StreamOptions { extract, ..StreamOptions::default() });
        let mut at = 0;
        let mut step = 1 + seed as usize % 7;
        let mut ok = true;
        while at < bytes.len() && ok {
            let end = (at + step).min(bytes.len());
            ok = stream.push_bytes(&bytes[at..end]).is_ok();
            let _ = stream.take_ops();
            at = end;
            step = 1 + (step * 5 + seed as usize) % 11;
        }
        let ended = ok && stream.end().is_ok();
        if !extract && serde_json::from_slice::<serde_json::Value>(bytes).is_ok() {
            assert!(ended, "serde_json accepts the document, the stream does not");
        }
    }
});
