// Finds a `temporal` CLI binary, or builds one with Go: these machines have Go and its module
// proxy but no internet, so the SDK's own download cannot be the first choice.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Later CLI tags carry a `replace` directive that `go install` refuses. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

export const projectRoot = path.resolve(__dirname, '..', '..');
const builtCli = path.join(projectRoot, '.temporal', 'bin', 'temporal');

/**
 * In order: $TEMPORAL_CLI_PATH, `temporal` on PATH, a binary built before under .temporal/bin,
 * a fresh Go build into .temporal/bin. Undefined means: let the SDK download one.
 */
export async function findTemporalCli(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (env.TEMPORAL_CLI_PATH) {
    if (!isExecutable(env.TEMPORAL_CLI_PATH)) throw new Error(`TEMPORAL_CLI_PATH=${env.TEMPORAL_CLI_PATH} is not an executable file`);
    return env.TEMPORAL_CLI_PATH;
  }
  const onPath = whichSync('temporal', env.PATH);
  if (onPath) return onPath;
  if (isExecutable(builtCli)) return builtCli;
  if (whichSync('go', env.PATH)) return buildWithGo();
  return undefined;
}

/** Builds the CLI into a scratch folder, then moves it in place, so a half-built binary is never used. */
export async function buildWithGo(): Promise<string> {
  fs.mkdirSync(path.dirname(builtCli), { recursive: true });
  const scratch = fs.mkdtempSync(path.join(path.dirname(path.dirname(builtCli)), '.build-'));
  console.error(`Building the Temporal CLI with Go (${TEMPORAL_CLI_MODULE}); the first time takes a few minutes...`);
  try {
    await run('go', ['install', TEMPORAL_CLI_MODULE], { ...process.env, GOBIN: scratch });
    fs.renameSync(path.join(scratch, 'temporal'), builtCli);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  console.error(`Temporal CLI built: ${builtCli}`);
  return builtCli;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'inherit', 'inherit'] });
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
  findTemporalCli()
    .then((cli) => console.log(cli ?? 'no temporal CLI found and no Go to build one: the SDK will download it'))
    .catch((err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
