// A real business database on a temporary SQLite file, one per test file or test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Db, openDatabase } from '../../src/db/database';

export async function temporaryDatabase(): Promise<{ db: Db; close: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-db-'));
  const db = await openDatabase({ filename: path.join(dir, 'business.db') });
  return {
    db,
    close: async () => {
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
/** Ids unique across test files and runs, so tests never meet each other's workflows. */
export function uniqueId(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}
