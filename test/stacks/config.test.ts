import { describe, expect, it } from "vitest";
import { ConfigError } from "../../components/validation";
import { parsePlatformConfig, placeholderIssues } from "../../stacks/config";
import { referenceStackConfig } from "../helpers/stack-config";

/** The dev config as the program sees it: keys without the namespace, no secret keys. */
function devConfig(): Record<string, unknown> {
  return referenceStackConfig("dev");
}

function problems(raw: Record<string, unknown>): string {
  try {
    parsePlatformConfig("dev", raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message;
  }
  throw new Error("expected a ConfigError");
}

describe("the stack config schema", () => {
  it("accepts the dev stack", () => {
    const config = parsePlatformConfig("dev", devConfig());
    expect(config.environment).toBe("dev");
    expect(config.aws?.cluster.nodeGroups.map((g) => g.name)).toEqual(["general", "gpu-spot"]);
  });

  it("names both ranges when joined networks overlap", () => {
    const raw = devConfig() as {
      onprem: { networkCidr: string };
      deploy: { cidrs: string[] };
      traffic: { onprem: { cidr: string } };
    };
    raw.onprem.networkCidr = "10.22.128.0/17";
    raw.deploy.cidrs = ["10.22.130.0/24"];
    raw.traffic.onprem.cidr = "10.22.160.0/26";
    expect(problems(raw)).toBe(
      'stack config "dev": onprem.networkCidr: "10.22.128.0/17" overlaps aws.network "10.22.0.0/16"; networks joined by VPN must not overlap',
    );
  });

  it("refuses public images behind a VPC without NAT, naming the field and the mirror to give", () => {
    const raw = devConfig() as { aws: { network: { natGateways: string } } };
    raw.aws.network.natGateways = "none";
    const message = problems(raw);
    expect(message).toContain(
      'aws.cluster.gpuDevicePluginImage: is not set, and aws.network.natGateways is "none"',
    );
    expect(message).toContain("nvcr.io");
    expect(message).toContain("aws.cluster.clusterAutoscalerImage: is not set");
    expect(message).toContain("aws.cluster.kueueImage: is not set");
    // Cross-site services: the NLB controller's image and API, the gateway's image.
    expect(message).toContain('aws.network.extraInterfaceEndpoints: lacks "elasticloadbalancing"');
    expect(message).toContain("traffic.awsLoadBalancerControllerImage: is not set");
    expect(message).toContain("traffic.gatewayImage: is not set");
    const mirrored = devConfig() as {
      aws: { network: Record<string, unknown>; cluster: Record<string, unknown> };
      traffic: Record<string, unknown>;
    };
    mirrored.aws.network.natGateways = "none";
    mirrored.aws.network.extraInterfaceEndpoints = ["elasticloadbalancing"];
    mirrored.traffic.awsLoadBalancerControllerImage =
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/ecr-public/eks/aws-load-balancer-controller:v2.13.4";
    mirrored.traffic.gatewayImage =
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/docker-hub/library/haproxy:3.2.4";
    mirrored.aws.cluster.gpuDevicePluginImage =
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/nvidia/k8s-device-plugin:v0.20.0";
    mirrored.aws.cluster.clusterAutoscalerImage =
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/kubernetes/autoscaling/cluster-autoscaler:v1.34.5";
    mirrored.aws.cluster.kueueImage =
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/kubernetes/kueue/kueue:v0.19.2";
    expect(parsePlatformConfig("dev", mirrored).aws?.cluster.clusterAutoscalerImage).toContain("ecr");
  });

  it("refuses a pinned VPC CNI that enforces no policies in the cluster's mode, by config path (issue 24.9)", () => {
    const raw = devConfig() as { aws: { cluster: Record<string, unknown> } };
    raw.aws.cluster.addonVersions = { "vpc-cni": "v1.16.4-eksbuild.2" };
    expect(problems(raw)).toContain(
      'aws.cluster.addonVersions["vpc-cni"]: v1.16.4-eksbuild.2 enforces no network policies in strict mode; VPC CNI 1.17.1 or later does',
    );
    raw.aws.cluster.networkPolicyMode = "standard";
    expect(parsePlatformConfig("dev", raw).aws?.cluster.networkPolicyMode).toBe("standard");
  });

  it("needs a Kubernetes version the autoscaler has a release for", () => {
    const raw = devConfig() as { aws: { cluster: { kubernetesVersion?: string } } };
    raw.aws.cluster.kubernetesVersion = "1.31";
    expect(problems(raw)).toContain(
      'aws.cluster.kubernetesVersion: "1.31" has no known Cluster Autoscaler release (known: 1.34, 1.35, 1.36); set clusterAutoscalerImage',
    );
    delete raw.aws.cluster.kubernetesVersion;
    expect(problems(raw)).toContain(
      "aws.cluster.kubernetesVersion: is not set, and the Cluster Autoscaler must match it",
    );
  });

  it("gives every dataset one home", () => {
    const raw = devConfig() as { onprem: { datasets: string[] } };
    raw.onprem.datasets = ["web-crawl"];
    expect(problems(raw)).toContain(
      'onprem.datasets[0]: dataset "web-crawl" is already hosted by aws.buckets[0]',
    );
  });

  it("needs the addresses of on-premises storage when the site hosts datasets", () => {
    const raw = devConfig() as { onprem: { storage?: unknown } };
    delete raw.onprem.storage;
    expect(problems(raw)).toContain("onprem.storage: is not set, and onprem.datasets are");
  });

  it("lists every problem at once with its path and the value", () => {
    const raw = devConfig() as {
      aws: {
        region: string;
        cluster: {
          admins: string[];
          nodeGroups: { instanceTypes: string[]; minSize?: number; maxSize: number }[];
        };
      };
      protectData: unknown;
    };
    raw.aws.region = "Ireland";
    raw.aws.cluster.admins = [];
    const gpu = raw.aws.cluster.nodeGroups[1];
    if (!gpu) throw new Error("dev has a GPU group");
    gpu.instanceTypes = ["p3.2xlarge"];
    raw.protectData = "yes";
    const message = problems(raw);
    expect(message).toContain('stack config "dev": 4 problems');
    expect(message).toContain('aws.region: "Ireland" is not an AWS region such as eu-west-1');
    expect(message).toContain("aws.cluster.admins: [] is too small: needs at least one IAM principal");
    expect(message).toContain('protectData: expected a boolean, got "yes"');
    // The node group's own checks run even while other fields are broken.
    expect(message).toContain(
      'aws.cluster.nodeGroups[1].instanceTypes[0]: "p3.2xlarge" is not in the instance facts',
    );
  });

  it("names a misspelled instance type as unknown, with the closest known name (issue 27.5)", () => {
    const raw = devConfig() as { aws: { cluster: { nodeGroups: { instanceTypes: string[] }[] } } };
    const gpu = raw.aws.cluster.nodeGroups[1];
    if (!gpu) throw new Error("dev has a GPU group");
    gpu.instanceTypes = ["g6.2xlarg"];
    const message = problems(raw);
    expect(message).toContain(
      'aws.cluster.nodeGroups[1].instanceTypes[0]: "g6.2xlarg" is not a known instance type (facts as of 2026-11). Did you mean "g6.2xlarge"?',
    );
    expect(message).not.toContain("has no GPU");
  });

  it("checks EFA groups as the component does: one interface count, no public IPs", () => {
    const raw = devConfig() as {
      aws: { cluster: { nodeGroups: { instanceTypes: string[]; efa?: boolean; publicIp?: boolean }[] } };
    };
    const gpu = raw.aws.cluster.nodeGroups[1];
    if (!gpu) throw new Error("dev has a GPU group");
    gpu.instanceTypes = ["p5e.48xlarge", "p5en.48xlarge"];
    gpu.efa = true;
    gpu.publicIp = true;
    const message = problems(raw);
    expect(message).toContain(
      'aws.cluster.nodeGroups[1].instanceTypes: ["p5e.48xlarge","p5en.48xlarge"] take different numbers of EFA interfaces',
    );
    expect(message).toContain("aws.cluster.nodeGroups[1].publicIp: true cannot go with efa");
  });

  it("lets an EFA group name one of the VPC's zones, and only with efa", () => {
    type Group = { instanceTypes: string[]; efa?: boolean; efaZone?: string; efaSubnetId?: string };
    const raw = devConfig() as { aws: { cluster: { nodeGroups: Group[] } } };
    const [cpu, gpu] = raw.aws.cluster.nodeGroups;
    if (!cpu || !gpu) throw new Error("dev has a CPU and a GPU group");
    Object.assign(gpu, { instanceTypes: ["p5.48xlarge"], efa: true, efaZone: "eu-west-1b" });
    expect(parsePlatformConfig("dev", raw).aws?.cluster.nodeGroups[1]?.efaZone).toBe("eu-west-1b");
    gpu.efaZone = "eu-west-1d";
    cpu.efaZone = "eu-west-1a";
    const message = problems(raw);
    expect(message).toContain(
      'aws.cluster.nodeGroups[1].efaZone: "eu-west-1d" is not a zone of the VPC; pick one of eu-west-1a, eu-west-1b, eu-west-1c',
    );
    expect(message).toContain("aws.cluster.nodeGroups[0].efaZone: only applies with efa: true");
    gpu.efaZone = "eu-west-1b";
    gpu.efaSubnetId = "subnet-0b000000";
    delete cpu.efaZone;
    expect(problems(raw)).toContain(
      "aws.cluster.nodeGroups[1].efaSubnetId: cannot go with efaZone: the subnet decides the zone",
    );
  });

  it("keeps joined networks out of the VPN links' inside addresses", () => {
    const raw = devConfig() as { onprem: { networkCidr: string } };
    raw.onprem.networkCidr = "169.254.0.0/16";
    expect(problems(raw)).toContain(
      'onprem.networkCidr: "169.254.0.0/16" overlaps vpn.links "169.254.21.0/24"; networks joined by VPN must not overlap',
    );
  });

  it("names every bucket and storage account once", () => {
    const raw = devConfig() as { aws: { buckets: { name: string }[] } };
    raw.aws.buckets.push({ name: raw.aws.buckets[0]?.name ?? "datasets" });
    expect(problems(raw)).toContain(
      'aws.buckets[1].name: "datasets" is already the name of aws.buckets[0]; name every bucket and storage account once',
    );
  });

  it("checks VPN links against the sites they join, all at once", () => {
    const raw = devConfig() as {
      vpn: { links: { sites: string[]; crypto?: string }[] };
      onprem: { router?: unknown };
    };
    raw.vpn.links.push({ sites: ["aws", "onprem"] }, { sites: ["azure", "azure"] });
    delete raw.onprem.router;
    const message = problems(raw);
    expect(message).toContain("vpn.links[1].sites: repeats vpn.links[0]");
    expect(message).toContain("vpn.links[2].sites: joins azure to itself");
    expect(message).toContain("vpn.links[2].sites: names azure, which the config does not have");
    expect(message).toContain("onprem.router: is not set, and vpn.links[0] ends on-premises");
    const suite = devConfig() as { vpn: { links: { sites: string[]; crypto?: string }[] } };
    (suite.vpn.links[0] ?? { sites: [] }).crypto = "aes128-sha1-modp1024";
    expect(problems(suite)).toContain(
      'vpn.links[0].crypto: "aes128-sha1-modp1024" is not valid; use one of "aes256gcm-sha384-ecp384"',
    );
  });

  it("uses the cluster's own rules for the public endpoint and the system node group", () => {
    const raw = devConfig() as {
      aws: { cluster: { publicAccessCidrs?: string[]; systemNodeGroup?: { instanceTypes: string[] } } };
    };
    raw.aws.cluster.publicAccessCidrs = ["0.0.0.0/0"];
    raw.aws.cluster.systemNodeGroup = { instanceTypes: ["g5.xlarge"] };
    const message = problems(raw);
    expect(message).toContain(
      "aws.cluster.publicAccessCidrs[0]: 0.0.0.0/0 would expose the API server to the internet; list the networks that need it",
    );
    expect(message).toContain('aws.cluster.systemNodeGroup.instanceTypes[0]: "g5.xlarge" is a GPU type');
  });

  it("checks tags as the components do", () => {
    const raw = devConfig() as { tags: Record<string, string> };
    raw.tags = { ...raw.tags, "": "empty", owner: "x".repeat(300) };
    const message = problems(raw);
    expect(message).toContain('tags[""]');
    expect(message).toContain("tags.owner");
  });

  it("checks on-premises pools as OnPremCluster does", () => {
    const raw = devConfig() as { onprem: { pools: { name: string; node: { gpu?: { model: string } } }[] } };
    const [cpu, a100] = raw.onprem.pools;
    if (!cpu || !a100?.node.gpu) throw new Error("dev has a CPU and an A100 pool");
    a100.name = cpu.name;
    a100.node.gpu.model = "A100 SXM";
    const message = problems(raw);
    expect(message).toContain(
      'onprem.pools[1].node.gpu.model: "A100 SXM" is not a GPU model such as A100 or H100',
    );
    expect(message).toContain('onprem.pools[1].name: "cpu" is used twice; pool names must be unique');
  });

  it("lets the AWS network take the region's zones by default", () => {
    const raw = devConfig() as { aws: { network: { availabilityZones?: string[] } } };
    delete raw.aws.network.availabilityZones;
    expect(parsePlatformConfig("dev", raw).aws?.network).not.toHaveProperty("availabilityZones");
    raw.aws.network.availabilityZones = ["eu-west-1a", "eu-west-1a"];
    expect(problems(raw)).toContain(
      'aws.network.availabilityZones: ["eu-west-1a","eu-west-1a"] repeats a zone',
    );
  });

  it("checks instance types against the facts tables", () => {
    const raw = devConfig() as { aws: { cluster: { nodeGroups: { instanceTypes: string[] }[] } } };
    const gpu = raw.aws.cluster.nodeGroups[1];
    if (!gpu) throw new Error("dev has a GPU group");
    gpu.instanceTypes = ["g5.xlarge", "m5.large"];
    expect(problems(raw)).toContain(
      'aws.cluster.nodeGroups[1].instanceTypes[1]: "m5.large" has no GPU; pick one of g4dn.*, g5.*',
    );
  });

  it("rejects unknown fields, so a typo is not silently ignored", () => {
    const raw = devConfig() as { aws: { cluster: Record<string, unknown> } };
    raw.aws.cluster.nodegroups = [];
    expect(problems(raw)).toContain(
      'aws.cluster: unknown field "nodegroups" (did you mean "nodeGroups"?); check the spelling',
    );
  });

  it("needs at least one site", () => {
    expect(problems({})).toBe('stack config "dev": configures no site: add `aws`, `azure` and/or `onprem`');
  });
});

function stagingConfig(): Record<string, any> {
  return referenceStackConfig("staging");
}
function stagingProblems(raw: Record<string, unknown>): string {
  try {
    parsePlatformConfig("staging", raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message;
  }
  throw new Error("expected a ConfigError");
}

describe("the stack config schema across three sites", () => {
  it("accepts the staging stack", () => {
    const config = parsePlatformConfig("staging", stagingConfig());
    expect([config.aws?.cluster.name, config.azure?.cluster.name, config.onprem?.name]).toEqual([
      "eks",
      "aks",
      "dc1",
    ]);
  });

  it("names both ranges when the Azure address space overlaps another site", () => {
    const raw = stagingConfig();
    raw.azure.network.addressSpace = "10.21.128.0/17";
    expect(stagingProblems(raw)).toBe(
      'stack config "staging": azure.network.addressSpace: "10.21.128.0/17" overlaps aws.network "10.21.0.0/16"; networks joined by VPN must not overlap',
    );
  });

  it("counts AKS's default overlay ranges among the networks", () => {
    const raw = stagingConfig();
    raw.onprem.networkCidr = "10.244.0.0/16";
    expect(stagingProblems(raw)).toContain(
      'onprem.networkCidr: "10.244.0.0/16" overlaps azure.cluster.podCidr "10.244.0.0/16" (AKS\'s default pod range, which the file does not set; set azure.cluster.podCidr to move it)',
    );
  });

  it("needs an admin group and a GPU size from the facts table", () => {
    const raw = stagingConfig();
    raw.azure.cluster.adminGroupObjectIds = [];
    raw.azure.cluster.nodePools[1].vmSize = "Standard_NC6";
    const message = stagingProblems(raw);
    expect(message).toContain(
      "azure.cluster.adminGroupObjectIds: [] is too small: needs at least one Entra ID group",
    );
    expect(message).toContain('azure.cluster.nodePools[1].vmSize: "Standard_NC6"');
  });

  it("gives every dataset one home, Azure storage included", () => {
    const raw = stagingConfig();
    raw.onprem.datasets = ["patient-records", "clinical-notes"];
    expect(stagingProblems(raw)).toBe(
      'stack config "staging": onprem.datasets[1]: dataset "clinical-notes" is already hosted by azure.storage[0]; give it one home',
    );
  });

  it("rejects a MIG profile on a GPU without MIG", () => {
    const raw = stagingConfig();
    raw.azure.cluster.nodePools[2].migProfile = "MIG1g";
    expect(stagingProblems(raw)).toContain(
      'azure.cluster.nodePools[2].migProfile: "MIG1g" needs a GPU that supports MIG',
    );
  });
});

describe("the stack config against the facts tables", () => {
  it.each([
    {
      what: "a misspelt AWS region",
      change: (raw: Record<string, any>) => {
        raw.aws.region = "eu-wset-1";
      },
      says: 'aws.region: "eu-wset-1" is not an AWS region (as of 2026-11). Did you mean eu-west-1? If it is newer than that table, list it in allowUnlisted.awsRegions',
    },
    {
      what: "a misspelt Azure location",
      change: (raw: Record<string, any>) => {
        raw.azure.location = "westeurpoe";
      },
      says: 'azure.location: "westeurpoe" is not an Azure location (as of 2026-11). Did you mean westeurope?',
    },
    {
      what: "zones of another region",
      change: (raw: Record<string, any>) => {
        raw.aws.network.availabilityZones = ["eu-central-1a", "eu-west-1b"];
      },
      says: 'aws.network.availabilityZones[0]: "eu-central-1a" is a zone of eu-central-1, not of eu-west-1',
    },
    {
      what: "a Kubernetes version no one runs",
      change: (raw: Record<string, any>) => {
        raw.azure.cluster.kubernetesVersion = "1.99";
      },
      says: 'azure.cluster.kubernetesVersion: "1.99" is not a Kubernetes version AKS supports (as of 2026-11: 1.32, 1.33, 1.34, 1.35, 1.36). If it is newer than that table, list it in allowUnlisted.kubernetesVersions',
    },
  ])("refuses $what, with the closest known value", ({ change, says }) => {
    const raw = stagingConfig();
    change(raw);
    expect(stagingProblems(raw)).toContain(says);
  });

  it("allows a value newer than the tables only when allowUnlisted names it", () => {
    const raw = stagingConfig();
    raw.azure.location = "denmarkeast";
    expect(stagingProblems(raw)).toContain('azure.location: "denmarkeast" is not an Azure location');
    raw.allowUnlisted = { azureLocations: ["denmarkeast"] };
    expect(parsePlatformConfig("staging", raw).azure?.location).toBe("denmarkeast");
  });
});

describe("the Azure Network Watcher in the stack config", () => {
  it("passes the watcher choice on to the VNet (spread into AzureVnet) and refuses bad values by path", () => {
    const raw = stagingConfig();
    raw.azure.network.createNetworkWatcher = true;
    expect(parsePlatformConfig("staging", raw).azure?.network).toMatchObject({ createNetworkWatcher: true });
    raw.azure.network.createNetworkWatcher = "yes";
    expect(stagingProblems(raw)).toContain("azure.network.createNetworkWatcher");
    delete raw.azure.network.createNetworkWatcher;
    raw.azure.network.networkWatcherName = "w".repeat(81);
    expect(stagingProblems(raw)).toContain("azure.network.networkWatcherName");
  });
});

describe("side effects that need their own word", () => {
  it("refuses apiServerSubnet: false unless the public KMS vault it implies is accepted", () => {
    const raw = stagingConfig();
    raw.azure.network.apiServerSubnet = false;
    expect(stagingProblems(raw)).toContain(
      "azure.network.apiServerSubnet: is false, which leaves the etcd KMS Key Vault reachable from public networks",
    );
    raw.azure.cluster.kmsKeyVaultAccess = "Private";
    expect(stagingProblems(raw)).toContain(
      'azure.cluster.kmsKeyVaultAccess: "Private" needs the API server subnet',
    );
    raw.azure.cluster.kmsKeyVaultAccess = "Public";
    expect(parsePlatformConfig("staging", raw).azure?.cluster.kmsKeyVaultAccess).toBe("Public");
  });
});

describe("names unique per kind", () => {
  it("refuses a repeated node group or pool name, and the reserved system pool name", () => {
    const raw = stagingConfig();
    raw.aws.cluster.nodeGroups.push({ ...raw.aws.cluster.nodeGroups[0] });
    raw.azure.cluster.nodePools.push({ ...raw.azure.cluster.nodePools[1], name: "system" });
    raw.azure.cluster.nodePools.push({ ...raw.azure.cluster.nodePools[0] });
    const said = stagingProblems(raw);
    expect(said).toContain(
      `aws.cluster.nodeGroups[${raw.aws.cluster.nodeGroups.length - 1}].name: "general" repeats aws.cluster.nodeGroups[0].name`,
    );
    expect(said).toContain(
      `azure.cluster.nodePools[${raw.azure.cluster.nodePools.length - 1}].name: "general" repeats azure.cluster.nodePools[0].name`,
    );
    expect(said).toContain(
      `azure.cluster.nodePools[${raw.azure.cluster.nodePools.length - 2}].name: "system" is the cluster's own system pool`,
    );
  });
});

describe("the components' own rules, before anything is declared", () => {
  it("reports what only a component would refuse, by config path, with every other problem", () => {
    const raw = stagingConfig();
    raw.aws.buckets[0].name = "x";
    const said = stagingProblems(raw);
    expect(said).toContain(
      'aws.buckets[0].name: "x" cannot be used: the stack derives the component\'s bucketPrefix from it, and the component name "x" is no bucket prefix',
    );
    // Azure's rules run on the file's own fields, with the other checks across fields.
    const azure = stagingConfig();
    azure.azure.storage[0].name = "ml";
    expect(stagingProblems(azure)).toContain(
      'azure.storage[0].name: "ml" makes no storage account name prefix',
    );
    expect(said).not.toContain("set bucketPrefix");
    expect(said).not.toContain("AwsEncryptedBucket");
  });
});

describe("example values", () => {
  it("finds none in a config with real values, and names a private router address", () => {
    const raw = devConfig() as Record<string, any>;
    raw.aws.cluster.admins = ["arn:aws:iam::210987654321:role/platform-admin"];
    raw.aws.cluster.accessEntries[0].principalArn = "arn:aws:iam::210987654321:role/ml-engineers";
    raw.onprem.router.publicIp = "81.2.69.160";
    raw.onprem.dns.domain = "corp.acme-health.eu";
    raw.monitoring.onprem = {
      remoteWriteUrl: "https://metrics.corp.acme-health.eu/api/v1/write",
      alertmanagerUrl: "https://alertmanager.corp.acme-health.eu",
    };
    const config = parsePlatformConfig("dev", raw);
    expect(
      placeholderIssues(config, "clusters: [{ name: dc1, cluster: { server: https://10.10.0.10:6443 } }]"),
    ).toEqual([]);
    const privateRouter = parsePlatformConfig("dev", {
      ...raw,
      onprem: { ...raw.onprem, router: { publicIp: "10.10.0.1", asn: 65010 } },
    });
    expect(placeholderIssues(privateRouter)).toEqual([
      {
        path: "onprem.router.publicIp",
        message:
          "\"10.10.0.1\" is in a private range (RFC 1918): the clouds' gateways connect to the router's public address; give it",
      },
    ]);
  });
});

describe("monitoring's config", () => {
  it("refuses bad thresholds and store URLs, each by its path", () => {
    const raw = devConfig();
    raw.monitoring = {
      thresholds: {
        poolFullPendingFor: "15",
        gpuIdleBelowPercent: 0,
        queueWaitTargets: { "GPU Queue": "30m" },
      },
      onprem: {
        remoteWriteUrl: "http://metrics.corp.acme.eu/api/v1/write",
        alertmanagerUrl: "https://ops:secret@am.acme.eu",
      },
      runbookUrl: "ftp://docs",
    };
    expect(problems(raw)).toBe(
      [
        'stack config "dev": 6 problems',
        '  - monitoring.thresholds.poolFullPendingFor: "15" is not a duration such as 15m, 4h or 1h30m (units w, d, h, m, s, largest first)',
        "  - monitoring.thresholds.gpuIdleBelowPercent: 0 is too small: the idle threshold is a utilisation above 0%",
        '  - monitoring.thresholds.queueWaitTargets["GPU Queue"]: "GPU Queue" is not a ClusterQueue name',
        '  - monitoring.runbookUrl: "ftp://docs" is not a URL such as https://git.example.com/platform/docs/monitoring.md',
        '  - monitoring.onprem.remoteWriteUrl: "http://metrics.corp.acme.eu/api/v1/write" is not a URL such as https://metrics.corp.example/api/v1/write',
        '  - monitoring.onprem.alertmanagerUrl: "https://***@am.acme.eu" holds credentials; give a token through onpremMetricsToken instead',
      ].join("\n"),
    );
  });

  it("needs the on-premises store unless monitoring is off, and refuses one without an on-premises site", () => {
    const raw = devConfig();
    raw.monitoring = {};
    expect(problems(raw)).toBe(
      'stack config "dev": monitoring.onprem.remoteWriteUrl: is not set, and onprem "dc1" needs a Prometheus-compatible store for its metrics; give its remote-write URL (https), or set monitoring.enabled: false',
    );
    raw.monitoring = { enabled: false };
    expect(parsePlatformConfig("dev", raw).monitoring?.enabled).toBe(false);
    const { onprem: _onprem, vpn: _vpn, deploy: _deploy, ...cloudOnly } = devConfig();
    expect(problems(cloudOnly)).toMatch(
      /monitoring\.onprem: names a store for an on-premises site, and the config has no onprem/,
    );
  });
});
