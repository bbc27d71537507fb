import { describe, expect, it } from 'vitest';
import { loadSettings } from '../src/config';
import { spawnNode } from './support/processes';

describe('settings', () => {
  it('default to the local stack when nothing is set', () => {
    const settings = loadSettings({});
    expect(settings).toMatchObject({
      PORT: 3000,
      TEMPORAL_ADDRESS: 'localhost:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_UI_URL: 'http://localhost:8233',
      DATA_DIR: '.data',
    });
    expect(settings.database).toEqual({ filename: expect.stringMatching(/\.data\/business\.db$/) });
  });

  it('use PostgreSQL when DATABASE_URL is set', () => {
    expect(loadSettings({ DATABASE_URL: 'postgres://shop@db:5432/shop' }).database).toEqual({ url: 'postgres://shop@db:5432/shop' });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['TEMPORAL_ADDRESS', 'localhost'],
    ['TEMPORAL_UI_URL', 'not a url'],
    ['DATABASE_URL', 'mysql://db/shop'],
  ])('refuse %s=%s with a message that names it', (name, value) => {
    expect(() => loadSettings({ [name]: value })).toThrow(name);
  });

  it.each([
    ['api/main.js', 'PORT', 'eighty'],
    ['api/main.js', 'DATABASE_URL', 'mysql://db/shop'],
    ['workers/main.js', 'TEMPORAL_ADDRESS', 'temporal'],
    ['workers/main.js', 'WORKER_METRICS_PORT', '-1'],
  ])('stop %s at start with %s named and a non-zero exit', async (entry, name, value) => {
    const process = spawnNode(entry, { [name]: value });
    expect(await process.exited).toBe(2);
    expect(process.output()).toContain(name);
  });
});
