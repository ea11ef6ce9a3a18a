/**
 * Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource): `250m`, `1.5`, `64Mi`,
 * `1G`, `1e3`. Values are exact (a bigint scaled by a power of ten); parsing rounds up to
 * nano precision and caps at 2^63-1 as Kubernetes does; `toString()` is the canonical form
 * the apiserver writes back (`0.5` → `500m`, `1024Mi` → `1Gi`, `1000` → `1k`).
 */

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export const QUANTITY_REGEXP = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
export const ERR_FORMAT_WRONG = `quantities must match the regular expression '${QUANTITY_REGEXP}'`;
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';
export const ERR_SUFFIX = "unable to parse quantity's suffix";

/** A malformed quantity; `message` is Kubernetes' wording. */
export class QuantityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QuantityError';
  }
}

const MAX_INT64 = (1n << 63n) - 1n;
const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_BY_POWER = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n === b > 0n ? q + 1n : q;
}

export class Quantity {
  /**
   * The value is `unscaled × 10^-scale`; `cached` is the original text when Kubernetes would keep it
   * as canonical. Prefer `parse`, `fromMillis` and `fromValue`.
   */
  constructor(
    readonly unscaled: bigint,
    readonly scale: number,
    readonly format: QuantityFormat,
    private readonly cached?: string,
  ) {}

  /** Parses `str` (a number from YAML is accepted as its decimal text). Throws QuantityError. */
  static parse(input: string | number): Quantity {
    const str = typeof input === 'number' ? String(input) : input;
    if (typeof str !== 'string' || str.length === 0) throw new QuantityError(ERR_FORMAT_WRONG);
    if (str === '0') return new Quantity(0n, 0, 'DecimalSI', str);
    const parts = splitQuantity(str);
    const { base, exponent, format } = interpretSuffix(parts.suffix);
    return fastPath(str, parts, base, exponent, format) ?? slowPath(parts, base, exponent, format);
  }

  /** An integer number of thousandths (`cpu` millicores), in `format`. */
  static fromMillis(millis: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(millis), 3, format);
  }

  /** An integer value (bytes, counts), in `format`. */
  static fromValue(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(value), 0, format);
  }

  sign(): -1 | 0 | 1 {
    return this.unscaled === 0n ? 0 : this.unscaled > 0n ? 1 : -1;
  }

  isZero(): boolean {
    return this.unscaled === 0n;
  }

  /** -1, 0 or 1 as this is less than, equal to or greater than `other`. */
  cmp(other: Quantity): -1 | 0 | 1 {
    const scale = Math.max(this.scale, other.scale);
    const a = this.unscaled * pow10(scale - this.scale);
    const b = other.unscaled * pow10(scale - other.scale);
    return a === b ? 0 : a < b ? -1 : 1;
  }

  /** The sum, keeping this quantity's format. */
  add(other: Quantity): Quantity {
    const scale = Math.max(this.scale, other.scale);
    return new Quantity(this.unscaled * pow10(scale - this.scale) + other.unscaled * pow10(scale - other.scale), scale, this.format);
  }

  sub(other: Quantity): Quantity {
    return this.add(new Quantity(-other.unscaled, other.scale, other.format));
  }

  /** ceil(value × 10^-scale): `scaledValue(-3)` is MilliValue, `scaledValue(0)` is Value. */
  scaledValue(scale: number): bigint {
    const shift = this.scale + scale;
    return shift <= 0 ? this.unscaled * pow10(-shift) : ceilDiv(this.unscaled, pow10(shift));
  }

  /** Thousandths, rounded up (Kubernetes' MilliValue); a plain number for arithmetic. */
  milliValue(): number {
    return Number(this.scaledValue(-3));
  }

  /** The value rounded up to an integer (Kubernetes' Value): bytes for memory. */
  value(): number {
    return Number(this.scaledValue(0));
  }

  /** Rounded up to milli precision, as SetDefaults_ResourceList does; keeps the text when already exact. */
  roundUpMilli(): Quantity {
    if (this.scale <= 3) return this;
    return new Quantity(ceilDiv(this.unscaled, pow10(this.scale - 3)), 3, this.format);
  }

  /** The canonical text (Kubernetes' Quantity.String). */
  toString(): string {
    if (this.cached !== undefined) return this.cached;
    if (this.unscaled === 0n) return '0';
    let format = this.format;
    if (format === 'BinarySI') {
      const inRange = this.cmp(Quantity.fromValue(-1024)) > 0 && this.cmp(Quantity.fromValue(1024)) < 0;
      const integer = this.scale <= 0 || this.unscaled % pow10(this.scale) === 0n;
      if (!inRange && integer) return binaryCanonical(this.scaledValue(0));
      format = 'DecimalSI';
    }
    return decimalCanonical(this.unscaled, -this.scale, format);
  }

  toJSON(): string {
    return this.toString();
  }
}

