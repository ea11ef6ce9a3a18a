// The hpa role: telemetry starts (shared/process/main) before ioredis and bullmq load, so their calls are traced.
import { roleMain } from '../../shared/process/main';

roleMain('hpa', () => import('./run').then((m) => m.runHpa));
