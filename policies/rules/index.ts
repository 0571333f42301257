// Every rule of the pack, as plain arrays: tests run them directly, `policies/index.ts` serves them.
import { AWS_RULES } from "./aws";
import { AZURE_RULES } from "./azure";
import { GOVERNANCE_RULES } from "./governance";
import { KUBERNETES_RULES } from "./kubernetes";
import { QUEUE_RULES } from "./queues";
import { STACK_RULES } from "./stack";
import { VPN_RULES } from "./vpn";

export { BENCHMARKS, type BenchmarkId, type RuleFacts } from "./kit";
export { AWS_RULES, AZURE_RULES, GOVERNANCE_RULES, KUBERNETES_RULES, QUEUE_RULES, STACK_RULES, VPN_RULES };

/** The resource rules, by resource kind. */
export const RESOURCE_RULES = [
  ...AWS_RULES,
  ...AZURE_RULES,
  ...VPN_RULES,
  ...KUBERNETES_RULES,
  ...GOVERNANCE_RULES,
];

/** Every rule of the pack. */
export const ALL_RULES = [...RESOURCE_RULES, ...STACK_RULES, ...QUEUE_RULES];
