// Setup file of the "pulumi-mocks" Vitest project. Pulumi's SDK takes a stack trace of every
// promise it makes (runtime/debuggable.js), only to name leaked promises when the process exits
// with PULUMI_DEBUG_PROMISE_LEAKS set, and under Vitest every such trace was source-mapped frame by
// frame: about a third of a component suite's time. Here those traces are not formatted at all;
// every other stack (a failed assertion's, a thrown error's) is mapped to the TypeScript source as
// before. PULUMI_DEBUG_PROMISE_LEAKS=1 keeps every trace.

const UNKEPT = "Error: stack not kept under Vitest (set PULUMI_DEBUG_PROMISE_LEAKS=1 to keep it)";
const mapped = Error.prepareStackTrace;

if (mapped && !process.env.PULUMI_DEBUG_PROMISE_LEAKS) {
  Error.prepareStackTrace = (error, frames) => {
    const top = frames[0];
    if (top?.getFunctionName() === "debuggablePromise" && top.getFileName()?.includes("@pulumi")) {
      return UNKEPT;
    }
    return mapped(error, frames);
  };
}
