// The one span walker: a stretch of text with its entities as a sequence of plain-text gaps and
// entities, in order. The page's result pane and its HTML export build markup from it, and
// nerlight/dom turns its entities into ranges over the page's text nodes.

/**
 * The spans of [from, to): `{start, end, entity: null}` for text between entities and
 * `{start, end, entity, index}` for each entity (`index` into `entities`). Defensive, whatever
 * the caller was sent: an entity that is empty, starts before the end of the previous one, or
 * runs out of [from, to) is skipped. A generator, so a caller working in time slices can stop
 * after any span and go on later.
 *
 * @template {{start: number, end: number}} E
 * @param {E[]} entities sorted by start
 * @param {number} from
 * @param {number} to
 * @returns {Generator<{start: number, end: number, entity: E | null, index: number}>}
 */
export function* spans(entities, from, to) {
  let cursor = from;
  for (let index = 0; index < entities.length; index++) {
    const entity = entities[index];
    if (entity.start < cursor || entity.end <= entity.start || entity.end > to) continue;
    if (entity.start > cursor) yield { start: cursor, end: entity.start, entity: null, index: -1 };
    yield { start: entity.start, end: entity.end, entity, index };
    cursor = entity.end;
  }
  if (cursor < to) yield { start: cursor, end: to, entity: null, index: -1 };
}
