// `npm run --silent staff:token -- --name Ada --role barista [--hours 12]`: mints a staff token
// with the secret the API uses (STAFF_TOKEN_SECRET, else DATA_DIR/secrets.json) and prints it
// alone on the last line, for `Authorization: Bearer <token>` or the sign-in page.
import { parseArgs } from 'node:util';
import { settingsOrExit } from '../platform/config';
import { DEFAULT_TOKEN_HOURS, isStaffRole, staffRoles, StaffTokens } from '../platform/security/staff-tokens';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { name: { type: 'string' }, role: { type: 'string' }, hours: { type: 'string', default: String(DEFAULT_TOKEN_HOURS) } } });
  const name = values.name?.trim();
  const hours = Number(values.hours);
  const problems = [
    !name || name.length > 100 ? '--name: who the token is for, 1-100 characters' : '',
    !isStaffRole(values.role) ? `--role: one of ${staffRoles.join(', ')}` : '',
    !(hours > 0 && hours <= 24 * 30) ? '--hours: more than 0, at most 720' : '',
  ].filter(Boolean);
  if (problems.length > 0) {
    console.error(`usage: npm run --silent staff:token -- --name <name> --role <${staffRoles.join('|')}> [--hours ${DEFAULT_TOKEN_HOURS}]\n${problems.join('\n')}`);
    process.exit(2);
  }
  const settings = settingsOrExit('STAFF_TOKEN_SECRET');
  const role = values.role as (typeof staffRoles)[number];
  const token = await new StaffTokens(settings.STAFF_TOKEN_SECRET!).mint({ name: name!, role }, hours);
  console.error(`${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role} token for ${name}, valid ${hours} h:`);
  console.log(token);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
