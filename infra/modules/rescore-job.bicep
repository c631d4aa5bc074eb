// Nightly rescoring: a scheduled Container Apps job that runs `ipiqa rescore` from the worker
// image. It enumerates the gallery and enqueues jobs; the GPU worker fleet does the scoring, so
// this job runs on the CPU Consumption profile.
targetScope = 'resourceGroup'

@description('Job name.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Container Apps environment.')
param environmentId string

@description('Image reference (the worker image also carries the ipiqa command).')
param image string

@description('Registry login server.')
param registryServer string

@description('Rescoring identity resource ID.')
param rescoreIdentityId string

@description('Rescoring identity client ID (AZURE_CLIENT_ID).')
param rescoreClientId string

@description('Cron expression (UTC) of the nightly run.')
param cronExpression string

@description('Arguments after `ipiqa` (the rescore subcommand and its options).')
param arguments string[]

@description('Service Bus fully qualified namespace.')
param serviceBusFullyQualifiedNamespace string

@description('Jobs queue the rescoring enqueues to.')
param jobsQueueName string

@description('Blob service URI.')
param blobServiceUri string

@description('Storage account holding the gallery.')
param storageAccountName string

@description('Image container to enumerate.')
param imageContainerName string

@description('Application Insights connection string.')
param appInsightsConnectionString string

@description('Longest run, in seconds, before the replica is stopped.')
@minValue(60)
param replicaTimeoutSeconds int = 7200

resource job 'Microsoft.App/jobs@2025-01-01' = {
  name: name
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${rescoreIdentityId}': {}
    }
  }
  properties: {
    environmentId: environmentId
    workloadProfileName: 'Consumption'
    configuration: {
      triggerType: 'Schedule'
      replicaTimeout: replicaTimeoutSeconds
      replicaRetryLimit: 1
      scheduleTriggerConfig: {
        cronExpression: cronExpression
        parallelism: 1
        replicaCompletionCount: 1
      }
      registries: [{ server: registryServer, identity: rescoreIdentityId }]
    }
    template: {
      containers: [
        {
          name: 'rescore'
          image: image
          command: ['dotnet', '/app/ipiqa.dll']
          args: arguments
          resources: { cpu: json('1'), memory: '2Gi' }
          env: [
            { name: 'AZURE_CLIENT_ID', value: rescoreClientId }
            { name: 'IpIqa__Transport__Kind', value: 'ServiceBus' }
            { name: 'IpIqa__ServiceBus__FullyQualifiedNamespace', value: serviceBusFullyQualifiedNamespace }
            { name: 'IpIqa__ServiceBus__QueueName', value: jobsQueueName }
            { name: 'IpIqa__Blob__ServiceUri', value: blobServiceUri }
            { name: 'IpIqa__Blob__AllowedAccounts__0', value: storageAccountName }
            { name: 'IpIqa__Blob__AllowedContainers__0', value: imageContainerName }
            { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
            { name: 'OTEL_SERVICE_NAME', value: 'ipiqa-rescore' }
          ]
          volumeMounts: [{ volumeName: 'tmp', mountPath: '/tmp' }]
        }
      ]
      volumes: [{ name: 'tmp', storageType: 'EmptyDir' }]
    }
  }
}

output name string = job.name
