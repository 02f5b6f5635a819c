// The next task, sooner than setTimeout(fn, 0), which browsers clamp to 4 ms after a few nested
// calls. A message to our own MessageChannel is queued behind the input events and messages
// already pending, so work cut into tasks this way lets them run first: a page that renders in
// slices stays responsive to typing, and a worker streaming a text (stream.js) sees a
// cancellation before it highlights the next piece. One channel per page or worker.

const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => waiting.shift()?.();

/** Call `fn` in a task of its own, after what is already pending. */
export function nextTask(fn) {
  waiting.push(fn);
  channel.port2.postMessage(null);
}

/** Resolves in a task of its own, after what is already pending. */
export const yieldToMessages = () => new Promise((resolve) => nextTask(resolve));
