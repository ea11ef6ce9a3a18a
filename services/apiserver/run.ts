import { Redis } from 'ioredis';
import client from 'prom-client';
import { lookupResourceByName } from '../../shared/api/registry';
import { apiServerUrl, resolveTokens, writeClusterKubeconfig } from '../../shared/config/kubeconfig';
import type { Settings } from '../../shared/config/settings';
import { serviceNetwork } from '../../shared/net/service-network';
import { Store } from '../../shared/store/store';
import { ensureKubernetesService } from './bootstrap';
import { ensureSystemNamespaces } from './handlers/admission';
import { createApp, listen } from './server';
import { registerUsageMetrics } from './usage-metrics';
import { ResourceSamples } from '../../shared/resourcemetrics/samples';
import type { Telemetry } from '../../shared/tracing/sdk';


/** Wires the apiserver: Redis, the store, the HTTP app; writes the kubeconfig; stops on SIGTERM/SIGINT. */
export async function runApiServer(settings: Settings, telemetry: Telemetry): Promise<void> {
  if (!settings.redisUrl) throw new Error('REDIS_URL is not set (npm start sets it; or point it at your Redis)');
  const redis = new Redis(settings.redisUrl, { maxRetriesPerRequest: 20 });
  const network = { serviceCIDR: settings.serviceCIDR, nodePortRange: settings.nodePortRange, loadBalancerPool: settings.loadBalancerPool };
  const store = new Store(redis, { prefix: settings.redisPrefix, resources: lookupResourceByName, logMaxLen: settings.logMaxLen, serviceNetwork: network });
  await ensureSystemNamespaces(store);
  await ensureKubernetesService(store, serviceNetwork(network), settings.apiPort, settings.apiHost);
  const tokens = resolveTokens(settings);
  const metrics = new client.Registry();
  client.collectDefaultMetrics({ register: metrics });
  registerUsageMetrics(metrics, new ResourceSamples(redis, settings.redisPrefix));
  const app = createApp({ store, redis, prefix: settings.redisPrefix, webhookSecret: settings.webhookSecret, tokens: [...tokens.users.keys()], metrics });
  const { path: kubeconfig, cert } = writeClusterKubeconfig(settings, tokens.adminToken);
  const server = await listen(app, settings.apiHost, settings.apiPort, { cert: cert.certPem, key: cert.keyPem });
  const url = apiServerUrl(settings.apiHost, settings.apiPort);
  console.log(`apiserver: ready at ${url} (kubeconfig ${kubeconfig})`);

  const stop = () => {
    server.close();
    server.closeAllConnections();
    void telemetry
      .shutdown()
      .catch(() => undefined)
      .finally(() => {
        redis.disconnect();
        process.exit(0);
      });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
