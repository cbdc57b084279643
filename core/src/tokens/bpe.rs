//! Byte-pair merging of one piece, with tiktoken's rule: repeatedly merge the adjacent pair
//! whose concatenation has the lowest rank (the leftmost on a tie) until no pair is a token.
//!
//! Short pieces (almost all of them) use tiktoken's own array method, which is quadratic but
//! fastest at that size. Long pieces — a megabyte of one letter has no split point — use a
//! min-heap of pairs over a linked list: O(n log n), so no input makes encoding quadratic.

use super::ranks::{Rank, Ranks};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A heap entry: rank in the high half, start in the low half, so the order is (rank, start).
#[inline]
fn entry(rank: Rank, start: usize) -> Reverse<u64> {
    Reverse((rank as u64) << 32 | start as u64)
}

/// Pieces up to this many bytes use the array method.
const SHORT: usize = 64;

/// Appends the tokens of `piece` to `out`.
#[inline]
pub fn encode_piece(piece: &[u8], ranks: &Ranks, out: &mut Vec<Rank>) {
    if let Some(rank) = ranks.get(piece) {
        out.push(rank);
    } else if piece.len() <= SHORT {
        merge_short(piece, ranks, out);
    } else {
        merge_long(piece, ranks, out);
    }
}

/// tiktoken's `byte_pair_merge`: `parts[i]` is where part `i` starts and the rank of the pair
/// that starts there.
fn merge_short(piece: &[u8], ranks: &Ranks, out: &mut Vec<Rank>) {
    let mut parts: [(u32, Rank); SHORT + 1] = [(0, Rank::MAX); SHORT + 1];
    let n = piece.len();
    let pair = |parts: &[(u32, Rank)], i: usize, len: usize| -> Rank {
        if i + 2 < len {
            ranks.get(&piece[parts[i].0 as usize..parts[i + 2].0 as usize]).unwrap_or(Rank::MAX)
        } else {
            Rank::MAX
        }
    };
    let mut len = n + 1;
    for (i, part) in parts.iter_mut().enumerate().take(len) {
        part.0 = i as u32;
    }
    for i in 0..n.saturating_sub(1) {
        parts[i].1 = ranks.get(&piece[i..i + 2]).unwrap_or(Rank::MAX);
    }
    loop {
        let mut best = (Rank::MAX, 0);
        for (i, part) in parts[..len - 1].iter().enumerate() {
            if part.1 < best.0 {
                best = (part.1, i);
            }
        }
        if best.0 == Rank::MAX {
            break;
        }
        let i = best.1;
        // Part i absorbs part i + 1.
        parts.copy_within(i + 2..len, i + 1);
        len -= 1;
        parts[i].1 = pair(&parts, i, len);
        if i > 0 {
            parts[i - 1].1 = pair(&parts, i - 1, len);
        }
    }
    for window in parts[..len].windows(2) {
        let bytes = &piece[window[0].0 as usize..window[1].0 as usize];
        out.push(ranks.get(bytes).expect("every part is a token"));
    }
}

/// The same merges with a heap: entries are `(rank, start)`; an entry is stale when its part
/// is gone or the pair starting there has changed rank since.
fn merge_long(piece: &[u8], ranks: &Ranks, out: &mut Vec<Rank>) {
    let n = piece.len();
    const NONE: u32 = u32::MAX;
    // Parts are identified by their start byte; `next[i]` is the next part's start (n at the end).
    let mut next: Vec<u32> = (1..=n as u32).collect();
    let mut prev: Vec<u32> = (0..n as u32).map(|i| if i == 0 { NONE } else { i - 1 }).collect();
    let mut pair_rank: Vec<Rank> = vec![Rank::MAX; n];
    let rank_of = |next: &[u32], i: usize| -> Rank {
        let j = next[i] as usize;
        if j >= n {
            return Rank::MAX;
        }
        let end = next[j] as usize;
        ranks.get(&piece[i..end]).unwrap_or(Rank::MAX)
    };
    let mut initial = Vec::with_capacity(n);
    for i in 0..n - 1 {
        let rank = ranks.get(&piece[i..i + 2]).unwrap_or(Rank::MAX);
        pair_rank[i] = rank;
        if rank != Rank::MAX {
            initial.push(entry(rank, i));
        }
    }
    // Heapified at once (linear), rather than pushed one by one.
    let mut heap = BinaryHeap::from(initial);
    let mut alive = vec![true; n];
    while let Some(Reverse(packed)) = heap.pop() {
        let (rank, i) = ((packed >> 32) as Rank, (packed & 0xFFFF_FFFF) as usize);
        if !alive[i] || pair_rank[i] != rank {
            continue;
        }
        let j = next[i] as usize;
        alive[j] = false;
        next[i] = next[j];
        if (next[i] as usize) < n {
            prev[next[i] as usize] = i as u32;
        }
        pair_rank[i] = rank_of(&next, i);
        if pair_rank[i] != Rank::MAX {
            heap.push(entry(pair_rank[i], i));
        }
        if prev[i] != NONE {
            let p = prev[i] as usize;
            pair_rank[p] = rank_of(&next, p);
            if pair_rank[p] != Rank::MAX {
                heap.push(entry(pair_rank[p], p));
            }
        }
    }
    let mut i = 0;
    while i < n {
        let end = next[i] as usize;
        out.push(ranks.get(&piece[i..end]).expect("every part is a token"));
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(extra: &[&[u8]]) -> Ranks {
        let mut entries: Vec<(Vec<u8>, Rank)> = (0..=255u8).map(|b| (vec![b], b as Rank)).collect();
        for (i, token) in extra.iter().enumerate() {
            entries.push((token.to_vec(), 256 + i as Rank));
        }
        Ranks::from_entries(entries).unwrap()
    }

    fn both(piece: &[u8], ranks: &Ranks) -> Vec<Rank> {
        let (mut short, mut long) = (Vec::new(), Vec::new());
        merge_short(piece, ranks, &mut short);
        merge_long(piece, ranks, &mut long);
        assert_eq!(short, long, "array and heap merges differ on {:?}", String::from_utf8_lossy(piece));
        short
    }

    #[test]
    fn merges_lowest_rank_first_and_leftmost_on_ties() {
        let ranks = table(&[b"ab", b"bc", b"abc", b"aa", b"aaaa"]);
        assert_eq!(both(b"abc", &ranks), vec![258]);
        assert_eq!(both(b"bcab", &ranks), vec![257, 256]);
        // "aaa": the leftmost "aa" merges first.
        assert_eq!(both(b"aaa", &ranks), vec![259, 97]);
        assert_eq!(both(b"aaaaa", &ranks), vec![260, 97]);
        assert_eq!(both(b"xyz", &ranks), vec![120, 121, 122]);
    }

    #[test]
    fn heap_and_array_agree_on_many_pieces() {
        let ranks = table(&[b"ab", b"ba", b"aa", b"bb", b"aba", b"abab", b"bab", b"aab", b"abba", b"aaaa", b"aabb"]);
        let mut seed = 7u64;
        for _ in 0..2000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let len = 2 + (seed % 60) as usize;
            let piece: Vec<u8> = (0..len).map(|i| if (seed >> (i % 64)) & 1 == 1 { b'a' } else { b'b' }).collect();
            both(&piece, &ranks);
        }
    }
}
