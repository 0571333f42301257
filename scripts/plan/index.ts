// The offline plan's parts that tests reuse: the realistic mocks and the recorder.
export { type MockCloud, RealisticMocks } from "./mocks";
export { type RecordedResource, Recorder } from "./recorder";
