// Setup file of the Vitest project. Pulumi's SDK takes a stack trace of every promise it makes
// (runtime/debuggable.js), only to name leaked promises when the process exits with
// PULUMI_DEBUG_PROMISE_LEAKS set. Taking those traces, and under Vitest source-mapping them frame
// by frame, was about a third of a component suite's time; taking them unformatted was still a
// quarter of a stack plan's. Here the SDK's promises take no trace at all; every other stack (a
// failed assertion's, a thrown error's) is taken and mapped to the TypeScript source as before.
// PULUMI_DEBUG_PROMISE_LEAKS=1 keeps every trace.
import { createRequire } from "node:module";

type DebuggablePromise = <T>(promise: Promise<T>, ctx: unknown) => Promise<T>;

const UNKEPT = "Error: stack not kept under Vitest (set PULUMI_DEBUG_PROMISE_LEAKS=1 to keep it)";
const unkept = () => UNKEPT;

if (!process.env.PULUMI_DEBUG_PROMISE_LEAKS) {
  // Internal to the SDK (no declaration), and its modules call it through this module's exports,
  // so replacing the export reaches every caller.
  const debuggable = createRequire(__filename)("@pulumi/pulumi/runtime/debuggable") as {
    debuggablePromise: DebuggablePromise;
  };
  const original = debuggable.debuggablePromise;
  debuggable.debuggablePromise = (promise, ctx) => {
    const { stackTraceLimit, prepareStackTrace } = Error;
    Error.stackTraceLimit = 0;
    Error.prepareStackTrace = unkept;
    try {
      return original(promise, ctx);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
      Error.prepareStackTrace = prepareStackTrace;
    }
  };
}
