// The controller-manager role: telemetry starts (shared/process/main) before ioredis and bullmq load, so their calls are traced.
import { roleMain } from '../../shared/process/main';

roleMain('controller-manager', () => import('./run').then((m) => m.runControllerManager));
