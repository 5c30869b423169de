// Package manifests checks the deployment files without a cluster or a
// container engine: the Dockerfile, the Compose file, and every Kubernetes
// manifest and kustomize overlay, decoded strictly into the Kubernetes,
// CloudNativePG, Barman Cloud plugin and prometheus-operator API types (an
// unknown or misspelt field fails), plus the invariants of a safe deployment.
//
// It has only tests: the heavy API modules it imports are never linked into
// the server.
package manifests
