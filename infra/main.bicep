// IpIqa.Worker on Azure: Service Bus, Storage, identities, registry, monitoring, and a Container
// Apps environment with a GPU workload profile running the worker and the nightly rescoring job.
// Deployed with the Azure Developer CLI (`azd up`); see docs/deploy.md.
targetScope = 'subscription'

@description('azd environment name; prefixes the resource group and names.')
@minLength(1)
@maxLength(40)
param environmentName string

@description('Azure region for every resource. It must offer the chosen GPU workload profile.')
param location string

@description('Worker image. azd sets it after its first deploy; until then a public placeholder lets provisioning succeed.')
param workerImage string = ''

@description('GPU workload profile type for the worker.')
@allowed([
  'Consumption-GPU-NC-A100'
  'Consumption-GPU-NC8as-T4'
  'NC24-A100'
  'NC48-A100'
  'NC96-A100'
])
param gpuProfileType string = 'Consumption-GPU-NC-A100'

@description('vCPU per worker replica (sizing: see docs/deploy.md).')
param workerCpu string = '24'

@description('Memory per worker replica.')
param workerMemory string = '220Gi'

@description('Most worker replicas (one GPU each).')
@minValue(1)
@maxValue(100)
param maxReplicas int = 4

@description('Active jobs per replica the scaler aims for.')
@minValue(1)
param messagesPerReplica int = 256

@description('Host shutdown timeout (seconds) for draining in-flight batches.')
@minValue(5)
@maxValue(540)
param shutdownTimeoutSeconds int = 90

@description('Model bundle folder inside the image.')
param modelBundlePath string = '/app/models/bundle'

@description('Cron expression (UTC) of the nightly rescoring run.')
param rescoreCron string = '0 2 * * *'

@description('Requests per second the nightly rescoring may make to storage and the jobs queue (listing, run store, one send per image).')
@minValue(1)
param rescoreRequestsPerSecond int = 200

@description('More arguments for the nightly `ipiqa rescore`, after the ones the template builds, e.g. [\'--quality-threshold\', \'p20\'].')
param rescoreExtraArguments string[] = []

@description('Blob container that keeps the rescoring runs (checkpoints, journals, results, reports).')
@minLength(3)
@maxLength(63)
param rescoreRunsContainerName string = 'ipiqa-runs'

@description('How the nightly rescoring enumerates the gallery: list (parallel listing), inventory (a daily Azure Blob Inventory report of the image container, read instead of listing; the first run waits for the first report) or changefeed (only blobs created or changed since the last run, from the blob change feed).')
@allowed(['list', 'inventory', 'changefeed'])
param rescoreEnumeration string = 'list'

@description('Write score tags on image blobs (grants the worker a custom read + tags role).')
param blobTagsEnabled bool = true

@description('Forward BlobCreated events of the image container to the jobs queue.')
param blobCreatedEventsEnabled bool = false

@description('Blob metadata key that holds an image\'s prompt (URL-encoded when not ASCII): BlobCreated events carry no prompt, so the worker reads it there.')
param promptMetadataKey string = 'prompt'

@description('Deploy the synchronous scoring API (docs/http.md) as a second Container App, ipiqa-http, with internal ingress and Entra ID authentication.')
param httpApiEnabled bool = false

@description('Audience the API\'s tokens must name: the application ID URI or client ID of its Entra ID app registration. Required with httpApiEnabled.')
param httpApiAudience string = ''

@description('App roles of the API\'s Entra ID app registration, one of which every caller\'s token must carry (IpIqa:Http:Roles); empty: any token of the audience.')
param httpApiRoles string[] = []

@description('Token issuer of the API; empty: this tenant\'s Entra ID v2.0 issuer.')
param httpApiAuthority string = ''

@description('API replicas kept warm (a cold GPU replica takes minutes, longer than a caller waits).')
@minValue(0)
@maxValue(100)
param httpApiMinReplicas int = 1

@description('Most API replicas (one GPU each).')
@minValue(1)
@maxValue(100)
param httpApiMaxReplicas int = 2

@description('Concurrent requests per API replica the scaler aims for. Keep it under IpIqa:Http:MaxItemsInFlight (128 by default) divided by the items per request, so replicas come before 429s.')
@minValue(1)
param httpApiConcurrentRequests int = 16

@description('Jobs queue peek-lock duration (ISO 8601, at most PT5M).')
param jobsLockDuration string = 'PT1M'

