// Package compliance holds cybermarket's reference data - the countries, service
// categories, certification schemes and per-country requirements that decide
// which cybersecurity vendors may serve a hospital - and, on top of it, the
// burden engine.
//
// The reference data is versioned with the code: YAML files under reference/,
// embedded in the binary and decoded strictly (unknown fields fail). Every fact
// carries its source (URL, legal reference, as-of date, verification state).
// See reference/README.md for the format and for how to change a fact.
//
// The package is pure: values in, values out, no database and no HTTP. Where
// things are:
//
//   - reference.go, validate.go, validate_records.go: the reference types,
//     loading and the checks of each kind of record (Reference.Validate).
//   - engine.go, gap.go: the burden engine (Engine.Assess and the exact gap);
//     analytics.go, barriers.go, whatif.go, roadmap.go, roadmap_plan.go: the
//     analytics over many profiles, each as named steps.
//   - live.go: the snapshot in use (Live), reloaded through a Loader.
//
// The PostgreSQL side - loading the embedded data into the reference tables,
// reading them back, administrators' edits - is package compliance/refstore.
// The API's views of the engine's results are in package openapi: the
// engine's types carry no API documentation.
package compliance
