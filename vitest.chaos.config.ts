import { defineConfig } from 'vitest/config';
import base from './vitest.config';

// `npm run test:chaos`: only the large chaos run (npm test runs the small one), with the same pool and global setup as npm test.
export default defineConfig({ test: { ...base.test, include: ['test/chaos/**/*.chaos.ts'] } });
