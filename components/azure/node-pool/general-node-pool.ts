import type * as pulumi from "@pulumi/pulumi";
import { AzureAgentPoolComponent } from "./agent-pool-component";
import type { AzureNodePoolArgs } from "./args";

/**
 * An AKS user agent pool of general-purpose VMs for services and CPU batch work, with the same
 * defaults as the GPU pools (encryption at host, no public IPs, SSH off, autoscaling).
 */
export class AzureNodePool extends AzureAgentPoolComponent {
  constructor(name: string, args: AzureNodePoolArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("cpu", name, args, opts);
  }
}
