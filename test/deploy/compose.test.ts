// No Docker engine runs here: these tests check what can be checked without one, that the
// compose file and the Dockerfile say what the code needs.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { devServerDynamicConfig } from '../../src/dev/dev-server';
import { workerTuning } from '../../src/main/shop-worker';
import { loadSettings } from '../../src/platform/config';
import { apiSecurity } from '../../src/platform/http/deps';
import { WEB_DIR } from '../../src/platform/http/pages';
import { secretNames, secretSettings } from '../../src/platform/security/secrets';
import { searchAttributeKeys } from '../../src/shop';

const root = path.resolve(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
  container_name?: string;
  profiles?: string[];
  entrypoint?: string[];
  expose?: string[];
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const { services } = compose;
const seconds = (duration: string) => Number(/^(\d+)s$/.exec(duration)?.[1]);
/** The environment as compose makes it from a .env that `npm run secrets:new` wrote. */
const dotEnv = Object.fromEntries(secretNames.map((name) => [name, secretSettings[name]()]));
/** `${NAME:?message}` and `${NAME:-default}` filled in as compose does, from that .env. */
const withSecrets = (environment: Record<string, string>) =>
  Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, v.replace(/^\$\{(\w+):([?-])([^}]*)\}$/, (_m, name: string, how: string, fallback: string) => dotEnv[name] || (how === '-' ? fallback : ''))]));

