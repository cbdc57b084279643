//! Bitcoin addresses: legacy base58check (P2PKH `1...`, P2SH `3...`) with the double-SHA-256
//! checksum, and segwit bech32 (`bc1q...`, witness v0) / bech32m (`bc1p...`, v1+).

use super::{left_ok, right_ok, Dv, Hit, Kind, Site};
use crate::guard::checksum::{base58check, bech32, Bech32};

/// A Bitcoin mainnet address at the site's word.
pub(super) fn bitcoin(site: &Site) -> Option<Hit> {
    let word = &site.b[site.s..site.we];
    if !site.on(Kind::BitcoinAddress)
        || word.len() < 26
        || word.len() > 62
        || !left_ok(site.b, site.s)
        || !right_ok(site.b, site.we)
    {
        return None;
    }
    let text = std::str::from_utf8(word).ok()?;
    let kind = match word[0] {
        b'1' | b'3' if word.len() <= 35 => match base58check(text)? {
            (0, 20) => "P2PKH",
            (5, 20) => "P2SH",
            _ => return None,
        },
        b'b' | b'B' if word[..3].eq_ignore_ascii_case(b"bc1") && word.len() >= 42 => {
            let variant = bech32(text)?;
            match (word[3].to_ascii_lowercase(), variant, word.len()) {
                (b'q', Bech32::Bech32, 42) => "P2WPKH",
                (b'q', Bech32::Bech32, 62) => "P2WSH",
                (b'p', Bech32::Bech32m, 62) => "P2TR",
                (b'q' | b'p', _, _) => return None,
                (_, Bech32::Bech32m, _) => "segwit",
                _ => return None,
            }
        }
        _ => return None,
    };
    Some(Hit::new(Kind::BitcoinAddress, site.s, site.we).with("addressType", Dv::S(kind)))
}
