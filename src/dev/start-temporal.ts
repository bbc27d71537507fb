// `npm run start:temporal`: the Temporal dev server alone, persisted under DATA_DIR.
import { settingsOrExit } from '../config';
import { startDevServer, waitForTemporal } from './dev-server';
import { findTemporalCli } from './temporal-cli';

async function main(): Promise<void> {
  const settings = settingsOrExit();
  const cliPath = await findTemporalCli();
  if (!cliPath) throw new Error('no temporal CLI: set TEMPORAL_CLI_PATH, put `temporal` on PATH, or install Go to build one');
  const server = startDevServer({ cliPath, dataDir: settings.DATA_DIR, address: settings.TEMPORAL_ADDRESS, uiPort: uiPort(settings.TEMPORAL_UI_URL), ownProcessGroup: false });
  server.on('exit', (code) => process.exit(code ?? 0));
  await waitForTemporal(settings.TEMPORAL_ADDRESS);
  console.log(`Temporal ${settings.TEMPORAL_ADDRESS}, Web UI ${settings.TEMPORAL_UI_URL} (Ctrl-C stops it)`);
  // The server is in our process group, so Ctrl-C reaches it directly; SIGTERM we pass on.
  process.on('SIGTERM', () => server.kill('SIGTERM'));
  process.on('SIGINT', () => undefined);
}

export function uiPort(uiUrl: string): number {
  const url = new URL(uiUrl);
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80));
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
