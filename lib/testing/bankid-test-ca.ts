/**
 * Certificates for the BankID simulator's mutual TLS, made with the `openssl` CLI in a temp dir
 * (Node's crypto cannot issue X.509 certificates): a test CA, a server certificate for 127.0.0.1,
 * an RP client certificate (PEM and PKCS#12), and a client certificate from a foreign CA that the
 * simulator must refuse. EC P-256 keys, valid two days; made once per process.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';

const run = promisify(execFile);

/**
 * A PEM certificate with its PEM key.
 *
 * @example
 * ```ts
 * import { bankIdTestCertificates, type PemPair } from 'passport-push/testing';
 *
 * const server: PemPair = (await bankIdTestCertificates()).server;
 * ```
 */
export interface PemPair {
  /** The certificate, PEM. */
  cert: string;
  /** Its private key, PEM. */
  key: string;
}

/**
 * Everything a test needs for both sides of the mutual TLS.
 *
 * @example
 * ```ts
 * import { bankIdTestCertificates, type BankIdTestCertificates } from 'passport-push/testing';
 *
 * const certificates: BankIdTestCertificates = await bankIdTestCertificates();
 * ```
 */
export interface BankIdTestCertificates {
  /** The CA that signed the server and the trusted client certificate. */
  ca: string;
  /** The simulator's server certificate, for `127.0.0.1` and `localhost`. */
  server: PemPair;
  /** The RP certificate the simulator accepts, as PEM and as PKCS#12. */
  client: PemPair & {
    /** Certificate and key as PKCS#12. */
    pfx: Buffer;
    /** The PKCS#12 file's passphrase. */
    passphrase: string;
  };
  /** Another CA, and a client certificate it signed: refused by the simulator. */
  foreignCa: string;
  /** A client certificate the foreign CA signed. */
  foreignClient: PemPair;
}

let cached: Promise<BankIdTestCertificates> | undefined;

/**
 * The test certificates, generated on first use and shared by every simulator in the process.
 *
 * @example
 * ```ts
 * import { bankIdTestCertificates } from 'passport-push/testing';
 *
 * const { ca, server, client } = await bankIdTestCertificates(); // needs openssl
 * ```
 */
export function bankIdTestCertificates(): Promise<BankIdTestCertificates> {
  cached ??= generate().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function generate(): Promise<BankIdTestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'bankid-test-ca-'));
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => run('openssl', args, { cwd: dir });
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    const makeCa = (name: string, cn: string) =>
      openssl(
        'req',
        '-x509',
        ...newKey,
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.pem`,
        '-days',
        '2',
        '-subj',
        `/CN=${cn}`,
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      );
    const issue = async (name: string, cn: string, ca: string, extensions: string) => {
      await writeFile(path(`${name}.ext`), extensions);
      await openssl('req', ...newKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
      await openssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        `${ca}.pem`,
        '-CAkey',
        `${ca}.key`,
        '-set_serial',
        `0x${randomBytes(8).toString('hex')}`,
        '-days',
        '2',
        '-out',
        `${name}.pem`,
        '-extfile',
        `${name}.ext`,
      );
    };
    await makeCa('ca', 'passport-push BankID simulator CA');
    await makeCa('foreign', 'Some other CA');
    await issue(
      'server',
      '127.0.0.1',
      'ca',
      'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
    );
    await issue('client', 'Test RP', 'ca', 'extendedKeyUsage=clientAuth\n');
    await issue('stranger', 'Foreign RP', 'foreign', 'extendedKeyUsage=clientAuth\n');
    const passphrase = randomBytes(12).toString('hex');
    await openssl(
      'pkcs12',
      '-export',
      '-in',
      'client.pem',
      '-inkey',
      'client.key',
      '-out',
      'client.p12',
      '-passout',
      `pass:${passphrase}`,
    );
    const text = (name: string) => readFile(path(name), 'utf8');
    return {
      ca: await text('ca.pem'),
      server: { cert: await text('server.pem'), key: await text('server.key') },
      client: {
        cert: await text('client.pem'),
        key: await text('client.key'),
        pfx: await readFile(path('client.p12')),
        passphrase,
      },
      foreignCa: await text('foreign.pem'),
      foreignClient: { cert: await text('stranger.pem'), key: await text('stranger.key') },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
