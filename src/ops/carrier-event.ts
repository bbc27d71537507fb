// `npm run --silent carrier:event -- --order <orderId> --event DISPATCHED [--api http://localhost:3000]`:
// plays the carrier by hand: signs a shipment event with CARRIER_WEBHOOK_SECRET (else the one in
// DATA_DIR/secrets.json), posts it, and prints the API's answer.
import { parseArgs } from 'node:util';
import { ShipmentEvents } from '../orders/order';
import { settingsOrExit } from '../platform/config';
import { credentialHeaders } from '../platform/security/client-credentials';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { order: { type: 'string' }, event: { type: 'string' }, api: { type: 'string' } } });
  if (!values.order || !(ShipmentEvents as readonly string[]).includes(values.event ?? '')) {
    console.error(`usage: npm run --silent carrier:event -- --order <orderId> --event <${ShipmentEvents.join('|')}> [--api http://localhost:3000]`);
    process.exit(2);
  }
  const settings = settingsOrExit('CARRIER_WEBHOOK_SECRET');
  const path = `/orders/${encodeURIComponent(values.order)}/shipment-events`;
  const body = JSON.stringify({ event: values.event });
  const res = await fetch(new URL(path, values.api ?? `http://localhost:${settings.PORT}`), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...credentialHeaders({ carrierSecret: settings.CARRIER_WEBHOOK_SECRET }, path, body) },
    body,
  });
  console.log(`${res.status} ${await res.text()}`);
  process.exitCode = res.ok ? 0 : 1;
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
