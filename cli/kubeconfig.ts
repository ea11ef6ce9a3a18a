import { readFileSync } from 'node:fs';
import { apiServerUrl, kubeconfigYaml, resolveTokens } from '../shared/config/kubeconfig';
import { ensureServingCert, servingHosts } from '../shared/config/pki';
import { loadSettings } from '../shared/config/settings';
import { homePaths } from './home';

/**
 * `kubeq kubeconfig`: the kubeconfig `kubeq up` wrote to `<home>/kubeconfig`; without
 * one, a kubeconfig built from the settings (KUBEQ_API_HOST/PORT and the resolved token).
 */
export function kubeconfigText(env: NodeJS.ProcessEnv = process.env): string {
  const settings = loadSettings(env);
  try {
    return readFileSync(homePaths(settings.home).kubeconfig, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const { caPem } = ensureServingCert(settings.home, servingHosts(settings.apiHost));
  return kubeconfigYaml(apiServerUrl(settings.apiHost, settings.apiPort), resolveTokens(settings).adminToken, caPem);
}
