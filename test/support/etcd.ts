/** Real etcd members for tests: the bench's (`bench/etcd-cluster.ts`), one starter for both. */
export { etcdMissing, startEtcd, type EtcdCluster, type EtcdMember } from '../../bench/etcd-cluster.js';
