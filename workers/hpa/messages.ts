/**
 * Upstream's wording for the HPA's rescale Event (horizontal.go): `New size: 4; reason: cpu
 * resource utilization (percentage of request) above target`, or `All metrics below target`
 * when scaling down; the metric named as computeReplicasForMetric names it.
 */

/** The name of a metric spec as upstream's events and conditions spell it. */
export function metricName(spec: any): string {
  switch (spec?.type) {
    case 'Resource':
      return spec.resource?.target?.type === 'Utilization' ? `${spec.resource.name} resource utilization (percentage of request)` : `${spec.resource?.name} resource`;
    case 'ContainerResource':
      return spec.containerResource?.target?.type === 'Utilization'
        ? `${spec.containerResource.name} container resource utilization (percentage of request)`
        : `${spec.containerResource?.name} container resource`;
    case 'Pods':
      return `pods metric ${spec.pods?.metric?.name}`;
    case 'Object':
      return `${spec.object?.describedObject?.kind} metric ${spec.object?.metric?.name}`;
    case 'External':
      return `external metric ${spec.external?.metric?.name}`;
    default:
      return `unknown metric type ${spec?.type}`;
  }
}

/** The reason part: the metric that drove a scale-up, or all below target on the way down. */
export function rescaleReason(current: number, desired: number, drivingMetric: any): string {
  return desired > current ? `${metricName(drivingMetric)} above target` : 'All metrics below target';
}

/** The SuccessfulRescale Event's message. */
export const rescaleMessage = (desired: number, reason: string) => `New size: ${desired}; reason: ${reason}`;
