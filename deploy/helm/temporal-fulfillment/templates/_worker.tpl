{{/*
The workers under Worker Deployment Versioning: one Deployment per version the chart runs itself
(worker.versions), or one WorkerDeployment that Temporal's worker controller turns into versions
(workerController.enabled). Chart README, "Deploying a change".
*/}}

{{/* The Temporal worker deployment's name (TEMPORAL_DEPLOYMENT_NAME), checked as the worker checks it. */}}
{{- define "tf.workerDeploymentName" -}}
{{- $name := .Values.worker.deploymentName | default "" | toString -}}
{{- if not $name -}}
{{- fail "worker.deploymentName is required: the Temporal worker deployment the workers' versions belong to (default temporal-fulfillment)" -}}
{{- end -}}
{{- if or (regexMatch "[.:[:space:]]" $name) (gt (len $name) 200) -}}
{{- fail (printf "worker.deploymentName=%s: must not contain '.', ':' or spaces (Temporal joins deployment name and build id with them), at most 200 characters" $name) -}}
{{- end -}}
{{- $name -}}
{{- end -}}

{{/*
The versions the chart runs, checked, as a YAML list: for each entry of worker.versions its
buildId, the name of its Deployment and ScaledObject (the release's worker name and a DNS-safe
form of the build id), its image, replicas and autoscaling (the entry's over worker.*).
Usage: include "tf.workerVersions" $ | fromYamlArray
*/}}
{{- define "tf.workerVersions" -}}
{{- $root := . -}}
{{- $base := include "tf.componentName" (list $root "worker") -}}
{{- $versions := $root.Values.worker.versions | default list -}}
{{- if not $versions -}}
{{- fail "worker.versions is empty: list the version that runs now, { buildId: <its build id> } (chart README, \"Deploying a change\")" -}}
{{- end -}}
{{- $seen := dict -}}
{{- $images := dict -}}
{{- $out := list -}}
{{- range $i, $v := $versions -}}
{{- $buildId := (get $v "buildId") | default "" | toString | trim -}}
{{- if not $buildId -}}
{{- fail (printf "worker.versions[%d].buildId is required: the Build ID of the image's workflow code, which the workers register with Temporal. Print it with `docker run --rm <image> node dist/ops/build-id.js` (or `npm run --silent build:id` after `npm run build`) and pass --set worker.versions[%d].buildId=<it> (chart README, \"Deploying a change\")" $i $i) -}}
{{- end -}}
{{- if or (regexMatch "[:[:space:]]" $buildId) (gt (len $buildId) 200) -}}
{{- fail (printf "worker.versions[%d].buildId=%s: must not contain ':' or spaces, at most 200 characters (the worker refuses it)" $i $buildId) -}}
{{- end -}}
{{- if hasKey $seen $buildId -}}
{{- fail (printf "worker.versions[%d].buildId=%s: listed twice (each version runs once; to change its image or size, edit its entry)" $i $buildId) -}}
{{- end -}}
{{- $_ := set $seen $buildId true -}}
{{- /* DNS-safe: the build id itself when it is a short DNS label, else a readable prefix and a hash of it, so two ids never share a name. */ -}}
{{- $safe := regexReplaceAll "^-+|-+$" (regexReplaceAll "[^a-z0-9]+" (lower $buildId) "-") "" -}}
{{- $slug := $safe -}}
{{- if or (ne $safe $buildId) (gt (len $safe) 24) (not $safe) -}}
{{- $slug = regexReplaceAll "^-+" (printf "%s-%s" (regexReplaceAll "-+$" (trunc 15 $safe) "") (trunc 8 (sha256sum $buildId))) "" -}}
{{- end -}}
{{- $name := printf "%s-%s" (regexReplaceAll "-+$" (trunc (int (sub 62 (len $slug))) $base) "") $slug -}}
{{- $image := (get $v "image") | default dict -}}
{{- $imageRef := printf "%s:%s" ((get $image "repository") | default $root.Values.image.repository) ((get $image "tag") | default $root.Values.image.tag | default $root.Chart.AppVersion | toString) -}}
{{- /* A build id names the workflow code of one image: two versions on one image would be the same code under two names. */ -}}
{{- if hasKey $images $imageRef -}}
{{- fail (printf "worker.versions[%d] (buildId %s) runs %s, as worker.versions[%d] does: give each version the image.tag its build id was printed from (an entry without image.tag follows the chart's image.tag, so pin the old version's tag when you add a new one)" $i $buildId $imageRef (get $images $imageRef)) -}}
{{- end -}}
{{- $_ := set $images $imageRef $i -}}
{{- $auto := mergeOverwrite (deepCopy $root.Values.worker.autoscaling) ((get $v "autoscaling") | default dict) -}}
{{- $out = append $out (dict
    "buildId" $buildId
    "slug" $slug
    "name" $name
    "image" $imageRef
    "replicas" (ternary (get $v "replicas") $root.Values.worker.replicas (hasKey $v "replicas"))
    "autoscaling" $auto) -}}
{{- end -}}
{{- toYaml $out -}}
{{- end -}}