describe('docker-compose.yml', () => {
  it('has Temporal on PostgreSQL, its Web UI, the business database, the worker and the API', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['postgres', 'temporal-schema', 'temporal', 'temporal-namespace', 'temporal-ui', 'worker', 'api']),
    );
    expect(services.temporal?.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgres' });
    expect(services['temporal-ui']?.ports).toEqual(['8080:8080']);
  });

  it('runs the mail relay against Mailpit, the same image as the worker and the API', () => {
    expect(services.mailer?.command).toEqual(['node', 'dist/main/mailer.js']);
    const smtp = new URL(loadSettings(withSecrets(services.mailer!.environment!)).SMTP_URL);
    expect(services[smtp.hostname]?.image).toMatch(/^axllent\/mailpit:/);
    expect(smtp.port).toBe('1025');
  });

  it('runs the event publisher against a NATS server with JetStream on a volume, the same image as the worker and the API', () => {
    expect(services.publisher?.command).toEqual(['node', 'dist/main/publisher.js']);
    const settings = loadSettings(withSecrets(services.publisher!.environment!));
    const nats = new URL(settings.NATS_URL);
    expect(services[nats.hostname]?.image).toMatch(/^nats:2\.15\./);
    expect(services[nats.hostname]?.command).toEqual(expect.arrayContaining(['-js', '-sd', '/data']));
    expect(services[nats.hostname]?.volumes).toEqual(['nats-data:/data']);
    // No users: reachable on the compose network, not published on the host.
    expect(services[nats.hostname]?.ports).toBeUndefined();
    expect(compose.volumes).toHaveProperty('nats-data');
    expect([nats.port, settings.NATS_STREAM, settings.NATS_STREAM_MAX_AGE_DAYS]).toEqual(['4222', 'SHOP_EVENTS', 30]);
  });

  it.each(['worker', 'worker-next', 'api', 'mailer', 'publisher'])('gives the %s settings the code accepts, pointing at the services that exist', (name) => {
    const app = services[name]!;
    const settings = loadSettings(withSecrets(app.environment!));
    expect('url' in settings.database).toBe(true);

    const database = new URL((settings.database as { url: string }).url);
    const postgres = services[database.hostname]!.environment!;
    expect([database.username, database.password, database.pathname.slice(1)]).toEqual([postgres.POSTGRES_USER, postgres.POSTGRES_PASSWORD, postgres.POSTGRES_DB]);
    expect(settings.temporal.connection.address).toBe('temporal:7233');
    expect(settings.TEMPORAL_UI_URL).toBe(`http://localhost:${services['temporal-ui']!.ports![0]!.split(':')[0]}`);
    expect(app.depends_on).toEqual({ postgres: { condition: 'service_healthy' }, 'temporal-namespace': { condition: 'service_completed_successfully' } });
  });

  it.each(['worker', 'worker-next', 'api', 'mailer', 'publisher'])('requires every secret of the %s from the environment (.env), naming how to make one, and never holds a value itself', (name) => {
    const environment = services[name]!.environment!;
    for (const secret of secretNames) expect(environment[secret]).toBe(`\${${secret}:?run npm run --silent secrets:new > .env, or set it}`);
  });

  it("points the Web UI at the API's codec with the staff cookie, from an origin the API allows", () => {
    const ui = services['temporal-ui']!.environment!;
    expect(ui).toMatchObject({ TEMPORAL_CODEC_ENDPOINT: 'http://localhost:3000/codec', TEMPORAL_CODEC_INCLUDE_CREDENTIALS: 'true' });
    const api = apiSecurity(loadSettings(withSecrets(services.api!.environment!)));
    expect(api.codecOrigins).toEqual([`http://localhost:${services['temporal-ui']!.ports![0]!.split(':')[0]}`]);
  });

  it('starts each service only after what it needs is healthy or done', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(services[dependency], `${name} depends on ${dependency}`).toBeDefined();
        if (condition === 'service_healthy') expect(services[dependency]!.healthcheck, `${dependency} needs a healthcheck`).toBeDefined();
      }
    }
  });

  it("pins every image it pulls to a version, and names the ones it builds, each overridable", () => {
    const pulled = Object.values(services).flatMap((s) => (s.image && !s.build ? [s.image] : []));
    expect(pulled.length).toBeGreaterThan(0);
    for (const image of pulled) expect(image).toMatch(/^[\w./-]+:v?\d[\w.-]*$/);
    const built = Object.entries(services).filter(([, s]) => s.build);
    expect(built.map(([name]) => name).sort()).toEqual(['api', 'mailer', 'publisher', 'worker', 'worker-next']);
    for (const [name, s] of built) expect(s.image, name).toMatch(/^\$\{\w+:-[\w./-]+:[\w.-]+\}$/);
  });

  it('keeps the databases in a named volume, so down && up loses nothing', () => {
    expect(services.postgres?.volumes).toEqual(['postgres-data:/var/lib/postgresql/data']);
    expect(compose.volumes).toHaveProperty('postgres-data');
  });

  it.each(['worker', 'worker-next'])('lets the %s scale out and stop gracefully', (name) => {
    const worker = services[name]!;
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
    expect(worker.command).toEqual(['node', 'dist/main/worker.js']);
    expect(seconds(worker.stop_grace_period!)).toBeGreaterThan(Number.parseInt(workerTuning.shutdownGraceTime, 10));
  });

  it('runs the worker as a version of the worker deployment, the first version making itself current, the build id left to the image', () => {
    const env = services.worker!.environment!;
    expect(env.TEMPORAL_DEPLOYMENT_NAME).toBe('temporal-fulfillment');
    expect(env.TEMPORAL_DEPLOYMENT_NAME).not.toMatch(/[.:]/);
    expect(env.TEMPORAL_PROMOTE_FIRST_VERSION).toBe('true');
    expect(loadSettings(withSecrets(env))).toMatchObject({ TEMPORAL_DEPLOYMENT_NAME: 'temporal-fulfillment', TEMPORAL_PROMOTE_FIRST_VERSION: true });
    // Derived from the workflow code in each image: a fixed value here would name two codes alike.
    expect(env.TEMPORAL_WORKER_BUILD_ID).toBeUndefined();
    expect(services.worker!.profiles).toBeUndefined();
    // Only the workers are versions; the other processes do not register.
    for (const name of ['api', 'mailer', 'publisher']) expect(services[name]!.environment!.TEMPORAL_DEPLOYMENT_NAME, name).toBeUndefined();
  });

  it('starts the next version only when asked (profile next), from its own image, next to the old workers, never promoting itself', () => {
    const [worker, next] = [services.worker!, services['worker-next']!];
    expect(next.profiles).toEqual(['next']);
    expect(next.image).toMatch(/^\$\{NEXT_IMAGE:-[^}]+\}$/);
    expect(next.image).not.toBe(worker.image);
    expect(next.build).toEqual(worker.build);
    const { TEMPORAL_PROMOTE_FIRST_VERSION, ...nextEnv } = next.environment!;
    const { TEMPORAL_PROMOTE_FIRST_VERSION: _promote, ...workerEnv } = worker.environment!;
    expect(TEMPORAL_PROMOTE_FIRST_VERSION).toBe('false');
    expect(loadSettings(withSecrets(next.environment!))).toMatchObject({ TEMPORAL_DEPLOYMENT_NAME: 'temporal-fulfillment', TEMPORAL_PROMOTE_FIRST_VERSION: false });
    // The same deployment, task queue, connection, database and secrets: only the image differs.
    expect(nextEnv).toEqual(workerEnv);
    expect(next.environment!.TEMPORAL_WORKER_BUILD_ID).toBeUndefined();
    expect(next.depends_on).toEqual(worker.depends_on);
  });

  it('offers the temporal CLI against its server for the promote step, only when run', () => {
    const admin = services['temporal-admin']!;
    expect(admin.profiles).toEqual(['tools']);
    expect(admin.image).toBe(services['temporal-namespace']!.image);
    expect(admin.entrypoint).toEqual(['temporal']);
    expect(admin.environment).toEqual({ TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_NAMESPACE: services.worker!.environment!.TEMPORAL_NAMESPACE });
    expect(admin.depends_on).toEqual({ temporal: { condition: 'service_healthy' } });
  });

  it('names the commands of a deploy and a rollback at the top', () => {
    const header = read('docker-compose.yml').split(/^name:/m)[0]!;
    const deploymentName = services.worker!.environment!.TEMPORAL_DEPLOYMENT_NAME;
    for (const command of [
      'docker compose --profile next up -d --build worker-next',
      'docker compose exec worker-next node dist/ops/build-id.js',
      'npm run --silent deploy:status',
      `worker deployment set-ramping-version \\\n#     --deployment-name ${deploymentName} --build-id NEW --percentage 10`,
      `worker deployment set-current-version \\\n#     --deployment-name ${deploymentName} --build-id NEW`,
      'docker compose --profile next rm -sf worker-next',
      'npm run --silent deploy:retire -- OLD',
      'set-current-version --build-id OLD',
    ]) {
      expect(header).toContain(command);
    }
    // Each `docker compose run --rm` names a service that exists.
    for (const [, name] of header.matchAll(/docker compose run --rm ([\w-]+)/g)) expect(services[name!], name).toBeDefined();
    for (const [, name] of header.matchAll(/docker compose exec ([\w-]+)/g)) expect(services[name!], name).toBeDefined();
  });

  it('registers every search attribute the workflows upsert, and the server features they use', () => {
    const setup = read('deploy/temporal/setup-namespace.sh');
    for (const key of searchAttributeKeys) expect(setup).toContain(key.name);
    const dynamicConfig = parse(read('deploy/temporal/dynamicconfig/fulfillment.yaml')) as Record<string, [{ value: unknown }]>;
    const devServerFlags = devServerDynamicConfig.filter((_, i) => i % 2 === 1).map((flag) => flag.split('='));
    for (const [key, value] of devServerFlags) expect(String(dynamicConfig[key!]?.[0].value)).toBe(value);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);

  it('builds in one stage and runs in a slim one of the same Debian release, as a non-root user', () => {
    expect(stages.map((s) => s.split('\n')[0])).toEqual(['node:20-bookworm AS build', 'node:20-bookworm-slim AS runtime']);
    expect(stages[1]).toMatch(/^USER node$/m);
    expect(stages[1]).toContain('ENV NODE_ENV=production');
    expect(stages[0]).toContain('npm prune --omit=dev');
  });

  it('ships the pages next to dist/, where the API looks for them', () => {
    expect(stages[1]).toMatch(/^COPY --chown=node:node web \.\/web$/m);
    expect(path.relative(root, WEB_DIR)).toBe('web');
    expect(fs.existsSync(path.join(WEB_DIR, 'index.html'))).toBe(true);
  });

  it('copies only files that exist, and none that .dockerignore leaves out', () => {
    const copied = [...stages[0]!.matchAll(/^COPY (.+) \S+$/gm)].flatMap((m) => m[1]!.split(' '));
    for (const file of copied) expect(fs.existsSync(path.join(root, file)), file).toBe(true);
    const ignored = read('.dockerignore').split('\n').filter(Boolean);
    for (const file of copied) expect(ignored).not.toContain(file);
  });
});
