/** YAML builders for the Supervisor workload tests. */

export interface ContainerOptions {
  limits?: { cpu?: string; memory?: string };
  requests?: { cpu?: string; memory?: string };
  image?: string;
}

function container(name: string, o: ContainerOptions): string {
  const res = (kind: 'limits' | 'requests') => {
    const v = o[kind];
    if (!v) return '';
    const parts = Object.entries(v).map(([k, val]) => `${k}: ${val}`);
    return `\n      ${kind}: {${parts.join(', ')}}`;
  };
  const resources = o.limits || o.requests ? `\n    resources:${res('limits')}${res('requests')}` : '';
  return `  - name: ${name}\n    image: ${o.image ?? 'registry.example.com/app:1.0'}${resources}`;
}

export function podYaml(namespace: string, name: string, containers: ContainerOptions[] = [{}], extra = ''): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  containers:
${containers.map((c, i) => container(`c${i}`, c)).join('\n')}
${extra}`;
}

export function deploymentYaml(namespace: string, name: string, replicas: number, o: { image?: string; maxSurge?: number | string; maxUnavailable?: number | string; cpu?: string } = {}): string {
  const strategy = o.maxSurge !== undefined || o.maxUnavailable !== undefined ? `\n  strategy:\n    type: RollingUpdate\n    rollingUpdate: {maxSurge: ${o.maxSurge ?? '25%'}, maxUnavailable: ${o.maxUnavailable ?? '25%'}}` : '';
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  replicas: ${replicas}${strategy}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: app
        image: ${o.image ?? 'registry.example.com/app:1.0'}
        resources:
          limits: {cpu: ${o.cpu ?? '500m'}, memory: 256Mi}
`;
}

export function limitRangeYaml(namespace: string, container: Record<string, Record<string, string>>): string {
  const lines = Object.entries(container).map(([k, v]) => `      ${k}: {${Object.entries(v).map(([r, q]) => `${r}: ${q}`).join(', ')}}`);
  return `apiVersion: v1
kind: LimitRange
metadata:
  name: defaults
  namespace: ${namespace}
spec:
  limits:
    - type: Container
${lines.join('\n')}
`;
}
