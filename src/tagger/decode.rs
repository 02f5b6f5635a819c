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
    /// Transitions into `O`/`B` tags, one padded row per such tag over all previous tags.
    into_ob: Vec<f32>,
    /// Transitions out of each tag into `O`/`B` tags, one padded row per previous tag.
    from_ob: Vec<f32>,
    prev: Vec<f32>,
    next: Vec<f32>,
    /// The best tag sequence of the last call.
    pub(crate) path: Vec<u8>,
    /// Per token, how much worse the best sequence with another tag at that token scores.
    pub(crate) margins: Vec<f32>,
}

const LANES: usize = 8;

/// `max_i(a[i] + b[i])` over slices whose length is a multiple of [`LANES`], in lanes so that
/// it vectorizes.
#[inline]
fn max_plus(a: &[f32], b: &[f32]) -> f32 {
    let mut m = [f32::NEG_INFINITY; LANES];
    for (x, y) in a.chunks_exact(LANES).zip(b.chunks_exact(LANES)) {
        for l in 0..LANES {
            let v = x[l] + y[l];
            m[l] = if v > m[l] { v } else { m[l] };
        }
    }
    m.iter()
        .fold(f32::NEG_INFINITY, |acc, &v| if v > acc { v } else { acc })
}

/// Like [`max_plus`], with the first index reaching the maximum.
#[inline]
fn max_plus_arg(a: &[f32], b: &[f32]) -> (f32, usize) {
    let mut m = [f32::NEG_INFINITY; LANES];
    let mut arg = [0usize; LANES];
    for (k, (x, y)) in a.chunks_exact(LANES).zip(b.chunks_exact(LANES)).enumerate() {
        for l in 0..LANES {
            let v = x[l] + y[l];
            if v > m[l] {
                m[l] = v;
                arg[l] = k * LANES + l;
            }
        }
    }
    let mut best = (f32::NEG_INFINITY, 0);
    for l in 0..LANES {
        if m[l] > best.0 || (m[l] == best.0 && arg[l] < best.1) {
            best = (m[l], arg[l]);
        }
    }
    best
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
    let nb = 1 + t / 2; // O and the B tags: 0, 1, 3, 5, …
    let ob = |i: usize| if i == 0 { 0 } else { 2 * i - 1 };
    let tp = t.next_multiple_of(LANES);
    let nbp = nb.next_multiple_of(LANES);
    d.into_ob.clear();
    d.into_ob.resize(nb * tp, f32::NEG_INFINITY);
    d.from_ob.clear();
    d.from_ob.resize(t * nbp, f32::NEG_INFINITY);
    for i in 0..nb {
        for p in 0..t {
            d.into_ob[i * tp + p] = trans[p * t + ob(i)];
            d.from_ob[p * nbp + i] = trans[p * t + ob(i)];
        }
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
    d.prev.clear();
    d.prev.resize(tp, f32::NEG_INFINITY);
    for j in 1..n {
        d.prev[..t].copy_from_slice(&d.alpha[(j - 1) * t..j * t]);
        let prev = &d.prev;
        let cur = &mut d.alpha[j * t..(j + 1) * t];
        let back = &mut d.back[j * t..(j + 1) * t];
        let e = &emissions[j * t..(j + 1) * t];
        // O and B-k: any predecessor.
        for i in 0..nb {
            let c = ob(i);
            let (best, arg) = max_plus_arg(prev, &d.into_ob[i * tp..(i + 1) * tp]);
            cur[c] = best + e[c];
            back[c] = arg as u8;
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
    d.next.clear();
    d.next.resize(nbp, f32::NEG_INFINITY);
    for j in (0..n - 1).rev() {
        let (cur, after) = d.beta.split_at_mut((j + 1) * t);
        let cur = &mut cur[j * t..];
        let after = &after[..t];
        let e = &emissions[(j + 1) * t..(j + 2) * t];
        for i in 0..nb {
            d.next[i] = e[ob(i)] + after[ob(i)];
        }
        for (p, out) in cur.iter_mut().enumerate() {
            let mut best = max_plus(&d.next, &d.from_ob[p * nbp..(p + 1) * nbp]);
            if p != 0 {
                let i = if is_inside(p) { p } else { p + 1 };
                best = best.max(trans[p * t + i] + e[i] + after[i]);
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
