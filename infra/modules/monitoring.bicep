// Log Analytics workspace and a workspace-based Application Insights resource.
targetScope = 'resourceGroup'

import { builtInRoles } from 'roles.bicep'

@description('Prefix of the resource names.')
param namePrefix string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Days of log retention.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

@description('Identity allowed to send telemetry with Entra ID (the worker identity name).')
param publisherIdentityName string

@description('Refuse telemetry sent with the instrumentation key alone (Entra ID only). Turn on once the worker authenticates its exporter.')
param localAuthDisabled bool = false

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${namePrefix}-logs'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${namePrefix}-appi'
  location: location
  tags: tags
  kind: 'other'
  properties: {
    Application_Type: 'other'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: localAuthDisabled
  }
}

resource publisherIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: publisherIdentityName
}

// Lets the worker identity send telemetry with Entra ID, so local auth can be switched off.
resource publisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, publisherIdentity.id, builtInRoles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.monitoringMetricsPublisher)
    principalId: publisherIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

output workspaceId string = workspace.id
output appInsightsConnectionString string = appInsights.properties.ConnectionString
