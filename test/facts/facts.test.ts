import { describe, expect, it } from "vitest";
import {
  AWS_CPU_FAMILIES,
  AWS_CPU_INSTANCES,
  AWS_EFA_INTERFACES,
  AWS_GPU_FAMILIES,
  AWS_GPU_INSTANCES,
  AZURE_CPU_SIZES,
  AZURE_GPU_SIZES,
  awsGpuInstance,
  expandFamilies,
  GPU_TAINT,
  LABEL_CAPACITY,
  LABEL_GPU_MODEL,
  LABEL_POOL,
  LABEL_TRUST,
  poolLabels,
  SPOT_PRICE_FACTOR,
  SYSTEM_TAINT,
} from "../../components/facts";

/** GPU models placement matches, as documented on `GpuFacts.gpuModel`. */
const KNOWN_MODELS = ["T4", "T4G", "A10G", "A10", "L4", "L40S", "A100", "H100", "H200"];
const gpuRows = [...AWS_GPU_INSTANCES.values()];
const cpuRows = [...AWS_CPU_INSTANCES.values()];

describe("AWS GPU facts", () => {
  it("lists every family the components promise", () => {
    expect([...AWS_GPU_FAMILIES].sort()).toEqual(
      ["g4dn", "g5", "g5g", "g6", "g6e", "gr6", "p4d", "p4de", "p5", "p5e", "p5en"].sort(),
    );
    for (const family of AWS_GPU_FAMILIES) {
      expect(gpuRows.filter((r) => r.family === family).length).toBeGreaterThan(0);
    }
  });

  it.each(gpuRows.map((r) => [r.type, r] as const))("%s is a consistent row", (type, row) => {
    expect(AWS_GPU_INSTANCES.get(type)).toBe(row);
    expect(row.type).toBe(type);
    expect(type.startsWith(`${row.family}.`)).toBe(true);
    expect(AWS_GPU_FAMILIES).toContain(row.family);
    expect(KNOWN_MODELS).toContain(row.gpuModel);
    expect(Number.isInteger(row.gpus) && row.gpus > 0).toBe(true);
    expect(row.gpuMemoryGiB).toBeGreaterThan(0);
    expect(Number.isInteger(row.vcpu) && row.vcpu > 0).toBe(true);
    expect(row.memoryGiB).toBeGreaterThan(0);
    expect(row.usdPerHour).toBeGreaterThan(0);
    // A node has more memory than the cpus it schedules, and at least as many vCPUs as GPUs.
    expect(row.memoryGiB).toBeGreaterThanOrEqual(row.vcpu);
    expect(row.vcpu).toBeGreaterThanOrEqual(row.gpus);
    expect(row.arch).toBe(row.family === "g5g" ? "arm64" : "x86_64");
    expect(AWS_CPU_INSTANCES.has(type)).toBe(false);
  });

  it("keeps one GPU model, GPU memory and architecture per family", () => {
    for (const family of AWS_GPU_FAMILIES) {
      const rows = gpuRows.filter((r) => r.family === family);
      expect(new Set(rows.map((r) => `${r.gpuModel}/${r.gpuMemoryGiB}/${r.arch}`)).size).toBe(1);
    }
  });

  it("knows the well-known shapes", () => {
    expect(awsGpuInstance("g5.2xlarge")).toMatchObject({
      gpuModel: "A10G",
      gpus: 1,
      gpuMemoryGiB: 24,
      vcpu: 8,
      memoryGiB: 32,
    });
    expect(awsGpuInstance("p4d.24xlarge")).toMatchObject({
      gpuModel: "A100",
      gpus: 8,
      gpuMemoryGiB: 40,
      fabric: true,
    });
    expect(awsGpuInstance("p4de.24xlarge")).toMatchObject({ gpuModel: "A100", gpuMemoryGiB: 80 });
    expect(awsGpuInstance("p5.48xlarge")).toMatchObject({
      gpuModel: "H100",
      gpus: 8,
      vcpu: 192,
      memoryGiB: 2048,
    });
    expect(awsGpuInstance("p5en.48xlarge")).toMatchObject({ gpuModel: "H200", gpuMemoryGiB: 141 });
    expect(awsGpuInstance("g5g.xlarge")).toMatchObject({ gpuModel: "T4G", arch: "arm64", fabric: false });
    expect(awsGpuInstance("g6e.xlarge")).toMatchObject({ gpuModel: "L40S", gpuMemoryGiB: 48 });
    expect(awsGpuInstance("g4dn.xlarge")).toMatchObject({ gpuModel: "T4", fabric: false });
    expect(awsGpuInstance("m5.large")).toBeUndefined();
  });

  it("offers EFA only on the larger sizes, and lists interfaces only for EFA types", () => {
    for (const row of gpuRows) {
      if (/\.(x|2x|4x)large$/.test(row.type) && row.family.startsWith("g")) expect(row.fabric).toBe(false);
      if (/\.(24|48)xlarge$/.test(row.type)) expect(row.fabric).toBe(true);
    }
    for (const [type, interfaces] of AWS_EFA_INTERFACES) {
      expect(AWS_GPU_INSTANCES.get(type)?.fabric).toBe(true);
      expect(Number.isInteger(interfaces) && interfaces >= 1 && interfaces <= 32).toBe(true);
    }
    expect(AWS_EFA_INTERFACES.get("p5.48xlarge")).toBe(32);
    expect(AWS_EFA_INTERFACES.get("p4d.24xlarge")).toBe(4);
  });

  it("prices a bigger size of a family higher when it has at least as many GPUs", () => {
    for (const a of gpuRows) {
      for (const b of gpuRows) {
        if (a.family === b.family && a.gpus <= b.gpus && a.vcpu < b.vcpu) {
          expect({ a: a.type, b: b.type, cheaper: a.usdPerHour < b.usdPerHour }).toEqual({
            a: a.type,
            b: b.type,
            cheaper: true,
          });
        }
      }
    }
    expect(SPOT_PRICE_FACTOR).toBeGreaterThan(0);
    expect(SPOT_PRICE_FACTOR).toBeLessThan(1);
  });
});

