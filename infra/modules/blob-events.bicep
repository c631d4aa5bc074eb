// Optional: an Event Grid system topic on the storage account that forwards BlobCreated events
// for the image container to the jobs queue. Event Grid delivers with its own system-assigned
// identity (Service Bus local auth is off), which gets Data Sender on the jobs queue only.
// The messages are CloudEvents (the blob URL is in data.url); the worker reads each as a job whose
// prompt is the blob's metadata value IpIqa:Events:PromptMetadataKey (docs/messages.md).
targetScope = 'resourceGroup'

import { builtInRoles } from 'roles.bicep'

@description('System topic name.')
param name string

@description('Azure region (the storage account region).')
param location string

@description('Tags applied to every resource.')
param tags object

@description('Storage account name that raises the events.')
param storageAccountName string

@description('Container whose new blobs become jobs.')
param imageContainerName string

@description('Service Bus namespace name.')
param serviceBusNamespaceName string

@description('Jobs queue that receives the events.')
param jobsQueueName string

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

resource jobs 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' existing = {
  parent: namespace
  name: jobsQueueName
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  identity: { type: 'SystemAssigned' }
  properties: {
    source: account.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource topicSends 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(jobs.id, topic.id, builtInRoles.serviceBusDataSender)
  scope: jobs
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.serviceBusDataSender)
    principalId: topic.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource subscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = {
  parent: topic
  name: 'blob-created-to-jobs'
  properties: {
    eventDeliverySchema: 'CloudEventSchemaV1_0'
    filter: {
      includedEventTypes: ['Microsoft.Storage.BlobCreated']
      subjectBeginsWith: '/blobServices/default/containers/${imageContainerName}/'
    }
    deliveryWithResourceIdentity: {
      identity: { type: 'SystemAssigned' }
      destination: {
        endpointType: 'ServiceBusQueue'
        properties: { resourceId: jobs.id }
      }
    }
  }
  // The topic identity must be allowed to send before Event Grid validates the destination.
  dependsOn: [topicSends]
}

output topicName string = topic.name
