{{- define "pos.labels" -}}
app: {{ .Chart.Name }}
{{- end }}
