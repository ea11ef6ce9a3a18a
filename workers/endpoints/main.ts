// The endpoints role: telemetry starts (shared/process/main) before ioredis and bullmq load, so their calls are traced.
import { roleMain } from '../../shared/process/main';

roleMain('endpoints', () => import('./run').then((m) => m.runEndpoints));
