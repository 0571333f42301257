// The step between the phases: the on-premises files written from the platform stack's outputs.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { onPremFiles, onPremFilesCli, writeOnPremFiles } from "../../scripts/onprem-files";

const OUTPUTS = {
  vpn: {
    onpremRouter: {
      swanctlConf: "connections {\n}\n",
      bgpdConf: "router bgp 65010\n",
      interfacesScript: "#!/bin/sh\nip link add xfrm-1 type xfrm if_id 1\n",
    },
  },
  dns: { onpremUnbound: "forward-zone:\n  name: eu-west-1.eks.amazonaws.com\n" },
};

function io() {
  const out = { stdout: "", stderr: "" };
  return { out, io: { out: (t: string) => (out.stdout += t), err: (t: string) => (out.stderr += t) } };
}

describe("npm run onprem-files", () => {
  it("writes the router's and resolver's files where they go, secrets readable by root alone", () => {
    const dir = mkdtempSync(join(tmpdir(), "onprem-"));
    const files = onPremFiles("prod", OUTPUTS);
    const steps = writeOnPremFiles(dir, files);
    const mode = (path: string) => statSync(join(dir, path)).mode & 0o777;
    expect(files.map((f) => [f.path, f.mode])).toEqual([
      ["usr/local/sbin/hybrid-ai-infra-prod-interfaces.sh", 0o700],
      ["etc/swanctl/conf.d/hybrid-ai-infra-prod.conf", 0o600],
      ["etc/frr/hybrid-ai-infra-prod.bgpd.conf", 0o600],
      ["etc/unbound/unbound.conf.d/hybrid-ai-infra-prod.conf", 0o644],
    ]);
    for (const f of files) {
      expect(mode(f.path), f.path).toBe(f.mode);
      expect(readFileSync(join(dir, f.path), "utf8")).toBe(f.content);
    }
    expect(steps).toEqual([
      expect.stringContaining("/usr/local/sbin/hybrid-ai-infra-prod-interfaces.sh"),
      "swanctl --load-all",
      expect.stringContaining("vtysh -f /etc/frr/hybrid-ai-infra-prod.bgpd.conf"),
      "unbound-checkconf && unbound-control reload",
    ]);
  });

  it("refuses outputs read without --show-secrets, naming each masked one", () => {
    const masked = {
      ...OUTPUTS,
      vpn: { onpremRouter: { ...OUTPUTS.vpn.onpremRouter, swanctlConf: "[secret]" } },
    };
    expect(() => onPremFiles("prod", masked)).toThrow(
      'platform stack "prod" outputs: vpn.onpremRouter.swanctlConf: is masked; read the outputs with pulumi stack output --json --show-secrets',
    );
  });

  it("says what is missing when the stack has no on-premises side, or has not run", () => {
    expect(() => onPremFiles("dev", {})).toThrow(
      "vpn.onpremRouter: is not an output: the stack has no VPN link to on-premises, or the platform phase has not run",
    );
  });

  it("reads the outputs from a file and prints what to run; a missing file exits 1 with its reason", () => {
    const dir = mkdtempSync(join(tmpdir(), "onprem-"));
    const file = join(dir, "outputs.json");
    writeFileSync(file, JSON.stringify(OUTPUTS));
    const ok = io();
    expect(onPremFilesCli(["--stack", "prod", "--dir", join(dir, "out"), "--outputs", file], ok.io)).toBe(0);
    expect(ok.out.stdout).toContain("wrote 4 files under");
    expect(ok.out.stdout).toContain("  swanctl --load-all");
    const bad = io();
    expect(
      onPremFilesCli(["--stack", "prod", "--dir", dir, "--outputs", join(dir, "nope.json")], bad.io),
    ).toBe(1);
    expect(bad.out.stderr).toContain("no such file");
    const usage = io();
    expect(onPremFilesCli(["--dir", dir], usage.io)).toBe(2);
    expect(usage.out.stderr).toContain("--stack and --dir are required");
  });
});
