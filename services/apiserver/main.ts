// The apiserver role: telemetry starts (shared/process/main) before express and ioredis load, so their calls are traced.
import { roleMain } from '../../shared/process/main';

roleMain('apiserver', () => import('./run').then((m) => m.runApiServer));
