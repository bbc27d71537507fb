// Temporal's time-skipping test server, for tests of timers measured in hours or days. The SDK
// would download a native build of it; this machine reaches Maven Central but not GitHub, so the
// same server is run from its Java artifact (io.temporal:temporal-test-server), fetched once by
// Maven into the local repository and started through a small wrapper under .temporal/.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { searchAttributeKeys } from '../../src/shop';
import { testCodec } from './secrets';

/** The Java SDK release whose test server matches the server features the workflows use (Updates, memo). */
const TEST_SERVER = { groupId: 'io.temporal', artifactId: 'temporal-test-server', version: '1.31.0' };

const dir = path.resolve(__dirname, '..', '..', '.temporal', 'test-server'); // git-ignored
const wrapper = path.join(dir, `temporal-test-server-${TEST_SERVER.version}`);

/**
 * A time-skipping environment with the project's search attributes registered: `handle.result()`
 * and `env.sleep()` move the server's clock ahead.
 */
export async function createTimeSkippingEnvironment(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: await testServer() } },
    client: { dataConverter: { payloadCodecs: [testCodec] } },
  });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(searchAttributeKeys.map((key) => [key.name, temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}`]])),
  });
  return env;
}

/** The wrapper script the SDK starts with a port, built on first use. */
async function testServer(): Promise<string> {
  if (fs.existsSync(wrapper)) return wrapper;
  fs.mkdirSync(dir, { recursive: true });
  const pom = path.join(dir, 'pom.xml');
  const { groupId, artifactId, version } = TEST_SERVER;
  fs.writeFileSync(
    pom,
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>temporal-fulfillment</groupId><artifactId>time-skipping-test-server</artifactId><version>1</version>
  <dependencies><dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version></dependency></dependencies>
</project>\n`,
  );
  const classpathFile = path.join(dir, 'classpath.txt');
  await promisify(execFile)('mvn', ['-q', '-f', pom, 'dependency:build-classpath', `-Dmdep.outputFile=${classpathFile}`, '-Dmdep.includeScope=runtime'], { timeout: 300_000 });
  // The pom's one dependency is the server itself: its classpath is the server and what it needs.
  const classpath = fs.readFileSync(classpathFile, 'utf8').trim();
  // Written elsewhere and moved in place, so a half-written wrapper is never used.
  const scratch = `${wrapper}.${process.pid}`;
  fs.writeFileSync(scratch, `#!/bin/sh\nexec java -cp '${classpath}' io.temporal.testserver.TestServer "$@"\n`, { mode: 0o755 });
  fs.renameSync(scratch, wrapper);
  return wrapper;
}
