//! repair_json and extract_json on generated documents: valid JSON comes back equal and
//! unreported; every prefix of it (a cut-off answer) is repaired into valid JSON or refused
//! with a typed error, never a panic; the same document inside prose is found.

mod common;

use bridle::parse::repair::{extract_json, repair_json, RepairKind};
use bridle::ErrorKind;
use common::{gen_value, serialise, Rng};
use serde_json::Value;

#[test]
fn valid_json_round_trips_without_repairs() {
    let mut rng = Rng(0xC0FFEE);
    for _ in 0..2000 {
        let text = serialise(&gen_value(&mut rng, 0), &mut rng);
        let repaired = repair_json(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert!(repaired.repairs.is_empty(), "{text}: {:?}", repaired.repairs);
        assert_eq!(serde_json::from_str::<Value>(&repaired.json).unwrap(), serde_json::from_str::<Value>(&text).unwrap());
    }
}

#[test]
fn every_prefix_is_repaired_or_refused() {
    let mut rng = Rng(0xBEEF);
    let (mut repaired_count, mut refused) = (0, 0);
    for _ in 0..200 {
        let value = gen_value(&mut rng, 0);
        if !value.is_object() && !value.is_array() {
            continue;
        }
        let text = serialise(&value, &mut rng);
        for cut in (1..text.len()).filter(|&c| text.is_char_boundary(c)) {
            match repair_json(&text[..cut]) {
                Ok(r) => {
                    assert!(
                        serde_json::from_str::<Value>(&r.json).is_ok(),
                        "{:?} repaired to invalid {}",
                        &text[..cut],
                        r.json
                    );
                    assert!(
                        r.repairs.iter().any(|r| r.kind == RepairKind::Truncated) || cut == text.len(),
                        "{:?}",
                        &text[..cut]
                    );
                    repaired_count += 1;
                }
                Err(e) => {
                    assert!(matches!(e.kind(), ErrorKind::JsonParse), "{:?}: {e}", &text[..cut]);
                    refused += 1;
                }
            }
        }
    }
    println!("repair: {repaired_count} prefixes repaired, {refused} refused");
    assert!(repaired_count > refused * 20, "most cut-off documents should be repairable");
}

#[test]
fn documents_are_found_in_prose() {
    let mut rng = Rng(0xFACE);
    for n in 0..500 {
        let value = gen_value(&mut rng, 0);
        if !value.is_object() && !value.is_array() {
            continue;
        }
        let json = serialise(&value, &mut rng);
        let answer = match n % 3 {
            0 => format!("Here you go:\n```json\n{json}\n```\nAnything else?"),
            1 => format!("The result is {json}. Hope it helps!"),
            _ => json.to_string(),
        };
        let found = extract_json(&answer).unwrap_or_else(|e| panic!("{answer}: {e}"));
        assert_eq!(
            serde_json::from_str::<Value>(&found.json).unwrap(),
            serde_json::from_str::<Value>(&json).unwrap(),
            "{answer}"
        );
        assert_eq!(&answer[found.span.0..found.span.1], json.trim());
    }
}
