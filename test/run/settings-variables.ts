import { loadSettings } from '../../shared/config/settings';
import { loadAutoscalerSettings } from '../../workers/cluster-autoscaler/settings';

/** Every environment variable loadSettings (and the cluster autoscaler's own settings) reads, found by watching it read an empty environment. */
export function settingsVariables(): Set<string> {
  const read = new Set<string>();
  const env = new Proxy({} as NodeJS.ProcessEnv, {
    get(_target, name) {
      if (typeof name === 'string') read.add(name);
      return undefined;
    },
  });
  loadSettings(env);
  loadAutoscalerSettings(env);
  return read;
}
