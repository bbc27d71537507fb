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

  it('stop the API process at start with the setting named and a non-zero exit', async () => {
    const api = spawnNode('api/main.js', { PORT: 'eighty' });
    expect(await api.exited).toBe(2);
    expect(api.output()).toContain('PORT');
  });
});
