package manifests

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	cnpgv1 "github.com/cloudnative-pg/api/pkg/api/v1"
	barmanv1 "github.com/cloudnative-pg/plugin-barman-cloud/api/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// overlays are the deployable builds, with their namespace.
var overlays = map[string]string{"dev": "cybermarket-dev", "production": "cybermarket"}

// operatorSecrets are the secrets an operator creates before the first
// apply; the README says how. CloudNativePG makes cybermarket-db-app.
var operatorSecrets = []string{"cybermarket-meilisearch", "cybermarket-backup-s3"}

const barmanPlugin = "barman-cloud.cloudnative-pg.io"

func TestManifests_EveryFileDecodesStrictly(t *testing.T) {
	for _, f := range manifestFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, doc := range splitDocuments(data) {
			if _, err := decodeStrict(doc, f); err != nil {
				t.Error(err)
			}
		}
	}
}

func TestManifests_StrictDecodingRejectsUnknownFields(t *testing.T) {
	for _, doc := range []string{
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replica: 3}\n",
		"apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: x}\nspec: {instances: 3, synchronus: {method: any}}\n",
		"apiVersion: barmancloud.cnpg.io/v1\nkind: ObjectStore\nmetadata: {name: x}\nspec: {configuration: {destinationPth: s3://x}}\n",
		"apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n",
	} {
		if _, err := decodeStrict([]byte(doc), "inline"); err == nil {
			t.Errorf("accepted:\n%s", doc)
		}
	}
}

// podTemplates returns the pod templates of the workloads, by name, and
// whether each runs for good (probes required) or to completion.
func podTemplates(objs []*object) map[string]struct {
	spec      corev1.PodTemplateSpec
	longLived bool
} {
	out := map[string]struct {
		spec      corev1.PodTemplateSpec
		longLived bool
	}{}
	for _, d := range find[*appsv1.Deployment](objs) {
		out[d.Name] = struct {
			spec      corev1.PodTemplateSpec
			longLived bool
		}{d.Spec.Template, true}
	}
	for _, s := range find[*appsv1.StatefulSet](objs) {
		out[s.Name] = struct {
			spec      corev1.PodTemplateSpec
			longLived bool
		}{s.Spec.Template, true}
	}
	for _, j := range find[*batchv1.Job](objs) {
		out[j.Name] = struct {
			spec      corev1.PodTemplateSpec
			longLived bool
		}{j.Spec.Template, false}
	}
	return out
}

// pinned matches an image with an exact version tag or a digest.
var pinned = regexp.MustCompile(`^[a-z0-9./-]+(:v?[0-9]+(\.[0-9]+)+(-[a-z0-9.-]+)?)?(@sha256:[0-9a-f]{64})?$`)

func imagePinned(image string) bool {
	return pinned.MatchString(image) && (strings.Contains(image, ":") || strings.Contains(image, "@sha256:"))
}

func TestOverlays_Build(t *testing.T) {
	for overlay, ns := range overlays {
		t.Run(overlay, func(t *testing.T) {
			objs := build(t, kubeDir+"/overlays/"+overlay)
			if len(objs) < 15 {
				t.Fatalf("%d objects built", len(objs))
			}
			for _, o := range objs {
				if o.Namespace != ns {
					t.Errorf("%s %s in namespace %q, want %q", o.Kind, o.Name, o.Namespace, ns)
				}
			}
			checkPods(t, objs)
			checkServe(t, objs, overlay)
			checkDatabase(t, objs, overlay)
			checkNetworkPolicies(t, objs)
			checkSecrets(t, objs)
		})
	}
}