{{/* The label that tells one version's pods from another's. */}}
{{- define "tf.workerVersionLabel" -}}temporal-fulfillment/worker-version{{- end -}}

{{/*
The worker's pod template, shared by both ways. Usage:
include "tf.workerPod" (list $ version) for a version the chart runs (an element of tf.workerVersions),
include "tf.workerPod" (list $ nil) for the WorkerDeployment's template (the controller fills in the rest).
*/}}
{{- define "tf.workerPod" -}}
{{- $root := index . 0 -}}
{{- $version := index . 1 -}}
{{- $byController := not $version -}}
{{- $values := $root.Values -}}
metadata:
  labels:
    {{- include "tf.labels" (list $root "worker") | nindent 4 }}
    {{- if $version }}
    {{ include "tf.workerVersionLabel" $root }}: {{ $version.slug | quote }}
    {{- end }}
  annotations:
    {{- if and $values.metrics.podAnnotations (gt (int $values.worker.metricsPort) 0) }}
    prometheus.io/scrape: "true"
    prometheus.io/port: {{ $values.worker.metricsPort | quote }}
    prometheus.io/path: /metrics
    {{- end }}
    {{- with $values.worker.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  {{- include "tf.podCommon" $root | nindent 2 }}
  # SIGTERM stops polling and gives running activities workerTuning.shutdownGraceTime (30 s)
  # to finish; Kubernetes must wait longer than that before it kills the process.
  terminationGracePeriodSeconds: {{ $values.worker.terminationGracePeriodSeconds }}
  containers:
    - name: worker
      image: {{ if $version }}{{ $version.image }}{{ else }}{{ include "tf.image" $root }}{{ end }}
      imagePullPolicy: {{ $values.image.pullPolicy }}
      command: ["node", "dist/main/worker.js"]
      {{- if gt (int $values.worker.metricsPort) 0 }}
      ports:
        # The Temporal SDK's Prometheus metrics (schedule-to-start latency, slots, polls).
        - name: metrics
          containerPort: {{ $values.worker.metricsPort }}
      {{- end }}
      env:
        - name: WORKER_METRICS_PORT
          value: {{ $values.worker.metricsPort | quote }}
        {{- if $version }}
        # The version these workers are: orders pinned to it run here until they end.
        - name: TEMPORAL_DEPLOYMENT_NAME
          value: {{ include "tf.workerDeploymentName" $root | quote }}
        - name: TEMPORAL_WORKER_BUILD_ID
          value: {{ $version.buildId | quote }}
        - name: TEMPORAL_PROMOTE_FIRST_VERSION
          value: {{ ternary "true" "false" (eq (toString $values.worker.promoteFirstVersion) "true") | quote }}
        {{- else }}
        # The controller sets TEMPORAL_DEPLOYMENT_NAME and TEMPORAL_WORKER_BUILD_ID, and promotes
        # versions itself (workerController.rollout): a worker never makes its own version current.
        - name: TEMPORAL_PROMOTE_FIRST_VERSION
          value: "false"
        {{- end }}
        {{- include "tf.commonEnv" $root | trim | nindent 8 }}
        {{- include "tf.temporalEnvFor" (list $root $byController) | trim | nindent 8 }}
        {{- include "tf.secretEnv" (list $root "DATABASE_URL") | nindent 8 }}
        {{- include "tf.secretEnv" (list $root "PAYLOAD_ENCRYPTION_KEYS") | nindent 8 }}
        {{- if eq $values.payments.provider "stripe" }}
        - name: PAYMENT_PROVIDER
          value: stripe
        {{- include "tf.secretEnv" (list $root "STRIPE_API_KEY") | nindent 8 }}
        {{- else if ne $values.payments.provider "simulated" }}
        {{- fail (printf "payments.provider: %s is not simulated or stripe" $values.payments.provider) }}
        {{- end }}
      # No probes: the worker serves no health endpoint, and a worker that stops polling is
      # Temporal's to route around (its tasks go to the other workers); a fatal error exits
      # the process and Kubernetes restarts it.
      resources:
        {{- toYaml $values.worker.resources | nindent 8 }}
      securityContext:
        {{- toYaml $values.containerSecurityContext | nindent 8 }}
      volumeMounts:
        {{- include "tf.volumeMounts" (list $root true $byController) | nindent 8 }}
  volumes:
    {{- include "tf.volumes" (list $root true $byController) | nindent 4 }}
{{- end -}}

{{/*
What the worker controller needs that the chart's other settings allow but the controller cannot
do (api/v1alpha1/connection_types.go, internal/controller/clientpool of temporal-worker-controller
v1.8): an address as host:port, a namespace, and a private server CA only as the ca.crt of the mTLS
Secret. Returns the Connection's tls.serverName.
*/}}
{{- define "tf.workerController.check" -}}
{{- $values := .Values -}}
{{- $auth := include "tf.temporalAuth" . -}}
{{- $address := $values.temporal.address | default "" | toString -}}
{{- if not (regexMatch "^[a-zA-Z0-9.-]+:[0-9]+$" $address) -}}
{{- fail (printf "workerController.enabled needs temporal.address as host:port (the Connection's hostPort), not %q: the controller does not read temporal.configFile" $address) -}}
{{- end -}}
{{- if not $values.temporal.namespace -}}
{{- fail "workerController.enabled needs temporal.namespace (the WorkerDeployment's workerOptions.temporalNamespace)" -}}
{{- end -}}
{{- with $values.temporal.serverCA.secretName -}}
{{- if ne $auth "mtls" -}}
{{- fail "workerController.enabled with temporal.serverCA: the controller trusts a private CA only as ca.crt inside the mTLS Secret (temporal.auth=mtls); with an API key or no credentials it knows only the system's roots" -}}
{{- end -}}
{{- if or (ne . $values.temporal.mtls.secretName) (ne $values.temporal.serverCA.key "ca.crt") -}}
{{- fail (printf "workerController.enabled with temporal.serverCA.secretName=%s: the controller reads the server's CA only from ca.crt in the mTLS Secret and mounts that Secret into the workers, so put the CA there (kubectl create secret generic %s --from-file=tls.crt --from-file=tls.key --from-file=ca.crt) and set temporal.serverCA.secretName=%s, temporal.serverCA.key=ca.crt" . $values.temporal.mtls.secretName $values.temporal.mtls.secretName) -}}
{{- end -}}
{{- end -}}
{{- $rollout := $values.workerController.rollout | default dict -}}
{{- $strategy := (get $rollout "strategy") | default "" -}}
{{- if not (has $strategy (list "Manual" "AllAtOnce" "Progressive")) -}}
{{- fail (printf "workerController.rollout.strategy=%s: must be Manual, AllAtOnce or Progressive" $strategy) -}}
{{- end -}}
{{- if eq $strategy "Progressive" -}}
{{- $steps := (get $rollout "steps") | default list -}}
{{- if not $steps -}}
{{- fail "workerController.rollout.strategy=Progressive needs steps: [{ rampPercentage: 10, pauseDuration: 10m }, ...]" -}}
{{- end -}}
{{- range $i, $step := $steps -}}
{{- $ramp := (get $step "rampPercentage") | default 0 | int -}}
{{- if or (lt $ramp 1) (gt $ramp 99) (not (get $step "pauseDuration")) -}}
{{- fail (printf "workerController.rollout.steps[%d]: needs rampPercentage from 1 to 99 and a pauseDuration of at least 30s (after the last step the version becomes current)" $i) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- with $values.workerController.buildId -}}
{{- if not (regexMatch "^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,61}[a-zA-Z0-9])?$" (toString .)) -}}
{{- fail (printf "workerController.buildId=%s: at most 63 letters, digits, '.', '_' or '-', starting and ending with a letter or digit" .) -}}
{{- end -}}
{{- end -}}
{{- /* The controller speaks TLS without credentials only when the Connection names a server. */ -}}
{{- if $values.temporal.tls.serverName -}}
{{- $values.temporal.tls.serverName -}}
{{- else if and (eq $auth "none") (eq (include "tf.temporalTls" .) "true") -}}
{{- regexReplaceAll ":[0-9]+$" $address "" -}}
{{- end -}}
{{- end -}}

{{/* A ScaledObject's spec after scaleTargetRef. Usage: include "tf.kedaScaledObjectSpec" (list $ autoscaling version needsAuth), version nil in the controller's template. */}}
{{- define "tf.kedaScaledObjectSpec" -}}
{{- $root := index . 0 -}}
{{- $auto := index . 1 -}}
{{- $version := index . 2 -}}
{{- $needsAuth := index . 3 -}}
minReplicaCount: {{ $auto.minReplicas }}
maxReplicaCount: {{ $auto.maxReplicas }}
pollingInterval: {{ $auto.pollingInterval }}
cooldownPeriod: {{ $auto.cooldownPeriod }}
advanced:
  horizontalPodAutoscalerConfig:
    behavior:
      # Each worker leaving drains for up to 30 s: shed them slowly, so a dip in the backlog
      # does not stop workers that are needed again a minute later.
      scaleDown:
        stabilizationWindowSeconds: 300
        policies:
          - type: Pods
            value: 1
            periodSeconds: 60
triggers:
  - type: temporal
    metadata:
      endpoint: {{ required "temporal.address is required for the KEDA scaler" $root.Values.temporal.address | quote }}
      {{- if $version }}
      namespace: {{ required "temporal.namespace is required for the KEDA scaler" $root.Values.temporal.namespace | quote }}
      {{- else }}
      namespace: ""
      {{- end }}
      taskQueue: {{ $root.Values.temporal.taskQueue | quote }}
      # The version's own backlog: the tasks routed to it, new or pinned.
      {{- if $version }}
      workerDeploymentName: {{ include "tf.workerDeploymentName" $root | quote }}
      workerDeploymentBuildId: {{ $version.buildId | quote }}
      {{- else }}
      workerDeploymentName: ""
      workerDeploymentBuildId: ""
      {{- end }}
      targetQueueSize: {{ $auto.targetQueueSize | quote }}
      activationTargetQueueSize: {{ $auto.activationTargetQueueSize | quote }}
      queueTypes: {{ $auto.queueTypes | quote }}
      {{- with $root.Values.temporal.tls.serverName }}
      tlsServerName: {{ . | quote }}
      {{- end }}
    {{- if $needsAuth }}
    authenticationRef:
      name: {{ include "tf.componentName" (list $root "worker") }}
    {{- end }}
{{- end -}}
