// Package deploy holds the Kubernetes manifests of the gateway (*.yaml), the
// schemas they are validated against (schemas/, written by schemagen from
// the Kubernetes release k8s.io/api belongs to) and the tests that check
// them against those schemas, the Kubernetes API types and each other. It
// has no code of its own.
package deploy
