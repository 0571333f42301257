// The offline plan's parts, for the CLI and for tests: mocks, the recorder and the decoder.
export { decodeProperties, SECRET, secretPaths, UNKNOWN } from "./decode";
export { DEFAULT_MOCK_CLOUD, type MockCloud, RealisticMocks } from "./mocks";
export { type RecordedResource, Recorder } from "./recorder";
