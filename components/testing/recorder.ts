import * as pulumi from "@pulumi/pulumi";
import { decodeProperties, secretPaths } from "./decode";

/** One resource as the engine would receive it from the program. */
export interface RecordedResource {
  urn: string;
  type: string;
  name: string;
  /** URN of the parent; undefined for the root stack. */
  parent: string | undefined;
  /** True for a cloud resource, false for a component. */
  custom: boolean;
  protect: boolean;
  retainOnDelete: boolean;
  /** The provider that manages it (`URN::id`), when one is set explicitly or inherited. */
  provider: string | undefined;
  /** URNs of explicit `dependsOn` resources. */
  dependsOn: string[];
  /** Properties ignored on update (`ignoreChanges`). */
  ignoreChanges: string[];
  /** How long the engine waits for each operation (`customTimeouts`), where set. */
  customTimeouts?: { create?: string; update?: string; delete?: string };
  /** Inputs with every secret as "[secret]": what a plan may print. */
  inputs: Record<string, unknown>;
  /**
   * Inputs with secret values kept: for tests that check what the provider receives. Without a
   * secret this is the same object as `inputs`: treat both as read-only.
   */
  plainInputs: Record<string, unknown>;
  /** Paths of the inputs that are secret. */
  secretInputs: string[];
  /** Registered outputs of a component (masked), set when the component calls `registerOutputs`. */
  outputs?: Record<string, unknown>;
  /** Paths of the registered outputs that are secret. */
  secretOutputs?: string[];
  /**
   * Registered outputs with secret values kept: what a `StackReference` to this stack reads (the
   * same object as `outputs` when none is secret: read-only).
   */
  plainOutputs?: Record<string, unknown>;
}

interface Struct {
  toJavaScript(): Record<string, unknown>;
}
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getDependenciesList(): string[];
  getProvider(): string;
  getIgnorechangesList(): string[];
  getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
  getObject(): Struct | undefined;
}
interface OutputsRequest {
  getUrn(): string;
  getOutputs(): Struct | undefined;
}
type Callback = (err: unknown, response: { getUrn(): string } | undefined) => void;
interface Monitor {
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
  registerResourceOutputs(req: OutputsRequest, callback: (err: unknown, response: unknown) => void): void;
}

/**
 * Watches the mock monitor Pulumi's runtime talks to, and records every registration with the
 * options the engine would see (parent, protect, retainOnDelete, dependsOn) and its serialised
 * inputs, so secrets can be told apart from plain values exactly as the engine tells them apart.
 */
export class Recorder {
  private readonly byUrn = new Map<string, RecordedResource>();
  // The mock monitor builds URNs from the parent's last type only; the engine qualifies a child's
  // type with its parent's whole chain (except the root stack). Recorded URNs follow the engine,
  // so a URN snapshot is the URN a real stack would hold.
  private readonly engineUrns = new Map<string, string>();
  private readonly duplicates = new Set<string>();

