/**
 * Worker entry: boots the worker (boot.ts), which asks for the GPU adapter before it loads
 * the runtime's code (start.ts and what it imports, a chunk of its own in the built worker).
 */
import { bootWorker, type BootScope } from './boot.ts';

bootWorker(self as unknown as BootScope, () => import('./start.ts')).catch((error: unknown) => {
  // Thrown from a task of its own, the error is uncaught: the page's Worker gets an `error`
  // event, and the runtime's start rejects with worker-terminated and its Fix.
  setTimeout(() => {
    throw error;
  });
});
