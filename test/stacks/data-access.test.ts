import { describe, expect, it } from "vitest";
import type { WorkloadSpec } from "../../components/kubernetes";
import { parsePlatformConfig, type Sites, sitesOf } from "../../stacks/config";
import { onPremStoragePath, unhostedDatasetIssues } from "../../stacks/joins";
import { referenceStackConfig } from "../helpers/stack-config";

function stackConfig(stack: string): Sites {
  return sitesOf(parsePlatformConfig(stack, referenceStackConfig(stack)));
}

const reader = (
  name: string,
  classification: WorkloadSpec["classification"],
  datasets: string[],
): WorkloadSpec =>
  ({
    name,
    kind: "batch",
    owner: "team",
    image: "registry.example.com/x:1",
    replicas: 1,
    cpu: 1,
    memoryGiB: 1,
    classification,
    datasets: datasets.map((d) => ({ name: d, readGiBPerHour: 1 })),
  }) as WorkloadSpec;

describe("data access", () => {
  it("knows each dataset's home site", () => {
    const homes = stackConfig("staging").datasetHomes();
    expect(Object.fromEntries([...homes].map(([d, site]) => [d, site.kind]))).toEqual({
      "web-crawl": "aws",
      "product-catalog": "aws",
      "clinical-notes": "azure",
      "patient-records": "onprem",
      "imaging-archive": "onprem",
    });
  });

  it("lets a cloud read on-premises datasets only over a VPN link, and no site read another cloud's", () => {
    const dev = stackConfig("dev"); // one link: aws and onprem
    expect(dev.remoteDatasets("aws")).toEqual(["patient-records"]);
    expect(dev.remoteDatasets("onprem")).toEqual([]);
    const staging = stackConfig("staging"); // each cloud to onprem, no aws-azure link
    expect(staging.remoteDatasets("azure")).toEqual(["imaging-archive", "patient-records"]);
    expect(staging.remoteDatasets("onprem")).toEqual([]);
    const unlinked = sitesOf({ ...staging.config, vpn: { links: [] } });
    for (const site of ["aws", "azure", "onprem"] as const) expect(unlinked.remoteDatasets(site)).toEqual([]);
    const prod = stackConfig("prod"); // full mesh
    expect(prod.remoteDatasets("azure")).toEqual(["imaging-archive", "patient-records"]);
    expect(prod.remoteDatasets("onprem")).toEqual([]);
  });

  it("gives readers of on-premises datasets egress to the storage config names, on 443 by default", () => {
    const dev = stackConfig("dev");
    expect(onPremStoragePath(dev, reader("train", "restricted", ["patient-records"]))).toEqual({
      toCidrs: ["10.10.40.0/24"],
      ports: [443],
    });
    expect(onPremStoragePath(dev, reader("embed", "public", ["product-catalog"]))).toBeUndefined();
  });

  it("refuses any workload reading a dataset no site hosts, with the nearest hosted name for a typo", () => {
    const dev = stackConfig("dev");
    const catalog = [
      reader("a", "restricted", ["mystery"]),
      reader("b", "public", ["web-crawel", "web-crawl"]),
    ];
    const hosted = "; hosted now: patient-records, product-catalog, web-crawl";
    const add =
      "Add it to a site's datasets (aws.buckets[].datasets, azure.storage[].datasets or onprem.datasets)";
    expect(unhostedDatasetIssues(dev, catalog)).toEqual([
      { path: "workloads[0].datasets[0].name", message: `"mystery" is hosted by no site ${add}${hosted}` },
      {
        path: "workloads[1].datasets[0].name",
        message: `"web-crawel" is hosted by no site; did you mean "web-crawl"? ${add}${hosted}`,
      },
    ]);
  });
});
