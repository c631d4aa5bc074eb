// The scoring worker as a Container App on the GPU workload profile. It has no ingress: it pulls
// jobs from Service Bus. KEDA's azure-servicebus scaler (authenticated with the scaler identity)
// sizes it on the jobs queue depth, down to zero replicas when the queue is empty.
targetScope = 'resourceGroup'

@description('Container app name.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to every resource (azd-service-name links it to the azd service).')
param tags object

@description('Container Apps environment.')
param environmentId string

@description('GPU workload profile name inside the environment.')
param gpuProfileName string

@description('Image reference, e.g. myregistry.azurecr.io/ipiqa-worker:1.0.0.')
param image string

@description('Registry login server.')
param registryServer string

@description('Worker identity resource ID.')
param workerIdentityId string

@description('Worker identity client ID (AZURE_CLIENT_ID).')
param workerClientId string

@description('Scaler identity resource ID, used only by the scale rule.')
param scalerIdentityId string

@description('Service Bus namespace name (the scaler wants the bare name).')
param serviceBusNamespaceName string

@description('Service Bus fully qualified namespace (the worker wants NAME.servicebus.windows.net).')
param serviceBusFullyQualifiedNamespace string

@description('Jobs queue name.')
param jobsQueueName string

@description('Results (reply) queue name.')
param resultsQueueName string

@description('Blob service URI.')
param blobServiceUri string

@description('Storage account the worker may read images from.')
param storageAccountName string

@description('Image container the worker may read from.')
param imageContainerName string

@description('Whether the worker writes score tags on image blobs.')
param blobTagsEnabled bool

@description('Table service URI.')
param tableServiceUri string

@description('Results table name.')
param resultsTableName string

@description('Application Insights connection string.')
param appInsightsConnectionString string

@description('Model bundle folder inside the container (baked into the image by default).')
param modelBundlePath string

@description('vCPU of the container, a whole number (must fit the GPU profile: up to 24 on NC-A100 serverless, 8 on NC8as-T4). It is the CPU limit; IpIqa:Preprocessing:Parallelism is set to one less.')
param cpu string

@description('Memory of the container (up to 220Gi on NC-A100 serverless, 56Gi on NC8as-T4).')
param memory string

@description('Replica ceiling. Each replica owns one GPU.')
@minValue(1)
@maxValue(100)
param maxReplicas int

@description('Active messages per replica the scaler aims for.')
@minValue(1)
param messagesPerReplica int

@description('Seconds the .NET host waits for in-flight batches on shutdown. The termination grace period is this plus a margin.')
@minValue(5)
@maxValue(540)
param shutdownTimeoutSeconds int

@description('Blob metadata key that holds the prompt of a job made from a BlobCreated event.')
param promptMetadataKey string

var healthPort = 8080

// Decode threads: the container's vCPU (its CPU limit) minus one core for the batcher, I/O and health.
var preprocessingParallelism = max(1, int(cpu) - 1)

resource app 'Microsoft.App/containerApps@2025-01-01' = {
  name: name
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${workerIdentityId}': {}
      '${scalerIdentityId}': {}
    }
  }
  properties: {
    environmentId: environmentId
    workloadProfileName: gpuProfileName
    configuration: {
      activeRevisionsMode: 'Single'
      registries: [{ server: registryServer, identity: workerIdentityId }]
    }
    template: {
      // Longer than the host shutdown timeout, so SIGKILL never lands mid-drain.
      terminationGracePeriodSeconds: shutdownTimeoutSeconds + 30
      containers: [
        {
          name: 'worker'
          image: image
          resources: { cpu: json(cpu), memory: memory }
          env: [
            { name: 'AZURE_CLIENT_ID', value: workerClientId }
            { name: 'DOTNET_shutdownTimeoutSeconds', value: string(shutdownTimeoutSeconds) }
            { name: 'IpIqa__Transport__Kind', value: 'ServiceBus' }
            { name: 'IpIqa__ServiceBus__FullyQualifiedNamespace', value: serviceBusFullyQualifiedNamespace }
            { name: 'IpIqa__ServiceBus__QueueName', value: jobsQueueName }
            { name: 'IpIqa__ServiceBus__ReplyQueueName', value: resultsQueueName }
            { name: 'IpIqa__Model__BundlePath', value: modelBundlePath }
            { name: 'IpIqa__Model__ExecutionProvider', value: 'Cuda' }
            { name: 'IpIqa__Blob__ServiceUri', value: blobServiceUri }
            { name: 'IpIqa__Blob__AllowedAccounts__0', value: storageAccountName }
            { name: 'IpIqa__Blob__AllowedContainers__0', value: imageContainerName }
            { name: 'IpIqa__Sinks__Reply', value: 'true' }
            { name: 'IpIqa__Sinks__BlobTags', value: string(blobTagsEnabled) }
            { name: 'IpIqa__Sinks__Table__Enabled', value: 'true' }
            { name: 'IpIqa__Sinks__Table__ServiceUri', value: tableServiceUri }
            { name: 'IpIqa__Sinks__Table__TableName', value: resultsTableName }
            { name: 'IpIqa__Events__PromptMetadataKey', value: promptMetadataKey }
            { name: 'IpIqa__Preprocessing__Parallelism', value: string(preprocessingParallelism) }
            { name: 'IpIqa__Health__Port', value: string(healthPort) }
            { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
            { name: 'OTEL_SERVICE_NAME', value: 'ipiqa-worker' }
          ]
          probes: [
            {
              // Loading the bundle and creating the CUDA session takes a while on a cold node.
              type: 'Startup'
              httpGet: { path: '/healthz/live', port: healthPort }
              initialDelaySeconds: 5
              periodSeconds: 10
              failureThreshold: 10
            }
            {
              type: 'Liveness'
              httpGet: { path: '/healthz/live', port: healthPort }
              periodSeconds: 15
              failureThreshold: 3
            }
            {
              type: 'Readiness'
              httpGet: { path: '/healthz/ready', port: healthPort }
              periodSeconds: 10
              failureThreshold: 3
            }
          ]
          volumeMounts: [{ volumeName: 'tmp', mountPath: '/tmp' }]
        }
      ]
      volumes: [{ name: 'tmp', storageType: 'EmptyDir' }]
      scale: {
        minReplicas: 0
        maxReplicas: maxReplicas
        rules: [
          {
            name: 'jobs-queue-depth'
            custom: {
              type: 'azure-servicebus'
              metadata: {
                namespace: serviceBusNamespaceName
                queueName: jobsQueueName
                messageCount: string(messagesPerReplica)
              }
              identity: scalerIdentityId
            }
          }
        ]
      }
    }
  }
}

output name string = app.name
output id string = app.id