func checkPods(t *testing.T, objs []*object) {
	t.Helper()
	for name, w := range podTemplates(objs) {
		pod := w.spec.Spec
		if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
			t.Errorf("%s: the pod mounts a service account token it does not need", name)
		}
		psc := pod.SecurityContext
		for _, c := range append(slices.Clone(pod.InitContainers), pod.Containers...) {
			where := name + "/" + c.Name
			for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
				if _, ok := c.Resources.Limits[r]; !ok {
					t.Errorf("%s: no %s limit", where, r)
				}
				if _, ok := c.Resources.Requests[r]; !ok {
					t.Errorf("%s: no %s request", where, r)
				}
			}
			if !imagePinned(c.Image) {
				t.Errorf("%s: image %q is not pinned to an exact version or digest", where, c.Image)
			}
			sc := c.SecurityContext
			switch {
			case sc == nil:
				t.Errorf("%s: no security context", where)
				continue
			case sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation:
				t.Errorf("%s: privilege escalation allowed", where)
			case sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem:
				t.Errorf("%s: root filesystem writable", where)
			case sc.Capabilities == nil || !slices.Contains(sc.Capabilities.Drop, "ALL"):
				t.Errorf("%s: capabilities not dropped", where)
			}
			nonRoot := (sc.RunAsNonRoot != nil && *sc.RunAsNonRoot) || (psc != nil && psc.RunAsNonRoot != nil && *psc.RunAsNonRoot)
			rootUser := (sc.RunAsUser != nil && *sc.RunAsUser == 0) || (psc != nil && psc.RunAsUser != nil && *psc.RunAsUser == 0)
			if !nonRoot || rootUser {
				t.Errorf("%s: may run as root", where)
			}
			seccomp := (sc.SeccompProfile != nil && sc.SeccompProfile.Type == corev1.SeccompProfileTypeRuntimeDefault) ||
				(psc != nil && psc.SeccompProfile != nil && psc.SeccompProfile.Type == corev1.SeccompProfileTypeRuntimeDefault)
			if !seccomp {
				t.Errorf("%s: no RuntimeDefault seccomp profile", where)
			}
			if w.longLived && (c.ReadinessProbe == nil || c.LivenessProbe == nil) {
				t.Errorf("%s: a long-running container needs readiness and liveness probes", where)
			}
		}
	}
}

func checkServe(t *testing.T, objs []*object, overlay string) {
	t.Helper()
	var serve *appsv1.Deployment
	for _, d := range find[*appsv1.Deployment](objs) {
		if d.Name == "cybermarket-serve" {
			serve = d
		}
	}
	if serve == nil {
		t.Fatal("no cybermarket-serve Deployment")
	}
	c := serve.Spec.Template.Spec.Containers[0]
	if p := c.ReadinessProbe; p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/readyz" {
		t.Error("serve: readiness is not GET /readyz")
	}
	if p := c.LivenessProbe; p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/healthz" {
		t.Error("serve: liveness is not GET /healthz")
	}
	env := map[string]string{}
	for _, e := range c.Env {
		env[e.Name] = e.Value
	}
	if env["METRICS_LISTEN_ADDR"] == "" || env["METRICS_LISTEN_ADDR"] == env["LISTEN_ADDR"] {
		t.Errorf("serve: metrics listener %q must be set and differ from the API's %q", env["METRICS_LISTEN_ADDR"], env["LISTEN_ADDR"])
	}
	if !strings.Contains(env["DATABASE_URL"], "@cybermarket-db-pooler-rw:") {
		t.Errorf("serve: DATABASE_URL %q does not go through the Pooler", env["DATABASE_URL"])
	}
	pods := labels.Set(serve.Spec.Template.Labels)
	var pdbs, hpas int
	for _, p := range find[*policyv1.PodDisruptionBudget](objs) {
		if sel := labels.SelectorFromSet(p.Spec.Selector.MatchLabels); sel.Matches(pods) {
			pdbs++
		}
	}
	minReplicas := int32(3)
	if overlay == "dev" {
		minReplicas = 1
	}
	for _, h := range find[*autoscalingv2.HorizontalPodAutoscaler](objs) {
		if h.Spec.ScaleTargetRef.Kind == "Deployment" && h.Spec.ScaleTargetRef.Name == serve.Name {
			hpas++
			if h.Spec.MinReplicas == nil || *h.Spec.MinReplicas < minReplicas {
				t.Errorf("serve HPA: minReplicas below %d", minReplicas)
			}
		}
	}
	if pdbs != 1 || hpas != 1 {
		t.Errorf("serve: %d PodDisruptionBudgets and %d HorizontalPodAutoscalers, want 1 each", pdbs, hpas)
	}
	if overlay == "production" && (serve.Spec.Replicas == nil || *serve.Spec.Replicas != 3) {
		t.Error("production serve: want 3 replicas")
	}
	for _, s := range find[*corev1.Service](objs) {
		matched := false
		for _, w := range podTemplates(objs) {
			matched = matched || labels.SelectorFromSet(s.Spec.Selector).Matches(labels.Set(w.spec.Labels))
		}
		if !matched {
			t.Errorf("Service %s selects no pods", s.Name)
		}
	}
}

