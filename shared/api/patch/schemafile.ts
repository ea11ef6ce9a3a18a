/**
 * Reads the shape of one OpenAPI definition out of kubernetes-models' `_schemas` folder.
 *
 * Those files are ajv validators compiled to JavaScript, not JSON schemas, and they carry no
 * vendor extensions (`x-kubernetes-patch-*` are stripped by the generator). What they do keep is
 * the type graph: which property holds which definition, a list of it, or a map of it. That is
 * what this module extracts; the merge metadata comes from `mergekeys.ts`.
 *
 * The compiled form is regular: the exported validator checks each property with
 * `void 0===data.<prop>||validateN(data.<prop>, ...)`; `validateN` either delegates to another
 * module (`(0,_<Def>.validate)(data, ...)`), loops over an array or an object calling a further
 * validator, or checks a scalar. Anything not recognised reads as a scalar, which only means
 * "no merge metadata below this point".
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** How a property's value is shaped. */
export type TypeRef =
  | { readonly kind: 'ref'; readonly def: string }
  | { readonly kind: 'list'; readonly items: TypeRef }
  | { readonly kind: 'map'; readonly values: TypeRef }
  | { readonly kind: 'scalar' };

export interface DefinitionShape {
  /** Property name → shape. Empty for scalar definitions (Time, Quantity, IntOrString). */
  readonly properties: ReadonlyMap<string, TypeRef>;
  /** Referenced definition → absolute path of its compiled module. */
  readonly modules: ReadonlyMap<string, string>;
}

const SCALAR: TypeRef = { kind: 'scalar' };

/** Parses the compiled module at `file`. Throws only if the file cannot be read. */
export function readDefinition(file: string): DefinitionShape {
  const text = fs.readFileSync(file, 'utf8');
  const modules = resolveRequires(text, path.dirname(file));
  const functions = splitFunctions(text);
  const root = /validate=(?:function )?(validate\d+)[(;]/.exec(text)?.[1];
  const properties = new Map<string, TypeRef>();
  const body = root ? functions.get(root) : undefined;
  if (body) {
    for (const m of body.matchAll(/void 0===data(?:\.([A-Za-z_$][\w$]*)|\["([^"]+)"\])\|\|(validate\d+)\(/g)) {
      properties.set(m[1] ?? m[2], shapeOf(functions, m[3], 0));
    }
  }
  return { properties, modules };
}

function resolveRequires(text: string, dir: string): Map<string, string> {
  const modules = new Map<string, string>();
  for (const m of text.matchAll(/_(IoK8s\w+)=require\("([^"]+)"\)/g)) {
    const file = m[2].startsWith('.') ? path.join(dir, m[2]) : tryResolve(m[2], dir);
    if (file) modules.set(m[1], file.endsWith('.js') ? file : `${file}.js`);
  }
  return modules;
}

function tryResolve(specifier: string, dir: string): string | undefined {
  try {
    return require.resolve(specifier, { paths: [dir] });
  } catch {
    return undefined;
  }
}

/** Each top-level `function validateN(` and its text up to the next one. */
function splitFunctions(text: string): Map<string, string> {
  const functions = new Map<string, string>();
  for (const segment of text.split(/(?=function validate\d+\()/)) {
    const name = /^function (validate\d+)\(/.exec(segment)?.[1];
    if (name) functions.set(name, segment);
  }
  return functions;
}

const ITEM = /for\(let i0=0;i0<len0;i0\+\+\)(?:(validate\d+)\(data\[i0\]|\(0,_(\w+)\.validate\)\(data\[i0\])/;
const VALUE = /for\(let key0 in data\)(?:(validate\d+)\(data\[key0\]|\(0,_(\w+)\.validate\)\(data\[key0\])/;
const DELEGATE = /\(0,_(\w+)\.validate\)\(data,/;

function shapeOf(functions: Map<string, string>, name: string, depth: number): TypeRef {
  const body = functions.get(name);
  if (!body || depth > 8) return SCALAR;
  const item = ITEM.exec(body);
  if (item) return { kind: 'list', items: item[1] ? shapeOf(functions, item[1], depth + 1) : { kind: 'ref', def: item[2] } };
  const value = VALUE.exec(body);
  if (value) return { kind: 'map', values: value[1] ? shapeOf(functions, value[1], depth + 1) : { kind: 'ref', def: value[2] } };
  const delegate = DELEGATE.exec(body);
  if (delegate) return { kind: 'ref', def: delegate[1] };
  return SCALAR;
}
