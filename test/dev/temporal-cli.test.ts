import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findTemporalCli } from '../../src/dev/temporal-cli';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function fakeBinary(name: string, mode: number): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, '#!/bin/sh\n');
  fs.chmodSync(file, mode);
  return file;
}

describe('finding the temporal CLI', () => {
  it('takes TEMPORAL_CLI_PATH first', async () => {
    const chosen = fakeBinary('chosen-temporal', 0o755);
    expect(await findTemporalCli({ TEMPORAL_CLI_PATH: chosen, PATH: '' })).toBe(chosen);
  });

  it('refuses a TEMPORAL_CLI_PATH that is not executable, naming the setting', async () => {
    const notExecutable = fakeBinary('plain-file', 0o644);
    await expect(findTemporalCli({ TEMPORAL_CLI_PATH: notExecutable })).rejects.toThrow('TEMPORAL_CLI_PATH');
  });

  it('takes a temporal on PATH next', async () => {
    const binDir = fs.mkdtempSync(path.join(dir, 'bin-'));
    const onPath = path.join(binDir, 'temporal');
    fs.writeFileSync(onPath, '#!/bin/sh\n');
    fs.chmodSync(onPath, 0o755);
    expect(await findTemporalCli({ PATH: binDir })).toBe(onPath);
  });
});
