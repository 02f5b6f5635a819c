//! Combining entities from several sources under one overlap policy.
//!
//! Sources are laid down in priority order; each adds only the entities that overlap nothing
//! already laid down. Every step is one linear pass, so merging stays linear in the number of
//! entities even on pathological texts.

use crate::Entity;

/// Adds to `kept` (sorted, non-overlapping) the entities of `layer` (sorted by start) that
/// overlap nothing in `kept` nor an earlier-added entity of `layer`. Returns the sorted union.
pub fn overlay(kept: Vec<Entity>, layer: &[Entity]) -> Vec<Entity> {
    if layer.is_empty() {
        return kept;
    }
    let mut out = Vec::with_capacity(kept.len() + layer.len());
    let mut k = 0;
    let mut last_end = 0; // end of the last entity taken from `layer`
    for e in layer {
        // Emit the kept entities that end before this one starts.
        while k < kept.len() && kept[k].end <= e.start {
            out.push(kept[k]);
            k += 1;
        }
        let clashes_kept = k < kept.len() && kept[k].start < e.end;
        if !clashes_kept && e.start >= last_end && e.start < e.end {
            out.push(*e);
            last_end = e.end;
        }
    }
    out.extend_from_slice(&kept[k..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Label, Source};

    fn e(start: usize, end: usize) -> Entity {
        Entity {
            start,
            end,
            label: Label::Org,
            score: 1.0,
            source: Source::Rule,
        }
    }

    #[test]
    fn keeps_priority_and_order() {
        let kept = vec![e(5, 10), e(20, 25)];
        let layer = [e(0, 3), e(3, 6), e(10, 12), e(11, 13), e(24, 30), e(30, 31)];
        let spans: Vec<(usize, usize)> = overlay(kept, &layer)
            .iter()
            .map(|x| (x.start, x.end))
            .collect();
        assert_eq!(spans, [(0, 3), (5, 10), (10, 12), (20, 25), (30, 31)]);
    }
}
