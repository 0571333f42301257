import { beforeAll, describe, expect, it } from "vitest";
import { AzureVnet, type AzureVnetArgs } from "../../components/azure";
import { ofType, one, startMocks } from "../helpers/mocks";
import { RG, T } from "./support";

// Issue 19.15: flow logs need the region's Network Watcher, which Azure creates only while the
// subscription has not opted out of automatic creation.
const BASE: AzureVnetArgs = { resourceGroupName: RG, location: "westeurope" };
const WATCHER = "azure-native:network:NetworkWatcher";

// A check that fails at deploy time fails the resource's registration, as `pulumi up` shows it.
const failures: unknown[] = [];
beforeAll(() => {
  process.on("unhandledRejection", (e) => failures.push(e));
});

describe("AzureVnet and the region's Network Watcher", () => {
  it("uses the watcher Azure created, after checking that it exists", async () => {
    const recorder = await startMocks();
    recorder.clear();
    new AzureVnet("net", BASE);
    await recorder.settle();
    expect(ofType(recorder.resources, WATCHER)).toEqual([]);
    expect(one(recorder.resources, T.flowLog, "net-flow-logs").inputs).toMatchObject({
      resourceGroupName: "NetworkWatcherRG",
      networkWatcherName: "NetworkWatcher_westeurope",
    });
  });

  it("stops with what to set when the subscription has no watcher there", async () => {
    const recorder = await startMocks({
      cloud: { missingNetworkWatchers: ["NetworkWatcherRG/NetworkWatcher_westeurope"] },
    });
    recorder.clear();
    failures.length = 0;
    new AzureVnet("optout", BASE);
    await recorder.settle();
    expect(String(failures[0])).toMatch(
      /no Network Watcher NetworkWatcherRG\/NetworkWatcher_westeurope .*set createNetworkWatcher: true/,
    );
  });

  it("creates the watcher when asked, and the flow log goes through it", async () => {
    const recorder = await startMocks({
      cloud: { missingNetworkWatchers: ["rg-network/NetworkWatcher_westeurope"] },
    });
    recorder.clear();
    new AzureVnet("own", {
      ...BASE,
      createNetworkWatcher: true,
      networkWatcherResourceGroupName: "rg-network",
    });
    await recorder.settle();
    const watcher = one(recorder.resources, WATCHER, "own-network-watcher");
    expect(watcher.inputs).toMatchObject({
      resourceGroupName: "rg-network",
      networkWatcherName: "NetworkWatcher_westeurope",
      location: "westeurope",
    });
    const flowLog = one(recorder.resources, T.flowLog, "own-flow-logs");
    expect(flowLog.inputs).toMatchObject({
      resourceGroupName: "rg-network",
      networkWatcherName: "NetworkWatcher_westeurope",
    });
    // Created, not looked up: the lookup would have failed for this subscription.
    expect(failures.map(String).filter((f) => f.includes('"own"'))).toEqual([]);
  });
});
