// No Kubernetes runs here: these tests lint and render the Helm chart with a real helm binary and
// check that what it would apply says what the code needs, for each values file the chart ships.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { findGoTool, goTools } from '../../src/dev/go-tools';
import { workerTuning } from '../../src/main/shop-worker';
import { loadSettings } from '../../src/platform/config';
import { stripeApiKey, stripeWebhookSecret } from '../../src/platform/payment-settings';
import { secretNames, secretSettings } from '../../src/platform/security/secrets';

const root = path.resolve(__dirname, '..', '..');
const chart = path.join(root, 'deploy', 'helm', 'temporal-fulfillment');
const SECRET = 'shop-secrets';
/** The build id of the one worker version the tests install, as `node dist/ops/build-id.js` would print it. */
const BUILD_ID = 'wf-3f9c2a1b7d4e';
/** What every install passes: the Secret's name and the running version's build id. */
const required = { existingSecret: SECRET, 'worker.versions[0].buildId': BUILD_ID };
/** Every setting that must come from a Kubernetes Secret, never as a literal in the manifests. */
const secretSettingNames = [...secretNames, 'DATABASE_URL', 'SMTP_URL', 'NATS_URL', 'TEMPORAL_API_KEY'];
const valuesFiles = ['values.yaml', 'values-cloud-api-key.yaml', 'values-cloud-mtls.yaml', 'values-self-hosted.yaml'] as const;
type ValuesFile = (typeof valuesFiles)[number];

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Container {
  name: string;
  image?: string;
  command?: string[];
  env?: EnvVar[];
  ports?: { name: string; containerPort: number }[];
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface Volume {
  name: string;
  emptyDir?: object;
  projected?: { sources: { secret?: { name: string; items?: { key: string; path: string }[] } }[] };
  secret?: { secretName: string };
}
interface PodSpec {
  containers: Container[];
  volumes?: Volume[];
  terminationGracePeriodSeconds?: number;
  restartPolicy?: string;
  securityContext?: { runAsNonRoot?: boolean };
}
interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  // Each kind has its own spec; the tests read the parts they check through the helpers below.
  spec: any;
}
type Values = Record<string, any>;

let helm: string;
beforeAll(async () => {
  // Built with Go into .tools/bin the first time (a few minutes), then found there.
  const found = await findGoTool(goTools.helm);
  if (!found) throw new Error('no helm binary and no Go to build one: set HELM_PATH');
  helm = found;
}, 20 * 60_000);