  constructor() {
    const monitor = pulumi.runtime.getMonitor() as unknown as Monitor | undefined;
    if (!monitor) throw new Error("Recorder needs pulumi.runtime.setMocks to have been called first");
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
      // The mock monitor decodes the inputs for the mocks and the recorder decodes them again:
      // decode once (neither changes what it reads), since a plan's CRDs are megabytes of it.
      const struct = req.getObject();
      if (struct) {
        const decoded = struct.toJavaScript();
        struct.toJavaScript = () => decoded;
      }
      return register(req, (err, response) => {
        if (!err && response) this.record(response.getUrn(), req);
        callback(err, response);
      });
    };
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, callback) => {
      const found = this.byUrn.get(this.engineUrns.get(req.getUrn()) ?? req.getUrn());
      if (found) {
        // Decoded when first read: a plan reads the outputs of a few components, and a fleet's
        // (its placement decision, thousands of rows) took over half a second to decode unread.
        // The monitor keeps the same Struct for the engine's reads, and nothing changes it.
        const struct = req.getOutputs();
        let decoded: ReturnType<typeof decodeBoth> | undefined;
        const view = () => {
          decoded ??= decodeBoth(struct?.toJavaScript() ?? {});
          return decoded;
        };
        Object.defineProperties(found, {
          outputs: { get: () => view().masked, enumerable: true, configurable: true },
          secretOutputs: { get: () => view().secrets, enumerable: true, configurable: true },
          plainOutputs: { get: () => view().plain, enumerable: true, configurable: true },
        });
      }
      registerOutputs(req, callback);
    };
  }

  /** Every resource registered so far, in registration order. */
  get resources(): RecordedResource[] {
    return [...this.byUrn.values()];
  }

  /** URNs registered more than once: the engine refuses the second registration of a URN. */
  get duplicateUrns(): string[] {
    return [...this.duplicates];
  }

  /** Forgets what was recorded, so one test file can check several components one at a time. */
  clear(): void {
    this.byUrn.clear();
    this.duplicates.clear();
  }

  // Provider references are `URN::id`; translate the URN half like any other.
  private engineProviderRef(ref: string): string | undefined {
    if (!ref) return undefined;
    const cut = ref.lastIndexOf("::");
    const urn = ref.slice(0, cut);
    return `${this.engineUrns.get(urn) ?? urn}${ref.slice(cut)}`;
  }

  private engineUrn(mockUrn: string, type: string, name: string, parentMockUrn: string): string {
    const [, stack = "", project = ""] = /^urn:pulumi:([^:]*)::([^:]*)::/.exec(mockUrn) ?? [];
    const parent = parentMockUrn ? (this.engineUrns.get(parentMockUrn) ?? parentMockUrn) : "";
    const parentType = parent.split("::")[2] ?? "";
    const qualified = parent && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
  }

  /** Waits until every registration the program started has reached the monitor. */
  async settle(): Promise<void> {
    const settings = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
    const wait = settings.waitForRPCs;
    if (wait) await wait();
    // A resource whose inputs resolve late registers on a later turn; give those a chance too.
    await new Promise((resolve) => setImmediate(resolve));
    if (wait) await wait();
  }

  private record(mockUrn: string, req: RegisterRequest): void {
    const raw = req.getObject()?.toJavaScript() ?? {};
    const urn = this.engineUrn(mockUrn, req.getType(), req.getName(), req.getParent());
    this.engineUrns.set(mockUrn, urn);
    if (this.byUrn.has(urn)) this.duplicates.add(urn);
    const parent = req.getParent();
    const { masked, plain, secrets } = decodeBoth(raw);
    this.byUrn.set(urn, {
      urn,
      type: req.getType(),
      name: req.getName(),
      parent: parent ? (this.engineUrns.get(parent) ?? parent) : undefined,
      custom: req.getCustom(),
      protect: req.getProtect() ?? false,
      retainOnDelete: req.getRetainondelete() ?? false,
      provider: this.engineProviderRef(req.getProvider()),
      dependsOn: req.getDependenciesList().map((d) => this.engineUrns.get(d) ?? d),
      ignoreChanges: req.getIgnorechangesList(),
      ...timeoutsOf(req),
      inputs: masked,
      plainInputs: plain,
      secretInputs: secrets,
    });
  }
}

/**
 * Properties masked and plain, and their secret paths. Without a secret the two views are one
 * object: a fleet's plan holds thousands of large objects (CRDs, dashboards), and a second copy
 * of each doubled the heap the garbage collector walks.
 */
function decodeBoth(raw: Record<string, unknown>): {
  masked: Record<string, unknown>;
  plain: Record<string, unknown>;
  secrets: string[];
} {
  const secrets = secretPaths(raw);
  const masked = decodeProperties(raw, true) as Record<string, unknown>;
  const plain = secrets.length > 0 ? (decodeProperties(raw, false) as Record<string, unknown>) : masked;
  return { masked, plain, secrets };
}

/** The operation timeouts a registration sets, if any. */
function timeoutsOf(req: RegisterRequest): { customTimeouts?: RecordedResource["customTimeouts"] } {
  const t = req.getCustomtimeouts();
  if (!t) return {};
  const set = Object.entries({ create: t.getCreate(), update: t.getUpdate(), delete: t.getDelete() }).filter(
    ([, v]) => v,
  );
  return set.length > 0 ? { customTimeouts: Object.fromEntries(set) } : {};
}
