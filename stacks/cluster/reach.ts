// Before the cluster phase declares anything, it checks that it can reach every cluster's API
// server from where it runs: the clouds' are private, so a missing VPN link, resolver snippet or
// runner would otherwise show up as a provider timeout deep in the preview. Each failure names the
// step that is missing.
import { lookup } from "node:dns/promises";
import { Socket } from "node:net";
import { parse } from "yaml";
import { ConfigError, type ConfigIssue } from "../../components/validation";

/** How the check reaches a host; the real one uses the resolver and TCP, a test passes its own. */
export interface Probe {
  /** The host's addresses; rejects when it does not resolve. */
  resolve(host: string): Promise<string[]>;
  /** Resolves when a TCP connection to host:port opens within the timeout. */
  connect(host: string, port: number, timeoutMs: number): Promise<void>;
}

/** The resolver and TCP, as the Kubernetes provider will use them. */
export const NETWORK_PROBE: Probe = {
  async resolve(host) {
    return (await lookup(host, { all: true })).map((a) => a.address);
  },
  connect(host, port, timeoutMs) {
    return new Promise((resolve, reject) => {
      const socket = new Socket();
      const done = (error?: Error) => {
        socket.destroy();
        if (error) reject(error);
        else resolve();
      };
      socket.setTimeout(timeoutMs, () => done(new Error(`no answer within ${timeoutMs / 1000} s`)));
      socket.once("error", done);
      socket.connect(port, host, () => done());
    });
  },
};

/** A cluster the phase talks to, and the API server its kubeconfig names. */
export interface ClusterEndpoint {
  cluster: string;
  /** `https://host[:port]`. */
  server: string;
}

/** Where the cluster phase is meant to run (the platform's `deploy` output), for the advice. */
export interface DeployFrom {
  stack: string;
  from?: string;
  cidrs?: string[];
}

/** The API server of a kubeconfig's current context (or its only cluster). */
export function serverOf(kubeconfig: string): string | undefined {
  const doc = parse(kubeconfig) as {
    "current-context"?: string;
    contexts?: { name: string; context?: { cluster?: string } }[];
    clusters?: { name: string; cluster?: { server?: string } }[];
  } | null;
  const current = doc?.contexts?.find((c) => c.name === doc["current-context"])?.context?.cluster;
  const cluster = doc?.clusters?.find((c) => c.name === current) ?? doc?.clusters?.[0];
  return cluster?.cluster?.server;
}

/**
 * Checks each cluster's API server resolves and answers on its port from here, all at once; throws
 * one ConfigError naming, per cluster, what does not work and the step that sets it up.
 */
export async function checkClusterReach(
  endpoints: readonly ClusterEndpoint[],
  deploy: DeployFrom,
  probe: Probe = NETWORK_PROBE,
  timeoutMs = 5000,
): Promise<void> {
  const where = deploy.from
    ? `deploy.from says the cluster phase runs from ${deploy.from}${deploy.cidrs ? ` (${deploy.cidrs.join(", ")})` : ""}`
    : "the stack's deploy section says where the cluster phase runs";
  const issues = await Promise.all(
    endpoints.map(async ({ cluster, server }): Promise<ConfigIssue | undefined> => {
      const url = new URL(server);
      const port = Number(url.port || 443);
      const host = url.hostname;
      let addresses: string[];
      try {
        addresses = await probe.resolve(host);
      } catch {
        return {
          path: cluster,
          message: `its API server ${host} does not resolve from here; ${where}: there, install the resolver snippet the platform phase renders (npm run -s onprem-files -- --stack ${deploy.stack} --dir out, then unbound-control reload), or run from a runner inside the cluster's network`,
        };
      }
      try {
        await probe.connect(host, port, timeoutMs);
        return undefined;
      } catch (e) {
        return {
          path: cluster,
          message: `its API server ${host} (${addresses.join(", ")}) does not answer on ${port} from here (${(e as Error).message}); ${where}: bring its VPN link up there (install the router files from npm run -s onprem-files -- --stack ${deploy.stack} --dir out, then swanctl --list-sas shows the tunnels), and run from a range the API admits`,
        };
      }
    }),
  );
  const found = issues.filter((i): i is ConfigIssue => i !== undefined);
  if (found.length > 0)
    throw new ConfigError(`cluster phase of "${deploy.stack}": clusters out of reach`, found);
}
