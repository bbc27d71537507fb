// `npm run start:temporal`: the Temporal dev server and its Web UI alone, persisted under DATA_DIR.
import { settingsOrExit } from '../platform/config';
import { startLocalTemporal } from './dev-server';

async function main(): Promise<void> {
  const settings = settingsOrExit();
  const { server, stop } = await startLocalTemporal(settings, false);
  server.on('exit', (code) => void stop().then(() => process.exit(code ?? 0)));
  console.log(`Temporal ${settings.temporal.connection.address}, Web UI ${settings.TEMPORAL_UI_URL} (Ctrl-C stops it)`);
  // Both are in our process group, so Ctrl-C reaches them directly; SIGTERM we pass on.
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => undefined);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
