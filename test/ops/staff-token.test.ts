// `npm run --silent staff:token`: a token the API takes, alone on the last line.
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { spawnNode } from '../support/processes';
import { testStaffTokens } from '../support/secrets';

describe('staff:token', () => {
  it('prints, alone on its last line, a token signed with STAFF_TOKEN_SECRET that names the person and the role and expires', async () => {
    const minted = spawnNode('ops/staff-token.js', {}, ['--name', 'Ada Lovelace', '--role', 'barista', '--hours', '8']);
    expect(await minted.exited).toBe(0);
    const token = minted.output().trim().split('\n').at(-1)!;

    expect(await testStaffTokens.verify(token)).toEqual({ name: 'Ada Lovelace', role: 'barista' });
    const { exp, iat } = decodeJwt(token);
    expect(exp! - iat!).toBe(8 * 3600);
  });

  it.each([
    [['--name', 'Ada', '--role', 'owner'], /--role: one of barista, warehouse, admin/],
    [['--role', 'admin'], /--name/],
    [['--name', 'Ada', '--role', 'admin', '--hours', '0'], /--hours/],
  ])('refuses %j with its usage and exit code 2', async (args, complaint) => {
    const minted = spawnNode('ops/staff-token.js', {}, args);
    expect(await minted.exited).toBe(2);
    expect(minted.output()).toMatch(complaint);
    expect(minted.output()).toMatch(/usage: npm run --silent staff:token/);
  });
});
