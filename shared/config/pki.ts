import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import forge from 'node-forge';

/**
 * The apiserver's TLS: a cluster CA and a serving certificate signed by it, made once and kept
 * in `<home>/pki/` (ca.crt, ca.key, apiserver.crt, apiserver.key) so restarts keep them and the
 * kubeconfig's `certificate-authority-data` stays valid. kubectl sends bearer tokens only over
 * TLS, so the API is served over HTTPS, as Kubernetes serves it. Certificates are built with
 * node-forge (Node's crypto makes keys but not X.509 certificates); keys come from Node's crypto.
 */

export interface ServingCert {
  caPem: string;
  certPem: string;
  keyPem: string;
}

const VALID_YEARS = 10;

/** DNS names and addresses the serving certificate covers, beside the configured host. */
export function servingHosts(apiHost: string): string[] {
  return [...new Set(['localhost', '127.0.0.1', '::1', 'apiserver', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', hostname(), apiHost].filter((h) => h && h !== '0.0.0.0' && h !== '::'))];
}

function keyPair(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), pem };
}

function certificate(subjectCN: string, publicKey: forge.pki.PublicKey, extensions: object[], issuer?: forge.pki.Certificate): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(Date.now() + VALID_YEARS * 365 * 24 * 3600 * 1000);
  cert.setSubject([{ name: 'commonName', value: subjectCN }]);
  cert.setIssuer(issuer ? issuer.subject.attributes : [{ name: 'commonName', value: subjectCN }]);
  cert.setExtensions(extensions);
  return cert;
}

function sanOf(host: string): { type: number; value?: string; ip?: string } {
  return /^[\d.]+$/.test(host) || host.includes(':') ? { type: 7, ip: host } : { type: 2, value: host };
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, path);
}

function coversHosts(certPem: string, hosts: string[]): boolean {
  const cert = forge.pki.certificateFromPem(certPem);
  const alt = cert.getExtension('subjectAltName') as { altNames?: { value?: string; ip?: string }[] } | null;
  const names = new Set((alt?.altNames ?? []).map((n) => n.ip ?? n.value));
  return hosts.every((h) => names.has(h)) && cert.validity.notAfter.getTime() > Date.now() + 24 * 3600 * 1000;
}

/** The serving certificate for `hosts`, from `<home>/pki`, made (or remade for new hosts) when needed. */
export function ensureServingCert(home: string, hosts: string[]): ServingCert {
  const dir = join(resolve(home), 'pki');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const paths = { ca: join(dir, 'ca.crt'), caKey: join(dir, 'ca.key'), cert: join(dir, 'apiserver.crt'), key: join(dir, 'apiserver.key') };
  if (!existsSync(paths.ca) || !existsSync(paths.caKey)) {
    const ca = keyPair();
    const caCert = certificate('kubeq-ca', ca.publicKey, [{ name: 'basicConstraints', cA: true, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true }]);
    caCert.sign(ca.privateKey, forge.md.sha256.create());
    writeAtomic(paths.caKey, ca.pem);
    writeAtomic(paths.ca, forge.pki.certificateToPem(caCert));
  }
  const caPem = readFileSync(paths.ca, 'utf8');
  if (existsSync(paths.cert) && existsSync(paths.key) && coversHosts(readFileSync(paths.cert, 'utf8'), hosts)) {
    return { caPem, certPem: readFileSync(paths.cert, 'utf8'), keyPem: readFileSync(paths.key, 'utf8') };
  }
  const caCert = forge.pki.certificateFromPem(caPem);
  const caKey = forge.pki.privateKeyFromPem(readFileSync(paths.caKey, 'utf8'));
  const server = keyPair();
  const cert = certificate('kube-apiserver', server.publicKey, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: hosts.map(sanOf) },
  ], caCert);
  cert.sign(caKey, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(cert);
  writeAtomic(paths.key, server.pem);
  writeAtomic(paths.cert, certPem);
  return { caPem, certPem, keyPem: server.pem };
}
