{{/* A name template with {number} replaced by the pull request number. */}}
{{- define "dbfork.expand" -}}
{{- $tpl := index . 0 -}}{{- $pr := index . 1 -}}
{{- replace "{number}" (toString $pr) $tpl -}}
{{- end -}}

{{/* The labels of every object: (list component pr), pr may be nil. */}}
{{- define "dbfork.labels" -}}
{{- $component := index . 0 -}}{{- $pr := index . 1 -}}
app.kubernetes.io/name: dbfork
app.kubernetes.io/component: {{ $component }}
app.kubernetes.io/part-of: dbfork
{{- if $pr }}
dbfork.dev/pr: {{ toString $pr | quote }}
{{- end }}
{{- end -}}

{{/* The pull request number, or "" when none is set (only the producer is rendered). */}}
{{- define "dbfork.pr" -}}
{{- if .Values.pr.number }}{{ int64 .Values.pr.number }}{{ end -}}
{{- end -}}

{{/*
One dbfork container. Arguments: dict with root, name, args (list), env (list), envFromSecret,
resources, volumes (list of dicts name/mountPath/source).
*/}}
{{- define "dbfork.container" -}}
{{- $v := .root.Values -}}
- name: {{ .name }}
  image: {{ printf "%s:%s" $v.image.repository $v.image.tag | quote }}
  imagePullPolicy: {{ $v.image.pullPolicy }}
  args:
    {{- toYaml .args | nindent 4 }}
  env:
    - name: HOME
      value: /tmp
    {{- with .env }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  envFrom:
    - secretRef:
        name: {{ .envFromSecret }}
  resources:
    {{- toYaml .resources | nindent 4 }}
  securityContext:
    allowPrivilegeEscalation: false
    readOnlyRootFilesystem: true
    capabilities:
      drop:
        - ALL
  volumeMounts:
    - name: tmp
      mountPath: /tmp
    {{- range .volumes }}
    - name: {{ .name }}
      mountPath: {{ .mountPath }}
      readOnly: true
    {{- end }}
{{- end -}}

{{/*
A Job's pod template. Arguments: dict with root, labels (YAML text), container, args (list), env (list),
envFromSecret, resources, volumes (list of dicts name/mountPath/source), initArgs (list, optional: an
init container running dbfork with them first).
*/}}
{{- define "dbfork.podTemplate" -}}
{{- $v := .root.Values -}}
metadata:
  labels:
    {{- .labels | nindent 4 }}
spec:
  restartPolicy: Never
  {{- if $v.serviceAccountName }}
  serviceAccountName: {{ $v.serviceAccountName }}
  {{- end }}
  securityContext:
    runAsNonRoot: true
    runAsUser: 10001
    runAsGroup: 10001
    seccompProfile:
      type: RuntimeDefault
  {{- if .initArgs }}
  initContainers:
    {{- include "dbfork.container" (dict "root" .root "name" (printf "%s-init" .container) "args" .initArgs "env" .env "envFromSecret" .envFromSecret "resources" .resources "volumes" list) | nindent 4 }}
  {{- end }}
  containers:
    {{- include "dbfork.container" (dict "root" .root "name" .container "args" .args "env" .env "envFromSecret" .envFromSecret "resources" .resources "volumes" .volumes) | nindent 4 }}
  volumes:
    - name: tmp
      emptyDir: {}
    {{- range .volumes }}
    - name: {{ .name }}
      {{- toYaml .source | nindent 6 }}
    {{- end }}
{{- end -}}

{{/* dbfork preview lock for the PR database: (list root pr unlock). */}}
{{- define "dbfork.lockArgs" -}}
{{- $v := (index . 0).Values -}}{{- $pr := index . 1 -}}{{- $unlock := index . 2 -}}
{{- $args := list "--json" "preview" "lock" "--pr" $pr -}}
{{- if $unlock }}{{- $args = append $args "--unlock" -}}{{- end }}
{{- $args = concat $args (list "--target-uri-env" "MONGODB_URI" "--db-template" $v.names.database "--protect-db" $v.databases.production "--protect-db" $v.databases.snapshot "--ephemeral-pattern" $v.databases.ephemeralPattern) -}}
{{- toJson $args -}}
{{- end -}}

{{/* Argo CD hook annotations: (list hook deletePolicy wave), wave may be nil. */}}
{{- define "dbfork.argoHook" -}}
{{- $hook := index . 0 -}}{{- $policy := index . 1 -}}{{- $wave := index . 2 -}}
argocd.argoproj.io/hook: {{ $hook }}
argocd.argoproj.io/hook-delete-policy: {{ $policy }}
{{- if not (kindIs "invalid" $wave) }}
argocd.argoproj.io/sync-wave: {{ toString $wave | quote }}
{{- end }}
{{- end -}}
