//! Viterbi decoding over BILOU tags with only valid transitions, and max-marginal margins for
//! confidence scores.
//!
//! Tags: `0` is `O`; `1 + 4k`, `2 + 4k`, `3 + 4k`, `4 + 4k` are `B-k`, `I-k`, `L-k` and `U-k`
//! (begin, inside, last, unit). Only the "opening" tags `O`, `B-k`, `U-k` may follow the
//! "closing" tags `O`, `L-k`, `U-k` (or start a sentence), and `I-k`/`L-k` follow only `B-k` or
//! `I-k`. So a step costs `(1 + 2 × labels)²` additions for the closing → opening transitions,
//! laid out so that they run as whole SIMD vectors with no horizontal reductions, plus four per
//! type for the rest. Back pointers are not stored: the backtrace recomputes the one argmax it
//! needs per token.

/// Reusable decoding buffers.
#[derive(Default)]
pub struct Decoder {
    alpha: Vec<f32>,
    beta: Vec<f32>,
    /// Scratch rows over closing or opening tags.
    closed: Vec<f32>,
    opened: Vec<f32>,
    /// The best tag sequence of the last call.
    pub path: Vec<u8>,
    /// Per token, how much worse the best sequence with another tag at that token scores;
    /// computed for the tokens of entities and the token after each (confidence needs only
    /// those), 0 for the others.
    pub(crate) margins: Vec<f32>,
}

const LANES: usize = 8;

/// Transition scores, with the closing → opening block laid out for [`decode`] (built once per
/// model, not per sentence).
#[derive(Clone, Debug, Default)]
pub struct Transitions {
    /// Number of tags.
    pub(crate) t: usize,
    /// `t × t`, previous tag major.
    pub(crate) trans: Vec<f32>,
    /// Scores of each tag at a sentence's start.
    pub(crate) start: Vec<f32>,
    /// Closing → opening transitions, one padded row per closing tag (over opening tags).
    close_open: MaxPlus,
    /// The same transitions, one padded row per opening tag (over closing tags).
    open_close: MaxPlus,
    /// Per type `k`, the transitions inside an entity: `B → I`, `B → L`, `I → I`, `I → L`
    /// (one cache line for the four, instead of four rows of `trans`).
    inside: Vec<[f32; 4]>,
}

impl Transitions {
    /// `trans` must hold `t × t` scores and `start` `t` (else decoding finds nothing).
    pub fn new(t: usize, trans: Vec<f32>, start: Vec<f32>) -> Transitions {
        let mut tr = Transitions {
            t,
            trans,
            start,
            ..Transitions::default()
        };
        if t == 0 || (t - 1) % WIDTH != 0 || tr.trans.len() != t * t || tr.start.len() != t {
            return tr;
        }
        let nb = 1 + 2 * ((t - 1) / WIDTH);
        let nbp = nb.next_multiple_of(LANES);
        tr.close_open = MaxPlus::new(nb, nbp);
        tr.open_close = MaxPlus::new(nb, nbp);
        for q in 0..nb {
            for i in 0..nb {
                let x = tr.trans[closing(q) * t + opening(i)];
                tr.close_open.set(q, i, x);
                tr.open_close.set(i, q, x);
            }
        }
        tr.inside = (0..(t - 1) / WIDTH)
            .map(|k| {
                let (b, i, l) = (tag_of(k, 1), tag_of(k, 2), tag_of(k, 3));
                let tr = &tr.trans;
                [tr[b * t + i], tr[b * t + l], tr[i * t + i], tr[i * t + l]]
            })
            .collect();
        tr
    }
}

/// `acc[i] = max(acc[i], x + row[i])` over slices whose length is a multiple of [`LANES`], in
/// lanes so that it vectorizes.
#[inline]
fn max_into(acc: &mut [f32], x: f32, row: &[f32]) {
    for (a, r) in acc.chunks_exact_mut(LANES).zip(row.chunks_exact(LANES)) {
        let (Ok(a), Ok(r)) = (
            <&mut [f32; LANES]>::try_from(a),
            <&[f32; LANES]>::try_from(r),
        ) else {
            continue;
        };
        let mut v = [0.0; LANES];
        for l in 0..LANES {
            v[l] = x + r[l];
        }
        for l in 0..LANES {
            a[l] = if v[l] > a[l] { v[l] } else { a[l] };
        }
    }
}

/// A square block of transition scores used as a max-plus matrix: padded rows of `stride`
/// (-inf beyond the real columns), and each row's largest score.
#[derive(Clone, Debug, Default)]
struct MaxPlus {
    rows: Vec<f32>,
    row_max: Vec<f32>,
    stride: usize,
}

impl MaxPlus {
    fn new(n: usize, stride: usize) -> MaxPlus {
        MaxPlus {
            rows: vec![f32::NEG_INFINITY; n * stride],
            row_max: vec![f32::NEG_INFINITY; n],
            stride,
        }
    }

