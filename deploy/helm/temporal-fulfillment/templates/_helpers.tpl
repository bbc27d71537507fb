{{/* Names, labels, and the pieces every process shares: the Temporal connection, secrets by reference, volumes. */}}

{{- define "tf.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's prefix; a release named like the chart is not repeated twice. */}}
{{- define "tf.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Usage: include "tf.componentName" (list $ "api") */}}
{{- define "tf.componentName" -}}
{{- printf "%s-%s" (include "tf.fullname" (index . 0)) (index . 1) -}}
{{- end -}}

{{- define "tf.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "tf.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "tf.labels" -}}
{{- $root := index . 0 -}}
{{ include "tf.selectorLabels" . }}
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" $root.Chart.Name $root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "tf.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{/* The Secret every secret comes from; without it nothing could start, so rendering stops here. */}}
{{- define "tf.existingSecret" -}}
{{- required "existingSecret is required: create a Secret holding STAFF_TOKEN_SECRET, CARRIER_WEBHOOK_SECRET, PAYLOAD_ENCRYPTION_KEYS, DATABASE_URL, SMTP_URL, NATS_URL (and TEMPORAL_API_KEY for temporal.auth=apiKey, STRIPE_API_KEY and STRIPE_WEBHOOK_SECRET for payments.provider=stripe), then pass --set existingSecret=<its name> (chart README)" .Values.existingSecret -}}
{{- end -}}

{{/* One variable from existingSecret, by reference. Usage: include "tf.secretEnv" (list $ "DATABASE_URL") */}}
{{- define "tf.secretEnv" -}}
- name: {{ index . 1 }}
  valueFrom:
    secretKeyRef:
      name: {{ include "tf.existingSecret" (index . 0) }}
      key: {{ index . 1 }}
{{- end -}}

{{/* Names the chart sets itself or takes from the Secret: `settings` may not set them. */}}
{{- define "tf.reservedSettings" -}}
STAFF_TOKEN_SECRET CARRIER_WEBHOOK_SECRET PAYLOAD_ENCRYPTION_KEYS DATABASE_URL SMTP_URL NATS_URL TEMPORAL_API_KEY STRIPE_API_KEY STRIPE_WEBHOOK_SECRET PAYMENT_PROVIDER TEMPORAL_TLS_CLIENT_KEY_DATA TEMPORAL_TLS_CLIENT_CERT_DATA TEMPORAL_ADDRESS TEMPORAL_NAMESPACE TEMPORAL_TASK_QUEUE TEMPORAL_TLS TEMPORAL_TLS_SERVER_NAME TEMPORAL_TLS_CLIENT_CERT_PATH TEMPORAL_TLS_CLIENT_KEY_PATH TEMPORAL_TLS_SERVER_CA_CERT_PATH TEMPORAL_CONFIG_FILE TEMPORAL_PROFILE TEMPORAL_UI_URL TEMPORAL_DEPLOYMENT_NAME TEMPORAL_WORKER_BUILD_ID TEMPORAL_PROMOTE_FIRST_VERSION DATA_DIR LOG_LEVEL PORT WORKER_METRICS_PORT TRUST_PROXY RATE_LIMIT_PER_MINUTE
{{- end -}}

{{/* Settings every process gets: where it may write, how much it logs, and the plain `settings`. */}}
{{- define "tf.commonEnv" -}}
{{- $reserved := splitList " " (include "tf.reservedSettings" .) -}}
# The business data is in PostgreSQL (DATABASE_URL): nothing is written under DATA_DIR. It points
# into the /tmp emptyDir so that a read-only root filesystem never stands in the way.
- name: DATA_DIR
  value: /tmp/data
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
{{- range $name, $value := .Values.settings }}
{{- if has $name $reserved }}
{{- fail (printf "settings.%s: the chart sets %s itself (secrets come only from existingSecret, Temporal's connection from temporal.*)" $name $name) }}
{{- end }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/* How this release reaches Temporal: none, apiKey or mtls, checked. */}}
{{- define "tf.temporalAuth" -}}
{{- $auth := .Values.temporal.auth | default "none" -}}
{{- if not (has $auth (list "none" "apiKey" "mtls")) -}}
{{- fail (printf "temporal.auth=%s: must be none, apiKey or mtls" $auth) -}}
{{- end -}}
{{- if and (eq $auth "mtls") (not .Values.temporal.mtls.secretName) -}}
{{- fail "temporal.auth=mtls needs temporal.mtls.secretName: a kubernetes.io/tls Secret with the client's tls.crt and tls.key (kubectl create secret tls)" -}}
{{- end -}}
{{- $auth -}}
{{- end -}}

{{- define "tf.temporalTls" -}}
{{- if or .Values.temporal.tls.enabled (ne (include "tf.temporalAuth" .) "none") .Values.temporal.serverCA.secretName -}}true{{- else -}}false{{- end -}}
{{- end -}}

{{/* Where the client certificate and the server's CA are mounted, read-only. */}}
{{- define "tf.temporalTlsDir" -}}/etc/temporal/tls{{- end -}}
{{- define "tf.temporalConfigDir" -}}/etc/temporal/config{{- end -}}

{{- define "tf.temporalTlsVolumeNeeded" -}}
{{- if or (eq (include "tf.temporalAuth" .) "mtls") .Values.temporal.serverCA.secretName -}}true{{- end -}}
{{- end -}}

{{/*
Temporal's connection, in the variables @temporalio/envconfig reads (src/platform/temporal/connection.ts).
Files, never inline data: the key stays in its Secret, mounted read-only.
*/}}
{{- define "tf.temporalEnv" -}}
{{- include "tf.temporalEnvFor" (list . false) -}}
{{- end -}}

{{/*
The same for a pod whose connection Temporal's worker controller completes: it injects
TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TLS_SERVER_NAME (from the Connection's
tls.serverName), TEMPORAL_API_KEY, and for mTLS TEMPORAL_TLS with the client pair's paths under
/etc/temporal/tls (where it mounts the Secret), so the template leaves those out rather than
name them twice. Usage: include "tf.temporalEnvFor" (list $ byController)
*/}}
{{- define "tf.temporalEnvFor" -}}
{{- $root := index . 0 -}}
{{- $byController := index . 1 -}}
{{- $values := $root.Values -}}
{{- $auth := include "tf.temporalAuth" $root -}}
{{- $dir := include "tf.temporalTlsDir" $root -}}
{{- with $values.temporal.configFile.configMap }}
- name: TEMPORAL_CONFIG_FILE
  value: {{ printf "%s/%s" (include "tf.temporalConfigDir" $root) $values.temporal.configFile.key | quote }}
{{- with $values.temporal.configFile.profile }}
- name: TEMPORAL_PROFILE
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- if not $byController }}
{{- with $values.temporal.address }}
- name: TEMPORAL_ADDRESS
  value: {{ . | quote }}
{{- end }}
{{- with $values.temporal.namespace }}
- name: TEMPORAL_NAMESPACE
  value: {{ . | quote }}
{{- end }}
{{- end }}
- name: TEMPORAL_TASK_QUEUE
  value: {{ required "temporal.taskQueue is required" $values.temporal.taskQueue | quote }}
