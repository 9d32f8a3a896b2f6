import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PushError } from '../../../lib/errors';
import {
  loadRsaPrivateKey,
  loadRsaPublicKey,
  signBody,
  verifyBody,
} from '../../../lib/providers/authentiq8/signing';
import { PRIVATE_KEY_PATH, PRIVATE_KEY_PEM, PUBLIC_KEY_PATH, PUBLIC_KEY_PEM, ecKey, rsaKey } from './keys';

const opensslFound = spawnSync('openssl', ['version']).status === 0;
const withOpenssl = opensslFound ? it : it.skip;
if (!opensslFound) console.warn('openssl not found on PATH: the openssl cross-check tests are skipped.');

const BODIES = [
  '{"message":"World"}',
  '{"txn_type":"authenticate","user_id":"alice@example.com","action":"login","message":"Sign in to Example"}',
  '{"txn_type":"ping","message":"Grüße, 世界 \\u2028 😀"}',
  '',
];

describe('Authentiq8 request signing', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'authentiq8-sign-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function opensslSignHex(body: string): string {
    const file = join(dir, 'body.json');
    writeFileSync(file, body, 'utf8');
    return execFileSync('openssl', ['dgst', '-sha256', '-sign', PRIVATE_KEY_PATH, file]).toString('hex');
  }

  withOpenssl.each(BODIES)('equals `openssl dgst -sha256 -sign` over the same bytes: %j', (body) => {
    const key = loadRsaPrivateKey(PRIVATE_KEY_PEM);
    const ours = signBody(body, key);
    expect(ours).toMatch(/^[0-9a-f]{512}$/); // lowercase hex like PHP bin2hex, 2048 bits
    expect(ours).toBe(opensslSignHex(body));
  });

  withOpenssl('openssl verifies our signature with the public key', () => {
    const body = BODIES[1] ?? '';
    const bodyFile = join(dir, 'verify.json');
    const sigFile = join(dir, 'verify.sig');
    writeFileSync(bodyFile, body);
    writeFileSync(sigFile, Buffer.from(signBody(body, loadRsaPrivateKey(PRIVATE_KEY_PEM)), 'hex'));
    const out = execFileSync('openssl', [
      'dgst',
      '-sha256',
      '-verify',
      PUBLIC_KEY_PATH,
      '-signature',
      sigFile,
      bodyFile,
    ]);
    expect(out.toString()).toContain('Verified OK');
  });

  it('signs bytes, not a re-serialisation: one changed byte breaks verification', () => {
    const key = loadRsaPrivateKey(PRIVATE_KEY_PEM);
    const publicKey = loadRsaPublicKey(PUBLIC_KEY_PEM);
    const body = '{"a":1}';
    const signature = signBody(body, key);
    expect(verifyBody(Buffer.from(body), signature, publicKey)).toBe(true);
    expect(verifyBody(Buffer.from('{"a": 1}'), signature, publicKey)).toBe(false);
    expect(verifyBody(Buffer.from(body), signature.toUpperCase(), publicKey)).toBe(true);
    expect(verifyBody(Buffer.from(body), `${signature.slice(0, -2)}00`, publicKey)).toBe(false);
    expect(verifyBody(Buffer.from(body), 'not hex', publicKey)).toBe(false);
    expect(verifyBody(Buffer.from(body), '', publicKey)).toBe(false);
  });

  it('takes the key as PEM string, file path, PEM bytes, PKCS#1 PEM or KeyObject, all signing alike', () => {
    const expected = signBody('x', loadRsaPrivateKey(PRIVATE_KEY_PEM));
    const pkcs1 = createPrivateKey(PRIVATE_KEY_PEM).export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(pkcs1).toContain('BEGIN RSA PRIVATE KEY');
    for (const input of [
      PRIVATE_KEY_PATH,
      Buffer.from(PRIVATE_KEY_PEM),
      pkcs1,
      createPrivateKey(PRIVATE_KEY_PEM),
    ]) {
      expect(signBody('x', loadRsaPrivateKey(input))).toBe(expected);
    }
  });

  it('accepts an encrypted PEM with its passphrase, refuses it without', () => {
    const encrypted = createPrivateKey(PRIVATE_KEY_PEM)
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' })
      .toString();
    expect(signBody('x', loadRsaPrivateKey(encrypted, 'pw'))).toBe(
      signBody('x', loadRsaPrivateKey(PRIVATE_KEY_PEM)),
    );
    expect(() => loadRsaPrivateKey(encrypted)).toThrow(/malformed, or encrypted/);
  });

  it('public keys: PEM, path, a certificate-less private KeyObject reduced to its public half', () => {
    const fromPem = loadRsaPublicKey(PUBLIC_KEY_PEM);
    expect(loadRsaPublicKey(PUBLIC_KEY_PATH).equals(fromPem)).toBe(true);
    expect(loadRsaPublicKey(createPrivateKey(PRIVATE_KEY_PEM)).equals(fromPem)).toBe(true);
    expect(loadRsaPublicKey(createPublicKey(PUBLIC_KEY_PEM)).equals(fromPem)).toBe(true);
  });
});

describe('Authentiq8 key validation', () => {
  function configError(run: () => unknown): PushError {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(PushError);
      expect((error as PushError).kind).toBe('config');
      return error as PushError;
    }
    throw new Error('expected a config error');
  }

  it('refuses a 1024-bit RSA key, naming the allowed range', () => {
    const error = configError(() => loadRsaPrivateKey(rsaKey(1024)));
    expect(error.message).toMatch(/1024 bits.*2048–4096/);
  });

  it('refuses an 1024-bit key given as PEM too, and a 1024-bit public key', () => {
    const key = rsaKey(1024);
    configError(() => loadRsaPrivateKey(key.export({ type: 'pkcs8', format: 'pem' }).toString()));
    configError(() => loadRsaPublicKey(createPublicKey(key)));
  });

  it('refuses EC and Ed25519 keys', () => {
    expect(configError(() => loadRsaPrivateKey(ecKey())).message).toMatch(/must be an RSA key \(got ec\)/);
    const ecPem = ecKey().export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(configError(() => loadRsaPrivateKey(ecPem)).message).toMatch(/RSA/);
  });

  it('refuses a public key where a private key is needed', () => {
    expect(configError(() => loadRsaPrivateKey(createPublicKey(PUBLIC_KEY_PEM))).message).toMatch(
      /private key/,
    );
  });

  it('refuses malformed PEM without quoting it', () => {
    const broken = PRIVATE_KEY_PEM.replace(/[A-Za-z]{40}/, 'A'.repeat(40));
    const error = configError(() => loadRsaPrivateKey(broken));
    expect(error.message).toMatch(/not a readable PEM private key/);
    // No line of the key (nor of the broken key) may appear in the error.
    for (const line of broken.split('\n').filter((l) => l.length > 20)) {
      expect(error.message).not.toContain(line);
      expect(String(error.cause ?? '')).not.toContain(line);
    }
    expect(error.cause).toBeUndefined();
  });

  it('refuses an empty string, a missing file and base64 without PEM armour, quoting none of them', () => {
    configError(() => loadRsaPrivateKey(''));
    const missing = configError(() => loadRsaPrivateKey('/nonexistent/key.pem'));
    expect(missing.message).toMatch(/neither a PEM string nor the path/);
    const body = PRIVATE_KEY_PEM.split('\n').slice(1, -2).join('');
    const bare = configError(() => loadRsaPrivateKey(body));
    expect(bare.message).not.toContain(body.slice(0, 30));
  });
});
