// The cluster phase's first step: every cluster's API server must resolve and answer from where it
// runs, or the phase stops before declaring anything, naming the missing step.
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../components/validation";
import { checkClusterReach, NETWORK_PROBE, type Probe, serverOf } from "../../stacks/cluster/reach";

const DEPLOY = { stack: "prod", from: "onprem", cidrs: ["10.10.5.0/24"] };

async function problems(run: () => Promise<void>): Promise<string> {
  try {
    await run();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message;
  }
  return "";
}

describe("the cluster phase's reach check", () => {
  let server: Server;
  let open: number;
  let closed: number;
  beforeAll(async () => {
    server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    open = (server.address() as { port: number }).port;
    // A port that was just free: nothing listens there.
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    closed = (other.address() as { port: number }).port;
    await new Promise((resolve) => other.close(resolve));
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it("passes when every API server resolves and accepts a connection (a real socket)", async () => {
    await expect(
      checkClusterReach([{ cluster: "dc1", server: `https://localhost:${open}` }], DEPLOY, NETWORK_PROBE),
    ).resolves.toBeUndefined();
  });

  it("names a server that resolves but does not answer, and the VPN step, for every cluster at once", async () => {
    const unresolved: Probe = {
      resolve: (host) =>
        host.endsWith(".invalid") ? Promise.reject(new Error("ENOTFOUND")) : NETWORK_PROBE.resolve(host),
      connect: NETWORK_PROBE.connect,
    };
    const message = await problems(() =>
      checkClusterReach(
        [
          { cluster: "eks", server: `https://localhost:${closed}` },
          { cluster: "aks", server: "https://aks-prod-1234.privatelink.westeurope.azmk8s.invalid:443" },
        ],
        DEPLOY,
        unresolved,
        2000,
      ),
    );
    expect(message).toContain('cluster phase of "prod": clusters out of reach: 2 problems');
    expect(message).toContain(`eks: its API server localhost (`);
    expect(message).toContain(`does not answer on ${closed} from here`);
    expect(message).toContain("bring its VPN link up there");
    expect(message).toContain(
      "aks: its API server aks-prod-1234.privatelink.westeurope.azmk8s.invalid does not resolve from here; deploy.from says the cluster phase runs from onprem (10.10.5.0/24): there, install the resolver snippet the platform phase renders (npm run -s onprem-files -- --stack prod --dir out",
    );
  });

  it("reads the API server of a kubeconfig's current context", () => {
    const kubeconfig = [
      "apiVersion: v1",
      "clusters:",
      "  - name: a",
      "    cluster: { server: https://a.example:6443 }",
      "  - name: b",
      "    cluster: { server: https://b.example }",
      "contexts:",
      "  - name: ctx",
      "    context: { cluster: b, user: u }",
      "current-context: ctx",
    ].join("\n");
    expect(serverOf(kubeconfig)).toBe("https://b.example");
    expect(serverOf("")).toBeUndefined();
  });
});
