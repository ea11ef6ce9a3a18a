import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { apiServerUrl, kubeconfigYaml, parseCsv, parseTokenFile, resolveTokens, writeKubeconfig } from './kubeconfig';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'kubeq-kubeconfig-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('parseCsv', () => {
  test.each([
    ['plain', 'a,b,c\n', [['a', 'b', 'c']]],
    ['quoted commas', 'a,b,c,"g1,g2"\n', [['a', 'b', 'c', 'g1,g2']]],
    ['escaped quotes', '"x""y",z', [['x"y', 'z']]],
    ['CRLF and blank lines', 'a,b\r\n\r\n\nc,d\r\n', [['a', 'b'], ['c', 'd']]],
    ['leading space trimmed', 'a, b,  "c,d"', [['a', 'b', 'c,d']]],
    ['newline inside quotes', '"a\nb",c\nd,e', [['a\nb', 'c'], ['d', 'e']]],
    ['empty fields', ',,', [['', '', '']]],
    ['no final newline', 'a,b', [['a', 'b']]],
  ])('%s', (_name, text, want) => {
    expect(parseCsv(text).map((r) => r.fields)).toEqual(want);
  });

  test('records carry the line they start on', () => {
    expect(parseCsv('a\n\n"b\nc"\nd').map((r) => r.line)).toEqual([1, 3, 5]);
  });

  test.each([
    ['unterminated quote', '"abc'],
    ['bare quote', 'a"b,c'],
    ['text after closing quote', '"a"b,c'],
  ])('rejects %s', (_name, text) => {
    expect(() => parseCsv(text)).toThrow(/line 1/);
  });
});

describe('parseTokenFile', () => {
  test('reads users, uids and groups like --token-auth-file', () => {
    const users = parseTokenFile('t1,alice,1,"system:masters,dev"\nt2,bob,2\n,empty,3\nt2,bob2,22,\n');
    expect([...users]).toEqual([
      ['t1', { username: 'alice', uid: '1', groups: ['system:masters', 'dev'] }],
      ['t2', { username: 'bob2', uid: '22', groups: [] }],
    ]);
  });

  test('a line with fewer than 3 columns is an error naming file and line', () => {
    expect(() => parseTokenFile('t1,alice,1\nt2,bob\n', '/etc/tokens.csv')).toThrow('/etc/tokens.csv:2: must have at least 3 columns');
  });
});

describe('resolveTokens', () => {
  test('KUBEQ_TOKEN is the admin token', () => {
    const r = resolveTokens({ token: 's3cret', home });
    expect(r.source).toBe('KUBEQ_TOKEN');
    expect(r.adminToken).toBe('s3cret');
    expect(r.users.get('s3cret')).toEqual({ username: 'kubeq-admin', uid: 'kubeq-admin', groups: ['system:masters'] });
  });

  test('the token file: its first system:masters user goes in the kubeconfig', () => {
    const file = join(home, 'tokens.csv');
    writeFileSync(file, 'view,viewer,10,"viewers"\nroot,admin,0,"system:masters"\n');
    const r = resolveTokens({ tokenFile: file, home });
    expect(r.source).toBe('KUBEQ_TOKEN_FILE');
    expect(r.adminToken).toBe('root');
    expect([...r.users.keys()]).toEqual(['view', 'root']);
  });

  test('a token file without masters: its first line', () => {
    const file = join(home, 'tokens.csv');
    writeFileSync(file, 'a,alice,1\nb,bob,2\n');
    expect(resolveTokens({ tokenFile: file, home }).adminToken).toBe('a');
  });

  test('KUBEQ_TOKEN and a token file: both accepted, KUBEQ_TOKEN is the admin', () => {
    const file = join(home, 'tokens.csv');
    writeFileSync(file, 'a,alice,1\n');
    const r = resolveTokens({ token: 'env', tokenFile: file, home });
    expect(r.adminToken).toBe('env');
    expect([...r.users.keys()].sort()).toEqual(['a', 'env']);
  });

  test('an empty or missing token file is an error', () => {
    const file = join(home, 'tokens.csv');
    writeFileSync(file, '\n');
    expect(() => resolveTokens({ tokenFile: file, home })).toThrow('holds no token');
    expect(() => resolveTokens({ tokenFile: join(home, 'missing'), home })).toThrow(/ENOENT/);
  });

  test('generated once, kept in <home>/token with mode 0600', () => {
    const dir = join(home, 'nested');
    const first = resolveTokens({ home: dir });
    expect(first.source).toBe('generated');
    expect(first.adminToken).toMatch(/^[\w-]{43}$/);
    expect(readFileSync(join(dir, 'token'), 'utf8').trim()).toBe(first.adminToken);
    expect(statSync(join(dir, 'token')).mode & 0o777).toBe(0o600);
    expect(resolveTokens({ home: dir }).adminToken).toBe(first.adminToken);
  });

  test('an empty token file in home is replaced', () => {
    writeFileSync(join(home, 'token'), '\n');
    const r = resolveTokens({ home });
    expect(r.adminToken).not.toBe('');
    expect(readFileSync(join(home, 'token'), 'utf8').trim()).toBe(r.adminToken);
  });
});

describe('kubeconfig', () => {
  test.each([
    ['127.0.0.1', 8080, 'https://127.0.0.1:8080'],
    ['0.0.0.0', 6443, 'https://127.0.0.1:6443'],
    ['::', 80, 'https://[::1]:80'],
    ['::1', 80, 'https://[::1]:80'],
    ['kubeq.local', 8080, 'https://kubeq.local:8080'],
  ])('apiServerUrl(%s, %d)', (host, port, want) => {
    expect(apiServerUrl(host, port)).toBe(want);
  });

  test('cluster kubeq, user kubeq-admin, current context kubeq', () => {
    const doc = parse(kubeconfigYaml('https://127.0.0.1:8080', 'tok'));
    expect(doc).toMatchObject({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'kubeq', cluster: { server: 'https://127.0.0.1:8080' } }],
      users: [{ name: 'kubeq-admin', user: { token: 'tok' } }],
      contexts: [{ name: 'kubeq', context: { cluster: 'kubeq', user: 'kubeq-admin' } }],
      'current-context': 'kubeq',
    });
  });

  test('writeKubeconfig writes <home>/kubeconfig with mode 0600', () => {
    const path = writeKubeconfig(join(home, 'h'), 'https://127.0.0.1:1', 'tok');
    expect(path).toBe(join(home, 'h', 'kubeconfig'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(parse(readFileSync(path, 'utf8')).users[0].user.token).toBe('tok');
    writeKubeconfig(join(home, 'h'), 'https://127.0.0.1:2', 'tok2');
    expect(parse(readFileSync(path, 'utf8')).clusters[0].cluster.server).toBe('https://127.0.0.1:2');
  });
});
