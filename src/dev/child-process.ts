// Stopping a child process the project started (a server, a worker) and waiting until it is gone.
import type { ChildProcess } from 'node:child_process';

/** Sends the signal (SIGTERM: let it drain) and resolves once the process has exited; at once if it already has. */
export function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