func checkDatabase(t *testing.T, objs []*object, overlay string) {
	t.Helper()
	clusters := find[*cnpgv1.Cluster](objs)
	stores := find[*barmanv1.ObjectStore](objs)
	if len(clusters) != 1 || len(stores) != 1 {
		t.Fatalf("%d Clusters and %d ObjectStores, want 1 each", len(clusters), len(stores))
	}
	c, store := clusters[0], stores[0]
	if !imagePinned(c.Spec.ImageName) {
		t.Errorf("Cluster image %q is not pinned", c.Spec.ImageName)
	}
	if overlay == "production" {
		s := c.Spec.PostgresConfiguration.Synchronous
		if c.Spec.Instances != 3 || s == nil || s.Number < 1 || s.DataDurability != cnpgv1.DataDurabilityLevelRequired {
			t.Errorf("production Cluster: %d instances, synchronous %+v; want 3 with a required synchronous standby", c.Spec.Instances, s)
		}
	}
	if s := c.Spec.PostgresConfiguration.Synchronous; s != nil && s.Number >= c.Spec.Instances {
		t.Errorf("Cluster: %d synchronous standbys of %d instances: commits would wait forever", s.Number, c.Spec.Instances)
	}
	archiver := false
	for _, p := range c.Spec.Plugins {
		archiver = archiver || (p.Name == barmanPlugin && p.IsWALArchiver != nil && *p.IsWALArchiver && p.Parameters["barmanObjectName"] == store.Name)
	}
	if !archiver {
		t.Errorf("Cluster: WAL is not archived by %s into ObjectStore %s", barmanPlugin, store.Name)
	}
	if store.Spec.RetentionPolicy == "" || !strings.HasPrefix(store.Spec.Configuration.DestinationPath, "s3://") {
		t.Errorf("ObjectStore: retention %q, destination %q", store.Spec.RetentionPolicy, store.Spec.Configuration.DestinationPath)
	}
	backups := 0
	for _, b := range find[*cnpgv1.ScheduledBackup](objs) {
		if b.Spec.Cluster.Name == c.Name && b.Spec.Method == cnpgv1.BackupMethodPlugin && b.Spec.PluginConfiguration != nil && b.Spec.PluginConfiguration.Name == barmanPlugin {
			backups++
		}
	}
	if backups == 0 {
		t.Error("no ScheduledBackup of the Cluster through the Barman Cloud plugin")
	}
	poolers := find[*cnpgv1.Pooler](objs)
	if len(poolers) != 1 || poolers[0].Spec.Cluster.Name != c.Name || poolers[0].Spec.Type != cnpgv1.PoolerTypeRW ||
		poolers[0].Spec.PgBouncer == nil || poolers[0].Spec.PgBouncer.PoolMode != cnpgv1.PgBouncerPoolModeSession {
		t.Error("want one rw Pooler of the Cluster in session mode (LISTEN/NOTIFY and advisory locks)")
	}
}

