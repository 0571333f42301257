import { describe, expect, it } from "vitest";
import { ConfigError } from "../../components/validation";
import { parsePlatformConfig } from "../../stacks/config";
import { referenceStackConfig } from "../helpers/stack-config";

interface Raw {
  aws: { buckets: { name: string; datasets: (string | Record<string, unknown>)[] }[] };
  azure: { storage: { datasets: Record<string, unknown>[] }[] };
  onprem: {
    datasets: Record<string, unknown>[];
    storage: { s3: Record<string, unknown> };
    identity?: unknown;
  };
  data: { images: Record<string, string> };
}

/** Staging's config: dc1 backs imaging-archive up to AWS, Azure backs clinical-notes up to dc1. */
function staging(): Raw {
  return referenceStackConfig("staging") as unknown as Raw;
}

/** The ConfigError's lines, or a failure when the config is accepted. */
function problems(raw: Raw): string[] {
  try {
    parsePlatformConfig("staging", raw as unknown as Record<string, unknown>);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message.split("\n");
  }
  throw new Error("expected a ConfigError");
}

const notes = (raw: Raw) => raw.azure.storage[0]?.datasets[0] as Record<string, unknown>;
const archiveAt = (raw: Raw) =>
  raw.onprem.datasets.findIndex((d) => typeof d === "object" && d.name === "imaging-archive");
const archive = (raw: Raw) => raw.onprem.datasets[archiveAt(raw)] as Record<string, unknown>;

describe("a dataset's backups and staging in config", () => {
  it("accepts the reference stack's backups both ways", () => {
    const config = parsePlatformConfig("staging", staging() as unknown as Record<string, unknown>);
    expect(config.onprem?.datasets).toBeDefined();
  });

  it("refuses restricted data backed up to a public cloud, in placement's words, at the backup's target", () => {
    const raw = staging();
    archive(raw).classification = "restricted";
    const at = `onprem.datasets[${archiveAt(raw)}].backup.to: `;
    expect(problems(raw).find((l) => l.includes(at))).toMatch(/imaging-archive.*restricted.*private/);
  });

  it("refuses confidential data backed up outside its residency", () => {
    const raw = staging();
    // clinical-notes is EU-only; dc1 is private, so it may go there. Make dc1's store public-cloud-like
    // by backing it up to AWS instead, whose jurisdiction is moved out of the EU.
    notes(raw).backup = { to: "aws", schedule: "30 1 * * *", retentionDays: 35, versions: 7 };
    (raw as unknown as { aws: { jurisdiction: string } }).aws.jurisdiction = "US";
    const lines = problems(raw);
    expect(
      lines.some(
        (l) => l.includes("azure.storage[0].datasets[0].backup.to:") && l.includes("clinical-notes"),
      ),
      lines.join("\n"),
    ).toBe(true);
  });

  it("refuses a backup to the dataset's own site, and a second backup to the same site", () => {
    const raw = staging();
    archive(raw).backup = [
      { to: "onprem", schedule: "0 2 * * *", retentionDays: 30, versions: 5 },
      { to: "aws", schedule: "0 2 * * *", retentionDays: 30, versions: 5 },
      { to: "aws", schedule: "0 3 * * *", retentionDays: 30, versions: 5 },
    ];
    const at = `onprem.datasets[${archiveAt(raw)}].backup`;
    const text = problems(raw).join("\n");
    expect(text).toContain(`${at}[0].to: is onprem, where imaging-archive already lives`);
    expect(text).toContain(`${at}[2].to: backs imaging-archive up to aws again (as ${at}[1].to does)`);
    expect(problems(raw).filter((l) => l.includes(`${at}[1].to:`))).toEqual([]);
  });

  it("refuses a backup between sites no VPN link joins", () => {
    const raw = staging();
    // staging links each cloud to dc1 only.
    raw.aws.buckets[0]?.datasets.splice(0, 1, {
      name: "web-crawl",
      backup: { to: "azure", schedule: "0 4 * * *", retentionDays: 7, versions: 2 },
    });
    expect(problems(raw).join("\n")).toMatch(
      /aws\.buckets\[0\]\.datasets\[0\]\.backup\.to: .* are joined by no VPN link.*vpn\.links: \[\{ sites: \[aws, azure\] \}\]/,
    );
  });

  it("refuses a backup to dc1 without its backup bucket, versions or encryption, at the store's fields", () => {
    const raw = staging();
    delete raw.onprem.storage.s3.backupBucket;
    raw.onprem.storage.s3.versioning = false;
    raw.onprem.storage.s3.encryption = "none";
    const text = problems(raw).join("\n");
    expect(text).toContain(
      "onprem.storage.s3.backupBucket: is not set, and clinical-notes is backed up to dc1",
    );
    expect(text).toContain("onprem.storage.s3.versioning: is false, and clinical-notes is backed up to dc1");
    expect(text).toContain('onprem.storage.s3.encryption: is "none", and clinical-notes is backed up to dc1');
  });

  it("refuses copies without the running site's rclone image or dc1's identity", () => {
    const raw = staging();
    delete raw.data.images.onprem;
    delete raw.onprem.identity;
    const text = problems(raw).join("\n");
    expect(text).toContain("data.images.onprem: is not set, and dc1's cluster runs the backup of");
    expect(text).toContain("onprem.identity: is not set, and");
  });

  it("refuses bad values of a backup entry by path, before anything else", () => {
    const raw = staging();
    archive(raw).backup = { to: "gcp", schedule: "every night", retentionDays: 0, versions: 1000, extra: 1 };
    const text = problems(raw).join("\n");
    for (const field of ["to", "schedule", "retentionDays", "versions"])
      expect(text).toContain(`onprem.datasets[${archiveAt(raw)}].backup.${field}`);
    expect(text).toMatch(/extra/);
  });

  it("refuses staging a dataset asks for where no site can take it, saying why for each", () => {
    const raw = staging();
    // clinical-notes asks to be staged: dc1 has no staging bucket, and AWS no link to Azure.
    delete raw.onprem.storage.s3.stagingBucket;
    const lines = problems(raw);
    const line = lines.find((l) => l.includes("azure.storage[0].datasets[0].staging: "));
    expect(line, lines.join("\n")).toBeDefined();
    expect(line).toMatch(/asks for staging, and no other site can take clinical-notes: /);
    expect(line).toMatch(/aws: .*joined by no VPN link/);
    expect(line).toMatch(/onprem: onprem\.storage\.s3\.stagingBucket is not set/);
  });

  it("accepts staging: false where no site could take it", () => {
    const raw = staging();
    delete raw.onprem.storage.s3.stagingBucket;
    notes(raw).staging = false;
    expect(() => parsePlatformConfig("staging", raw as unknown as Record<string, unknown>)).not.toThrow();
  });
});
