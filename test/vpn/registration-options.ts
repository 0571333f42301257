// The replacement options each resource registers with, as the engine receives them (the plan's
// recorder keeps protect, retainOnDelete, dependsOn and ignoreChanges, not these): what an update
// does when a resource must be replaced is decided by them.
import * as pulumi from "@pulumi/pulumi";

/** A registration's replacement options. */
export interface ReplacementOptions {
  type: string;
  name: string;
  deleteBeforeReplace: boolean;
  replaceOnChanges: string[];
  /** Names (the URN's last part) of the resources whose replacement replaces this one. */
  replaceWith: string[];
  /** Whether a replacement trigger is set (its value may be secret). */
  replacementTrigger: boolean;
}

interface Request {
  getType(): string;
  getName(): string;
  getDeletebeforereplace(): boolean;
  getReplaceonchangesList(): string[];
  getReplaceWithList(): string[];
  hasReplacementTrigger(): boolean;
}
type Callback = (err: unknown, response: unknown) => void;
interface Monitor {
  registerResource(req: Request, callback: Callback): Promise<void>;
}

/** Starts recording the replacement options of every registration from now on (after `setMocks`). */
export function recordReplacementOptions(): { all(): ReplacementOptions[]; clear(): void } {
  const monitor = pulumi.runtime.getMonitor() as unknown as Monitor | undefined;
  if (!monitor) throw new Error("recordReplacementOptions needs pulumi.runtime.setMocks first");
  const seen: ReplacementOptions[] = [];
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    seen.push({
      type: req.getType(),
      name: req.getName(),
      deleteBeforeReplace: req.getDeletebeforereplace(),
      replaceOnChanges: req.getReplaceonchangesList(),
      replaceWith: req.getReplaceWithList().map((urn) => urn.split("::").at(-1) ?? urn),
      replacementTrigger: req.hasReplacementTrigger(),
    });
    return register(req, callback);
  };
  return { all: () => [...seen], clear: () => seen.splice(0) };
}