func checkNetworkPolicies(t *testing.T, objs []*object) {
	t.Helper()
	defaultDeny := false
	var policies []*networkingv1.NetworkPolicy
	for _, p := range find[*networkingv1.NetworkPolicy](objs) {
		if len(p.Spec.PodSelector.MatchLabels) == 0 && len(p.Spec.Ingress) == 0 && len(p.Spec.Egress) == 0 &&
			slices.Contains(p.Spec.PolicyTypes, networkingv1.PolicyTypeIngress) && slices.Contains(p.Spec.PolicyTypes, networkingv1.PolicyTypeEgress) {
			defaultDeny = true
			continue
		}
		policies = append(policies, p)
	}
	if !defaultDeny {
		t.Error("no default-deny NetworkPolicy (all pods, ingress and egress)")
	}
	// The pods of the workloads, and those CloudNativePG makes.
	pods := map[string]labels.Set{
		"postgres instance": {"cnpg.io/cluster": "cybermarket-db", "cnpg.io/podRole": "instance"},
		"pgbouncer":         {"cnpg.io/poolerName": "cybermarket-db-pooler-rw", "cnpg.io/podRole": "pooler"},
	}
	for name, w := range podTemplates(objs) {
		pods[name] = w.spec.Labels
	}
	for name, l := range pods {
		selected := false
		for _, p := range policies {
			selected = selected || (len(p.Spec.PodSelector.MatchLabels) > 0 && labels.SelectorFromSet(p.Spec.PodSelector.MatchLabels).Matches(l))
		}
		if !selected {
			t.Errorf("pods of %s: no NetworkPolicy of their own allows them anything", name)
		}
	}
}

func checkSecrets(t *testing.T, objs []*object) {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	allowed := append([]string{"cybermarket-db-app"}, operatorSecrets...)
	for _, s := range operatorSecrets {
		if !strings.Contains(string(readme), "create secret generic "+s+" ") {
			t.Errorf("README does not say how to create the secret %s", s)
		}
	}
	for name, w := range podTemplates(objs) {
		for _, c := range w.spec.Spec.Containers {
			for _, e := range c.Env {
				if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil && !slices.Contains(allowed, e.ValueFrom.SecretKeyRef.Name) {
					t.Errorf("%s/%s: secret %s is neither made by CloudNativePG nor documented", name, c.Name, e.ValueFrom.SecretKeyRef.Name)
				}
				if strings.Contains(strings.ToUpper(e.Name), "KEY") && e.Value != "" || strings.Contains(strings.ToUpper(e.Name), "PASSWORD") && e.Value != "" {
					t.Errorf("%s/%s: %s has a literal value; secrets come from Secrets", name, c.Name, e.Name)
				}
			}
		}
	}
	for _, store := range find[*barmanv1.ObjectStore](objs) {
		if s3 := store.Spec.Configuration.AWS; s3 == nil || s3.AccessKeyIDReference == nil || !slices.Contains(allowed, s3.AccessKeyIDReference.Name) {
			t.Errorf("ObjectStore %s: S3 credentials are not the documented secret", store.Name)
		}
	}
}

func TestDevOverlay_HasNoSynchronousStandbyToWaitFor(t *testing.T) {
	c := find[*cnpgv1.Cluster](build(t, kubeDir+"/overlays/dev"))[0]
	if c.Spec.Instances != 1 || c.Spec.PostgresConfiguration.Synchronous != nil {
		t.Errorf("dev Cluster: %d instances, synchronous %+v", c.Spec.Instances, c.Spec.PostgresConfiguration.Synchronous)
	}
}

func TestRecoveryCluster_RestoresFromTheBackups(t *testing.T) {
	data, err := os.ReadFile(kubeDir + "/recovery/cluster-pitr.yaml")
	if err != nil {
		t.Fatal(err)
	}
	o, err := decodeStrict(data, "recovery")
	if err != nil {
		t.Fatal(err)
	}
	c := o.Value.(*cnpgv1.Cluster)
	r := c.Spec.Bootstrap.Recovery
	if r == nil || r.RecoveryTarget == nil || r.RecoveryTarget.TargetTime == "" || len(c.Spec.ExternalClusters) != 1 {
		t.Fatal("recovery cluster: no recovery source with a target time")
	}
	src := c.Spec.ExternalClusters[0]
	if src.Name != r.Source || src.PluginConfiguration == nil || src.PluginConfiguration.Name != barmanPlugin ||
		src.PluginConfiguration.Parameters["serverName"] != "cybermarket-db" || src.PluginConfiguration.Parameters["barmanObjectName"] != "cybermarket-backups" {
		t.Errorf("recovery source %+v is not the backups of cybermarket-db", src)
	}
	for _, p := range c.Spec.Plugins {
		if p.Parameters["serverName"] == "cybermarket-db" {
			t.Error("the restored cluster would archive its WAL over the origin's")
		}
	}
}
