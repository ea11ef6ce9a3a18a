/**
 * Decoding a request body the way Go's encoding/json does, down to its syntax-error wording
 * (`invalid character 'x' looking for beginning of value`, `unexpected end of JSON input`),
 * because the apiserver hands those messages back to clients verbatim.
 */

/** A body that is not valid JSON; `message` is encoding/json's wording. */
export class GoJsonSyntaxError extends Error {
  override name = 'GoJsonSyntaxError';
}

/**
 * Parses a raw body (string or bytes). Any other value is taken as an already-decoded body
 * and returned as is. Throws GoJsonSyntaxError with Go's wording when the text is not JSON.
 */
export function decodeBody(body: unknown): unknown {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) return body;
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new GoJsonSyntaxError(goSyntaxError(bytes) ?? (err as Error).message);
  }
}

/** encoding/json's syntax error for `bytes`, or undefined when they hold one valid JSON value. */
export function goSyntaxError(bytes: Uint8Array): string | undefined {
  const scanner = new Scanner(bytes);
  try {
    scanner.value('looking for beginning of value');
    scanner.skipSpace();
    if (scanner.pos < bytes.length) scanner.fail('after top-level value');
    return undefined;
  } catch (err) {
    if (err instanceof GoJsonSyntaxError) return err.message;
    throw err;
  }
}

const SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const ESCAPES = new Set('"\\/bfnrtu'.split('').map((c) => c.charCodeAt(0)));

/** A recursive-descent mirror of encoding/json's scanner states; it only reports errors. */
class Scanner {
  pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  value(context: string): void {
    this.skipSpace();
    const c = this.peek();
    if (c === 0x7b) return this.object();
    if (c === 0x5b) return this.array();
    if (c === 0x22) return this.string();
    if (c === 0x2d || isDigit(c)) return this.number();
    if (c === 0x74) return this.literal('true');
    if (c === 0x66) return this.literal('false');
    if (c === 0x6e) return this.literal('null');
    this.fail(context);
  }

  private object(): void {
    this.pos++;
    this.skipSpace();
    if (this.peek() === 0x7d) return void this.pos++;
    for (;;) {
      this.skipSpace();
      if (this.peek() !== 0x22) this.fail('looking for beginning of object key string');
      this.string();
      this.skipSpace();
      if (this.peek() !== 0x3a) this.fail('after object key');
      this.pos++;
      this.value('looking for beginning of value');
      this.skipSpace();
      const c = this.peek();
      this.pos++;
      if (c === 0x7d) return;
      if (c !== 0x2c) this.failAt(this.pos - 1, 'after object key:value pair');
    }
  }

  private array(): void {
    this.pos++;
    this.skipSpace();
    if (this.peek() === 0x5d) return void this.pos++;
    for (;;) {
      this.value('looking for beginning of value');
      this.skipSpace();
      const c = this.peek();
      this.pos++;
      if (c === 0x5d) return;
      if (c !== 0x2c) this.failAt(this.pos - 1, 'after array element');
    }
  }

  private string(): void {
    this.pos++;
    for (;;) {
      const c = this.peek();
      if (c === 0x22) return void this.pos++;
      if (c < 0x20) this.fail('in string literal');
      this.pos++;
      if (c === 0x5c) this.escape();
    }
  }

  private escape(): void {
    const c = this.peek();
    if (!ESCAPES.has(c)) this.fail('in string escape code');
    this.pos++;
    if (c !== 0x75) return;
    for (let i = 0; i < 4; i++) {
      if (!isHex(this.peek())) this.fail('in \\u hexadecimal character escape');
      this.pos++;
    }
  }

  private number(): void {
    if (this.peek() === 0x2d) {
      this.pos++;
      if (!isDigit(this.peek())) this.fail('in numeric literal');
    }
    if (this.peek() === 0x30) this.pos++;
    else this.digits();
    if (this.peekOrEnd() === 0x2e) {
      this.pos++;
      if (!isDigit(this.peek())) this.fail('after decimal point in numeric literal');
      this.digits();
    }
    const e = this.peekOrEnd();
    if (e === 0x65 || e === 0x45) {
      this.pos++;
      const sign = this.peek();
      if (sign === 0x2b || sign === 0x2d) this.pos++;
      if (!isDigit(this.peek())) this.fail('in exponent of numeric literal');
      this.digits();
    }
  }

  private digits(): void {
    while (isDigit(this.peekOrEnd())) this.pos++;
  }

  private literal(word: string): void {
    this.pos++;
    for (let i = 1; i < word.length; i++) {
      if (this.peek() !== word.charCodeAt(i)) this.fail(`in literal ${word} (expecting '${word[i]}')`);
      this.pos++;
    }
  }

  skipSpace(): void {
    while (this.pos < this.bytes.length && SPACE.has(this.bytes[this.pos])) this.pos++;
  }

  /** The current byte; running out of input mid-value is Go's `unexpected end of JSON input`. */
  private peek(): number {
    if (this.pos >= this.bytes.length) throw new GoJsonSyntaxError('unexpected end of JSON input');
    return this.bytes[this.pos];
  }

  /** The current byte, or -1 at the end (a number may legally end the input). */
  private peekOrEnd(): number {
    return this.pos < this.bytes.length ? this.bytes[this.pos] : -1;
  }

  fail(context: string): never {
    return this.failAt(this.pos, context);
  }

  private failAt(pos: number, context: string): never {
    if (pos >= this.bytes.length) throw new GoJsonSyntaxError('unexpected end of JSON input');
    throw new GoJsonSyntaxError(`invalid character ${quoteChar(this.bytes[pos])} ${context}`);
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** encoding/json's quoteChar: `'x'`, `'"'`, `'\''`, `'\n'`, `'\x01'`; bytes >= 0x80 print as Latin-1. */
function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  const named: Record<number, string> = { 0x07: '\\a', 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x0b: '\\v', 0x5c: '\\\\' };
  if (named[c]) return `'${named[c]}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  if (c >= 0x80 && c < 0xa0) return `'\\u00${c.toString(16).padStart(2, '0')}'`;
  return `'${String.fromCharCode(c)}'`;
}