    fn set(&mut self, row: usize, col: usize, x: f32) {
        self.rows[row * self.stride + col] = x;
        self.row_max[row] = self.row_max[row].max(x);
    }

    /// Row `q`'s scores (the padded row).
    fn row(&self, q: usize) -> &[f32] {
        &self.rows[q * self.stride..(q + 1) * self.stride]
    }

    /// `out[i] = max_q(x[q] + rows[q][i])`, skipping the rows that cannot reach the maximum
    /// anywhere: `x[q] + row_max[q]` below the smallest value the best `x` alone already
    /// reaches. Exact — a skipped row's every sum is strictly smaller than a sum already taken —
    /// and most rows are skipped, because one tag (usually `O`) scores far above the others.
    #[inline]
    fn product(&self, x: &[f32], out: &mut [f32]) {
        out.fill(f32::NEG_INFINITY);
        let mut best = 0;
        for (q, &v) in x.iter().enumerate() {
            if v > x[best] {
                best = q;
            }
        }
        max_into(out, x[best], self.row(best));
        let n = x.len();
        let mut floor = f32::INFINITY;
        for &v in &out[..n] {
            if v < floor {
                floor = v;
            }
        }
        for (q, &v) in x.iter().enumerate() {
            if q != best && v + self.row_max[q] >= floor {
                max_into(out, v, self.row(q));
            }
        }
    }
}

/// Tags per entity type: `B`, `I`, `L` (last) and `U` (unit, a one-token entity).
pub(crate) const WIDTH: usize = 4;

