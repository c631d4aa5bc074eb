// The synchronous scoring API (docs/http.md) as its own Container App on the GPU workload profile:
// the worker image with IpIqa:Transport:Kind=Http, so it reads no queue. Ingress is internal only
// (reachable from inside the Container Apps environment or its virtual network), every call needs
// an Entra ID bearer token, and the replicas scale on concurrent HTTP requests. Health and metrics
// stay on their own port, apart from the API.
targetScope = 'resourceGroup'

@description('Container app name.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Container Apps environment.')
param environmentId string

@description('GPU workload profile name inside the environment.')
param gpuProfileName string

@description('Image reference (the worker image).')
param image string

@description('Registry login server.')
param registryServer string

@description('Identity resource ID: reads images from the allowed container and pulls the image.')
param identityId string

@description('Identity client ID (AZURE_CLIENT_ID).')
param identityClientId string

@description('Blob service URI (image.uri items must be in the allowed account and container).')
param blobServiceUri string

@description('Storage account the API may read images from.')
param storageAccountName string

@description('Image container the API may read from.')
param imageContainerName string

@description('Application Insights connection string.')
param appInsightsConnectionString string

@description('Model bundle folder inside the container.')
param modelBundlePath string

@description('vCPU of the container, a whole number that fits the GPU profile; IpIqa:Preprocessing:Parallelism is one less.')
param cpu string

@description('Memory of the container.')
param memory string

@description('Token issuer (IpIqa:Http:Authority), e.g. https://login.microsoftonline.com/TENANT/v2.0.')
param authority string

@description('Audience the token must name (IpIqa:Http:Audience): the API\'s application ID URI or client ID.')
param audience string

@description('App roles, one of which every token must carry (IpIqa:Http:Roles); empty: any token of the audience.')
param roles string[]

@description('Replicas kept warm. A cold replica needs minutes (GPU, image pull, model load), longer than a caller waits.')
@minValue(0)
@maxValue(100)
param minReplicas int

@description('Replica ceiling. Each replica owns one GPU.')
@minValue(1)
@maxValue(100)
param maxReplicas int

@description('Concurrent requests per replica the scaler aims for.')
@minValue(1)
param concurrentRequestsPerReplica int

@description('Seconds the .NET host waits for in-flight requests on shutdown. The termination grace period is this plus a margin.')
@minValue(5)
@maxValue(540)
param shutdownTimeoutSeconds int

var healthPort = 8080
var apiPort = 8081
var preprocessingParallelism = max(1, int(cpu) - 1)
// IpIqa__Http__Roles__0..N: the environment form of the IpIqa:Http:Roles list.
var roleEnvironment = [for (role, i) in roles: { name: 'IpIqa__Http__Roles__${i}', value: role }]

resource app 'Microsoft.App/containerApps@2025-01-01' = {
  name: name
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    environmentId: environmentId
    workloadProfileName: gpuProfileName
    configuration: {
      activeRevisionsMode: 'Single'
      registries: [{ server: registryServer, identity: identityId }]
      // Internal: only callers inside the environment (or its virtual network) reach the API.
      ingress: {
        external: false
        targetPort: apiPort
        transport: 'http'
        allowInsecure: false
      }
    }
    template: {
      terminationGracePeriodSeconds: shutdownTimeoutSeconds + 30
      containers: [
        {
          name: 'api'
          image: image
          resources: { cpu: json(cpu), memory: memory }
          env: concat([
            { name: 'AZURE_CLIENT_ID', value: identityClientId }
            { name: 'DOTNET_shutdownTimeoutSeconds', value: string(shutdownTimeoutSeconds) }
            { name: 'IpIqa__Transport__Kind', value: 'Http' }
            { name: 'IpIqa__Http__Enabled', value: 'true' }
            { name: 'IpIqa__Http__Address', value: '0.0.0.0' }
            { name: 'IpIqa__Http__Port', value: string(apiPort) }
            { name: 'IpIqa__Http__Auth', value: 'EntraId' }
            { name: 'IpIqa__Http__Authority', value: authority }
            { name: 'IpIqa__Http__Audience', value: audience }
            { name: 'IpIqa__Model__BundlePath', value: modelBundlePath }
            { name: 'IpIqa__Model__ExecutionProvider', value: 'Cuda' }
            { name: 'IpIqa__Blob__ServiceUri', value: blobServiceUri }
            { name: 'IpIqa__Blob__AllowedAccounts__0', value: storageAccountName }
            { name: 'IpIqa__Blob__AllowedContainers__0', value: imageContainerName }
            { name: 'IpIqa__Preprocessing__Parallelism', value: string(preprocessingParallelism) }
            { name: 'IpIqa__Health__Port', value: string(healthPort) }
            { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
            { name: 'OTEL_SERVICE_NAME', value: 'ipiqa-http' }
          ], roleEnvironment)
          probes: [
            {
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
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: [
          {
            name: 'concurrent-requests'
            http: {
              metadata: {
                concurrentRequests: string(concurrentRequestsPerReplica)
              }
            }
          }
        ]
      }
    }
  }
}

output name string = app.name
output fqdn string = app.properties.configuration.ingress.fqdn
