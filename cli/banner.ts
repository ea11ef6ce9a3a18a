/** What `kubeq up` knows once everything it started is ready. */
export interface ReadyInfo {
  /** The API URL, or undefined when no apiserver is built. */
  apiUrl?: string;
  /** Where the apiserver would be built, for the message when it is not. */
  rolesRoot: string;
  kubeconfig: string;
  redisUrl: string;
  /** The local redis-server's data directory; undefined when REDIS_URL was given. */
  redisDir?: string;
  roles: string[];
  /** How to invoke this CLI from the user's shell, e.g. `node dist/cli/main.js`. */
  cli: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT, when set. */
  otlpEndpoint?: string;
}

/** The lines `kubeq up` prints once ready. */
export function readyBanner(info: ReadyInfo): string[] {
  const row = (label: string, value: string) => `  ${label.padEnd(11)}${value}`;
  const more = (value: string) => row('', value);
  const lines = ['kubeq is up.'];
  if (info.apiUrl) lines.push(row('API', info.apiUrl));
  else lines.push(row('API', `no apiserver built (no services/apiserver/main.js under ${info.rolesRoot}); run npm run build`));
  lines.push(row('kubeconfig', `export KUBECONFIG=${info.kubeconfig}`), more('kubectl get namespaces'));
  lines.push(row('Redis', info.redisDir ? `${info.redisUrl} (local redis-server, data in ${info.redisDir})` : info.redisUrl));
  lines.push(row('roles', info.roles.length ? info.roles.join(', ') : 'none built yet'));
  lines.push(row('traces', `${info.cli} trace <target>`));
  lines.push(
    info.otlpEndpoint
      ? more(`spans are also exported to ${info.otlpEndpoint} (Jaeger UI at http://localhost:16686 when that is docker compose's Jaeger)`)
      : more('Jaeger UI at http://localhost:16686 when running under docker compose'),
  );
  lines.push('Ctrl-C stops everything.');
  return lines;
}
