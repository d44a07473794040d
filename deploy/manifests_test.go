package deploy_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"

	"github.com/tanma-gql/gateway/internal/gcpolicy"
)

// manifests are the decoded objects of deploy/*.yaml.
type manifests struct {
	deployment appsv1.Deployment
	service    corev1.Service
	config     corev1.ConfigMap
	secret     corev1.Secret
	pdb        policyv1.PodDisruptionBudget
	hpa        autoscalingv2.HorizontalPodAutoscaler
}

// load decodes every manifest strictly: a misspelt or misplaced field, or
// a value of the wrong type, fails as kubectl's server-side validation would.
func load(t *testing.T) manifests {
	t.Helper()
	var m manifests
	targets := map[string]any{
		"Deployment": &m.deployment, "Service": &m.service, "ConfigMap": &m.config,
		"Secret": &m.secret, "PodDisruptionBudget": &m.pdb, "HorizontalPodAutoscaler": &m.hpa,
	}
	seen := map[string]string{}
	files, err := filepath.Glob("*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		for _, doc := range bytes.Split(raw, []byte("\n---")) {
			if len(bytes.TrimSpace(doc)) == 0 {
				continue
			}
			var head struct{ Kind string }
			require.NoError(t, yaml.Unmarshal(doc, &head), f)
			out, ok := targets[head.Kind]
			require.True(t, ok, "%s: unexpected kind %q", f, head.Kind)
			require.Empty(t, seen[head.Kind], "%s: a second %s (first in %s)", f, head.Kind, seen[head.Kind])
			seen[head.Kind] = f
			require.NoError(t, yaml.UnmarshalStrict(doc, out), "%s: %s", f, head.Kind)
		}
	}
	for kind := range targets {
		require.NotEmpty(t, seen[kind], "no %s manifest", kind)
	}
	return m
}

// TestManifestsAreValid: each manifest decodes strictly into its API type
// with the API version that type belongs to.
func TestManifestsAreValid(t *testing.T) {
	m := load(t)
	for _, c := range []struct{ kind, got, want string }{
		{"Deployment", m.deployment.APIVersion, "apps/v1"},
		{"Service", m.service.APIVersion, "v1"},
		{"ConfigMap", m.config.APIVersion, "v1"},
		{"Secret", m.secret.APIVersion, "v1"},
		{"PodDisruptionBudget", m.pdb.APIVersion, "policy/v1"},
		{"HorizontalPodAutoscaler", m.hpa.APIVersion, "autoscaling/v2"},
	} {
		assert.Equal(t, c.want, c.got, c.kind)
	}
}

