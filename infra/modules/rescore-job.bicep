// Nightly rescoring: a scheduled Container Apps job that runs `ipiqa rescore` from the worker
// image. It enumerates the gallery and enqueues jobs; the GPU worker fleet does the scoring, so
// this job runs on the CPU Consumption profile. Its runs live in a blob container, since the
// replica's disk ends with it.
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

@description('Model bundle folder inside the image (the bundle the worker serves; each run records its model hash).')
param modelBundlePath string

@description('Blob service URI of the gallery (https://ACCOUNT.blob.core.windows.net/).')
param blobServiceUri string

@description('Image container to enumerate.')
param imageContainerName string

@description('Blob metadata key that holds an image\'s prompt (the worker\'s IpIqa:Events:PromptMetadataKey).')
param promptMetadataKey string

@description('Service Bus fully qualified namespace.')
param serviceBusFullyQualifiedNamespace string

@description('Jobs queue the rescoring enqueues to.')
param jobsQueueName string

@description('Blob container URL that keeps the runs (checkpoint, journal, results, report), so a killed run resumes and the next night finds the last one.')
param runsContainerUri string

@description('Azure Blob Inventory of the gallery to read instead of listing: CONTAINER[/PATH] in the gallery\'s account (ipiqa rescore --inventory); empty lists the container.')
param inventoryPath string = ''

@description('Read only what changed since the last run from the blob change feed (ipiqa rescore --change-feed); the storage account must keep the change feed.')
param changeFeed bool = false

@description('Without an inventory: first-level prefixes of the container listed at once (ipiqa rescore --list-concurrency).')
@minValue(1)
@maxValue(64)
param listConcurrency int = 8

@description('Cap on storage and queue requests per second of the run (listing, run store, enqueued jobs).')
@minValue(1)
param requestsPerSecond int = 200

@description('More arguments after the built ones, e.g. [\'--quality-threshold\', \'p20\'].')
param extraArguments string[] = []

@description('Longest run, in seconds, before the replica is stopped.')
@minValue(60)
param replicaTimeoutSeconds int = 7200

// `ipiqa rescore` takes options only (it reads no IpIqa__ configuration): every setting it needs
// is an argument. The local runs folder is a working copy on the replica's /tmp; the runs
// container keeps the runs between replicas.
var rescoreArguments = [
  'rescore'
  '--model', modelBundlePath
  '--container', imageContainerName
  '--service-uri', blobServiceUri
  '--prompt-key', promptMetadataKey
  '--enqueue'
  '--queue-kind', 'service-bus'
  '--queue-endpoint', serviceBusFullyQualifiedNamespace
  '--queue', jobsQueueName
  '--runs', '/tmp/ipiqa-runs'
  '--runs-container', runsContainerUri
  '--requests-per-second', string(requestsPerSecond)
]
var enumerationArguments = changeFeed
  ? ['--change-feed']
  : empty(inventoryPath) ? ['--list-concurrency', string(listConcurrency)] : ['--inventory', inventoryPath]

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
          args: concat(rescoreArguments, enumerationArguments, extraArguments)
          resources: { cpu: json('1'), memory: '2Gi' }
          // DefaultAzureCredential picks the user-assigned identity by its client ID.
          env: [
            { name: 'AZURE_CLIENT_ID', value: rescoreClientId }
          ]
          volumeMounts: [{ volumeName: 'tmp', mountPath: '/tmp' }]
        }
      ]
      volumes: [{ name: 'tmp', storageType: 'EmptyDir' }]
    }
  }
}

output name string = job.name