/// Number of tags for `labels` entity types.
pub fn tag_count(labels: usize) -> usize {
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
pub fn tag_of(k: usize, part: usize) -> usize {
    1 + WIDTH * k + (part - 1)
}

/// Whether a tag ends what came before it, so that an opening tag may follow.
#[inline]
fn closes(tag: usize) -> bool {
    matches!(part(tag), 0 | 3 | 4)
}

/// The `i`-th opening tag: `O`, then `B-k`, `U-k` for each type.
#[inline]
fn opening(i: usize) -> usize {
    if i == 0 {
        0
    } else {
        tag_of((i - 1) / 2, if i % 2 == 1 { 1 } else { 4 })
    }
}

/// The inverse of [`opening`], for an opening tag.
#[inline]
fn opening_index(tag: usize) -> usize {
    match part(tag) {
        0 => 0,
        1 => 1 + 2 * ((tag - 1) / WIDTH),
        _ => 2 + 2 * ((tag - 1) / WIDTH),
    }
}

/// The `i`-th closing tag: `O`, then `L-k`, `U-k` for each type.
#[inline]
fn closing(i: usize) -> usize {
    if i == 0 {
        0
    } else {
        tag_of((i - 1) / 2, if i % 2 == 1 { 3 } else { 4 })
    }
}

/// Decodes `n` tokens given `emissions` (`n × t`, row-major) and transitions. Fills `path`,
/// and `margins` when `with_margins`. Only valid BILOU sequences are considered, and the last
/// tag ends its entity.
pub fn decode(d: &mut Decoder, emissions: &[f32], n: usize, tr: &Transitions, with_margins: bool) {
    d.path.clear();
    d.margins.clear();
    let t = tr.t;
    if n == 0 || t == 0 || t > 255 || (t - 1) % WIDTH != 0 || emissions.len() < n * t {
        return;
    }
    let labels = (t - 1) / WIDTH;
    // As many opening as closing tags.
    let nb = 1 + 2 * labels;
    let nbp = nb.next_multiple_of(LANES);
    if tr.close_open.rows.len() != nb * nbp || tr.inside.len() != labels {
        return;
    }
    let start = &tr.start[..];
    d.closed.clear();
    d.closed.resize(nbp, f32::NEG_INFINITY);
    d.opened.clear();
    d.opened.resize(nbp, f32::NEG_INFINITY);
    d.alpha.clear();
    d.alpha.resize(n * t, f32::NEG_INFINITY);
    for i in 0..nb {
        let c = opening(i);
        d.alpha[c] = start[c] + emissions[c];
    }
    for j in 1..n {
        let (done, rest) = d.alpha.split_at_mut(j * t);
        let prev = &done[(j - 1) * t..];
        let cur = &mut rest[..t];
        let e = &emissions[j * t..(j + 1) * t];
        // O, B-k, U-k: after any closing tag.
        for q in 0..nb {
            d.closed[q] = prev[closing(q)];
        }
        tr.close_open.product(&d.closed[..nb], &mut d.opened);
        for i in 0..nb {
            let c = opening(i);
            cur[c] = d.opened[i] + e[c];
        }
        // I-k, L-k: after B-k or I-k.
        for (k, &[bi, bl, ii, il]) in tr.inside.iter().enumerate() {
            let (b, i) = (tag_of(k, 1), tag_of(k, 2));
            for (c, from_b, from_i) in [(i, bi, ii), (tag_of(k, 3), bl, il)] {
                let sb = prev[b] + from_b;
                let si = prev[i] + from_i;
                cur[c] = if si > sb { si } else { sb } + e[c];
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
    // Backtrace: recompute the argmax the forward pass maximized over (same additions, same
    // order of ties: the first predecessor reaching the maximum).
    for j in (1..n).rev() {
        let c = d.path[j] as usize;
        let prev = &d.alpha[(j - 1) * t..j * t];
        let p = if matches!(part(c), 2 | 3) {
            let k = (c - 1) / WIDTH;
            let (b, i) = (tag_of(k, 1), tag_of(k, 2));
            let [bi, bl, ii, il] = tr.inside[k];
            let (from_b, from_i) = if part(c) == 2 { (bi, ii) } else { (bl, il) };
            if prev[i] + from_i > prev[b] + from_b {
                i
            } else {
                b
            }
        } else {
            // The transitions into opening tag `c`, by closing tag, as one row.
            let row = &tr.open_close.row(opening_index(c))[..nb];
            let mut arg = 0;
            let mut m = f32::NEG_INFINITY;
            for (q, &x) in row.iter().enumerate() {
                let v = prev[closing(q)] + x;
                if v > m {
                    m = v;
                    arg = closing(q);
                }
            }
            arg
        };
        d.path[j - 1] = p as u8;
    }
    if !with_margins {
        return;
    }
    let needed = |j: usize, path: &[u8]| path[j] != 0 || (j > 0 && path[j - 1] != 0);
    d.margins.resize(n, 0.0);
    let Some(first) = (0..n).find(|&j| needed(j, &d.path)) else {
        return;
    };
    // Backward max-scores: beta[j][p] = best score of tokens after j given tag p at j, from
    // the end down to the first token whose margin is needed.
    d.beta.clear();
    d.beta.resize(n * t, f32::NEG_INFINITY);
    for c in (0..t).filter(|&c| closes(c)) {
        d.beta[(n - 1) * t + c] = 0.0;
    }
    for j in (first..n - 1).rev() {
        let (cur, after) = d.beta.split_at_mut((j + 1) * t);
        let cur = &mut cur[j * t..];
        let after = &after[..t];
        let e = &emissions[(j + 1) * t..(j + 2) * t];
        // Closing tags: continue with any opening tag.
        for i in 0..nb {
            let c = opening(i);
            d.opened[i] = e[c] + after[c];
        }
        tr.open_close.product(&d.opened[..nb], &mut d.closed);
        for q in 0..nb {
            cur[closing(q)] = d.closed[q];
        }
        // B-k, I-k: continue with I-k or L-k.
        for (k, &[bi, bl, ii, il]) in tr.inside.iter().enumerate() {
            let (i, l) = (tag_of(k, 2), tag_of(k, 3));
            let (si, sl) = (e[i] + after[i], e[l] + after[l]);
            for (p, to_i, to_l) in [(tag_of(k, 1), bi, bl), (i, ii, il)] {
                let (vi, vl) = (to_i + si, to_l + sl);
                cur[p] = if vi > vl { vi } else { vl };
            }
        }
    }
    for j in (first..n).filter(|&j| needed(j, &d.path)) {
        let chosen = d.path[j] as usize;
        let a = &d.alpha[j * t..(j + 1) * t];
        let b = &d.beta[j * t..(j + 1) * t];
        let top = a[chosen] + b[chosen];
        let mut second = f32::NEG_INFINITY;
        for c in 0..t {
            let v = a[c] + b[c];
            if c != chosen && v > second {
                second = v;
            }
        }
        let m = top - second;
        d.margins[j] = if m.is_finite() { m.max(0.0) } else { 0.0 };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_index_inverts_opening() {
        for i in 0..1 + 2 * 18 {
            assert_eq!(opening_index(opening(i)), i);
        }
    }

    #[test]
    fn follows_emissions_and_never_starts_inside() {
        // Tags: O, B-0, I-0, L-0, U-0. Emissions prefer I-0 at the start, which is invalid
        // there, and B-0 at the end, which would leave the entity open.
        let t = 5;
        let tr = Transitions::new(t, vec![0.0; 25], vec![0.0; 5]);
        #[rustfmt::skip]
        let e = vec![
            0.0, 1.0, 5.0, 0.0, 0.0,
            0.0, 0.0, 3.0, 2.0, 0.0,
            2.0, 0.0, 0.0, 0.0, 0.0,
            0.0, 3.0, 0.0, 0.0, 2.5,
        ];
        let mut d = Decoder::default();
        decode(&mut d, &e, 4, &tr, true);
        assert_eq!(d.path, [1, 3, 0, 4]);
        assert_eq!(d.margins.len(), 4);
        assert!(d.margins.iter().all(|&m| m >= 0.0));
        // The first token's margin: the best alternative starts with O (score 0 + 3?).
        assert!(d.margins[0] > 0.0);
    }
}
