package deploy_test

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yannh/kubeconform/pkg/validator"
)

// schemaValidator validates manifests against deploy/schemas (offline):
// the Kubernetes release's own definitions, strict, with +enum values.
func schemaValidator(t *testing.T) validator.Validator {
	t.Helper()
	dir, err := filepath.Abs("schemas")
	require.NoError(t, err)
	v, err := validator.New([]string{filepath.Join(dir, "{{ .ResourceKind }}{{ .KindSuffix }}.json")},
		validator.Opts{Strict: true})
	require.NoError(t, err)
	return v
}

func validate(t *testing.T, v validator.Validator, name string, r io.Reader) []string {
	t.Helper()
	var problems []string
	for _, res := range v.Validate(name, io.NopCloser(r)) {
		switch res.Status {
		case validator.Valid, validator.Empty:
		default:
			problems = append(problems, res.Err.Error())
		}
	}
	return problems
}

// TestManifestsMatchTheKubernetesSchema: every manifest validates against
// the schema of the Kubernetes release k8s.io/api belongs to (kubeconform,
// strict: an unknown field, a missing required field or a value outside an
// enumeration fails).
func TestManifestsMatchTheKubernetesSchema(t *testing.T) {
	t.Parallel()
	v := schemaValidator(t)
	files, err := filepath.Glob("*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		raw, err := os.Open(f)
		require.NoError(t, err)
		assert.Empty(t, validate(t, v, f, raw), f)
		raw.Close()
	}
}

// TestSchemaCatchesMistakes: the check is not vacuous: a wrong enum value,
// a missing required field and an unknown field are each refused.
func TestSchemaCatchesMistakes(t *testing.T) {
	t.Parallel()
	v := schemaValidator(t)
	good, err := os.ReadFile("deployment.yaml")
	require.NoError(t, err)
	for _, tc := range []struct{ name, from, to, want string }{
		{"wrong enum", "imagePullPolicy: IfNotPresent", "imagePullPolicy: Sometimes", "imagePullPolicy"},
		{"missing required field", "        - name: gateway\n", "        - \n", "name"},
		{"unknown field", "      automountServiceAccountToken: false", "      automountServiceAccountToken: false\n      hostNetworking: true", "hostNetworking"},
	} {
		bad := strings.Replace(string(good), tc.from, tc.to, 1)
		require.NotEqual(t, string(good), bad, tc.name)
		problems := validate(t, v, "deployment.yaml", strings.NewReader(bad))
		require.NotEmpty(t, problems, tc.name)
		assert.Contains(t, strings.Join(problems, "\n"), tc.want, tc.name)
	}
}

// TestSchemasMatchK8sAPI: deploy/schemas was generated for the Kubernetes
// release of the k8s.io/api module in go.mod; after a version change,
// regenerate them (go run ./deploy/schemagen).
func TestSchemasMatchK8sAPI(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Version}}", "k8s.io/api").Output()
	require.NoError(t, err)
	version, err := os.ReadFile("schemas/VERSION")
	require.NoError(t, err)
	want := "v1" + strings.TrimPrefix(strings.TrimSpace(string(out)), "v0")
	assert.Equal(t, want, strings.TrimSpace(string(version)), "run go run ./deploy/schemagen")
}
