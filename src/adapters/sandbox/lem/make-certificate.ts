import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SandboxCertificate {
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
  /** Of the server certificate, `AB:CD:…` as node prints it. */
  readonly fingerprint256: string;
}

/**
 * A fresh CA and a server certificate for 127.0.0.1, ::1 and localhost, made with `openssl`
 * (node can read certificates but not make them). The CA's key never leaves the temp dir,
 * which is removed before this returns: nobody can sign another certificate with it.
 */
export async function makeCertificate(): Promise<SandboxCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'lem-sandbox-tls-'));
  const at = (name: string): string => join(dir, name);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    await run('openssl', [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      at('ca.key'),
      '-out',
      at('ca.pem'),
      '-days',
      '7',
      '-subj',
      '/CN=edge-license-agent LEM sandbox CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]);
    await run('openssl', [
      'req',
      ...ec,
      '-keyout',
      at('server.key'),
      '-out',
      at('server.csr'),
      '-subj',
      '/CN=localhost',
    ]);
    // Clients check the SAN, not the CN: without it no name or address matches.
    await writeFile(
      at('server.ext'),
      'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost\n' +
        'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n',
    );
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      at('server.csr'),
      '-CA',
      at('ca.pem'),
      '-CAkey',
      at('ca.key'),
      '-CAcreateserial',
      '-out',
      at('server.pem'),
      '-days',
      '7',
      '-extfile',
      at('server.ext'),
    ]);
    const [caPem, certPem, keyPem] = await Promise.all(
      ['ca.pem', 'server.pem', 'server.key'].map((name) => readFile(at(name), 'utf8')),
    );
    if (caPem === undefined || certPem === undefined || keyPem === undefined) {
      throw new Error('openssl wrote no certificate');
    }
    return { caPem, certPem, keyPem, fingerprint256: new X509Certificate(certPem).fingerprint256 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
