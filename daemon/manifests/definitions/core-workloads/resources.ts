/** Compute resource requirements of containers and pods: requests and limits as quantities, by resource name. */
import { enumOf, list, obj, str } from '../dsl/builders.js';
import { resourceList } from './common.js';

/** `ResourceRequirements` of a container or a pod: requests, limits and the resource claims it uses. */
export const resourceRequirements = obj({
  claims: list(obj({ name: str(), request: str() }, { required: ['name'] }), { mapKeys: ['name'] }),
  limits: resourceList,
  requests: resourceList,
});

/** `ContainerResizePolicy`: whether resizing cpu or memory in place restarts the container. */
export const containerResizePolicy = obj(
  { resourceName: enumOf('cpu', 'memory'), restartPolicy: enumOf('NotRequired', 'RestartContainer') },
  { required: ['resourceName', 'restartPolicy'] },
);
