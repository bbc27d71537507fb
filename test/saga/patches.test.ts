// The workflows' patches are listed in one file: every patched() call names one of them, so what
// each patch changed, and what still needs it, is read in one place.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { patches } from '../../src/saga/patches';

/** The workflow code: the saga kernel and each kind's folder. */
const sources = ['saga', 'orders', 'coffee'].flatMap((folder) => {
  const dir = path.join(__dirname, '..', '..', 'src', folder);
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.ts') && file !== 'patches.ts')
    .map((file) => ({ file: `${folder}/${file}`, code: fs.readFileSync(path.join(dir, file), 'utf8') }));
});

describe('the patches file', () => {
  it('is where every patched(), hasPatch() and deprecatePatch() call in the workflows takes its id from', () => {
    const calls = sources.flatMap(({ file, code }) => [...code.matchAll(/\b(?:patched|hasPatch|deprecatePatch)\(([^)]+)\)/g)].map((m) => `${file}: ${m[1]}`));
    expect(calls.length).toBeGreaterThanOrEqual(Object.keys(patches).length);
    expect(calls.filter((call) => !/: patches\.\w+$/.test(call))).toEqual([]);
    const used = new Set(calls.map((call) => call.split('patches.')[1]));
    expect([...used].sort()).toEqual(Object.keys(patches).sort());
  });

  it('keeps the ids the recorded histories carry, each once', () => {
    expect(Object.values(patches).sort()).toEqual(['answer-at-rest', 'coffee-tells-ending', 'dispatch-deadline', 'fewer-writes', 'notify-on-delivery', 'order-events', 'view-in-memo']);
  });
});
