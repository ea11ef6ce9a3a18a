/**
 * Base64 as Go's encoding/json decodes []byte fields (base64.StdEncoding: padded, `\r` and `\n`
 * ignored), so Secret `data` errors carry Go's `illegal base64 data at input byte N`.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Map([...ALPHABET].map((c, i) => [c, i]));

export type Base64Result = { ok: true; bytes: Buffer } | { ok: false; error: string };

function corrupt(offset: number): Base64Result {
  return { ok: false, error: `illegal base64 data at input byte ${offset}` };
}

const isNewline = (c: string | undefined) => c === '\n' || c === '\r';

/** Decodes like base64.StdEncoding.DecodeString, reporting the same error offsets. */
export function decodeBase64Strict(src: string): Base64Result {
  const out: number[] = [];
  let si = 0;
  while (si < src.length) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let trailing: number | undefined;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return { ok: true, bytes: Buffer.from(out) };
        return corrupt(si - j);
      }
      const c = src[si++];
      const v = DECODE.get(c);
      if (v !== undefined) {
        dbuf[j] = v;
        continue;
      }
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== '=' || j < 2) return corrupt(si - 1);
      if (j === 2) {
        while (si < src.length && isNewline(src[si])) si++;
        if (si === src.length) return corrupt(src.length);
        if (src[si] !== '=') return corrupt(si - 1);
        si++;
      }
      while (si < src.length && isNewline(src[si])) si++;
      if (si < src.length) trailing = si;
      dlen = j;
      break;
    }
    const val = (dbuf[0] << 18) | (dbuf[1] << 12) | (dbuf[2] << 6) | dbuf[3];
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    out.push(...bytes.slice(0, dlen - 1));
    if (trailing !== undefined) return corrupt(trailing);
    if (dlen < 4) break;
  }
  return { ok: true, bytes: Buffer.from(out) };
}
