/** NodeName: a pod that names a node in spec.nodeName fits only that node. */
import type { Plugin } from '../../framework/plugin';
import { success, unresolvable } from '../../framework/status';

export const NAME = 'NodeName';
export const ERR_REASON = "node(s) didn't match the requested node name";

export const nodeName: Plugin = {
  name: NAME,
  filter(_state, pod, node) {
    const wanted = pod.spec?.nodeName;
    return !wanted || wanted === node.name ? success() : unresolvable(ERR_REASON);
  },
};
