package manifests

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// dockerfile is the Dockerfile split into instructions (continuations joined).
func dockerfile(t *testing.T) [][2]string {
	t.Helper()
	data, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var out [][2]string
	text := strings.ReplaceAll(string(data), "\\\n", " ")
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		op, rest, _ := strings.Cut(l, " ")
		out = append(out, [2]string{strings.ToUpper(op), strings.TrimSpace(rest)})
	}
	return out
}

func TestDockerfile(t *testing.T) {
	ins := dockerfile(t)
	var froms []string
	final := -1
	for i, in := range ins {
		if in[0] == "FROM" {
			froms = append(froms, strings.Fields(in[1])[0])
			final = i
		}
	}
	if len(froms) < 2 {
		t.Fatalf("FROM %v: want a build stage and a runtime stage", froms)
	}
	for _, img := range froms {
		if img != "scratch" && !imagePinned(img) {
			t.Errorf("base image %q is not pinned to an exact version or digest", img)
		}
	}
	if rt := froms[len(froms)-1]; rt != "scratch" && !strings.HasPrefix(rt, "gcr.io/distroless/static") {
		t.Errorf("runtime base %q: want scratch or distroless static", rt)
	}
	// The build stage's Go is go.mod's.
	mod, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	goVersion := regexp.MustCompile(`(?m)^go (\S+)`).FindSubmatch(mod)
	if goVersion == nil || !strings.HasPrefix(froms[0], "golang:"+string(goVersion[1])+"-") {
		t.Errorf("build stage %q does not use go.mod's Go %s", froms[0], goVersion[1])
	}
	var user, entrypoint string
	static := false
	for _, in := range ins[final:] {
		switch in[0] {
		case "USER":
			user = in[1]
		case "ENTRYPOINT":
			entrypoint = in[1]
		case "RUN", "ADD":
			t.Errorf("runtime stage: %s %s (scratch has nothing to run it with; copy from the build stage)", in[0], in[1])
		}
	}
	for _, in := range ins[:final] {
		static = static || (in[0] == "RUN" && strings.Contains(in[1], "CGO_ENABLED=0") && strings.Contains(in[1], "go build"))
	}
	if !static {
		t.Error("the binary is not built with CGO_ENABLED=0 (a static binary)")
	}
	uid, _, _ := strings.Cut(user, ":")
	if !regexp.MustCompile(`^[1-9][0-9]*$`).MatchString(uid) {
		t.Errorf("USER %q: want a numeric non-root user (Kubernetes' runAsNonRoot checks numbers)", user)
	}
	if !strings.HasPrefix(entrypoint, "[") {
		t.Errorf("ENTRYPOINT %s: want the exec form (no shell in the image)", entrypoint)
	}
	ignore, err := os.ReadFile("../../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Fields(string(ignore))
	for _, must := range []string{".git", ".local", "**/.env"} {
		if !slices.Contains(lines, must) {
			t.Errorf(".dockerignore does not exclude %s", must)
		}
	}
}
