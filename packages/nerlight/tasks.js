// The next task, sooner than setTimeout(fn, 0), which browsers clamp to 4 ms after a few nested
// calls. A message to our own MessageChannel is queued behind the input events and messages
// already pending, so work cut into tasks this way lets them run first: a page that renders in
// slices stays responsive to typing, and a worker streaming a text (stream.js) sees a
// cancellation before it highlights the next piece. One channel per page or worker, made on first
// use: in Node a port with a listener keeps the process alive, so importing a module that imports
// this one (a test reading stream.js's chunk sizes) must not open it, and between uses it is
// unref'd (`unref` exists only in Node).

let channel = null;
const waiting = [];

function open() {
  channel = new MessageChannel();
  channel.port1.onmessage = () => {
    waiting.shift()?.();
    if (waiting.length === 0) channel.port1.unref?.();
  };
  return channel;
}

/** Call `fn` in a task of its own, after what is already pending. */
export function nextTask(fn) {
  const { port1, port2 } = channel ?? open();
  waiting.push(fn);
  port1.ref?.();
  port2.postMessage(null);
}

/** Resolves in a task of its own, after what is already pending. */
export const yieldToMessages = () => new Promise((resolve) => nextTask(resolve));

/** Longest stretch of main-thread work before yielding (a frame at 120 Hz). */
export const SLICE_MS = 8;

/**
 * Work in slices: `await pause()` between steps yields to the page (input, rendering, its own
 * tasks) once `ms` of work have passed since the last yield, and costs a clock read otherwise.
 */
export function slicer(ms = SLICE_MS) {
  let deadline = performance.now() + ms;
  return async () => {
    if (performance.now() < deadline) return;
    await yieldToMessages();
    deadline = performance.now() + ms;
  };
}
