// A process that opens the business database the moment a start file appears, as an API, a worker or a migration Job starting beside others does.
//   node race-to-migrate.cjs <start-file>   with DATABASE_URL, or DATABASE_FILE (a SQLite file)
const fs = require('node:fs');
const path = require('node:path');
// Loaded before the start: the processes then race on the database, not on loading modules.
const { openDatabase } = require(path.resolve(__dirname, '..', '..', '..', 'dist', 'platform', 'db', 'database.js'));

const startFile = process.argv[2];
const options = process.env.DATABASE_URL ? { url: process.env.DATABASE_URL } : { filename: process.env.DATABASE_FILE };

async function open() {
  try {
    const db = await openDatabase(options);
    await db.destroy();
    console.log('opened');
    process.exit(0);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}

console.log('ready');
const waiting = setInterval(() => {
  if (!fs.existsSync(startFile)) return;
  clearInterval(waiting);
  void open();
}, 1);