- name: TEMPORAL_UI_URL
  value: {{ $values.temporal.uiUrl | quote }}
{{- if and $byController (eq $auth "mtls") }}
{{- /* The controller sets TEMPORAL_TLS=true with the client pair. */}}
{{- else if eq (include "tf.temporalTls" $root) "true" }}
- name: TEMPORAL_TLS
  value: "true"
{{- else if not $values.temporal.configFile.configMap }}
- name: TEMPORAL_TLS
  value: "false"
{{- end }}
{{- if not $byController }}
{{- with $values.temporal.tls.serverName }}
- name: TEMPORAL_TLS_SERVER_NAME
  value: {{ . | quote }}
{{- end }}
{{- if eq $auth "apiKey" }}
{{ include "tf.secretEnv" (list $root "TEMPORAL_API_KEY") }}
{{- end }}
{{- if eq $auth "mtls" }}
- name: TEMPORAL_TLS_CLIENT_CERT_PATH
  value: {{ printf "%s/tls.crt" $dir | quote }}
- name: TEMPORAL_TLS_CLIENT_KEY_PATH
  value: {{ printf "%s/tls.key" $dir | quote }}
{{- end }}
{{- end }}
{{- if $values.temporal.serverCA.secretName }}
{{- /* With the controller, the CA is the ca.crt of the mTLS Secret it mounts at the same folder (tf.workerController.check). */}}
- name: TEMPORAL_TLS_SERVER_CA_CERT_PATH
  value: {{ printf "%s/ca.crt" $dir | quote }}
{{- end }}
{{- end -}}

{{/*
Volumes of a pod: /tmp always; Temporal's TLS files and config file for the processes that talk to
Temporal. Usage: include "tf.volumes" (list $ talksToTemporal [byController]); with byController
the worker controller mounts the mTLS Secret itself, as "temporal-tls" at /etc/temporal/tls.
*/}}
{{- define "tf.volumes" -}}
{{- $root := index . 0 -}}
{{- $temporal := index . 1 -}}
{{- $byController := and (gt (len .) 2) (index . 2) -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- if and $temporal (not $byController) (include "tf.temporalTlsVolumeNeeded" $root) }}
# The client's pair and the server's CA side by side in one read-only folder, whichever Secrets hold them.
- name: temporal-tls
  projected:
    defaultMode: 0440
    sources:
      {{- if eq (include "tf.temporalAuth" $root) "mtls" }}
      - secret:
          name: {{ $root.Values.temporal.mtls.secretName }}
          items:
            - { key: tls.crt, path: tls.crt }
            - { key: tls.key, path: tls.key }
      {{- end }}
      {{- with $root.Values.temporal.serverCA.secretName }}
      - secret:
          name: {{ . }}
          items:
            - { key: {{ $root.Values.temporal.serverCA.key }}, path: ca.crt }
      {{- end }}
{{- end }}
{{- if and $temporal $root.Values.temporal.configFile.configMap }}
- name: temporal-config
  configMap:
    name: {{ $root.Values.temporal.configFile.configMap }}
{{- end }}
{{- end -}}

{{- define "tf.volumeMounts" -}}
{{- $root := index . 0 -}}
{{- $temporal := index . 1 -}}
{{- $byController := and (gt (len .) 2) (index . 2) -}}
- name: tmp
  mountPath: /tmp
{{- if and $temporal (not $byController) (include "tf.temporalTlsVolumeNeeded" $root) }}
- name: temporal-tls
  mountPath: {{ include "tf.temporalTlsDir" $root }}
  readOnly: true
{{- end }}
{{- if and $temporal $root.Values.temporal.configFile.configMap }}
- name: temporal-config
  mountPath: {{ include "tf.temporalConfigDir" $root }}
  readOnly: true
{{- end }}
{{- end -}}

{{/* What every pod spec shares: the security context, scheduling, no API token (nothing here calls Kubernetes). */}}
{{- define "tf.podCommon" -}}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
