{{/* Shared pieces of every p2plab workload. */}}

{{/* <release>-<component>, cut to 63 characters. */}}
{{- define "p2plab.name" -}}
{{- printf "%s-%s" .root.Release.Name .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels every object carries. */}}
{{- define "p2plab.labels" -}}
{{ include "p2plab.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: p2plab
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Labels a Service or controller selects pods by. */}}
{{- define "p2plab.selectorLabels" -}}
app.kubernetes.io/name: {{ .component }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* <registry>/<prefix><service>:<tag or appVersion> */}}
{{- define "p2plab.image" -}}
{{- $img := .root.Values.image -}}
{{- $repo := printf "%s%s" $img.repositoryPrefix .component -}}
{{- if $img.registry }}{{ $repo = printf "%s/%s" (trimSuffix "/" $img.registry) $repo }}{{ end -}}
{{- printf "%s:%s" $repo (default .root.Chart.AppVersion $img.tag) -}}
{{- end -}}

{{/* Pod-level settings: non-root (uid 10001, the images' user, or .uid), no service account
token unless .serviceAccount names one (Prometheus reads the API), image pull secrets. */}}
{{- define "p2plab.podSpec" -}}
{{- $uid := default 10001 .uid -}}
{{- with .serviceAccount }}
serviceAccountName: {{ . }}
automountServiceAccountToken: true
{{- else }}
automountServiceAccountToken: false
{{- end }}
securityContext:
  runAsNonRoot: true
  runAsUser: {{ $uid }}
  runAsGroup: {{ $uid }}
  fsGroup: {{ $uid }}
  seccompProfile:
    type: RuntimeDefault
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Container-level settings: read-only root, no privileges, no capabilities. */}}
{{- define "p2plab.containerSecurity" -}}
securityContext:
  allowPrivilegeEscalation: false
  readOnlyRootFilesystem: true
  capabilities:
    drop: ["ALL"]
{{- end -}}

{{/* Startup, liveness and readiness on Actuator's health groups (port named http). */}}
{{- define "p2plab.probes" -}}
startupProbe:
  httpGet:
    path: /actuator/health/liveness
    port: http
  periodSeconds: 2
  failureThreshold: 60
livenessProbe:
  httpGet:
    path: /actuator/health/liveness
    port: http
  periodSeconds: 10
  timeoutSeconds: 3
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /actuator/health/readiness
    port: http
  periodSeconds: 5
  timeoutSeconds: 3
  failureThreshold: 2
{{- end -}}

{{/* The writable /tmp every container gets (the root filesystem is read-only). */}}
{{- define "p2plab.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end -}}

{{/*
The two Services of an overlay's StatefulSet: <name>-headless gives every pod a stable DNS name
(<pod>.<name>-headless.<namespace>.svc), published before the pods are ready so that joining
pods resolve pod 0 and themselves; <name> reaches any ready node. Needs .port; .extraPorts, a list
of {name, port}, adds TCP ports beside http (a protocol that is not HTTP, e.g. Gnutella's), each to
the container port of the same name.
*/}}
{{- define "p2plab.overlayServices" -}}
{{- $name := include "p2plab.name" . -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}-headless
  labels:
    {{- include "p2plab.labels" . | nindent 4 }}
    # the ServiceMonitor scrapes each pod once, through the other Service
    p2plab.io/scrape: "false"
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector:
    {{- include "p2plab.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ .port }}
      targetPort: http
      protocol: TCP
    {{- range .extraPorts }}
    - name: {{ .name }}
      port: {{ .port }}
      targetPort: {{ .name }}
      protocol: TCP
    {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  labels:
    {{- include "p2plab.labels" . | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "p2plab.selectorLabels" . | nindent 4 }}
  ports:
    - name: http
      port: {{ .port }}
      targetPort: http
      protocol: TCP
    {{- range .extraPorts }}
    - name: {{ .name }}
      port: {{ .port }}
      targetPort: {{ .name }}
      protocol: TCP
    {{- end }}
{{- end -}}

{{/* A PodDisruptionBudget for an overlay's pods. Needs .maxUnavailable. */}}
{{- define "p2plab.pdb" -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "p2plab.name" . }}
  labels:
    {{- include "p2plab.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ .maxUnavailable }}
  selector:
    matchLabels:
      {{- include "p2plab.selectorLabels" . | nindent 6 }}
{{- end -}}
