{{/*
Names and labels. Every object of the chart carries wingu.labels (the recommended
app.kubernetes.io/* labels); selectors use the stable subset wingu.selectorLabels.
*/}}

{{/* The chart's name, or nameOverride. */}}
{{- define "wingu.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Base name of the release's objects: fullnameOverride, else the release name (with the chart's name
     appended unless the release name already contains it). */}}
{{- define "wingu.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := include "wingu.name" . }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* The agent's objects: <fullname>-agent. */}}
{{- define "wingu.agent.fullname" -}}
{{- printf "%s-agent" (include "wingu.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "wingu.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of every object; call with (dict "ctx" $ "component" "control-plane"). */}}
{{- define "wingu.labels" -}}
helm.sh/chart: {{ include "wingu.chart" .ctx }}
{{ include "wingu.selectorLabels" . }}
app.kubernetes.io/version: {{ .ctx.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .ctx.Release.Service }}
app.kubernetes.io/part-of: wingu
{{- with .ctx.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* The labels selectors match on; never change them between versions (selectors are immutable). */}}
{{- define "wingu.selectorLabels" -}}
app.kubernetes.io/name: {{ include "wingu.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* The claim that keeps the signed audit checkpoints: one of the installer's, or the chart's. */}}
{{- define "wingu.auditCheckpointsClaim" -}}
{{- default (printf "%s-audit-checkpoints" (include "wingu.fullname" .)) .Values.auditCheckpoints.existingClaim }}
{{- end }}

{{/* The Secret that holds database credentials and JWT keys: the chart's own, or existingSecret. */}}
{{- define "wingu.secretName" -}}
{{- default (include "wingu.fullname" .) .Values.secret.existingSecret }}
{{- end }}

{{/* The control plane's ServiceAccount, and the agent's. */}}
{{- define "wingu.serviceAccountName" -}}
{{- default (include "wingu.fullname" .) .Values.serviceAccount.name }}
{{- end }}

{{- define "wingu.agent.serviceAccountName" -}}
{{- default (include "wingu.agent.fullname" .) .Values.agent.serviceAccount.name }}
{{- end }}

{{/* image reference: repository:tag (tag defaults to the chart's appVersion), or repository@digest. */}}
{{- define "wingu.image" -}}
{{- if .image.digest }}
{{- printf "%s@%s" .image.repository .image.digest }}
{{- else }}
{{- printf "%s:%s" .image.repository (default .ctx.Chart.AppVersion .image.tag) }}
{{- end }}
{{- end }}

{{/* In-cluster base URL of the control plane, as the agents reach it. */}}
{{- define "wingu.url" -}}
{{- printf "http://%s.%s.svc:%v" (include "wingu.fullname" .) .Release.Namespace .Values.service.port }}
{{- end }}

{{/* Container security context of every pod that runs under Pod Security "restricted". */}}
{{- define "wingu.restrictedContainerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* The values a working install needs that are still empty, one per line (NOTES.txt lists them).
     Without them the chart still installs, but the control plane's pods wait for the missing
     Secret keys instead of starting. */}}
{{- define "wingu.missingValues" -}}
{{- if not .Values.secret.existingSecret }}
{{- $s := .Values.secret }}
{{- range $name, $value := dict "config.database.url" .Values.config.database.url "secret.db.password" $s.db.password "secret.bootstrapPassword" $s.bootstrapPassword "secret.jwt.privateKey" $s.jwt.privateKey "secret.jwt.publicKey" $s.jwt.publicKey "secret.auditSigning.privateKey" $s.auditSigning.privateKey "secret.auditSigning.publicKey" $s.auditSigning.publicKey }}
{{- if not $value }}
{{ $name }}
{{- end }}
{{- end }}
{{- if and .Values.config.backups.s3.endpoint (not $s.backups.keyset) }}
secret.backups.keyset
{{- end }}
{{- end }}
{{- end }}

{{/* CEL (admission-policy.yaml): the object named by the argument ("object", "oldObject" or
     "namespaceObject") is a Wingu tenant namespace: inst-<code>, labelled
     app.kubernetes.io/managed-by=wingu and wingu.io/institution=<code> (control-plane
     provisioning/Labels.java and Namespaces.java make them so). False when it is null. */}}
{{- define "wingu.tenantNamespaceExpression" -}}
{{- printf "%s != null && has(%s.metadata.labels) && 'wingu.io/institution' in %s.metadata.labels && 'app.kubernetes.io/managed-by' in %s.metadata.labels && %s.metadata.labels['app.kubernetes.io/managed-by'] == 'wingu' && %s.metadata.name == 'inst-' + %s.metadata.labels['wingu.io/institution']" . . . . . . . }}
{{- end }}
