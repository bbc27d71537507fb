// The build's two workflow bundles: workers that export no traces run without the interceptors.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// What `npm run build` wrote (npm test builds first), as the worker process loads it.
const built = require(path.resolve(__dirname, '..', '..', 'dist', 'main', 'bundle.js')) as typeof import('../../src/main/bundle');

describe('the prebuilt workflow bundles (npm run build)', () => {
  it('leave the tracing interceptors out unless the worker exports traces', () => {
    const plain = built.prebuiltBundle(false);
    const traced = built.prebuiltBundle(true);
    expect(plain && traced && plain.codePath !== traced.codePath).toBe(true);
    expect(fs.readFileSync(plain!.codePath, 'utf8')).not.toContain('OpenTelemetryInboundInterceptor');
    expect(fs.readFileSync(traced!.codePath, 'utf8')).toContain('OpenTelemetryInboundInterceptor');
  });
});
