/**
 * The CLI's client of the running API server: HTTPS to KUBEQ_API_HOST:KUBEQ_API_PORT, trusting
 * the cluster CA under KUBEQ_HOME, with the admin token — what kubectl does with the kubeconfig.
 */
import { request as httpsRequest } from 'node:https';
import { apiServerUrl, resolveTokens } from '../shared/config/kubeconfig';
import { ensureServingCert, servingHosts } from '../shared/config/pki';
import { loadSettings } from '../shared/config/settings';

export interface ApiResponse {
  status: number;
  body: any;
}

/** An HTTPS request trusting `ca`; answers the status and the body, parsed when it is JSON. */
export function httpsCall(url: string, ca: string, token: string, method: string, body?: unknown, contentType = 'application/json', headers: Record<string, string> = {}): Promise<ApiResponse> {
  return new Promise((resolvePromise, reject) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const req = httpsRequest(url, { method, ca, headers: { authorization: `Bearer ${token}`, ...(payload !== undefined ? { 'content-type': contentType } : {}), ...headers } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolvePromise({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export interface ApiClient {
  url: string;
  call(method: string, path: string, body?: unknown, contentType?: string): Promise<ApiResponse>;
}

/** A client for the server the settings (environment) name. */
export function cliApiClient(env: NodeJS.ProcessEnv = process.env): ApiClient {
  const settings = loadSettings(env);
  const url = apiServerUrl(settings.apiHost, settings.apiPort);
  const { caPem } = ensureServingCert(settings.home, servingHosts(settings.apiHost));
  const token = resolveTokens(settings).adminToken;
  return { url, call: (method, path, body, contentType) => httpsCall(url + path, caPem, token, method, body, contentType) };
}
