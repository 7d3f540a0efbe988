/** Container health checks and lifecycle hooks: exec, HTTP GET, TCP socket, gRPC and sleep actions. */
import { enumOf, int, list, obj, str } from '../dsl/builders.js';
import { namedPort, portNumber } from './dsl-extra.js';

const execAction = obj({ command: list(str()) });

const httpGetAction = obj(
  {
    host: str(),
    httpHeaders: list(obj({ name: str(), value: str() }, { required: ['name', 'value'] })),
    path: str(),
    port: namedPort(),
    scheme: enumOf('HTTP', 'HTTPS'),
  },
  { required: ['port'] },
);

const tcpSocketAction = obj({ host: str(), port: namedPort() }, { required: ['port'] });

const grpcAction = obj({ port: portNumber(), service: str() }, { required: ['port'] });

const sleepAction = obj({ seconds: int({ minimum: 0 }) }, { required: ['seconds'] });

/** `Probe`: one handler (exec, httpGet, tcpSocket or grpc) and its timing; counters are non-negative. */
export const probe = obj({
  exec: execAction,
  failureThreshold: int({ minimum: 0 }),
  grpc: grpcAction,
  httpGet: httpGetAction,
  initialDelaySeconds: int({ minimum: 0 }),
  periodSeconds: int({ minimum: 0 }),
  successThreshold: int({ minimum: 0 }),
  tcpSocket: tcpSocketAction,
  terminationGracePeriodSeconds: int({ minimum: 1 }),
  timeoutSeconds: int({ minimum: 0 }),
});

/** `LifecycleHandler`: what a postStart or preStop hook runs (tcpSocket is kept for old manifests). */
const lifecycleHandler = obj({ exec: execAction, httpGet: httpGetAction, sleep: sleepAction, tcpSocket: tcpSocketAction });

/** `Lifecycle`: postStart and preStop hooks, and the signal that stops the container. */
export const lifecycle = obj({ postStart: lifecycleHandler, preStop: lifecycleHandler, stopSignal: str() });
