// A separate process that reserves one unit per order on a shared SQLite file, as a second
// worker process would; prints each outcome (HELD or the refusal's type) as JSON.
const { openDatabase } = require('../../dist/platform/db/database.js');
const { InventoryService } = require('../../dist/services');

async function main() {
  const [filename, sku, first, count] = process.argv.slice(2);
  const db = await openDatabase({ filename });
  const inventory = new InventoryService(db);
  const orders = Array.from({ length: Number(count) }, (_, i) => Number(first) + i);
  const results = await Promise.allSettled(
    orders.map((n) => inventory.reserve({ idempotencyKey: `reserve-${n}`, orderId: `order-${n}`, items: [{ sku, quantity: 1 }] })),
  );
  process.stdout.write(JSON.stringify(results.map((r) => (r.status === 'fulfilled' ? 'HELD' : r.reason.type ?? String(r.reason)))));
  await db.destroy();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
