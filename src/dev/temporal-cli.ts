// Finds a `temporal` CLI binary, or builds one with Go (src/dev/go-tools.ts): these machines have
// Go and its module proxy but no internet, so the SDK's own download cannot be the first choice.
import { findGoTool, goTools } from './go-tools';

export { projectRoot } from './go-tools';
export const TEMPORAL_CLI_MODULE = goTools.temporal.module;

/**
 * In order: $TEMPORAL_CLI_PATH, `temporal` on PATH, a binary built before under .temporal/bin,
 * a fresh Go build into .temporal/bin. Undefined means: let the SDK download one.
 */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  return findGoTool(goTools.temporal, env);
}

if (require.main === module) {
  findTemporalCli()
    .then((cli) => console.log(cli ?? 'no temporal CLI found and no Go to build one: the SDK will download it'))
    .catch((err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
