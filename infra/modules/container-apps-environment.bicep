// Container Apps environment with a GPU workload profile for the worker and the Consumption
// profile for the CPU-only rescoring job. Logs go to Log Analytics through diagnostic settings
// (destination azure-monitor), so no workspace key is handled here.
targetScope = 'resourceGroup'

@description('Environment name.')
param name string

@description('Azure region (it must offer the GPU profile type).')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Log Analytics workspace that receives the environment logs.')
param logAnalyticsWorkspaceId string

@description('GPU workload profile type: serverless Consumption-GPU-NC-A100 / Consumption-GPU-NC8as-T4, or dedicated NC24-A100 / NC48-A100 / NC96-A100.')
@allowed([
  'Consumption-GPU-NC-A100'
  'Consumption-GPU-NC8as-T4'
  'NC24-A100'
  'NC48-A100'
  'NC96-A100'
])
param gpuProfileType string

@description('Dedicated GPU profiles only: nodes kept warm (0 lets the profile scale to zero).')
@minValue(0)
param gpuMinimumNodes int = 0

@description('Dedicated GPU profiles only: node ceiling.')
@minValue(1)
param gpuMaximumNodes int = 4

@description('Name given to the GPU workload profile inside the environment.')
param gpuProfileName string = 'gpu'

var gpuIsServerless = startsWith(gpuProfileType, 'Consumption-')

var gpuProfile = union(
  { name: gpuProfileName, workloadProfileType: gpuProfileType },
  gpuIsServerless ? {} : { minimumCount: gpuMinimumNodes, maximumCount: gpuMaximumNodes }
)

resource environment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: { destination: 'azure-monitor' }
    workloadProfiles: [
      { name: 'Consumption', workloadProfileType: 'Consumption' }
      gpuProfile
    ]
    zoneRedundant: false
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: environment
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [{ categoryGroup: 'allLogs', enabled: true }]
    metrics: [{ category: 'AllMetrics', enabled: true }]
  }
}

output id string = environment.id
output name string = environment.name
output gpuProfileName string = gpuProfileName
