// `npm run db:migrate` (`node dist/ops/migrate.js`, the Kubernetes migration Job): brings the business database's schema up to date, says what it did, exits.
// Exit 0: up to date. Exit 1: it could not, and says why. Exit 2: a bad setting.
import { settingsOrExit } from '../platform/config';
import { describeDatabase, openMigratedDatabase } from '../platform/db/database';

async function main(): Promise<void> {
  const settings = settingsOrExit();
  const where = describeDatabase(settings.database);
  let opened: Awaited<ReturnType<typeof openMigratedDatabase>>;
  try {
    opened = await openMigratedDatabase(settings.database);
  } catch (err) {
    console.error(`${where}: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  const { db, migrated } = opened;
  await db.destroy();
  const { applied, alreadyThere } = migrated;
  console.log(`${where}: applied ${applied.length} migration${applied.length === 1 ? '' : 's'}${applied.length > 0 ? ` (${applied.join(', ')})` : ''}, ${alreadyThere} already there`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
