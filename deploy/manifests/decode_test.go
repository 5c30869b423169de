package manifests

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	cnpgv1 "github.com/cloudnative-pg/api/pkg/api/v1"
	barmanv1 "github.com/cloudnative-pg/plugin-barman-cloud/api/v1"
	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

// kubeDir is the root of the Kubernetes manifests.
const kubeDir = "../kubernetes"

// kinds are the types every manifest must decode into, by apiVersion and
// kind. A kind not listed fails: add it here when you add one.
var kinds = map[string]func() any{
	"apps/v1 Deployment":                            func() any { return &appsv1.Deployment{} },
	"apps/v1 StatefulSet":                           func() any { return &appsv1.StatefulSet{} },
	"batch/v1 Job":                                  func() any { return &batchv1.Job{} },
	"v1 Service":                                    func() any { return &corev1.Service{} },
	"v1 ServiceAccount":                             func() any { return &corev1.ServiceAccount{} },
	"v1 ConfigMap":                                  func() any { return &corev1.ConfigMap{} },
	"policy/v1 PodDisruptionBudget":                 func() any { return &policyv1.PodDisruptionBudget{} },
	"autoscaling/v2 HorizontalPodAutoscaler":        func() any { return &autoscalingv2.HorizontalPodAutoscaler{} },
	"networking.k8s.io/v1 NetworkPolicy":            func() any { return &networkingv1.NetworkPolicy{} },
	"postgresql.cnpg.io/v1 Cluster":                 func() any { return &cnpgv1.Cluster{} },
	"postgresql.cnpg.io/v1 Pooler":                  func() any { return &cnpgv1.Pooler{} },
	"postgresql.cnpg.io/v1 ScheduledBackup":         func() any { return &cnpgv1.ScheduledBackup{} },
	"barmancloud.cnpg.io/v1 ObjectStore":            func() any { return &barmanv1.ObjectStore{} },
	"monitoring.coreos.com/v1 PodMonitor":           func() any { return &monitoringv1.PodMonitor{} },
	"monitoring.coreos.com/v1 PrometheusRule":       func() any { return &monitoringv1.PrometheusRule{} },
	"kustomize.config.k8s.io/v1beta1 Kustomization": nil, // checked by building it
}

// object is one decoded manifest.
type object struct {
	Kind, Name, Namespace string
	Value                 any // a pointer to the API type
	Source                string
}

// decodeStrict decodes one YAML document into the API type of its kind,
// failing on unknown and duplicate fields.
func decodeStrict(doc []byte, source string) (*object, error) {
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		Metadata   struct {
			Name, Namespace string
		} `json:"metadata"`
	}
	if err := yaml.Unmarshal(doc, &head); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	key := head.APIVersion + " " + head.Kind
	newValue, known := kinds[key]
	switch {
	case !known:
		return nil, fmt.Errorf("%s: %q is not a kind these tests know (add its API type to kinds)", source, key)
	case newValue == nil:
		return nil, nil
	}
	v := newValue()
	if err := yaml.UnmarshalStrict(doc, v); err != nil {
		return nil, fmt.Errorf("%s: %s %s: %w", source, head.Kind, head.Metadata.Name, err)
	}
	return &object{Kind: head.Kind, Name: head.Metadata.Name, Namespace: head.Metadata.Namespace, Value: v, Source: source}, nil
}

// splitDocuments splits a multi-document YAML stream.
func splitDocuments(data []byte) [][]byte {
	var docs [][]byte
	for _, d := range bytes.Split(append([]byte("\n"), data...), []byte("\n---")) {
		if len(bytes.TrimSpace(stripComments(d))) > 0 {
			docs = append(docs, d)
		}
	}
	return docs
}

func stripComments(d []byte) []byte {
	var out []string
	for _, l := range strings.Split(string(d), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			out = append(out, l)
		}
	}
	return []byte(strings.Join(out, "\n"))
}

// manifestFiles returns every YAML file under the Kubernetes directory.
func manifestFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(kubeDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
			files = append(files, p)
		}
		return err
	})
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests under %s: %v", kubeDir, err)
	}
	return files
}

// build runs kustomize on dir in process and decodes what it makes.
func build(t *testing.T, dir string) []*object {
	t.Helper()
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	m, err := k.Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	var objs []*object
	for _, r := range m.Resources() {
		doc, err := r.AsYAML()
		if err != nil {
			t.Fatal(err)
		}
		o, err := decodeStrict(doc, dir+" (built)")
		if err != nil {
			t.Fatal(err)
		}
		objs = append(objs, o)
	}
	return objs
}

// find returns the built objects of a kind.
func find[T any](objs []*object) []T {
	var out []T
	for _, o := range objs {
		if v, ok := o.Value.(T); ok {
			out = append(out, v)
		}
	}
	return out
}
