/** Every task kind the simulator schedules, and what completes it (a closed table). */
import { completePodStart, POD_STARTED } from './pod.js';
import { completeLoadBalancerIp, LOAD_BALANCER_IP_ASSIGNED } from './service.js';
import { completeVMotion, VMOTION_COMPLETED } from './vmotion.js';
import { completeNamespaceSnapshots, NAMESPACE_SNAPSHOTS } from './snapshot-schedule.js';
import { completeHaRestart, HA_RESTART } from './host-faults.js';
import { completePublish, PUBLISH_VM } from './publish.js';
import { completeMemberPower, GROUP_MEMBER_POWER } from './group-power.js';
import { completeNodeJoin, NODE_JOINED } from './guest-node.js';
import type { TaskCompletion } from './tasks.js';

export const TASK_COMPLETIONS: Readonly<Record<string, TaskCompletion>> = {
  [POD_STARTED]: completePodStart,
  [LOAD_BALANCER_IP_ASSIGNED]: completeLoadBalancerIp,
  [VMOTION_COMPLETED]: completeVMotion,
  [NAMESPACE_SNAPSHOTS]: completeNamespaceSnapshots,
  [HA_RESTART]: completeHaRestart,
  [PUBLISH_VM]: completePublish,
  [GROUP_MEMBER_POWER]: completeMemberPower,
  [NODE_JOINED]: completeNodeJoin,
};
