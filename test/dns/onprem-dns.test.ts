import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLOUD_PRIVATE_ZONES, cloudPrivateZones, renderUnboundForwarding } from "../../components/onprem/dns";
import { configErrorOf } from "../helpers/components";

const AWS_INBOUND = ["10.20.0.53", "10.20.1.53"];
const AZURE_INBOUND = ["10.30.5.4"];

/** The dc1 resolver's forwarding, as a stack renders it from both clouds' zones and inbound endpoints. */
function dc1Snippet(): string {
  const zones = cloudPrivateZones({ awsRegion: "eu-west-1", azureLocation: "westeurope" });
  return renderUnboundForwarding({
    zones: [
      ...zones.aws.map((domain) => ({ domain, servers: AWS_INBOUND })),
      ...zones.azure.map((domain) => ({ domain, servers: AZURE_INBOUND })),
    ],
  });
}

describe("cloudPrivateZones", () => {
  it("lists the public zones whose private answers only each cloud's resolver knows", () => {
    expect(cloudPrivateZones({ awsRegion: "eu-west-1", azureLocation: "westeurope" })).toEqual({
      aws: ["eu-west-1.eks.amazonaws.com", "aps-workspaces.eu-west-1.amazonaws.com"],
      azure: ["blob.core.windows.net", "westeurope.azmk8s.io", "westeurope.prometheus.monitor.azure.com"],
    });
  });

  it("lists nothing for a cloud whose region is not given", () => {
    expect(cloudPrivateZones({ azureLocation: "northeurope" })).toEqual({
      aws: [],
      azure: ["blob.core.windows.net", "northeurope.azmk8s.io", "northeurope.prometheus.monitor.azure.com"],
    });
    expect(cloudPrivateZones({})).toEqual({ aws: [], azure: [] });
  });

  it("keeps its facts in one table, public names only (the privatelink zones are reached by CNAME)", () => {
    expect(CLOUD_PRIVATE_ZONES.map((z) => z.zone)).toEqual([
      "{region}.eks.amazonaws.com",
      "blob.core.windows.net",
      "{region}.azmk8s.io",
      "aps-workspaces.{region}.amazonaws.com",
      "{region}.prometheus.monitor.azure.com",
    ]);
    for (const z of CLOUD_PRIVATE_ZONES) expect(z.zone).not.toContain("privatelink");
  });

  it("refuses region names that would make a wrong zone, naming each", () => {
    expect(
      configErrorOf(() => cloudPrivateZones({ awsRegion: "EU-West-1", azureLocation: "West Europe" }))
        .message,
    ).toBe(
      [
        "cloudPrivateZones: 2 problems",
        '  - awsRegion: "EU-West-1" is not an AWS region such as eu-west-1',
        '  - azureLocation: "West Europe" is not an Azure location such as westeurope',
      ].join("\n"),
    );
  });
});

describe("renderUnboundForwarding", () => {
  it("forwards each zone, dot-terminated, only to its servers (forward-first: no), and allows its private answers", () => {
    expect(dc1Snippet()).toBe(
      [
        "# Rendered by hybrid-ai-infra: the clouds' private zones, forwarded to their resolvers.",
        "server:",
        '    private-domain: "eu-west-1.eks.amazonaws.com."',
        '    private-domain: "aps-workspaces.eu-west-1.amazonaws.com."',
        '    private-domain: "blob.core.windows.net."',
        '    private-domain: "westeurope.azmk8s.io."',
        '    private-domain: "westeurope.prometheus.monitor.azure.com."',
        "",
        "forward-zone:",
        '    name: "eu-west-1.eks.amazonaws.com."',
        "    forward-addr: 10.20.0.53",
        "    forward-addr: 10.20.1.53",
        "    forward-first: no",
        "",
        "forward-zone:",
        '    name: "aps-workspaces.eu-west-1.amazonaws.com."',
        "    forward-addr: 10.20.0.53",
        "    forward-addr: 10.20.1.53",
        "    forward-first: no",
        "",
        "forward-zone:",
        '    name: "blob.core.windows.net."',
        "    forward-addr: 10.30.5.4",
        "    forward-first: no",
        "",
        "forward-zone:",
        '    name: "westeurope.azmk8s.io."',
        "    forward-addr: 10.30.5.4",
        "    forward-first: no",
        "",
        "forward-zone:",
        '    name: "westeurope.prometheus.monitor.azure.com."',
        "    forward-addr: 10.30.5.4",
        "    forward-first: no",
        "",
      ].join("\n"),
    );
  });

  it("takes a domain with or without its trailing dot, in any case", () => {
    const snippet = renderUnboundForwarding({
      zones: [{ domain: "Corp.Example.", servers: ["10.10.0.53"] }],
    });
    expect(snippet).toContain('    name: "corp.example."');
  });

  it("refuses a name that is not a DNS name, a server that is not IPv4, no servers and a repeated zone, all at once", () => {
    const message = configErrorOf(() =>
      renderUnboundForwarding({
        zones: [
          { domain: "corp example", servers: ["10.10.0.53"] },
          { domain: "blob.core.windows.net", servers: ["fd00::53", "10.30.5.4"] },
          { domain: "westeurope.azmk8s.io", servers: [] },
          { domain: "BLOB.core.windows.net.", servers: ["10.30.5.4"] },
        ],
      }),
    ).message;
    expect(message).toBe(
      [
        "renderUnboundForwarding: 4 problems",
        '  - zones[0].domain: "corp example" is not a DNS name such as corp.example (two labels or more, of letters, digits and dashes)',
        '  - zones[1].servers[0]: "fd00::53" is not an IPv4 address such as 10.10.0.53',
        "  - zones[2].servers: [] is too small: give at least one resolver to forward to",
        '  - zones[3].domain: "blob.core.windows.net" repeats zones[1].domain; unbound takes one forward-zone per name',
      ].join("\n"),
    );
  });
});

// unbound-checkconf parses the snippet as unbound itself would. Debian puts it in /usr/sbin.
function findCheckconf(): string | undefined {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/usr/local/sbin"];
  return dirs.map((d) => join(d, "unbound-checkconf")).find((path) => existsSync(path));
}

// CI runs as root on Linux, where the binary must be there; elsewhere it is skipped.
const canInstall = process.platform === "linux" && process.getuid?.() === 0;

describe.skipIf(!canInstall)("the snippet under unbound-checkconf", () => {
  it("is accepted by unbound-checkconf when included from a minimal unbound.conf", () => {
    const checkconf = findCheckconf();
    if (!checkconf) {
      throw new Error(
        "unbound-checkconf is missing: install it with `apt-get install -y unbound` (see .ci/run)",
      );
    }
    const dir = mkdtempSync(join(tmpdir(), "unbound-"));
    try {
      writeFileSync(join(dir, "cloud-zones.conf"), dc1Snippet());
      // Chroot, user switch and pidfile off: the check runs unprivileged paths in a temp directory.
      writeFileSync(
        join(dir, "unbound.conf"),
        [
          "server:",
          '    chroot: ""',
          '    username: ""',
          `    directory: "${dir}"`,
          '    pidfile: ""',
          "    private-address: 10.0.0.0/8",
          `include: "${join(dir, "cloud-zones.conf")}"`,
          "",
        ].join("\n"),
      );
      const out = execFileSync(checkconf, [join(dir, "unbound.conf")], { encoding: "utf8" });
      expect(out).toContain("no errors");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
