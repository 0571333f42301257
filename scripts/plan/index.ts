// The offline plan's parts that tests reuse: the realistic mocks and the recorder.
export { type MockCloud, RealisticMocks, type RecordedResource, Recorder } from "../../components/testing";
