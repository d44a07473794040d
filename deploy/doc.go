// Package deploy holds the Kubernetes manifests of the gateway (*.yaml) and
// the test that checks them against the Kubernetes API types and against
// each other. It has no code of its own.
package deploy
