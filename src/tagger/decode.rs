//! Viterbi decoding over BILOU tags with only valid transitions, and max-marginal margins for
//! confidence scores.
//!
//! Tags: `0` is `O`; `1 + 4k`, `2 + 4k`, `3 + 4k`, `4 + 4k` are `B-k`, `I-k`, `L-k` and `U-k`
//! (begin, inside, last, unit). `I-k`/`L-k` follow only `B-k` or `I-k`, so they have two
//! predecessors each, and decoding costs about `(1 + 2 × labels) × tags + 4 × labels`
//! operations per token instead of `tags²`.

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

/// Tags per entity type: `B`, `I`, `L` (last) and `U` (unit, a one-token entity).
pub(crate) const WIDTH: usize = 4;

/// Number of tags for `labels` entity types.
pub(crate) fn tag_count(labels: usize) -> usize {
    1 + WIDTH * labels
}

/// A tag's part: 0 `O`, 1 `B`, 2 `I`, 3 `L`, 4 `U`.
#[inline]
pub(crate) fn part(tag: usize) -> usize {
    if tag == 0 {
        0
    } else {
        1 + (tag - 1) % WIDTH
    }
}

/// The tag of part `part` (1–4) of entity type `k`.
#[inline]
pub(crate) fn tag_of(k: usize, part: usize) -> usize {
    1 + WIDTH * k + (part - 1)
}

/// Whether a tag may start (`O`, `B`, `U`): it follows the start or a tag that ends (`O`, `L`,
/// `U`).
#[inline]
fn opens(tag: usize) -> bool {
    matches!(part(tag), 0 | 1 | 4)
}

/// Whether a tag ends what came before it, so that an opening tag may follow.
#[inline]
fn closes(tag: usize) -> bool {
    matches!(part(tag), 0 | 3 | 4)
}

/// Decodes `n` tokens given `emissions` (`n × t`, row-major), transitions (`t × t`, previous tag
/// major) and start scores (`t`). Fills `path`, and `margins` when `with_margins`. Only valid
/// BILOU sequences are considered: `I-k`/`L-k` only after `B-k`/`I-k`, `O`/`B`/`U` only at the
/// start or after `O`/`L`/`U`, and the last tag ends its entity.
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
    if n == 0 || t == 0 || t > 255 || (t - 1) % WIDTH != 0 || emissions.len() < n * t {
        return;
    }
    let labels = (t - 1) / WIDTH;
    // Opening tags: O, then B-k and U-k of each type.
    let nb = 1 + 2 * labels;
    let ob = |i: usize| {
        if i == 0 {
            0
        } else {
            tag_of((i - 1) / 2, if i % 2 == 1 { 1 } else { 4 })
        }
    };
    // Closing tags (the predecessors of opening ones): O, then L-k and U-k of each type.
    let cl = |i: usize| {
        if i == 0 {
            0
        } else {
            tag_of((i - 1) / 2, if i % 2 == 1 { 3 } else { 4 })
        }
    };
    let nbp = nb.next_multiple_of(LANES);
    d.into_ob.clear();
    d.into_ob.resize(nb * nbp, f32::NEG_INFINITY);
    d.from_ob.clear();
    d.from_ob.resize(t * nbp, f32::NEG_INFINITY);
    for i in 0..nb {
        for q in 0..nb {
            let p = cl(q);
            d.into_ob[i * nbp + q] = trans[p * t + ob(i)];
            d.from_ob[p * nbp + i] = trans[p * t + ob(i)];
        }
    }
    d.alpha.clear();
    d.alpha.resize(n * t, f32::NEG_INFINITY);
    d.back.clear();
    d.back.resize(n * t, 0);
    for c in 0..t {
        if opens(c) {
            d.alpha[c] = start[c] + emissions[c];
        }
    }
    d.prev.clear();
    d.prev.resize(nbp, f32::NEG_INFINITY);
    for j in 1..n {
        let (done, rest) = d.alpha.split_at_mut(j * t);
        let prev = &done[(j - 1) * t..];
        for q in 0..nb {
            d.prev[q] = prev[cl(q)];
        }
        let cur = &mut rest[..t];
        let back = &mut d.back[j * t..(j + 1) * t];
        let e = &emissions[j * t..(j + 1) * t];
        // O, B-k, U-k: after any tag that ends.
        for i in 0..nb {
            let c = ob(i);
            let (best, arg) = max_plus_arg(&d.prev, &d.into_ob[i * nbp..(i + 1) * nbp]);
            cur[c] = best + e[c];
            back[c] = cl(arg) as u8;
        }
        // I-k, L-k: after B-k or I-k.
        for k in 0..labels {
            let (b, i) = (tag_of(k, 1), tag_of(k, 2));
            for c in [i, tag_of(k, 3)] {
                let sb = prev[b] + trans[b * t + c];
                let si = prev[i] + trans[i * t + c];
                let (best, arg) = if si > sb { (si, i) } else { (sb, b) };
                cur[c] = best + e[c];
                back[c] = arg as u8;
            }
        }
    }
    let last = &d.alpha[(n - 1) * t..];
    let mut best = 0;
    for c in (1..t).filter(|&c| closes(c)) {
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
    d.beta.resize(n * t, f32::NEG_INFINITY);
    for c in (0..t).filter(|&c| closes(c)) {
        d.beta[(n - 1) * t + c] = 0.0;
    }
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
            *out = if closes(p) {
                max_plus(&d.next, &d.from_ob[p * nbp..(p + 1) * nbp])
            } else {
                // B-k or I-k: continues with I-k or L-k.
                let k = (p - 1) / WIDTH;
                let (i, l) = (tag_of(k, 2), tag_of(k, 3));
                (trans[p * t + i] + e[i] + after[i]).max(trans[p * t + l] + e[l] + after[l])
            };
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
        // Tags: O, B-0, I-0, L-0, U-0. Emissions prefer I-0 at the start, which is invalid
        // there, and B-0 at the end, which would leave the entity open.
        let t = 5;
        let trans = vec![0.0; 25];
        let start = vec![0.0; 5];
        #[rustfmt::skip]
        let e = vec![
            0.0, 1.0, 5.0, 0.0, 0.0,
            0.0, 0.0, 3.0, 2.0, 0.0,
            2.0, 0.0, 0.0, 0.0, 0.0,
            0.0, 3.0, 0.0, 0.0, 2.5,
        ];
        let mut d = Decoder::default();
        decode(&mut d, &e, 4, t, &trans, &start, true);
        assert_eq!(d.path, [1, 3, 0, 4]);
        assert_eq!(d.margins.len(), 4);
        assert!(d.margins.iter().all(|&m| m >= 0.0));
        // The first token's margin: the best alternative starts with O (score 0 + 3?).
        assert!(d.margins[0] > 0.0);
    }
}
