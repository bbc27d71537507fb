import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { devServerDynamicConfig } from '../../src/dev/dev-server';
import { findTemporalCli } from '../../src/dev/temporal-cli';
import { createServices } from '../../src/services';
import { temporaryDatabase, uniqueId } from '../support/database';
import { freePort } from '../support/processes';
import { eventually, serveApi } from './helpers';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('GET /readyz', () => {
  it('answers 503 while Temporal is away and 200 once it is back, without a restart of the API', async () => {
    const port = await freePort();
    const { db, close } = await temporaryDatabase();
    cleanups.push(close);
    const connection = Connection.lazy({ address: `127.0.0.1:${port}` });
    cleanups.push(() => connection.close());
    const api = await serveApi({ client: new Client({ connection }), db, services: createServices(db), taskQueue: uniqueId('tq') });
    cleanups.push(() => api.close());

    const away = await api.http.get('/readyz');
    expect(away.status).toBe(503);
    expect(away.body.checks).toEqual({ temporal: 'down', database: 'up' });

    // A second Temporal server comes up at the address the API was given.
    const cli = await findTemporalCli();
    const server = await TestWorkflowEnvironment.createLocal({
      server: { executable: cli ? { type: 'existing-path', path: cli } : undefined, ip: '127.0.0.1', port, extraArgs: devServerDynamicConfig },
    });
    cleanups.push(() => server.teardown());

    const back = await eventually(() => api.http.get('/readyz'), (body) => body.status === 'ready', 30_000);
    expect(back.checks).toEqual({ temporal: 'up', database: 'up' });
  });
});