@description('Deliveries before a job is dead-lettered.')
@minValue(1)
@maxValue(100)
param jobsMaxDeliveryCount int = 5

var suffix = uniqueString(subscription().id, environmentName, location)
var prefix = 'ipiqa-${environmentName}'
var tags = { 'azd-env-name': environmentName, application: 'ipiqa-worker' }
var jobsQueueName = 'ipiqa-jobs'
var resultsQueueName = 'ipiqa-results'
var imageContainerName = 'images'
var workerIdentityName = '${prefix}-worker'
var rescoreIdentityName = '${prefix}-rescore'
var scalerIdentityName = '${prefix}-scaler'
var serviceBusName = 'ipiqa-${suffix}'
var storageName = 'ipiqa${suffix}'
var resultsTableName = 'ipiqaresults'
// Runs before the first `azd deploy` pushes the real image; it never receives a job.
var image = empty(workerImage) ? 'mcr.microsoft.com/k8se/quickstart:latest' : workerImage
var httpApiIssuer = empty(httpApiAuthority) ? '${az.environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0' : httpApiAuthority

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identities 'modules/identity.bicep' = {
  scope: rg
  params: {
    workerName: workerIdentityName
    rescoreName: rescoreIdentityName
    scalerName: scalerIdentityName
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: rg
  params: {
    namePrefix: prefix
    location: location
    tags: tags
    publisherIdentityName: workerIdentityName
  }
}

module registry 'modules/registry.bicep' = {
  scope: rg
  params: {
    name: 'ipiqa${suffix}'
    location: location
    tags: tags
    pullIdentityNames: [workerIdentityName, rescoreIdentityName]
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  scope: rg
  params: {
    name: serviceBusName
    location: location
    tags: tags
    jobsQueueName: jobsQueueName
    resultsQueueName: resultsQueueName
    lockDuration: jobsLockDuration
    maxDeliveryCount: jobsMaxDeliveryCount
    workerIdentityName: workerIdentityName
    rescoreIdentityName: rescoreIdentityName
    scalerIdentityName: scalerIdentityName
  }
}

module storage 'modules/storage.bicep' = {
  scope: rg
  params: {
    name: storageName
    location: location
    tags: tags
    imageContainerName: imageContainerName
    resultsTableName: resultsTableName
    workerIdentityName: workerIdentityName
    rescoreIdentityName: rescoreIdentityName
    blobTagsEnabled: blobTagsEnabled
    runsContainerName: rescoreRunsContainerName
    inventoryEnabled: rescoreEnumeration == 'inventory'
    changeFeedEnabled: rescoreEnumeration == 'changefeed'
  }
}

module environment 'modules/container-apps-environment.bicep' = {
  scope: rg
  params: {
    name: '${prefix}-env'
    location: location
    tags: tags
    logAnalyticsWorkspaceId: monitoring.outputs.workspaceId
    gpuProfileType: gpuProfileType
  }
}

module worker 'modules/worker-app.bicep' = {
  scope: rg
  params: {
    name: 'ipiqa-worker'
    location: location
    tags: union(tags, { 'azd-service-name': 'worker' })
    environmentId: environment.outputs.id
    gpuProfileName: environment.outputs.gpuProfileName
    image: image
    registryServer: registry.outputs.loginServer
    workerIdentityId: identities.outputs.workerId
    workerClientId: identities.outputs.workerClientId
    scalerIdentityId: identities.outputs.scalerId
    serviceBusNamespaceName: serviceBus.outputs.namespaceName
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    jobsQueueName: serviceBus.outputs.jobsQueueName
    resultsQueueName: serviceBus.outputs.resultsQueueName
    blobServiceUri: storage.outputs.blobServiceUri
    storageAccountName: storage.outputs.name
    imageContainerName: storage.outputs.imageContainerName
    blobTagsEnabled: blobTagsEnabled
    tableServiceUri: storage.outputs.tableServiceUri
    resultsTableName: storage.outputs.resultsTableName
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    modelBundlePath: modelBundlePath
    cpu: workerCpu
    memory: workerMemory
    maxReplicas: maxReplicas
    messagesPerReplica: messagesPerReplica
    shutdownTimeoutSeconds: shutdownTimeoutSeconds
    promptMetadataKey: promptMetadataKey
  }
}

// The placeholder image does not serve the API, so no API replica runs until `azd deploy` sets the real one.
module httpApi 'modules/http-api-app.bicep' = if (httpApiEnabled) {
  scope: rg
  params: {
    name: 'ipiqa-http'
    location: location
    tags: tags
    environmentId: environment.outputs.id
    gpuProfileName: environment.outputs.gpuProfileName
    image: image
    registryServer: registry.outputs.loginServer
    identityId: identities.outputs.workerId
    identityClientId: identities.outputs.workerClientId
    blobServiceUri: storage.outputs.blobServiceUri
    storageAccountName: storage.outputs.name
    imageContainerName: storage.outputs.imageContainerName
    appInsightsConnectionString: monitoring.outputs.appInsightsConnectionString
    modelBundlePath: modelBundlePath
    cpu: workerCpu
    memory: workerMemory
    authority: httpApiIssuer
    audience: httpApiAudience
    roles: httpApiRoles
    minReplicas: empty(workerImage) ? 0 : httpApiMinReplicas
    maxReplicas: httpApiMaxReplicas
    concurrentRequestsPerReplica: httpApiConcurrentRequests
    shutdownTimeoutSeconds: shutdownTimeoutSeconds
  }
}

module rescore 'modules/rescore-job.bicep' = {
  scope: rg
  params: {
    name: 'ipiqa-rescore'
    location: location
    tags: tags
    environmentId: environment.outputs.id
    image: image
    registryServer: registry.outputs.loginServer
    rescoreIdentityId: identities.outputs.rescoreId
    rescoreClientId: identities.outputs.rescoreClientId
    cronExpression: rescoreCron
    modelBundlePath: modelBundlePath
    blobServiceUri: storage.outputs.blobServiceUri
    imageContainerName: storage.outputs.imageContainerName
    promptMetadataKey: promptMetadataKey
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    jobsQueueName: serviceBus.outputs.jobsQueueName
    runsContainerUri: storage.outputs.runsContainerUri
    inventoryPath: storage.outputs.inventoryPath
    changeFeed: rescoreEnumeration == 'changefeed'
    requestsPerSecond: rescoreRequestsPerSecond
    extraArguments: rescoreExtraArguments
  }
}

module blobEvents 'modules/blob-events.bicep' = if (blobCreatedEventsEnabled) {
  scope: rg
  params: {
    name: '${prefix}-blob-events'
    location: location
    tags: tags
    storageAccountName: storageName
    imageContainerName: imageContainerName
    serviceBusNamespaceName: serviceBusName
    jobsQueueName: jobsQueueName
  }
}

// azd conventions (read by `azd deploy`).
output AZURE_LOCATION string = location
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = registry.outputs.loginServer
output AZURE_CONTAINER_REGISTRY_NAME string = registry.outputs.name

// Worker configuration, named as environment variables (docs/configuration.md: the key
// IpIqa:ServiceBus:QueueName is IPIQA__SERVICEBUS__QUEUENAME). azd stores them in .azure/ENV/.env,
// so a local worker can point at the cloud resources.
output IPIQA__TRANSPORT__KIND string = 'ServiceBus'
output IPIQA__SERVICEBUS__FULLYQUALIFIEDNAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output IPIQA__SERVICEBUS__QUEUENAME string = serviceBus.outputs.jobsQueueName
output IPIQA__SERVICEBUS__REPLYQUEUENAME string = serviceBus.outputs.resultsQueueName
output IPIQA__BLOB__SERVICEURI string = storage.outputs.blobServiceUri
output IPIQA__BLOB__ALLOWEDACCOUNTS__0 string = storage.outputs.name
output IPIQA__BLOB__ALLOWEDCONTAINERS__0 string = storage.outputs.imageContainerName
output IPIQA__SINKS__TABLE__SERVICEURI string = storage.outputs.tableServiceUri
output IPIQA__SINKS__TABLE__TABLENAME string = storage.outputs.resultsTableName
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.appInsightsConnectionString
output AZURE_CLIENT_ID string = identities.outputs.workerClientId
output WORKER_APP_NAME string = worker.outputs.name
// Empty while the API is off; the postdeploy hook points the API app at the image just deployed.
output HTTP_API_APP_NAME string = httpApiEnabled ? httpApi!.outputs.name : ''
output HTTP_API_FQDN string = httpApiEnabled ? httpApi!.outputs.fqdn : ''
output RESCORE_JOB_NAME string = rescore.outputs.name
output RESCORE_RUNS_CONTAINER_URI string = storage.outputs.runsContainerUri
