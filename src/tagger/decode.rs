//! Viterbi decoding over BIO tags with only valid transitions, and max-marginal margins for
//! confidence scores.
//!
//! Tags: `0` is `O`, `1 + 2k` is `B-k`, `2 + 2k` is `I-k`. `I-k` may only follow `B-k` or
//! `I-k`, so each `I` tag has two predecessors and decoding costs about
//! `(1 + labels) × tags + 2 × labels` operations per token instead of `tags²`.

/// Reusable decoding buffers.
#[derive(Default)]
pub(crate) struct Decoder {
    alpha: Vec<f32>,
    beta: Vec<f32>,
    back: Vec<u8>,
    /// The best tag sequence of the last call.
    pub(crate) path: Vec<u8>,
    /// Per token, how much worse the best sequence with another tag at that token scores.
    pub(crate) margins: Vec<f32>,
}

#[inline]
pub(crate) fn is_inside(tag: usize) -> bool {
    tag != 0 && tag % 2 == 0
}

/// Decodes `n` tokens given `emissions` (`n × t`, row-major), transitions (`t × t`, previous tag
/// major) and start scores (`t`). Fills `path`, and `margins` when `with_margins`.
pub(crate) fn decode(
    d: &mut Decoder,
    emissions: &[f32],
    n: usize,
    t: usize,
    trans: &[f32],
    start: &[f32],
    with_margins: bool,
) {
    d.path.clear();
    d.margins.clear();
    if n == 0 || t == 0 || t > 255 || emissions.len() < n * t {
        return;
    }
    d.alpha.clear();
    d.alpha.resize(n * t, f32::NEG_INFINITY);
    d.back.clear();
    d.back.resize(n * t, 0);
    for c in 0..t {
        if !is_inside(c) {
            d.alpha[c] = start[c] + emissions[c];
        }
    }
    for j in 1..n {
        let (prev, cur) = d.alpha.split_at_mut(j * t);
        let prev = &prev[(j - 1) * t..];
        let cur = &mut cur[..t];
        let back = &mut d.back[j * t..(j + 1) * t];
        let e = &emissions[j * t..(j + 1) * t];
        // O and B-k: any predecessor. Done as one pass over predecessors for all such tags.
        for c in (0..t).filter(|&c| !is_inside(c)) {
            let mut best = f32::NEG_INFINITY;
            let mut arg = 0u8;
            for (p, &a) in prev.iter().enumerate() {
                let s = a + trans[p * t + c];
                if s > best {
                    best = s;
                    arg = p as u8;
                }
            }
            cur[c] = best + e[c];
            back[c] = arg;
        }
        // I-k: from B-k or I-k.
        for c in (2..t).step_by(2) {
            let b = c - 1;
            let sb = prev[b] + trans[b * t + c];
            let si = prev[c] + trans[c * t + c];
            let (best, arg) = if si > sb { (si, c) } else { (sb, b) };
            cur[c] = best + e[c];
            back[c] = arg as u8;
        }
    }
    let last = &d.alpha[(n - 1) * t..];
    let mut best = 0;
    for c in 1..t {
        if last[c] > last[best] {
            best = c;
        }
    }
    d.path.resize(n, 0);
    d.path[n - 1] = best as u8;
    for j in (1..n).rev() {
        d.path[j - 1] = d.back[j * t + d.path[j] as usize];
    }
    if !with_margins {
        return;
    }
    // Backward max-scores: beta[j][p] = best score of tokens after j given tag p at j.
    d.beta.clear();
    d.beta.resize(n * t, 0.0);
    for j in (0..n - 1).rev() {
        let (cur, next) = d.beta.split_at_mut((j + 1) * t);
        let cur = &mut cur[j * t..];
        let next = &next[..t];
        let e = &emissions[(j + 1) * t..(j + 2) * t];
        for (p, out) in cur.iter_mut().enumerate() {
            let mut best = f32::NEG_INFINITY;
            for c in (0..t).filter(|&c| !is_inside(c)) {
                best = best.max(trans[p * t + c] + e[c] + next[c]);
            }
            if p != 0 {
                let i = if is_inside(p) { p } else { p + 1 };
                best = best.max(trans[p * t + i] + e[i] + next[i]);
            }
            *out = best;
        }
    }
    for j in 0..n {
        let chosen = d.path[j] as usize;
        let a = &d.alpha[j * t..(j + 1) * t];
        let b = &d.beta[j * t..(j + 1) * t];
        let top = a[chosen] + b[chosen];
        let mut second = f32::NEG_INFINITY;
        for c in 0..t {
            if c != chosen {
                second = second.max(a[c] + b[c]);
            }
        }
        let m = top - second;
        d.margins.push(if m.is_finite() { m.max(0.0) } else { 0.0 });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_emissions_and_never_starts_inside() {
        // Tags: O, B-0, I-0. Emissions prefer I-0 at the start, which is invalid there.
        let t = 3;
        let trans = vec![0.0; 9];
        let start = vec![0.0; 3];
        let e = vec![0.0, 1.0, 5.0, 0.0, 0.0, 3.0, 2.0, 0.0, 0.0];
        let mut d = Decoder::default();
        decode(&mut d, &e, 3, t, &trans, &start, true);
        assert_eq!(d.path, [1, 2, 0]);
        assert_eq!(d.margins.len(), 3);
        assert!(d.margins.iter().all(|&m| m >= 0.0));
        // The first token's margin: the best alternative starts with O (score 0 + 3?).
        assert!(d.margins[0] > 0.0);
    }
}
