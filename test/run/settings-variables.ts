import { loadSettings } from '../../shared/config/settings';

/** Every environment variable loadSettings reads, found by watching it read an empty environment. */
export function settingsVariables(): Set<string> {
  const read = new Set<string>();
  const env = new Proxy({} as NodeJS.ProcessEnv, {
    get(_target, name) {
      if (typeof name === 'string') read.add(name);
      return undefined;
    },
  });
  loadSettings(env);
  return read;
}
