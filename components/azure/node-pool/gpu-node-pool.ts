import type * as pulumi from "@pulumi/pulumi";
import { AzureAgentPoolComponent } from "./agent-pool-component";
import type { AzureGpuNodePoolArgs } from "./args";

/**
 * An AKS user agent pool of GPU VMs: the size checked against the GPU facts, the
 * `nvidia.com/gpu=true:NoSchedule` taint, labels for pool, GPU model, trust zone and capacity,
 * Spot (evict and delete, price cap) or Regular, autoscaling, encryption at host, no public IPs,
 * SSH off, AKS-installed NVIDIA drivers (or none, for a GPU operator) and optional MIG.
 */
export class AzureGpuNodePool extends AzureAgentPoolComponent {
  constructor(name: string, args: AzureGpuNodePoolArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("gpu", name, args, opts);
  }
}
