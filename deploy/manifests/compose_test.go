package manifests

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

const composeDir = "../compose"

// loadCompose loads compose.yaml as docker compose would, validating it
// against the Compose specification, with the example secrets.
func loadCompose(t *testing.T, file string) (*types.Project, error) {
	t.Helper()
	opts, err := cli.NewProjectOptions([]string{file},
		cli.WithWorkingDirectory(composeDir),
		cli.WithEnvFiles(composeDir+"/.env.example"),
		cli.WithDotEnv,
		cli.WithName("cybermarket"),
	)
	if err != nil {
		return nil, err
	}
	return opts.LoadProject(context.Background())
}

func TestCompose_LoadsAndValidates(t *testing.T) {
	p, err := loadCompose(t, composeDir+"/compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"meilisearch", "migrate", "postgres", "serve"}
	if got := p.ServiceNames(); !slices.Equal(sortedCopy(got), want) {
		t.Fatalf("services %v, want %v", got, want)
	}
	for _, s := range p.Services {
		if !imagePinned(s.Image) {
			t.Errorf("%s: image %q is not pinned to an exact version", s.Name, s.Image)
		}
		if s.Deploy == nil || s.Deploy.Resources.Limits == nil || s.Deploy.Resources.Limits.MemoryBytes == 0 || s.Deploy.Resources.Limits.NanoCPUs == 0 {
			t.Errorf("%s: no CPU and memory limits", s.Name)
		}
		if s.Name != "migrate" && (s.HealthCheck == nil || len(s.HealthCheck.Test) == 0) {
			t.Errorf("%s: no health check", s.Name)
		}
	}
	for _, name := range []string{"migrate", "serve"} {
		s := p.Services[name]
		if !s.ReadOnly || !slices.Contains(s.CapDrop, "ALL") || !slices.Contains(s.SecurityOpt, "no-new-privileges:true") {
			t.Errorf("%s: want a read-only root, no capabilities, no new privileges", name)
		}
	}
	serve := p.Services["serve"]
	if d := serve.DependsOn["migrate"]; d.Condition != types.ServiceConditionCompletedSuccessfully {
		t.Errorf("serve starts before migrate completes (%q)", d.Condition)
	}
	if d := serve.DependsOn["meilisearch"]; d.Condition != types.ServiceConditionHealthy {
		t.Errorf("serve does not wait for a healthy Meilisearch (%q)", d.Condition)
	}
	if d := p.Services["migrate"].DependsOn["postgres"]; d.Condition != types.ServiceConditionHealthy {
		t.Errorf("migrate does not wait for a healthy PostgreSQL (%q)", d.Condition)
	}
	if got := strings.Join(serve.HealthCheck.Test, " "); !strings.Contains(got, "/readyz") {
		t.Errorf("serve health check %q does not ask /readyz", got)
	}
	env := serve.Environment
	if m, a := env["METRICS_LISTEN_ADDR"], env["LISTEN_ADDR"]; m == nil || a == nil || *m == *a {
		t.Error("serve: the metrics listener must be set apart from the API's")
	}
	for _, port := range serve.Ports {
		if port.HostIP != "127.0.0.1" {
			t.Errorf("serve publishes %s on %q: bind to 127.0.0.1 and put a proxy in front", port.Published, port.HostIP)
		}
	}
}

func TestCompose_SecretsStayOutOfGit(t *testing.T) {
	raw, err := os.ReadFile(composeDir + "/compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"POSTGRES_PASSWORD", "MEILI_MASTER_KEY"} {
		if !strings.Contains(string(raw), "${"+secret) {
			t.Errorf("compose.yaml does not take %s from the env file", secret)
		}
	}
	// A missing secret stops compose, rather than starting without a password.
	dir := t.TempDir()
	data := strings.ReplaceAll(string(raw), "../..", composeDir+"/../..")
	if err := os.WriteFile(dir+"/compose.yaml", []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	opts, _ := cli.NewProjectOptions([]string{dir + "/compose.yaml"}, cli.WithWorkingDirectory(dir), cli.WithName("x"))
	if _, err := opts.LoadProject(context.Background()); err == nil || !strings.Contains(err.Error(), "POSTGRES_PASSWORD") {
		t.Errorf("loading without secrets: %v, want an error naming POSTGRES_PASSWORD", err)
	}
	ignore, err := os.ReadFile(composeDir + "/.gitignore")
	if err != nil || !slices.Contains(strings.Fields(string(ignore)), ".env") {
		t.Error("deploy/compose/.gitignore does not ignore .env")
	}
}

func TestCompose_RejectsUnknownKeys(t *testing.T) {
	dir := t.TempDir()
	bad := "services:\n  serve:\n    image: cybermarket:0.1.0\n    restart_policy: always\n"
	if err := os.WriteFile(dir+"/compose.yaml", []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loadCompose(t, dir+"/compose.yaml"); err == nil {
		t.Error("an unknown service key passed validation")
	}
}

func sortedCopy(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