function decimalCanonical(unscaled: bigint, exponent: number, format: QuantityFormat): string {
  let mantissa = unscaled;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  while (exponent % 3 !== 0) {
    mantissa *= 10n;
    exponent--;
  }
  if (format === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  return `${mantissa}${DECIMAL_BY_EXPONENT.get(exponent) ?? ''}`;
}

function binaryCanonical(value: bigint): string {
  let power = 0;
  while (value % 1024n === 0n && power < BINARY_BY_POWER.length - 1) {
    value /= 1024n;
    power++;
  }
  return `${value}${BINARY_BY_POWER[power]}`;
}

interface QuantityParts {
  positive: boolean;
  /** The signed number text as written, e.g. `-1.5`; '' when only a suffix was given. */
  value: string;
  /** Digits before the point without leading zeros ('0' when none), and after it. */
  num: string;
  denom: string;
  suffix: string;
}

/** Kubernetes' parseQuantityString: split sign, digits and suffix, or fail with ERR_FORMAT_WRONG. */
function splitQuantity(str: string): QuantityParts {
  let pos = 0;
  let positive = true;
  if (str[0] === '-' || str[0] === '+') {
    positive = str[0] === '+';
    pos++;
  }
  while (pos < str.length && str[pos] === '0') pos++;
  if (pos >= str.length) return { positive, value: '0', num: '0', denom: '', suffix: '' };
  const numStart = pos;
  while (pos < str.length && isDigit(str[pos])) pos++;
  const num = str.slice(numStart, pos) || '0';
  let denom = '';
  if (str[pos] === '.') {
    const denomStart = ++pos;
    while (pos < str.length && isDigit(str[pos])) pos++;
    denom = str.slice(denomStart, pos);
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  while (pos < str.length && 'eEinumkKMGTP'.includes(str[pos])) pos++;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  while (pos < str.length && isDigit(str[pos])) pos++;
  if (pos < str.length) throw new QuantityError(ERR_FORMAT_WRONG);
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function interpretSuffix(suffix: string): { base: 2 | 10; exponent: number; format: QuantityFormat } {
  if (suffix in DECIMAL_SUFFIXES) return { base: 10, exponent: DECIMAL_SUFFIXES[suffix], format: 'DecimalSI' };
  if (suffix in BINARY_SUFFIXES) return { base: 2, exponent: BINARY_SUFFIXES[suffix], format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[-+]?[0-9]+$/.test(suffix.slice(1))) {
    const exponent = Number(suffix.slice(1));
    if (Math.abs(exponent) <= 2 ** 31 - 1) return { base: 10, exponent, format: 'DecimalExponent' };
  }
  throw new QuantityError(ERR_SUFFIX);
}

/** Kubernetes' int64 fast path, which also decides whether the original text is kept as canonical. */
function fastPath(str: string, p: QuantityParts, base: 2 | 10, exponent: number, format: QuantityFormat): Quantity | undefined {
  let scale = 0;
  let mantissa = 1n;
  let precision: number;
  if (base === 10) {
    scale = exponent;
    precision = 18 - (p.num.length + p.denom.length);
  } else if (exponent >= 0 && p.denom.length === 0) {
    mantissa = 1n << BigInt(exponent);
    precision = 15 - p.num.length - Math.trunc((exponent * 3) / 10) - 1;
  } else {
    precision = -1;
  }
  if (precision < 0) return undefined;
  scale -= p.denom.length;
  if (scale < -9) return undefined;
  const shifted = p.num + p.denom;
  const value = BigInt(shifted);
  if (value > MAX_INT64) throw new QuantityError(ERR_NUMERIC);
  const product = value * mantissa;
  if (product > MAX_INT64) return undefined;
  const result = p.positive ? product : -product;
  const canonical = base === 2 ? exponent % 10 === 0 && (value & 7n) !== 0n : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
  return new Quantity(result, -scale, format, canonical ? str : undefined);
}

/** Kubernetes' arbitrary-precision path: exact value, rounded up to nano, capped at 2^63-1. */
function slowPath(p: QuantityParts, base: 2 | 10, exponent: number, format: QuantityFormat): Quantity {
  const digits = /^[+-]?(\d*)(?:\.(\d*))?$/.exec(p.value);
  if (!digits || digits[1] + (digits[2] ?? '') === '') throw new QuantityError(ERR_NUMERIC);
  let abs = BigInt(digits[1] + (digits[2] ?? ''));
  let scale = (digits[2] ?? '').length;
  if (base === 10) scale -= exponent;
  else abs *= 1n << BigInt(exponent);
  if (scale < 0) {
    abs *= pow10(-scale);
    scale = 0;
  }
  if (abs !== 0n && scale > 9) {
    abs = ceilDiv(abs, pow10(scale - 9));
    scale = 9;
  }
  if (abs > MAX_INT64 * pow10(scale)) {
    abs = MAX_INT64;
    scale = 0;
  }
  if (format === 'BinarySI' && abs > 0n && abs < pow10(scale)) format = 'DecimalSI';
  return new Quantity(p.positive ? abs : -abs, scale, format);
}

/** Parses a quantity; throws QuantityError with Kubernetes' message. */
export function parseQuantity(input: string | number): Quantity {
  return Quantity.parse(input);
}

/** Kubernetes' message when `input` is not a quantity; undefined when it is one. */
export function quantityError(input: unknown): string | undefined {
  if (typeof input !== 'string' && typeof input !== 'number') return ERR_FORMAT_WRONG;
  try {
    Quantity.parse(input);
    return undefined;
  } catch (err) {
    return err instanceof QuantityError ? err.message : String(err);
  }
}

/** Thousandths of `input`, rounded up (`250m` → 250, `1.5` → 1500). Throws QuantityError. */
export function toMillis(input: string | number): number {
  return Quantity.parse(input).milliValue();
}

/** The value rounded up to an integer (`64Mi` → 67108864, `1G` → 1e9). Throws QuantityError. */
export function toNumber(input: string | number): number {
  return Quantity.parse(input).value();
}

/** The canonical text Kubernetes writes back (`0.5` → `500m`). Throws QuantityError. */
export function canonicalQuantity(input: string | number): string {
  return Quantity.parse(input).toString();
}

/** `as(text)` (toNumber, toMillis), or undefined when the text is absent or not a quantity. */
export function quantityOr(text: string | undefined, as: (q: string) => number): number | undefined {
  if (text === undefined) return undefined;
  try {
    return as(text);
  } catch {
    return undefined;
  }
}
