// `npm run --silent secrets:new > .env`: a fresh value for each secret setting, in the form
// docker compose reads from .env. Keep the file out of version control and back it up: orders
// sealed under a PAYLOAD_ENCRYPTION_KEYS key cannot be read without it.
import { secretNames, secretSettings } from '../platform/security/secrets';

for (const name of secretNames) console.log(`${name}=${secretSettings[name]()}`);
