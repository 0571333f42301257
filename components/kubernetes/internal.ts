// The Kubernetes folder's second door (never published): the add-ons' renderers, object names and
// the catalog's placement fields, for the library's other folders and the reference stacks.
export {
  type AddonObject,
  EFA_DEVICE_PLUGIN_VERSION,
  KUEUE_DROPPED_API_GROUPS,
  KUEUE_MANAGER_RULES,
  KUEUE_MUTATING_HOOKS,
  KUEUE_VALIDATING_HOOKS,
  kueueAddonSchema,
  kueueConfiguration,
  kueueCrds,
  renderClusterAutoscaler,
  renderEfaDevicePlugin,
  renderKueue,
  renderNvidiaDevicePlugin,
} from "./addons";
// The cluster facts' schema the stack config shares (zod stays out of the published declarations).
export { clusterFactsShape, clusterSecretsSchema } from "./cluster-facts";
export {
  bandwidthSchema,
  batchSizeSchema,
  boundedName,
  COPY_SCRIPT,
  copyAnnotations,
  copyRemotes,
  copySettings,
  cronProblem,
  cronScheduleSchema,
  type DataCopiesRenderInput,
  type DataCopyObject,
  DRILL_SCRIPT,
  describeSchedule,
  onPremCredentialsTemplate,
  secretKeysIn,
} from "./data";
export { type KubeObject, renderClusterMetrics, scrapePlanOf } from "./metrics";
export { burstQueueName, quantity, renderQueues } from "./queues/render";
export { QUEUE_DEFAULTS, queueSettingsSchema } from "./queues/settings";
export { objectName } from "./render";
export { placementWorkload, QUEUED_KINDS } from "./spec";
