{{/*
Naming and labelling helpers shared by every template.
*/}}

{{/* Chart name, overridable with nameOverride. */}}
{{- define "slipway.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified name used for every object of this release. Truncated to 63 characters because some
Kubernetes name fields are DNS labels.
*/}}
{{- define "slipway.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "slipway.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels that select the operator's pods; they never change across upgrades of the chart. */}}
{{- define "slipway.selectorLabels" -}}
app.kubernetes.io/name: {{ include "slipway.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "slipway.labels" -}}
helm.sh/chart: {{ include "slipway.chart" . }}
{{ include "slipway.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: slipway
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "slipway.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "slipway.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The operator's image reference. A digest pins the exact image and wins over the tag; the tag defaults to
the chart's appVersion so chart and image versions move together.
*/}}
{{- define "slipway.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* The maintenance page runs the operator's own image unless page.image overrides it. */}}
{{- define "slipway.pageImage" -}}
{{- default (include "slipway.image" .) .Values.page.image }}
{{- end }}

{{- define "slipway.leaseName" -}}
{{- default (printf "%s-leader" (include "slipway.fullname" .)) .Values.leaderElection.leaseName }}
{{- end }}

{{/*
Value of the watched-namespaces setting: JOSDK_ALL_NAMESPACES (the Java Operator SDK's constant) when the
list is empty, otherwise the namespaces joined by commas.
*/}}
{{- define "slipway.watchedNamespaces" -}}
{{- if .Values.watchNamespaces }}
{{- join "," .Values.watchNamespaces }}
{{- else }}
{{- "JOSDK_ALL_NAMESPACES" }}
{{- end }}
{{- end }}

{{/*
The RBAC rules the operator needs in every namespace holding ManagedUpgrades. Rendered once into a
ClusterRole (all namespaces) or into one Role per watched namespace, so both modes grant exactly the same
permissions. Each rule says why it exists; the operator tests run behind these rules and record what the
operator uses, and RbacChartUsageIT fails on a grant nothing uses (README "What the chart grants"). There is
deliberately no wildcard, no "escalate", no "bind" and no "impersonate".
*/}}
{{/* The names of the chart's imagePullSecrets, comma-separated. */}}
{{- define "slipway.pullSecretNames" -}}
{{- $names := list }}
{{- range .Values.imagePullSecrets }}{{ $names = append $names .name }}{{ end }}
{{- join "," $names }}
{{- end }}

{{- define "slipway.applicationRules" -}}
# The ManagedUpgrade resources: watched by the controller and the status metrics, read by the status API;
# patched to add and remove the finalizer, and by the console for an action a SubjectAccessReview allowed. No create/delete.
- apiGroups: ["slipway.dev"]
  resources: ["managedupgrades"]
  verbs: ["get", "list", "watch", "patch"]
# Progress, plan, checkpoint and history are written to the status subresource.
- apiGroups: ["slipway.dev"]
  resources: ["managedupgrades/status"]
  verbs: ["patch", "update"]
# The application's Ingress: read, and patched to swap traffic to the maintenance page and back (a JSON
# patch carrying the resourceVersion read, so the API server refuses it if the Ingress changed since).
- apiGroups: ["networking.k8s.io"]
  resources: ["ingresses"]
  verbs: ["get", "patch"]
# Application workloads: watched for readiness (only those labelled slipway.dev/watched, which the
# operator adds and removes with a JSON merge patch of that one label), read for images and replicas,
# updated (with the resourceVersion read) to scale them and roll new images.
- apiGroups: ["apps"]
  resources: ["deployments", "statefulsets"]
  verbs: ["get", "list", "watch", "patch", "update"]
# The maintenance page's own Deployment. RBAC cannot limit "create" by name (resourceNames does not apply
# to create) and page names are only known at run time, so this is namespace-wide. The operator only
# creates, patches and deletes objects it owns (owner reference to a ManagedUpgrade, label
# app.kubernetes.io/managed-by: slipway); that convention is kept by the code, RBAC cannot enforce it.
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["create", "patch", "delete"]
# Quiesce waits until no Pod of a component is left; a rollback deletes the outdated Pods of OnDelete
# StatefulSets, which their controller replaces only then.
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["list", "delete"]
# Preflight refuses a component that a HorizontalPodAutoscaler would scale back up.
- apiGroups: ["autoscaling"]
  resources: ["horizontalpodautoscalers"]
  verbs: ["list"]
# The maintenance page's ConfigMap carrying its progress document (patched as the upgrade goes on). list
# and watch are not used by the operator itself: the page's Role hands them on (see below), and Kubernetes'
# escalation check lets the operator grant only what it holds. Same create/delete caveat as above.
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get", "list", "watch", "create", "patch", "update", "delete"]
# The Service in front of the page's Deployment.
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get", "create", "update", "delete"]
# The maintenance page reads its ConfigMap through the API (live progress), so each page pod runs under
# its own ServiceAccount bound to a Role that allows get/list/watch on that ONE ConfigMap (resourceNames;
# list/watch honour resourceNames when the client selects metadata.name, which the page does). The
# operator creates these three objects per application. Kubernetes' escalation check still applies:
# without "escalate"/"bind" the operator can only grant permissions it holds itself, so it can never
# mint a Role stronger than its own.
- apiGroups: [""]
  resources: ["serviceaccounts"]
  verbs: ["get", "create", "update", "delete"]
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["roles", "rolebindings"]
  verbs: ["get", "create", "update", "delete"]
# The maintenance page's PodDisruptionBudget (with 2 or more page replicas), created, kept up to date and
# removed with the page. Same create/delete caveat as above.
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["get", "create", "update", "delete"]
# spec.database.backup.method PgDump: the Job running pg_dump (created once under the name checkpointed in
# status, then read until it completes; never deleted: it is the backup's record), the Job running pg_restore
# when the dump is restored (the same: created once, read, never deleted) and, with pgDump.storageSize, the claim
# the dump is written to (get: an explicit restore checks the claim still exists). The dump's summary comes from its Pod's termination message (pods "list" above), so
# no pods/log. Same create caveat as above: names are only known at run time.
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "create"]
- apiGroups: [""]
  resources: ["persistentvolumeclaims"]
  verbs: ["get", "create"]
# spec.database.backup.method CloudNativePG: a postgresql.cnpg.io/v1 Backup of the database's Cluster, created
# once and read until CloudNativePG completes or fails it; the Cluster itself is read in preflight (it exists, is
# not hibernated and configures the backup method), before the page goes up. Harmless where CloudNativePG is not
# installed.
- apiGroups: ["postgresql.cnpg.io"]
  resources: ["backups"]
  verbs: ["get", "create"]
- apiGroups: ["postgresql.cnpg.io"]
  resources: ["clusters"]
  verbs: ["get"]
{{- if and .Values.page.copyImagePullSecrets .Values.imagePullSecrets }}
# page.copyImagePullSecrets: copies of the operator's registry credentials for the page pods. "create"
# cannot be limited by name, so the operator may write any Secret in the namespace; it writes only the
# copies it owns (<upgrade>-maintenance-<secret>, owner reference to the ManagedUpgrade). Still no list
# or watch.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["create", "update", "delete"]
{{- end }}
# Database and Release API credentials named by ManagedUpgrades (database.adminSecretRef and
# readOnlySecretRef, releaseSource.caSecretRef and headersSecretRef). "get" only: the operator reads the
# Secrets a resource names and never lists or watches them, so it cannot enumerate a namespace's Secrets.
# The names come from the resources at run time, which is why resourceNames cannot narrow this further.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get"]
# Kubernetes Events (core v1 API) on every phase change and step.
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}

{{/* Egress every Slipway pod needs: DNS (any resolver, including node-local ones) and the API server. */}}
{{- define "slipway.networkPolicy.baseEgress" -}}
- ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
- to:
    {{- range .Values.networkPolicy.apiServer.cidrs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  ports:
    {{- range .Values.networkPolicy.apiServer.ports }}
    - port: {{ . }}
      protocol: TCP
    {{- end }}
{{- end }}