// TestManifestsFitTogether: names, labels, ports, probes and secret keys
// agree across the manifests and with what the gateway serves.
func TestManifestsFitTogether(t *testing.T) {
	m := load(t)
	d := m.deployment
	labels := d.Spec.Template.Labels
	require.NotNil(t, d.Spec.Selector)
	assert.Equal(t, d.Spec.Selector.MatchLabels, labels, "the Deployment selects its own pods")
	assert.Equal(t, labels, m.service.Spec.Selector, "the Service selects the pods")
	require.NotNil(t, m.pdb.Spec.Selector)
	assert.Equal(t, labels, m.pdb.Spec.Selector.MatchLabels, "the PDB covers the pods")
	assert.Equal(t, d.Name, m.hpa.Spec.ScaleTargetRef.Name)
	assert.Equal(t, "Deployment", m.hpa.Spec.ScaleTargetRef.Kind)
	require.NotNil(t, m.hpa.Spec.MinReplicas)
	require.NotNil(t, m.pdb.Spec.MinAvailable)
	assert.Greater(t, int(*m.hpa.Spec.MinReplicas), m.pdb.Spec.MinAvailable.IntValue(), "a drain never blocks forever")

	require.Len(t, d.Spec.Template.Spec.Containers, 1)
	c := d.Spec.Template.Spec.Containers[0]
	ports := map[string]int32{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	assert.Equal(t, m.config.Data["PORT"], itoa(ports["http"]), "the container port is the gateway's PORT")
	assert.Equal(t, ":"+itoa(ports["metrics"]), m.config.Data["METRICS_ADDR"], "the metrics port is METRICS_ADDR")
	assert.Equal(t, "http", m.service.Spec.Ports[0].TargetPort.String())

	require.NotNil(t, c.LivenessProbe)
	require.NotNil(t, c.ReadinessProbe)
	assert.Equal(t, "/healthz", c.LivenessProbe.HTTPGet.Path)
	assert.Equal(t, "/readyz", c.ReadinessProbe.HTTPGet.Path)
	assert.Nil(t, c.Lifecycle, "the gateway drains by itself (DRAIN_DELAY): no preStop hook")
	delay, err := time.ParseDuration(m.config.Data["DRAIN_DELAY"])
	require.NoError(t, err, "DRAIN_DELAY: the Service needs a few seconds to drop a terminating pod")
	assert.GreaterOrEqual(t, delay, 5*time.Second)
	drain := int64(20) // the gateway's bound on in-flight requests after the delay (server.go, serve)
	require.NotNil(t, d.Spec.Template.Spec.TerminationGracePeriodSeconds)
	assert.Greater(t, *d.Spec.Template.Spec.TerminationGracePeriodSeconds, int64(delay.Seconds())+drain,
		"the grace period covers the drain delay and the drain")

	require.NotNil(t, c.SecurityContext)
	assert.Equal(t, ptr(false), c.SecurityContext.AllowPrivilegeEscalation)
	assert.Equal(t, ptr(true), c.SecurityContext.ReadOnlyRootFilesystem)
	require.NotNil(t, d.Spec.Template.Spec.SecurityContext)
	assert.Equal(t, ptr(true), d.Spec.Template.Spec.SecurityContext.RunAsNonRoot)
	assert.False(t, c.Resources.Requests.Cpu().IsZero(), "a CPU request")
	assert.False(t, c.Resources.Limits.Memory().IsZero(), "a memory limit")

	for _, e := range c.Env {
		if e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
			continue
		}
		ref := e.ValueFrom.SecretKeyRef
		assert.Equal(t, m.secret.Name, ref.Name, "%s", e.Name)
		assert.Contains(t, m.secret.StringData, ref.Key, "%s: the example Secret has the key", e.Name)
		assert.Equal(t, e.Name, ref.Key)
	}
	for k := range m.config.Data {
		assert.NotContains(t, m.secret.StringData, k, "what the Secret holds stays out of the ConfigMap")
		assert.Equal(t, strings.ToUpper(k), k)
	}
}

// TestQuotaFallbackCoversEveryReplica: while Redis is down each replica
// keeps TANMA_QPS / TANMA_QPS_REPLICAS, so the most pods that can run at
// once (the autoscaler's maximum, plus the rollout's surge) must not exceed
// TANMA_QPS_REPLICAS or the fleet would go over the app's quota.
func TestQuotaFallbackCoversEveryReplica(t *testing.T) {
	t.Parallel()
	m := load(t)
	ru := m.deployment.Spec.Strategy.RollingUpdate
	require.NotNil(t, ru, "a rolling update with an explicit maxSurge")
	require.NotNil(t, ru.MaxSurge)
	require.Equal(t, intstr.Int, ru.MaxSurge.Type, "maxSurge as a number of pods")
	most := m.hpa.Spec.MaxReplicas + ru.MaxSurge.IntVal
	assert.Equal(t, itoa(most), m.config.Data["TANMA_QPS_REPLICAS"], "maxReplicas %d + maxSurge %d", m.hpa.Spec.MaxReplicas, ru.MaxSurge.IntVal)
}

func itoa(n int32) string { return strconv.Itoa(int(n)) }

func ptr[T any](v T) *T { return &v }

// TestMemoryAgreesWithTheGCPolicy: the gateway gives Go a soft limit of
// gcpolicy.ContainerShare of the container's memory limit (and collects
// harder near it rather than grow), so that soft limit must be at least
// the memory request (the working set the scheduler plans for) and at
// least the bound the policy uses outside containers, and nothing in the
// ConfigMap may override the policy by accident.
func TestMemoryAgreesWithTheGCPolicy(t *testing.T) {
	t.Parallel()
	m := load(t)
	c := m.deployment.Spec.Template.Spec.Containers[0]
	soft := int64(float64(c.Resources.Limits.Memory().Value()) * gcpolicy.ContainerShare)
	assert.GreaterOrEqual(t, soft, c.Resources.Requests.Memory().Value(), "the soft limit covers the memory request")
	assert.GreaterOrEqual(t, soft, int64(gcpolicy.MemoryLimit), "a pod gets at least the policy's default bound")
	for _, k := range []string{"GOGC", "GOMEMLIMIT"} {
		assert.NotContains(t, m.config.Data, k, "the gateway sets %s from the container's limit", k)
		for _, e := range c.Env {
			assert.NotEqual(t, k, e.Name, "the gateway sets %s from the container's limit", k)
		}
	}
}
