// The servers this project runs are Go programs: found where the user put them, else built once
// with Go into a folder of the project. These machines have Go and its module proxy but no
// internet, so no release download can be the first choice.
//   npm run --silent tools:build    finds or builds all of them, printing each path
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

export const projectRoot = path.resolve(__dirname, '..', '..');

export interface GoTool {
  /** The binary's name, on PATH and in the cache. */
  binary: string;
  /** What `go install` builds, pinned. */
  module: string;
  /** The setting that names a binary to use instead. */
  pathSetting: string;
  /** Where a build is kept, under the project (git-ignored). */
  cacheDir: string;
  /** The name `go install` gives the binary, when it is not `binary` (two of them are called `server`). */
  installedAs?: string;
  /**
   * Built from the module's source with its web page's assets, which its Go module does not carry:
   * they come from the project's own npm build (`npm ci`, then this script), run before `go build`.
   */
  webAssetsScript?: string;
}

export const goTools = {
  /** Later CLI tags carry a `replace` directive that `go install` refuses. */
  temporal: { binary: 'temporal', module: 'github.com/temporalio/cli/cmd/temporal@v1.5.1', pathSetting: 'TEMPORAL_CLI_PATH', cacheDir: '.temporal/bin' },
  /** Its page's scripts and styles are built from the module source with npm (a plain `go install` serves a blank page). */
  mailpit: { binary: 'mailpit', module: 'github.com/axllent/mailpit@v1.27.11', pathSetting: 'MAILPIT_PATH', cacheDir: '.tools/mailpit', webAssetsScript: 'build' },
  natsServer: { binary: 'nats-server', module: 'github.com/nats-io/nats-server/v2@v2.15.2', pathSetting: 'NATS_SERVER_PATH', cacheDir: '.tools/bin' },
  /** The production Temporal server, each service a process of its own (`npm run test:cluster`, `npm start -- --cluster`). */
  temporalServer: { binary: 'temporal-server', installedAs: 'server', module: 'go.temporal.io/server/cmd/server@v1.32.1', pathSetting: 'TEMPORAL_SERVER_PATH', cacheDir: '.tools/bin' },
  /** Creates and upgrades the Temporal server's schemas on PostgreSQL (the schemas are built into it). */
  temporalSqlTool: { binary: 'temporal-sql-tool', installedAs: 'sql', module: 'go.temporal.io/server/cmd/tools/sql@v1.32.1', pathSetting: 'TEMPORAL_SQL_TOOL_PATH', cacheDir: '.tools/bin' },
  /** The standalone Temporal Web UI, for a server that is not the dev server. */
  temporalUiServer: { binary: 'temporal-ui-server', installedAs: 'server', module: 'github.com/temporalio/ui-server/v2/cmd/server@v2.55.0', pathSetting: 'TEMPORAL_UI_SERVER_PATH', cacheDir: '.tools/bin' },
  /** Stripe's API, checked against Stripe's published description, with no state (the Stripe adapter's tests). */
  stripeMock: { binary: 'stripe-mock', module: 'github.com/stripe/stripe-mock@v0.203.0', pathSetting: 'STRIPE_MOCK_PATH', cacheDir: '.tools/bin' },
  /** Renders and lints the chart in deploy/helm. */
  helm: { binary: 'helm', module: 'helm.sh/helm/v4/cmd/helm@v4.3.2', pathSetting: 'HELM_PATH', cacheDir: '.tools/bin' },
} satisfies Record<string, GoTool>;

/**
 * In order: the tool's setting, the binary on PATH, one built before into its cache folder, a
 * fresh Go build into that folder. Undefined when there is none and no Go to build one.
 */
export async function findGoTool(tool: GoTool, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const chosen = env[tool.pathSetting];
  if (chosen) {
    if (!isExecutable(chosen)) throw new Error(`${tool.pathSetting}=${chosen} is not an executable file`);
    return chosen;
  }
  const onPath = whichSync(tool.binary, env.PATH);
  if (onPath) return onPath;
  const built = builtPath(tool);
  if (isExecutable(built)) return built;
  if (whichSync('go', env.PATH)) return buildWithGo(tool);
  return undefined;
}

export function builtPath(tool: GoTool): string {
  return path.join(projectRoot, tool.cacheDir, tool.binary);
}

/** Builds into a scratch folder, then moves the binary in place, so a half-built one is never used. */
export async function buildWithGo(tool: GoTool): Promise<string> {
  const target = builtPath(tool);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const scratch = fs.mkdtempSync(path.join(path.dirname(path.dirname(target)), '.build-'));
  console.error(`Building ${tool.binary} with Go (${tool.module}); the first time takes a few minutes...`);
  try {
    if (tool.webAssetsScript) await buildWithWebAssets(tool, scratch);
    else await run('go', ['install', tool.module], { ...process.env, GOBIN: scratch });
    fs.renameSync(path.join(scratch, tool.installedAs ?? tool.binary), target);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  console.error(`${tool.binary} built: ${target}`);
  return target;
}

/**
 * The module's source from Go's module cache (read-only there), copied into the scratch folder; its
 * npm packages from the registry, exactly as its lock file pins them; its web assets built; then
 * the binary built from that source, the assets embedded.
 */
async function buildWithWebAssets(tool: GoTool, scratch: string): Promise<void> {
  const { stdout } = await promisify(execFile)('go', ['mod', 'download', '-json', tool.module]);
  const source = path.join(scratch, 'source');
  fs.cpSync((JSON.parse(stdout) as { Dir: string }).Dir, source, { recursive: true });
  await run('chmod', ['-R', 'u+w', source], process.env);
  const env = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
  // No install scripts: the packages' prebuilt binaries (esbuild's, Sass's) come as npm packages.
  await run('npm', ['ci', '--ignore-scripts', '--no-progress', '--loglevel=error'], env, source);
  await run('npm', ['run', '--silent', tool.webAssetsScript!], env, source);
  await run('go', ['build', '-o', path.join(scratch, tool.installedAs ?? tool.binary), '.'], process.env, source);
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

function whichSync(name: string, searchPath = ''): string | undefined {
  return searchPath
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir) => path.join(dir, name))
    .find(isExecutable);
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

if (require.main === module) {
  (async () => {
    for (const tool of Object.values(goTools)) {
      const found = await findGoTool(tool);
      if (!found) throw new Error(`no ${tool.binary}, and no Go to build one: set ${tool.pathSetting}`);
      console.log(`${tool.binary}\t${found}`);
    }
  })().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
