// Certificates a test makes with the machine's openssl: a CA of its own, a server certificate for
// localhost and 127.0.0.1, and client certificates, as a shop would have for an mTLS Temporal.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface CertificatePair {
  cert: string;
  key: string;
}

export interface TestCertificates {
  dir: string;
  /** The CA that signed the server's and the clients' certificates. */
  ca: CertificatePair;
  server: CertificatePair;
  /** A client certificate signed by the CA. */
  client: CertificatePair;
  /** A client certificate signed by a CA the server does not know. */
  stranger: CertificatePair;
  remove: () => void;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });

function selfSignedCa(dir: string, name: string): CertificatePair {
  const pair = { cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) };
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', `/CN=${name}`, '-keyout', pair.key, '-out', pair.cert, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  return pair;
}

function signed(dir: string, name: string, ca: CertificatePair, extensions: string): CertificatePair {
  const pair = { cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) };
  const request = path.join(dir, `${name}.csr`);
  const extFile = path.join(dir, `${name}.ext`);
  fs.writeFileSync(extFile, extensions);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${name}`, '-keyout', pair.key, '-out', request], dir);
  openssl(['x509', '-req', '-in', request, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-days', '2', '-extfile', extFile, '-out', pair.cert], dir);
  return pair;
}

export function makeTestCertificates(): TestCertificates {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-certs-'));
  const ca = selfSignedCa(dir, 'shop-test-ca');
  const server = signed(dir, 'temporal-server', ca, 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=critical,digitalSignature\n');
  const client = signed(dir, 'shop-client', ca, 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n');
  const strangerCa = selfSignedCa(dir, 'stranger-ca');
  const stranger = signed(dir, 'stranger-client', strangerCa, 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature\n');
  return { dir, ca, server, client, stranger, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
