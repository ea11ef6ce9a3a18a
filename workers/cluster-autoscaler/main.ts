// The cluster-autoscaler role: telemetry starts (shared/process/main) before ioredis and bullmq load, so their calls are traced.
import { roleMain } from '../../shared/process/main';

roleMain('cluster-autoscaler', () => import('./run').then((m) => m.runClusterAutoscaler));
