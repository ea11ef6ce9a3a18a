/** Test helpers: the fixture cluster under testdata/ and golden-file comparison. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EndpointSlice, ProxyNode, Service } from './types';

export interface Fixture {
  node: ProxyNode;
  services: Service[];
  endpointSlices: EndpointSlice[];
}

export const TESTDATA = join(__dirname, 'testdata');

export function loadFixture(name = 'cluster.json'): Fixture {
  return JSON.parse(readFileSync(join(TESTDATA, name), 'utf8')) as Fixture;
}

/**
 * The golden file's text. With UPDATE_GOLDEN=1 it is first rewritten from `actual`; a rewritten
 * golden file must be checked by hand against upstream's rule shapes before it is committed.
 */
export function golden(name: string, actual: string): string {
  const path = join(TESTDATA, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  return readFileSync(path, 'utf8');
}
