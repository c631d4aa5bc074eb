// Service Bus namespace (Entra ID only: local SAS auth is disabled), the jobs queue and the
// results (reply) queue, and queue-scoped role assignments.
targetScope = 'resourceGroup'

import { builtInRoles } from 'roles.bicep'

@description('Namespace name (globally unique).')
param name string

@description('Azure region.')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Jobs queue name (IpIqa:ServiceBus:QueueName).')
param jobsQueueName string

@description('Results queue name (IpIqa:ServiceBus:ReplyQueueName).')
param resultsQueueName string

@description('Peek-lock duration of a jobs message (ISO 8601, at most PT5M). The worker renews locks up to IpIqa:ServiceBus:MaxLockRenewalDuration.')
param lockDuration string = 'PT1M'

@description('Deliveries before a job is dead-lettered.')
@minValue(1)
@maxValue(100)
param maxDeliveryCount int = 5

@description('Time to live of a jobs message (ISO 8601); expired messages are dead-lettered.')
param messageTimeToLive string = 'P1D'

@description('Window in which a resent message with the same MessageId is dropped (ISO 8601).')
param duplicateDetectionWindow string = 'PT10M'

@description('Worker identity name: receives jobs, sends results.')
param workerIdentityName string

@description('Rescoring identity name: sends jobs.')
param rescoreIdentityName string

@description('Scaler identity name: reads the jobs queue runtime properties for the scale rule.')
param scalerIdentityName string

resource workerIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: workerIdentityName
}

resource rescoreIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: rescoreIdentityName
}

resource scalerIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: scalerIdentityName
}

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  // Standard is the lowest tier with duplicate detection.
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource jobs 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: namespace
  name: jobsQueueName
  properties: {
    lockDuration: lockDuration
    maxDeliveryCount: maxDeliveryCount
    defaultMessageTimeToLive: messageTimeToLive
    deadLetteringOnMessageExpiration: true
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
    requiresSession: false
    enablePartitioning: false
  }
}

resource results 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: namespace
  name: resultsQueueName
  properties: {
    lockDuration: 'PT1M'
    maxDeliveryCount: 10
    defaultMessageTimeToLive: 'P7D'
    deadLetteringOnMessageExpiration: true
    requiresDuplicateDetection: false
    requiresSession: false
  }
}

// Queue-scoped data-plane roles.
resource workerReceivesJobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(jobs.id, workerIdentity.id, builtInRoles.serviceBusDataReceiver)
  scope: jobs
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.serviceBusDataReceiver)
    principalId: workerIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource workerSendsResults 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(results.id, workerIdentity.id, builtInRoles.serviceBusDataSender)
  scope: results
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.serviceBusDataSender)
    principalId: workerIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource rescoreSendsJobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(jobs.id, rescoreIdentity.id, builtInRoles.serviceBusDataSender)
  scope: jobs
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.serviceBusDataSender)
    principalId: rescoreIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// Reading a queue's active message count needs the Manage right, which among the built-in roles
// only Data Owner grants. It is scoped to the jobs queue and held by the scaler identity alone.
resource scalerReadsJobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(jobs.id, scalerIdentity.id, builtInRoles.serviceBusDataOwner)
  scope: jobs
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.serviceBusDataOwner)
    principalId: scalerIdentity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

output namespaceName string = namespace.name
output namespaceId string = namespace.id
// serviceBusEndpoint is https://NAME.servicebus.windows.net:443/ (the suffix differs by cloud).
output fullyQualifiedNamespace string = replace(split(namespace.properties.serviceBusEndpoint, '/')[2], ':443', '')
output jobsQueueName string = jobs.name
output jobsQueueId string = jobs.id
output resultsQueueName string = results.name
