/** Hosts: each ESXi host's CPU and memory reserved against capacity, state, its VMs and pod VMs, vMotions in flight, and what waits for a host. */
import { Bar, HealthBadge, Loading, Page, useView } from '../components';
import { links } from '../router';

interface Workload {
  readonly namespace: string;
  readonly name: string;
  readonly powerState?: string;
  readonly phase?: string;
  readonly cpus: number;
  readonly memory: string;
}

interface Host {
  readonly name: string;
  readonly state: string;
  readonly cpu: { capacityMhz: number; reservedMhz: number };
  readonly memory: { capacity: string; reserved: string; capacityBytes: number; reservedBytes: number };
  readonly virtualMachines: { count: number; max: number };
  readonly vSpherePods: { count: number; max: number };
  readonly vmotionsInFlight: number;
  readonly waitingForHost: number;
  readonly vms: readonly Workload[];
  readonly pods: readonly Workload[];
}

interface HostsView {
  readonly hosts: readonly Host[];
  readonly waiting: readonly { key: string; kind: string; namespace: string; name: string; reason?: string; message?: string }[];
}

const GHZ = (mhz: number) => `${(mhz / 1000).toFixed(1)} GHz`;

function Workloads(props: { title: string; items: readonly Workload[] }) {
  if (!props.items.length) return null;
  return (
    <details>
      <summary>{props.title} ({props.items.length})</summary>
      <ul class="workloads">
        {props.items.slice(0, 500).map((w) => (
          <li key={`${w.namespace}/${w.name}`}>
            <code>{w.namespace}/{w.name}</code> {w.powerState ?? w.phase} · {w.cpus} vCPU · {w.memory}
          </li>
        ))}
        {props.items.length > 500 ? <li class="muted">and {props.items.length - 500} more</li> : null}
      </ul>
    </details>
  );
}

export function HostsPage() {
  const view = useView<HostsView>('/console/api/hosts', (c) => ['VirtualMachine', 'Pod', 'Node', 'Machine'].includes(c.kind));
  const v = view.data;
  return (
    <Page title="Hosts">
      {!v ? <Loading error={view.error} /> : (
        <>
          <div class="host-grid">
            {v.hosts.map((h) => (
              <section key={h.name} class="card" aria-labelledby={`host-${h.name}`} data-testid="host">
                <h2 id={`host-${h.name}`}>{h.name} <span class={`badge host-${h.state}`}>{h.state}</span></h2>
                <Bar label="CPU reserved" used={h.cpu.reservedMhz} max={h.cpu.capacityMhz} text={`${GHZ(h.cpu.reservedMhz)} of ${GHZ(h.cpu.capacityMhz)}`} />
                <Bar label="Memory reserved" used={h.memory.reservedBytes} max={h.memory.capacityBytes} text={`${h.memory.reserved} of ${h.memory.capacity}`} />
                <dl class="facts">
                  <div><dt>VMs</dt><dd>{h.virtualMachines.count} / {h.virtualMachines.max}</dd></div>
                  <div><dt>Pod VMs</dt><dd>{h.vSpherePods.count} / {h.vSpherePods.max}</dd></div>
                  <div><dt>vMotions in flight</dt><dd>{h.vmotionsInFlight}</dd></div>
                  <div><dt>Waiting for a host</dt><dd>{h.waitingForHost}</dd></div>
                </dl>
                <Workloads title="Virtual machines" items={h.vms} />
                <Workloads title="Pod VMs" items={h.pods} />
              </section>
            ))}
          </div>
          <section class="card" aria-labelledby="waiting-title">
            <h2 id="waiting-title">Waiting for a host or capacity ({v.waiting.length})</h2>
            {v.waiting.length ? (
              <ul class="waiting">
                {v.waiting.slice(0, 500).map((w) => (
                  <li key={w.key}><a href={links.object(w.key)}>{w.kind} {w.namespace}/{w.name}</a> <HealthBadge health="Waiting" /> {w.reason}: {w.message}</li>
                ))}
              </ul>
            ) : <p class="muted">Nothing waits.</p>}
          </section>
        </>
      )}
    </Page>
  );
}