function runHelm(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(helm, args, { cwd: root, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const setArgs = (sets: Record<string, string | number | boolean>) => Object.entries(sets).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
const fileArgs = (file: ValuesFile) => (file === 'values.yaml' ? [] : ['-f', path.join(chart, file)]);
/** Values beyond what --set says easily (lists of objects), in a file of their own, layered last. */
const scratchValues = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-values-'));
afterAll(() => fs.rmSync(scratchValues, { recursive: true, force: true }));
let extraFiles = 0;
function extraValues(values: Values): string[] {
  const file = path.join(scratchValues, `extra-${++extraFiles}.json`);
  fs.writeFileSync(file, JSON.stringify(values));
  return ['-f', file];
}

/** What `helm template` renders for a values file (over values.yaml), as objects. */
async function render(file: ValuesFile, sets: Record<string, string | number | boolean> = {}, extra: Values = {}): Promise<K8sObject[]> {
  const { code, stdout, stderr } = await runHelm(['template', 'shop', chart, ...fileArgs(file), ...extraValues(extra), ...setArgs({ ...required, ...sets })]);
  expect(code, stderr).toBe(0);
  return parseAllDocuments(stdout)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

/** values.yaml with the file's values over it, as Helm merges them. */
function valuesOf(file: ValuesFile): Values {
  const merge = (base: Values, over: Values): Values =>
    Object.fromEntries(
      [...new Set([...Object.keys(base), ...Object.keys(over)])].map((k) => {
        const [b, o] = [base[k], over[k]];
        const both = b && o && typeof b === 'object' && typeof o === 'object' && !Array.isArray(b) && !Array.isArray(o);
        return [k, both ? merge(b, o) : (o ?? b)];
      }),
    );
  const read = (f: string) => (parse(fs.readFileSync(path.join(chart, f), 'utf8')) ?? {}) as Values;
  return file === 'values.yaml' ? read(file) : merge(read('values.yaml'), read(file));
}

const find = (objects: K8sObject[], kind: string, name: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  expect(found, `${kind} ${name} in [${objects.map((o) => `${o.kind} ${o.metadata.name}`).join(', ')}]`).toBeDefined();
  return found!;
};
/** A component's Deployment; the workers' is that of the version the tests install (BUILD_ID). */
const deployment = (objects: K8sObject[], component: string) =>
  find(objects, 'Deployment', `shop-temporal-fulfillment-${component === 'worker' ? `worker-${BUILD_ID}` : component}`);
/** Every Deployment of worker pods, whatever their version. */
const workerDeployments = (objects: K8sObject[]) => objects.filter((o) => o.kind === 'Deployment' && o.metadata.labels?.['app.kubernetes.io/component'] === 'worker');
const podSpec = (workload: K8sObject): PodSpec => workload.spec.template.spec;
const container = (workload: K8sObject): Container => podSpec(workload).containers[0]!;
const envOf = (c: Container) => Object.fromEntries((c.env ?? []).map((e) => [e.name, e]));
const workloads = (objects: K8sObject[]) => objects.filter((o) => o.kind === 'Deployment' || o.kind === 'Job');
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) => Object.entries(selector).every(([k, v]) => labels[k] === v);
const seconds = (duration: string) => Number(/^(\d+) seconds?$/.exec(duration)?.[1]);

/** The settings a process would load from this container's environment, the Secret's keys filled with valid values. */
function settingsFrom(c: Container, files: Record<string, string> = {}, moreSecrets: Record<string, string> = {}) {
  const secretValues: Record<string, string> = {
    ...moreSecrets,
    ...Object.fromEntries(secretNames.map((name) => [name, secretSettings[name]()])),
    DATABASE_URL: 'postgres://shop:pw@postgres:5432/shop',
    SMTP_URL: 'smtps://shop:pw@mail.example.com:465',
    NATS_URL: 'nats://shop:pw@nats:4222',
    TEMPORAL_API_KEY: 'test-api-key',
  };
  const env = Object.fromEntries(
    (c.env ?? []).map((e) => [e.name, e.valueFrom?.secretKeyRef ? secretValues[e.valueFrom.secretKeyRef.key]! : (files[e.value ?? ''] ?? e.value ?? '')]),
  );
  return loadSettings(env);
}

describe('the Helm chart', () => {
  const rendered = {} as Record<ValuesFile, K8sObject[]>;
  const scaled = {} as Record<ValuesFile, K8sObject[]>;
  beforeAll(async () => {
    for (const file of valuesFiles) {
      rendered[file] = await render(file);
      scaled[file] = await render(file, { 'worker.autoscaling.enabled': true });
    }
  });

  it.each(valuesFiles)('passes helm lint --strict with %s', async (file) => {
    const { code, stdout, stderr } = await runHelm(['lint', '--strict', chart, ...fileArgs(file), ...setArgs(required)]);
    expect(code, stdout + stderr).toBe(0);
  });

  it.each(valuesFiles)('refuses to render %s without existingSecret, naming it and the keys it must hold', async (file) => {
    const { code, stderr } = await runHelm(['template', 'shop', chart, ...fileArgs(file), ...setArgs({ 'worker.versions[0].buildId': BUILD_ID })]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/existingSecret is required/);
    for (const key of ['STAFF_TOKEN_SECRET', 'CARRIER_WEBHOOK_SECRET', 'PAYLOAD_ENCRYPTION_KEYS', 'DATABASE_URL', 'SMTP_URL', 'NATS_URL']) expect(stderr).toContain(key);
  });

  it('runs several API replicas, ready on /readyz and alive on /healthz at the port the API listens on, behind a Service', () => {
    const objects = rendered['values.yaml'];
    const api = deployment(objects, 'api');
    const c = container(api);
    expect(c.command).toEqual(['node', 'dist/main/api.js']);
    expect(api.spec.replicas).toBeGreaterThan(1);
    const http = c.ports!.find((p) => p.name === 'http')!;
    expect(http.containerPort).toBe(3000);
    expect(settingsFrom(c).PORT).toBe(http.containerPort);
    expect(c.readinessProbe?.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(c.livenessProbe?.httpGet).toEqual({ path: '/healthz', port: 'http' });

    const service = find(objects, 'Service', api.metadata.name);
    expect(matches(service.spec.selector, api.spec.template.metadata.labels)).toBe(true);
    expect(service.spec.ports).toEqual([expect.objectContaining({ name: 'http', targetPort: 'http' })]);
    const pdb = find(objects, 'PodDisruptionBudget', api.metadata.name);
    expect(matches(pdb.spec.selector.matchLabels, api.spec.template.metadata.labels)).toBe(true);
  });

  it("gives the workers longer to stop than their own shutdown grace, and a PodDisruptionBudget that selects them", () => {
    const objects = rendered['values.yaml'];
    const worker = deployment(objects, 'worker');
    expect(container(worker).command).toEqual(['node', 'dist/main/worker.js']);
    expect(podSpec(worker).terminationGracePeriodSeconds).toBeGreaterThan(seconds(workerTuning.shutdownGraceTime));
    const pdb = objects.find((o) => o.kind === 'PodDisruptionBudget' && matches(o.spec.selector.matchLabels, worker.spec.template.metadata.labels));
    expect(pdb?.spec).toMatchObject({ maxUnavailable: 1 });
  });

  it('refuses a worker termination grace period that would cut the drain short', async () => {
    const { code, stderr } = await runHelm(['template', 'shop', chart, ...setArgs({ ...required, 'worker.terminationGracePeriodSeconds': 30 })]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/worker\.terminationGracePeriodSeconds=30: must be longer than the worker's own shutdown grace/);
  });

  it('runs the mail relay and a single event publisher from the same image', () => {
    const objects = rendered['values.yaml'];
    const [api, mailer, publisher] = ['api', 'mailer', 'publisher'].map((c) => deployment(objects, c));
    expect(container(mailer!).command).toEqual(['node', 'dist/main/mailer.js']);
    expect(container(publisher!).command).toEqual(['node', 'dist/main/publisher.js']);
    expect(publisher!.spec.replicas).toBe(1);
    for (const d of [mailer!, publisher!]) expect(container(d).image).toBe(container(api!).image);
  });

  it('migrates the database in a pre-install and pre-upgrade hook Job before the rollout, with only the database secret', () => {
    const job = find(rendered['values.yaml'], 'Job', 'shop-temporal-fulfillment-migrate');
    expect(job.metadata.annotations?.['helm.sh/hook']?.split(',').sort()).toEqual(['pre-install', 'pre-upgrade']);
    expect(container(job).command).toEqual(['node', 'dist/ops/migrate.js']);
    expect(podSpec(job).restartPolicy).toBe('Never');
    expect(envOf(container(job)).DATABASE_URL?.valueFrom?.secretKeyRef).toEqual({ name: SECRET, key: 'DATABASE_URL' });
  });

  it.each(valuesFiles)('takes every secret from a Secret by reference with %s, never as a literal, and no Secret object is rendered', (file) => {
    for (const objects of [rendered[file], scaled[file]]) {
      expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
      for (const workload of workloads(objects)) {
        for (const c of podSpec(workload).containers) {
          for (const e of c.env ?? []) {
            if (!secretSettingNames.includes(e.name)) continue;
            expect(e.value, `${workload.metadata.name} ${e.name}`).toBeUndefined();
            expect(e.valueFrom?.secretKeyRef, `${workload.metadata.name} ${e.name}`).toEqual({ name: SECRET, key: e.name });
          }
        }
      }
    }
  });

  it('gives each process only the secrets it reads', () => {
    const objects = rendered['values-cloud-api-key.yaml'];
    const secretsOf = (w: K8sObject) => (container(w).env ?? []).filter((e) => e.valueFrom?.secretKeyRef).map((e) => e.name).sort();
    expect(secretsOf(deployment(objects, 'api'))).toEqual(['CARRIER_WEBHOOK_SECRET', 'DATABASE_URL', 'PAYLOAD_ENCRYPTION_KEYS', 'STAFF_TOKEN_SECRET', 'TEMPORAL_API_KEY']);
    expect(secretsOf(deployment(objects, 'worker'))).toEqual(['DATABASE_URL', 'PAYLOAD_ENCRYPTION_KEYS', 'TEMPORAL_API_KEY']);
    expect(secretsOf(deployment(objects, 'mailer'))).toEqual(['DATABASE_URL', 'SMTP_URL']);
    expect(secretsOf(deployment(objects, 'publisher'))).toEqual(['DATABASE_URL', 'NATS_URL']);
    expect(secretsOf(find(objects, 'Job', 'shop-temporal-fulfillment-migrate'))).toEqual(['DATABASE_URL']);
  });

  it("gives Stripe's key to the workers only and its webhook secret to the API only, with payments.provider=stripe, as the code reads them", async () => {
    const objects = await render('values.yaml', { 'payments.provider': 'stripe' });
    const worker = container(deployment(objects, 'worker'));
    expect(envOf(worker).PAYMENT_PROVIDER?.value).toBe('stripe');
    expect(envOf(worker).STRIPE_API_KEY?.valueFrom?.secretKeyRef?.key).toBe('STRIPE_API_KEY');
    for (const other of ['api', 'mailer', 'publisher']) expect(Object.keys(envOf(container(deployment(objects, other))))).not.toContain('STRIPE_API_KEY');
    expect(stripeApiKey(settingsFrom(worker, {}, { STRIPE_API_KEY: 'sk_live_fromthesecret' }))).toBe('sk_live_fromthesecret');
    const api = container(deployment(objects, 'api'));
    expect(envOf(api).PAYMENT_PROVIDER?.value).toBe('stripe');
    expect(envOf(api).STRIPE_WEBHOOK_SECRET?.valueFrom?.secretKeyRef?.key).toBe('STRIPE_WEBHOOK_SECRET');
    for (const other of ['worker', 'mailer', 'publisher']) expect(Object.keys(envOf(container(deployment(objects, other))))).not.toContain('STRIPE_WEBHOOK_SECRET');
    expect(stripeWebhookSecret(settingsFrom(api, {}, { STRIPE_WEBHOOK_SECRET: 'whsec_fromthesecret' }))).toBe('whsec_fromthesecret');
    expect(Object.keys(envOf(container(deployment(rendered['values.yaml'], 'api'))))).not.toContain('STRIPE_WEBHOOK_SECRET');
    expect(Object.keys(envOf(container(deployment(rendered['values.yaml'], 'worker'))))).not.toContain('STRIPE_API_KEY');
    const wrong = await runHelm(['template', 'shop', chart, ...setArgs({ ...required, 'payments.provider': 'paypal' })]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/payments\.provider: paypal is not simulated or stripe/);
  });

  it('refuses a secret put among the plain settings', async () => {
    const { code, stderr } = await runHelm(['template', 'shop', chart, ...setArgs({ ...required, 'settings.SMTP_URL': 'smtps://user:pw@mail:465' })]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/settings\.SMTP_URL: the chart sets SMTP_URL itself/);
  });

  it.each(['api', 'worker', 'mailer', 'publisher'])('gives the %s by default settings the code accepts: a plaintext self-hosted Temporal, the task queue, PostgreSQL', (component) => {
    const values = valuesOf('values.yaml');
    const settings = settingsFrom(container(deployment(rendered['values.yaml'], component)));
    expect('url' in settings.database).toBe(true);
    if (component === 'api' || component === 'worker') {
      expect(settings.temporal.connection.address).toBe(values.temporal.address);
      expect(settings.temporal.namespace).toBe(values.temporal.namespace);
      expect(settings.temporal.connection.tls).toBeFalsy();
      expect(settings.TEMPORAL_TASK_QUEUE).toBe(values.temporal.taskQueue);
    }
  });

  it('trusts the ingress in front of the API for client addresses (TRUST_PROXY), as a value the API accepts', () => {
    const api = container(deployment(rendered['values.yaml'], 'api'));
    expect(envOf(api).TRUST_PROXY?.value).toBe('1');
    expect(settingsFrom(api).TRUST_PROXY).toBe(1);
  });

  it('routes an optional Ingress to the API Service, and refuses one when no proxy is trusted', async () => {
    const objects = await render('values.yaml', { 'ingress.enabled': true, 'ingress.host': 'shop.example.org', 'ingress.tlsSecretName': 'shop-tls' });
    const ingress = find(objects, 'Ingress', 'shop-temporal-fulfillment-api');
    expect(ingress.spec.rules[0].host).toBe('shop.example.org');
    expect(ingress.spec.rules[0].http.paths[0].backend.service).toEqual({ name: 'shop-temporal-fulfillment-api', port: { name: 'http' } });
    expect(ingress.spec.tls).toEqual([{ hosts: ['shop.example.org'], secretName: 'shop-tls' }]);
    expect(rendered['values.yaml'].some((o) => o.kind === 'Ingress')).toBe(false);

    const untrusted = await runHelm(['template', 'shop', chart, ...setArgs({ ...required, 'ingress.enabled': true, 'api.trustProxy': '' })]);
    expect(untrusted.code).not.toBe(0);
    expect(untrusted.stderr).toMatch(/api\.trustProxy/);
  });

  it('sets TEMPORAL_API_KEY from the Secret and turns TLS on with values-cloud-api-key.yaml, as the code reads them', () => {
    const values = valuesOf('values-cloud-api-key.yaml');
    expect(values.temporal.address).toMatch(/\.api\.temporal\.io:7233$/);
    for (const component of ['api', 'worker']) {
      const c = container(deployment(rendered['values-cloud-api-key.yaml'], component));
      const env = envOf(c);
      expect(env.TEMPORAL_API_KEY?.valueFrom?.secretKeyRef).toEqual({ name: SECRET, key: 'TEMPORAL_API_KEY' });
      expect(env.TEMPORAL_TLS?.value).toBe('true');
      const settings = settingsFrom(c);
      expect(settings.temporal.connection).toMatchObject({ address: values.temporal.address, apiKey: 'test-api-key' });
      expect(settings.temporal.connection.tls).toBeTruthy();
      expect(settings.temporal.namespace).toBe(values.temporal.namespace);
    }
  });

  describe.each(['values-cloud-mtls.yaml', 'values-self-hosted.yaml'] as const)('with %s', (file) => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-tls-'));
    afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

    it.each(['api', 'worker'])('mounts the TLS Secret read-only into the %s and points the *_PATH variables at files inside it, which the code loads', (component) => {
      const values = valuesOf(file);
      const workload = deployment(rendered[file], component);
      const c = container(workload);
      const env = envOf(c);
      const paths = ['TEMPORAL_TLS_CLIENT_CERT_PATH', 'TEMPORAL_TLS_CLIENT_KEY_PATH', ...(values.temporal.serverCA.secretName ? ['TEMPORAL_TLS_SERVER_CA_CERT_PATH'] : [])];
      expect(Object.keys(env).filter((n) => n.startsWith('TEMPORAL_TLS_') && n.endsWith('_PATH')).sort()).toEqual([...paths].sort());
      expect(env.TEMPORAL_TLS?.value).toBe('true');
      expect(env.TEMPORAL_API_KEY).toBeUndefined();

      // Each file is an item of a Secret projected into a read-only mount: the client's pair from the TLS Secret, the CA from its own.
      const files: Record<string, string> = {};
      for (const name of paths) {
        const file = env[name]!.value!;
        const mount = c.volumeMounts!.find((m) => file.startsWith(`${m.mountPath}/`));
        expect(mount, `${name}=${file} is inside a mount`).toBeDefined();
        expect(mount!.readOnly).toBe(true);
        const volume = podSpec(workload).volumes!.find((v) => v.name === mount!.name)!;
        const items = volume.projected!.sources.flatMap((s) => (s.secret?.items ?? []).map((i) => ({ secret: s.secret!.name, ...i })));
        const item = items.find((i) => i.path === path.relative(mount!.mountPath, file));
        const expected =
          name === 'TEMPORAL_TLS_SERVER_CA_CERT_PATH'
            ? { secret: values.temporal.serverCA.secretName, key: values.temporal.serverCA.key }
            : { secret: values.temporal.mtls.secretName, key: name === 'TEMPORAL_TLS_CLIENT_CERT_PATH' ? 'tls.crt' : 'tls.key' };
        expect(item).toMatchObject(expected);
        // Where the mount would be, a stand-in file, so the settings load as they would in the pod.
        const standIn = path.join(scratch, `${component}-${path.basename(file)}`);
        fs.writeFileSync(standIn, `-----BEGIN ${name.includes('KEY') ? 'PRIVATE KEY' : 'CERTIFICATE'}-----\nAAAA\n-----END-----\n`);
        files[file] = standIn;
      }

      const settings = settingsFrom(c, files);
      const tls = settings.temporal.connection.tls as { clientCertPair?: object; serverRootCACertificate?: Buffer; serverNameOverride?: string };
      expect(settings.temporal.connection.address).toBe(values.temporal.address);
      expect(settings.temporal.namespace).toBe(values.temporal.namespace);
      expect(tls.clientCertPair).toBeDefined();
      expect(Boolean(tls.serverRootCACertificate)).toBe(Boolean(values.temporal.serverCA.secretName));
      expect(tls.serverNameOverride).toBe(values.temporal.tls.serverName || undefined);
    });
  });

  it.each(valuesFiles)('with %s, lets KEDA scale the worker Deployment on the task queue of its namespace, the Deployment leaving replicas to it', (file) => {
    const values = valuesOf(file);
    const objects = scaled[file];
    const worker = deployment(objects, 'worker');
    expect(worker.spec.replicas).toBeUndefined();
    const scaledObject = objects.find((o) => o.kind === 'ScaledObject')!;
    expect(scaledObject.apiVersion).toBe('keda.sh/v1alpha1');
    expect(scaledObject.spec.scaleTargetRef.name).toBe(worker.metadata.name);
    expect(scaledObject.spec).toMatchObject({ minReplicaCount: values.worker.autoscaling.minReplicas, maxReplicaCount: values.worker.autoscaling.maxReplicas });
    expect(scaledObject.spec.triggers).toHaveLength(1);
    const [trigger] = scaledObject.spec.triggers;
    expect(trigger.type).toBe('temporal');
    expect(trigger.metadata).toMatchObject({
      endpoint: values.temporal.address,
      namespace: values.temporal.namespace,
      taskQueue: values.temporal.taskQueue,
      targetQueueSize: String(values.worker.autoscaling.targetQueueSize),
      activationTargetQueueSize: String(values.worker.autoscaling.activationTargetQueueSize),
      queueTypes: 'workflow,activity',
    });
    // The scaler watches the queue the workers poll, and only the version these workers are.
    const env = envOf(container(worker));
    expect(env.TEMPORAL_TASK_QUEUE?.value).toBe(trigger.metadata.taskQueue);
    expect(env.TEMPORAL_WORKER_BUILD_ID?.value).toBe(BUILD_ID);
    expect(trigger.metadata).toMatchObject({ workerDeploymentName: env.TEMPORAL_DEPLOYMENT_NAME!.value, workerDeploymentBuildId: BUILD_ID });
    if (values.temporal.tls.serverName) expect(trigger.metadata.tlsServerName).toBe(values.temporal.tls.serverName);

    const auth = objects.find((o) => o.kind === 'TriggerAuthentication');
    const refs = (auth?.spec.secretTargetRef ?? []) as { parameter: string; name: string; key: string }[];
    const byParameter = Object.fromEntries(refs.map(({ parameter, name, key }) => [parameter, { name, key }]));
    if (values.temporal.auth === 'none') {
      expect(auth).toBeUndefined();
      expect(trigger.authenticationRef).toBeUndefined();
      return;
    }
    expect(auth!.apiVersion).toBe('keda.sh/v1alpha1');
    expect(trigger.authenticationRef).toEqual({ name: auth!.metadata.name });
    if (values.temporal.auth === 'apiKey') expect(byParameter).toEqual({ apiKey: { name: SECRET, key: 'TEMPORAL_API_KEY' } });
    else {
      const tlsSecret = values.temporal.mtls.secretName;
      expect(byParameter).toEqual({
        cert: { name: tlsSecret, key: 'tls.crt' },
        key: { name: tlsSecret, key: 'tls.key' },
        ...(values.temporal.serverCA.secretName && { ca: { name: values.temporal.serverCA.secretName, key: values.temporal.serverCA.key } }),
      });
    }
  });

  it('leaves the worker count to the Deployment, with no ScaledObject, when KEDA is off', () => {
    const objects = rendered['values.yaml'];
    expect(deployment(objects, 'worker').spec.replicas).toBe(valuesOf('values.yaml').worker.replicas);
    expect(objects.filter((o) => o.kind === 'ScaledObject' || o.kind === 'TriggerAuthentication')).toEqual([]);
  });

  it('refuses KEDA settings that would leave no worker polling', async () => {
    const { code, stderr } = await runHelm(['template', 'shop', chart, ...setArgs({ ...required, 'worker.autoscaling.enabled': true, 'worker.autoscaling.minReplicas': 0 })]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/minReplicas must be at least 1/);
  });

  it("asks Prometheus to scrape the API's /metrics and the workers' SDK metrics port", () => {
    const objects = rendered['values.yaml'];
    const api = deployment(objects, 'api');
    const worker = deployment(objects, 'worker');
    expect(api.spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '3000', 'prometheus.io/path': '/metrics' });
    expect(worker.spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9464', 'prometheus.io/path': '/metrics' });
    expect(container(worker).ports).toEqual([{ name: 'metrics', containerPort: 9464 }]);
    expect(settingsFrom(container(worker)).WORKER_METRICS_PORT).toBe(9464);
    expect(objects.some((o) => o.kind === 'ServiceMonitor')).toBe(false);
  });

  it('adds ServiceMonitors, when asked, whose Services carry the named metrics ports', async () => {
    const objects = await render('values.yaml', { 'metrics.serviceMonitor.enabled': true });
    const monitors = objects.filter((o) => o.kind === 'ServiceMonitor');
    expect(monitors.map((m) => m.apiVersion)).toEqual(['monitoring.coreos.com/v1', 'monitoring.coreos.com/v1']);
    for (const monitor of monitors) {
      const services = objects.filter((o) => o.kind === 'Service' && matches(monitor.spec.selector.matchLabels, o.metadata.labels));
      expect(services, monitor.metadata.name).toHaveLength(1);
      const [endpoint] = monitor.spec.endpoints;
      expect(services[0]!.spec.ports.map((p: { name: string }) => p.name)).toContain(endpoint.port);
      expect(endpoint.path).toBe('/metrics');
    }
  });

  it.each(valuesFiles)('with %s, runs every pod as non-root on a read-only root filesystem with /tmp writable, within resource limits', (file) => {
    for (const workload of workloads(scaled[file])) {
      const pod = podSpec(workload);
      expect(pod.securityContext?.runAsNonRoot, workload.metadata.name).toBe(true);
      expect((pod as { automountServiceAccountToken?: boolean }).automountServiceAccountToken).toBe(false);
      const tmp = pod.volumes!.find((v) => v.name === 'tmp');
      expect(tmp?.emptyDir).toBeDefined();
      for (const c of pod.containers) {
        expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
        expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
        // DATA_DIR, the only folder the code would write to, lies in the writable emptyDir.
        expect(envOf(c).DATA_DIR?.value).toMatch(/^\/tmp\//);
        expect(c.resources?.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
        expect(c.resources?.limits).toMatchObject({ memory: expect.any(String) });
      }
    }
  });
});

describe('the Helm chart, running worker versions itself (worker.versions)', () => {
  // A deploy in progress: the old version still drains its pinned orders while the new one takes new orders.
  const OLD = BUILD_ID;
  const NEW = 'Release_2.0/b7e1';
  const rollout = {
    worker: {
      versions: [
        { buildId: OLD, image: { tag: '0.1.0' }, autoscaling: { minReplicas: 1 } },
        { buildId: NEW, image: { tag: '0.2.0' } },
      ],
    },
  };
  let objects: K8sObject[];
  let scaledObjects: K8sObject[];
  beforeAll(async () => {
    objects = await render('values-cloud-api-key.yaml', {}, rollout);
    scaledObjects = await render('values-cloud-api-key.yaml', { 'worker.autoscaling.enabled': true }, rollout);
  });
  const byBuildId = (list: K8sObject[]) => new Map(list.map((d) => [envOf(container(d)).TEMPORAL_WORKER_BUILD_ID?.value, d]));

  it('runs each version in a Deployment of its own, named by a DNS-safe form of its build id, with its image, the deployment name and its build id', () => {
    const values = valuesOf('values.yaml');
    const workers = workerDeployments(objects);
    expect(workers).toHaveLength(2);
    const versions = byBuildId(workers);
    expect([...versions.keys()].sort()).toEqual([OLD, NEW].sort());
    for (const [buildId, tag] of [[OLD, '0.1.0'], [NEW, '0.2.0']] as const) {
      const d = versions.get(buildId)!;
      expect(d.metadata.name.length).toBeLessThanOrEqual(63);
      expect(d.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      const c = container(d);
      expect(c.command).toEqual(['node', 'dist/main/worker.js']);
      expect(c.image).toBe(`${values.image.repository}:${tag}`);
      // As the worker reads them: its version, promoting itself only as the first one.
      const settings = settingsFrom(c);
      expect(settings.TEMPORAL_DEPLOYMENT_NAME).toBe(values.worker.deploymentName);
      expect(settings.TEMPORAL_WORKER_BUILD_ID).toBe(buildId);
      expect(settings.TEMPORAL_PROMOTE_FIRST_VERSION).toBe(true);
      // The rest of the connection is the same as any worker's.
      expect(settings.temporal.connection.apiKey).toBe('test-api-key');
    }
    expect(versions.get(OLD)!.metadata.name).toBe(`shop-temporal-fulfillment-worker-${OLD}`);
    // Not a DNS label as it stands: a readable prefix and a hash, so that no other id gets the same name.
    expect(versions.get(NEW)!.metadata.name).toMatch(/^shop-temporal-fulfillment-worker-release-2-0-b7e-[0-9a-f]{8}$/);
  });

  it("keeps each version's pods to its own Deployment, and one PodDisruptionBudget over all of them", () => {
    const workers = workerDeployments(objects);
    for (const d of workers) {
      for (const other of workers) {
        const own = matches(d.spec.selector.matchLabels, other.spec.template.metadata.labels);
        expect(own, `${d.metadata.name} selects the pods of ${other.metadata.name}`).toBe(d === other);
      }
    }
    const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget' && workers.some((d) => matches(o.spec.selector.matchLabels, d.spec.template.metadata.labels)));
    expect(pdbs).toHaveLength(1);
    for (const d of workers) expect(matches(pdbs[0]!.spec.selector.matchLabels, d.spec.template.metadata.labels)).toBe(true);
  });

  it("scales each version on its own backlog: one ScaledObject per version, its trigger naming the deployment and build id its workers register", () => {
    const values = valuesOf('values-cloud-api-key.yaml');
    const workers = byBuildId(workerDeployments(scaledObjects));
    const scaled = scaledObjects.filter((o) => o.kind === 'ScaledObject');
    expect(scaled).toHaveLength(2);
    for (const so of scaled) {
      const [trigger] = so.spec.triggers;
      const target = workers.get(trigger.metadata.workerDeploymentBuildId)!;
      expect(target, trigger.metadata.workerDeploymentBuildId).toBeDefined();
      expect(so.spec.scaleTargetRef.name).toBe(target.metadata.name);
      expect(target.spec.replicas).toBeUndefined();
      const env = envOf(container(target));
      expect(trigger.metadata).toMatchObject({
        endpoint: values.temporal.address,
        namespace: values.temporal.namespace,
        taskQueue: env.TEMPORAL_TASK_QUEUE!.value,
        workerDeploymentName: env.TEMPORAL_DEPLOYMENT_NAME!.value,
        workerDeploymentBuildId: env.TEMPORAL_WORKER_BUILD_ID!.value,
      });
      expect(trigger.authenticationRef).toEqual({ name: 'shop-temporal-fulfillment-worker' });
      // The draining version may keep fewer workers than the chart's default.
      const min = trigger.metadata.workerDeploymentBuildId === OLD ? 1 : values.worker.autoscaling.minReplicas;
      expect(so.spec).toMatchObject({ minReplicaCount: min, maxReplicaCount: values.worker.autoscaling.maxReplicas });
    }
    expect(scaledObjects.filter((o) => o.kind === 'TriggerAuthentication')).toHaveLength(1);
  });

  it.each([
    ['the running version has none (the default values)', {}, /worker\.versions\[0\]\.buildId is required/],
    ['a new version has none', { worker: { versions: [{ buildId: OLD }, { image: { tag: '0.2.0' } }] } }, /worker\.versions\[1\]\.buildId is required/],
  ])('refuses to render when %s, saying how to get the build id', async (_case, values, message) => {
    const { code, stderr } = await runHelm(['template', 'shop', chart, ...extraValues(values), ...setArgs({ existingSecret: SECRET })]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(message);
    expect(stderr).toContain('docker run --rm <image> node dist/ops/build-id.js');
    expect(stderr).toContain('npm run --silent build:id');
  });

  it.each([
    ['the same build id twice', { worker: { versions: [{ buildId: OLD }, { buildId: OLD, image: { tag: '0.2.0' } }] } }, /buildId=wf-3f9c2a1b7d4e: listed twice/],
    // The old entry left without its tag would follow image.tag onto the new image.
    ['two versions on one image', { image: { tag: '0.2.0' }, worker: { versions: [{ buildId: OLD }, { buildId: NEW, image: { tag: '0.2.0' } }] } }, /worker\.versions\[1\] \(buildId Release_2\.0\/b7e1\) runs temporal-fulfillment:0\.2\.0, as worker\.versions\[0\] does/],
    ['no version at all', { worker: { versions: [] } }, /worker\.versions is empty/],
    ['a deployment name with a dot', { worker: { deploymentName: 'shop.workers', versions: [{ buildId: OLD }] } }, /worker\.deploymentName=shop\.workers: must not contain '\.', ':' or spaces/],
    ['a build id with a colon', { worker: { versions: [{ buildId: 'wf:1' }] } }, /worker\.versions\[0\]\.buildId=wf:1: must not contain ':' or spaces/],
  ])('refuses %s', async (_case, values, message) => {
    const { code, stderr } = await runHelm(['template', 'shop', chart, ...extraValues(values), ...setArgs({ existingSecret: SECRET })]);
    expect(code).not.toBe(0);
    expect(stderr).toMatch(message);
  });

  it.each(['TEMPORAL_DEPLOYMENT_NAME', 'TEMPORAL_WORKER_BUILD_ID', 'TEMPORAL_PROMOTE_FIRST_VERSION'])('refuses %s among the plain settings: the chart sets it per version', async (name) => {
    const { code, stderr } = await runHelm(['template', 'shop', chart, ...setArgs({ ...required, [`settings.${name}`]: 'x' })]);
    expect(code).not.toBe(0);
    expect(stderr).toContain(`settings.${name}: the chart sets ${name} itself`);
  });
});

/**
 * What temporal-worker-controller v1.8 adds to each container of the Deployments it makes
 * (internal/k8s/deployments.go, ApplyControllerPodSpecModifications): the connection from the
 * Connection, the namespace, the worker deployment ("<k8s namespace>/<WorkerDeployment>") and the
 * build id, and for mTLS the Secret mounted at /etc/temporal/tls.
 */
function asTheControllerRunsIt(c: Container, connection: K8sObject, workerDeployment: K8sObject, buildId: string): Container {
  const spec = connection.spec as { hostPort: string; tls?: { serverName?: string }; mutualTLSSecretRef?: { name: string }; apiKeySecretRef?: { name: string; key: string } };
  const env: EnvVar[] = [
    ...(c.env ?? []),
    { name: 'TEMPORAL_ADDRESS', value: spec.hostPort },
    { name: 'TEMPORAL_NAMESPACE', value: workerDeployment.spec.workerOptions.temporalNamespace },
    { name: 'TEMPORAL_DEPLOYMENT_NAME', value: `default/${workerDeployment.metadata.name}` },
    { name: 'TEMPORAL_WORKER_BUILD_ID', value: buildId },
  ];
  if (spec.tls?.serverName) env.push({ name: 'TEMPORAL_TLS_SERVER_NAME', value: spec.tls.serverName });
  const volumeMounts = [...(c.volumeMounts ?? [])];
  if (spec.mutualTLSSecretRef) {
    env.push(
      { name: 'TEMPORAL_TLS', value: 'true' },
      { name: 'TEMPORAL_TLS_CLIENT_KEY_PATH', value: '/etc/temporal/tls/tls.key' },
      { name: 'TEMPORAL_TLS_CLIENT_CERT_PATH', value: '/etc/temporal/tls/tls.crt' },
    );
    volumeMounts.push({ name: 'temporal-tls', mountPath: '/etc/temporal/tls' });
  } else if (spec.apiKeySecretRef) {
    env.push({ name: 'TEMPORAL_API_KEY', valueFrom: { secretKeyRef: spec.apiKeySecretRef } });
  }
  return { ...c, env, volumeMounts };
}

describe("the Helm chart with Temporal's worker controller (workerController.enabled)", () => {
  // The self-hosted file keeps its CA apart; the controller reads a CA only from the mTLS Secret's ca.crt.
  const bundledCA = { 'temporal.serverCA.secretName': 'temporal-client-tls', 'temporal.serverCA.key': 'ca.crt' };
  const setsFor = (file: ValuesFile) => ({ 'workerController.enabled': true, ...(file === 'values-self-hosted.yaml' ? bundledCA : {}) });
  const rendered = {} as Record<ValuesFile, K8sObject[]>;
  const scaled = {} as Record<ValuesFile, K8sObject[]>;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-controller-'));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
  beforeAll(async () => {
    for (const file of valuesFiles) {
      rendered[file] = await render(file, setsFor(file));
      scaled[file] = await render(file, { ...setsFor(file), 'worker.autoscaling.enabled': true });
    }
  });

  it.each(valuesFiles)('passes helm lint --strict with %s', async (file) => {
    const { code, stdout, stderr } = await runHelm(['lint', '--strict', chart, ...fileArgs(file), ...setArgs({ existingSecret: SECRET, ...setsFor(file) })]);
    expect(code, stdout + stderr).toBe(0);
  });

  it.each(valuesFiles)('with %s, renders a Connection and a WorkerDeployment instead of worker Deployments, the rollout strategy from the values', (file) => {
    const values = valuesOf(file);
    const objects = rendered[file];
    expect(workerDeployments(objects)).toEqual([]);
    expect(objects.filter((o) => o.kind === 'ScaledObject')).toEqual([]);
    // The other processes run as before.
    for (const component of ['api', 'mailer', 'publisher']) deployment(objects, component);

    const connection = find(objects, 'Connection', 'shop-temporal-fulfillment-temporal');
    expect(connection.apiVersion).toBe('temporal.io/v1alpha1');
    expect(connection.spec.hostPort).toBe(values.temporal.address);
    expect(connection.spec.hostPort).toMatch(/^[a-zA-Z0-9.-]+:[0-9]+$/);
    if (values.temporal.auth === 'mtls') expect(connection.spec.mutualTLSSecretRef).toEqual({ name: values.temporal.mtls.secretName });
    else expect(connection.spec.mutualTLSSecretRef).toBeUndefined();
    if (values.temporal.auth === 'apiKey') expect(connection.spec.apiKeySecretRef).toEqual({ name: SECRET, key: 'TEMPORAL_API_KEY' });
    else expect(connection.spec.apiKeySecretRef).toBeUndefined();
    expect(connection.spec.tls?.serverName).toBe(values.temporal.tls.serverName || undefined);

    const wd = find(objects, 'WorkerDeployment', 'shop-temporal-fulfillment-worker');
    expect(wd.apiVersion).toBe('temporal.io/v1alpha1');
    expect(wd.spec.workerOptions).toEqual({ connectionRef: { name: connection.metadata.name }, temporalNamespace: values.temporal.namespace });
    expect(wd.spec.rollout).toEqual(values.workerController.rollout);
    expect(wd.spec.rollout.strategy).toBe('Progressive');
    expect(wd.spec.sunset).toEqual(values.workerController.sunset);
    expect(wd.spec.replicas).toBe(values.worker.replicas);

    const c = container(wd);
    expect(c.command).toEqual(['node', 'dist/main/worker.js']);
    expect(podSpec(wd).terminationGracePeriodSeconds).toBeGreaterThan(seconds(workerTuning.shutdownGraceTime));
    const env = envOf(c);
    expect(env.TEMPORAL_PROMOTE_FIRST_VERSION?.value).toBe('false');
    expect(env.TEMPORAL_DEPLOYMENT_NAME).toBeUndefined();
    expect(env.TEMPORAL_WORKER_BUILD_ID).toBeUndefined();
    // The controller mounts the mTLS Secret as "temporal-tls": a volume of that name here would clash.
    expect(podSpec(wd).volumes!.map((v) => v.name)).not.toContain('temporal-tls');

    const pdb = find(objects, 'PodDisruptionBudget', 'shop-temporal-fulfillment-worker');
    expect(matches(pdb.spec.selector.matchLabels, wd.spec.template.metadata.labels)).toBe(true);
  });

  it.each(valuesFiles)('with %s, the pods the controller makes from the template load settings the code accepts, each variable named once', (file) => {
    const values = valuesOf(file);
    const objects = rendered[file];
    const wd = find(objects, 'WorkerDeployment', 'shop-temporal-fulfillment-worker');
    const connection = find(objects, 'Connection', wd.spec.workerOptions.connectionRef.name);
    const c = asTheControllerRunsIt(container(wd), connection, wd, 'temporal-fulfillment-0-1-0-5d9f7c');
    const names = (c.env ?? []).map((e) => e.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    const mounts = c.volumeMounts!.map((m) => m.name);
    expect(mounts.filter((n, i) => mounts.indexOf(n) !== i)).toEqual([]);

    const files: Record<string, string> = {};
    for (const e of c.env ?? []) {
      if (!e.name.startsWith('TEMPORAL_TLS_') || !e.name.endsWith('_PATH')) continue;
      // Every file the worker reads is in the Secret the controller mounts.
      expect(e.value).toMatch(/^\/etc\/temporal\/tls\/(tls\.crt|tls\.key|ca\.crt)$/);
      const standIn = path.join(scratch, `${file}-${path.basename(e.value!)}`);
      fs.writeFileSync(standIn, `-----BEGIN ${e.name.includes('KEY') ? 'PRIVATE KEY' : 'CERTIFICATE'}-----\nAAAA\n-----END-----\n`);
      files[e.value!] = standIn;
    }
    const settings = settingsFrom(c, files);
    expect(settings.TEMPORAL_DEPLOYMENT_NAME).toBe('default/shop-temporal-fulfillment-worker');
    expect(settings.TEMPORAL_WORKER_BUILD_ID).toBe('temporal-fulfillment-0-1-0-5d9f7c');
    expect(settings.TEMPORAL_PROMOTE_FIRST_VERSION).toBe(false);
    expect(settings.temporal.connection.address).toBe(values.temporal.address);
    expect(settings.temporal.namespace).toBe(values.temporal.namespace);
    expect(settings.TEMPORAL_TASK_QUEUE).toBe(values.temporal.taskQueue);
    expect(Boolean(settings.temporal.connection.tls)).toBe(values.temporal.auth !== 'none' || values.temporal.tls.enabled);
    if (values.temporal.auth === 'apiKey') expect(settings.temporal.connection.apiKey).toBe('test-api-key');
    if (values.temporal.auth === 'mtls') {
      const tls = settings.temporal.connection.tls as { clientCertPair?: object; serverRootCACertificate?: Buffer; serverNameOverride?: string };
      expect(tls.clientCertPair).toBeDefined();
      expect(Boolean(tls.serverRootCACertificate)).toBe(file === 'values-self-hosted.yaml');
      expect(tls.serverNameOverride).toBe(values.temporal.tls.serverName || undefined);
    }
  });

  it.each(valuesFiles)('with %s and KEDA, leaves the count to a ScaledObject per version that the controller makes from a WorkerResourceTemplate', (file) => {
    const values = valuesOf(file);
    const objects = scaled[file];
    const wd = find(objects, 'WorkerDeployment', 'shop-temporal-fulfillment-worker');
    expect(wd.spec.replicas).toBeUndefined();
    expect(objects.filter((o) => o.kind === 'ScaledObject')).toEqual([]);
    const wrt = find(objects, 'WorkerResourceTemplate', 'shop-temporal-fulfillment-worker-keda');
    expect(wrt.apiVersion).toBe('temporal.io/v1alpha1');
    expect(wrt.spec.workerDeploymentRef).toEqual({ name: wd.metadata.name });
    const template = wrt.spec.template;
    expect([template.apiVersion, template.kind, template.metadata]).toEqual(['keda.sh/v1alpha1', 'ScaledObject', undefined]);
    // The controller's opt-in markers: it fills in each version's Deployment, deployment name, build id and namespace.
    expect(template.spec.scaleTargetRef).toEqual({});
    expect(template.spec).toMatchObject({ minReplicaCount: values.worker.autoscaling.minReplicas, maxReplicaCount: values.worker.autoscaling.maxReplicas });
    const [trigger] = template.spec.triggers;
    expect(trigger.type).toBe('temporal');
    expect(trigger.metadata).toMatchObject({
      endpoint: values.temporal.address,
      taskQueue: values.temporal.taskQueue,
      namespace: '',
      workerDeploymentName: '',
      workerDeploymentBuildId: '',
    });
    const auth = objects.find((o) => o.kind === 'TriggerAuthentication');
    if (values.temporal.auth === 'none') expect(trigger.authenticationRef).toBeUndefined();
    else expect(trigger.authenticationRef).toEqual({ name: auth!.metadata.name });
  });

  it('passes the Progressive steps, a gate and the build id through, and refuses a strategy the controller does not know', async () => {
    const objects = await render('values.yaml', { 'workerController.enabled': true, 'workerController.buildId': BUILD_ID }, {
      workerController: { rollout: { strategy: 'Progressive', steps: [{ rampPercentage: 5, pauseDuration: '30m' }], gate: { workflowType: 'HealthCheck' } } },
    });
    const wd = find(objects, 'WorkerDeployment', 'shop-temporal-fulfillment-worker');
    expect(wd.spec.rollout).toEqual({ strategy: 'Progressive', steps: [{ rampPercentage: 5, pauseDuration: '30m' }], gate: { workflowType: 'HealthCheck' } });
    expect(wd.spec.workerOptions.unsafeCustomBuildID).toBe(BUILD_ID);

    const manual = await render('values.yaml', { 'workerController.enabled': true }, { workerController: { rollout: { strategy: 'Manual', steps: null } } });
    expect(find(manual, 'WorkerDeployment', 'shop-temporal-fulfillment-worker').spec.rollout).toEqual({ strategy: 'Manual' });

    for (const [rollout, message] of [
      [{ strategy: 'BlueGreen' }, /workerController\.rollout\.strategy=BlueGreen: must be Manual, AllAtOnce or Progressive/],
      [{ strategy: 'Progressive', steps: [] }, /strategy=Progressive needs steps/],
      [{ strategy: 'Progressive', steps: [{ rampPercentage: 100, pauseDuration: '5m' }] }, /steps\[0\]: needs rampPercentage from 1 to 99/],
    ] as const) {
      const { code, stderr } = await runHelm(['template', 'shop', chart, ...extraValues({ workerController: { rollout } }), ...setArgs({ existingSecret: SECRET, 'workerController.enabled': true })]);
      expect(code).not.toBe(0);
      expect(stderr).toMatch(message);
    }
  });

  it("refuses what the controller could not connect with: a CA outside the mTLS Secret, an address that is not host:port", async () => {
    const separateCA = await runHelm(['template', 'shop', chart, ...fileArgs('values-self-hosted.yaml'), ...setArgs({ existingSecret: SECRET, 'workerController.enabled': true })]);
    expect(separateCA.code).not.toBe(0);
    expect(separateCA.stderr).toMatch(/reads the server's CA only from ca\.crt in the mTLS Secret/);
    const noAddress = await runHelm(['template', 'shop', chart, ...setArgs({ existingSecret: SECRET, 'workerController.enabled': true, 'temporal.address': '', 'temporal.configFile.configMap': 'temporal-config' })]);
    expect(noAddress.code).not.toBe(0);
    expect(noAddress.stderr).toMatch(/workerController\.enabled needs temporal\.address as host:port/);
  });

  it('gives the controller TLS without client credentials by naming the server in the Connection', async () => {
    const objects = await render('values.yaml', { 'workerController.enabled': true, 'temporal.tls.enabled': true });
    const connection = find(objects, 'Connection', 'shop-temporal-fulfillment-temporal');
    expect(connection.spec.tls).toEqual({ serverName: 'temporal-frontend.temporal' });
    expect(envOf(container(find(objects, 'WorkerDeployment', 'shop-temporal-fulfillment-worker'))).TEMPORAL_TLS?.value).toBe('true');
  });
});
