// How a long-running process ends: SIGINT or SIGTERM (Ctrl-C, `docker stop`) stops its parts
// once, in the order the process gives, then exits 0.
export function stopOnSignals(stop: () => Promise<void>): void {
  let stopping: Promise<void> | undefined;
  const onSignal = () => {
    stopping ??= stop().then(() => process.exit(0));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}