describe("AWS CPU facts", () => {
  it.each(cpuRows.map((r) => [r.type, r] as const))("%s is a consistent row", (type, row) => {
    expect(type.startsWith(`${row.family}.`)).toBe(true);
    expect(AWS_CPU_FAMILIES).toContain(row.family);
    expect(row.vcpu).toBeGreaterThan(0);
    expect(row.memoryGiB).toBeGreaterThan(0);
    expect(row.usdPerHour).toBeGreaterThan(0);
    expect(row.arch).toBe(row.family.endsWith("g") ? "arm64" : "x86_64");
    expect(AWS_GPU_INSTANCES.has(type)).toBe(false);
  });

  it("doubles cpu, memory and price with each size step", () => {
    for (const family of AWS_CPU_FAMILIES) {
      const rows = cpuRows.filter((r) => r.family === family).sort((a, b) => a.vcpu - b.vcpu);
      expect(rows.length).toBeGreaterThan(1);
      rows.slice(1).forEach((row, i) => {
        const prev = rows[i];
        expect(row.vcpu).toBe((prev?.vcpu ?? 0) * 2);
        expect(row.memoryGiB).toBe((prev?.memoryGiB ?? 0) * 2);
        expect(row.usdPerHour).toBeCloseTo((prev?.usdPerHour ?? 0) * 2, 3);
      });
    }
    expect(AWS_CPU_INSTANCES.get("m7i.large")).toMatchObject({ vcpu: 2, memoryGiB: 8, arch: "x86_64" });
  });
});

describe("labels and taints", () => {
  it("label a pool with its name, trust, capacity and GPU model", () => {
    expect(poolLabels({ pool: "gpu", trust: "public", spot: true, gpuModel: "H100" })).toEqual({
      [LABEL_POOL]: "gpu",
      [LABEL_TRUST]: "public",
      [LABEL_CAPACITY]: "spot",
      [LABEL_GPU_MODEL]: "H100",
    });
    expect(poolLabels({ pool: "svc", trust: "private", spot: false })).toEqual({
      "hybrid-ai-infra.io/pool": "svc",
      "hybrid-ai-infra.io/trust": "private",
      "hybrid-ai-infra.io/capacity": "on-demand",
    });
  });

  it("use the NVIDIA taint GPU operators already tolerate, and the add-on-only system taint", () => {
    expect(GPU_TAINT).toEqual({ key: "nvidia.com/gpu", value: "true", effect: "NoSchedule" });
    expect(SYSTEM_TAINT).toEqual({ key: "CriticalAddonsOnly", value: "true", effect: "NoSchedule" });
  });
});

describe("expandFamilies", () => {
  it("expands families of rows into one map by shape name", () => {
    const table = expandFamilies(
      [{ family: "x1", rows: [["large", 2] as const, ["xlarge", 4] as const] }],
      (f, [size, vcpu]) => ({ type: `${f.family}.${size}`, family: f.family, vcpu }),
    );
    expect([...table.entries()]).toEqual([
      ["x1.large", { type: "x1.large", family: "x1", vcpu: 2 }],
      ["x1.xlarge", { type: "x1.xlarge", family: "x1", vcpu: 4 }],
    ]);
  });

  it("refuses a table that lists a shape twice", () => {
    expect(() =>
      expandFamilies(
        [
          { family: "a", rows: ["same"] },
          { family: "b", rows: ["same"] },
        ],
        (_f, type) => ({ type }),
      ),
    ).toThrowError("facts table lists same twice");
  });

  it("builds every facts table, each row under its own name", () => {
    for (const table of [AWS_GPU_INSTANCES, AWS_CPU_INSTANCES, AZURE_GPU_SIZES, AZURE_CPU_SIZES]) {
      expect(table.size).toBeGreaterThan(0);
      for (const [type, row] of table) expect(row.type).toBe(type);
    }
    expect(AZURE_GPU_SIZES.get("Standard_NC24ads_A100_v4")).toMatchObject({
      family: "NC_A100_v4",
      gpuModel: "A100",
      gpus: 1,
      arch: "x86_64",
      mig: true,
      localDiskGiB: 64,
    });
    expect(AZURE_CPU_SIZES.get("Standard_D4ds_v5")).toMatchObject({
      vcpu: 4,
      memoryGiB: 16,
      localDiskGiB: 150,
    });
  });
});
