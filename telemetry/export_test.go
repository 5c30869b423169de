package telemetry

// EnvSampler is envSampler, for the external tests.
var EnvSampler = envSampler
