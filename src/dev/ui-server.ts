// The standalone Temporal Web UI server (ui-server v2.55.0, built with Go), for the dev server
// (started headless) and the cluster alike: pointed at Temporal's frontend, asking the shop's API
// to open encrypted payloads with the staff cookie. The dev server's own UI cannot be told to send
// credentials to the codec, so a signed-in person would still have to change the UI's settings.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Settings } from '../platform/config';
import { findGoTool, goTools } from './go-tools';

export interface UiServerOptions {
  /** Its config folder and log. */
  dir: string;
  port: number;
  temporalAddress: string;
  /** The API's codec endpoint; the browser calls it with the staff cookie. */
  codecEndpoint: string;
  /** Where staff sign in to the codec: the UI links there when a payload cannot be opened. */
  signInUrl: string;
  /** Keep it out of the terminal's Ctrl-C, for a parent that stops it itself. */
  ownProcessGroup?: boolean;
}

/** The shop's codec and its sign-in page, as the local API serves them (PORT). */
export function codecFor(settings: Pick<Settings, 'PORT'>): Pick<UiServerOptions, 'codecEndpoint' | 'signInUrl'> {
  return { codecEndpoint: `http://localhost:${settings.PORT}/codec`, signInUrl: `http://localhost:${settings.PORT}/staff/sign-in` };
}

export async function startUiServer(opts: UiServerOptions): Promise<ChildProcess> {
  const binary = await findGoTool(goTools.temporalUiServer);
  if (!binary) throw new Error(`no Temporal Web UI server: set ${goTools.temporalUiServer.pathSetting}, or install Go to build one (npm run tools:build)`);
  const configDir = path.join(opts.dir, 'config');
  fs.mkdirSync(configDir, { recursive: true });
  const config = {
    temporalGrpcAddress: opts.temporalAddress,
    port: opts.port,
    enableUi: true,
    defaultNamespace: 'default',
    // "Use Cluster-level setting", the UI's default, means these: no setting for a person to change.
    codec: {
      endpoint: opts.codecEndpoint,
      includeCredentials: true,
      defaultErrorMessage: 'Orders are encrypted: sign in as staff to read them.',
      defaultErrorLink: opts.signInUrl,
    },
    // Nothing fetched from the internet: the news and the version check.
    disableNewsFetch: true,
    notifyOnNewVersion: false,
    // Only the shop's own origin may call the UI server's API from a browser.
    cors: { allowOrigins: [new URL(opts.codecEndpoint).origin] },
  };
  // JSON is YAML: the UI server reads it as its config for the "development" environment.
  fs.writeFileSync(path.join(configDir, 'development.yaml'), JSON.stringify(config, null, 2));
  const log = fs.openSync(path.join(opts.dir, 'ui-server.log'), 'a');
  const child = spawn(binary, ['--root', opts.dir, '--config', 'config', '--env', 'development', 'start'], { stdio: ['ignore', log, log], detached: opts.ownProcessGroup });
  fs.closeSync(log);
  if (opts.ownProcessGroup) process.once('exit', () => child.kill('SIGTERM'));
  const deadline = Date.now() + 20_000;
  while (!(await answers(`http://127.0.0.1:${opts.port}/api/v1/settings`))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the Temporal Web UI server did not start on port ${opts.port} (log: ${path.join(opts.dir, 'ui-server.log')})`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return child;
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return res.ok && 'Codec' in ((await res.json()) as object);
  } catch {
    return false;
  }
}
