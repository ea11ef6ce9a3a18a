import { isConfigMapKey, isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isRelaxedEnvVarName, isValidPercent, isValidPortName, isValidPortNum, nameIsDNSSubdomain, validatePathSegmentName } from './names';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe('DNS names', () => {
  it.each([
    ['web', []],
    ['web.example.com', []],
    ['Web', [SUBDOMAIN_MSG]],
    ['-web', [SUBDOMAIN_MSG]],
    ['a'.repeat(254), ['must be no more than 253 characters']],
  ])('subdomain %j', (v, want) => expect(isDNS1123Subdomain(v)).toEqual(want));

  it.each([
    ['default', []],
    ['kube-system', []],
    ['a.b', ['must not contain dots']],
    ['Foo', [LABEL_MSG]],
    ['a'.repeat(64), ['must be no more than 63 characters']],
  ])('label %j', (v, want) => expect(isDNS1123Label(v)).toEqual(want));

  it('words DNS-1035 labels', () => {
    expect(isDNS1035Label('1abc')[0]).toMatch(/^a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character/);
  });

  it('lets generateName end with a dash', () => {
    expect(nameIsDNSSubdomain('web-', true)).toEqual([]);
    expect(nameIsDNSSubdomain('web-', false)).toEqual([SUBDOMAIN_MSG]);
  });

  it.each([
    ['.', ["may not be '.'"]],
    ['..', ["may not be '..'"]],
    ['a/b%c', ["may not contain '/'", "may not contain '%'"]],
    ['pod.17a8c', []],
  ])('path segment %j', (v, want) => expect(validatePathSegmentName(v, false)).toEqual(want));
});

describe('qualified names', () => {
  it.each([
    ['app', []],
    ['example.com/app', []],
    ['app.kubernetes.io/name', []],
    ['-app', [NAME_PART_MSG]],
    ['/app', ['prefix part must be non-empty']],
    ['Example.com/app', [`prefix part ${SUBDOMAIN_MSG}`]],
    ['example.com/', ['name part must be non-empty', NAME_PART_MSG]],
    ['a/b/c', ["a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]],
    ['a'.repeat(64), ['name part must be no more than 63 characters']],
  ])('%j', (v, want) => expect(isQualifiedName(v)).toEqual(want));
});

describe('other formats', () => {
  it.each([
    ['game.properties', []],
    ['.env', []],
    ['..', ["must not be '..'"]],
    ['a b', ["a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"]],
  ])('config key %j', (v, want) => expect(isConfigMapKey(v)).toEqual(want));

  it.each([
    [80, []],
    [0, ['must be between 1 and 65535, inclusive']],
    [65536, ['must be between 1 and 65535, inclusive']],
  ])('port %d', (v, want) => expect(isValidPortNum(v)).toEqual(want));

  it.each([
    ['http', []],
    ['HTTP', ['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'must contain at least one letter (a-z)']],
    ['8080', ['must contain at least one letter (a-z)']],
    ['a--b', ['must not contain consecutive hyphens']],
    ['-web', ['must not begin or end with a hyphen']],
    ['abcdefghijklmnop', ['must be no more than 15 characters']],
  ])('port name %j', (v, want) => expect(isValidPortName(v)).toEqual(want));

  it('validates env names and percents', () => {
    expect(isRelaxedEnvVarName('MY_VAR.1')).toEqual([]);
    expect(isRelaxedEnvVarName('A=B')).toEqual(["a valid environment variable name must consist only of printable ASCII characters other than '='"]);
    expect(isRelaxedEnvVarName('')).toEqual(['environment variable name must be non-empty']);
    expect(isValidPercent('25%')).toEqual([]);
    expect(isValidPercent('25')).toEqual(["a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"]);
  });
});
